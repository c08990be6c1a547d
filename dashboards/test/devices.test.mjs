// The administration page's 设备 Devices tab in headless Chromium over the dev-only demo data (?demo=1), which answers
// like the host's /api/devices (scoped pages by id, ops-only changes, the MQTT login in the registration's answer): the
// list and its filters, registering (the login shown once), a refusal, retiring after a confirmation, moving, a
// read-only role, and the English toggle.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './serve.mjs';
import { q, click, withPage as openPage } from './page.mjs';

const { base, close } = await serve();
test.after(close);
const set = (testid, value) => `(${q(testid)}.value = ${JSON.stringify(value)}, ${q(testid)}.dispatchEvent(new Event('change')), true)`;
const sent = (method, path) => `smartDemo.sent.filter((r) => r.method === '${method}' && r.path === '${path}')`;
const rows = `[...document.querySelectorAll('[data-testid="device-row"]')]`;
const row = (id, extra = '') => q('device-row', `[data-id="${id}"] ${extra}`.trimEnd());
const text = (testid) => `${q(testid)}.textContent`;
const signInAs = (auth) => `(sessionStorage.setItem('smart.auth', JSON.stringify(${JSON.stringify({ expiresAt: Date.now() + 3600000, ...auth })})), location.reload(), true)`;

const withPage = (url, body, expectedConsole) => openPage(url, { width: 1440, height: 900 }, body, expectedConsole);
/** The demo signs in as admin; the devices tab has loaded its first page and the building list. */
const ready = `${rows}.length === 50 && ${q('device-building')}.options.length === 45`;

/** Fills the register form and submits it. */
async function register(page, { id, kind, buildingId, lon = '', lat = '' }) {
  await page.evaluate(`(${q('device-id')}.value = ${JSON.stringify(id)}, ${q('device-lon')}.value = '${lon}', ${q('device-lat')}.value = '${lat}', true)`);
  await page.evaluate(set('device-kind', kind));
  await page.evaluate(set('device-building', buildingId));
  await page.evaluate(click('device-submit'));
}

test('devices: the list pages through the scope by id and filters by grid and kind', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    assert.equal(await page.evaluate(text('device-page')), '第 1–50 台，共 423 台');
    assert.equal(await page.evaluate(`${rows}[0].dataset.id`), 'camera-g1-b1-1');
    assert.deepEqual(await page.evaluate(`[...${row('camera-g1-b1-1')}.cells].slice(0, 4).map((c) => c.textContent)`),
      ['camera-g1-b1-1', '高空抛物摄像头', '梧桐社区 · 梧桐第1网格 · 1区1栋 (g1-b1)', '在线']);
    assert.equal(await page.evaluate(`${q('device-prev')}.disabled`), true);
    await page.evaluate(click('device-next'));
    await page.waitFor(`${text('device-page')} === '第 51–100 台，共 423 台'`);
    assert.deepEqual(await page.evaluate(`${q('device-prev')}.disabled`), false);

    await page.evaluate(set('device-filter-grid', 'g4'));
    // g4's five buildings hold 30 fire detectors, 3 manhole covers, 5 cameras and 10 chargers; a new filter starts at the first page.
    await page.waitFor(`${rows}.length === 48 && ${rows}.every((r) => r.dataset.gridId === 'g4')`);
    assert.equal(await page.evaluate(text('device-page')), '第 1–48 台，共 48 台');
    assert.equal(await page.evaluate(`${q('device-next')}.disabled`), true); // the last page
    await page.evaluate(set('device-filter-kind', 'fire'));
    await page.waitFor(`${rows}.length === 30 && ${rows}.every((r) => r.dataset.id.startsWith('fire-g4-'))`);
    assert.equal(await page.evaluate(`${row('fire-g4-b1-1')}.cells[1].textContent`), '烟感/温感探测器');
    // The offline detectors say so (the demo has one in 37 offline).
    assert.deepEqual(await page.evaluate(`[...new Set(${rows}.map((r) => r.dataset.status + ':' + r.querySelector('[data-role="device-status"]').textContent))].sort()`),
      ['offline:离线', 'online:在线']);
  });
});

