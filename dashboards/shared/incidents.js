// Incident helpers shared by both dashboards: a local store that never lets an older copy overwrite a
// newer one, place names from the hierarchy, ages and countdowns, and small DOM helpers.
import { t, getLang } from './i18n.js';

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];
export const STATES = ['new', 'dispatched', 'accepted', 'on_site', 'resolved', 'reopened', 'closed', 'cancelled'];
export const isOpen = (inc) => inc.state !== 'closed' && inc.state !== 'cancelled';
/** Which time limit an incident in this state runs against (DESIGN §8): 0 accept, 1 arrive, 2 resolve, 3 verify, 4 none. */
export const limitStage = (state) => ({ accepted: 1, on_site: 2, resolved: 3, closed: 4, cancelled: 4 })[state] ?? 0;
export const severityRank = (s) => { const i = SEVERITIES.indexOf(s); return i < 0 ? 9 : i; };

/**
 * Incidents by id. Each event carries the whole incident, so applying is an upsert; the updatedAt guard keeps a
 * REST snapshot from being rolled back by an older event replayed through Resume.
 */
export function createIncidentStore() {
  const byId = new Map();
  return {
    upsert(inc) {
      const cur = byId.get(inc.id);
      if (cur && Date.parse(cur.updatedAt) > Date.parse(inc.updatedAt)) return false;
      byId.set(inc.id, inc);
      return true;
    },
    get: (id) => byId.get(Number(id)) ?? byId.get(id),
    all: () => [...byId.values()],
    open: () => [...byId.values()].filter(isOpen),
    clear: () => byId.clear(),
  };
}

/** Name lookups over GET /api/hierarchy. */
export function createHierarchy(h) {
  const map = (arr) => new Map((arr ?? []).map((x) => [x.id, x]));
  const streets = map(h?.streets), communities = map(h?.communities), grids = map(h?.grids), buildings = map(h?.buildings);
  return {
    raw: h ?? { streets: [], communities: [], grids: [], buildings: [] },
    name: (kind, id) => ({ street: streets, community: communities, grid: grids, building: buildings })[kind].get(id)?.name ?? id ?? '',
    /** "梧桐社区 · 梧桐第1网格 · 1区2栋" */
    place(inc) {
      return [communities.get(inc.communityId)?.name ?? inc.communityId, grids.get(inc.gridId)?.name ?? inc.gridId,
        buildings.get(inc.buildingId)?.name ?? inc.buildingId].filter(Boolean).join(' · ');
    },
  };
}

/** "3分前" / "3m ago" */
export function formatAge(iso, now = Date.now()) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const [n, unit] = s < 60 ? [s, 'age.s'] : s < 3600 ? [Math.floor(s / 60), 'age.m']
    : s < 86400 ? [Math.floor(s / 3600), 'age.h'] : [Math.floor(s / 86400), 'age.d'];
  return `${n}${t(unit)}${t('age.ago')}`;
}

/** Countdown to a due time: { text: "12:34" (time left, or time past due when overdue), overdue }. */
export function countdown(iso, now = Date.now()) {
  if (!iso) return null;
  const ms = Date.parse(iso) - now;
  const s = Math.floor(Math.abs(ms) / 1000);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const body = (hh ? `${hh}:${String(mm).padStart(2, '0')}` : String(mm).padStart(2, '0')) + ':' + String(ss).padStart(2, '0');
  return { text: body, overdue: ms < 0 };
}

/** A device (GET /api/devices) under maintenance (维护) now: its alarms dispatch nobody until maintenanceUntil. */
export const underMaintenance = (d) => !d.retired && d.maintenanceUntil != null && Date.parse(d.maintenanceUntil) > Date.now();

export function formatTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(getLang() === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Seconds → "2分钟" / "2 min" (mean times on KPI tiles). */
export function formatDuration(seconds) {
  if (seconds == null || Number.isNaN(seconds)) return '—';
  return seconds < 120 ? `${Math.round(seconds)}${t('dur.s')}` : `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)}${t('dur.min')}`;
}

export const percent = (x) => (x == null || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

/** Tiny element builder: h('div', {class:'x', dataset:{testid:'y'}}, child, 'text'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Shows an error banner (ProblemDetails detail first) in the element with data-role="error". */
export function showError(err, context) {
  const box = document.querySelector('[data-role="error"]');
  const msg = err?.status === 0 ? t('error.network')
    : err?.status === 401 ? t('error.session')
      : `${context ? context + '：' : ''}${err?.detail || err?.title || err?.message || t('error.http')}${err?.status ? ` (HTTP ${err.status})` : ''}`;
  if (!box) { console.warn(msg); return; }
  // Several failures at once (e.g. every endpoint while the host restarts) are listed, the latest three.
  const lines = [...(box.hidden ? [] : box.querySelectorAll('.error-line'))].map((el) => el.textContent).filter((l) => l !== msg).slice(-2);
  box.replaceChildren(h('div', {}, [...lines, msg].map((l) => h('div', { class: 'error-line' }, l))),
    h('button', { type: 'button', class: 'error-close', 'aria-label': t('error.close'), onclick: () => { box.hidden = true; } }, '×'));
  box.hidden = false;
}
