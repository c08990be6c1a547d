// 值班表 Rosters: pick a grid in scope, edit its daily shifts (each one's worker picked from the grid's active workers)
// and save them all at once
// (GET/PUT /api/hierarchy/grids/{id}/roster; the PUT replaces the roster; start = end means all day).
import { t } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { placeLabel } from './people.js';
import { setStatus, clearStatus, submitWith, describeError } from '/shared/status.js';

/**
 * ctx: { getHier(), people() → the people list (administrators: everyone; community and street staff: their scope) or
 * [], canEdit }. Returns { refreshGrids() } for when the district changes and { refresh() } for when the people list or
 * the language does.
 */
export function createRosterEditor(form, ctx) {
  const tbody = form.querySelector('tbody');
  const status = form.querySelector('[data-role="status"]');
  let loaded = []; // the grid's roster as the server last answered

  // Plain text "HH:mm" (the API's format) rather than <input type=time>, which shows 12-hour times in some locales.
  const timeInput = (name, value) => h('input', { name, value, required: true, pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', placeholder: '08:00',
    size: 5, inputmode: 'numeric', class: 'time', dataset: { testid: `roster-${name}` } });
  // Who can be on duty: the grid's active workers from the people list; when the list is not known (a grid worker
  // looking), whoever is on the roster now.
  const candidates = () => {
    const gridId = form.gridId.value;
    const workers = ctx.people().filter((p) => p.role === 'grid_worker' && p.scopeId === gridId && p.active !== false);
    return workers.length || ctx.people().length ? workers.map((p) => [p.id, `${p.name} (${p.id})`])
      : [...new Set(loaded.map((s) => s.personId))].map((id) => [id, id]);
  };
  /** The select's options are the candidates, plus the current value if it is not one of them (shown as its id). */
  const fillPicker = (select, value) => {
    const options = candidates();
    if (value && !options.some(([id]) => id === value)) options.push([value, value]);
    select.replaceChildren(...options.map(([id, label]) => h('option', { value: id }, label)));
    select.value = value;
  };
  const row = (shift) => {
    const person = h('select', { name: 'personId', required: true, dataset: { testid: 'roster-person' } });
    fillPicker(person, shift.personId);
    return h('tr', { dataset: { testid: 'roster-row' } },
      h('td', {}, person),
      h('td', {}, timeInput('start', shift.start)),
      h('td', {}, timeInput('end', shift.end)),
      h('td', {}, ctx.canEdit ? h('button', { type: 'button', class: 'btn-small', dataset: { testid: 'roster-remove' },
        onclick: (e) => { e.target.closest('tr').remove(); showEmpty(); } }, t('admin.roster.remove')) : null));
  };
  const showEmpty = () => {
    if (!tbody.querySelector('[data-testid="roster-row"]')) tbody.replaceChildren(h('tr', { class: 'roster-empty' }, h('td', { colspan: 4, class: 'empty' }, t('admin.roster.empty'))));
  };
  const render = () => {
    tbody.replaceChildren(...loaded.map(row));
    showEmpty();
    form.querySelectorAll('input, select[name="personId"]').forEach((i) => { i.disabled = !ctx.canEdit; });
  };

  async function load() {
    const gridId = form.gridId.value;
    if (!gridId) { loaded = []; render(); return; }
    clearStatus(status);
    try {
      loaded = (await api(`/api/hierarchy/grids/${encodeURIComponent(gridId)}/roster`)) ?? [];
    } catch (err) {
      loaded = [];
      setStatus(status, 'error', () => describeError(err));
    }
    if (form.gridId.value === gridId) render(); // a slow answer for a grid no longer chosen is dropped
  }

  form.gridId.addEventListener('change', load);
  form.querySelector('[data-testid="roster-add"]').addEventListener('click', () => {
    const taken = new Set([...tbody.querySelectorAll('[name="personId"]')].map((i) => i.value));
    const next = candidates().map(([id]) => id).find((id) => !taken.has(id)) ?? candidates()[0]?.[0];
    if (!next) { setStatus(status, 'error', () => t('admin.roster.noWorkers')); return; }
    tbody.querySelector('.roster-empty')?.remove();
    const tr = row({ personId: next, start: '08:00', end: '20:00' });
    tbody.append(tr);
    tr.querySelector('select').focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const gridId = form.gridId.value;
    const shifts = [...tbody.querySelectorAll('[data-testid="roster-row"]')].map((tr) => ({
      personId: tr.querySelector('[name="personId"]').value, start: tr.querySelector('[name="start"]').value, end: tr.querySelector('[name="end"]').value }));
    const ok = await submitWith(form, () => api(`/api/hierarchy/grids/${encodeURIComponent(gridId)}/roster`, { method: 'PUT', body: { shifts } }),
      () => t('admin.roster.saved'));
    if (!ok) return;
    await load(); // show what the server now holds
    if (status.dataset.status !== 'error') setStatus(status, 'ok', () => t('admin.roster.saved'));
  });

  form.querySelector('[data-testid="roster-add"]').hidden = !ctx.canEdit;
  form.querySelector('[data-testid="roster-save"]').hidden = !ctx.canEdit;
  if (!ctx.canEdit) {
    const note = form.querySelector('[data-role="roster-note"]');
    note.dataset.i18n = 'admin.roster.readOnly';
    note.textContent = t('admin.roster.readOnly');
  }

  return {
    refreshGrids() {
      const hier = ctx.getHier();
      const chosen = form.gridId.value;
      const grids = hier.raw.grids;
      form.gridId.replaceChildren(...(grids.length ? grids.map((g) => h('option', { value: g.id }, placeLabel(hier, 'grid', g.id)))
        : [h('option', { value: '' }, t('admin.roster.noGrids'))]));
      if (grids.some((g) => g.id === chosen)) form.gridId.value = chosen;
      if (form.gridId.value !== chosen) load();
    },
    /** After the people list or the language changed: candidates, names and labels, keeping unsaved edits. */
    refresh() {
      tbody.querySelectorAll('[name="personId"]').forEach((select) => fillPicker(select, select.value));
      tbody.querySelectorAll('[data-testid="roster-remove"]').forEach((b) => { b.textContent = t('admin.roster.remove'); });
      tbody.querySelectorAll('.roster-empty td').forEach((td) => { td.textContent = t('admin.roster.empty'); });
    },
  };
}
