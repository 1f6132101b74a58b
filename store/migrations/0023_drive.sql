-- The drive (docs/drive.md): each person's My Drive and each group's drive hold folders
-- and files. An item belongs to one drive: its owner's (owner_id) or its group's
-- (group_id). A file's content is in its versions, the newest being the current one; the
-- bodies are in the files folder by random id (app/files), never in the database.
CREATE TABLE drive_items (
	id         TEXT PRIMARY KEY,
	owner_id   TEXT REFERENCES users (id),
	group_id   TEXT REFERENCES groups (id),
	parent_id  TEXT REFERENCES drive_items (id),
	kind       TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
	name       TEXT NOT NULL,
	-- name_key is the name case-folded: names are unique in a folder whatever their case.
	name_key   TEXT NOT NULL,
	created_by TEXT NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	trashed_at INTEGER,
	CHECK ((owner_id IS NULL) != (group_id IS NULL))
) STRICT;
-- One live name per folder (a drive's root has no parent: its key is the drive's).
CREATE UNIQUE INDEX drive_items_name ON drive_items (coalesce(parent_id, owner_id, group_id), name_key)
	WHERE trashed_at IS NULL;
CREATE INDEX drive_items_owner ON drive_items (owner_id, parent_id) WHERE owner_id IS NOT NULL;
CREATE INDEX drive_items_group ON drive_items (group_id, parent_id) WHERE group_id IS NOT NULL;

CREATE TABLE drive_versions (
	id           TEXT PRIMARY KEY,
	item_id      TEXT NOT NULL REFERENCES drive_items (id) ON DELETE CASCADE,
	-- body is the id of the content in the files folder.
	body         TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	content_type TEXT NOT NULL,
	created_by   TEXT NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX drive_versions_item ON drive_versions (item_id, created_at);
