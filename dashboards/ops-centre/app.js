// Operations-centre big screen (DESIGN §10): REST snapshot + live hub events, rendered into the panels.
import { applyI18n, toggleLang, onLangChange, t, getLang, typeName } from '/shared/i18n.js';
import { api, connectHub, maybeDemo, logout } from '/shared/api.js';
import { requireLogin, reloginOnUnauthorized } from '/shared/login.js';
import { createIncidentStore, createHierarchy, showError, h } from '/shared/incidents.js';
import { createFeed, openDetail, refreshDetail } from './feed.js';
import { renderKpis, renderHierarchy, renderDevices } from './panels.js';
import { createCharts } from './charts.js';

const $ = (sel) => document.querySelector(sel);
const store = createIncidentStore();
const view = { hier: createHierarchy(null), kpis: null, devices: null, telemetry: null, gridFilter: null, lastSeq: undefined };
const feed = createFeed($('[data-testid="incident-feed"]'), (id) => openDetail(id, view.hier));
let charts = null;
let renderQueued = false;

const demo = await maybeDemo();
applyI18n(document);
if (demo) document.body.append(h('div', { class: 'demo-banner' }, t('demo.banner')));
reloginOnUnauthorized();
startClock();
$('[data-testid="lang-toggle"]').addEventListener('click', toggleLang);
$('[data-role="logout"]').addEventListener('click', () => { logout(); location.reload(); });
onLangChange(() => { charts?.relabel(); scheduleRender(); });
requireLogin($('[data-role="login"]'), start, undefined, { demoLogin: demo && ['operator', 'operator123'] });

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    const open = store.open();
    feed.render(view.gridFilter ? open.filter((i) => i.gridId === view.gridFilter) : open, view.hier);
    renderFilter();
    renderKpis(open, view.kpis);
    renderHierarchy($('[data-testid="hierarchy"]'), view.hier, open, view.gridFilter, selectGrid);
    renderDevices(view.devices, view.telemetry);
    charts?.renderCounts(open);
  });
}

async function start(auth) {
  $('[data-role="user"]').textContent = auth.name ?? '';
  charts = createCharts({ severity: $('[data-testid="chart-severity"]'), state: $('[data-testid="chart-state"]'),
    rate: $('[data-testid="chart-rate"]') });
  scheduleRender();
  await loadSnapshot();
  const deepLink = location.hash.match(/^#incident-(\d+)$/); // /#incident-17 opens that incident's details
  if (deepLink) openDetail(Number(deepLink[1]), view.hier);
  connectHub({
    state: showConnection,
    incident: onIncidentEvent,
    telemetry: (msg) => { view.telemetry = msg; charts.pushRate(msg); scheduleRender(); },
    kpis: (msg) => { view.kpis = msg; scheduleRender(); },
    districtChanged: () => api('/api/hierarchy').then((h) => { view.hier = createHierarchy(h); scheduleRender(); })
      .catch((err) => showError(err, '/api/hierarchy')),
  }, { initialSeq: view.lastSeq });
  setInterval(loadDevices, 60000);
  setInterval(() => feed.tick(), 5000);
}

async function loadSnapshot() {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const kpiQuery = `from=${encodeURIComponent(midnight.toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
  const [hier, incidents, kpis] = await Promise.allSettled([api('/api/hierarchy'), api('/api/incidents?state=open&limit=200'),
    api(`/api/kpis?${kpiQuery}`), loadDevices()]);
  if (hier.status === 'fulfilled') view.hier = createHierarchy(hier.value); else showError(hier.reason, '/api/hierarchy');
  if (incidents.status === 'fulfilled') {
    (incidents.value?.items ?? []).forEach(store.upsert);
    view.lastSeq = incidents.value?.lastSeq; // the outbox seq the list is current to: the hub resumes after it
  }
  else showError(incidents.reason, '/api/incidents');
  if (kpis.status === 'fulfilled') view.kpis = kpis.value; else showError(kpis.reason, '/api/kpis');
  scheduleRender();
}

async function loadDevices() {
  try {
    view.devices = (await api('/api/devices'))?.items ?? [];
    scheduleRender();
  } catch (err) {
    showError(err, '/api/devices');
  }
}

function onIncidentEvent(ev) {
  const inc = ev.incident;
  const before = store.get(inc.id);
  if (!store.upsert(inc)) return;
  // A new P1 (created, escalated/raised to P1, or back for rework: its device alarmed again) flashes in the feed so the
  // room notices it.
  if (inc.severity === 'P1' && (!before || before.severity !== 'P1' || ev.change === 'reopened')) feed.flash(inc.id);
  // Screen readers hear new urgent incidents once, not every age tick of the feed.
  if (!before && (inc.severity === 'P1' || inc.severity === 'P2')) {
    $('[data-role="announce"]').textContent = `${inc.severity} ${typeName(inc.type)} · ${view.hier.place(inc)}`;
  }
  refreshDetail(inc.id, view.hier);
  scheduleRender();
}

/** Clicking a grid tile narrows the feed to that grid; clicking it again (or the chip) shows all. */
function selectGrid(gridId) {
  view.gridFilter = view.gridFilter === gridId ? null : gridId;
  scheduleRender();
}

function renderFilter() {
  const chip = $('[data-role="feed-filter"]');
  chip.hidden = !view.gridFilter;
  chip.textContent = view.gridFilter ? `${view.hier.name('grid', view.gridFilter)} ✕` : '';
  chip.onclick = () => selectGrid(view.gridFilter);
}

function showConnection(state) {
  const el = $('[data-testid="connection-state"]');
  el.dataset.state = state;
  el.dataset.i18n = `conn.${state}`;
  el.textContent = t(`conn.${state}`);
}

function startClock() {
  const el = $('[data-role="clock"]');
  const tick = () => {
    const now = new Date();
    el.dateTime = now.toISOString();
    const locale = getLang() === 'en' ? 'en-GB' : 'zh-CN';
    el.textContent = `${now.toLocaleDateString(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })} `
      + `${now.toLocaleDateString(locale, { weekday: 'short' })} ${now.toLocaleTimeString(locale, { hour12: false })}`;
  };
  tick();
  setInterval(tick, 1000);
}
