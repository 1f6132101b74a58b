// Package jobs runs Annex's scheduled jobs (robfig/cron): each has a name, a schedule,
// an enabled flag, and may run at start; each run is recorded.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"annex/app/config"
	"annex/store"
)

// Job is one scheduled task.
type Job struct {
	Name       string
	Schedule   string // five-field cron spec, or @every/@hourly/@daily
	RunAtStart bool
	Run        func(ctx context.Context) error
}

// Builtin returns the jobs Annex always has.
func Builtin(st *store.Store) []Job {
	return []Job{
		{Name: "session_cleanup", Schedule: "@every 1h", RunAtStart: true, Run: func(ctx context.Context) error {
			return st.Tx(ctx, func(tx *store.Tx) error {
				if _, err := tx.DeleteExpiredSessions(ctx); err != nil {
					return err
				}
				// Reset and e-mail-change links a week past their expiry: until then
				// opening one says "expired" rather than "unknown".
				if _, err := tx.DeleteExpiredLinks(ctx, 7*24*time.Hour); err != nil {
					return err
				}
				// API tokens revoked or expired are named so for a month, then go.
				if _, err := tx.DeleteStaleAPITokens(ctx, 30*24*time.Hour); err != nil {
					return err
				}
				// Failure counts are forgotten after an hour without failures anyway.
				_, err := tx.DeleteStaleThrottles(ctx, 24*time.Hour)
				return err
			})
		}},
		// Expired invitations stay listed as expired for a month, then go.
		{Name: "invitation_cleanup", Schedule: "@daily", RunAtStart: true, Run: func(ctx context.Context) error {
			return st.Tx(ctx, func(tx *store.Tx) error {
				_, err := tx.DeleteExpiredInvitations(ctx, 30*24*time.Hour)
				return err
			})
		}},
	}
}

// Scheduler runs jobs on their schedules until its context ends. It is also the one
// registry of jobs: it knows every job given to Start, enabled or disabled by config.
type Scheduler struct {
	c   *cron.Cron
	wg  sync.WaitGroup // run-at-start and run-now runs
	st  *store.Store
	log *slog.Logger
	ctx context.Context

	mu      sync.Mutex
	entries []*entry // in the order given to Start
	byName  map[string]*entry
}

type entry struct {
	job     Job
	enabled bool
	id      cron.EntryID
	running bool // guarded by Scheduler.mu: a run never overlaps itself
}

// Info is what the registry tells about one job.
type Info struct {
	Name     string
	Schedule string // effective schedule (config over default)
	Enabled  bool
	Running  bool
	Next     time.Time // zero when disabled
}

// ErrUnknown, ErrDisabled and ErrRunning are RunNow's refusals.
var (
	ErrUnknown  = errors.New("jobs: no such job")
	ErrDisabled = errors.New("jobs: job disabled by configuration")
	ErrRunning  = errors.New("jobs: job already running")
)

// New registers the jobs, with schedules and switches from config, without starting
// them: the registry answers List from the start, and RunNow runs a job at once.
func New(st *store.Store, log *slog.Logger, cfg map[string]config.Job, jobs []Job) (*Scheduler, error) {
	s := &Scheduler{c: cron.New(cron.WithLocation(time.UTC)), st: st, log: log, ctx: context.Background(),
		byName: map[string]*entry{}}
	for _, j := range jobs {
		if _, dup := s.byName[j.Name]; dup {
			return nil, fmt.Errorf("jobs: %s registered twice", j.Name)
		}
		e := &entry{job: j, enabled: true}
		if o, ok := cfg[j.Name]; ok {
			if o.Schedule != "" {
				e.job.Schedule = o.Schedule
			}
			if o.Enabled != nil && !*o.Enabled {
				log.Info("job disabled by configuration", "job", j.Name)
				e.enabled = false
			}
		}
		s.entries = append(s.entries, e)
		s.byName[j.Name] = e
		if !e.enabled {
			continue
		}
		id, err := s.c.AddFunc(e.job.Schedule, func() { s.run(s.runContext(), e) })
		if err != nil {
			return nil, fmt.Errorf("jobs: %s: schedule %q: %w", j.Name, e.job.Schedule, err)
		}
		e.id = id
	}
	return s, nil
}

// Start runs the jobs on their schedules until ctx ends, and the run-at-start ones once
// now, in the background.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	for _, e := range s.entries {
		if e.enabled && e.job.RunAtStart {
			s.wg.Go(func() { s.run(ctx, e) })
		}
	}
	s.c.Start()
}

// Start registers the jobs and starts them: New, then Scheduler.Start.
func Start(ctx context.Context, st *store.Store, log *slog.Logger, cfg map[string]config.Job, jobs []Job) (*Scheduler, error) {
	s, err := New(st, log, cfg, jobs)
	if err != nil {
		return nil, err
	}
	s.Start(ctx)
	return s, nil
}

func (s *Scheduler) runContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// List tells every registered job, in registration order.
func (s *Scheduler) List() []Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Info, 0, len(s.entries))
	for _, e := range s.entries {
		in := Info{Name: e.job.Name, Schedule: e.job.Schedule, Enabled: e.enabled, Running: e.running}
		if e.enabled {
			in.Next = s.c.Entry(e.id).Next
		}
		out = append(out, in)
	}
	return out
}

// RunNow starts the named job in the background and returns at once; it refuses an
// unknown job, a disabled one and one already running.
func (s *Scheduler) RunNow(name string) error {
	s.mu.Lock()
	e, ok := s.byName[name]
	switch {
	case !ok:
		s.mu.Unlock()
		return ErrUnknown
	case !e.enabled:
		s.mu.Unlock()
		return ErrDisabled
	case e.running:
		s.mu.Unlock()
		return ErrRunning
	}
	e.running = true // claimed here so a second RunNow right after is refused
	ctx := s.ctx
	s.mu.Unlock()
	s.wg.Go(func() { s.runClaimed(ctx, e) })
	return nil
}

// Stop waits for running jobs to finish.
func (s *Scheduler) Stop() {
	<-s.c.Stop().Done()
	s.wg.Wait()
}

// run runs a scheduled job unless a run of it is under way (then this tick is skipped).
func (s *Scheduler) run(ctx context.Context, e *entry) {
	s.mu.Lock()
	if e.running {
		s.mu.Unlock()
		s.log.Info("job still running: tick skipped", "job", e.job.Name)
		return
	}
	e.running = true
	s.mu.Unlock()
	s.runClaimed(ctx, e)
}

func (s *Scheduler) runClaimed(ctx context.Context, e *entry) {
	defer func() {
		s.mu.Lock()
		e.running = false
		s.mu.Unlock()
	}()
	if ctx.Err() != nil {
		return
	}
	j := e.job
	started, clock := s.st.Now(), time.Now()
	err := j.Run(ctx)
	if err != nil {
		s.log.Error("job failed", "job", j.Name, "err", err)
	}
	took := time.Since(clock)
	if rerr := s.st.Tx(ctx, func(tx *store.Tx) error { return tx.RecordJobRun(ctx, j.Name, started, took, err) }); rerr != nil {
		s.log.Error("job run not recorded", "job", j.Name, "err", rerr)
	}
}
