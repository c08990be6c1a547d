// Resume contract of shared/api.js connectHub: after every (re)connect it calls Resume(lastSeq) and applies missed
// and live incident events exactly once each, in seq order. The hub here is a scripted fake (a reconnect with
// events missed in between cannot be produced without the host); the client code under test is the real one.
import test from 'node:test';
import assert from 'node:assert/strict';

const storage = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null), setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};
globalThis.window = new EventTarget();
globalThis.location = { search: '' };
const { useTransport, connectHub } = await import('../shared/api.js');

function fakeHub() {
  const hub = { handlers: {}, resumeCalls: [], resumeAnswers: [], state: 'Disconnected' };
  Object.assign(hub, {
    on: (name, fn) => { hub.handlers[name] = fn; },
    onreconnecting: (fn) => { hub.reconnecting = fn; },
    onreconnected: (fn) => { hub.reconnected = fn; },
    onclose: (fn) => { hub.closed = fn; },
    start: async () => { hub.state = 'Connected'; },
    stop: async () => { hub.state = 'Disconnected'; },
    invoke: async (method, arg) => {
      assert.equal(method, 'Resume');
      hub.resumeCalls.push(arg);
      return hub.resumeAnswers.shift()?.() ?? [];
    },
    push: (seq) => hub.handlers.incident(ev(seq)),
  });
  return hub;
}
const ev = (seq) => ({ seq, change: 'updated', incident: { id: seq % 3, updatedAt: new Date(seq * 1000).toISOString() } });
const settle = () => new Promise((r) => setTimeout(r, 0));

function connect(options) {
  storage.clear();
  const hub = fakeHub();
  useTransport({ request: async () => { throw new Error('no http in this test'); }, createHub: () => hub });
  const seen = [];
  const states = [];
  const client = connectHub({ incident: (e) => seen.push(e.seq), state: (s) => states.push(s) }, options);
  return { hub, seen, states, client };
}

test('first connect resumes from 0 and applies the missed events in seq order', async () => {
  const { hub, seen, states } = connect();
  hub.resumeAnswers.push(() => [ev(3), ev(1), ev(2)]);
  await settle();
  assert.deepEqual(hub.resumeCalls, [0]);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(states, ['connecting', 'connected']);
});

test('a live event already seen is applied once', async () => {
  const { hub, seen } = connect();
  hub.resumeAnswers.push(() => [ev(1), ev(2)]);
  await settle();
  hub.push(2);
  hub.push(3);
  hub.push(3);
  assert.deepEqual(seen, [1, 2, 3]);
});

test('after a reconnect it resumes from the last seq and merges events that arrive while resuming', async () => {
  const { hub, seen, states } = connect();
  await settle();
  hub.push(1);
  hub.push(2);
  hub.reconnecting();
  // While Resume(2) is in flight the server already pushes seq 6; it must wait for 3..5, and 5 must not repeat.
  hub.resumeAnswers.push(() => { hub.push(6); hub.push(5); return [ev(3), ev(4), ev(5)]; });
  await hub.reconnected();
  assert.deepEqual(hub.resumeCalls, [0, 2]);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(states.slice(-2), ['reconnecting', 'connected']);
  hub.push(7);
  assert.deepEqual(seen.at(-1), 7);
});

test('the last seq survives a page reload in the same tab (sessionStorage)', async () => {
  const { hub } = connect();
  hub.resumeAnswers.push(() => [ev(41), ev(42)]);
  await settle();
  const again = fakeHub();
  useTransport({ request: async () => null, createHub: () => again });
  connectHub({});
  await settle();
  assert.deepEqual(again.resumeCalls, [42]);
});

test('a failed Resume is retried while live events wait, so none is applied ahead of a missed one', async () => {
  const { hub, seen, states } = connect({ resumeRetryMs: 20 });
  hub.resumeAnswers.push(() => [ev(1)]);
  await settle();
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    hub.resumeAnswers.push(() => { throw new Error('HubException: database busy'); });
    hub.reconnecting();
    await hub.reconnected();
    assert.equal(states.at(-1), 'connected');
    hub.push(4); // live, but 2 and 3 are still missing
    assert.deepEqual(seen, [1]);
    hub.resumeAnswers.push(() => [ev(2), ev(3)]);
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(hub.resumeCalls, [0, 1, 1]);
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.match(warnings[0], /Resume failed, retrying in 20 ms: HubException: database busy/);
});

test('sessionEnded from the host signs the page out and stops the connection for good', async () => {
  const { hub, client } = connect();
  await settle();
  storage.set('smart.auth', JSON.stringify({ accessToken: 't' }));
  let unauthorized = 0;
  window.addEventListener('smart:unauthorized', () => unauthorized++, { once: true });
  const warn = console.warn;
  console.warn = () => {};
  try {
    hub.handlers.sessionEnded('Your account was deactivated.');
  } finally {
    console.warn = warn;
  }
  await settle();
  assert.equal(unauthorized, 1);
  assert.equal(storage.has('smart.auth'), false);
  assert.equal(hub.state, 'Disconnected');
  assert.equal(client.isConnected(), false);
});
