// The administration page (/admin/) in headless Chromium over the dev-only demo data (?demo=1), which answers like the
// host (admin-only people API, rosters hold only the grid's workers, own password needs the current one): the district
// tree, adding a person (the request body sent), saving a roster, and API errors shown as what-to-do sentences.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './serve.mjs';
import { q, click, withPage as openPage } from './page.mjs';

const { base, close } = await serve();
test.after(close);
const set = (testid, value) => `(${q(testid)}.value = ${JSON.stringify(value)}, ${q(testid)}.dispatchEvent(new Event('change')), true)`;
const sent = (method, path) => `smartDemo.sent.filter((r) => r.method === '${method}' && r.path === '${path}')`;

const withPage = (url, body, expectedConsole) => openPage(url, { width: 1440, height: 900 }, body, expectedConsole);

test('admin: the district tree nests street → community → grid → building, and "add below" prefills the place form', async () => {
  await withPage(`${base}/admin/?demo=1#district`, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="tree-node"]').length === 58`);
    const count = (level) => page.evaluate(`document.querySelectorAll('[data-testid="tree-node"][data-level="${level}"]').length`);
    assert.deepEqual([await count('street'), await count('community'), await count('grid'), await count('building')], [1, 3, 9, 45]);
    // Each node sits under its parent: g4 under c2 under st1, and g4's five buildings under g4.
    assert.deepEqual(await page.evaluate(`(() => { const ids = []; let n = ${q('tree-node', '[data-id="g4-b3"]')};
      while (n) { ids.push(n.dataset.id); n = n.parentElement.closest('[data-testid="tree-node"]'); } return ids; })()`), ['g4-b3', 'g4', 'c2', 'st1']);
    assert.equal(await page.evaluate(`${q('tree-node', '[data-id="g4"]')}.querySelectorAll('[data-level="building"]').length`), 5);
    assert.match(await page.evaluate(`${q('tree-node', '[data-id="c1"]')}.querySelector('summary').textContent`), /^社区 梧桐社区 c1/);
    // "add below" on a grid prefills a building under it.
    await page.evaluate(click('tree-node', '[data-id="g2"] [data-testid="tree-add"]'));
    assert.deepEqual(await page.evaluate(`[${q('place-level')}.value, ${q('place-parent')}.value, ${q('place-floors')}.required]`), ['building', 'g2', true]);
    await page.evaluate(`(${q('place-id')}.value = 'g2-b6', ${q('place-name')}.value = '2区6栋', ${q('place-floors')}.value = '18',
      ${q('place-lon')}.value = '120.155', ${q('place-lat')}.value = '30.252', true)`);
    await page.evaluate(click('place-submit'));
    await page.waitFor(`${q('place-status')}.textContent === '已添加 2区6栋' && ${q('tree-node', '[data-id="g2-b6"]')}`);
    // The new building is in view: its grid opened, the others stay as they were.
    assert.deepEqual(await page.evaluate(`['g2', 'g3'].map((id) => document.querySelector('[data-testid="tree-node"][data-id="' + id + '"] > details').open)`), [true, false]);
    assert.deepEqual(await page.evaluate(sent('POST', '/api/hierarchy/buildings')),
      [{ method: 'POST', path: '/api/hierarchy/buildings', body: { id: 'g2-b6', name: '2区6栋', parentId: 'g2', floors: 18, lon: 120.155, lat: 30.252 } }]);
  });
});

