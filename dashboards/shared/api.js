// HTTP + SignalR client shared by both dashboards (contract: notes/UI_CONTRACT.md, DESIGN §9).
// The token lives in sessionStorage (per tab, gone when the tab closes). A dev-only demo transport can
// replace the network (see demo.js, loaded only with ?demo=1) so the same code paths render sample data.

const AUTH_KEY = 'smart.auth';
const SEQ_KEY = 'smart.lastSeq';

/** An HTTP failure carrying the server's ProblemDetails text, so the UI can show what to do. */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

let transport = { request: httpRequest, createHub: createSignalRHub };
/** Dev/demo only: swap the network for canned data (demo.js). */
export const useTransport = (t) => { transport = t; };

export function getAuth() {
  try { return JSON.parse(sessionStorage.getItem(AUTH_KEY)); } catch { return null; }
}

export function logout() {
  sessionStorage.removeItem(AUTH_KEY);
  sessionStorage.removeItem(SEQ_KEY);
}

/** POST /api/auth/token; stores {accessToken, role, scopeId, name, personId}. Throws ApiError (401 → wrong credentials). */
export async function login(username, password) {
  const res = await transport.request('POST', '/api/auth/token', { username, password }, null);
  sessionStorage.removeItem(SEQ_KEY); // a new identity may have another scope: start from its own snapshot
  const auth = { accessToken: res.accessToken, role: res.role, scopeId: res.scopeId ?? null, name: res.name ?? username,
    personId: res.personId ?? null, username, expiresAt: Date.now() + (res.expiresIn ?? 3600) * 1000 };
  sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
  return auth;
}

/** Authenticated JSON call; a 401 clears the session and fires the `smart:unauthorized` window event. */
export async function api(path, { method = 'GET', body } = {}) {
  try {
    return await transport.request(method, path, body, getAuth()?.accessToken);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signedOut();
    throw err;
  }
}

async function httpRequest(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, 'network', String(err?.message ?? err));
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text for the message */ }
  if (!res.ok) throw new ApiError(res.status, json?.title ?? res.statusText, json?.detail ?? (json ? '' : text.slice(0, 200)));
  return json;
}

const isUnauthorized = (err) => /401|unauthori[sz]ed/i.test(String(err?.message ?? ''));

function signedOut() {
  logout();
  window.dispatchEvent(new CustomEvent('smart:unauthorized'));
}

function createSignalRHub(tokenFactory) {
  const signalR = window.signalR;
  if (!signalR) throw new Error('/vendor/signalr.min.js is not loaded; run "npm run build" in dashboards/');
  return new signalR.HubConnectionBuilder()
    .withUrl('/hubs/ops', { accessTokenFactory: tokenFactory })
    // Retry for ever, backing off to 10 s: a wall screen must come back by itself after a host restart. Not after a 401
    // (the session ended): the connection closes and start() sends the page back to the login form.
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: (ctx) => (isUnauthorized(ctx.retryReason) ? null : Math.min(10000, 500 * 2 ** ctx.previousRetryCount)),
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
}

/**
 * Connects to /hubs/ops and keeps incident events gap-free across reconnects: remembers the last seq seen,
 * calls Resume(lastSeq) after every (re)connect, and applies missed + live events once each, in seq order.
 * handlers: { incident(ev), telemetry(msg), kpis(msg), state('connecting'|'connected'|'reconnecting'|'disconnected') }.
 */
export function connectHub(handlers, { initialSeq, resumeRetryMs = 2000 } = {}) {
  const conn = transport.createHub(() => getAuth()?.accessToken ?? '');
  let lastSeq = Math.max(Number(sessionStorage.getItem(SEQ_KEY)) || 0, initialSeq ?? 0);
  let resuming = false;
  let buffered = [];
  let stopped = false;
  let retryTimer = null;
  const setState = (s) => handlers.state?.(s);

  const apply = (ev) => {
    if (!ev || typeof ev.seq !== 'number' || ev.seq <= lastSeq) return; // seq is monotonic: ≤ lastSeq is a duplicate
    lastSeq = ev.seq;
    sessionStorage.setItem(SEQ_KEY, String(lastSeq));
    handlers.incident?.(ev);
  };

  conn.on('incident', (ev) => (resuming ? buffered.push(ev) : apply(ev)));
  conn.on('telemetry', (msg) => handlers.telemetry?.(msg));
  conn.on('kpis', (msg) => handlers.kpis?.(msg));
  // A place was added, renamed, moved or deleted (here or on another host): the page reads GET /api/hierarchy again.
  conn.on('districtChanged', () => handlers.districtChanged?.());
  // The host ends a person's connections when they are deactivated or their role or area changes.
  conn.on('sessionEnded', (reason) => {
    console.warn('hub: session ended by the host:', reason);
    stopped = true;
    clearTimeout(retryTimer);
    signedOut();
    conn.stop();
  });

  // Live events wait in `buffered` until Resume has answered, so none is applied ahead of an older missed one.
  // If Resume fails, they keep waiting and Resume is retried: applying them now would skip the missed ones for good.
  async function resume() {
    clearTimeout(retryTimer);
    resuming = true;
    try {
      const missed = (await conn.invoke('Resume', lastSeq)) ?? [];
      [...missed, ...buffered].sort((a, b) => a.seq - b.seq).forEach(apply);
      buffered = [];
      resuming = false;
    } catch (err) {
      console.warn(`hub: Resume failed, retrying in ${resumeRetryMs} ms:`, err?.message ?? err);
      retryTimer = setTimeout(() => conn.state === 'Connected' && resume(), resumeRetryMs);
    }
  }

  async function start() {
    if (stopped) return;
    setState('connecting');
    try {
      await conn.start();
    } catch (err) {
      if (isUnauthorized(err)) {
        signedOut();
        return;
      }
      setState('disconnected');
      console.warn('hub: start failed, retrying in 5 s:', err?.message ?? err);
      setTimeout(start, 5000);
      return;
    }
    setState('connected');
    await resume();
  }

  conn.onreconnecting(() => setState('reconnecting'));
  conn.onreconnected(async () => {
    setState('connected');
    await resume();
  });
  conn.onclose(() => {
    if (stopped) return;
    setState('disconnected');
    setTimeout(start, 5000);
  });

  start();
  return {
    invoke: (method, ...args) => conn.invoke(method, ...args),
    isConnected: () => conn.state === 'Connected',
    lastSeq: () => lastSeq,
    stop: () => { stopped = true; clearTimeout(retryTimer); return conn.stop(); },
  };
}

/** Loads the demo transport when the page URL has ?demo=1 (dev only; never on by default). */
export async function maybeDemo() {
  if (new URLSearchParams(location.search).get('demo') !== '1') return false;
  const demo = await import('./demo.js');
  useTransport(demo.createDemoTransport());
  return true;
}