test('devices: filtered by status, and opened filtered from a link (the ops centre\'s offline counts)', async () => {
  await withPage(`${base}/admin/?demo=1&kind=manhole&status=offline#devices`, async (page) => {
    // The demo has one cover in 18 offline: the link's filters are the list's first.
    await page.waitFor(`${rows}.length === 1 && ${rows}[0].dataset.status === 'offline'`);
    assert.equal(await page.evaluate(`${rows}[0].dataset.id.startsWith('manhole-')`), true);
    assert.deepEqual(await page.evaluate(`[${q('device-filter-kind')}.value, ${q('device-filter-status')}.value]`), ['manhole', 'offline']);
    // Its very first read is filtered (not the whole list first).
    assert.equal(await page.evaluate(`smartDemo.reads.find((p) => p.startsWith('/api/devices'))`), '/api/devices?kind=manhole&status=offline&offset=0&limit=50');
    await page.evaluate(set('device-filter-status', 'online'));
    await page.waitFor(`${rows}.length === 17 && ${rows}.every((r) => r.dataset.status === 'online')`);
    await page.evaluate(set('device-filter-kind', ''));
    await page.waitFor(`${text('device-page')} === '第 1–50 台，共 409 台'`);
    assert.deepEqual(await page.evaluate(`[...${q('device-filter-status')}.options].map((o) => o.textContent)`), ['全部状态', '在线', '离线', '已停用', '维护中']);
  });
});

test('devices: registering shows the device\'s MQTT login once, with a copy button, and the list has the device', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    assert.equal(await page.evaluate(`${q('device-credentials')}.hidden`), true);
    // The clipboard of a headless page is not the test's to read: record what the page writes to it.
    await page.evaluate(`(window.copied = [], navigator.clipboard.writeText = async (s) => { window.copied.push(s); }, true)`);
    await register(page, { id: 'fire-new-1', kind: 'fire', buildingId: 'g2-b3', lon: '120.1552', lat: '30.2521' });
    await page.waitFor(`${text('device-form-status')} === '已登记 fire-new-1'`);
    assert.deepEqual(await page.evaluate(sent('POST', '/api/devices')), [{ method: 'POST', path: '/api/devices',
      body: { id: 'fire-new-1', kind: 'fire', buildingId: 'g2-b3', lon: 120.1552, lat: 30.2521 } }]);
    const password = await page.evaluate(`document.querySelector('[data-role="cred-password"]').textContent`);
    assert.match(password, /^demo-.+-pw$/);
    assert.deepEqual(await page.evaluate(`[...${q('device-credentials')}.querySelectorAll('dd')].map((d) => d.textContent)`),
      ['fire-new-1', password, 'smart/v1/fire/fire-new-1/telemetry', 'smart/v1/fire/fire-new-1/event', 'smart/v1/fire/fire-new-1/status', 'smart/v1/fire/fire-new-1/command']);
    assert.match(await page.evaluate(`${q('device-credentials')}.textContent`), /密码只显示这一次/);
    await page.evaluate(click('device-copy'));
    await page.waitFor(`${text('device-copy-status')} === '已复制'`);
    assert.deepEqual(await page.evaluate('window.copied'), [`username=fire-new-1\npassword=${password}\ntelemetry=smart/v1/fire/fire-new-1/telemetry\n`
      + 'event=smart/v1/fire/fire-new-1/event\nstatus=smart/v1/fire/fire-new-1/status\ncommand=smart/v1/fire/fire-new-1/command']);
    assert.equal(await page.evaluate(`${q('device-id')}.value`), ''); // ready for the next device

    // The new device is in its grid's list, offline until it connects.
    await page.evaluate(set('device-filter-grid', 'g2'));
    await page.evaluate(set('device-filter-kind', 'fire'));
    await page.waitFor(`${row('fire-new-1')}?.dataset.status === 'offline'`);
    assert.equal(await page.evaluate(`${row('fire-new-1')}.querySelector('[data-role="device-place"]').textContent`), '梧桐社区 · 梧桐第2网格 · 2区3栋 (g2-b3)');

    // Closed, the login is gone from the page; nothing on the page asks for it again.
    await page.evaluate(click('device-credentials-close'));
    assert.equal(await page.evaluate(`${q('device-credentials')}.hidden && !document.body.textContent.includes(${JSON.stringify(password)})`), true);
    // The next registration shows only its own login.
    await register(page, { id: 'chg-new-2', kind: 'charger', buildingId: 'g5-b1' });
    await page.waitFor(`${text('device-form-status')} === '已登记 chg-new-2'`);
    assert.equal(await page.evaluate(`document.querySelector('[data-role="cred-username"]').textContent`), 'chg-new-2');
    assert.deepEqual(await page.evaluate(`${sent('POST', '/api/devices')}[1].body`), { id: 'chg-new-2', kind: 'charger', buildingId: 'g5-b1' });
  });
});

