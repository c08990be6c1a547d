// Grid-worker phone app (DESIGN §10): my grid's incidents live, accept/arrive/resolve, 随手拍 manual report.
import { applyI18n, toggleLang, onLangChange, t, typeName } from '/shared/i18n.js';
import { api, connectHub, maybeDemo, logout } from '/shared/api.js';
import { requireLogin, reloginOnUnauthorized } from '/shared/login.js';
import { createIncidentStore, createHierarchy, showError, h, isOpen, severityRank } from '/shared/incidents.js';
import { renderList, renderDetail, tickCountdowns } from './views.js';
import { unlockAudio, alertNew } from './alert.js';
import { bindReport, fillBuildings } from './report.js';

const $ = (sel) => document.querySelector(sel);
const store = createIncidentStore();
let hier = createHierarchy(null);
let hub = null;
let shownId = null;
let auth = null;

const demo = await maybeDemo();
applyI18n(document);
if (demo) document.body.append(h('div', { class: 'demo-banner' }, t('demo.banner')));
reloginOnUnauthorized();
unlockAudio();
$('[data-testid="lang-toggle"]').addEventListener('click', toggleLang);
$('[data-role="logout"]').addEventListener('click', () => { logout(); location.reload(); });
$('[data-role="back"]').addEventListener('click', () => show('list'));
document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => show(tab.dataset.view)));
onLangChange(render);
setInterval(tickCountdowns, 1000);
for (const action of ['accept', 'arrive', 'resolve']) $(`[data-testid="btn-${action}"]`).addEventListener('click', () => transition(action));
// Only grid workers have a grid; other roles belong on the ops-centre screen. A sign-in kept from before tokens named
// the person (personId) signs in again: the page needs it to tell its own incidents from the colleagues'.
requireLogin($('[data-role="login"]'), start, (a) => (!(a.scopeId && a.role === 'GridWorker') ? 'login.notWorker' : a.personId ? null : 'login.again'),
  { demoLogin: demo && ['worker1a', 'worker1a123'] });

