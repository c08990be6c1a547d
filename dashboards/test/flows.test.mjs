// User flows in headless Chromium over the dev-only demo data (?demo=1): the worker's accept → arrive → resolve with
// a note and a 随手拍 report, the ops-centre language toggle and incident details, and the login error message.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './serve.mjs';
import { q, click, withPage } from './page.mjs';

const { base, close } = await serve();
test.after(close);


test('grid worker accepts, arrives and resolves with a note; each step enables only the next one', async () => {
  await withPage(`${base}/grid-worker/?demo=1#incident-101`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${q('worker-state')}?.textContent === '已派单'`);
    assert.equal(await page.evaluate(`${q('btn-arrive')}.disabled`), true);
    await page.evaluate(click('btn-accept'));
    await page.waitFor(`${q('worker-state')}.textContent === '已接单' && !${q('btn-arrive')}.disabled`);
    assert.equal(await page.evaluate(`${q('btn-accept')}.disabled`), true);
    await page.evaluate(click('btn-arrive'));
    await page.waitFor(`${q('worker-state')}.textContent === '已到场' && !${q('btn-resolve')}.disabled`);
    await page.evaluate(`${q('resolve-note')}.value = '已处理，误报：厨房油烟'`);
    await page.evaluate(click('btn-resolve'));
    await page.waitFor(`${q('worker-state')}.textContent === '已办结'`);
    // Back on the list, the resolved incident sits with the finished ones, after the open ones.
    await page.evaluate(`(document.querySelector('[data-role="back"]').click(), true)`);
    const rows = await page.evaluate(`[...document.querySelectorAll('[data-testid="incident-row"]')].map((r) => [r.dataset.incidentId, r.classList.contains('done')])`);
    assert.deepEqual(rows, [['103', false], ['101', true], ['108', true]]);
  });
});

test('grid worker files a 随手拍 report for a building of their grid and sees it in the list', async () => {
  await withPage(`${base}/grid-worker/?demo=1`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${q('report-building')}?.options.length === 5`);
    await page.evaluate(click('tab-report'));
    await page.evaluate(click('report-submit'));
    await page.waitFor(`document.querySelector('[data-role="report-result"]').textContent === '请填写问题描述'`);
    await page.evaluate(`${q('report-text')}.value = '3栋楼道堆放杂物'`);
    await page.evaluate(click('report-submit'));
    const text = await page.waitFor(`document.querySelector('[data-role="report-result"]').textContent.startsWith('已上报') && document.querySelector('[data-role="report-result"]').textContent`);
    const id = text.match(/#(\d+)/)[1];
    await page.waitFor(`${q('incident-row', `[data-incident-id="${id}"]`)} !== null`);
  });
});

test('ops-centre switches to English and back, remembering the choice, and opens incident details with history', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
    await page.evaluate(click('lang-toggle'));
    await page.waitFor(`${q('connection-state')}.textContent === 'Connected' && document.documentElement.lang === 'en'`);
    assert.equal(await page.evaluate(`localStorage.getItem('smart.lang')`), 'en');
    await page.waitFor(`${q('incident-row', '[data-incident-id="101"]')}.textContent.includes('Smoke alarm')`);
    await page.evaluate(click('incident-row', '[data-incident-id="102"]'));
    await page.waitFor(`${q('incident-detail')}.open && document.querySelectorAll('[data-testid="incident-history"] tbody tr').length === 2`);
    assert.match(await page.evaluate(`${q('incident-detail')}.textContent`), /Charger over-temperature/);
    await page.evaluate(click('lang-toggle'));
    await page.waitFor(`${q('kpi-open')}.textContent.includes('未结事件') && ${q('incident-detail')}.textContent.includes('充电桩过温')`);
  });
});

