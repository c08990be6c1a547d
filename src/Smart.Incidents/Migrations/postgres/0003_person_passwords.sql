-- People sign in with their own password (PBKDF2 hash written by Smart.Host; NULL = cannot sign in yet).
ALTER TABLE people ADD COLUMN password_hash TEXT NULL;
