// Both pages load in headless Debian Chromium, render the sample data of ?demo=1 through the real render code,
// carry the data-testids the end-to-end tests use, and log nothing to the console. Conditions are awaited with a
// deadline (the machine may be loaded), then asserted.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve, root } from './serve.mjs';
import { withPage } from './page.mjs';

const { base, close } = await serve();
test.after(close);
const rows = `[...document.querySelectorAll('[data-testid="incident-row"]')]`;
const count = (testid) => `document.querySelectorAll('[data-testid="${testid}"]').length`;


test('vendor bundles are built (npm run build)', () => {
  for (const f of ['vendor/signalr.min.js', 'vendor/echarts.min.js']) assert.ok(existsSync(join(root, f)), `${f} missing: run "npm run build" in dashboards/`);
});

test('ops-centre renders the demo incidents, KPIs, tiles and connection state', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`${rows}.length === 9 && ${count('grid-tile')} === 9`);
    for (const id of ['incident-feed', 'kpi-open', 'connection-state', 'lang-toggle', 'login-form', 'hierarchy', 'device-status', 'nav-admin'])
      assert.equal(await page.evaluate(count(id)), 1, `data-testid="${id}"`);
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="nav-admin"]').getAttribute('href')`), '/admin/');
    // Newest first: 109 (P1, 20 s old) heads the feed.
    assert.deepEqual(await page.evaluate(`${rows}.slice(0, 2).map((r) => [r.dataset.incidentId, r.dataset.severity])`), [['109', 'P1'], ['101', 'P1']]);
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="kpi-open"] [data-role="value"]').textContent`), '9');
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="kpi-p1"] [data-role="value"]').textContent`), '2');
    // Rates come from GET /api/kpis (the demo answers 0.86 on time, 0.97 verified on time).
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="kpi-on-time"] [data-role="value"]').textContent`), '86.0%');
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="kpi-verified"] [data-role="value"]').textContent`), '97.0%');
    const g1 = await page.evaluate(`({ ...document.querySelector('[data-grid-id="g1"]').dataset })`);
    assert.equal(g1.worstSeverity, 'P1');
    assert.equal(g1.count, '3');
    assert.equal(await page.evaluate(`document.querySelector('[data-grid-id="g3"]').dataset.worstSeverity`), 'none');
    await page.waitFor(`document.querySelector('[data-testid="connection-state"]').dataset.state === 'connected'`);
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="connection-state"]').textContent`), '已连接');
    // The telemetry message drives the rate figure and the online total.
    await page.waitFor(`/\\d+\\/s/.test(document.querySelector('[data-role="rate-now"]').textContent)`);
    // The kind rows and the header total come from the same telemetry message: they add up.
    await page.waitFor(`document.querySelector('[data-role="devices-total"]').textContent.includes('409/423')`);
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('[data-testid="device-status"] li .num')].map((n) => n.textContent)`),
      ['262/270', '17/18', '43/45', '87/90']);
    // A kind with devices offline links to them on the admin page's devices tab.
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('[data-testid="devices-offline-link"]')].map((a) => a.getAttribute('href'))`),
      ['/admin/?kind=fire&status=offline#devices', '/admin/?kind=manhole&status=offline#devices', '/admin/?kind=camera&status=offline#devices', '/admin/?kind=charger&status=offline#devices']);
    // A detector put under maintenance (维护) is counted on its kind's row with the next telemetry message.
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="devices-maintenance"]')`), null);
    await page.evaluate(`import('/shared/api.js').then((m) => m.api('/api/devices/fire-g1-b1-1/maintenance', { method: 'PUT', body: { minutes: 60 } })).then(() => true)`);
    await page.waitFor(`document.querySelector('[data-kind="fire"] [data-testid="devices-maintenance"]')?.textContent === '维护 1'`);
    assert.equal(await page.evaluate(`document.querySelector('[data-kind="fire"] [data-testid="devices-maintenance"]').getAttribute('href')`),
      '/admin/?kind=fire&status=maintenance#devices');
    await page.waitFor(`document.querySelectorAll('[data-testid="live-samples"] li').length === 4`);
    assert.match(await page.evaluate(`document.querySelector('[data-testid="live-samples"] li').textContent`), /^fire-g1-b2-3温度 \d+(\.\d)? °C$/);
  });
});

test('ops-centre without a session shows the login form prefilled with the demo operator, in Chinese', async () => {
  await withPage(`${base}/ops-centre/`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`!document.querySelector('[data-role="login"]').hidden`);
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="login-username"]').value`), 'operator');
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="login-password"]').value`), 'operator123');
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="lang-toggle"]').textContent`), 'EN');
  });
});

test('grid-worker lists my grid\'s incidents, open first, with the action buttons and my grid\'s buildings', async () => {
  await withPage(`${base}/grid-worker/?demo=1#incident-101`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${rows}.length === 3 && document.querySelector('[data-testid="worker-state"]')`);
    for (const id of ['my-incidents', 'btn-accept', 'btn-arrive', 'btn-resolve', 'resolve-note', 'login-form', 'report-form', 'nav-account'])
      assert.equal(await page.evaluate(count(id)), 1, `data-testid="${id}"`);
    // The worker's name in the header leads to their account (own password) on the admin page.
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="nav-account"]').getAttribute('href')`), '/admin/#people');
    assert.deepEqual(await page.evaluate(`${rows}.map((r) => r.dataset.incidentId)`), ['101', '103', '108']); // P1, P3, then resolved
    // #101 is dispatched: only Accept is enabled.
    assert.deepEqual(await page.evaluate(`['btn-accept', 'btn-arrive', 'btn-resolve'].map((id) => document.querySelector('[data-testid="' + id + '"]').disabled)`),
      [false, true, true]);
    assert.deepEqual(await page.evaluate(`[...document.querySelector('[data-testid="report-building"]').options].map((o) => o.value)`),
      ['g1-b1', 'g1-b2', 'g1-b3', 'g1-b4', 'g1-b5']);
  });
});
