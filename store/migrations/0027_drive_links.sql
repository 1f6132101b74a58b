-- Public links to a drive's file or folder (docs/drive.md, "Public links"): whoever holds
-- the link's token sees that item (and what a folder holds) and nothing else. The token
-- is kept as its SHA-256 only; the link is shown once, when it is made.
CREATE TABLE drive_links (
	id            TEXT PRIMARY KEY,
	item_id       TEXT NOT NULL REFERENCES drive_items (id) ON DELETE CASCADE,
	token_hash    TEXT NOT NULL UNIQUE,
	created_by    TEXT NOT NULL REFERENCES users (id),
	created_at    INTEGER NOT NULL,
	expires_at    INTEGER,
	password_hash TEXT NOT NULL DEFAULT '',
	revoked_at    INTEGER,
	visits        INTEGER NOT NULL DEFAULT 0,
	downloads     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX drive_links_item ON drive_links (item_id);