async function start(signedIn) {
  auth = signedIn;
  $('[data-role="user"]').textContent = signedIn.name ?? '';
  const [h1, list] = await Promise.allSettled([api('/api/hierarchy'),
    api(`/api/incidents?gridId=${encodeURIComponent(auth.scopeId)}&limit=200`)]);
  if (h1.status === 'fulfilled') hier = createHierarchy(h1.value); else showError(h1.reason, '/api/hierarchy');
  if (list.status === 'fulfilled') (list.value?.items ?? []).forEach(store.upsert); else showError(list.reason, '/api/incidents');
  const snapshotSeq = list.value?.lastSeq; // the outbox seq the list is current to: the hub resumes after it
  $('[data-role="user"]').textContent = `${signedIn.name ?? ''} · ${hier.name('grid', auth.scopeId)}`;
  fillBuildings($('[data-testid="report-building"]'), hier, auth.scopeId);
  bindReport($('[data-testid="report-form"]'), (inc) => { store.upsert(inc); render(); });
  render();
  const deepLink = location.hash.match(/^#incident-(\d+)$/); // e.g. from a push notification: /worker/#incident-17
  if (deepLink) openIncident(Number(deepLink[1]));
  hub = connectHub({ state: showConnection, incident: onIncidentEvent, districtChanged: reloadDistrict }, { initialSeq: snapshotSeq });
}

/** The district changed (a building renamed or moved): names and the report form's buildings follow. */
async function reloadDistrict() {
  try {
    hier = createHierarchy(await api('/api/hierarchy'));
  } catch (err) {
    showError(err, '/api/hierarchy');
    return;
  }
  $('[data-role="user"]').textContent = `${auth.name ?? ''} · ${hier.name('grid', auth.scopeId)}`;
  fillBuildings($('[data-testid="report-building"]'), hier, auth.scopeId);
  render();
}

function onIncidentEvent(ev) {
  const inc = ev.incident;
  if (inc.gridId !== auth.scopeId) return; // the hub scopes already; this keeps the list to "my grid" regardless
  const before = store.get(inc.id);
  if (!store.upsert(inc)) return;
  const me = auth.personId;
  const cameToMe = before && before.assigneeId !== me && inc.assigneeId === me && inc.state === 'dispatched';
  const backToMe = ev.change === 'reopened' && inc.assigneeId === me; // 返工: staff sent it back, or its device alarmed again
  if (before?.assigneeId === me && inc.assigneeId !== me && isOpen(inc)) {
    say(t('worker.movedAway', inc.id, inc.assigneeName ?? inc.assigneeId ?? '—'), inc.id);
  } else {
    // Alert on a P1/P2 that is new to me, was raised to P1/P2, came back for rework or was re-dispatched to me; never on
    // replayed closed ones.
    const urgent = (inc.severity === 'P1' || inc.severity === 'P2') && isOpen(inc) && inc.state !== 'resolved';
    const raised = !before || severityRank(inc.severity) < severityRank(before.severity) || ev.change === 'reopened';
    const key = cameToMe ? 'worker.assignedToMe' : backToMe ? 'worker.backToMe' : 'worker.newAlert';
    if (urgent && (raised || cameToMe)) notify(inc, key);
    else if (cameToMe || backToMe) say(`${t(key)}：${inc.severity} ${typeName(inc.type)} · ${hier.name('building', inc.buildingId)}`, inc.id);
  }
  render();
}

function notify(inc, key = 'worker.newAlert') {
  alertNew(inc.severity);
  say(`${t(key)}：${inc.severity} ${typeName(inc.type)} · ${hier.name('building', inc.buildingId)}`, inc.id);
}

/** A toast for 8 s; tapping it opens the incident. */
function say(text, id) {
  const toast = $('[data-testid="new-alert"]');
  toast.textContent = text;
  toast.hidden = false;
  toast.onclick = () => { toast.hidden = true; openIncident(id); };
  setTimeout(() => { toast.hidden = true; }, 8000);
}

function render() {
  renderList($('[data-testid="my-incidents"]'), store.all(), hier, openIncident, auth.personId);
  const inc = shownId != null && store.get(shownId);
  if (inc) renderDetail($('[data-role="detail"]'), inc, hier, auth.personId);
}

function openIncident(id) {
  shownId = id;
  $('[data-role="action-result"]').textContent = '';
  $('[data-testid="resolve-note"]').value = '';
  show('detail');
  render();
}

function show(view) {
  if (view !== 'detail') shownId = null;
  document.querySelectorAll('[data-view-panel]').forEach((p) => { p.hidden = p.dataset.viewPanel !== view; });
  document.querySelectorAll('.tab').forEach((tab) => tab.setAttribute('aria-selected', String(tab.dataset.view === (view === 'detail' ? 'list' : view))));
  window.scrollTo(0, 0);
}

/** Hub method when connected (Accept/Arrive/Resolve), REST otherwise; both return the updated incident. */
async function transition(action) {
  const id = shownId;
  const note = $('[data-testid="resolve-note"]').value.trim();
  const out = $('[data-role="action-result"]');
  const buttons = document.querySelectorAll('.actions .btn');
  buttons.forEach((b) => { b.disabled = true; });
  out.className = 'action-result';
  out.textContent = t('worker.busy');
  try {
    const method = action[0].toUpperCase() + action.slice(1);
    const updated = hub?.isConnected()
      ? await (action === 'resolve' ? hub.invoke(method, id, note) : hub.invoke(method, id))
      : await api(`/api/incidents/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: { note: note || null } });
    if (updated) store.upsert(updated);
    out.textContent = t(`worker.done.${action}`);
  } catch (err) {
    out.className = 'action-result error';
    // A hub error arrives as "… HubException: <message>"; show the server's message, not the wrapper.
    out.textContent = err.detail || String(err.message ?? err).replace(/^.*HubException:\s*/, '');
  }
  render();
}

function showConnection(state) {
  const el = $('[data-testid="connection-state"]');
  el.dataset.state = state;
  el.dataset.i18n = `conn.${state}`;
  el.textContent = t(`conn.${state}`);
}
