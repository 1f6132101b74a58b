-- Rights in a group's drive (docs/drive.md, "Rights in a group's drive"): a level for each
-- role (0 none, 1 view, 2 upload, 3 edit, 4 full), set on a folder, or on the drive's root
-- (folder_id NULL), for it and everything under it unless set again further down. A drive
-- without a row for its root has the defaults.
CREATE TABLE drive_rights (
	group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	folder_id  TEXT REFERENCES drive_items (id) ON DELETE CASCADE,
	owner      INTEGER NOT NULL CHECK (owner BETWEEN 0 AND 4),
	moderators INTEGER NOT NULL CHECK (moderators BETWEEN 0 AND 4),
	employees  INTEGER NOT NULL CHECK (employees BETWEEN 0 AND 4),
	externals  INTEGER NOT NULL CHECK (externals BETWEEN 0 AND 4)
) STRICT;
CREATE UNIQUE INDEX drive_rights_folder ON drive_rights (group_id, coalesce(folder_id, ''));
CREATE INDEX drive_rights_item ON drive_rights (folder_id) WHERE folder_id IS NOT NULL;
