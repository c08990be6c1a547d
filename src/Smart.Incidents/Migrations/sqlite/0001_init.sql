-- Hierarchy, people and roster (DESIGN §8), loaded from the device registry / demo district.
CREATE TABLE streets (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE communities (id TEXT PRIMARY KEY, street_id TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE grids (id TEXT PRIMARY KEY, community_id TEXT NOT NULL, name TEXT NOT NULL, polygon TEXT NULL);
CREATE TABLE buildings (id TEXT PRIMARY KEY, grid_id TEXT NOT NULL, name TEXT NOT NULL, floors INTEGER NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL);
CREATE TABLE devices (id TEXT PRIMARY KEY, kind TEXT NOT NULL, building_id TEXT NOT NULL, grid_id TEXT NOT NULL,
    community_id TEXT NOT NULL, street_id TEXT NOT NULL, lon REAL NULL, lat REAL NULL, retired INTEGER NOT NULL DEFAULT 0);
CREATE INDEX ix_devices_grid ON devices (grid_id);
CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, scope_id TEXT NULL, username TEXT NOT NULL UNIQUE);
CREATE TABLE duty_roster (grid_id TEXT NOT NULL, person_id TEXT NOT NULL, start_min INTEGER NOT NULL, end_min INTEGER NOT NULL,
    PRIMARY KEY (grid_id, person_id, start_min));

-- Incidents: times are Unix milliseconds (UTC) in both dialects.
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL, severity INTEGER NOT NULL, level TEXT NOT NULL, state TEXT NOT NULL,
    street_id TEXT NOT NULL, community_id TEXT NOT NULL, grid_id TEXT NOT NULL, building_id TEXT NULL, lon REAL NULL, lat REAL NULL,
    device_id TEXT NULL, device_kind TEXT NULL, device_ids TEXT NOT NULL, title TEXT NOT NULL, evidence TEXT NULL,
    assignee_id TEXT NULL, reporter_id TEXT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, dispatched_at INTEGER NULL, accepted_at INTEGER NULL,
    arrived_at INTEGER NULL, resolved_at INTEGER NULL, closed_at INTEGER NULL, cancelled_at INTEGER NULL, resolve_due_at INTEGER NULL,
    cancel_reason TEXT NULL, reopen_count INTEGER NOT NULL DEFAULT 0, escalation_count INTEGER NOT NULL DEFAULT 0,
    satisfaction INTEGER NULL, feedback_comment TEXT NULL, update_count INTEGER NOT NULL DEFAULT 0);
-- At most one open incident per device+type (DESIGN §8), enforced by the database too.
CREATE UNIQUE INDEX ux_incidents_open_device_type ON incidents (device_id, type)
    WHERE device_id IS NOT NULL AND state NOT IN ('closed', 'cancelled');
CREATE INDEX ix_incidents_grid ON incidents (grid_id, created_at);
CREATE INDEX ix_incidents_community ON incidents (community_id, created_at);
CREATE INDEX ix_incidents_created ON incidents (created_at);
CREATE INDEX ix_incidents_assignee ON incidents (assignee_id, state);

-- Who/when/why of every change; seq is the outbox seq of the event it emitted.
CREATE TABLE incident_history (seq INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL, change TEXT NOT NULL, from_state TEXT NULL,
    to_state TEXT NOT NULL, level TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, note TEXT NULL, at INTEGER NOT NULL);
CREATE INDEX ix_incident_history_incident ON incident_history (incident_id, seq);

-- Transactional outbox: seq comes from the single-row counter updated in the same transaction, so it is gap-free.
CREATE TABLE outbox (seq INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL, change TEXT NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL);
CREATE TABLE outbox_counter (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO outbox_counter (id, seq) VALUES (1, 0);

-- SLA deadlines (限时处置): pending until fired (escalated once) or void (met / no longer relevant).
CREATE TABLE sla_timers (id INTEGER PRIMARY KEY AUTOINCREMENT, incident_id INTEGER NOT NULL, kind TEXT NOT NULL,
    due_at INTEGER NOT NULL, status TEXT NOT NULL, done_at INTEGER NULL, done_by TEXT NULL);
CREATE INDEX ix_sla_timers_due ON sla_timers (status, due_at);
CREATE INDEX ix_sla_timers_incident ON sla_timers (incident_id, status);
