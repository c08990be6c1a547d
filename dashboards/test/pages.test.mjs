// Both pages load in headless Debian Chromium, render the sample data of ?demo=1 through the real render code,
// carry the data-testids the end-to-end tests use, and log nothing to the console. Served by a throwaway static
// server (serve.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serve, root } from './serve.mjs';

const CHROMIUM = '/usr/bin/chromium';
const { base, close } = await serve();
test.after(close);

/** Loads url, runs its scripts for `budgetMs` of virtual time, returns { dom, console: [lines] }. */
function load(url, size, budgetMs = 4000) {
  const profile = mkdtempSync(join(tmpdir(), 'smart-ui-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
    `--virtual-time-budget=${budgetMs}`, `--window-size=${size}`, '--dump-dom', url];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 60000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      if (err && !stdout) return reject(err);
      resolve({ dom: stdout, console: stderr.split('\n').filter((l) => /CONSOLE|Uncaught/.test(l)) });
    });
  });
}
const count = (dom, testid) => (dom.match(new RegExp(`data-testid="${testid}"`, 'g')) ?? []).length;

test('vendor bundles are built (npm run build)', () => {
  for (const f of ['vendor/signalr.min.js', 'vendor/echarts.min.js']) assert.ok(existsSync(join(root, f)), `${f} missing: run "npm run build" in dashboards/`);
});

test('ops-centre renders the demo incidents, KPIs and connection state without console output', async () => {
  const { dom, console: lines } = await load(`${base}/ops-centre/?demo=1`, '1920,1080');
  assert.deepEqual(lines, []);
  for (const id of ['incident-feed', 'kpi-open', 'connection-state', 'lang-toggle', 'login-form', 'hierarchy', 'device-status'])
    assert.equal(count(dom, id), 1, `data-testid="${id}"`);
  assert.equal(count(dom, 'incident-row'), 9);
  assert.match(dom, /data-testid="incident-row"[^>]*data-incident-id="109"[^>]*data-severity="P1"|data-incident-id="109"[^>]*data-severity="P1"/);
  assert.match(dom, /data-testid="kpi-open"><span class="kpi-value" data-role="value">9</);
  assert.match(dom, /data-testid="connection-state" data-state="connected"[^>]*>已连接</);
  assert.equal(count(dom, 'grid-tile'), 9);
  assert.match(dom, /data-grid-id="g1" data-worst-severity="P1" data-count="3"/);
});

test('ops-centre without a session shows the login form prefilled with the demo operator', async () => {
  const { dom, console: lines } = await load(`${base}/ops-centre/`, '1920,1080', 1500);
  assert.deepEqual(lines, []);
  assert.match(dom, /class="login-overlay" data-role="login">/); // no hidden attribute
  assert.match(dom, /name="username" data-testid="login-username" value="operator"/);
  assert.match(dom, /<html lang="zh-CN">/);
});

test('grid-worker lists my grid\'s incidents, open first, with the action buttons', async () => {
  const { dom, console: lines } = await load(`${base}/grid-worker/?demo=1#incident-101`, '375,812');
  assert.deepEqual(lines, []);
  for (const id of ['my-incidents', 'btn-accept', 'btn-arrive', 'btn-resolve', 'resolve-note', 'login-form', 'report-form'])
    assert.equal(count(dom, id), 1, `data-testid="${id}"`);
  const ids = [...dom.matchAll(/data-testid="incident-row" data-incident-id="(\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['101', '103', '108']); // P1 open, P3 open, then the resolved one
  // #101 is dispatched: only Accept is enabled.
  assert.match(dom, /data-testid="btn-accept" data-i18n="worker.accept">/);
  assert.match(dom, /disabled="" data-testid="btn-arrive"|data-testid="btn-arrive"[^>]*disabled/);
  assert.match(dom, /data-testid="report-building"[^>]*>(<option value="g1-b\d">[^<]+<\/option>){5}<\/select>/);
});
