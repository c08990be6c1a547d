// ECharts panels: open incidents by severity and by state, and the live message rate (from the `telemetry` message).
import { t, severityName, stateName, kindName, formatMetric } from '/shared/i18n.js';
import { h } from '/shared/incidents.js';
import { SEVERITIES, STATES } from '/shared/incidents.js';

const SEV_COLOURS = { P1: '#ff3b3b', P2: '#ff8a1f', P3: '#ffd21f', P4: '#3da5ff' };
const KIND_COLOURS = { fire: '#ff6b6b', manhole: '#9b7bff', camera: '#3ddc97', charger: '#ffb340' };
const KINDS = Object.keys(KIND_COLOURS);
const OPEN_STATES = STATES.filter((s) => s !== 'closed' && s !== 'cancelled');
const RATE_POINTS = 180; // 3 minutes at ~1 message/s
const ink = '#cfe3ff';
// Chart text follows the page's root font size (18px at 1920 wide), so labels stay readable across the room.
const fs = (em) => Math.round(em * parseFloat(getComputedStyle(document.documentElement).fontSize));
const axis = () => ({ axisLine: { lineStyle: { color: '#3a5f99' } }, axisLabel: { color: ink, fontSize: fs(0.95), hideOverlap: true },
  splitLine: { lineStyle: { color: '#1b2f55' } } });

/** The newest few live samples of the `telemetry` message, as chips under the rate chart. */
function renderSamples(samples) {
  const list = document.querySelector('[data-testid="live-samples"]');
  const newest = [...samples].sort((a, b) => b.ts - a.ts).slice(0, 4);
  if (!newest.length) return; // keep the last ones shown rather than flicker empty
  list.replaceChildren(...newest.map((s) => h('li', { dataset: { kind: s.kind } },
    h('span', { class: 'sample-dev' }, s.deviceId), formatMetric(s.metric, s.value))));
}

export function createCharts(els) {
  const echarts = window.echarts;
  if (!echarts) throw new Error('/vendor/echarts.min.js is not loaded; run "npm run build" in dashboards/');
  const sev = echarts.init(els.severity, null, { renderer: 'canvas' });
  const state = echarts.init(els.state, null, { renderer: 'canvas' });
  const rate = echarts.init(els.rate, null, { renderer: 'canvas' });
  const points = []; // [ts, total, byKind]
  let counts = { sev: {}, state: {} };

  const renderCounts = (open) => {
    counts = { sev: {}, state: {} };
    for (const i of open) {
      counts.sev[i.severity] = (counts.sev[i.severity] ?? 0) + 1;
      counts.state[i.state] = (counts.state[i.state] ?? 0) + 1;
    }
    sev.setOption({
      backgroundColor: 'transparent', aria: { enabled: true }, tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['40%', '66%'], center: ['50%', '50%'], avoidLabelOverlap: true,
        label: { color: ink, fontSize: fs(1), formatter: '{b}  {c}' },
        data: SEVERITIES.map((s) => ({ name: `${s} ${severityName(s)}`, value: counts.sev[s] ?? 0, itemStyle: { color: SEV_COLOURS[s] } })) }],
    });
    state.setOption({
      backgroundColor: 'transparent', aria: { enabled: true }, tooltip: {}, grid: { left: 8, right: 36, top: 6, bottom: 6, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, ...axis() }, yAxis: { type: 'category', inverse: true, data: OPEN_STATES.map(stateName), ...axis() },
      series: [{ type: 'bar', barMaxWidth: 18, data: OPEN_STATES.map((s) => counts.state[s] ?? 0),
        itemStyle: { color: '#3d8bff', borderRadius: [0, 4, 4, 0] }, label: { show: true, position: 'right', color: ink, fontSize: fs(0.95) } }],
    });
  };

  const renderRate = () => {
    // A fixed window of the last RATE_POINTS seconds, ending on the next whole half-minute, labelled at whole minutes
    // only (ECharts ticks a 3-minute time axis every 20 s, too close for labels): they never crowd, however little data
    // there is yet.
    const end = Math.ceil((points.at(-1)?.[0] ?? Date.now()) / 30_000) * 30_000;
    const minuteLabel = (ms) => (ms % 60_000 === 0 ? new Date(ms).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' }) : '');
    rate.setOption({
      backgroundColor: 'transparent', aria: { enabled: true }, tooltip: { trigger: 'axis' },
      // One legend line, also in English (a second line would cover the plot).
      legend: { top: 0, itemGap: 10, itemWidth: 18, textStyle: { color: ink, fontSize: fs(0.85) } },
      grid: { left: 8, right: fs(2.4), top: 34, bottom: 4, containLabel: true }, // room for half of the last time label
      xAxis: { type: 'time', min: end - RATE_POINTS * 1000, max: end, ...axis(),
        axisLabel: { ...axis().axisLabel, formatter: minuteLabel }, splitLine: { show: false } },
      yAxis: { type: 'value', ...axis() },
      series: [...KINDS.map((k) => ({ name: kindName(k), type: 'line', stack: 'rate', showSymbol: false, areaStyle: { opacity: 0.35 },
        lineStyle: { width: 1 }, color: KIND_COLOURS[k], data: points.map(([ts, , by]) => [ts, Math.round(by?.[k] ?? 0)]) })),
      { name: t('rate.total'), type: 'line', showSymbol: false, color: '#ffffff', lineStyle: { width: 2, type: 'dashed' },
        data: points.map(([ts, total]) => [ts, Math.round(total)]) }],
    });
  };

  const all = [sev, state, rate];
  window.addEventListener('resize', () => { all.forEach((c) => c.resize()); renderRate(); });
  renderRate();
  return {
    renderCounts,
    pushRate(msg) {
      points.push([msg.ts ?? Date.now(), msg.msgsPerSec ?? 0, msg.byKind ?? {}]);
      if (points.length > RATE_POINTS) points.shift();
      renderRate();
      document.querySelector('[data-role="rate-now"]').textContent = `${Math.round(msg.msgsPerSec ?? 0)}/s`;
      renderSamples(msg.samples ?? []);
    },
    /** Language switched: series names change, so replace rather than merge. */
    relabel() {
      rate.clear();
      renderRate();
    },
  };
}
