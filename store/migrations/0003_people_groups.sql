-- Profiles and the folded search text (names, addresses and positions, case-folded in
-- every script, so that "анна" finds "Анна").
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN search TEXT NOT NULL DEFAULT '';
-- Existing rows get their search text from the store at start (Go folds every script).
CREATE INDEX users_kind_active ON users (kind, active);

-- Admin-managed categories of groups.
CREATE TABLE topics (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
) STRICT;

-- Workgroups. Extranet groups are visible to their members and admins only; internal
-- ones are open, closed (visible, join on request) or secret (members only).
CREATE TABLE groups (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL CHECK (kind IN ('internal', 'extranet')),
	visibility  TEXT NOT NULL CHECK (visibility IN ('open', 'closed', 'secret')),
	topic_id    TEXT REFERENCES topics (id) ON DELETE SET NULL,
	archived    INTEGER NOT NULL DEFAULT 0,
	search      TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	CHECK (kind = 'internal' OR visibility = 'secret')
) STRICT;

-- Membership in every state: only 'active' ones count for visibility (PRODUCT.md §1).
CREATE TABLE memberships (
	group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
	state      TEXT NOT NULL CHECK (state IN ('active', 'invited', 'requested')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id, state);
CREATE INDEX memberships_group ON memberships (group_id, state);
