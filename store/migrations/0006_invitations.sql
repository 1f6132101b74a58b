-- Invitations by e-mail (PRODUCT.md §4). The link's token is stored only as its hash;
-- "expired" is not a state but expires_at compared with the time of the request, so a
-- link never outlives its date waiting for a job.
CREATE TABLE invitations (
	id             TEXT PRIMARY KEY,
	token_hash     BLOB NOT NULL UNIQUE,
	email          TEXT NOT NULL,
	name           TEXT NOT NULL DEFAULT '',
	kind           TEXT NOT NULL CHECK (kind IN ('employee', 'external')),
	group_id       TEXT REFERENCES groups (id) ON DELETE CASCADE,
	inviter_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message        TEXT NOT NULL DEFAULT '',
	locale         TEXT NOT NULL DEFAULT 'en',
	state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined', 'revoked')),
	valid_hours    INTEGER NOT NULL,
	created_at     INTEGER NOT NULL,
	sent_at        INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	link_copied_at INTEGER,
	closed_at      INTEGER,
	accepted_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
	accepted_from  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX invitations_email ON invitations (email, state);
CREATE INDEX invitations_group ON invitations (group_id, state);
CREATE INDEX invitations_inviter ON invitations (inviter_id, created_at);
CREATE INDEX invitations_pending ON invitations (state, expires_at);
