// Pure helpers of shared/: the i18n table, countdowns and ages, and the incident store's stale-copy guard.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const local = new Map();
globalThis.localStorage = { getItem: (k) => local.get(k) ?? null, setItem: (k, v) => local.set(k, String(v)) };
globalThis.document = { documentElement: {}, querySelectorAll: () => [] };
const i18n = await import('../shared/i18n.js');
const { countdown, formatAge, createIncidentStore, createHierarchy } = await import('../shared/incidents.js');

test('the host titles incidents with the same type names the screens show (one vocabulary; the feed strips them)', () => {
  const cs = readFileSync(new URL('../../src/Smart.Core/Incidents/IncidentTypes.cs', import.meta.url), 'utf8');
  const consts = Object.fromEntries([...cs.matchAll(/public const string (\w+) = "([a-z_.]+)";/g)].map((m) => [m[1], m[2]]));
  const titles = [...cs.matchAll(/\[IncidentTypes\.(\w+)\] = "([^"]+)",/g)].map((m) => [consts[m[1]], m[2]]);
  assert.deepEqual(titles.map(([type]) => type).sort(), i18n.incidentTypes().sort(), 'the host titles every type the screens name');
  for (const [type, title] of titles) assert.equal(title, i18n.typeNames(type).join(' '), type);
});

test('every incident type, state and severity has a Chinese and an English name', () => {
  const types = ['fire.smoke', 'fire.heat', 'fire.co', 'fire.confirmed', 'fire.device_alarm', 'fire.alarm_button', 'manhole.tilt',
    'manhole.displaced', 'manhole.open', 'manhole.flood', 'manhole.gas', 'camera.falling_object', 'camera.blocked', 'charger.overheat',
    'charger.overcurrent', 'charger.leakage', 'charger.long_charge', 'charger.thermal_runaway', 'device.offline', 'sensor.stuck',
    'sensor.anomaly', 'manual.report']; // UI_CONTRACT.md
  assert.deepEqual(i18n.incidentTypes().sort(), [...types].sort());
  const names = (lang) => { i18n.setLang(lang); return types.map(i18n.typeName); };
  const zh = names('zh');
  const en = names('en');
  types.forEach((type, i) => {
    assert.match(zh[i], /[\u4e00-\u9fff]/, `${type} zh`);
    assert.match(en[i], /^[A-Z][A-Za-z -]+$/, `${type} en`);
  });
  assert.equal(i18n.typeName('fire.smoke'), 'Smoke alarm');
  i18n.setLang('zh');
  assert.equal(i18n.typeName('fire.smoke'), '烟雾报警');
  assert.equal(local.get('smart.lang'), 'zh');
  for (const s of ['new', 'dispatched', 'accepted', 'on_site', 'resolved', 'closed', 'reopened', 'cancelled']) assert.notEqual(i18n.stateName(s), s);
  assert.deepEqual(['P1', 'P2', 'P3', 'P4'].map(i18n.severityName), ['紧急', '严重', '一般', '提示']);
});

test('t fills placeholders and shows an unknown key instead of nothing', () => {
  i18n.setLang('en');
  assert.equal(i18n.t('incident.remaining', '04:00'), '04:00 left');
  i18n.setLang('zh');
  assert.equal(i18n.t('incident.overdueBy', '01:05'), '已超时 01:05');
  assert.equal(i18n.t('no.such.key'), 'no.such.key');
});

test('telemetry fields are named with their unit in both languages', () => {
  i18n.setLang('zh');
  assert.equal(i18n.formatMetric('temp_c', 22.14), '温度 22.1 °C');
  assert.equal(i18n.formatMetric('power_w', 401.7), '功率 402 W');
  i18n.setLang('en');
  assert.equal(i18n.formatMetric('water_level_cm', 18.25), 'Water below lid 18.3 cm');
  assert.equal(i18n.formatMetric('mystery_x', 1), 'mystery_x 1');
  i18n.setLang('zh');
});

test('countdown shows time left, or time past due flagged overdue', () => {
  const now = Date.parse('2026-11-22T01:00:00Z');
  assert.deepEqual(countdown('2026-11-22T01:04:05Z', now), { text: '04:05', overdue: false });
  assert.deepEqual(countdown('2026-11-22T00:58:55Z', now), { text: '01:05', overdue: true });
  assert.deepEqual(countdown('2026-11-22T03:00:00Z', now), { text: '2:00:00', overdue: false });
  assert.equal(countdown(null, now), null);
  assert.equal(formatAge('2026-11-22T00:57:00Z', now), '3分前');
});

test('the store keeps the newer copy of an incident whatever order copies arrive in', () => {
  const store = createIncidentStore();
  assert.equal(store.upsert({ id: 1, state: 'accepted', updatedAt: '2026-11-22T01:00:10Z' }), true);
  assert.equal(store.upsert({ id: 1, state: 'dispatched', updatedAt: '2026-11-22T01:00:00Z' }), false);
  assert.equal(store.get(1).state, 'accepted');
  store.upsert({ id: 1, state: 'closed', updatedAt: '2026-11-22T01:00:20Z' });
  assert.deepEqual(store.open(), []);
});

test('place names come from the hierarchy, falling back to ids', () => {
  const hier = createHierarchy({ streets: [], communities: [{ id: 'c1', name: '梧桐社区' }], grids: [{ id: 'g1', name: '梧桐第1网格' }],
    buildings: [{ id: 'g1-b2', name: '1区2栋' }] });
  assert.equal(hier.place({ communityId: 'c1', gridId: 'g1', buildingId: 'g1-b2' }), '梧桐社区 · 梧桐第1网格 · 1区2栋');
  assert.equal(hier.place({ communityId: 'c9', gridId: 'g9', buildingId: null }), 'c9 · g9');
});
