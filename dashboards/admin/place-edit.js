// 网格调整: the district tree's edit form (PUT /api/hierarchy/{level}/{id}). Name; parent (a place of the level above, by its
// full label), which moves the place with everything under it (the host moves its devices along; people keep their area;
// open incidents stay where they were raised); a building's floors and coordinates; a grid's polygon, one "lon, lat" per line.
// Only what changed is sent (the host keeps a field left out).
import { t, levelName } from '/shared/i18n.js';
import { api } from '/shared/api.js';
import { h } from '/shared/incidents.js';
import { actWith, setStatus } from '/shared/status.js';

const PLURAL = { street: 'streets', community: 'communities', grid: 'grids', building: 'buildings' };
const PARENT = { community: 'street', grid: 'community', building: 'grid' };
const PARENT_KEY = { community: 'streetId', grid: 'communityId', building: 'gridId' };

/** "望江街道 › 梧桐社区 › 梧桐第1网格 (g1)": a place with the places above it. */
export function fullLabel(raw, level, id) {
  const names = [];
  for (let l = level, key = id; l && key; key = raw[PLURAL[l]].find((p) => p.id === key)?.[PARENT_KEY[l]], l = PARENT[l])
    names.unshift(raw[PLURAL[l]].find((p) => p.id === key)?.name ?? key);
  return `${names.join(' › ')} (${id})`;
}

const polygonText = (polygon) => (polygon ?? []).map(([lon, lat]) => `${lon}, ${lat}`).join('\n');

/** The textarea's lines as [[lon, lat], …]; null when a line is not two numbers. */
function parsePolygon(text) {
  const points = text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.split(/[\s,，]+/).map(Number));
  return points.every((p) => p.length === 2 && p.every(Number.isFinite)) ? points : null;
}

/** Binds the form; returns open(level, place), which fills it for that place. onChanged reloads the hierarchy. */
export function createPlaceEditor(form, status, getHier, onChanged) {
  let target = null;
  const close = () => { form.hidden = true; target = null; };
  form.querySelector('[data-testid="edit-cancel"]').addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { level, place } = target;
    const body = { name: form.name.value.trim() };
    if (PARENT[level] && form.parentId.value !== place[PARENT_KEY[level]]) body.parentId = form.parentId.value;
    if (level === 'building') {
      for (const f of ['floors', 'lon', 'lat']) if (form[f].value !== '' && Number(form[f].value) !== place[f]) body[f] = Number(form[f].value);
    }
    if (level === 'grid' && form.polygon.value.trim() !== polygonText(place.polygon)) {
      const polygon = parsePolygon(form.polygon.value);
      if (!polygon) { setStatus(status, 'error', () => t('admin.place.badPolygon')); return; }
      body.polygon = polygon;
    }
    const ok = await actWith(form.querySelector('button[type="submit"]'), status,
      () => api(`/api/hierarchy/${PLURAL[level]}/${encodeURIComponent(place.id)}`, { method: 'PUT', body }),
      (r) => r?.devicesMoved ? t('admin.place.savedMoved', r.name, r.devicesMoved) : t('admin.place.saved', r?.name ?? body.name));
    if (ok) { close(); onChanged(); }
  });
  return function open(level, place) {
    const raw = getHier().raw;
    target = { level, place };
    form.querySelector('[data-role="edit-what"]').textContent = `${levelName(level)} ${place.id}`;
    form.name.value = place.name;
    const parentLevel = PARENT[level];
    form.querySelector('[data-role="edit-parent"]').hidden = !parentLevel;
    form.parentId.replaceChildren(...(parentLevel ? raw[PLURAL[parentLevel]].map((p) => h('option', { value: p.id }, fullLabel(raw, parentLevel, p.id))) : []));
    if (parentLevel) form.parentId.value = place[PARENT_KEY[level]];
    form.querySelector('[data-role="edit-building"]').hidden = level !== 'building';
    for (const f of ['floors', 'lon', 'lat']) form[f].value = place[f] ?? '';
    form.querySelector('[data-role="edit-grid"]').hidden = level !== 'grid';
    form.polygon.value = polygonText(place.polygon);
    form.querySelector('[data-role="edit-note"]').hidden = !parentLevel;
    form.hidden = false;
    form.name.focus();
  };
}
