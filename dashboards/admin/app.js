// Administration page (管理): people, the district and the grids' duty rosters over the host's REST API.
// Administrators see and change everything; other logins see their own account and change their own password;
// operators and community or street staff also see the people in their scope (read-only), and community or street
// staff edit the rosters of the grids under them; everyone sees the devices in their scope, and operators and administrators
// register, retire and move them (the API enforces all of it).
import { applyI18n, toggleLang, onLangChange, t, roleKey, roleName } from '/shared/i18n.js';
import { api, maybeDemo, logout } from '/shared/api.js';
import { requireLogin, reloginOnUnauthorized } from '/shared/login.js';
import { createHierarchy, showError, h } from '/shared/incidents.js';
import { describeError } from '/shared/status.js';
import { renderPeople, fillPersonForm, bindPersonForm, startEditPerson, setActive, fillPasswordForm, bindPasswordForm, placeLabel, SCOPE_LEVEL } from './people.js';
import { renderTree, bindTree, fillPlaceForm, bindPlaceForm, startPlace } from './district.js';
import { createPlaceEditor } from './place-edit.js';
import { createRosterEditor } from './roster.js';
import { createDeviceManager } from './devices.js';

const $ = (sel) => document.querySelector(sel);
const VIEWS = ['people', 'district', 'rosters', 'devices'];
const state = { auth: null, isAdmin: false, canList: false, hier: createHierarchy(null), people: [] };
let roster = null;
let devices = null;

const demo = await maybeDemo();
applyI18n(document);
if (demo) document.body.append(h('div', { class: 'demo-banner' }, t('demo.banner')));
reloginOnUnauthorized();
$('[data-testid="lang-toggle"]').addEventListener('click', toggleLang);
$('[data-role="logout"]').addEventListener('click', () => { logout(); location.reload(); });
document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => show(tab.dataset.view)));
show(VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'people'); // /admin/#rosters opens that tab
requireLogin($('[data-role="login"]'), start, undefined, { demoLogin: demo && ['admin', 'admin123'] });

function show(view) {
  document.querySelectorAll('.tab').forEach((tab) => tab.setAttribute('aria-selected', String(tab.dataset.view === view)));
  document.querySelectorAll('section.view').forEach((s) => { s.hidden = s.dataset.view !== view; });
  history.replaceState(null, '', `#${view}`);
}

/** A failed load goes to the page's error banner in words that say what to do. */
const reportLoad = (err, what) => showError({ status: err.status, detail: describeError(err) }, what);

async function start(auth) {
  state.auth = auth;
  state.isAdmin = roleKey(auth.role) === 'admin';
  state.canList = roleKey(auth.role) !== 'grid_worker'; // GET /api/people answers 403 to grid workers
  document.querySelectorAll('[data-role="admin-only"]').forEach((el) => { el.hidden = !state.isAdmin; });
  document.querySelectorAll('[data-role="self-only"]').forEach((el) => { el.hidden = state.isAdmin; });
  $('[data-role="people-card"]').hidden = !state.canList;
  $('[data-role="scoped-note"]').hidden = state.isAdmin;
  $('[data-testid="add-street"]').hidden = !state.isAdmin;
  $('[data-testid="add-street"]').addEventListener('click', () => startPlace($('[data-testid="place-form"]'), state.hier, 'street'));

  const personForm = $('[data-testid="person-form"]');
  const placeForm = $('[data-testid="place-form"]');
  const passwordForm = $('[data-testid="password-form"]');
  bindPersonForm(personForm, () => state.hier, loadPeople);
  bindPlaceForm(placeForm, () => state.hier, loadHierarchy);
  const treeStatus = $('[data-testid="tree-status"]');
  bindTree(createPlaceEditor($('[data-testid="edit-form"]'), treeStatus, () => state.hier, loadHierarchy), treeStatus, loadHierarchy);
  bindPasswordForm(passwordForm, state.isAdmin);
  roster = createRosterEditor($('[data-testid="roster-form"]'), { getHier: () => state.hier, people: () => state.people,
    canEdit: ['admin', 'community_staff', 'street_staff'].includes(roleKey(auth.role)) });
  // POST, PUT and DELETE /api/devices need the ops policy: operators and administrators.
  // ?refresh=SECONDS: how often the devices tab reads its page again (30 s by default).
  // ?kind=…&status=…&gridId=… (the ops centre's device rows link to /admin/?kind=K&status=offline#devices): the list's first filter.
  const params = new URLSearchParams(location.search);
  const refreshS = Number(params.get('refresh'));
  devices = createDeviceManager($('section[data-view="devices"]'), { getHier: () => state.hier,
    canChange: ['operator', 'admin'].includes(roleKey(auth.role)), refreshMs: refreshS > 0 ? refreshS * 1000 : undefined,
    filter: { gridId: params.get('gridId'), kind: params.get('kind'), status: params.get('status') } });
  onLangChange(render);

  await Promise.all([loadHierarchy(), state.canList ? loadPeople() : null, devices.load()]);
}

async function loadHierarchy() {
  try {
    state.hier = createHierarchy(await api('/api/hierarchy'));
  } catch (err) {
    reportLoad(err, '/api/hierarchy');
  }
  render();
  roster.refreshGrids();
}

async function loadPeople() {
  try {
    state.people = (await api('/api/people')) ?? [];
  } catch (err) {
    reportLoad(err, '/api/people');
  }
  render();
}

function render() {
  const { auth, isAdmin, hier, people } = state;
  $('[data-role="user"]').textContent = `${auth.name ?? auth.username} · ${roleName(auth.role)}`;
  const peopleStatus = $('[data-testid="people-status"]');
  renderPeople($('[data-testid="people-list"] tbody'), people, hier, isAdmin ? {
    self: auth.username,
    onEdit: (p) => startEditPerson($('[data-testid="person-form"]'), hier, p, auth.username),
    onSetPassword: (username) => {
      const form = $('[data-testid="password-form"]');
      form.username.value = username;
      form.newPassword.focus();
    },
    onDeactivate: (p, button) => setActive(p, false, button, peopleStatus, loadPeople),
    onReactivate: (p, button) => setActive(p, true, button, peopleStatus, loadPeople),
  } : undefined);
  if (isAdmin) {
    fillPersonForm($('[data-testid="person-form"]'), hier);
    fillPlaceForm($('[data-testid="place-form"]'), hier);
  } else {
    const role = roleKey(auth.role);
    $('[data-role="me"]').replaceChildren(...[['admin.people.username', auth.username], ['admin.people.name', auth.name],
      ['admin.people.role', roleName(role)], ['admin.people.scope', auth.scopeId ? placeLabel(hier, SCOPE_LEVEL[role] ?? 'grid', auth.scopeId) : '—']]
      .flatMap(([key, value]) => [h('dt', {}, t(key)), h('dd', {}, value ?? '')]));
  }
  fillPasswordForm($('[data-testid="password-form"]'), auth, isAdmin, people);
  renderTree($('[data-testid="district-tree"]'), hier.raw, { canEdit: isAdmin, onAdd: (level, parentId) => startPlace($('[data-testid="place-form"]'), hier, level, parentId) });
  roster.refresh();
  devices.refresh();
}
