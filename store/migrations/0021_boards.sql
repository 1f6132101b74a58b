-- Kanban boards (docs/tasks.md, "The board"): a group's board, whose stages its managers
-- define, and each person's planner. A card's place is a number between its neighbours', so
-- a move writes one row; a task never moved sits in the board's first stage, ordered by
-- -created_at (newest first), so new tasks need no row at all.
CREATE TABLE board_stages (
	id         TEXT PRIMARY KEY,
	group_id   TEXT REFERENCES groups (id) ON DELETE CASCADE,
	user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	position   INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	CHECK ((group_id IS NULL) != (user_id IS NULL))
) STRICT;
CREATE INDEX board_stages_group ON board_stages (group_id, position) WHERE group_id IS NOT NULL;
CREATE INDEX board_stages_user ON board_stages (user_id, position) WHERE user_id IS NOT NULL;

-- board is the group's id or the person's: ids are random across all tables.
CREATE TABLE board_cards (
	board    TEXT NOT NULL,
	task_id  TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	stage_id TEXT NOT NULL REFERENCES board_stages (id) ON DELETE CASCADE,
	pos      REAL NOT NULL,
	PRIMARY KEY (board, task_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX board_cards_stage ON board_cards (stage_id, pos);
CREATE INDEX board_cards_task ON board_cards (task_id);