test('ops-centre: the operator dispatches a new incident to a chosen worker, cancels it with a reason, and rates a resolved one', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    const actions = `[...document.querySelectorAll('[data-testid="incident-actions"] .action')].map((a) => a.dataset.action).join()`;
    const status = `${q('action-status')}`;
    await page.waitFor(`document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
    await page.evaluate(click('incident-row', '[data-incident-id="104"]'));
    await page.waitFor(`${q('incident-detail')}.open && ${actions} === 'dispatch,cancel'`); // an operator does not verify
    assert.ok(!(await page.evaluate(`${q('incident-detail')}.textContent.includes('核查时限')`))); // not resolved: nothing to verify yet
    await page.waitFor(`[...${q('dispatch-assignee')}.options].some((o) => o.value === 'p-g7-w2')`);
    assert.deepEqual(await page.evaluate(`[...${q('dispatch-assignee')}.options].map((o) => o.value)`), ['', 'p-g7-w1', 'p-g7-w2']);
    await page.evaluate(`${q('dispatch-assignee')}.value = 'p-g7-w2'`);
    await page.evaluate(click('action-dispatch'));
    await page.waitFor(`${status}.dataset.status === 'ok' && ${q('action-dispatch')}?.textContent === '改派'`);
    assert.equal(await page.evaluate(`${status}.textContent`), '事件 #104 已派给 网格员 G7-2');

    // A live event for the incident re-renders the dialog; a half-typed reason survives it.
    await page.evaluate(`(${q('cancel-reason')}.value = '半句', ${q('incident-actions')}.dataset.old = '1', true)`);
    await page.evaluate(`(window.smartDemo.touch(104), true)`);
    await page.waitFor(`${q('incident-actions')} && !${q('incident-actions')}.dataset.old`);
    assert.equal(await page.evaluate(`${q('cancel-reason')}.value`), '半句');
    await page.evaluate(`${q('cancel-reason')}.value = ''`);
    await page.evaluate(click('action-cancel')); // no reason: refused here, nothing sent
    await page.waitFor(`${status}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(`${status}.textContent`), '请先填写原因');
    await page.evaluate(`${q('cancel-reason')}.value = '测试误报'`);
    await page.evaluate(click('action-cancel'));
    await page.waitFor(`${status}.textContent === '事件 #104 已撤销' && ${q('incident-actions')} === null`);
    assert.deepEqual(await page.evaluate(`window.smartDemo.sent.filter((r) => r.path.startsWith('/api/incidents/104')).map((r) => [r.path, r.body])`),
      [['/api/incidents/104/dispatch', { assigneeId: 'p-g7-w2', note: null }], ['/api/incidents/104/cancel', { note: '测试误报' }]]);

    await page.evaluate(`document.querySelector('[data-role="detail-close"]').click()`);
    await page.evaluate(click('incident-row', '[data-incident-id="108"]'));
    await page.waitFor(`${q('incident-detail')}.open && ${actions} === 'feedback' && ${status}.textContent === ''`);
    // Resolved 95 min after it was raised: its accept, arrive and resolve limits are behind it (times only, not "overdue");
    // the verification limit (核查时限) counts down.
    const fields = `Object.fromEntries([...${q('incident-detail')}.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))`;
    const shown = await page.evaluate(fields);
    for (const limit of ['接单时限', '到场时限', '办结时限']) assert.doesNotMatch(shown[limit], /已超时|剩余/, limit);
    assert.match(shown['核查时限'], /剩余 \d+:\d\d:\d\d/);
    await page.evaluate(`${q('feedback-score')}.value = '4'`);
    await page.evaluate(click('action-feedback'));
    await page.waitFor(`${status}.textContent === '事件 #108 的评价已记录'`);
    assert.deepEqual(await page.evaluate(`window.smartDemo.sent.at(-1)`), { method: 'POST', path: '/api/incidents/108/feedback', body: { satisfaction: 4, comment: null } });
  });
});

