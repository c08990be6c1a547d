// Live incident feed (newest first) and the incident detail dialog with its history and actions.
import { t, typeName, typeNames, stateName, severityName, levelName, onLangChange } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h, formatAge, formatTime, countdown, showError, limitStage } from '/shared/incidents.js';
import { clearStatus } from '/shared/status.js';
import { renderActions } from './actions.js';

const FLASH_MS = 6400; // matches .row.flash: 8 × 0.8 s

/** The host's title repeats the type's names ("烟雾报警 Smoke alarm · fire-g1-b2-3"); keep only what it adds. */
function extraTitle(inc) {
  let rest = inc.title ?? '';
  for (const name of typeNames(inc.type)) rest = rest.replace(name, ' ');
  return rest.replace(/\s+/g, ' ').replace(/^[\s·:：,，-]+|[\s·:：,，-]+$/g, '');
}

/** Keyed list: rows are reused and only moved when the order changes, so a flashing row keeps its animation. */
export function createFeed(list, onOpen) {
  const rows = new Map();
  const flashUntil = new Map();

  function fill(li, inc, hier) {
    li.dataset.severity = inc.severity;
    li.setAttribute('aria-label', `${inc.severity} ${typeName(inc.type)} ${hier.place(inc)}`);
    li.classList.toggle('flash', (flashUntil.get(inc.id) ?? 0) > Date.now());
    li.replaceChildren(
      h('span', { class: `sev sev-${inc.severity}` }, `${inc.severity} ${severityName(inc.severity)}`),
      h('div', { class: 'main' }, h('div', { class: 'type' }, typeName(inc.type), extraTitle(inc) ? h('span', { class: 'muted' }, ` · ${extraTitle(inc)}`) : null),
        h('div', { class: 'place' }, hier.place(inc))),
      h('div', { class: 'meta' }, h('span', { class: 'state', dataset: { state: inc.state } }, stateName(inc.state)),
        h('span', { class: 'assignee' }, inc.assigneeName ?? t('feed.unassigned')),
        h('time', { class: 'age', datetime: inc.createdAt }, formatAge(inc.createdAt))));
  }

  function render(open, hier) {
    const sorted = [...open].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
    const keep = new Set(sorted.map((i) => i.id));
    for (const [id, li] of rows) if (!keep.has(id)) { li.remove(); rows.delete(id); }
    sorted.forEach((inc, i) => {
      let li = rows.get(inc.id);
      if (!li) {
        li = h('li', { class: 'row', tabindex: '0', role: 'button', dataset: { testid: 'incident-row', incidentId: String(inc.id) } });
        li.addEventListener('click', () => onOpen(inc.id));
        li.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(inc.id); } });
        rows.set(inc.id, li);
      }
      fill(li, inc, hier);
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
    });
    list.querySelector('.empty')?.remove();
    if (!sorted.length) list.append(h('li', { class: 'empty', dataset: { testid: 'feed-empty' } }, t('feed.empty')));
    document.querySelector('[data-role="feed-count"]').textContent = sorted.length ? `(${sorted.length})` : '';
  }

  return {
    render,
    flash(id) { flashUntil.set(id, Date.now() + FLASH_MS); },
    /** Refreshes ages and ends finished flashes without rebuilding the list. */
    tick() {
      const now = Date.now();
      for (const [id, until] of flashUntil) if (until <= now) { flashUntil.delete(id); rows.get(id)?.classList.remove('flash'); }
      list.querySelectorAll('time.age').forEach((el) => { el.textContent = formatAge(el.getAttribute('datetime')); });
    },
  };
}

const dialog = () => document.querySelector('[data-testid="incident-detail"]');
let shownId = null;
let shownHier = null;
onLangChange(() => { if (shownId != null) refreshDetail(shownId, shownHier); });

export async function openDetail(id, hier) {
  shownId = id;
  shownHier = hier;
  const dlg = dialog();
  dlg.querySelector('[data-role="detail-title"]').textContent = `#${id}`;
  dlg.querySelector('[data-role="detail-body"]').replaceChildren(h('p', { class: 'empty' }, t('incident.loading')));
  dlg.querySelector('[data-role="detail-close"]').onclick = () => dlg.close();
  clearStatus(dlg.querySelector('[data-role="detail-status"]'));
  // The close event is queued: a row clicked right after closing has already re-opened the dialog when it fires.
  dlg.onclose = () => { if (!dlg.open) shownId = null; };
  if (!dlg.open) dlg.showModal();
  await refreshDetail(id, hier);
}

