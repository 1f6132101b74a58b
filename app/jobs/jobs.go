// Package jobs runs Annex's scheduled jobs (robfig/cron): each has a name, a schedule,
// an enabled flag, and may run at start; each run is recorded.
package jobs

import (
	"context"
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

// Scheduler runs jobs on their schedules until its context ends.
type Scheduler struct {
	c   *cron.Cron
	wg  sync.WaitGroup // run-at-start runs
	st  *store.Store
	log *slog.Logger
}

// Start schedules the enabled jobs, with schedules and switches from config, and runs
// the run-at-start ones once in the background.
func Start(ctx context.Context, st *store.Store, log *slog.Logger, cfg map[string]config.Job, jobs []Job) (*Scheduler, error) {
	s := &Scheduler{c: cron.New(cron.WithLocation(time.UTC)), st: st, log: log}
	for _, j := range jobs {
		if o, ok := cfg[j.Name]; ok {
			if o.Enabled != nil && !*o.Enabled {
				log.Info("job disabled by configuration", "job", j.Name)
				continue
			}
			if o.Schedule != "" {
				j.Schedule = o.Schedule
			}
		}
		if _, err := s.c.AddFunc(j.Schedule, func() { s.run(ctx, j) }); err != nil {
			return nil, fmt.Errorf("jobs: %s: schedule %q: %w", j.Name, j.Schedule, err)
		}
		if j.RunAtStart {
			s.wg.Go(func() { s.run(ctx, j) })
		}
	}
	s.c.Start()
	return s, nil
}

// Stop waits for running jobs to finish.
func (s *Scheduler) Stop() {
	<-s.c.Stop().Done()
	s.wg.Wait()
}

func (s *Scheduler) run(ctx context.Context, j Job) {
	if ctx.Err() != nil {
		return
	}
	started := s.st.Now()
	err := j.Run(ctx)
	if err != nil {
		s.log.Error("job failed", "job", j.Name, "err", err)
	}
	if rerr := s.st.Tx(ctx, func(tx *store.Tx) error { return tx.RecordJobRun(ctx, j.Name, started, err) }); rerr != nil {
		s.log.Error("job run not recorded", "job", j.Name, "err", rerr)
	}
}
