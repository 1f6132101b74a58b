-- Drive files attached to tasks (docs/drive.md, "Attached to tasks"): each is shown to
-- those who see both the task and the file.
CREATE TABLE task_attachments (
	task_id  TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	item_id  TEXT NOT NULL REFERENCES drive_items (id) ON DELETE CASCADE,
	added_by TEXT NOT NULL REFERENCES users (id),
	added_at INTEGER NOT NULL,
	PRIMARY KEY (task_id, item_id)
) STRICT;
CREATE INDEX task_attachments_item ON task_attachments (item_id);
