-- The accept and arrive deadlines on the incident itself, so screens show them (they restart on a reopen).
ALTER TABLE incidents ADD COLUMN accept_due_at BIGINT NULL;
ALTER TABLE incidents ADD COLUMN arrive_due_at BIGINT NULL;
UPDATE incidents SET accept_due_at = (SELECT MAX(due_at) FROM sla_timers t WHERE t.incident_id = incidents.id AND t.kind = 'accept'),
    arrive_due_at = (SELECT MAX(due_at) FROM sla_timers t WHERE t.incident_id = incidents.id AND t.kind = 'arrive');
