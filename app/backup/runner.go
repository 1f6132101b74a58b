package backup

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"annex/store"
)

// JobName is the scheduled job's name, in [jobs] and in the record of job runs.
const JobName = "backup"

// BackupStatus is the running or last backup of this server.
type BackupStatus struct {
	Running  bool           `json:"running"`
	Started  *time.Time     `json:"startedAt,omitempty"`
	Finished *time.Time     `json:"finishedAt,omitempty"`
	Progress BackupProgress `json:"progress"`
	Name     string         `json:"name,omitempty" doc:"the backup written, once finished"`
	Error    string         `json:"error,omitempty" doc:"why the last backup failed"`
}

// Runner runs one backup at a time for a server, from the scheduled job or from an
// administrator's "back up now", and remembers the last one.
type Runner struct {
	opt Options
	st  *store.Store
	log *slog.Logger
	ctx context.Context // the server's lifetime: a backup outlives the request that asked

	mu     sync.Mutex
	status BackupStatus
	done   chan struct{}
}

// NewRunner returns a runner writing backups as opt says; ctx ends with the server.
func NewRunner(ctx context.Context, st *store.Store, log *slog.Logger, opt Options) *Runner {
	return &Runner{opt: opt, st: st, log: log, ctx: ctx}
}

// Dir is where backups go.
func (r *Runner) Dir() string { return r.opt.Dir }

// Keep is how many backups are kept.
func (r *Runner) Keep() int { return r.opt.Keep }

// BackupStatus returns the running or last backup.
func (r *Runner) Status() BackupStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Start begins a backup in the background unless one is running, and returns its status.
func (r *Runner) Start() BackupStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.status.Running {
		r.begin()
	}
	return r.status
}

// begin starts a run; r.mu is held.
func (r *Runner) begin() {
	now := r.st.Now().UTC()
	r.status = BackupStatus{Running: true, Started: &now, Progress: BackupProgress{Phase: "snapshot"}}
	r.done = make(chan struct{})
	done := r.done
	go func() {
		defer close(done)
		opt := r.opt
		opt.Now = r.st.Now
		opt.Progress = func(p BackupProgress) {
			r.mu.Lock()
			r.status.Progress = p
			r.mu.Unlock()
		}
		info, err := Create(r.ctx, opt)
		fin := r.st.Now().UTC()
		r.mu.Lock()
		r.status.Running, r.status.Finished = false, &fin
		if err != nil {
			r.status.Error = err.Error()
		} else {
			r.status.Name = info.Name
		}
		r.mu.Unlock()
		if err != nil {
			r.log.Error("backup failed", "err", err)
		} else {
			r.log.Info("backup written", "file", info.Name, "bytes", info.Size, "took", fin.Sub(now).Round(time.Millisecond))
		}
		// Recorded like a scheduled run, so the last failure survives a restart.
		// It is recorded even when the server is stopping (the store closes after this).
		rctx := context.WithoutCancel(r.ctx)
		if rerr := r.st.Tx(rctx, func(tx *store.Tx) error {
			return tx.RecordJobRun(rctx, JobName, now, fin.Sub(now), err)
		}); rerr != nil {
			r.log.Error("backup run not recorded", "err", rerr)
		}
	}()
}

// Run runs a backup and waits for it: the scheduled job. A backup already running
// (started by an administrator) counts as this run.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if !r.status.Running {
		r.begin()
	}
	done := r.done
	r.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if s := r.Status(); s.Error != "" {
		return errors.New(s.Error)
	}
	return nil
}

// Wait waits for a running backup, if any (tests, shutdown).
func (r *Runner) Wait() {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done != nil {
		<-done
	}
}

// BackupSummary is what the Admin → System page shows of backups.
type BackupSummary struct {
	Latest      *BackupFile `json:"latest,omitempty" doc:"the newest backup in the folder"`
	Count       int         `json:"count"`
	LastError   string      `json:"lastError,omitempty" doc:"why the last backup failed, when it did"`
	LastErrorAt *time.Time  `json:"lastErrorAt,omitempty"`
}

// Last returns the newest backup in the runner's folder (its time and size) and the
// last backup's failure if it failed, including one from before a restart.
func (r *Runner) Last(ctx context.Context) (BackupSummary, error) {
	var s BackupSummary
	list, err := List(r.opt.Dir)
	if err != nil {
		return s, err
	}
	s.Count = len(list)
	if len(list) > 0 {
		s.Latest = &list[0]
	}
	run, err := r.st.LastJobRun(ctx, JobName)
	if err == nil && run.Error != "" {
		s.LastError, s.LastErrorAt = run.Error, &run.Finished
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return s, err
	}
	return s, nil
}