test('devices: a refused registration shows the host\'s reason and no login', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    await register(page, { id: 'camera-g1-b1-1', kind: 'camera', buildingId: 'g1-b1' });
    await page.waitFor(`${q('device-form-status')}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(text('device-form-status')), '请求无效：Device \'camera-g1-b1-1\' is already registered。请检查填写的内容后重试');
    assert.equal(await page.evaluate(`${q('device-credentials')}.hidden`), true);
    // Only one of longitude and latitude: the page says so and sends nothing.
    await register(page, { id: 'fire-x', kind: 'fire', buildingId: 'g1-b1', lon: '120.15' });
    await page.waitFor(`${text('device-form-status')} === '经度和纬度须同时填写或同时留空'`);
    assert.equal(await page.evaluate(`${sent('POST', '/api/devices')}.length`), 1);
  });
});

test('devices: retiring asks for a confirmation first, says it cannot be undone, and the row shows the device retired', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    await page.evaluate(click('device-row', '[data-id="camera-g1-b2-1"] [data-testid="device-retire"]'));
    assert.equal(await page.evaluate(`${row('camera-g1-b2-1', '[data-testid="device-retire"]')}.textContent`), '确认停用？');
    assert.match(await page.evaluate(text('devices-status')), /停用 camera-g1-b2-1 后其 MQTT 登录立即失效.*停用无法通过接口撤销/);
    await new Promise((r) => setTimeout(r, 100)); // a DELETE would have been recorded by now (the demo answers in 30 ms)
    assert.deepEqual(await page.evaluate(sent('DELETE', '/api/devices/camera-g1-b2-1')), []);
    // The question outlives a redraw (here the language switch): the next click still retires.
    await page.evaluate(click('lang-toggle'));
    await page.waitFor(`${row('camera-g1-b2-1', '[data-testid="device-retire"]')}.textContent === 'Really retire?'`);
    await page.evaluate(click('device-row', '[data-id="camera-g1-b2-1"] [data-testid="device-retire"]'));
    await page.waitFor(`${row('camera-g1-b2-1')}.dataset.status === 'retired'`);
    assert.equal(await page.evaluate(text('devices-status')), 'Retired camera-g1-b2-1');
    assert.equal(await page.evaluate(`${sent('DELETE', '/api/devices/camera-g1-b2-1')}.length`), 1);
    assert.deepEqual(await page.evaluate(`[${row('camera-g1-b2-1', '[data-role="device-status"]')}.textContent, ${row('camera-g1-b2-1')}.querySelectorAll('button').length]`),
      ['Retired', 0]);
    // Asking about another device withdraws the first question.
    await page.evaluate(click('device-row', '[data-id="camera-g1-b3-1"] [data-testid="device-retire"]'));
    await page.evaluate(click('device-row', '[data-id="camera-g2-b1-1"] [data-testid="device-retire"]'));
    assert.deepEqual(await page.evaluate(`['camera-g1-b3-1', 'camera-g2-b1-1'].map((id) => document.querySelector(\`[data-testid="device-row"][data-id="\${id}"] [data-testid="device-retire"]\`).textContent)`),
      ['Retire', 'Really retire?']);
  });
});

