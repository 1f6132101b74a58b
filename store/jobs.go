package store

import (
	"context"
	"fmt"
	"time"
)

// RecordJobRun stores the outcome of a job's run and how long it took.
func (t *Tx) RecordJobRun(ctx context.Context, name string, started time.Time, took time.Duration, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	var succeeded *int64
	if runErr == nil {
		n := unix(t.now)
		succeeded = &n
	}
	_, err := t.exec(ctx, `INSERT INTO job_runs (name, started_at, finished_at, error, succeeded_at, duration_ms)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at,
		error = excluded.error, succeeded_at = coalesce(excluded.succeeded_at, job_runs.succeeded_at),
		duration_ms = excluded.duration_ms`,
		name, unix(started), unix(t.now), msg, succeeded, took.Milliseconds())
	if err != nil {
		return fmt.Errorf("store: job run %s: %w", name, err)
	}
	return nil
}

// DeleteStaleThrottles forgets failure counts older than maxAge that block nothing.
func (t *Tx) DeleteStaleThrottles(ctx context.Context, maxAge time.Duration) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM login_throttle WHERE last_failure < ? AND blocked_until < ?`,
		unix(t.now.Add(-maxAge)), unix(t.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
