package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"
)

// fileRefs lists every column that names a file under <data>/files/, so a backup
// carries exactly the files its database refers to. A new column that stores a file id
// must be added here (the backup test checks that each one it seeds comes back).
var fileRefs = []string{
	`SELECT photo_id FROM users WHERE photo_id IS NOT NULL AND photo_id <> ''`,
}

func openFile(path string, readOnly bool) (*sql.DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(5000)"
	if readOnly {
		dsn += "&mode=ro&_pragma=query_only(1)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Snapshot writes a consistent copy of the database in dataDir to dest with
// VACUUM INTO, on a connection of its own: it reads one snapshot of the WAL database
// while writers go on (in this process or in a running server), and never copies the
// live file. dest must not exist.
func Snapshot(ctx context.Context, dataDir, dest string) error {
	db, err := openFile(filepath.Join(dataDir, "annex.db"), false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	return nil
}

// DBInfo describes a database file that no server has open: a snapshot or a backup
// being restored.
type DBInfo struct {
	Schema    int      // the newest migration applied
	Integrity string   // PRAGMA integrity_check's answer: "ok" when sound
	FileIDs   []string // the uploaded files it refers to
}

// Inspect opens the database file at path read-only and reports its schema version,
// its integrity and the files it refers to.
func Inspect(ctx context.Context, path string) (DBInfo, error) {
	var info DBInfo
	db, err := openFile(path, true)
	if err != nil {
		return info, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return info, fmt.Errorf("store: %s is not a readable database: %w", filepath.Base(path), err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return info, err
		}
		if info.Integrity != "" {
			info.Integrity += "; "
		}
		info.Integrity += line
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return info, fmt.Errorf("store: integrity check: %w", err)
	}
	if info.Integrity != "ok" {
		return info, nil
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&info.Schema); err != nil {
		return info, fmt.Errorf("store: schema version: %w", err)
	}
	for _, q := range fileRefs {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return info, fmt.Errorf("store: file references: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return info, err
			}
			info.FileIDs = append(info.FileIDs, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return info, fmt.Errorf("store: file references: %w", err)
		}
	}
	return info, nil
}

// JobRun is the outcome of a job's last run.
type JobRun struct {
	Started, Finished time.Time
	Error             string
}

// LastJobRun returns the last recorded run of the named job, or ErrNotFound.
func (s *Store) LastJobRun(ctx context.Context, name string) (JobRun, error) {
	var r JobRun
	var started, finished int64
	err := s.read.QueryRowContext(ctx, `SELECT started_at, finished_at, error FROM job_runs WHERE name = ?`, name).
		Scan(&started, &finished, &r.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("store: job run %s: %w", name, err)
	}
	r.Started, r.Finished = time.Unix(started, 0).UTC(), time.Unix(finished, 0).UTC()
	return r, nil
}
