// A minimal Chrome DevTools Protocol driver for the flow tests: starts Debian Chromium headless on a free port,
// opens one page, evaluates expressions in it and records console messages and uncaught exceptions.
// (Playwright is the lead's tool for the end-to-end suite against the real host; this keeps dashboards/ self-contained.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export async function launch({ width = 1920, height = 1080 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'smart-cdp-'));
  const proc = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--remote-debugging-port=0',
    '--remote-debugging-address=127.0.0.1', `--window-size=${width},${height}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  try {
    return await connect(proc, profile);
  } catch (err) {
    // Started but not driven (no WebSocket in this Node, a crash, a timeout): the browser must not outlive the test.
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    throw err;
  }
}

async function connect(proc, profile) {
  const wsUrl = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${err.slice(-500)}`)), 20000);
    proc.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
  let nextId = 1;
  const pending = new Map();
  const console = [];
  ws.onmessage = ({ data }) => {
    const msg = JSON.parse(data);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      return msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
    }
    if (msg.method === 'Runtime.consoleAPICalled') console.push(`${msg.params.type}: ${msg.params.args.map((a) => a.value ?? a.description).join(' ')}`);
    if (msg.method === 'Runtime.exceptionThrown') console.push(`exception: ${msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text}`);
    if (msg.method === 'Log.entryAdded' && msg.params.entry.level !== 'verbose') console.push(`log ${msg.params.entry.level}: ${msg.params.entry.text}`);
  };
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params, sessionId }));
  });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  for (const domain of ['Runtime', 'Log', 'Page']) await send(`${domain}.enable`, {}, sessionId);

  /** Evaluates an expression (awaiting promises) in the page and returns its JSON value. */
  async function evaluate(expression) {
    const res = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    if (res.exceptionDetails) throw new Error(`page threw: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`);
    return res.result.value;
  }

  /** Polls a page expression until it is truthy (deadline, not a fixed sleep). */
  async function waitFor(expression, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await evaluate(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    console,
    evaluate,
    waitFor,
    goto: (url) => send('Page.navigate', { url }, sessionId),
    /** A real (trusted) mouse click at x,y: counts as a user gesture, unlike element.click(). */
    async tap(x, y) {
      for (const type of ['mousePressed', 'mouseReleased']) await send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 }, sessionId);
    },
    async close() {
      ws.close();
      const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ } // the whole group: renderers, crashpad
      await exited;
      await new Promise((r) => setTimeout(r, 200));
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (err) {
        process.emitWarning(`could not remove ${profile}: ${err.message}`);
      }
    },
  };
}
