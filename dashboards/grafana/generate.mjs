// Generates smart-community.json, a Grafana dashboard over the InfluxDB schema of DESIGN §6
// (database `smart`, one measurement per kind, tags device/grid/community/street, `event`, `anomaly`).
// Run: node grafana/generate.mjs   (the JSON is committed; edit this file, not the JSON)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ds = { type: 'influxdb', uid: 'smart' };
const scope = `"street" =~ /^$street$/ AND "community" =~ /^$community$/ AND "grid" =~ /^$grid$/`;
let nextId = 1;
let y = 0;

const target = (query, alias, refId = 'A') => ({ refId, datasource: ds, rawQuery: true, resultFormat: 'time_series', query, alias });
const agg = (fn, field, kind, by, fill = 'none') =>
  `SELECT ${fn}("${field}") FROM "${kind}" WHERE ${scope} AND $timeFilter GROUP BY time($__interval), "${by}" fill(${fill})`;

function panel(title, targets, { unit = 'short', w = 8, h = 8, type = 'timeseries', x, extra = {} } = {}) {
  return { id: nextId++, type, title, datasource: ds, targets, gridPos: { x, y, w, h },
    fieldConfig: { defaults: { unit, custom: type === 'timeseries' ? { lineWidth: 1, fillOpacity: 8, spanNulls: true } : {} }, overrides: [] },
    options: type === 'timeseries' ? { legend: { displayMode: 'table', placement: 'right', calcs: ['max', 'lastNotNull'] }, tooltip: { mode: 'multi' } } : {},
    ...extra };
}

function row(title, panels, h = 8) {
  const out = [{ id: nextId++, type: 'row', title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] }];
  y += 1;
  let x = 0;
  for (const make of panels) {
    const p = make(x);
    out.push(p);
    x += p.gridPos.w;
    if (x >= 24) { x = 0; y += p.gridPos.h; }
  }
  if (x) y += h;
  return out;
}

const tagVar = (name, label, query, extra = {}) => ({ name, label, type: 'query', datasource: ds, query, definition: query, refresh: 2,
  multi: true, includeAll: true, allValue: '.*', current: { text: 'All', value: '$__all' }, sort: 1, ...extra });

