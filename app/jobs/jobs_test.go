package jobs_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex/app/config"
	"annex/app/jobs"
	"annex/store"
	"annex/store/storetest"
)

func TestSessionCleanupRemovesOnlyExpiredSessions(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, dir := storetest.New(t, clock)
	err := st.Tx(ctx, func(tx *store.Tx) error {
		u := store.User{Email: "a@example.com", Name: "A", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		now := tx.Now()
		for i, idle := range []time.Duration{-time.Minute, time.Hour} {
			s := store.Session{TokenHash: []byte{byte(i)}, UserID: u.ID, CreatedAt: now, SeenAt: now, AuthAt: now,
				IdleExpiresAt: now.Add(idle), AbsoluteExpiresAt: now.Add(24 * time.Hour)}
			if err := tx.CreateSession(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := jobs.Start(ctx, st, log, nil, jobs.Builtin(st))
	if err != nil {
		t.Fatal(err)
	}
	s.Stop() // waits for the run at start
	if _, _, err := st.SessionUser(ctx, []byte{1}); err != nil {
		t.Errorf("a live session was removed: %v", err)
	}
	db, _ := sql.Open("sqlite", filepath.Join(dir, "annex.db"))
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d sessions left (%v), want only the live one", n, err)
	}
	var runs int
	db.QueryRow(`SELECT count(*) FROM job_runs WHERE name = 'session_cleanup' AND error = ''`).Scan(&runs)
	if runs != 1 {
		t.Error("the run was not recorded")
	}
}

func TestBadScheduleIsRefused(t *testing.T) {
	st, _ := storetest.New(t, nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, err := jobs.Start(context.Background(), st, log, map[string]config.Job{"session_cleanup": {Schedule: "every tuesday"}},
		jobs.Builtin(st))
	if err == nil || !strings.Contains(err.Error(), "session_cleanup") {
		t.Errorf("bad schedule: %v", err)
	}
}
