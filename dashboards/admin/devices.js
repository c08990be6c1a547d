// 设备 Devices: the devices in the caller's scope (GET /api/devices, filtered by grid, kind and status, a page at a time)
// and, for operators and administrators (the API's ops policy), registering one (POST: the answer carries the device's
// own MQTT login, shown here once), retiring one (DELETE, after a confirmation), moving one to another building (PUT) and
// putting one under maintenance or ending it (PUT / DELETE …/maintenance).
import { t, deviceKindName } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h, formatTime, underMaintenance } from '/shared/incidents.js';
import { submitWith, actWith, setStatus, clearStatus } from '/shared/status.js';

export const DEVICE_KINDS = ['fire', 'manhole', 'camera', 'charger'];
/** Rows per page; the answer's total says whether there is a next one. */
export const PAGE_SIZE = 50;
/** How often the page shown is read again while the tab is open, so online and offline follow the devices. */
export const REFRESH_MS = 30_000;

/** "梧桐社区 · 梧桐第1网格 · 1区2栋 (g1-b2)": a building (of a device, or of the hierarchy) with the places above it. */
const buildingLabel = (hier, place) => `${hier.place(place)} (${place.buildingId})`;

/** The buildings in scope as options, labelled like the district tree's parents. */
function buildingOptions(hier) {
  return hier.raw.buildings.map((b) => {
    const grid = hier.raw.grids.find((g) => g.id === b.gridId);
    return h('option', { value: b.id }, buildingLabel(hier, { communityId: grid?.communityId, gridId: b.gridId, buildingId: b.id }));
  });
}

const STATUSES = ['online', 'offline', 'retired', 'maintenance'];
const statusKey = (d) => (d.retired ? 'retired' : d.online ? 'online' : 'offline');

/**
 * The tab's list, register form and credentials box inside section; getHier() is the current hierarchy; canChange
 * says whether the signed-in role may register, retire, move and maintain (otherwise the list is read-only). While the
 * tab is open the page is read again every refreshMs, except while a move, a retirement or a maintenance is being
 * chosen on a row.
 * filter ({gridId, kind, status}, e.g. from /admin/?kind=manhole&status=offline#devices) is what the list shows first.
 */
