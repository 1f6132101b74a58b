-- The last run of each scheduled job, for the admin's view and for run-at-start.
CREATE TABLE job_runs (
	name        TEXT PRIMARY KEY,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER NOT NULL,
	error       TEXT NOT NULL DEFAULT ''
) STRICT;