test('devices: moving a device to another building shows its new grid in the row', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    await page.evaluate(click('device-row', '[data-id="camera-g1-b3-1"] [data-testid="device-move"]'));
    assert.equal(await page.evaluate(`${row('camera-g1-b3-1', '[data-testid="device-move-building"]')}.value`), 'g1-b3');
    assert.equal(await page.evaluate(`${row('camera-g1-b3-1', '[data-testid="device-move-building"]')}.selectedOptions[0].textContent`), '梧桐社区 · 梧桐第1网格 · 1区3栋 (g1-b3)');
    await page.evaluate(`(${row('camera-g1-b3-1', '[data-testid="device-move-building"]')}.value = 'g9-b1', true)`);
    await page.evaluate(click('device-row', '[data-id="camera-g1-b3-1"] [data-testid="device-move-save"]'));
    await page.waitFor(`${row('camera-g1-b3-1')}.dataset.gridId === 'g9'`);
    assert.deepEqual(await page.evaluate(sent('PUT', '/api/devices/camera-g1-b3-1')), [{ method: 'PUT', path: '/api/devices/camera-g1-b3-1', body: { buildingId: 'g9-b1' } }]);
    assert.equal(await page.evaluate(`${row('camera-g1-b3-1', '[data-role="device-place"]')}.textContent`), '香樟社区 · 香樟第3网格 · 9区1栋 (g9-b1)');
    assert.equal(await page.evaluate(text('devices-status')), '已迁移 camera-g1-b3-1 到 香樟社区 · 香樟第3网格 · 9区1栋 (g9-b1)');
    assert.equal(await page.evaluate(`${row('camera-g1-b3-1', '[data-testid="device-move-building"]')}`), null);
  });
});

test('devices: maintenance (维护) for a chosen time with a note, shown on the row until it is ended', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    const id = 'camera-g1-b3-1';
    await page.evaluate(click('device-row', `[data-id="${id}"] [data-testid="device-maintain"]`));
    assert.deepEqual(await page.evaluate(`[...${row(id, '[data-testid="device-maintain-minutes"]')}.options].map((o) => o.textContent)`),
      ['30 分钟', '2 小时', '8 小时', '24 小时']);
    await page.evaluate(`(${row(id, '[data-testid="device-maintain-minutes"]')}.value = '480', ${row(id, '[data-testid="device-maintain-note"]')}.value = '年检测试', true)`);
    await page.evaluate(click('device-row', `[data-id="${id}"] [data-testid="device-maintain-start"]`));
    await page.waitFor(`${row(id, '[data-role="device-maintenance"]')}?.textContent.startsWith('维护中，至 ')`);
    assert.deepEqual(await page.evaluate(sent('PUT', `/api/devices/${id}/maintenance`)),
      [{ method: 'PUT', path: `/api/devices/${id}/maintenance`, body: { minutes: 480, note: '年检测试' } }]);
    assert.equal(await page.evaluate(`${row(id, '[data-role="device-maintenance"]')}.title`), '年检测试');
    assert.match(await page.evaluate(text('devices-status')), /^camera-g1-b3-1 维护至 .+：期间报警不派单，数据照常保存$/);
    // Under maintenance the row offers to end it; other rows still offer to start one.
    assert.equal(await page.evaluate(`${row(id, '[data-testid="device-maintain"]')}`), null);
    assert.notEqual(await page.evaluate(`${row('camera-g1-b1-1', '[data-testid="device-maintain"]')}`), null);
    // The status filter finds the devices under maintenance (online or not).
    await page.evaluate(set('device-filter-status', 'maintenance'));
    await page.waitFor(`${rows}.length === 1 && ${rows}[0].dataset.id === '${id}'`);
    await page.evaluate(click('device-row', `[data-id="${id}"] [data-testid="device-maintain-end"]`));
    await page.waitFor(`${row(id, '[data-role="device-maintenance"]')} === null && ${text('devices-status')} === '${id} 已结束维护'`);
    assert.equal(await page.evaluate(sent('DELETE', `/api/devices/${id}/maintenance`) + '.length'), 1);
  });
});

test('devices: community staff see their community\'s devices read-only', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    await page.evaluate(signInAs({ accessToken: 'demo:community1:CommunityStaff', role: 'CommunityStaff', scopeId: 'c1', name: '梧桐社区 工作人员', username: 'community1' }));
    await page.waitFor(`${q('device-form')}.hidden && ${rows}.length === 50 && ${rows}.every((r) => ['g1', 'g2', 'g3'].includes(r.dataset.gridId))`);
    assert.deepEqual(await page.evaluate(`[...new Set(${rows}.map((r) => r.dataset.gridId))].sort()`), ['g1', 'g2', 'g3']);
    // The grid filter offers their community's grids only (the hierarchy is scoped, as the host's is).
    assert.deepEqual(await page.evaluate(`[...${q('device-filter-grid')}.options].map((o) => o.value).filter(Boolean)`), ['g1', 'g2', 'g3']);
    assert.equal(await page.evaluate(`document.querySelectorAll('[data-testid="device-retire"], [data-testid="device-move"], [data-testid="device-maintain"]').length`), 0);
    assert.equal(await page.evaluate(`${q('device-form')}.hidden && !document.querySelector('[data-role="devices-readonly"]').hidden`), true);
    assert.match(await page.evaluate(`document.querySelector('[data-role="devices-readonly"]').textContent`), /仅运营值班员和管理员可以登记、停用、迁移设备或设置维护/);
  });
});

