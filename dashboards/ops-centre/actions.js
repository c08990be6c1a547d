// What the operations centre and the staff do with an incident (DESIGN §8), in its detail dialog: dispatch and
// re-dispatch (派单 / 改派) and cancel a false alarm (误报撤销) — operators, staff and admins; verify (核查结案) or send
// back for rework (返工) — community and street staff and admins; rate (评价). The host decides; the dialog only offers
// what the signed-in role may do in the incident's state, and says why when the host refuses.
import { t, roleKey } from '/shared/i18n.js';
import { api, getAuth } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { actWith, setStatus } from '/shared/status.js';

const DISPATCHERS = ['operator', 'admin', 'community_staff', 'street_staff'];
const VERIFIERS = ['admin', 'community_staff', 'street_staff'];
/** Accepted by a worker: taking it from them (改派) needs a reason. */
const IN_HAND = ['accepted', 'on_site'];

/** The actions a role may take in an incident's state (mirrors the host's IncidentWorkflow). */
export function availableActions(inc, role) {
  const r = roleKey(role);
  const s = inc.state;
  return [
    DISPATCHERS.includes(r) && ['new', 'reopened', 'dispatched', ...IN_HAND].includes(s) && 'dispatch',
    VERIFIERS.includes(r) && s === 'resolved' && 'close',
    VERIFIERS.includes(r) && s === 'resolved' && 'reopen',
    DISPATCHERS.includes(r) && ['resolved', 'closed'].includes(s) && 'feedback',
    DISPATCHERS.includes(r) && ['new', 'dispatched', 'accepted', 'on_site', 'reopened'].includes(s) && 'cancel',
  ].filter(Boolean);
}

/**
 * The dialog's action forms for an incident, or null when the role may do nothing in its state. Results and refusals
 * go to `status` (kept across the dialog's re-render); after a change, onChanged() re-renders it. `typed` (data-testid →
 * value) refills the fields after a re-render.
 */
export function renderActions(inc, status, onChanged, typed = new Map()) {
  const actions = availableActions(inc, getAuth()?.role);
  if (!actions.length) return null;
  const post = (action, body) => api(`/api/incidents/${encodeURIComponent(inc.id)}/${action}`, { method: 'POST', body });
  const run = (button, call, okKey) => actWith(button, status, call, (r) => t(okKey, inc.id, r?.assigneeName ?? '')).then((ok) => ok && onChanged());
  /** A reason is required for cancel, reopen and taking an accepted incident from its worker: say so here rather than
   *  send a request the host refuses. */
  const needReason = (input) => {
    if (input.value.trim()) return false;
    setStatus(status, 'error', () => t('action.reasonRequired'));
    input.focus();
    return true;
  };
  const forms = {
    dispatch() {
      const select = h('select', { dataset: { testid: 'dispatch-assignee' }, 'aria-label': t('action.assignee') },
        h('option', { value: '' }, t('action.onDuty')));
      // The grid's active workers (staff and operators may list people; a failure leaves "whoever is on duty").
      api('/api/people').then((people) => select.append(...people
        .filter((p) => roleKey(p.role) === 'grid_worker' && p.scopeId === inc.gridId && p.active !== false)
        .map((p) => h('option', { value: p.id }, `${p.name} (${p.username})`))))
        .then(() => { if (typed.has('dispatch-assignee')) select.value = typed.get('dispatch-assignee'); })
        .catch(() => {});
      const reason = IN_HAND.includes(inc.state)
        ? h('input', { type: 'text', maxlength: '500', dataset: { testid: 'dispatch-reason' }, placeholder: t('action.redispatchReason'), value: typed.get('dispatch-reason') })
        : null;
      const label = ['dispatched', ...IN_HAND].includes(inc.state) ? 'action.redispatch' : 'action.dispatch';
      const button = h('button', { type: 'button', dataset: { testid: 'action-dispatch' } }, t(label));
      button.onclick = () => (reason && needReason(reason))
        || run(button, () => post('dispatch', { assigneeId: select.value || null, note: reason?.value.trim() || null }), 'action.dispatched');
      return [select, reason, button].filter(Boolean);
    },
    close() {
      const button = h('button', { type: 'button', dataset: { testid: 'action-close' } }, t('action.close'));
      button.onclick = () => run(button, () => post('close', { note: null }), 'action.closed');
      return [button];
    },
    reopen() {
      const reason = h('input', { type: 'text', maxlength: '500', dataset: { testid: 'reopen-reason' }, placeholder: t('action.reopenReason'), value: typed.get('reopen-reason') });
      const button = h('button', { type: 'button', class: 'btn-ghost', dataset: { testid: 'action-reopen' } }, t('action.reopen'));
      button.onclick = () => needReason(reason) || run(button, () => post('reopen', { note: reason.value.trim() }), 'action.reopened');
      return [reason, button];
    },
    feedback() {
      const score = h('select', { dataset: { testid: 'feedback-score' }, 'aria-label': t('action.satisfaction') },
        [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n) }, `${n} ★`)));
      if (typed.has('feedback-score')) score.value = typed.get('feedback-score');
      const comment = h('input', { type: 'text', maxlength: '500', dataset: { testid: 'feedback-comment' }, placeholder: t('action.comment'), value: typed.get('feedback-comment') });
      const button = h('button', { type: 'button', dataset: { testid: 'action-feedback' } }, t('action.feedback'));
      button.onclick = () => run(button, () => api(`/api/incidents/${encodeURIComponent(inc.id)}/feedback`,
        { method: 'POST', body: { satisfaction: Number(score.value), comment: comment.value.trim() || null } }), 'action.rated');
      return [score, comment, button];
    },
    cancel() {
      const reason = h('input', { type: 'text', maxlength: '500', dataset: { testid: 'cancel-reason' }, placeholder: t('action.cancelReason'), value: typed.get('cancel-reason') });
      const button = h('button', { type: 'button', class: 'btn-danger', dataset: { testid: 'action-cancel' } }, t('action.cancel'));
      button.onclick = () => needReason(reason) || run(button, () => post('cancel', { note: reason.value.trim() }), 'action.cancelled');
      return [reason, button];
    },
  };
  return h('section', { class: 'actions', dataset: { testid: 'incident-actions' } },
    h('h3', {}, t('action.title')),
    actions.map((a) => h('div', { class: 'action', dataset: { action: a } }, forms[a]())));
}