export function createDeviceManager(section, { getHier, canChange, refreshMs = REFRESH_MS, filter = {} }) {
  const $ = (testid) => section.querySelector(`[data-testid="${testid}"]`);
  const form = $('device-form');
  const listStatus = $('devices-status');
  const state = { items: [], total: 0, offset: 0, loaded: false, loading: false, credentials: null, moving: null, retiring: null, maintaining: null };

  section.querySelector('[data-role="devices-readonly"]').hidden = canChange;
  form.hidden = !canChange;
  const filters = { gridId: $('device-filter-grid'), kind: $('device-filter-kind'), status: $('device-filter-status') };
  fillChoices();
  // The grid list waits for the hierarchy: a grid asked for holds its place (as its id) until then.
  for (const [name, value] of Object.entries(filter)) {
    if (!value || !filters[name]) continue;
    if (![...filters[name].options].some((o) => o.value === value)) filters[name].append(h('option', { value }, value));
    filters[name].value = value;
  }
  for (const select of Object.values(filters)) select.addEventListener('change', () => { state.offset = 0; load(); });
  $('device-prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); load(); });
  $('device-next').addEventListener('click', () => { state.offset += PAGE_SIZE; load(); });
  $('device-copy').addEventListener('click', copyCredentials);
  $('device-credentials-close').addEventListener('click', () => { state.credentials = null; renderCredentials(); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { id: form.id.value.trim(), kind: form.kind.value, buildingId: form.buildingId.value };
    const [lon, lat] = [form.lon.value.trim(), form.lat.value.trim()];
    if (!lon !== !lat) {
      setStatus(form.querySelector('[data-role="status"]'), 'error', () => t('admin.devices.lonLatTogether'));
      return;
    }
    if (lon) Object.assign(body, { lon: Number(lon), lat: Number(lat) });
    // A new registration replaces the credentials of the previous one: each login is shown once.
    state.credentials = null;
    renderCredentials();
    let registered = null;
    const ok = await submitWith(form, async () => { registered = await api('/api/devices', { method: 'POST', body }); return registered; },
      (r) => t('admin.devices.registered', r.device.id));
    if (!ok) return;
    state.credentials = registered.mqtt;
    renderCredentials();
    for (const f of ['id', 'lon', 'lat']) form[f].value = '';
    load();
  });

  setInterval(() => {
    if (!section.hidden && !document.hidden && !state.loading && !state.moving && !state.retiring && !state.maintaining) load({ quiet: true });
  }, refreshMs);

  /** Reads the page; quiet (the periodic refresh) keeps the rows and any status line shown if the read fails. */
  async function load({ quiet = false } = {}) {
    const chosen = Object.entries(filters).map(([name, select]) => [name, select.value]).filter(([, v]) => v);
    const query = new URLSearchParams({ ...Object.fromEntries(chosen), offset: state.offset, limit: PAGE_SIZE });
    state.loading = true;
    try {
      const page = await api(`/api/devices?${query}`);
      Object.assign(state, { items: page?.items ?? [], total: page?.total ?? 0, loaded: true, moving: null, retiring: null, maintaining: null });
      if (!quiet) clearStatus(listStatus);
    } catch (err) {
      if (!quiet) Object.assign(state, { items: [], total: 0 });
      setStatus(listStatus, 'error', () => t('admin.devices.loadFailed', err.status ?? '?'));
    } finally {
      state.loading = false;
    }
    renderList();
  }

  /** A row's action answered with the device as it now is: the row shows it (its new building and grid, or retired). */
  const replace = (device) => {
    state.items = state.items.map((d) => (d.id === device.id ? device : d));
    Object.assign(state, { moving: null, maintaining: null });
    renderList();
  };

  /** 维护/测试: while a device is under maintenance its alarms dispatch nobody (a detector tested with spray, a gauge re-mounted). */
  async function maintain(d, minutes, note, button) {
    let answered = null;
    const ok = await actWith(button, listStatus, async () => {
      answered = await api(`/api/devices/${encodeURIComponent(d.id)}/maintenance`, minutes ? { method: 'PUT', body: { minutes, note } } : { method: 'DELETE' });
      return answered;
    }, (m) => (minutes ? t('admin.devices.maintainStarted', m.id, formatTime(m.maintenanceUntil)) : t('admin.devices.maintainEnded', m.id)));
    if (ok) replace(answered);
  }

  /** The first click asks for a confirmation (kept across redraws: a language switch, another row's action); the second retires. */
  async function retire(d, button) {
    if (state.retiring !== d.id) {
      Object.assign(state, { retiring: d.id, moving: null, maintaining: null });
      setStatus(listStatus, 'busy', () => t('admin.devices.retireWarning', d.id));
      renderList();
      return;
    }
    let retired = null;
    const ok = await actWith(button, listStatus, async () => { retired = await api(`/api/devices/${encodeURIComponent(d.id)}`, { method: 'DELETE' }); return retired; },
      () => t('admin.devices.retiredDone', d.id));
    state.retiring = null;
    if (ok) replace(retired);
    else renderList();
  }

  async function move(d, select, button) {
    let moved = null;
    const ok = await actWith(button, listStatus,
      async () => { moved = await api(`/api/devices/${encodeURIComponent(d.id)}`, { method: 'PUT', body: { buildingId: select.value } }); return moved; },
      (m) => t('admin.devices.moved', m.id, buildingLabel(getHier(), m)));
    if (ok) replace(moved);
  }

  function row(d) {
    const hier = getHier();
    const button = (testid, key, onclick) => h('button', { type: 'button', class: 'btn-small', dataset: { testid }, onclick: (e) => onclick(e.target) }, t(key));
    let actions = [];
    const maintained = underMaintenance(d);
    if (canChange && !d.retired && state.maintaining === d.id) {
      const minutes = h('select', { dataset: { testid: 'device-maintain-minutes' }, 'aria-label': t('admin.devices.maintainFor') },
        ...[30, 120, 480, 1440].map((m) => h('option', { value: String(m) }, m < 60 ? t('admin.devices.minutes', m) : t('admin.devices.hours', m / 60))));
      minutes.value = '120';
      const note = h('input', { type: 'text', maxlength: '200', placeholder: t('admin.devices.maintainNote'), dataset: { testid: 'device-maintain-note' } });
      actions = [minutes, note, button('device-maintain-start', 'admin.devices.maintainStart', (b) => maintain(d, Number(minutes.value), note.value.trim() || null, b)),
        button('device-maintain-cancel', 'admin.people.cancel', () => { state.maintaining = null; renderList(); })];
    } else if (canChange && !d.retired && state.moving === d.id) {
      const select = h('select', { dataset: { testid: 'device-move-building' } }, buildingOptions(hier));
      select.value = d.buildingId;
      actions = [select, button('device-move-save', 'admin.devices.moveSave', (b) => move(d, select, b)),
        button('device-move-cancel', 'admin.people.cancel', () => { state.moving = null; renderList(); })];
    } else if (canChange && !d.retired) {
      actions = [button('device-move', 'admin.devices.move', () => { Object.assign(state, { moving: d.id, retiring: null, maintaining: null }); renderList(); }),
        maintained ? button('device-maintain-end', 'admin.devices.maintainEnd', (b) => maintain(d, null, null, b))
          : button('device-maintain', 'admin.devices.maintain', () => { Object.assign(state, { maintaining: d.id, moving: null, retiring: null }); renderList(); }),
        button('device-retire', state.retiring === d.id ? 'admin.devices.confirmRetire' : 'admin.devices.retire', (b) => retire(d, b))];
    }
    const status = statusKey(d);
    return h('tr', { dataset: { testid: 'device-row', id: d.id, status, gridId: d.gridId }, class: d.retired ? 'inactive' : '' },
      h('td', {}, d.id), h('td', {}, deviceKindName(d.kind)),
      h('td', { dataset: { role: 'device-place' } }, buildingLabel(hier, d)),
      h('td', { dataset: { role: 'device-status' }, class: `device-${status}`, title: d.lastSeenAt ? `${t('admin.devices.lastSeen')} ${formatTime(d.lastSeenAt)}` : '' },
        t(`admin.devices.${status}`),
        maintained ? h('span', { class: 'badge-maintenance', dataset: { role: 'device-maintenance' }, title: d.maintenanceNote ?? '' },
          t('admin.devices.underMaintenance', formatTime(d.maintenanceUntil))) : null),
      h('td', { class: 'row-actions' }, actions));
  }

  function renderList() {
    const tbody = $('device-list').querySelector('tbody');
    const empty = state.loaded ? t('admin.devices.empty') : t('admin.devices.loading');
    tbody.replaceChildren(...(state.items.length ? state.items.map(row) : [h('tr', {}, h('td', { colspan: 5, class: 'empty' }, empty))]));
    $('device-prev').disabled = state.offset === 0;
    $('device-next').disabled = state.offset + state.items.length >= state.total;
    $('device-page').textContent = state.items.length
      ? t('admin.devices.range', state.offset + 1, state.offset + state.items.length, state.total) : '';
  }

  function renderCredentials() {
    const box = $('device-credentials');
    const c = state.credentials;
    box.hidden = !c;
    if (!c) { box.querySelector('dl').replaceChildren(); return; }
    box.querySelector('dl').replaceChildren(...[['username', c.username], ['password', c.password], ['telemetryTopic', c.telemetryTopic],
      ['eventTopic', c.eventTopic], ['statusTopic', c.statusTopic], ['commandTopic', c.commandTopic]]
      .flatMap(([key, value]) => [h('dt', {}, t(`admin.devices.cred.${key}`)), h('dd', { dataset: { role: `cred-${key}` } }, h('code', {}, value))]));
  }

  /** The login as text an installer pastes into the device's configuration. */
  async function copyCredentials() {
    const c = state.credentials;
    if (!c) return;
    const text = [`username=${c.username}`, `password=${c.password}`, `telemetry=${c.telemetryTopic}`, `event=${c.eventTopic}`,
      `status=${c.statusTopic}`, `command=${c.commandTopic}`].join('\n');
    const status = $('device-copy-status');
    try {
      await navigator.clipboard.writeText(text);
      setStatus(status, 'ok', () => t('admin.devices.copied'));
    } catch {
      setStatus(status, 'error', () => t('admin.devices.copyFailed'));
    }
  }

  /** Filters and the register form follow the hierarchy; the list re-renders (language, renamed places). */
  function refresh() {
    const hier = getHier();
    const grid = filters.gridId;
    const saved = [[grid, grid.value], [form.kind, form.kind.value], [form.buildingId, form.buildingId.value]];
    grid.replaceChildren(h('option', { value: '' }, t('admin.devices.allGrids')),
      ...hier.raw.grids.map((g) => h('option', { value: g.id }, `${hier.name('community', g.communityId)} · ${g.name} (${g.id})`)));
    fillChoices();
    form.kind.replaceChildren(...DEVICE_KINDS.map((k) => h('option', { value: k }, deviceKindName(k))));
    form.buildingId.replaceChildren(...buildingOptions(hier));
    for (const [select, value] of saved) if ([...select.options].some((o) => o.value === value)) select.value = value;
    renderList();
    renderCredentials();
  }

  /** The kind and status filters' options in the current language, keeping what is chosen. */
  function fillChoices() {
    for (const [select, all, values, name] of [[filters.kind, 'admin.devices.allKinds', DEVICE_KINDS, deviceKindName],
      [filters.status, 'admin.devices.allStatuses', STATUSES, (s) => t(`admin.devices.${s}`)]]) {
      const chosen = select.value;
      select.replaceChildren(h('option', { value: '' }, t(all)), ...values.map((v) => h('option', { value: v }, name(v))));
      if (values.includes(chosen)) select.value = chosen;
    }
  }

  return { load, refresh };
}
