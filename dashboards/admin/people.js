// 人员 People: the list (administrators everyone, with edit / deactivate / reactivate; community and street staff the
// people in their scope, read-only), the add-or-edit form, and the password form (administrators set anyone's; everyone
// else changes their own with the current one). API: GET/POST /api/people, PUT/DELETE /api/people/{username},
// POST /api/people/{username}/reactivate, PUT /api/people/{username}/password.
import { t, roleName, roles } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { submitWith, actWith } from '/shared/status.js';

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

/**
 * The people list. actions (administrators only): { self: the signed-in login, onEdit(p), onSetPassword(username),
 * onDeactivate(p, button), onReactivate(p, button) }; without it the list is read-only (community and street staff).
 */
export function renderPeople(tbody, people, hier, actions) {
  const button = (testid, key, onclick) => h('button', { type: 'button', class: 'btn-small', dataset: { testid }, onclick }, t(key));
  const row = (p) => h('tr', { dataset: { testid: 'person-row', username: p.username, active: String(p.active !== false) }, class: p.active === false ? 'inactive' : '' },
    h('td', {}, p.username), h('td', {}, p.name), h('td', {}, roleName(p.role)),
    h('td', {}, p.scopeId ? placeLabel(hier, SCOPE_LEVEL[p.role] ?? 'grid', p.scopeId) : '—'),
    h('td', { dataset: { role: 'person-phone' } }, p.phone ?? '—'),
    h('td', { dataset: { role: 'person-status' } }, t(p.active === false ? 'admin.people.inactive' : 'admin.people.active')),
    h('td', { class: 'row-actions' }, actions ? [
      button('person-edit', 'admin.people.edit', () => actions.onEdit(p)),
      button('person-set-password', 'admin.people.setPassword', () => actions.onSetPassword(p.username)),
      p.username === actions.self ? null : p.active === false
        ? button('person-reactivate', 'admin.people.reactivate', (e) => actions.onReactivate(p, e.target))
        : button('person-deactivate', 'admin.people.deactivate', (e) => actions.onDeactivate(p, e.target)),
    ] : []));
  tbody.replaceChildren(...(people.length ? people.map(row) : [h('tr', {}, h('td', { colspan: 7, class: 'empty' }, t('admin.people.empty')))]));
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

// The form adds a person, or (after "edit" on a row) changes one: the login name is fixed, no password is asked, and
// nobody changes their own role.
const relabel = (el, key, ...args) => { el.dataset.i18n = key; el.textContent = t(key, ...args); };

export function startEditPerson(form, hier, person, self) {
  form.dataset.editing = person.username;
  form.username.value = person.username;
  form.username.readOnly = true;
  form.name.value = person.name;
  form.phone.value = person.phone ?? '';
  form.role.value = person.role;
  fillPersonForm(form, hier);
  form.scopeId.value = person.scopeId ?? '';
  form.role.disabled = person.username === self;
  form.role.title = form.role.disabled ? t('admin.people.selfRole') : '';
  form.querySelector('[data-role="password"]').hidden = true;
  const title = form.querySelector('h2');
  title.removeAttribute('data-i18n');
  title.textContent = t('admin.people.editTitle', person.username);
  relabel(form.querySelector('button[type="submit"]'), 'admin.people.save');
  form.querySelector('[data-testid="person-cancel"]').hidden = false;
  form.name.focus();
}

export function stopEditPerson(form) {
  delete form.dataset.editing;
  form.username.readOnly = false;
  form.role.disabled = false;
  form.role.title = '';
  for (const field of ['username', 'name', 'phone', 'password']) form[field].value = '';
  form.querySelector('[data-role="password"]').hidden = false;
  relabel(form.querySelector('h2'), 'admin.people.add');
  relabel(form.querySelector('button[type="submit"]'), 'admin.people.submit');
  form.querySelector('[data-testid="person-cancel"]').hidden = true;
}

export function bindPersonForm(form, getHier, onChanged) {
  form.role.addEventListener('change', () => fillPersonForm(form, getHier()));
  form.querySelector('[data-testid="person-cancel"]').addEventListener('click', () => stopEditPerson(form));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const editing = form.dataset.editing;
    const body = { name: form.name.value.trim(), role: form.role.value, scopeId: form.scopeId.value || null, phone: form.phone.value.trim() || null };
    const ok = editing
      ? await submitWith(form, () => api(`/api/people/${encodeURIComponent(editing)}`, { method: 'PUT', body }), () => t('admin.people.saved', editing))
      : await submitWith(form, () => api('/api/people', { method: 'POST', body: { username: form.username.value.trim(), ...body,
        password: form.password.value || undefined } }), (p) => t('admin.people.added', p?.username ?? '')); // no password: set one later
    if (!ok) return;
    if (editing) stopEditPerson(form);
    else for (const field of ['username', 'name', 'phone', 'password']) form[field].value = '';
    onChanged();
  });
}

/** Deactivate (DELETE) or reactivate a person from their row; the answer goes to the list's status line. */
export async function setActive(person, active, button, status, onChanged) {
  const path = `/api/people/${encodeURIComponent(person.username)}`;
  const ok = active
    ? await actWith(button, status, () => api(`${path}/reactivate`, { method: 'POST' }), () => t('admin.people.reactivated', person.username))
    : await actWith(button, status, () => api(path, { method: 'DELETE' }),
      (r) => t('admin.people.deactivated', person.username)
        + (r?.redispatched ? t('admin.people.redispatched', r.redispatched) : '')
        + (r?.incidentsInHand ? t('admin.people.inHand', r.incidentsInHand) : ''));
  if (ok) onChanged();
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
