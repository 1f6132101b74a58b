package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Health is what the metrics endpoint and Admin → System report of the database and the
// work around it: read at the moment of asking, nothing cached.
type Health struct {
	Writer, Readers sql.DBStats // the two pools' connection statistics
	SizeBytes       int64       // page_count × page_size of the main file (the WAL aside)
	OutboxPending   int
	OutboxFailed    int
	OldestPending   *time.Time // created time of the oldest mail still waiting, if any
	ActiveSessions  int        // sessions neither idle-expired nor past their absolute end
	Jobs            []JobStatus
}

// JobStatus is one scheduled job's last run and last success.
type JobStatus struct {
	Name              string
	Started, Finished time.Time
	Error             string     // the last run's failure, "" when it succeeded
	Succeeded         *time.Time // when it last succeeded, if ever
	Took              time.Duration
}

// Health reads the database's figures. Only administrators and the system may: they
// describe the company's installation, not anybody's content.
func (s *Store) Health(ctx context.Context, a Actor) (Health, error) {
	var h Health
	if !a.administers() {
		return h, ErrNotFound
	}
	h.Writer, h.Readers = s.write.Stats(), s.read.Stats()
	now := unix(s.now())
	var oldest sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size()),
		(SELECT count(*) FROM outbox WHERE state = 'pending'),
		(SELECT count(*) FROM outbox WHERE state = 'failed'),
		(SELECT min(created_at) FROM outbox WHERE state = 'pending'),
		(SELECT count(*) FROM sessions WHERE idle_expires_at > ? AND absolute_expires_at > ?)`, now, now).
		Scan(&h.SizeBytes, &h.OutboxPending, &h.OutboxFailed, &oldest, &h.ActiveSessions)
	if err != nil {
		return h, fmt.Errorf("store: health: %w", err)
	}
	if oldest.Valid {
		t := time.Unix(oldest.Int64, 0).UTC()
		h.OldestPending = &t
	}
	h.Jobs, err = s.jobRuns(ctx)
	return h, err
}

// JobRuns returns the last run of every job that has run, by name. Only administrators
// and the system may read them.
func (s *Store) JobRuns(ctx context.Context, a Actor) ([]JobStatus, error) {
	if !a.administers() {
		return nil, ErrNotFound
	}
	return s.jobRuns(ctx)
}

func (s *Store) jobRuns(ctx context.Context) ([]JobStatus, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT name, started_at, finished_at, error, succeeded_at, duration_ms
		FROM job_runs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: jobs: %w", err)
	}
	defer rows.Close()
	var out []JobStatus
	for rows.Next() {
		var j JobStatus
		var started, finished, took int64
		var succeeded sql.NullInt64
		if err := rows.Scan(&j.Name, &started, &finished, &j.Error, &succeeded, &took); err != nil {
			return nil, fmt.Errorf("store: jobs: %w", err)
		}
		j.Started, j.Finished, j.Took = time.Unix(started, 0).UTC(), time.Unix(finished, 0).UTC(), time.Duration(took)*time.Millisecond
		if succeeded.Valid {
			t := time.Unix(succeeded.Int64, 0).UTC()
			j.Succeeded = &t
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
