// DEV / DEMO ONLY — loaded solely when the page URL carries ?demo=1 (see api.js maybeDemo).
// Canned sample data behind the same request/hub interface as the real host, so the real render and resume
// code paths run without a backend (for visual checks and screenshots). Nothing here is used in production.
import { underMaintenance } from '/shared/incidents.js';


const NAMES = ['梧桐社区', '银杏社区', '香樟社区'];
const KINDS = ['fire', 'manhole', 'camera', 'charger'];
const mins = (m) => new Date(Date.now() - m * 60000).toISOString();
const problem = (status, title, detail) => Object.assign(new Error(detail || title), { status, title, detail });
const due = (m) => new Date(Date.now() + m * 60000).toISOString();

function hierarchy() {
  const h = { streets: [{ id: 'st1', name: '望江街道' }], communities: [], grids: [], buildings: [] };
  NAMES.forEach((name, c) => {
    h.communities.push({ id: `c${c + 1}`, streetId: 'st1', name });
    for (let g = 0; g < 3; g++) {
      const gi = c * 3 + g + 1;
      // The host's demo district: grid gi is a 0.004° square from (120.15 + (gi − 1)·0.004, 30.25).
      const lon0 = +(120.15 + (gi - 1) * 0.004).toFixed(3), lat0 = 30.25;
      const polygon = [[lon0, lat0], [+(lon0 + 0.004).toFixed(3), lat0], [+(lon0 + 0.004).toFixed(3), 30.254], [lon0, 30.254]];
      h.grids.push({ id: `g${gi}`, communityId: `c${c + 1}`, name: `${name.slice(0, 2)}第${g + 1}网格`, polygon });
      for (let b = 1; b <= 5; b++) h.buildings.push({ id: `g${gi}-b${b}`, gridId: `g${gi}`, name: `${gi}区${b}栋`, floors: 12 + 3 * (b - 1),
        lon: +(lon0 + 0.0007 * b).toFixed(4), lat: 30.252 });
    }
  });
  return h;
}

// [id, type, severity, state, grid, building, minutes ago, title]
const SAMPLE = [
  [101, 'fire.smoke', 'P1', 'dispatched', 1, 2, 1, '1区2栋 烟雾浓度超限'],
  [102, 'charger.overheat', 'P2', 'accepted', 4, 1, 6, '4区1栋 充电桩3号口温度 68°C'],
  [103, 'manhole.tilt', 'P3', 'on_site', 1, 5, 14, '1号井盖倾斜 12°'],
  [104, 'camera.falling_object', 'P2', 'new', 7, 3, 2, '7区3栋 检测到高空抛物（约9层）'],
  [105, 'device.offline', 'P4', 'dispatched', 5, 4, 40, '5区4栋 烟感离线'],
  [106, 'manhole.flood', 'P2', 'accepted', 8, 5, 22, '8区2号井 水位距井盖 18cm'],
  [107, 'sensor.anomaly', 'P3', 'dispatched', 2, 3, 9, '2区3栋 温度读数异常'],
  [108, 'manual.report', 'P3', 'resolved', 1, 1, 95, '1区1栋 楼道堆放杂物'],
  [109, 'charger.leakage', 'P1', 'new', 9, 2, 0.3, '9区2栋 充电桩漏电 32mA'],
];

const IN_HAND = ['dispatched', 'accepted', 'on_site'];
/** The demo grid worker's phone: grid index gi (1…9), worker w (1, 2). */
const workerPhone = (gi, w) => `139 0000 ${String(gi).padStart(2, '0')}0${w}`;

function sampleIncident([id, type, severity, state, gi, b, ago, title]) {
  const c = Math.ceil(gi / 3);
  return { id, type, severity, state, level: ago > 30 && state !== 'resolved' ? 'community' : 'grid', title,
    summary: `${type} (demo)`, streetId: 'st1', communityId: `c${c}`, gridId: `g${gi}`, buildingId: `g${gi}-b${b}`,
    deviceIds: [`${type.split('.')[0]}-g${gi}-b${b}-1`], assigneeId: state === 'new' ? null : `p-g${gi}-w1`,
    assigneeName: state === 'new' ? null : `网格员 G${gi}-1`, assigneePhone: state === 'new' ? null : workerPhone(gi, 1), createdAt: mins(ago), updatedAt: mins(ago / 2),
    acceptDueAt: due(5 - ago), arriveDueAt: due(15 - ago), resolveDueAt: due(120 - ago),
    verifyDueAt: state === 'resolved' ? due(24 * 60 - ago / 2) : null, satisfaction: null };
}