test('ops-centre: taking an accepted incident from its worker (改派) asks for a reason first', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    const actions = `[...document.querySelectorAll('[data-testid="incident-actions"] .action')].map((a) => a.dataset.action).join()`;
    const status = `${q('action-status')}`;
    await page.waitFor(`document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
    await page.evaluate(click('incident-row', '[data-incident-id="102"]')); // accepted by 网格员 G4-1
    await page.waitFor(`${q('incident-detail')}.open && ${actions} === 'dispatch,cancel' && ${q('action-dispatch')}.textContent === '改派'`);
    // The assignee's phone is a link the operations centre can call from.
    assert.deepEqual(await page.evaluate(`[${q('assignee-phone')}.textContent, ${q('assignee-phone')}.getAttribute('href')]`), ['139 0000 0401', 'tel:13900000401']);
    await page.waitFor(`[...${q('dispatch-assignee')}.options].some((o) => o.value === 'p-g4-w2')`);
    await page.evaluate(`${q('dispatch-assignee')}.value = 'p-g4-w2'`);
    await page.evaluate(click('action-dispatch')); // no reason: refused here, nothing sent
    await page.waitFor(`${status}.dataset.status === 'error'`);
    assert.equal(await page.evaluate(`${status}.textContent`), '请先填写原因');
    const sentFor102 = `window.smartDemo.sent.filter((r) => r.path.startsWith('/api/incidents/102'))`;
    assert.equal(await page.evaluate(`${sentFor102}.length`), 0);
    await page.evaluate(`${q('dispatch-reason')}.value = '原处理人生病'`);
    await page.evaluate(click('action-dispatch'));
    await page.waitFor(`${status}.textContent === '事件 #102 已派给 网格员 G4-2'`);
    assert.deepEqual(await page.evaluate(sentFor102), [{ method: 'POST', path: '/api/incidents/102/dispatch', body: { assigneeId: 'p-g4-w2', note: '原处理人生病' } }]);
    // Now dispatched to the new worker: a further 改派 needs no reason (nobody has accepted it).
    await page.waitFor(`${q('action-dispatch')} !== null && ${q('dispatch-reason')} === null`);
  });
});

test('ops-centre grid tile filters the feed to that grid', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
    await page.evaluate(click('grid-tile', '[data-grid-id="g1"]'));
    await page.waitFor(`[...document.querySelectorAll('[data-testid="incident-row"]')].map((r) => r.dataset.incidentId).join() === '101,103,108'`);
    await page.evaluate(click('feed-filter'));
    await page.waitFor(`document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
  });
});

test('open screens follow a district change made elsewhere (districtChanged): the ops-centre tile and the worker\'s list', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && ${q('grid-tile', '[data-grid-id="g1"]')}`);
    assert.equal(await page.evaluate(`${q('grid-tile', '[data-grid-id="g1"]')}.textContent.includes('梧桐北网格')`), false);
    await page.evaluate(`(smartDemo.renamePlace('grid', 'g1', '梧桐北网格'), true)`);
    await page.waitFor(`${q('grid-tile', '[data-grid-id="g1"]')}.textContent.includes('梧桐北网格')`);
  });
  await withPage(`${base}/grid-worker/?demo=1`, { width: 375, height: 812 }, async (page) => {
    const place = `${q('incident-row', '[data-incident-id="101"]')}.querySelector('.place').textContent`;
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && ${q('incident-row', '[data-incident-id="101"]')}`);
    await page.evaluate(`(smartDemo.renamePlace('building', 'g1-b2', '银杏苑2号楼'), true)`);
    await page.waitFor(`${place} === '银杏苑2号楼' && [...${q('report-building')}.options].some((o) => o.textContent.includes('银杏苑2号楼'))`);
  });
});

test('a wrong password shows the server\'s ProblemDetails message on the login form', async () => {
  await withPage(`${base}/ops-centre/`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`${q('login-form')} && !document.querySelector('[data-role="login"]').hidden`);
    await page.evaluate(`${q('login-password')}.value = 'nope'`);
    await page.evaluate(click('login-submit'));
    await page.waitFor(`document.querySelector('[data-role="login-error"]').textContent === 'wrong username or password / 用户名或密码错误'`);
  }, ['log error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']); // Chromium's own network log
});