test('devices: an operator may change devices; the tab, list and login speak English after the toggle', async () => {
  await withPage(`${base}/admin/?demo=1#devices`, async (page) => {
    await page.waitFor(ready);
    await page.evaluate(signInAs({ accessToken: 'demo:operator:Operator', role: 'Operator', scopeId: null, name: '值班员 王敏', username: 'operator' }));
    // The reloaded page has signed in as the operator, who may change devices.
    await page.waitFor(`document.querySelector('[data-role="user"]').textContent.includes('值班员 王敏') && ${rows}.length === 50
      && ${q('device-building')}.options.length === 45`);
    assert.equal(await page.evaluate(`!${q('device-form')}.hidden && document.querySelectorAll('[data-testid="device-retire"]').length === 50`), true);
    await register(page, { id: 'mh-new-1', kind: 'manhole', buildingId: 'g3-b1' });
    await page.waitFor(`!${q('device-credentials')}.hidden`);
    await page.evaluate(click('lang-toggle'));
    await page.waitFor(`${text('tab-devices')} === 'Devices'`);
    assert.equal(await page.evaluate(text('device-form-status')), 'Registered mh-new-1');
    assert.match(await page.evaluate(`${q('device-credentials')}.textContent`), /The password is shown only this once[\s\S]*Telemetry topic/);
    assert.deepEqual(await page.evaluate(`[...${row('camera-g1-b1-1')}.cells].slice(0, 4).map((c) => c.textContent)`),
      ['camera-g1-b1-1', 'Falling-object camera', '梧桐社区 · 梧桐第1网格 · 1区1栋 (g1-b1)', 'Online']);
    assert.deepEqual(await page.evaluate(`[${q('device-filter-kind')}.options[0].textContent, ${q('device-submit')}.textContent, ${text('device-page')}]`),
      ['All kinds', 'Register', 'Devices 1–50 of 424']);
    await page.evaluate(click('device-row', '[data-id="camera-g1-b1-1"] [data-testid="device-retire"]'));
    assert.match(await page.evaluate(text('devices-status')), /retiring cannot be undone over the API/);
  });
});

test('devices: the open tab follows devices going offline, but not while a retirement is being confirmed', async () => {
  await withPage(`${base}/admin/?demo=1&refresh=1#devices`, async (page) => {
    await page.waitFor(ready);
    const status = (id) => `${row(id)}.dataset.status`;
    assert.equal(await page.evaluate(status('camera-g1-b1-1')), 'online');
    await page.evaluate(`(smartDemo.setOnline('camera-g1-b1-1', false), true)`);
    await page.waitFor(`${status('camera-g1-b1-1')} === 'offline'`);
    assert.equal(await page.evaluate(`${row('camera-g1-b1-1')}.cells[3].textContent`), '离线');

    // Asked to confirm a retirement, the row stays as it is: no read for three refresh periods.
    await page.evaluate(click('device-row', '[data-id="camera-g1-b2-1"] [data-testid="device-retire"]'));
    await page.waitFor(`${row('camera-g1-b2-1', '[data-testid="device-retire"]')}.textContent === '确认停用？'`);
    const reads = await page.evaluate(`smartDemo.reads.filter((p) => p.startsWith('/api/devices')).length`);
    await page.evaluate(`(smartDemo.setOnline('camera-g1-b1-1', true), window.__until = Date.now() + 3000, true)`);
    await page.waitFor(`Date.now() > window.__until`);
    assert.equal(await page.evaluate(`smartDemo.reads.filter((p) => p.startsWith('/api/devices')).length`), reads);
    assert.equal(await page.evaluate(`${row('camera-g1-b2-1', '[data-testid="device-retire"]')}.textContent`), '确认停用？');
    assert.equal(await page.evaluate(status('camera-g1-b1-1')), 'offline');
  });
});