const demoSamples = () => [['fire-g1-b2-3', 'fire', 'temp_c', 22 + Math.random()], ['chg-g4-b1-2', 'charger', 'power_w', 380 + 40 * Math.random()],
  ['mh-g8-2', 'manhole', 'water_level_cm', 18 + Math.random()], ['fire-g5-b4-6', 'fire', 'smoke_pct_per_m', 0.1 * Math.random()]]
  .map(([deviceId, kind, metric, value], i) => ({ deviceId, kind, metric, value, ts: Date.now() - i * 300 }));

export function createDemoTransport() {
  const h = hierarchy();
  const incidents = new Map(SAMPLE.map((s) => [s[0], sampleIncident(s)]));
  const people = [{ id: 'p-op1', username: 'operator', name: '值班员 王敏', role: 'operator', scopeId: null },
    { id: 'p-admin', username: 'admin', name: '管理员', role: 'admin', scopeId: null },
    { id: 'p-st1', username: 'street', name: '街道 陈刚', role: 'street_staff', scopeId: 'st1' },
    ...h.communities.map((c, i) => ({ id: `p-c${i + 1}`, username: `community${i + 1}`, name: `${c.name} 工作人员`, role: 'community_staff', scopeId: c.id })),
    ...h.grids.flatMap((g, i) => [1, 2].map((w) => ({ id: `p-${g.id}-w${w}`, username: `worker${i + 1}${'ab'[w - 1]}`,
      name: `网格员 ${g.id.toUpperCase()}-${w}`, role: 'grid_worker', scopeId: g.id, phone: workerPhone(i + 1, w) })))].map((p) => ({ ...p, active: true }));
  const rosters = new Map(h.grids.map((g) => [g.id, [1, 2].map((w) => ({ personId: `p-${g.id}-w${w}`, start: '00:00', end: '00:00' }))]));
  const hubs = [];
  let seq = 500;
  let nextId = 200;
  const outbox = []; // every event, like the host's outbox: Resume(after) answers from it
  const emit = (change, inc) => {
    const ev = { seq: ++seq, change, incident: { ...inc } };
    outbox.push(ev);
    hubs.forEach((hub) => hub.state === 'Connected' && hub.fire('incident', ev));
  };
  // Dev hooks for tests and demos in the browser console: raise an incident, drop and restore the connection.
  window.smartDemo = {
    raise(fields) {
      const inc = { ...sampleIncident([nextId++, 'fire.co', 'P1', 'dispatched', 1, 3, 0, '1区3栋 一氧化碳超限 (demo)']), ...fields };
      incidents.set(inc.id, inc);
      emit('created', inc);
      return inc.id;
    },
    /** An incident changes elsewhere (e.g. a worker's note): its event reaches the screens. */
    touch(id) {
      const inc = incidents.get(id);
      inc.updatedAt = new Date().toISOString();
      emit('updated', inc);
    },
    /** An administrator (elsewhere) renames a place: the screens hear districtChanged and read the district again. */
    renamePlace(level, id, name) {
      h[{ street: 'streets', community: 'communities', grid: 'grids', building: 'buildings' }[level]].find((x) => x.id === id).name = name;
      hubs.forEach((hub) => hub.state === 'Connected' && hub.fire('districtChanged'));
    },
    /** Someone at the operations centre re-dispatches an incident (改派) to another person. */
    redispatch(id, personId) {
      const person = people.find((x) => x.id === personId);
      Object.assign(incidents.get(id), { assigneeId: person.id, assigneeName: person.name, assigneePhone: person.phone ?? null });
      transition(id, 'dispatched', '改派 (demo)');
    },
    /** The incident's device alarms again after the worker resolved it: the host reopens it (复发) and sends it back. */
    recur(id) {
      transition(id, 'reopened', '复发 Recurred: (demo)');
      transition(id, 'dispatched', `auto → ${incidents.get(id).assigneeId}`);
    },
    /** A device goes offline or comes back (what the host's registry says on the next GET /api/devices). */
    setOnline(id, online) {
      Object.assign(devices.find((d) => d.id === id), { online, lastSeenAt: new Date().toISOString() });
    },
    drop: () => hubs.forEach((hub) => { hub.state = 'Reconnecting'; hub.cb.reconnecting?.(); }),
    restore: () => hubs.forEach((hub) => { hub.state = 'Connected'; hub.cb.reconnected?.(); }),
    sent: [], // every non-GET request as {method, path, body}, for tests
    reads: [], // every GET's path
  };

  /** GET /api/incidents/{id}/history, in the host's shape (IncidentHistoryEntry). */
  const historyOf = (inc) => inc.history ?? [{ at: inc.createdAt, actorId: 'system', fromState: null, toState: 'new', note: inc.summary },
    { at: inc.updatedAt, actorId: 'system', fromState: 'new', toState: inc.state, note: null }];

  function transition(id, to, note) {
    const inc = incidents.get(Number(id));
    const [from, before] = [inc.state, historyOf(inc)];
    Object.assign(inc, { state: to, updatedAt: new Date().toISOString() });
    if (to === 'resolved') inc.verifyDueAt = due(24 * 60); // the host's 核查时限 (P3: a day)
    if (to === 'reopened') inc.verifyDueAt = null;
    inc.history = [...before, { at: inc.updatedAt, actorId: 'p-g1-w1', fromState: from, toState: to, note: note ?? null }];
    emit({ accepted: 'accepted', on_site: 'arrived', resolved: 'resolved' }[to] ?? to, inc);
    return inc;
  }

  // Admin page (people, places, rosters) with the host's rules: administrators list, add and change people; community and
  // street staff list the people in their scope (grid workers get 403); a roster holds only its grid's active workers;
  // a non-admin changes only their own password and must give the current one (demo: username + "123").
  const under = (caller, p) => {
    if (!caller?.scopeId || caller.role === 'operator') return true;
    const communityOf = (gridId) => h.grids.find((g) => g.id === gridId)?.communityId;
    const streetOf = (communityId) => h.communities.find((c) => c.id === communityId)?.streetId;
    const at = { street_staff: [p.scopeId, null, null], community_staff: [streetOf(p.scopeId), p.scopeId, null],
      grid_worker: [streetOf(communityOf(p.scopeId)), communityOf(p.scopeId), p.scopeId] }[p.role] ?? [null, null, null];
    return at[{ street_staff: 0, community_staff: 1, grid_worker: 2 }[caller.role]] === caller.scopeId;
  };
  /** PUT /api/hierarchy/{level}/{id} as the host answers it: the place as saved and how many devices moved with it. */
  function editPlace(plural, found, body) {
    const LEVEL = { streets: ['street', '街道'], communities: ['community', '社区'], grids: ['grid', '网格'], buildings: ['building', '楼栋'] };
    const up = { communities: ['streets', 'streetId'], grids: ['communities', 'communityId'], buildings: ['grids', 'gridId'] }[plural];
    const [noun, zh] = LEVEL[plural];
    if (body.name !== undefined && !String(body.name).trim()) throw problem(400, 'Invalid request', 'name is required. / 名称必填。');
    if (body.parentId !== undefined && body.parentId !== (up && found[up[1]])) {
      if (!up) throw problem(400, 'Invalid request', 'A street has no parent place. / 街道没有上级地点。');
      const [parentNoun, parentZh] = LEVEL[up[0]];
      if (!h[up[0]].some((x) => x.id === body.parentId)) {
        const other = Object.keys(LEVEL).find((l) => h[l].some((x) => x.id === body.parentId));
        throw problem(400, 'Invalid request', other
          ? `'${body.parentId}' is a ${LEVEL[other][0]}; a ${noun} can only be moved under a ${parentNoun}. / ${body.parentId} 是${LEVEL[other][1]}，${zh}只能归属${parentZh}。`
          : `Unknown ${parentNoun} '${body.parentId}'. / 没有编号为 ${body.parentId} 的${parentZh}。`);
      }
      found[up[1]] = body.parentId;
      found.devicesMoved = { communities: 141, grids: 47, buildings: 9 }[plural]; // the demo district's devices per place
    } else found.devicesMoved = 0;
    if (body.polygon && body.polygon.length > 0 && body.polygon.length < 3)
      throw problem(400, 'Invalid request', 'A grid polygon needs at least 3 points (lon, lat); an empty list removes it. / 网格多边形至少需要 3 个点（经度, 纬度）；空列表表示删除。');
    if (body.name !== undefined) found.name = body.name.trim();
    for (const f of ['floors', 'lon', 'lat']) if (body[f] !== undefined) found[f] = body[f];
    if (body.polygon !== undefined) found.polygon = body.polygon.length ? body.polygon : null;
    const { devicesMoved, ...place } = found;
    delete found.devicesMoved;
    return { id: place.id, name: place.name, parentId: up ? place[up[1]] : null, floors: place.floors ?? null, lon: place.lon ?? null, lat: place.lat ?? null,
      polygon: place.polygon ?? null, devicesMoved };
  }

  function administer(method, p, body, username, admin) {
    const forbidden = (detail = '') => problem(403, 'Forbidden', detail);
    const caller = people.find((x) => x.username === username);
    if (p === '/api/people' && method === 'GET') {
      if (caller?.role === 'grid_worker') throw forbidden('grid workers cannot list people; ask your community staff / 网格员不能查看人员列表，请联系社区工作人员');
      return admin ? people : people.filter((x) => under(caller, x));
    }
    if (p.startsWith('/api/people') && !p.endsWith('/password') && !admin) throw forbidden();
    if (p === '/api/people') {
      if (people.some((x) => x.username === body.username))
        throw problem(400, 'Bad Request', `id 'p-${body.username}' or username '${body.username}' is already taken.`);
      const person = { id: `p-${body.username}`, username: body.username, name: body.name, role: body.role, scopeId: body.scopeId ?? null, phone: body.phone ?? null, active: true };
      people.push(person);
      return person;
    }
    const one = p.match(/^\/api\/people\/([^/]+)(\/reactivate)?$/);
    if (one) {
      const person = people.find((x) => x.username === decodeURIComponent(one[1]));
      if (!person) throw problem(404, 'Not Found', `No person with login name '${one[1]}'. / 没有登录名为 ${one[1]} 的人员。`);
      if (one[2]) return Object.assign(person, { active: true });
      if (method === 'DELETE') {
        if (person.username === username) throw forbidden('You cannot deactivate yourself; ask another administrator. / 不能停用自己，请联系其他管理员。');
        person.active = false;
        rosters.forEach((shifts, gridId) => rosters.set(gridId, shifts.filter((x) => x.personId !== person.id)));
        // Like the host: what they have in hand goes to whoever is still on duty in its grid.
        let redispatched = 0;
        for (const inc of incidents.values()) {
          const onDuty = people.find((x) => x.id === (rosters.get(inc.gridId) ?? [])[0]?.personId);
          if (inc.assigneeId === person.id && IN_HAND.includes(inc.state) && onDuty) {
            Object.assign(inc, { assigneeId: onDuty.id, assigneeName: onDuty.name, assigneePhone: onDuty.phone ?? null });
            transition(inc.id, 'dispatched', '原处理人已停用，改派 / the assignee was deactivated');
            redispatched++;
          }
        }
        return { person, redispatched, incidentsInHand: [...incidents.values()].filter((i) => i.assigneeId === person.id && IN_HAND.includes(i.state)).length };
      }
      if (person.username === username && body.role !== person.role) throw forbidden('You cannot change your own role; ask another administrator. / 不能更改自己的角色，请联系其他管理员。');
      return Object.assign(person, { name: body.name, role: body.role, scopeId: body.scopeId ?? null, phone: body.phone ?? null });
    }
    const pw = p.match(/^\/api\/people\/([^/]+)\/password$/);
    if (pw) {
      if (!admin && (decodeURIComponent(pw[1]) !== username || body.currentPassword !== `${username}123`))
        throw problem(403, 'Forbidden', 'current password is wrong / 当前密码错误');
      return null;
    }
    const r = p.match(/^\/api\/hierarchy\/grids\/([^/]+)\/roster$/);
    if (r && method === 'GET') return rosters.get(r[1]) ?? [];
    if (r) {
      const stranger = body.shifts.find((x) => !people.some((q) => q.id === x.personId && q.role === 'grid_worker' && q.scopeId === r[1] && q.active));
      if (stranger) throw problem(400, 'Bad Request', `'${stranger.personId}' is not an active grid worker of grid '${r[1]}'.`);
      rosters.set(r[1], body.shifts.map((x) => ({ ...x })));
      return null;
    }
    const place = p.match(/^\/api\/hierarchy\/(streets|communities|grids|buildings)$/);
    if (place && method === 'POST') {
      if (!admin) throw forbidden();
      const parent = { communities: ['streets', 'streetId'], grids: ['communities', 'communityId'], buildings: ['grids', 'gridId'] }[place[1]];
      if (parent && !h[parent[0]].some((x) => x.id === body.parentId)) throw problem(400, 'Bad Request', `Unknown parent '${body.parentId}'.`);
      const fields = { buildings: { floors: body.floors, lon: body.lon, lat: body.lat }, grids: { polygon: body.polygon ?? null } }[place[1]];
      h[place[1]].push({ id: body.id, name: body.name, ...(parent ? { [parent[1]]: body.parentId } : {}), ...fields });
      return body;
    }
    const named = p.match(/^\/api\/hierarchy\/(streets|communities|grids|buildings)\/([^/]+)$/);
    if (named) {
      if (!admin) throw forbidden('only administrators edit or delete places / 仅管理员可修改或删除地点');
      const list = h[named[1]];
      const found = list.find((x) => x.id === named[2]);
      if (!found) throw problem(404, 'Not Found', `No place '${named[2]}'. / 没有编号为 ${named[2]} 的地点。`);
      if (method === 'PUT') return editPlace(named[1], found, body);
      const child = { streets: ['communities', 'streetId', '社区'], communities: ['grids', 'communityId', '网格'], grids: ['buildings', 'gridId', '楼栋'] }[named[1]];
      const kids = child ? h[child[0]].filter((x) => x[child[1]] === found.id).length : 0;
      if (kids) throw problem(409, 'Conflict', `${named[2]} still has ${kids} ${child[0]}; only an empty one can be deleted: delete its ${child[0]} first (only empty ones). / ${named[2]} 仍有 ${kids}个${child[2]}，只能删除空的地点：先删除其下的${child[2]}（须为空）。`);
      list.splice(list.indexOf(found), 1);
      return null;
    }
    throw problem(404, 'Not Found', `demo: no canned answer for ${method} ${p}`);
  }

  // The device registry (DevicesApi): GET lists a page of the caller's scope by id; POST, PUT and DELETE need an operator or
  // administrator (403 without a body, like the host's policy); POST answers the device and its own MQTT login.
  const devices = [];
  KINDS.forEach((kind, k) => {
    for (let i = 0; i < [270, 18, 45, 90][k]; i++) {
      const b = h.buildings[i % h.buildings.length];
      devices.push({ id: `${kind}-${b.id}-${Math.floor(i / h.buildings.length) + 1}`, kind, buildingId: b.id, lon: b.lon, lat: b.lat, retired: false,
        online: i % 37 !== 5, lastSeenAt: mins(i % 37 !== 5 ? 0.5 : 95) });
    }
  });
  /** DeviceDto: the registry entry with its grid, community and street from its building. */
  function deviceDto(d) {
    const grid = h.grids.find((g) => g.id === h.buildings.find((b) => b.id === d.buildingId).gridId);
    const community = h.communities.find((c) => c.id === grid.communityId);
    return { id: d.id, kind: d.kind, buildingId: d.buildingId, gridId: grid.id, communityId: community.id, streetId: community.streetId,
      lon: d.lon ?? null, lat: d.lat ?? null, retired: d.retired, online: d.online, lastSeenAt: d.lastSeenAt ?? null,
      maintenanceUntil: d.maintenanceUntil ?? null, maintenanceNote: d.maintenanceNote ?? null };
  }
  function deviceRegistry(method, p, query, body, username, role) {
    const caller = people.find((x) => x.username === username);
    const scope = role === 'Admin' || role === 'Operator' ? null : caller?.scopeId;
    const inScope = (dto) => !scope || [dto.streetId, dto.communityId, dto.gridId].includes(scope);
    const ops = role === 'Admin' || role === 'Operator';
    if (p === '/api/devices' && method === 'GET') {
      const kind = query.get('kind'), gridId = query.get('gridId'), status = query.get('status');
      if (kind && !KINDS.includes(kind)) throw problem(400, '请求无效 Invalid request', 'kind must be fire, manhole, camera or charger.');
      if (status && !['online', 'offline', 'retired', 'maintenance'].includes(status)) throw problem(400, '请求无效 Invalid request', 'status must be online, offline, retired or maintenance.');
      const matches = (d) => (status === 'maintenance' ? underMaintenance(d) : (d.retired ? 'retired' : d.online ? 'online' : 'offline') === status);
      const offset = Number(query.get('offset') ?? 0), limit = Number(query.get('limit') ?? 1000);
      const matching = devices.map(deviceDto).filter((d) => inScope(d) && (!kind || d.kind === kind) && (!gridId || d.gridId === gridId) && (!status || matches(d)))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { items: matching.slice(offset, offset + limit), total: matching.length };
    }
    if (method !== 'GET' && !ops) throw problem(403, 'Forbidden');
    if (p === '/api/devices' && method === 'POST') {
      const invalid = (detail) => problem(400, '请求无效 Invalid request', detail);
      if (!body.id?.trim() || !body.buildingId?.trim() || !KINDS.includes(body.kind)) throw invalid('id, kind (fire, manhole, camera or charger) and buildingId are required.');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(body.id)) throw invalid(`Device id '${body.id}' must match [A-Za-z0-9_-]{1,64} (DESIGN §5).`);
      if (!h.buildings.some((b) => b.id === body.buildingId)) throw invalid(`Unknown building '${body.buildingId}'.`);
      if (devices.some((d) => d.id === body.id)) throw invalid(`Device '${body.id}' is already registered.`);
      const device = { id: body.id, kind: body.kind, buildingId: body.buildingId, lon: body.lon ?? null, lat: body.lat ?? null, retired: false, online: false, lastSeenAt: null };
      devices.push(device);
      const topic = (channel) => `smart/v1/${device.kind}/${device.id}/${channel}`;
      return { device: deviceDto(device), mqtt: { username: device.id, password: `demo-${btoa(device.id).replace(/=+$/, '')}-pw`,
        telemetryTopic: topic('telemetry'), eventTopic: topic('event'), statusTopic: topic('status'), commandTopic: topic('command') } };
    }
    const maintenance = p.endsWith('/maintenance');
    const id = decodeURIComponent(p.slice('/api/devices/'.length, maintenance ? -'/maintenance'.length : undefined));
    const device = devices.find((d) => d.id === id && inScope(deviceDto(d)));
    if (!device || (maintenance && device.retired)) throw problem(404, '未找到 Not found', `Device ${id} (or it is retired) not found.`);
    if (maintenance) {
      if (method === 'PUT' && !(body.minutes >= 1 && body.minutes <= 10080)) throw problem(400, '请求无效 Invalid request', 'minutes must be 1–10080 (7 days) / 维护时长须为 1–10080 分钟');
      if (method === 'PUT') Object.assign(device, { maintenanceUntil: new Date(Date.now() + body.minutes * 60000).toISOString(), maintenanceNote: body.note ?? null });
      else device.maintenanceUntil = new Date().toISOString();
      return deviceDto(device);
    }
    if (method === 'DELETE') device.retired = true;
    if (method === 'PUT') {
      if (!body.buildingId?.trim()) throw problem(400, '请求无效 Invalid request', 'buildingId is required / 楼栋编号必填');
      if (!h.buildings.some((b) => b.id === body.buildingId))
        throw problem(400, '请求无效 Invalid request', `Unknown building '${body.buildingId}'. / 没有编号为 ${body.buildingId} 的楼栋。`);
      device.buildingId = body.buildingId;
      if (body.lon != null && body.lat != null) Object.assign(device, { lon: body.lon, lat: body.lat });
    }
    return deviceDto(device);
  }

  /** GET /api/hierarchy as the host answers it: the places within the caller's area (a grid, community or street id;
   *  null = everything), with the communities and streets above them. */
  function scopedHierarchy(scope) {
    if (!scope) return h;
    const communityOf = (id) => h.communities.find((c) => c.id === id);
    const grids = h.grids.filter((g) => [g.id, g.communityId, communityOf(g.communityId).streetId].includes(scope));
    const gridIds = new Set(grids.map((g) => g.id));
    const communities = h.communities.filter((c) => grids.some((g) => g.communityId === c.id) || [c.id, c.streetId].includes(scope));
    const streets = h.streets.filter((st) => communities.some((c) => c.streetId === st.id) || st.id === scope);
    return { streets, communities, grids, buildings: h.buildings.filter((b) => gridIds.has(b.gridId)) };
  }

  /** Answers are copies, as over a network: the page never holds the demo's own objects. */
  const request = async (method, path, body, token) => structuredClone(await answer(method, path, body, token));

  async function answer(method, path, body, token) {
    await new Promise((r) => setTimeout(r, 30));
    const url = new URL(path, location.origin);
    const p = url.pathname;
    if (method !== 'GET') window.smartDemo.sent.push({ method, path, body: body ?? null });
    else window.smartDemo.reads.push(path);
    if (p === '/api/auth/token') {
      const login = body.username.startsWith('worker') ? ['GridWorker', 'g1', '网格员 G1-1 (demo)']
        : body.username.startsWith('community') ? ['CommunityStaff', 'c1', '梧桐社区 工作人员 (demo)']
        : body.username === 'admin' ? ['Admin', null, '管理员 (demo)'] : ['Operator', null, '值班员 王敏 (demo)'];
      const person = people.find((x) => x.username === body.username);
      return { accessToken: `demo:${body.username}:${login[0]}`, expiresIn: 43200, role: login[0], scopeId: login[1], name: login[2], personId: person?.id ?? null };
    }
    const [, username, role] = String(token).split(':');
    const admin = role === 'Admin';
    if (p === '/api/hierarchy') return scopedHierarchy(role === 'Admin' || role === 'Operator' ? null : people.find((x) => x.username === username)?.scopeId);
    if (p.startsWith('/api/people') || p.startsWith('/api/hierarchy/')) return administer(method, p, body, username, admin);
    if (p === '/api/kpis') return { scope: 'all', total: 42, open: 7, closed: 35, cancelled: 0, inGridResolutionRate: 0.91, onTimeClosureRate: 0.86, verifiedOnTimeRate: 0.97,
      reworkRate: 0.04, meanMinutesToAccept: 1.6, meanMinutesToResolve: 31.7, meanSatisfaction: 4.7, falseAlarmRateByKind: { fire: 0.08 } };
    if (p.startsWith('/api/devices')) return deviceRegistry(method, p, url.searchParams, body, username, role);
    const hist = p.match(/^\/api\/incidents\/(\d+)\/history$/);
    if (hist) return historyOf(incidents.get(Number(hist[1])));
    const m = p.match(/^\/api\/incidents\/(\d+)(?:\/(accept|arrive|resolve|dispatch|cancel|close|reopen|feedback))?$/);
    if (m && m[2] === 'feedback') return Object.assign(incidents.get(Number(m[1])), { satisfaction: body.satisfaction });
    if (m && ['cancel', 'reopen'].includes(m[2]) && !body?.note) throw problem(400, 'Invalid request', `A reason is required to ${m[2]} incident ${m[1]}.`);
    if (m && m[2] === 'dispatch') {
      const inc = incidents.get(Number(m[1]));
      if (['accepted', 'on_site'].includes(inc.state) && !body?.note?.trim())
        throw problem(400, 'Invalid request', `Incident ${inc.id} is ${inc.state} by ${inc.assigneeId}: give a reason to re-dispatch it. / 处理人已接单，改派须填写原因。`);
      const assignee = people.find((x) => x.id === (body?.assigneeId ?? (rosters.get(inc.gridId) ?? [])[0]?.personId));
      Object.assign(inc, { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null, assigneePhone: assignee?.phone ?? null });
    }
    if (m && m[2]) {
      const inc = transition(m[1], { accept: 'accepted', arrive: 'on_site', resolve: 'resolved', dispatch: 'dispatched', cancel: 'cancelled',
        close: 'closed', reopen: 'reopened' }[m[2]], body?.note);
      if (m[2] === 'cancel') inc.cancelReason = body.note;
      return inc;
    }
    if (m) return incidents.get(Number(m[1]));
    if (p === '/api/incidents' && method === 'POST') {
      const inc = sampleIncident([nextId++, 'manual.report', 'P3', 'new', 1, 2, 0, '随手拍 (demo)']);
      incidents.set(inc.id, inc);
      emit('created', inc);
      return inc;
    }
    if (p === '/api/incidents') {
      const grid = url.searchParams.get('gridId');
      const items = [...incidents.values()].filter((i) => !grid || i.gridId === grid);
      return { items, total: items.length };
    }
    throw Object.assign(new Error(`demo: no canned answer for ${method} ${p}`), { status: 404 });
  }

  /** The telemetry message's device counts per kind, from the registry above (as the host counts its directory). */
  function devicesByKind() {
    const byKind = Object.fromEntries(KINDS.map((k) => [k, { online: 0, total: 0, maintenance: 0 }]));
    for (const d of devices.filter((x) => !x.retired)) {
      byKind[d.kind].total++;
      if (d.online) byKind[d.kind].online++;
      if (underMaintenance(d)) byKind[d.kind].maintenance++;
    }
    return byKind;
  }

  function createHub() {
    const handlers = {};
    const timers = [];
    let rate = 1200;
    const hub = {
      state: 'Disconnected',
      fire: (name, arg) => handlers[name]?.(arg),
      on: (name, fn) => { handlers[name] = fn; },
      cb: {},
      onreconnecting(fn) { hub.cb.reconnecting = fn; }, onreconnected(fn) { hub.cb.reconnected = fn; }, onclose(fn) { hub.cb.close = fn; },
      async start() {
        hub.state = 'Connected';
        timers.push(setInterval(() => {
          rate = Math.max(400, rate + (Math.random() - 0.5) * 200);
          const byKind = { fire: rate * 0.64, manhole: rate * 0.04, camera: rate * 0.1, charger: rate * 0.22 };
          if (hub.state === 'Connected') hub.fire('telemetry', { ts: Date.now(), msgsPerSec: rate, byKind, devicesByKind: devicesByKind(), samples: demoSamples() });
        }, 1000));
        timers.push(setInterval(() => {
          const inc = incidents.get(107);
          if (inc) { inc.updatedAt = new Date().toISOString(); emit('updated', inc); }
        }, 15000));
      },
      async stop() { timers.forEach(clearInterval); hub.state = 'Disconnected'; },
      async invoke(method, ...args) {
        if (method === 'Resume') return structuredClone(outbox.filter((ev) => ev.seq > args[0]));
        const to = { Accept: 'accepted', Arrive: 'on_site', Resolve: 'resolved' }[method];
        if (to) return structuredClone(transition(args[0], to, args[1]));
        throw new Error(`demo: hub method ${method} not canned`);
      },
    };
    hubs.push(hub);
    return hub;
  }

  return { request, createHub, demo: true };
}
