// Every user-facing string of both dashboards, zh-CN (default) and English (DESIGN §10).
// Markup uses data-i18n="key" (text), data-i18n-placeholder / data-i18n-title / data-i18n-aria (attributes).

const STRINGS = {
  // app chrome
  'app.ops.title': ['智慧社区监测 · 运营中心', 'Smart Community Monitoring · Operations Centre'],
  'app.worker.title': ['网格员工作台', 'Grid worker'],
  'app.admin.title': ['智慧社区监测 · 管理', 'Smart Community Monitoring · Administration'],
  'nav.admin': ['管理', 'Admin'],
  'nav.account': ['我的账号：修改密码', 'My account: change password'],
  'nav.ops': ['运营中心', 'Operations centre'],
  'lang.toggle': ['EN', '中文'],
  'lang.toggle.aria': ['切换到英文', 'Switch to Chinese'],
  'conn.connected': ['已连接', 'Connected'],
  'conn.connecting': ['连接中', 'Connecting'],
  'conn.reconnecting': ['重连中', 'Reconnecting'],
  'conn.disconnected': ['已断开', 'Disconnected'],
  'demo.banner': ['演示数据（开发用）', 'Demo data (development only)'],
  // login
  'login.title': ['登录', 'Sign in'],
  'login.username': ['用户名', 'Username'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'login.busy': ['正在登录…', 'Signing in…'],
  'login.hint.ops': ['演示账号：operator / operator123', 'Demo login: operator / operator123'],
  'login.hint.admin': ['演示账号：admin / admin123（其他账号可查看本人信息、修改密码）', 'Demo login: admin / admin123 (other logins see their own account and change their password)'],
  'login.hint.worker': ['演示账号：worker1a / worker1a123', 'Demo login: worker1a / worker1a123'],
  'login.logout': ['退出', 'Sign out'],
  'login.again': ['请重新登录', 'Please sign in again'],
  'login.notWorker': ['该账号没有网格范围，请使用网格员账号登录', 'This account has no grid scope; sign in as a grid worker'],
  // errors
  'error.network': ['无法连接服务器，请检查网络或稍后重试', 'Cannot reach the server; check the network and retry'],
  'error.session': ['登录已过期，请重新登录', 'Your session has expired; please sign in again'],
  'error.http': ['请求失败', 'Request failed'],
  'error.close': ['关闭', 'Dismiss'],
  // API errors on the admin page: what went wrong and what to do ({0} = the server's own message)
  'apiError.400': ['请求无效：{0}。请检查填写的内容后重试', 'Invalid request: {0}. Check the fields and try again'],
  'apiError.403': ['无权限：不在您的管辖范围内，或您的角色不能执行此操作。请联系管理员', 'Not allowed: not in your scope, or your role cannot do this. Ask an administrator'],
  'apiError.403.password': ['当前密码错误，请重新输入', 'The current password is wrong; enter it again'],
  'apiError.404': ['未找到：{0}。可能已被删除或不在您的辖区内，请刷新页面', 'Not found: {0}. It may be gone or outside your scope; reload the page'],
  'apiError.409': ['冲突：{0}。请刷新后重试', 'Conflict: {0}. Reload and try again'],
  'apiError.429': ['操作过于频繁，请稍候一分钟再试', 'Too many attempts; wait a minute and try again'],
  'apiError.5xx': ['服务器出错（HTTP {0}），请稍后重试；仍失败请联系运维', 'Server error (HTTP {0}); try again later, and tell the operations team if it persists'],
  'apiError.other': ['请求失败（HTTP {0}）：{1}', 'Request failed (HTTP {0}): {1}'],
  // admin page
  'admin.tab.people': ['人员', 'People'],
  'admin.tab.district': ['辖区', 'District'],
  'admin.tab.rosters': ['值班表', 'Rosters'],
  'admin.tab.devices': ['设备', 'Devices'],
  'admin.people.title': ['人员列表', 'People'],
  'admin.people.add': ['添加人员', 'Add a person'],
  'admin.people.username': ['登录名', 'Login name'],
  'admin.people.name': ['姓名', 'Name'],
  'admin.people.role': ['角色', 'Role'],
  'admin.people.scope': ['管辖范围', 'Scope'],
  'admin.people.scopeAll': ['全市（无需选择）', 'Whole city (none needed)'],
  'admin.people.phone': ['联系电话（可选）', 'Phone (optional)'],
  'admin.people.password': ['初始密码（可选，至少 10 位）', 'Initial password (optional, 10+ characters)'],
  'admin.people.submit': ['添加', 'Add'],
  'admin.people.added': ['已添加 {0}', 'Added {0}'],
  'admin.people.empty': ['暂无人员', 'No people yet'],
  'admin.people.setPassword': ['设置密码', 'Set password'],
  'admin.people.status': ['状态', 'Status'],
  'admin.people.active': ['在职', 'Active'],
  'admin.people.inactive': ['已停用', 'Deactivated'],
  'admin.people.edit': ['编辑', 'Edit'],
  'admin.people.editTitle': ['编辑人员 {0}', 'Edit {0}'],
  'admin.people.save': ['保存修改', 'Save changes'],
  'admin.people.cancel': ['取消', 'Cancel'],
  'admin.people.saved': ['已保存 {0}', 'Saved {0}'],
  'admin.people.deactivate': ['停用', 'Deactivate'],
  'admin.people.reactivate': ['恢复', 'Reactivate'],
  'admin.people.deactivated': ['已停用 {0}：不能再登录，已移出值班表', 'Deactivated {0}: they cannot sign in and are off every roster'],
  'admin.people.redispatched': ['；其手上的 {0} 起事件已改派给值班网格员', '; {0} incident(s) in their hand went to whoever is on duty'],
  'admin.people.inHand': ['；还有 {0} 起事件所在网格无人值班，请在运营中心改派', '; {0} incident(s) have nobody else on duty in their grid: dispatch them by hand in the operations centre'],
  'admin.people.reactivated': ['已恢复 {0}；如需值班请重新排班', 'Reactivated {0}; put them on a roster again if they are on duty'],
  'admin.people.selfRole': ['不能更改自己的角色', 'You cannot change your own role'],
  'admin.people.scopedNote': ['仅显示您辖区内的人员（只读）。', 'People in your scope (read-only).'],
  'admin.me.title': ['我的账号', 'My account'],
  'admin.me.note': ['只有管理员可以添加、编辑和停用人员。', 'Only administrators add, edit and deactivate people.'],
  'admin.password.title': ['修改密码', 'Change password'],
  'admin.password.user': ['账号', 'Account'],
  'admin.password.current': ['当前密码', 'Current password'],
  'admin.password.new': ['新密码（至少 10 位）', 'New password (10+ characters)'],
  'admin.password.submit': ['保存密码', 'Save password'],
  'admin.password.saved': ['已更新 {0} 的密码', 'Password of {0} updated'],
  'admin.district.title': ['辖区结构', 'District'],
  'admin.district.empty': ['暂无辖区数据', 'No places yet'],
  'admin.district.addChild': ['添加下级', 'Add below'],
  'admin.district.addStreet': ['添加街道', 'Add a street'],
  'admin.place.title': ['添加地点', 'Add a place'],
  'admin.place.level': ['层级', 'Level'],
  'admin.place.parent': ['上级', 'Parent'],
  'admin.place.id': ['编号', 'Id'],
  'admin.place.name': ['名称', 'Name'],
  'admin.place.floors': ['楼层数', 'Floors'],
  'admin.place.lon': ['经度', 'Longitude'],
  'admin.place.lat': ['纬度', 'Latitude'],
  'admin.place.submit': ['添加', 'Add'],
  'admin.place.added': ['已添加 {0}', 'Added {0}'],
  'admin.place.edit': ['修改', 'Edit'],
  'admin.place.editTitle': ['修改地点', 'Edit place'],
  'admin.place.polygon': ['边界多边形（每行一个“经度, 纬度”，清空即删除）', 'Boundary polygon (one "lon, lat" per line; empty removes it)'],
  'admin.place.moveNote': ['改上级即整体迁移：其下设备随之迁移，人员辖区不变，未结事件保留原位置。',
    'A new parent moves the place with everything under it: its devices move along, people keep their area, open incidents stay where they were raised.'],
  'admin.place.save': ['保存', 'Save'],
  'admin.place.saved': ['已保存 {0}', 'Saved {0}'],
  'admin.place.savedMoved': ['已保存 {0}，{1} 台设备随之迁移', 'Saved {0}; {1} devices moved along'],
  'admin.place.badPolygon': ['边界多边形格式不对：每行一个“经度, 纬度”，至少 3 行', 'The polygon is not valid: one "lon, lat" per line, at least 3 lines'],
  'admin.place.delete': ['删除', 'Delete'],
  'admin.place.confirmDelete': ['确认删除？', 'Really delete?'],
  'admin.place.deleted': ['已删除 {0}', 'Deleted {0}'],
  'admin.place.notEmpty': ['无法删除：{0}', 'Cannot delete: {0}'],
  'admin.roster.title': ['网格值班表', 'Grid duty roster'],
  'admin.roster.grid': ['网格', 'Grid'],
  'admin.roster.person': ['网格员', 'Grid worker'],
  'admin.roster.start': ['开始', 'Start'],
  'admin.roster.end': ['结束', 'End'],
  'admin.roster.hint': ['开始与结束相同表示全天值班；只能安排本网格在职的网格员。', 'Start equal to end means all day; only this grid\'s active workers can be on its roster.'],
  'admin.roster.noWorkers': ['该网格没有在职网格员，请先添加人员', 'This grid has no active worker; add one on the People tab first'],
  'admin.roster.add': ['添加班次', 'Add a shift'],
  'admin.roster.remove': ['删除', 'Remove'],
  'admin.roster.save': ['保存值班表', 'Save roster'],
  'admin.roster.saved': ['值班表已保存', 'Roster saved'],
  'admin.roster.empty': ['该网格暂无值班安排', 'Nobody is on duty in this grid yet'],
  'admin.roster.readOnly': ['您可以查看值班表；仅管理员和社区、街道工作人员可以修改。', 'You can view rosters; only administrators and community or street staff change them.'],
  'admin.roster.noGrids': ['您的辖区内没有网格', 'There is no grid in your scope'],
  'admin.devices.title': ['设备列表', 'Devices'],
  'admin.devices.readOnly': ['您可以查看设备；仅运营值班员和管理员可以登记、停用、迁移设备或设置维护。', 'You can view devices; only operators and administrators register, retire, move or maintain them.'],
  'admin.devices.id': ['设备编号', 'Device ID'],
  'admin.devices.kind': ['类型', 'Kind'],
  'admin.devices.place': ['所在楼栋', 'Building'],
  'admin.devices.building': ['楼栋', 'Building'],
  'admin.devices.status': ['状态', 'Status'],
  'admin.devices.online': ['在线', 'Online'],
  'admin.devices.offline': ['离线', 'Offline'],
  'admin.devices.retired': ['已停用', 'Retired'],
  'admin.devices.maintain': ['维护', 'Maintenance'],
  'admin.devices.maintenance': ['维护中', 'Under maintenance'],
  'admin.devices.maintainFor': ['维护时长', 'For'],
  'admin.devices.maintainNote': ['说明，如：年检测试', 'Note, e.g. annual test'],
  'admin.devices.maintainStart': ['开始维护', 'Start'],
  'admin.devices.maintainEnd': ['结束维护', 'End maintenance'],
  'admin.devices.underMaintenance': ['维护中，至 {0}', 'Under maintenance until {0}'],
  'admin.devices.maintainStarted': ['{0} 维护至 {1}：期间报警不派单，数据照常保存', '{0} under maintenance until {1}: its alarms dispatch nobody meanwhile, its data is kept'],
  'admin.devices.maintainEnded': ['{0} 已结束维护', '{0}: maintenance ended'],
  'admin.devices.minutes': ['{0} 分钟', '{0} min'],
  'admin.devices.hours': ['{0} 小时', '{0} h'],
  'admin.devices.lastSeen': ['最后上报', 'Last heard'],
  'admin.devices.allGrids': ['全部网格', 'All grids'],
  'admin.devices.allKinds': ['全部类型', 'All kinds'],
  'admin.devices.allStatuses': ['全部状态', 'Any status'],
  'admin.devices.empty': ['没有符合条件的设备', 'No devices match'],
  'admin.devices.loading': ['加载中…', 'Loading…'],
  'admin.devices.loadFailed': ['设备列表加载失败（HTTP {0}），请刷新页面', 'The device list did not load (HTTP {0}); reload the page'],
  'admin.devices.range': ['第 {0}–{1} 台，共 {2} 台', 'Devices {0}–{1} of {2}'],
  'admin.devices.prev': ['上一页', 'Previous'],
  'admin.devices.next': ['下一页', 'Next'],
  'admin.devices.register': ['登记设备', 'Register a device'],
  'admin.devices.lon': ['经度（可选）', 'Longitude (optional)'],
  'admin.devices.lat': ['纬度（可选）', 'Latitude (optional)'],
  'admin.devices.lonLatTogether': ['经度和纬度须同时填写或同时留空', 'Give both longitude and latitude, or neither'],
  'admin.devices.submit': ['登记', 'Register'],
  'admin.devices.registered': ['已登记 {0}', 'Registered {0}'],
  'admin.devices.cred.title': ['设备 MQTT 登录信息', 'The device\'s MQTT login'],
  'admin.devices.cred.once': ['密码只显示这一次，关闭或登记下一台设备后无法再次查看，请立即复制并写入设备配置。',
    'The password is shown only this once: it cannot be seen again after you close this box or register another device. Copy it into the device\'s configuration now.'],
  'admin.devices.cred.howto': ['设备用此用户名和密码连接 MQTT 服务器，只能向自己的主题发布：遥测、事件、状态，并订阅命令主题。',
    'The device connects to the MQTT broker with this username and password and may publish only on its own topics (telemetry, event, status) and subscribe to its command topic.'],
  'admin.devices.cred.username': ['用户名', 'Username'],
  'admin.devices.cred.password': ['密码', 'Password'],
  'admin.devices.cred.telemetryTopic': ['遥测主题', 'Telemetry topic'],
  'admin.devices.cred.eventTopic': ['事件主题', 'Event topic'],
  'admin.devices.cred.statusTopic': ['状态主题', 'Status topic'],
  'admin.devices.cred.commandTopic': ['命令主题（订阅）', 'Command topic (subscribe)'],
  'admin.devices.cred.close': ['已保存，关闭', 'Saved it, close'],
  'admin.devices.copy': ['复制到剪贴板', 'Copy to clipboard'],
  'admin.devices.copied': ['已复制', 'Copied'],
  'admin.devices.copyFailed': ['无法写入剪贴板，请手动选中复制', 'The clipboard is not available; select the text and copy it by hand'],
  'admin.devices.move': ['迁移', 'Move'],
  'admin.devices.moveSave': ['确定迁移', 'Move here'],
  'admin.devices.moved': ['已迁移 {0} 到 {1}', 'Moved {0} to {1}'],
  'admin.devices.retire': ['停用', 'Retire'],
  'admin.devices.confirmRetire': ['确认停用？', 'Really retire?'],
  'admin.devices.retireWarning': ['停用 {0} 后其 MQTT 登录立即失效，不再产生事件；停用无法通过接口撤销。再次点击“确认停用？”以停用。',
    'Retiring {0} revokes its MQTT login at once and it raises no more incidents; retiring cannot be undone over the API. Click "Really retire?" to retire it.'],
  'admin.devices.retiredDone': ['已停用 {0}', 'Retired {0}'],
  'status.busy': ['提交中…', 'Submitting…'],
  'admin.loading': ['加载中…', 'Loading…'],
  // KPI tiles
  'kpi.open': ['未结事件', 'Open incidents'],
  'kpi.p1': ['P1 紧急未结', 'P1 open'],
  'kpi.onTime': ['按时办结率', 'On-time closure'],
  'kpi.verified': ['核查及时率', 'Verified on time'],
  'kpi.inGrid': ['小事不出网格', 'Resolved in grid'],
  'kpi.mtta': ['平均接单时长', 'Mean time to accept'],
  'kpi.satisfaction': ['满意度', 'Satisfaction'],
  'kpi.window': ['今日', 'Today'],
  // panels
  'panel.severity': ['按等级', 'By severity'],
  'panel.state': ['按状态', 'By state'],
  'panel.hierarchy': ['网格态势', 'Grid overview'],
  'panel.feed': ['实时事件', 'Live incidents'],
  'panel.devices': ['设备状态', 'Device status'],
  'panel.rate': ['消息速率（条/秒）', 'Message rate (msgs/s)'],
  'devices.online': ['在线', 'online'],
  'devices.total': ['设备在线', 'Devices online'],
  'devices.showOffline': ['查看离线设备', 'Show the offline devices'],
  'devices.maintenance': ['维护 {0}', '{0} maintained'],
  'rate.total': ['合计', 'Total'],
  'samples.label': ['最新读数', 'Latest readings'],
  // feed / incident
  'feed.empty': ['暂无事件', 'No incidents'],
  'feed.unassigned': ['未指派', 'Unassigned'],
  'feed.clearFilter': ['显示全部网格', 'Show all grids'],
  'hier.filterHint': ['点击网格筛选事件', 'Click a grid to filter the feed'],
  'incident.detail': ['事件详情', 'Incident details'],
  'incident.history': ['处置记录', 'History'],
  'action.title': ['处置', 'Actions'],
  'action.assignee': ['处理人', 'Assignee'],
  'action.onDuty': ['值班网格员（自动）', 'Whoever is on duty (automatic)'],
  'action.dispatch': ['派单', 'Dispatch'],
  'action.redispatch': ['改派', 'Re-dispatch'],
  'action.dispatched': ['事件 #{0} 已派给 {1}', 'Incident #{0} dispatched to {1}'],
  'action.close': ['核查结案', 'Verify and close'],
  'action.closed': ['事件 #{0} 已核查结案', 'Incident #{0} verified and closed'],
  'action.reopen': ['返工', 'Send back for rework'],
  'action.reopenReason': ['返工原因（必填）', 'Why it needs rework (required)'],
  'action.reopened': ['事件 #{0} 已退回返工', 'Incident #{0} sent back for rework'],
  'action.satisfaction': ['满意度', 'Satisfaction'],
  'action.comment': ['评价（选填）', 'Comment (optional)'],
  'action.feedback': ['提交评价', 'Rate'],
  'action.rated': ['事件 #{0} 的评价已记录', 'Rating of incident #{0} recorded'],
  'action.cancel': ['误报撤销', 'Cancel as false alarm'],
  'action.cancelReason': ['撤销原因（必填）', 'Why it is cancelled (required)'],
  'action.redispatchReason': ['改派原因（必填，处理人已接单）', 'Why it moves (required: the worker has accepted it)'],
  'action.cancelled': ['事件 #{0} 已撤销', 'Incident #{0} cancelled'],
  'action.reasonRequired': ['请先填写原因', 'Enter a reason first'],
  'incident.noHistory': ['暂无记录', 'No history yet'],
  'incident.type': ['类型', 'Type'],
  'incident.severity': ['等级', 'Severity'],
  'incident.state': ['状态', 'State'],
  'incident.level': ['层级', 'Level'],
  'incident.place': ['位置', 'Place'],
  'incident.devices': ['设备', 'Devices'],
  'incident.assignee': ['处置人', 'Assignee'],
  'incident.createdAt': ['发生时间', 'Created'],
  'incident.updatedAt': ['更新时间', 'Updated'],
  'incident.summary': ['说明', 'Summary'],
  'incident.satisfaction': ['满意度', 'Satisfaction'],
  'incident.escalations': ['升级 / 返工', 'Escalated / reworked'],
  'incident.cancelReason': ['取消原因', 'Cancel reason'],
  'incident.acceptDue': ['接单时限', 'Accept by'],
  'incident.arriveDue': ['到场时限', 'Arrive by'],
  'incident.resolveDue': ['办结时限', 'Resolve by'],
  'incident.verifyDue': ['核查时限', 'Verify by'],
  'incident.remaining': ['剩余 {0}', '{0} left'],
  'incident.overdueBy': ['已超时 {0}', 'overdue by {0}'],
  'incident.limitWas': ['✓ 时限 {0}', '✓ limit was {0}'],
  'incident.loading': ['加载中…', 'Loading…'],
  'history.actor': ['操作人', 'Actor'],
  'close': ['关闭', 'Close'],
  'back': ['返回', 'Back'],
  // grid worker
  'worker.my': ['我的事件', 'My incidents'],
  'worker.open': ['待处理', 'Open'],
  'worker.done': ['已完成', 'Done'],
  'worker.report': ['随手拍', 'Report'],
  'worker.accept': ['接单', 'Accept'],
  'worker.arrive': ['到场', 'Arrive'],
  'worker.resolve': ['办结', 'Resolve'],
  'worker.note': ['处置说明', 'Resolution note'],
  'worker.notePlaceholder': ['填写处置情况，例如：已更换烟感电池', 'What was done, e.g. replaced detector battery'],
  'worker.busy': ['提交中…', 'Submitting…'],
  'worker.done.accept': ['已接单', 'Accepted'],
  'worker.done.arrive': ['已到场', 'Arrived'],
  'worker.done.resolve': ['已办结', 'Resolved'],
  'worker.newAlert': ['新的紧急事件', 'New urgent incident'],
  'worker.handledBy': ['由 {0} 处置，无需您操作', '{0} handles this; nothing for you to do'],
  'worker.movedAway': ['事件 #{0} 已改派给 {1}', 'Incident #{0} was re-dispatched to {1}'],
  'worker.assignedToMe': ['改派给您的事件', 'Re-dispatched to you'],
  'worker.backToMe': ['退回返工，请再次处置', 'Back for rework: handle it again'],
  'report.title': ['随手拍 · 上报问题', 'Report an issue'],
  'report.building': ['楼栋', 'Building'],
  'report.text': ['问题描述', 'Description'],
  'report.textPlaceholder': ['描述看到的问题，例如：5栋楼道堆放杂物', 'What did you see? e.g. clutter blocking the stairwell'],
  'report.submit': ['提交上报', 'Submit report'],
  'report.sent': ['已上报，事件编号', 'Reported, incident no.'],
  'report.needText': ['请填写问题描述', 'Please describe the issue'],
  // relative time
  'age.s': ['秒', 's'],
  'age.m': ['分', 'm'],
  'age.h': ['小时', 'h'],
  'age.d': ['天', 'd'],
  'age.ago': ['前', ' ago'],
  'dur.min': ['分钟', 'min'],
  'dur.s': ['秒', 's'],
};

const SEVERITY = { P1: ['紧急', 'Critical'], P2: ['严重', 'Major'], P3: ['一般', 'Minor'], P4: ['提示', 'Info'] };

const STATE = {
  new: ['新建', 'New'], dispatched: ['已派单', 'Dispatched'], accepted: ['已接单', 'Accepted'],
  on_site: ['已到场', 'On site'], resolved: ['已办结', 'Resolved'], closed: ['已结案', 'Closed'],
  reopened: ['已返工', 'Reopened'], cancelled: ['已取消', 'Cancelled'],
};

const LEVEL = { grid: ['网格', 'Grid'], community: ['社区', 'Community'], street: ['街道', 'Street'], building: ['楼栋', 'Building'] };

// People API role names (snake case); the token's role (PascalCase) maps onto them with roleKey().
const ROLE = { operator: ['运营值班员', 'Operator'], grid_worker: ['网格员', 'Grid worker'], community_staff: ['社区工作人员', 'Community staff'],
  street_staff: ['街道工作人员', 'Street staff'], admin: ['管理员', 'Administrator'] };

const KIND = { fire: ['烟感/温感', 'Fire detectors'], manhole: ['智能井盖', 'Manhole covers'],
  camera: ['高空抛物', 'Falling-object cameras'], charger: ['充电桩', 'E-bike chargers'] };

// One device of a kind (the admin page's device list); KIND above names the kinds as groups.
const DEVICE_KIND = { fire: ['烟感/温感探测器', 'Fire detector'], manhole: ['智能井盖', 'Manhole cover'],
  camera: ['高空抛物摄像头', 'Falling-object camera'], charger: ['电动车充电桩', 'E-bike charger'] };

const CHANGE = {
  created: ['新事件', 'created'], updated: ['更新', 'updated'], dispatched: ['派单', 'dispatched'],
  accepted: ['接单', 'accepted'], arrived: ['到场', 'arrived'], resolved: ['办结', 'resolved'],
  closed: ['结案', 'closed'], reopened: ['返工', 'reopened'], cancelled: ['取消', 'cancelled'],
  escalated: ['升级', 'escalated'], feedback: ['评价', 'feedback'],
};

const TYPE = {
  'fire.smoke': ['烟雾报警', 'Smoke alarm'],
  'fire.heat': ['温度报警', 'Heat alarm'],
  'fire.co': ['一氧化碳报警', 'CO alarm'],
  'fire.confirmed': ['确认火警', 'Confirmed fire'],
  'fire.device_alarm': ['设备本地报警', 'Detector local alarm'],
  'fire.alarm_button': ['手动报警按钮', 'Manual call point'],
  'manhole.tilt': ['井盖倾斜', 'Manhole cover tilted'],
  'manhole.displaced': ['井盖位移', 'Manhole cover displaced'],
  'manhole.open': ['井盖开启', 'Manhole cover open'],
  'manhole.flood': ['井下水位过高', 'Sewer flooding'],
  'manhole.gas': ['井下可燃/有毒气体', 'Sewer gas build-up'],
  'camera.falling_object': ['高空抛物', 'Object thrown from height'],
  'camera.blocked': ['摄像头遮挡', 'Camera blocked'],
  'charger.overheat': ['充电桩过温', 'Charger over-temperature'],
  'charger.overcurrent': ['充电桩过流', 'Charger over-current'],
  'charger.leakage': ['充电桩漏电', 'Charger leakage current'],
  'charger.long_charge': ['充电时间过长', 'Charging too long'],
  'charger.thermal_runaway': ['电池热失控', 'Battery thermal runaway'],
  'device.offline': ['设备离线', 'Device offline'],
  'sensor.stuck': ['传感器数值卡滞', 'Sensor stuck'],
  'sensor.anomaly': ['数据异常', 'Sensor anomaly'],
  'manual.report': ['随手拍上报', 'Manual report'],
};

// Telemetry fields (DESIGN §5): name and unit; the field name itself carries the unit.
const METRIC = {
  smoke_pct_per_m: ['烟雾', 'Smoke', '%/m'], temp_c: ['温度', 'Temp', '°C'], co_ppm: ['一氧化碳', 'CO', 'ppm'],
  tilt_deg: ['倾角', 'Tilt', '°'], displacement_mm: ['位移', 'Displacement', 'mm'], water_level_cm: ['水位距盖', 'Water below lid', 'cm'],
  ch4_pct_lel: ['甲烷', 'CH4', '%LEL'], h2s_ppm: ['硫化氢', 'H2S', 'ppm'], fps: ['帧率', 'Frame rate', 'fps'],
  voltage_v: ['电压', 'Voltage', 'V'], current_a: ['电流', 'Current', 'A'], power_w: ['功率', 'Power', 'W'],
  energy_wh: ['电量', 'Energy', 'Wh'], leak_ma: ['漏电流', 'Leakage', 'mA'], battery_pct: ['电池', 'Battery', '%'], rssi_dbm: ['信号', 'RSSI', 'dBm'],
};

const KEY = 'smart.lang';
let lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
const listeners = new Set();
const idx = () => (lang === 'en' ? 1 : 0);
const pick = (table, key) => (table[key] ? table[key][idx()] : key);

export const getLang = () => lang;
/** UI string by key, {0}… filled from args; unknown keys show themselves so a missing translation is visible, not blank. */
export const t = (key, ...args) => pick(STRINGS, key).replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');
export const severityName = (s) => pick(SEVERITY, s);
export const stateName = (s) => pick(STATE, s);
export const levelName = (l) => pick(LEVEL, l);
export const kindName = (k) => pick(KIND, k);
export const deviceKindName = (k) => pick(DEVICE_KIND, k);
/** "GridWorker" (token) or "grid_worker" (people API) → "grid_worker". */
export const roleKey = (role) => String(role ?? '').replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
export const roleName = (role) => pick(ROLE, roleKey(role));
export const roles = () => Object.keys(ROLE);
export const changeName = (c) => pick(CHANGE, c);
export const typeName = (type) => pick(TYPE, type);
/** Both names of a type, [zh, en] (to recognise them inside a server-made title). */
export const typeNames = (type) => TYPE[type] ?? [type, type];
export const incidentTypes = () => Object.keys(TYPE);
/** "温度 22.1 °C" / "Temp 22.1 °C"; unknown fields show their own name. */
export function formatMetric(metric, value) {
  const m = METRIC[metric];
  const v = Number.isFinite(value) ? (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10) : value;
  return m ? `${m[idx()]} ${v} ${m[2]}` : `${metric} ${v}`;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  localStorage.setItem(KEY, lang);
  applyI18n(document);
  listeners.forEach((fn) => fn(lang));
}

export const toggleLang = () => setLang(lang === 'en' ? 'zh' : 'en');
export const onLangChange = (fn) => listeners.add(fn);

/** Translates the static markup under root. */
export function applyI18n(root) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  for (const [attr, name] of [['i18nPlaceholder', 'placeholder'], ['i18nTitle', 'title'], ['i18nAria', 'aria-label']]) {
    root.querySelectorAll(`[data-${attr.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}]`)
      .forEach((el) => el.setAttribute(name, t(el.dataset[attr])));
  }
}
