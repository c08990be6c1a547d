-- People are deactivated, never deleted (incidents and their history keep naming them); NULL = active.
ALTER TABLE people ADD COLUMN deactivated_at INTEGER NULL;