/** Re-fetches the open dialog's incident (after a live event for it). */
export async function refreshDetail(id, hier) {
  if (shownId !== id) return;
  try {
    const path = `/api/incidents/${encodeURIComponent(id)}`;
    const [inc, history] = await Promise.all([api(path), api(`${path}/history`)]);
    if (shownId === id) renderDetail({ ...inc, history }, hier);
  } catch (err) {
    showError(err, `/api/incidents/${id}`);
  }
}

function renderDetail(inc, hier) {
  const dlg = dialog();
  dlg.querySelector('[data-role="detail-title"]').replaceChildren(h('span', { class: `sev sev-${inc.severity}` }, inc.severity), ' ',
    `#${inc.id} ${typeName(inc.type)}`);
  // A limit the incident is past (accepted, arrived, resolved, verified or cancelled) shows its time only; a running one
  // counts down.
  const stage = limitStage(inc.state);
  const due = (iso, limit) => {
    const c = countdown(iso);
    if (!c) return '—';
    if (limit < stage) return formatTime(iso);
    return h('span', { class: c.overdue ? 'overdue' : '' }, `${formatTime(iso)} (${t(c.overdue ? 'incident.overdueBy' : 'incident.remaining', c.text)})`);
  };
  const pairs = [
    ['incident.type', `${typeName(inc.type)} (${inc.type})`], ['incident.severity', `${inc.severity} ${severityName(inc.severity)}`],
    ['incident.state', stateName(inc.state)], ['incident.level', levelName(inc.level)],
    ['incident.place', hier.place(inc)],
    ['incident.assignee', inc.assigneeName
      ? [inc.assigneeName, inc.assigneePhone ? [' · ', h('a', { href: `tel:${inc.assigneePhone.replace(/[ -]/g, '')}`, dataset: { testid: 'assignee-phone' } }, inc.assigneePhone)] : null]
      : t('feed.unassigned')],
    ['incident.createdAt', formatTime(inc.createdAt)], ['incident.updatedAt', formatTime(inc.updatedAt)],
    ['incident.acceptDue', due(inc.acceptDueAt, 0)], ['incident.arriveDue', due(inc.arriveDueAt, 1)],
    ['incident.resolveDue', due(inc.resolveDueAt, 2)],
    ...(inc.verifyDueAt ? [['incident.verifyDue', due(inc.verifyDueAt, 3)]] : []), ['incident.satisfaction', inc.satisfaction ?? '—'],
    ['incident.escalations', `${inc.escalationCount ?? 0} / ${inc.reopenCount ?? 0}`],
    ...(inc.cancelReason ? [['incident.cancelReason', inc.cancelReason]] : []),
    ['incident.devices', (inc.deviceIds ?? []).join(', ') || '—'], ['incident.summary', [inc.title, inc.summary].filter(Boolean).join(' — ')],
  ];
  const history = inc.history ?? [];
  // A live event re-renders the dialog: what is being typed into its action forms survives that.
  const typed = shownId === inc.id ? new Map([...dlg.querySelectorAll('[data-testid="incident-actions"] :is(input, select)')]
    .filter((el) => el.value).map((el) => [el.dataset.testid, el.value])) : new Map();
  dlg.querySelector('[data-role="detail-body"]').replaceChildren(
    h('dl', { class: 'fields' }, pairs.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)])),
    renderActions(inc, dlg.querySelector('[data-role="detail-status"]'), () => refreshDetail(inc.id, hier), typed),
    h('h3', {}, t('incident.history')),
    history.length
      ? h('table', { class: 'history', dataset: { testid: 'incident-history' } },
        h('thead', {}, h('tr', {}, h('th', {}, t('incident.updatedAt')), h('th', {}, t('history.actor')), h('th', {}, t('incident.state')),
          h('th', {}, t('incident.summary')))),
        h('tbody', {}, history.map((e) => h('tr', {}, h('td', {}, formatTime(e.at)), h('td', {}, e.actorName ?? e.actorId ?? ''),
          h('td', {}, `${e.fromState ? stateName(e.fromState) + ' → ' : ''}${stateName(e.toState)}`), h('td', {}, e.note ?? '')))))
      : h('p', { class: 'empty' }, t('incident.noHistory')));
}