test('ops-centre: a new P1 flashes at the top; events missed while reconnecting arrive through Resume', async () => {
  await withPage(`${base}/ops-centre/?demo=1`, { width: 1920, height: 1080 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && document.querySelectorAll('[data-testid="incident-row"]').length === 9`);
    const id = await page.evaluate(`smartDemo.raise({ severity: 'P1' })`);
    await page.waitFor(`document.querySelector('[data-testid="incident-row"]').dataset.incidentId === '${id}'`);
    assert.equal(await page.evaluate(`${q('incident-row', `[data-incident-id="${id}"]`)}.classList.contains('flash')`), true);
    await page.waitFor(`document.querySelector('[data-testid="kpi-p1"] [data-role="value"]').textContent === '3'`);
    assert.match(await page.evaluate(`document.querySelector('[data-role="announce"]').textContent`), /^P1 一氧化碳报警 · 梧桐社区/);
    await page.evaluate(`(smartDemo.drop(), true)`);
    await page.waitFor(`${q('connection-state')}.dataset.state === 'reconnecting' && ${q('connection-state')}.textContent === '重连中'`);
    const missed = await page.evaluate(`smartDemo.raise({ severity: 'P2', type: 'manhole.open' })`);
    assert.equal(await page.evaluate(`${q('incident-row', `[data-incident-id="${missed}"]`)}`), null);
    await page.evaluate(`(smartDemo.restore(), true)`);
    await page.waitFor(`${q('connection-state')}.textContent === '已连接' && ${q('incident-row', `[data-incident-id="${missed}"]`)} !== null`);
    assert.equal(await page.evaluate(`${q('incident-row', `[data-incident-id="${missed}"]`)}.classList.contains('flash')`), false);
    assert.equal(await page.evaluate(`Number(sessionStorage.getItem('smart.lastSeq')) > 500`), true);
    // A P1 coming back (its device alarmed again after the worker resolved it) flashes too.
    assert.equal(await page.evaluate(`${q('incident-row', '[data-incident-id="101"]')}.classList.contains('flash')`), false);
    await page.evaluate(`(smartDemo.recur(101), true)`);
    await page.waitFor(`${q('incident-row', '[data-incident-id="101"]')}.classList.contains('flash')`);
  });
});

test('grid worker: a new P1 in my grid vibrates and shows an alert that opens it', async () => {
  await withPage(`${base}/grid-worker/?demo=1`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && document.querySelectorAll('[data-testid="incident-row"]').length === 3`);
    await page.tap(200, 700); // a user gesture: unlocks WebAudio and vibration
    await page.evaluate(`(navigator.vibrate = (pattern) => { window.vibrated = pattern; return true; }, true)`);
    const id = await page.evaluate(`smartDemo.raise({ severity: 'P1' })`);
    await page.waitFor(`!${q('new-alert')}.hidden && ${q('new-alert')}.textContent.includes('一氧化碳报警')`);
    assert.deepEqual(await page.evaluate('window.vibrated'), [400, 150, 400, 150, 400]);
    assert.equal(await page.evaluate(`document.querySelector('[data-testid="incident-row"]').dataset.incidentId`), String(id));
    await page.evaluate(click('new-alert'));
    await page.waitFor(`!${q('worker-detail')}.hidden && ${q('worker-state')}.textContent === '已派单'`);
    // A P3 does not alert.
    await page.evaluate(`(window.vibrated = null, ${q('new-alert')}.hidden = true, true)`);
    const quiet = await page.evaluate(`smartDemo.raise({ severity: 'P3', type: 'manual.report' })`);
    await page.waitFor(`${q('incident-row', `[data-incident-id="${quiet}"]`)} !== null`);
    assert.equal(await page.evaluate('window.vibrated'), null);
    assert.equal(await page.evaluate(`${q('new-alert')}.hidden`), true);
  });
});

