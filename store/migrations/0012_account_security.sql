-- My account → Security lists a person's sessions: each gets an opaque id to name it
-- by (the token's hash is never shown), the browser's User-Agent and the client's
-- address at sign-in.
ALTER TABLE sessions ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
UPDATE sessions SET id = lower(hex(randomblob(10))) WHERE id = '';
CREATE UNIQUE INDEX sessions_id ON sessions (id);

-- Password reset by e-mail: a single-use link, valid one hour. Only the hash of its
-- token is kept; a used link keeps its row (used_at) until it expires, so that opening
-- it again says "already used" rather than "unknown".
CREATE TABLE password_resets (
	token_hash BLOB PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
) STRICT;
CREATE INDEX password_resets_user ON password_resets (user_id);

-- A change of e-mail address waits for the link mailed to the new address (24 hours,
-- single use). new_email is the new address's identity key, new_mail_to the address as
-- typed; old_email is the account's key when it was asked, so a link outlived by
-- another change does nothing.
CREATE TABLE email_changes (
	token_hash  BLOB PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	old_email   TEXT NOT NULL,
	new_email   TEXT NOT NULL,
	new_mail_to TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,
	used_at     INTEGER
) STRICT;
CREATE INDEX email_changes_user ON email_changes (user_id);
