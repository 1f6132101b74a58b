-- Moving, copying and the trash (docs/drive.md) work on whole folders: path lists an
-- item's folders from the drive's root, as '/id1/id2/' ('/' at the root), so that what is
-- under a folder is found by its prefix, without walking the tree.
ALTER TABLE drive_items ADD COLUMN path TEXT NOT NULL DEFAULT '/';
WITH RECURSIVE t (id, path) AS (
	SELECT id, '/' FROM drive_items WHERE parent_id IS NULL
	UNION ALL
	SELECT c.id, t.path || t.id || '/' FROM drive_items c JOIN t ON c.parent_id = t.id
)
UPDATE drive_items SET path = (SELECT t.path FROM t WHERE t.id = drive_items.id);
CREATE INDEX drive_items_path ON drive_items (path);

-- An item deleted goes to its drive's trash with everything under it: trash_root is the
-- item whose deletion put it there, so that restoring that item brings back what went with
-- it and not what had been deleted before.
ALTER TABLE drive_items ADD COLUMN trashed_by TEXT REFERENCES users (id);
ALTER TABLE drive_items ADD COLUMN trash_root TEXT;
CREATE INDEX drive_items_trash ON drive_items (trashed_at) WHERE trash_root = id;
