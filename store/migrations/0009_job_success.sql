-- When each job last succeeded, kept apart from its last run: a job that fails after
-- succeeding still says when it last worked (the metrics and Admin → System show it).
ALTER TABLE job_runs ADD COLUMN succeeded_at INTEGER;
UPDATE job_runs SET succeeded_at = finished_at WHERE error = '';