test('admin: adding a grid worker sends the person with role and scope, and the list shows them', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="person-row"]').length === 24 && ${q('person-scope')}.options.length === 9`);
    await page.evaluate(`(${q('person-username')}.value = 'zhaolei', ${q('person-name')}.value = '网格员 赵磊', ${q('person-password')}.value = 'long-enough-1',
      ${q('person-phone')}.value = ' 138 0013 8000 ', true)`);
    await page.evaluate(set('person-role', 'grid_worker'));
    await page.evaluate(set('person-scope', 'g5'));
    await page.evaluate(click('person-submit'));
    await page.waitFor(`${q('person-status')}.dataset.status === 'ok' && ${q('person-row', '[data-username="zhaolei"]')}`);
    assert.equal(await page.evaluate(`${q('person-status')}.textContent`), '已添加 zhaolei');
    assert.deepEqual(await page.evaluate(sent('POST', '/api/people')), [{ method: 'POST', path: '/api/people',
      body: { username: 'zhaolei', name: '网格员 赵磊', role: 'grid_worker', scopeId: 'g5', phone: '138 0013 8000', password: 'long-enough-1' } }]);
    assert.match(await page.evaluate(`${q('person-row', '[data-username="zhaolei"]')}.textContent`), /网格员 赵磊网格员银杏社区 · 银杏第2网格 \(g5\)138 0013 8000/);
    assert.equal(await page.evaluate(`${q('person-phone')}.value`), ''); // the form is ready for the next person
    // An operator covers the whole city: no scope to choose, none sent.
    await page.evaluate(set('person-role', 'operator'));
    assert.deepEqual(await page.evaluate(`[${q('person-scope')}.disabled, ${q('person-scope')}.value]`), [true, '']);
  });
});

test('admin: a roster edit is saved with PUT and read back from the server', async () => {
  await withPage(`${base}/admin/?demo=1#rosters`, async (page) => {
    await page.waitFor(`${q('roster-grid')}.options.length === 9 && document.querySelectorAll('[data-testid="roster-row"]').length === 2
      && document.querySelectorAll('[data-testid="person-row"]').length === 24`);
    await page.evaluate(set('roster-grid', 'g3'));
    await page.waitFor(`${q('roster-person')}.value === 'p-g3-w1'`);
    // Worker 1 leaves the all-day shift for days; worker 2 is removed; worker 2 comes back for nights.
    await page.evaluate(`(${q('roster-start')}.value = '08:00', ${q('roster-end')}.value = '20:00', true)`);
    await page.evaluate(`(document.querySelectorAll('[data-testid="roster-remove"]')[1].click(), true)`);
    await page.waitFor(`document.querySelectorAll('[data-testid="roster-row"]').length === 1`);
    await page.evaluate(click('roster-add'));
    assert.equal(await page.evaluate(`[...document.querySelectorAll('[data-testid="roster-person"]')][1].value`), 'p-g3-w2'); // the grid's free worker
    await page.evaluate(`(() => { const row = document.querySelectorAll('[data-testid="roster-row"]')[1];
      row.querySelector('[name="start"]').value = '20:00'; row.querySelector('[name="end"]').value = '08:00'; return true; })()`);
    await page.evaluate(click('roster-save'));
    await page.waitFor(`${q('roster-status')}.textContent === '值班表已保存'`);
    const shifts = [{ personId: 'p-g3-w1', start: '08:00', end: '20:00' }, { personId: 'p-g3-w2', start: '20:00', end: '08:00' }];
    assert.deepEqual(await page.evaluate(sent('PUT', '/api/hierarchy/grids/g3/roster')), [{ method: 'PUT', path: '/api/hierarchy/grids/g3/roster', body: { shifts } }]);
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('[data-testid="roster-row"]')].map((r) =>
      ({ personId: r.querySelector('[name="personId"]').value, start: r.querySelector('[name="start"]').value, end: r.querySelector('[name="end"]').value }))`), shifts);
    assert.equal(await page.evaluate(`${q('roster-person')}.selectedOptions[0].textContent`), '网格员 G3-1 (p-g3-w1)');
    // The picker offers the grid's workers only.
    assert.deepEqual(await page.evaluate(`[...${q('roster-person')}.options].map((o) => o.value)`), ['p-g3-w1', 'p-g3-w2']);
  });
});

test('admin: API errors are shown as what to do, in Chinese and after the toggle in English', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="person-row"]').length === 24`);
    // 400: the login name is taken.
    await page.evaluate(`(${q('person-username')}.value = 'operator', ${q('person-name')}.value = '重复', true)`);
    await page.evaluate(set('person-role', 'operator'));
    await page.evaluate(click('person-submit'));
    await page.waitFor(`${q('person-status')}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(`${q('person-status')}.textContent`),
      '请求无效：id \'p-operator\' or username \'operator\' is already taken。请检查填写的内容后重试');
    // A roster with a worker from another grid (a page left open while an administrator moved them): the server's
    // reason, and nothing changes.
    await page.evaluate(click('tab-rosters'));
    await page.waitFor(`${q('roster-person')}?.value === 'p-g1-w1'`);
    await page.evaluate(`(${q('roster-person')}.append(new Option('p-g2-w1', 'p-g2-w1')), ${q('roster-person')}.value = 'p-g2-w1', true)`);
    await page.evaluate(click('roster-save'));
    await page.waitFor(`${q('roster-status')}.dataset.status === 'error'`);
    assert.match(await page.evaluate(`${q('roster-status')}.textContent`), /^请求无效：'p-g2-w1' is not an active grid worker of grid 'g1'。/);
    await page.evaluate(click('lang-toggle'));
    await page.waitFor(`${q('roster-status')}.textContent.startsWith('Invalid request: ')`);
    assert.match(await page.evaluate(`${q('roster-status')}.textContent`), /Check the fields and try again$/);
  });
});

test('admin: a grid worker sees only their own account and read-only rosters; a wrong current password says so (403)', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    // The demo signs in as admin; swap the session for a grid worker's (as the demo's token endpoint issues it) and reload.
    await page.waitFor(`document.querySelectorAll('[data-testid="person-row"]').length === 24`);
    await page.evaluate(`(sessionStorage.setItem('smart.auth', JSON.stringify({ accessToken: 'demo:worker1a:GridWorker', role: 'GridWorker',
      scopeId: 'g1', name: '网格员 G1-1 (demo)', username: 'worker1a', expiresAt: Date.now() + 3600000 })), location.reload(), true)`);
    await page.waitFor(`!${q('my-account')}.hidden && ${q('my-account')}.textContent.includes('worker1a')`);
    assert.equal(await page.evaluate(`${q('people-list')}.closest('.card').hidden && ${q('person-form')}.hidden`), true);
    assert.deepEqual(await page.evaluate(`[...${q('password-username')}.options].map((o) => o.value)`), ['worker1a']);
    assert.equal(await page.evaluate(`document.querySelector('[data-role="error"]').hidden`), true); // the admin-only list is not even asked for
    await page.evaluate(`(${q('password-current')}.value = 'not-my-password', ${q('password-new')}.value = 'a-new-password-1', true)`);
    await page.evaluate(click('password-submit'));
    await page.waitFor(`${q('password-status')}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(`${q('password-status')}.textContent`), '当前密码错误，请重新输入');
    // Rosters are read-only for a grid worker.
    assert.equal(await page.evaluate(`${q('roster-save')}.hidden && ${q('roster-add')}.hidden`), true);
  });
});

