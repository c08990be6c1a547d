// 辖区 District: the tree street → community → grid → building from GET /api/hierarchy (the caller's scope); for
// administrators "add below", edit (place-edit.js: name, parent, a building's floors and point, a grid's polygon) and
// delete on each node (DELETE /api/hierarchy/{level}/{id}; the host refuses to delete a place that still holds places,
// devices, people or incidents) and the "add a place" form (POST).
import { t, levelName } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { submitWith, actWith } from '/shared/status.js';

const LEVELS = ['street', 'community', 'grid', 'building'];
const PLURAL = { street: 'streets', community: 'communities', grid: 'grids', building: 'buildings' };
const CHILD = { street: 'community', community: 'grid', grid: 'building' };
const PARENT = { community: 'street', grid: 'community', building: 'grid' };
const PARENT_KEY = { community: 'streetId', grid: 'communityId', building: 'gridId' };
// Nodes the user opened or closed, kept across re-renders (reload after an add, language toggle); streets and
// communities start open, grids closed.
const expanded = new Map();

/**
 * Renders the tree: <li data-testid="tree-node" data-level data-id> with the children in a nested <ul>. The top level
 * is whatever the scope's highest places are (a grid worker's tree starts at their grid).
 */
export function renderTree(ul, raw, { canEdit, onAdd }) {
  const children = (level, parentId) => raw[PLURAL[level]].filter((p) => p[PARENT_KEY[level]] === parentId);
  const node = (level, place) => {
    const kids = CHILD[level] ? children(CHILD[level], place.id) : [];
    const label = h('span', { class: 'node-label' }, h('span', { class: `level level-${level}` }, levelName(level)), ' ', place.name,
      h('span', { class: 'muted' }, ` ${place.id}`), level === 'building' && place.floors ? h('span', { class: 'muted' }, ` · ${place.floors}F`) : null);
    const button = (testid, text, onclick) => h('button', { type: 'button', class: 'btn-small', dataset: { testid },
      onclick: (e) => { e.preventDefault(); onclick(e.target); } }, text);
    const actions = canEdit ? [
      CHILD[level] ? button('tree-add', `+ ${t('admin.district.addChild')}`, () => onAdd(CHILD[level], place.id)) : null,
      button('tree-edit', t('admin.place.edit'), () => treeActions.edit(level, place)),
      button('tree-delete', t('admin.place.delete'), (b) => treeActions.remove(level, place, b)),
    ] : null;
    const li = h('li', { dataset: { testid: 'tree-node', level, id: place.id } });
    if (!kids.length) li.append(h('div', { class: 'node-leaf' }, label, actions));
    else li.append(h('details', { open: expanded.get(place.id) ?? level !== 'grid',
      ontoggle: (e) => expanded.set(place.id, e.target.open) }, h('summary', {}, label, actions),
      h('ul', {}, kids.map((k) => node(CHILD[level], k)))));
    return li;
  };
  // Roots: places whose parent is not in this (scoped) map.
  const known = (level, id) => raw[PLURAL[level]].some((p) => p.id === id);
  const roots = LEVELS.flatMap((level) => raw[PLURAL[level]]
    .filter((p) => !PARENT[level] || !known(PARENT[level], p[PARENT_KEY[level]])).map((p) => node(level, p)));
  ul.replaceChildren(...(roots.length ? roots : [h('li', { class: 'empty' }, t('admin.district.empty'))]));
}

// What the edit and delete buttons do; set by bindTree (the page wires the edit form, the status line and the reload).
let treeActions = { edit() {}, remove() {} };

/**
 * Edit: opens the edit form (createPlaceEditor) for the place. Delete: the first click asks "really delete?", the second
 * one deletes; a place that is not empty is refused with what is still in it.
 */
export function bindTree(openEditor, status, onChanged) {
  treeActions = {
    edit: openEditor,
    async remove(level, place, button) {
      if (!button.dataset.confirm) {
        button.dataset.confirm = '1';
        button.textContent = t('admin.place.confirmDelete');
        return;
      }
      const ok = await actWith(button, status, () => api(`/api/hierarchy/${PLURAL[level]}/${encodeURIComponent(place.id)}`, { method: 'DELETE' }),
        () => t('admin.place.deleted', `${place.name} (${place.id})`), { 409: 'admin.place.notEmpty' });
      if (ok) onChanged();
      else { delete button.dataset.confirm; button.textContent = t('admin.place.delete'); }
    },
  };
}

/** Level options, and the parent options of the chosen level; only buildings ask for floors and coordinates. */
export function fillPlaceForm(form, hier) {
  const level = form.level.value || 'community';
  form.level.replaceChildren(...LEVELS.map((l) => h('option', { value: l }, levelName(l))));
  form.level.value = level;
  const parentLevel = PARENT[level];
  const parent = form.parentId.value;
  form.parentId.replaceChildren(...(parentLevel ? hier.raw[PLURAL[parentLevel]].map((p) => h('option', { value: p.id }, `${p.name} (${p.id})`)) : []));
  if ([...form.parentId.options].some((o) => o.value === parent)) form.parentId.value = parent;
  form.querySelector('[data-role="parent"]').hidden = !parentLevel;
  const building = level === 'building';
  form.querySelector('[data-role="building-only"]').hidden = !building;
  for (const f of ['floors', 'lon', 'lat']) form[f].required = building;
}

/** Prefills the form for "add below" on a tree node. */
export function startPlace(form, hier, level, parentId) {
  form.level.value = level;
  fillPlaceForm(form, hier);
  if (parentId) form.parentId.value = parentId;
  form.id.focus();
}

export function bindPlaceForm(form, getHier, onAdded) {
  form.level.addEventListener('change', () => fillPlaceForm(form, getHier()));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const level = form.level.value;
    const body = { id: form.id.value.trim(), name: form.name.value.trim(), parentId: PARENT[level] ? form.parentId.value : undefined };
    if (level === 'building') Object.assign(body, { floors: Number(form.floors.value), lon: Number(form.lon.value), lat: Number(form.lat.value) });
    const ok = await submitWith(form, () => api(`/api/hierarchy/${PLURAL[level]}`, { method: 'POST', body }), () => t('admin.place.added', body.name));
    if (!ok) return;
    if (body.parentId) expanded.set(body.parentId, true); // show the new place where it went
    for (const f of ['id', 'name', 'floors', 'lon', 'lat']) form[f].value = '';
    onAdded();
  });
}
