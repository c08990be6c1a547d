// Rendering of the worker's list and detail views; countdowns are refreshed by tickCountdowns() every second.
import { t, typeName, stateName, severityName } from '/shared/i18n.js';
import { h, isOpen, severityRank, countdown, formatTime, formatAge, limitStage } from '/shared/incidents.js';

// The limits a grid worker runs against (verification is the staff's); past them all from resolved on.
const LIMITS = [['acceptDueAt', 'incident.acceptDue'], ['arriveDueAt', 'incident.arriveDue'], ['resolveDueAt', 'incident.resolveDue']];

/** The actions a grid worker may take in each state: only on incidents dispatched to them (the server validates again). */
export const allowed = (inc, me) => {
  const mine = inc.assigneeId != null && inc.assigneeId === me;
  return { accept: mine && inc.state === 'dispatched', arrive: mine && inc.state === 'accepted', resolve: mine && inc.state === 'on_site' };
};

const dueSpan = (iso) => h('span', { class: 'due', dataset: { due: iso ?? '' } });

/**
 * Open incidents first — those dispatched to me (`me`, a person id) before the colleagues', each most severe, then newest —
 * then the finished ones (latest first). A colleague's open incident names who handles it.
 */
export function renderList(ul, incidents, hier, onOpen, me) {
  const mine = (i) => i.assigneeId != null && i.assigneeId === me;
  const open = incidents.filter((i) => isOpen(i) && i.state !== 'resolved')
    .sort((a, b) => Number(mine(b)) - Number(mine(a)) || severityRank(a.severity) - severityRank(b.severity) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const done = incidents.filter((i) => !open.includes(i)).sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const card = (inc) => {
    const limit = LIMITS[limitStage(inc.state)];
    const colleague = open.includes(inc) && inc.assigneeId != null && !mine(inc);
    const li = h('li', { class: `card${open.includes(inc) ? '' : ' done'}${colleague ? ' colleague' : ''}`, tabindex: '0', role: 'button',
      dataset: { testid: 'incident-row', incidentId: String(inc.id), severity: inc.severity, state: inc.state, mine: String(mine(inc)) },
      onclick: () => onOpen(inc.id), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(inc.id); } } },
    h('span', { class: `sev sev-${inc.severity}` }, inc.severity),
    h('span', { class: 'type' }, typeName(inc.type)),
    h('span', { class: 'place' }, hier.name('building', inc.buildingId) || hier.place(inc),
      colleague ? h('span', { class: 'handler' }, ` · ${inc.assigneeName ?? inc.assigneeId}`) : null),
    h('div', { class: 'line' }, h('span', { class: 'state-chip' }, stateName(inc.state)),
      limit ? h('span', {}, `${t(limit[1])} `, dueSpan(inc[limit[0]])) : h('span', { class: 'muted' }, formatAge(inc.updatedAt))));
    return li;
  };
  const items = [];
  if (!open.length) items.push(h('li', { class: 'empty', dataset: { testid: 'my-empty' } }, t('feed.empty')));
  items.push(...open.map(card));
  if (done.length) items.push(h('li', { class: 'section-title', role: 'presentation' }, t('worker.done')), ...done.map(card));
  ul.replaceChildren(...items);
  document.querySelector('[data-role="open-count"]').textContent = open.length || '';
  tickCountdowns();
}

export function renderDetail(root, inc, hier, me) {
  const st = limitStage(inc.state);
  const someoneElse = inc.assigneeId != null && inc.assigneeId !== me && isOpen(inc);
  root.replaceChildren(h('article', { class: 'detail-card', dataset: { incidentId: String(inc.id), state: inc.state } },
    h('span', { class: `sev sev-${inc.severity}` }, `${inc.severity} ${severityName(inc.severity)}`),
    h('h2', {}, typeName(inc.type)),
    inc.title ? h('p', {}, inc.title) : null,
    h('dl', {},
      h('dt', {}, t('incident.state')), h('dd', { dataset: { testid: 'worker-state' } }, stateName(inc.state)),
      h('dt', {}, t('incident.place')), h('dd', {}, hier.place(inc)),
      h('dt', {}, t('incident.createdAt')), h('dd', {}, formatTime(inc.createdAt)),
      h('dt', {}, t('incident.assignee')), h('dd', { dataset: { testid: 'worker-assignee' } }, inc.assigneeName ?? inc.assigneeId ?? '—'),
      h('dt', {}, t('incident.devices')), h('dd', {}, (inc.deviceIds ?? []).join(', ') || '—'),
      inc.summary ? [h('dt', {}, t('incident.summary')), h('dd', {}, inc.summary)] : null),
    h('ul', { class: 'limits', 'aria-label': t('incident.resolveDue') }, LIMITS.map(([field, key], i) =>
      h('li', { class: i < st ? 'passed' : i === st ? 'current' : '' }, h('span', {}, t(key)),
        // The host drops a limit once it is met (acceptDueAt is null after accepting).
        i < st ? h('span', { class: 'due' }, inc[field] ? t('incident.limitWas', formatTime(inc[field])) : '✓') : dueSpan(inc[field])))),
    someoneElse ? h('p', { class: 'muted', dataset: { testid: 'handled-by' } }, t('worker.handledBy', inc.assigneeName ?? inc.assigneeId)) : null));
  const can = allowed(inc, me);
  document.querySelector('[data-testid="btn-accept"]').disabled = !can.accept;
  document.querySelector('[data-testid="btn-arrive"]').disabled = !can.arrive;
  document.querySelector('[data-testid="btn-resolve"]').disabled = !can.resolve;
  document.querySelector('[data-testid="resolve-note"]').disabled = !can.resolve;
  tickCountdowns();
}

/** Every running countdown shows time left (or overdue, in red). */
export function tickCountdowns() {
  const now = Date.now();
  document.querySelectorAll('.due[data-due]').forEach((el) => {
    const c = countdown(el.dataset.due, now);
    if (!c) { el.textContent = '—'; return; }
    el.textContent = t(c.overdue ? 'incident.overdueBy' : 'incident.remaining', c.text);
    el.classList.toggle('overdue', c.overdue);
  });
}
