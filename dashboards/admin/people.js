// 人员 People: the list and "add a person" form (administrators), and the password form (administrators set anyone's;
// everyone else changes their own with the current one). API: GET/POST /api/people, PUT /api/people/{username}/password.
import { t, roleName, roles } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { submitWith } from './status.js';

/** The level of place a role's scope names (people API role names); operators and administrators cover everything. */
export const SCOPE_LEVEL = { grid_worker: 'grid', community_staff: 'community', street_staff: 'street' };
const PLURAL = { street: 'streets', community: 'communities', grid: 'grids', building: 'buildings' };

/** "梧桐社区 · 梧桐第1网格 (g1)": a place with its parents' names, as options and table cells show it. */
export function placeLabel(hier, level, id) {
  const raw = hier.raw;
  const grid = level === 'grid' ? raw.grids.find((g) => g.id === id) : null;
  const prefix = grid ? `${hier.name('community', grid.communityId)} · ` : '';
  return `${prefix}${hier.name(level, id)} (${id})`;
}

export function renderPeople(tbody, people, hier, onSetPassword) {
  tbody.replaceChildren(...(people.length ? people.map((p) => h('tr', { dataset: { testid: 'person-row', username: p.username } },
    h('td', {}, p.username), h('td', {}, p.name), h('td', {}, roleName(p.role)),
    h('td', {}, p.scopeId ? placeLabel(hier, SCOPE_LEVEL[p.role] ?? 'grid', p.scopeId) : '—'),
    h('td', {}, h('button', { type: 'button', class: 'btn-small', onclick: () => onSetPassword(p.username) }, t('admin.people.setPassword')))))
    : [h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('admin.people.empty')))]));
}

/** Role options, and scope options that follow the chosen role (a grid for a grid worker, none for an operator). */
export function fillPersonForm(form, hier) {
  const role = form.role.value || 'grid_worker';
  form.role.replaceChildren(...roles().map((r) => h('option', { value: r }, roleName(r))));
  form.role.value = role;
  const level = SCOPE_LEVEL[role];
  const scope = form.scopeId.value;
  form.scopeId.replaceChildren(...(level
    ? hier.raw[PLURAL[level]].map((p) => h('option', { value: p.id }, placeLabel(hier, level, p.id)))
    : [h('option', { value: '' }, t('admin.people.scopeAll'))]));
  if ([...form.scopeId.options].some((o) => o.value === scope)) form.scopeId.value = scope;
  form.scopeId.disabled = !level;
}

export function bindPersonForm(form, getHier, onAdded) {
  form.role.addEventListener('change', () => fillPersonForm(form, getHier()));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { username: form.username.value.trim(), name: form.name.value.trim(), role: form.role.value,
      scopeId: form.scopeId.value || null, password: form.password.value || undefined }; // no password: set one later
    const ok = await submitWith(form, () => api('/api/people', { method: 'POST', body }), () => t('admin.people.added', body.username));
    if (!ok) return;
    for (const field of ['username', 'name', 'password']) form[field].value = '';
    onAdded();
  });
}

/** Administrators pick any login and need no current password; everyone else sees only their own login. */
export function fillPasswordForm(form, auth, isAdmin, people) {
  const chosen = form.username.value || auth.username;
  const names = isAdmin ? people.map((p) => p.username) : [auth.username];
  if (!names.includes(auth.username)) names.unshift(auth.username);
  form.username.replaceChildren(...names.map((u) => h('option', { value: u }, u)));
  form.username.value = names.includes(chosen) ? chosen : auth.username;
  form.username.disabled = !isAdmin;
  form.querySelector('[data-role="current"]').hidden = isAdmin;
  form.currentPassword.required = !isAdmin;
}

export function bindPasswordForm(form, isAdmin) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const username = form.username.value;
    const body = { newPassword: form.newPassword.value, currentPassword: isAdmin ? undefined : form.currentPassword.value };
    const ok = await submitWith(form, () => api(`/api/people/${encodeURIComponent(username)}/password`, { method: 'PUT', body }),
      () => t('admin.password.saved', username), isAdmin ? {} : { 403: 'apiError.403.password' });
    if (ok) { form.newPassword.value = ''; form.currentPassword.value = ''; }
  });
}