const rows = `[...document.querySelectorAll('[data-testid="person-row"]')]`;
const row = (username, extra = '') => q('person-row', `[data-username="${username}"] ${extra}`.trimEnd());
const signInAs = (auth) => `(sessionStorage.setItem('smart.auth', JSON.stringify(${JSON.stringify({ expiresAt: Date.now() + 3600000, ...auth })})), location.reload(), true)`;

test('admin: community staff see the people of their community read-only and pick a roster worker from a list', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`${rows}.length === 24`);
    await page.evaluate(signInAs({ accessToken: 'demo:community1:CommunityStaff', role: 'CommunityStaff', scopeId: 'c1', name: '梧桐社区 工作人员', username: 'community1' }));
    await page.waitFor(`${rows}.length === 7`);
    assert.deepEqual(await page.evaluate(`${rows}.map((r) => r.dataset.username)`),
      ['community1', 'worker1a', 'worker1b', 'worker2a', 'worker2b', 'worker3a', 'worker3b']);
    assert.equal(await page.evaluate(`document.querySelectorAll('[data-testid="person-edit"], [data-testid="person-deactivate"]').length`), 0);
    assert.equal(await page.evaluate(`${q('person-form')}.hidden && !document.querySelector('[data-role="scoped-note"]').hidden`), true);

    await page.evaluate(click('tab-rosters'));
    await page.waitFor(`${q('roster-person')}?.value === 'p-g1-w1'`);
    await page.evaluate(set('roster-grid', 'g2'));
    await page.waitFor(`${q('roster-person')}?.value === 'p-g2-w1'`);
    await page.evaluate(`(document.querySelectorAll('[data-testid="roster-remove"]')[1].click(), true)`);
    await page.evaluate(click('roster-add'));
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('[data-testid="roster-person"]')][1].selectedOptions[0].textContent`), '网格员 G2-2 (p-g2-w2)');
    await page.evaluate(`(document.querySelectorAll('[data-testid="roster-person"]')[0].value = 'p-g2-w2', document.querySelectorAll('[data-testid="roster-person"]')[1].value = 'p-g2-w1', true)`);
    await page.evaluate(click('roster-save'));
    await page.waitFor(`${q('roster-status')}.textContent === '值班表已保存'`);
    assert.deepEqual(await page.evaluate(sent('PUT', '/api/hierarchy/grids/g2/roster')), [{ method: 'PUT', path: '/api/hierarchy/grids/g2/roster',
      body: { shifts: [{ personId: 'p-g2-w2', start: '00:00', end: '00:00' }, { personId: 'p-g2-w1', start: '08:00', end: '20:00' }] } }]);
  });
});

test('admin: an administrator edits a person in the form, and cannot deactivate or demote themselves', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`${rows}.length === 24`);
    await page.evaluate(`(${row('worker5a', '[data-testid="person-edit"]')}.click(), true)`);
    assert.deepEqual(await page.evaluate(`[${q('person-username')}.value, ${q('person-username')}.readOnly, ${q('person-form')}.querySelector('h2').textContent,
      ${q('person-submit')}.textContent, ${q('person-cancel')}.hidden, ${q('person-password')}.closest('label').hidden]`),
      ['worker5a', true, '编辑人员 worker5a', '保存修改', false, true]);
    assert.equal(await page.evaluate(`${q('person-phone')}.value`), '139 0000 0501'); // the form starts from the row's values
    await page.evaluate(`(${q('person-name')}.value = '网格员 王五', ${q('person-phone')}.value = '', true)`);
    await page.evaluate(set('person-scope', 'g6'));
    await page.evaluate(click('person-submit'));
    await page.waitFor(`${q('person-status')}.textContent === '已保存 worker5a' && ${row('worker5a')}.textContent.includes('网格员 王五')`);
    assert.deepEqual(await page.evaluate(sent('PUT', '/api/people/worker5a')), [{ method: 'PUT', path: '/api/people/worker5a',
      body: { name: '网格员 王五', role: 'grid_worker', scopeId: 'g6', phone: null } }]);
    assert.deepEqual(await page.evaluate(`[${q('person-username')}.readOnly, ${q('person-submit')}.textContent, ${q('person-cancel')}.hidden]`), [false, '添加', true]);
    // Their own row: no "deactivate", and the role is fixed while editing it.
    assert.equal(await page.evaluate(`${row('admin', '[data-testid="person-deactivate"]')}`), null);
    await page.evaluate(`(${row('admin', '[data-testid="person-edit"]')}.click(), true)`);
    assert.equal(await page.evaluate(`${q('person-role')}.disabled`), true);
    await page.evaluate(click('person-cancel'));
    assert.equal(await page.evaluate(`${q('person-role')}.disabled || ${q('person-username')}.value !== ''`), false);
  });
});

test('admin: deactivating a worker with incidents says how many went to whoever is on duty and how many are left in hand', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`${rows}.length === 24`);
    await page.evaluate(`(${row('worker1a', '[data-testid="person-deactivate"]')}.click(), true)`);
    await page.waitFor(`${row('worker1a')}.dataset.active === 'false'`);
    // The demo's worker1a has a dispatched fire and a manhole incident on site: both go to worker1b, on duty in g1.
    assert.equal(await page.evaluate(`${q('people-status')}.textContent`), '已停用 worker1a：不能再登录，已移出值班表；其手上的 2 起事件已改派给值班网格员');
    // With nobody left on duty in g1, worker1b's (now two) incidents stay: the page says to dispatch them by hand.
    await page.evaluate(`(${row('worker1b', '[data-testid="person-deactivate"]')}.click(), true)`);
    await page.waitFor(`${row('worker1b')}.dataset.active === 'false'`);
    assert.equal(await page.evaluate(`${q('people-status')}.textContent`), '已停用 worker1b：不能再登录，已移出值班表；还有 2 起事件所在网格无人值班，请在运营中心改派');
  });
});

test('admin: deactivating a worker takes them off the roster and its picker; reactivating says to put them back on', async () => {
  await withPage(`${base}/admin/?demo=1`, async (page) => {
    await page.waitFor(`${rows}.length === 24`);
    await page.evaluate(`(${row('worker3a', '[data-testid="person-deactivate"]')}.click(), true)`);
    await page.waitFor(`${row('worker3a')}.dataset.active === 'false'`);
    assert.equal(await page.evaluate(`${q('people-status')}.textContent`), '已停用 worker3a：不能再登录，已移出值班表');
    assert.equal(await page.evaluate(`${row('worker3a', '[data-role="person-status"]')}.textContent`), '已停用');
    assert.deepEqual(await page.evaluate(sent('DELETE', '/api/people/worker3a')), [{ method: 'DELETE', path: '/api/people/worker3a', body: null }]);

    await page.evaluate(click('tab-rosters'));
    await page.evaluate(set('roster-grid', 'g3'));
    await page.waitFor(`document.querySelectorAll('[data-testid="roster-row"]').length === 1 && ${q('roster-person')}.value === 'p-g3-w2'`);
    assert.deepEqual(await page.evaluate(`[...${q('roster-person')}.options].map((o) => o.value)`), ['p-g3-w2']);

    await page.evaluate(click('tab-people'));
    await page.evaluate(click('lang-toggle'));
    await page.evaluate(`(${row('worker3a', '[data-testid="person-reactivate"]')}.click(), true)`);
    await page.waitFor(`${row('worker3a')}.dataset.active === 'true'`);
    assert.equal(await page.evaluate(`${q('people-status')}.textContent`), 'Reactivated worker3a; put them on a roster again if they are on duty');
  });
});

test('admin: a place is renamed on the tree; deleting one that is not empty says what is left, in the chosen language', async () => {
  await withPage(`${base}/admin/?demo=1#district`, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="tree-node"]').length === 58`);
    await page.evaluate(click('tree-node', '[data-id="g2"] [data-testid="tree-edit"]'));
    assert.deepEqual(await page.evaluate(`[${q('edit-form')}.hidden, ${q('edit-name')}.value]`), [false, '梧桐第2网格']);
    await page.evaluate(`(${q('edit-name')}.value = '梧桐南网格', true)`);
    await page.evaluate(click('edit-save'));
    await page.waitFor(`${q('tree-status')}.textContent === '已保存 梧桐南网格' && ${q('tree-node', '[data-id="g2"]')}.textContent.includes('梧桐南网格')`);
    // Only what changed is sent: the parent and the polygon were left as they were.
    assert.deepEqual(await page.evaluate(sent('PUT', '/api/hierarchy/grids/g2')), [{ method: 'PUT', path: '/api/hierarchy/grids/g2', body: { name: '梧桐南网格' } }]);
    assert.equal(await page.evaluate(`${q('edit-form')}.hidden`), true);

    const del = (id) => `(${q('tree-node', `[data-id="${id}"] [data-testid="tree-delete"]`)}.click(), true)`;
    await page.evaluate(del('c1'));
    assert.equal(await page.evaluate(`${q('tree-node', '[data-id="c1"] [data-testid="tree-delete"]')}.textContent`), '确认删除？');
    assert.deepEqual(await page.evaluate(sent('DELETE', '/api/hierarchy/communities/c1')), []); // the first click only asks
    await page.evaluate(del('c1'));
    await page.waitFor(`${q('tree-status')}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(`${q('tree-status')}.textContent`), '无法删除：c1 仍有 3个网格，只能删除空的地点：先删除其下的网格（须为空）');
    await page.evaluate(click('lang-toggle'));
    assert.equal(await page.evaluate(`${q('tree-status')}.textContent`), 'Cannot delete: c1 still has 3 grids; only an empty one can be deleted: delete its grids first (only empty ones)');

    await page.evaluate(del('g2-b5'));
    await page.evaluate(del('g2-b5'));
    await page.waitFor(`!${q('tree-node', '[data-id="g2-b5"]')}`);
    assert.equal(await page.evaluate(`${q('tree-status')}.textContent`), 'Deleted 2区5栋 (g2-b5)');
  });
});

test('admin: the edit form moves a building under a grid chosen by its full label, corrects its floors, and reshapes a grid', async () => {
  await withPage(`${base}/admin/?demo=1#district`, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="tree-node"]').length === 58`);
    await page.evaluate(click('tree-node', '[data-id="g1-b1"] [data-testid="tree-edit"]'));
    const shown = (role) => `!document.querySelector('[data-testid="edit-form"] [data-role="${role}"]').hidden`;
    assert.deepEqual(await page.evaluate(`[${q('edit-parent')}.value, ${q('edit-parent')}.selectedOptions[0].textContent, ${q('edit-floors')}.value,
      ${q('edit-lon')}.value, ${shown('edit-building')}, ${shown('edit-grid')}, ${shown('edit-note')}, ${q('edit-parent')}.options.length]`),
      ['g1', '望江街道 › 梧桐社区 › 梧桐第1网格 (g1)', '12', '120.1507', true, false, true, 9]);
    assert.match(await page.evaluate(`document.querySelector('[data-testid="edit-form"] [data-role="edit-note"]').textContent`), /其下设备随之迁移.*未结事件保留原位置/);
    await page.evaluate(set('edit-parent', 'g4'));
    await page.evaluate(`(${q('edit-floors')}.value = '15', true)`);
    await page.evaluate(click('edit-save'));
    await page.waitFor(`${q('tree-status')}.textContent === '已保存 1区1栋，9 台设备随之迁移'`);
    assert.deepEqual(await page.evaluate(`${sent('PUT', '/api/hierarchy/buildings/g1-b1')}.map((r) => r.body)`), [{ name: '1区1栋', parentId: 'g4', floors: 15 }]);
    // The tree was reloaded: the building now sits under g4 in community c2.
    await page.waitFor(`${q('tree-node', '[data-id="g1-b1"]')}?.parentElement.closest('[data-testid="tree-node"]')?.dataset.id === 'g4'`);
    assert.match(await page.evaluate(`${q('tree-node', '[data-id="g1-b1"]')}.textContent`), /15F/);
    await page.evaluate(click('lang-toggle'));
    assert.equal(await page.evaluate(`${q('tree-status')}.textContent`), 'Saved 1区1栋; 9 devices moved along');

    // A grid: its polygon one "lon, lat" per line; a line that is not two numbers is caught before sending, too few
    // points are refused by the host in the page's language.
    await page.evaluate(click('tree-node', '[data-id="g2"] [data-testid="tree-edit"]'));
    assert.deepEqual(await page.evaluate(`[${q('edit-polygon')}.value.split('\\n').length, ${shown('edit-grid')}, ${shown('edit-building')},
      document.querySelector('[data-testid="edit-form"] h3').textContent]`), [4, true, false, 'Edit place Grid g2']);
    await page.evaluate(`(${q('edit-polygon')}.value = '120.2, 30.3\\nsomewhere', true)`);
    await page.evaluate(click('edit-save'));
    assert.equal(await page.evaluate(`${q('tree-status')}.textContent`), 'The polygon is not valid: one "lon, lat" per line, at least 3 lines');
    await page.evaluate(`(${q('edit-polygon')}.value = '120.2, 30.3\\n120.21, 30.3', true)`);
    await page.evaluate(click('edit-save'));
    await page.waitFor(`${q('tree-status')}.dataset.status === 'error'`);
    assert.match(await page.evaluate(`${q('tree-status')}.textContent`), /at least 3 points/);
    await page.evaluate(`(${q('edit-polygon')}.value = '120.2, 30.3\\n120.21, 30.3\\n120.21，30.31', true)`);
    await page.evaluate(click('edit-save'));
    await page.waitFor(`${q('tree-status')}.textContent === 'Saved 梧桐第2网格'`);
    assert.deepEqual(await page.evaluate(`${sent('PUT', '/api/hierarchy/grids/g2')}.at(-1).body`),
      { name: '梧桐第2网格', polygon: [[120.2, 30.3], [120.21, 30.3], [120.21, 30.31]] });
  });
});
