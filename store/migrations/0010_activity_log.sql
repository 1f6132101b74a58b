-- The activity log (docs/activity-log.md): one row per action, written in the same
-- transaction as the change it records. The application only ever appends to it; the
-- retention job is its only deleter, and no statement may change a row.
CREATE TABLE activity (
	id           INTEGER PRIMARY KEY,
	at_ms        INTEGER NOT NULL,
	-- Who: a person (kept as they were then: name and kind can change later), or nobody
	-- known (a failed sign-in to an unknown address) with the system's own actions.
	actor_id     TEXT,
	actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('employee', 'external', 'anonymous', 'system')),
	actor_name   TEXT NOT NULL DEFAULT '',
	action       TEXT NOT NULL,
	-- What it was done to, named as it was then.
	object_type  TEXT NOT NULL DEFAULT '',
	object_id    TEXT NOT NULL DEFAULT '',
	object_label TEXT NOT NULL DEFAULT '',
	group_id     TEXT,
	address      TEXT NOT NULL DEFAULT '',
	details      TEXT NOT NULL DEFAULT ''
) STRICT;
-- Pages list newest first (at_ms, then id): each filter's index ends with the time, so
-- that a filter, a range of days and the order are one walk of one index.
CREATE INDEX activity_actor ON activity (actor_id, at_ms);
CREATE INDEX activity_kind ON activity (actor_kind, at_ms);
CREATE INDEX activity_action ON activity (action, at_ms);
CREATE INDEX activity_group ON activity (group_id, at_ms) WHERE group_id IS NOT NULL;
CREATE INDEX activity_object ON activity (object_type, object_id, at_ms);
CREATE INDEX activity_at ON activity (at_ms);

CREATE TRIGGER activity_append_only BEFORE UPDATE ON activity
BEGIN
	SELECT RAISE(ABORT, 'the activity log is append-only');
END;