test('grid worker: an incident I resolved that comes back for rework alerts me and offers accept again', async () => {
  await withPage(`${base}/grid-worker/?demo=1#incident-101`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && ${q('worker-state')}?.textContent === '已派单' && !${q('btn-accept')}.disabled`);
    await page.evaluate(click('btn-accept'));
    await page.waitFor(`!${q('btn-arrive')}.disabled`);
    await page.evaluate(click('btn-arrive'));
    await page.waitFor(`!${q('btn-resolve')}.disabled`);
    await page.evaluate(`(${q('resolve-note')}.value = '已复位', true)`);
    await page.evaluate(click('btn-resolve'));
    await page.waitFor(`${q('worker-state')}.textContent === '已办结' && ${q('btn-accept')}.disabled`);
    await page.tap(200, 700); // a user gesture: unlocks WebAudio and vibration
    await page.evaluate(`(navigator.vibrate = (pattern) => { window.vibrated = pattern; return true; }, ${q('new-alert')}.hidden = true, true)`);
    await page.evaluate(`(smartDemo.recur(101), true)`);
    await page.waitFor(`!${q('new-alert')}.hidden && ${q('worker-state')}.textContent === '已派单' && !${q('btn-accept')}.disabled`);
    assert.equal(await page.evaluate(`${q('new-alert')}.textContent`), '退回返工，请再次处置：P1 烟雾报警 · 1区2栋');
    assert.deepEqual(await page.evaluate('window.vibrated'), [400, 150, 400, 150, 400]);
  });
});

test('grid worker: an incident taken from me says to whom and locks my buttons; one given to me alerts', async () => {
  await withPage(`${base}/grid-worker/?demo=1#incident-101`, { width: 375, height: 812 }, async (page) => {
    await page.waitFor(`${q('connection-state')}.dataset.state === 'connected' && ${q('worker-state')}?.textContent === '已派单' && !${q('btn-accept')}.disabled`);
    assert.equal(await page.evaluate(`${q('worker-assignee')}.textContent`), '网格员 G1-1');
    await page.evaluate(`(smartDemo.redispatch(101, 'p-g1-w2'), true)`);
    await page.waitFor(`!${q('new-alert')}.hidden && ${q('handled-by')} !== null`);
    assert.equal(await page.evaluate(`${q('new-alert')}.textContent`), '事件 #101 已改派给 网格员 G1-2');
    assert.equal(await page.evaluate(`${q('handled-by')}.textContent`), '由 网格员 G1-2 处置，无需您操作');
    assert.equal(await page.evaluate(`${q('btn-accept')}.disabled && ${q('btn-arrive')}.disabled && ${q('btn-resolve')}.disabled`), true);
    // On the list, my own open incidents come before a colleague's (even a more severe one), which names its handler.
    const rows = `[...document.querySelectorAll('[data-testid="incident-row"]')]`;
    assert.deepEqual(await page.evaluate(`${rows}.map((r) => [r.dataset.incidentId, r.dataset.mine])`), [['103', 'true'], ['101', 'false'], ['108', 'true']]);
    assert.equal(await page.evaluate(`${q('incident-row', '[data-incident-id="101"]')}.querySelector('.handler').textContent`), ' · 网格员 G1-2');

    await page.tap(200, 700); // a user gesture: unlocks WebAudio and vibration
    await page.evaluate(`(navigator.vibrate = (pattern) => { window.vibrated = pattern; return true; }, ${q('new-alert')}.hidden = true, true)`);
    await page.evaluate(`(smartDemo.redispatch(101, 'p-g1-w1'), true)`);
    await page.waitFor(`!${q('new-alert')}.hidden && ${q('handled-by')} === null && !${q('btn-accept')}.disabled`);
    assert.equal(await page.evaluate(`${q('new-alert')}.textContent`), '改派给您的事件：P1 烟雾报警 · 1区2栋');
    assert.deepEqual(await page.evaluate('window.vibrated'), [400, 150, 400, 150, 400]);
  });
});
