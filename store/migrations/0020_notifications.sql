-- Notifications (docs/notifications.md): one row per person told of one event, about one
-- subject (a task now; later tools add their types). Reading them goes through the fence
-- of their subject, so a person who lost sight of it no longer reads of it.
CREATE TABLE notifications (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,
	actor_id     TEXT REFERENCES users (id), -- NULL when Annex itself tells (a deadline near)
	subject_type TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	detail       TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	read_at      INTEGER
) STRICT;
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_subject ON notifications (subject_type, subject_id);

-- What each person wants, per kind; a kind without a row is told both ways.
CREATE TABLE notification_prefs (
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,
	in_app  INTEGER NOT NULL,
	mail    INTEGER NOT NULL,
	PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

-- The deadline a task's people were last reminded of, so the reminder goes once per deadline.
ALTER TABLE tasks ADD COLUMN due_reminded INTEGER;
