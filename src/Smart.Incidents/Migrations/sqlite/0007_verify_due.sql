-- 核查时限: the deadline by which staff verify (close) or send back a resolved incident; NULL when not resolved or
-- its type has no verification limit. Incidents resolved before this migration get none.
ALTER TABLE incidents ADD COLUMN verify_due_at INTEGER NULL;
