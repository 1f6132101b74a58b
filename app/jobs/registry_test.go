package jobs_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"annex/app/config"
	"annex/app/jobs"
	"annex/store/storetest"
)

// The scheduler lists every job (disabled ones too, without a next run), runs one on
// demand, refuses a second run while the first is under way, and refuses disabled and
// unknown jobs.
func TestRegistryListsAndRunsNowWithoutOverlap(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, dir := storetest.New(t, clock)
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	off := false
	js := []jobs.Job{
		{Name: "slow", Schedule: "@daily", Run: func(context.Context) error {
			started <- struct{}{}
			<-release
			return nil
		}},
		{Name: "off", Schedule: "@every 1h", Run: func(context.Context) error { return nil }},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := jobs.Start(ctx, st, log, map[string]config.Job{"off": {Enabled: &off}}, js)
	if err != nil {
		t.Fatal(err)
	}
	list := s.List()
	if len(list) != 2 || list[0].Name != "slow" || !list[0].Enabled || list[0].Next.IsZero() ||
		list[1].Name != "off" || list[1].Enabled || !list[1].Next.IsZero() {
		t.Fatalf("list = %+v", list)
	}
	if err := s.RunNow("slow"); err != nil {
		t.Fatal(err)
	}
	<-started
	if err := s.RunNow("slow"); !errors.Is(err, jobs.ErrRunning) {
		t.Errorf("second run now = %v, want ErrRunning", err)
	}
	if !s.List()[0].Running {
		t.Error("the running job is not shown running")
	}
	if err := s.RunNow("off"); !errors.Is(err, jobs.ErrDisabled) {
		t.Errorf("disabled = %v", err)
	}
	if err := s.RunNow("nope"); !errors.Is(err, jobs.ErrUnknown) {
		t.Errorf("unknown = %v", err)
	}
	close(release)
	s.Stop()
	if s.List()[0].Running {
		t.Error("still running after Stop")
	}
	db, _ := sql.Open("sqlite", filepath.Join(dir, "annex.db"))
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM job_runs WHERE name = 'slow' AND error = '' AND succeeded_at IS NOT NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("run not recorded: %d %v", n, err)
	}
}
