-- A contact number for the operations centre to call (grid workers on the incident dialog); NULL = none given.
ALTER TABLE people ADD COLUMN phone TEXT NULL;
