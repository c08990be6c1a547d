// 值班表 Rosters: pick a grid in scope, edit its daily shifts and save them all at once
// (GET/PUT /api/hierarchy/grids/{id}/roster; the PUT replaces the roster; start = end means all day).
import { t } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { placeLabel } from './people.js';
import { setStatus, clearStatus, submitWith, describeError } from './status.js';

/**
 * ctx: { getHier(), people() → the people list (administrators) or [], canEdit }.
 * Returns { refreshGrids() } for when the district changes and { refresh() } for when the people list or the language does.
 */
export function createRosterEditor(form, ctx) {
  const tbody = form.querySelector('tbody');
  const status = form.querySelector('[data-role="status"]');
  const datalist = form.querySelector('datalist');
  let loaded = []; // the grid's roster as the server last answered

  // Plain text "HH:mm" (the API's format) rather than <input type=time>, which shows 12-hour times in some locales.
  const timeInput = (name, value) => h('input', { name, value, required: true, pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', placeholder: '08:00',
    size: 5, inputmode: 'numeric', class: 'time', dataset: { testid: `roster-${name}` } });
  const nameOf = (personId) => ctx.people().find((p) => p.id === personId)?.name ?? '';
  const row = (shift) => {
    const who = h('span', { class: 'muted', dataset: { role: 'person-name' } }, nameOf(shift.personId));
    const person = h('input', { name: 'personId', list: 'roster-people', value: shift.personId, required: true, autocomplete: 'off',
      dataset: { testid: 'roster-person' }, oninput: () => { who.textContent = nameOf(person.value); } });
    return h('tr', { dataset: { testid: 'roster-row' } },
      h('td', {}, person, ' ', who),
      h('td', {}, timeInput('start', shift.start)),
      h('td', {}, timeInput('end', shift.end)),
      h('td', {}, ctx.canEdit ? h('button', { type: 'button', class: 'btn-small', dataset: { testid: 'roster-remove' },
        onclick: (e) => { e.target.closest('tr').remove(); showEmpty(); } }, t('admin.roster.remove')) : null));
  };
  const showEmpty = () => {
    if (!tbody.querySelector('[data-testid="roster-row"]')) tbody.replaceChildren(h('tr', { class: 'roster-empty' }, h('td', { colspan: 4, class: 'empty' }, t('admin.roster.empty'))));
  };
  // Candidates: the grid's workers when the people list is known (administrators), else whoever is on the roster now.
  const fillCandidates = () => {
    const gridId = form.gridId.value;
    const workers = ctx.people().filter((p) => p.role === 'grid_worker' && p.scopeId === gridId).map((p) => [p.id, p.name]);
    const candidates = workers.length ? workers : [...new Set(loaded.map((s) => s.personId))].map((id) => [id, '']);
    datalist.replaceChildren(...candidates.map(([id, name]) => h('option', { value: id }, name)));
  };
  const render = () => {
    tbody.replaceChildren(...loaded.map(row));
    showEmpty();
    form.querySelectorAll('input').forEach((i) => { i.disabled = !ctx.canEdit; });
    fillCandidates();
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
    tbody.querySelector('.roster-empty')?.remove();
    const taken = new Set([...tbody.querySelectorAll('[name="personId"]')].map((i) => i.value));
    const next = [...datalist.options].map((o) => o.value).find((id) => !taken.has(id)) ?? '';
    const tr = row({ personId: next, start: '08:00', end: '20:00' });
    tbody.append(tr);
    tr.querySelector('input').focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const gridId = form.gridId.value;
    const shifts = [...tbody.querySelectorAll('[data-testid="roster-row"]')].map((tr) => ({
      personId: tr.querySelector('[name="personId"]').value.trim(), start: tr.querySelector('[name="start"]').value, end: tr.querySelector('[name="end"]').value }));
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
      fillCandidates();
      tbody.querySelectorAll('[data-testid="roster-row"]').forEach((tr) => {
        tr.querySelector('[data-role="person-name"]').textContent = nameOf(tr.querySelector('[name="personId"]').value);
      });
      tbody.querySelectorAll('[data-testid="roster-remove"]').forEach((b) => { b.textContent = t('admin.roster.remove'); });
      tbody.querySelectorAll('.roster-empty td').forEach((td) => { td.textContent = t('admin.roster.empty'); });
    },
  };
}
