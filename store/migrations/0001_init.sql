-- Settings that an administrator edits in the UI (company, base URL, SMTP, policies).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- The first-run wizard's draft, one row per completed step, applied at Finish.
CREATE TABLE setup_draft (
	step       TEXT PRIMARY KEY,
	data       TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
	id                   TEXT PRIMARY KEY,
	email                TEXT NOT NULL UNIQUE,
	name                 TEXT NOT NULL,
	kind                 TEXT NOT NULL CHECK (kind IN ('employee', 'external')),
	is_admin             INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
	active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	password_hash        TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	password_expires_at  INTEGER,
	locale               TEXT NOT NULL DEFAULT 'en',
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	CHECK (kind = 'employee' OR is_admin = 0)
) STRICT;

-- Server-side sessions. Only a hash of the token is stored.
CREATE TABLE sessions (
	token_hash          BLOB PRIMARY KEY,
	user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	remember            INTEGER NOT NULL,
	created_at          INTEGER NOT NULL,
	seen_at             INTEGER NOT NULL,
	auth_at             INTEGER NOT NULL,
	idle_expires_at     INTEGER NOT NULL,
	absolute_expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per key ("acct:<email>|<addr>" or "addr:<addr>").
CREATE TABLE login_throttle (
	key           TEXT PRIMARY KEY,
	failures      INTEGER NOT NULL,
	last_failure  INTEGER NOT NULL,
	blocked_until INTEGER NOT NULL
) STRICT;
