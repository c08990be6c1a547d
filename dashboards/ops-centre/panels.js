// KPI tiles, the street → community → grid tile view, and device status by kind.
import { t, kindName, severityName, getLang } from '/shared/i18n.js';
import { h, percent, formatDuration, severityRank, underMaintenance } from '/shared/incidents.js';

const setKpi = (testid, text) => {
  const el = document.querySelector(`[data-testid="${testid}"] [data-role="value"]`);
  if (el.textContent !== String(text)) el.textContent = text;
};

/** Open and P1 counts come from the live incident set; rates and means from GET /api/kpis / the `kpis` message. */
export function renderKpis(open, kpis) {
  const p1 = open.filter((i) => i.severity === 'P1').length;
  setKpi('kpi-open', open.length);
  setKpi('kpi-p1', p1);
  document.querySelector('[data-testid="kpi-p1"]').dataset.hot = String(p1 > 0);
  // GET /api/kpis answers for the caller's own scope (the whole district for operators).
  setKpi('kpi-on-time', percent(kpis?.onTimeClosureRate));
  setKpi('kpi-verified', percent(kpis?.verifiedOnTimeRate));
  setKpi('kpi-in-grid', percent(kpis?.inGridResolutionRate));
  setKpi('kpi-mtta', formatDuration(kpis?.meanMinutesToAccept == null ? null : kpis.meanMinutesToAccept * 60));
  setKpi('kpi-satisfaction', kpis?.meanSatisfaction == null ? '—' : `${kpis.meanSatisfaction.toFixed(1)} / 5`);
}

/** Street → communities → grids; each grid tile takes the colour of its worst open severity and shows its count. */
export function renderHierarchy(root, hier, open, selected, onSelect) {
  const { streets, communities, grids } = hier.raw;
  if (!grids?.length) { root.replaceChildren(h('p', { class: 'empty' }, t('feed.empty'))); return; }
  const byGrid = new Map();
  for (const inc of open) {
    const g = byGrid.get(inc.gridId) ?? { count: 0, worst: null };
    g.count++;
    if (!g.worst || severityRank(inc.severity) < severityRank(g.worst)) g.worst = inc.severity;
    byGrid.set(inc.gridId, g);
  }
  // Rebuild only on change: the telemetry message re-renders every second and would restart the P1 pulse.
  const signature = JSON.stringify([getLang(), streets, communities, grids, selected, [...byGrid]]);
  if (root.dataset.signature === signature) return;
  root.dataset.signature = signature;
  const tile = (grid) => {
    const s = byGrid.get(grid.id) ?? { count: 0, worst: null };
    const label = `${grid.name}: ${s.count}${s.worst ? ` (${s.worst} ${severityName(s.worst)})` : ''}`;
    return h('button', { type: 'button', class: 'grid-tile', 'aria-label': label, title: `${label} — ${t('hier.filterHint')}`,
      'aria-pressed': String(selected === grid.id), onclick: () => onSelect(grid.id),
      dataset: { testid: 'grid-tile', gridId: grid.id, worstSeverity: s.worst ?? 'none', count: String(s.count) } },
    grid.name, s.worst ? h('span', { class: 'sub' }, `${s.worst} ${severityName(s.worst)}`) : null, h('span', { class: 'count' }, s.count));
  };
  const community = (c) => {
    const gs = grids.filter((g) => g.communityId === c.id);
    const total = gs.reduce((n, g) => n + (byGrid.get(g.id)?.count ?? 0), 0);
    return h('div', { class: 'community', dataset: { communityId: c.id } },
      h('h4', {}, h('span', {}, c.name), h('span', { class: 'muted' }, total)), h('div', { class: 'grids' }, gs.map(tile)));
  };
  root.replaceChildren(...streets.map((s) => h('div', { class: 'street' }, h('h3', {}, s.name),
    h('div', { class: 'communities' }, communities.filter((c) => c.streetId === s.id).map(community)))));
}

/** Online/total per kind and in total: from the live `telemetry` message (once a second, district-wide viewers), else
 * from GET /api/devices (the viewer's own scope, read every minute). One source for both, so they never disagree. */
export function renderDevices(devices, telemetry) {
  const list = document.querySelector('[data-testid="device-status"]');
  const byKind = new Map(['fire', 'manhole', 'camera', 'charger'].map((k) => [k, { online: 0, total: 0, maintenance: 0 }]));
  if (telemetry?.devicesByKind) {
    for (const [kind, c] of Object.entries(telemetry.devicesByKind)) byKind.set(kind, { online: c.online, total: c.total, maintenance: c.maintenance });
  } else {
    for (const d of (devices ?? []).filter((x) => !x.retired)) {
      const k = byKind.get(d.kind) ?? { online: 0, total: 0, maintenance: 0 };
      k.total++;
      if (d.online) k.online++;
      if (underMaintenance(d)) k.maintenance++;
      byKind.set(d.kind, k);
    }
  }
  // Devices under maintenance (维护中) are counted apart: their alarms dispatch nobody until it ends.
  list.replaceChildren(...[...byKind].map(([kind, { online, total, maintenance }]) => h('li', { dataset: { kind } },
    h('span', {}, kindName(kind), maintenance ? h('a', { class: 'maintenance', href: `/admin/?kind=${kind}&status=maintenance#devices`, dataset: { testid: 'devices-maintenance' } },
      t('devices.maintenance', maintenance)) : null),
    h('span', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(total), 'aria-valuenow': String(online),
      'aria-label': kindName(kind) }, h('span', { style: `width:${total ? (100 * online) / total : 0}%` })),
    // Some offline: the count opens the admin devices tab on them (which ones, last heard when).
    online < total ? h('a', { class: 'num', href: `/admin/?kind=${kind}&status=offline#devices`, title: t('devices.showOffline'), dataset: { testid: 'devices-offline-link' } }, `${online}/${total}`)
      : h('span', { class: 'num' }, `${online}/${total}`))));
  const on = [...byKind.values()].reduce((n, k) => n + k.online, 0);
  const all = [...byKind.values()].reduce((n, k) => n + k.total, 0);
  document.querySelector('[data-role="devices-total"]').textContent = all ? `${t('devices.total')} ${on}/${all}` : '';
}
