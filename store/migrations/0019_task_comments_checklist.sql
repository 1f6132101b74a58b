-- A task's comments and checklist (PRODUCT.md §2; docs/tasks.md). Both belong to their
-- task and go with it; every read reaches them through the task's fence.
CREATE TABLE task_comments (
	id         TEXT PRIMARY KEY,
	task_id    TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	author_id  TEXT NOT NULL REFERENCES users (id),
	body       TEXT NOT NULL,
	mentions   TEXT NOT NULL DEFAULT '', -- the ids it mentions, space-separated: an edit tells only the new ones
	created_at INTEGER NOT NULL,
	edited_at  INTEGER
) STRICT;
CREATE INDEX task_comments_task ON task_comments (task_id, created_at);

-- position orders the items; a move renumbers one task's list, which is short (bounded
-- by the service), never a table.
CREATE TABLE task_checklist (
	id         TEXT PRIMARY KEY,
	task_id    TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX task_checklist_task ON task_checklist (task_id, position);