const panels = [
  ...row('Ingest 接入', [
    (x) => panel('Readings per interval by kind 各类设备上报量', [
      target(`SELECT count("temp_c") FROM "fire" WHERE ${scope} AND $timeFilter GROUP BY time($__interval) fill(0)`, 'fire', 'A'),
      target(`SELECT count("tilt_deg") FROM "manhole" WHERE ${scope} AND $timeFilter GROUP BY time($__interval) fill(0)`, 'manhole', 'B'),
      target(`SELECT count("fps") FROM "camera" WHERE ${scope} AND $timeFilter GROUP BY time($__interval) fill(0)`, 'camera', 'C'),
      target(`SELECT count("power_w") FROM "charger" WHERE ${scope} AND $timeFilter GROUP BY time($__interval) fill(0)`, 'charger', 'D'),
    ], { x, w: 16 }),
    (x) => panel('Devices reporting 上报设备数', [['fire', 'temp_c'], ['manhole', 'tilt_deg'], ['camera', 'fps'], ['charger', 'power_w']]
      .map(([kind, field], i) => target(`SELECT count("last") FROM (SELECT last("${field}") FROM "${kind}" WHERE ${scope} AND $timeFilter `
        + 'GROUP BY "device")', kind, 'ABCD'[i])),
    { x, w: 8, type: 'stat', extra: { options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'value', textMode: 'value_and_name' } } }),
  ]),
  ...row('Fire 烟感/温感', [
    (x) => panel('Temperature max by grid 温度', [target(agg('max', 'temp_c', 'fire', 'grid'), '$tag_grid')], { x, unit: 'celsius' }),
    (x) => panel('Smoke obscuration max by grid 烟雾浓度', [target(agg('max', 'smoke_pct_per_m', 'fire', 'grid'), '$tag_grid')], { x, unit: 'percent' }),
    (x) => panel('CO max by grid 一氧化碳', [target(agg('max', 'co_ppm', 'fire', 'grid'), '$tag_grid')], { x, unit: 'ppm' }),
  ]),
  ...row('Manhole 智能井盖', [
    (x) => panel('Tilt 倾斜角', [target(agg('max', 'tilt_deg', 'manhole', 'device'), '$tag_device')], { x, unit: 'degree' }),
    (x) => panel('Water level (distance below lid; low = flooding) 水位距井盖', [target(agg('min', 'water_level_cm', 'manhole', 'device'), '$tag_device')],
      { x, unit: 'lengthcm' }),
    (x) => panel('Gas: CH4 %LEL and H2S ppm 可燃/有毒气体', [
      target(agg('max', 'ch4_pct_lel', 'manhole', 'device'), 'CH4 $tag_device', 'A'),
      target(agg('max', 'h2s_ppm', 'manhole', 'device'), 'H2S $tag_device', 'B')], { x }),
  ]),
  ...row('Charger 充电桩', [
    (x) => panel('Charging power by grid 充电功率', [target(`SELECT sum("p") FROM (SELECT mean("power_w") AS "p" FROM "charger" WHERE ${scope} AND $timeFilter `
      + 'GROUP BY time($__interval), "device", "port", "grid") GROUP BY time($__interval), "grid" fill(none)', '$tag_grid')], { x, unit: 'watt' }),
    (x) => panel('Port temperature max by grid 端口温度', [target(agg('max', 'temp_c', 'charger', 'grid'), '$tag_grid')], { x, unit: 'celsius' }),
    (x) => panel('Leakage current max by grid 漏电流', [target(agg('max', 'leak_ma', 'charger', 'grid'), '$tag_grid')], { x, unit: 'mamp' }),
  ]),
  ...row('Camera 高空抛物', [
    (x) => panel('Falling-object events 高空抛物事件', [target('SELECT count("confidence") FROM "event" WHERE "kind" = \'camera\' AND "type" = \'falling_object\' '
      + 'AND $timeFilter GROUP BY time($__interval), "device" fill(none)', '$tag_device')], { x, type: 'timeseries',
      extra: { fieldConfig: { defaults: { custom: { drawStyle: 'bars', fillOpacity: 80 } }, overrides: [] } } }),
    (x) => panel('Frame rate min by grid (lens health) 帧率', [target(agg('min', 'fps', 'camera', 'grid'), '$tag_grid')], { x, unit: 'fps' }),
    (x) => panel('Latest falling-object detections 最近抛物检测', [{ ...target('SELECT "device", "confidence", "floor_est", "clip_id" FROM "event" '
      + 'WHERE "type" = \'falling_object\' AND $timeFilter ORDER BY time DESC LIMIT 50', ''), resultFormat: 'table' }], { x, type: 'table' }),
  ]),
  ...row('Anomalies 异常检测', [
    (x) => panel('Anomaly score max by kind 异常分数', [target('SELECT max("score") FROM "anomaly" WHERE $timeFilter GROUP BY time($__interval), "kind" fill(none)',
      '$tag_kind')], { x, w: 12, unit: 'percentunit', extra: { fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1,
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.7 }, { color: 'red', value: 0.9 }] },
      custom: { thresholdsStyle: { mode: 'line' } } }, overrides: [] } } }),
    (x) => panel('High scores (≥ 0.8) 高分异常', [{ ...target('SELECT "device", "metric", "detector", "score", "value", "expected" FROM "anomaly" '
      + 'WHERE "score" >= 0.8 AND $timeFilter ORDER BY time DESC LIMIT 100', ''), resultFormat: 'table' }], { x, w: 12, type: 'table' }),
  ]),
];

const dashboard = {
  uid: 'smart-community', title: 'Smart Community 智慧社区监测', tags: ['smart', 'iot', 'influxdb'], timezone: 'browser',
  schemaVersion: 39, version: 1, editable: true, refresh: '10s', time: { from: 'now-1h', to: 'now' }, graphTooltip: 1,
  templating: { list: [
    tagVar('street', 'Street 街道', 'SHOW TAG VALUES FROM "fire" WITH KEY = "street"'),
    tagVar('community', 'Community 社区', 'SHOW TAG VALUES FROM "fire" WITH KEY = "community" WHERE "street" =~ /^$street$/'),
    tagVar('grid', 'Grid 网格', 'SHOW TAG VALUES FROM "fire" WITH KEY = "grid" WHERE "community" =~ /^$community$/'),
  ] },
  annotations: { list: [{ name: 'Falling objects 高空抛物', datasource: ds, enable: true, iconColor: 'red',
    query: 'SELECT "confidence", "device" FROM "event" WHERE "type" = \'falling_object\' AND $timeFilter', textColumn: 'device' }] },
  panels,
};

const out = join(dirname(fileURLToPath(import.meta.url)), 'smart-community.json');
writeFileSync(out, JSON.stringify(dashboard, null, 2) + '\n');
console.log(`wrote ${out} (${panels.length} panels)`);
