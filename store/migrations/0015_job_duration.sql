-- How long each job's last run took, for Admin → Jobs.
ALTER TABLE job_runs ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;
