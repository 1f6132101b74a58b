-- Tasks (PRODUCT.md §2, §3; docs/tasks.md): in a group, or personal (group_id NULL).
-- Everyone named on a task, the creator and the responsible person included, has a row in
-- task_people: "involved" is one indexed lookup, whatever the role.
CREATE TABLE tasks (
	id             TEXT PRIMARY KEY,
	group_id       TEXT REFERENCES groups (id) ON DELETE CASCADE,
	title          TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	creator_id     TEXT NOT NULL REFERENCES users (id),
	responsible_id TEXT NOT NULL REFERENCES users (id),
	status         TEXT NOT NULL DEFAULT 'new'
		CHECK (status IN ('new', 'in_progress', 'waiting', 'done', 'deferred')),
	priority       TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
	deadline       INTEGER,
	search         TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	completed_at   INTEGER
) STRICT;
CREATE INDEX tasks_group ON tasks (group_id, created_at, status);
CREATE INDEX tasks_created ON tasks (created_at);

CREATE TABLE task_people (
	task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role    TEXT NOT NULL CHECK (role IN ('creator', 'responsible', 'participant', 'observer')),
	PRIMARY KEY (user_id, task_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_people_task ON task_people (task_id, role);
