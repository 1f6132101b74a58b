package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex/store"
	"annex/store/storetest"
)

func logOne(t *testing.T, st *store.Store, a store.Actor, action string) {
	t.Helper()
	err := st.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.LogActivity(context.Background(), a, action, store.Object{Type: "group", ID: "g1", Label: "Ops", GroupID: "g1"},
			"192.0.2.1", map[string]string{"k": "v"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheActivityLogIsAppendOnlyAndKeptByKind(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st, dir := storetest.New(t, clock)
	admin := store.Actor{UserID: "nobody-known", Kind: store.KindEmployee, Admin: true}
	ext := store.Actor{UserID: "x1", Kind: store.KindExternal}
	logOne(t, st, ext, "auth.sign_in")
	logOne(t, st, store.Actor{Kind: store.KindEmployee}, "auth.sign_in_failed") // nobody known
	logOne(t, st, store.System(), "admin.backup_started")
	clock.Advance(100 * 24 * time.Hour)
	logOne(t, st, ext, "auth.sign_out")

	rows, total, err := st.Activities(ctx, admin, store.ActivityFilter{Limit: 10})
	if err != nil || total != 4 {
		t.Fatalf("Activities = %d rows, %v", total, err)
	}
	if rows[0].Action != "auth.sign_out" || rows[1].ActorKind != store.ActorSystem || rows[2].ActorKind != store.ActorAnonymous ||
		rows[3].ActorKind != store.KindExternal || rows[3].Details["k"] != "v" || rows[3].Object.Label != "Ops" || rows[3].Address != "192.0.2.1" {
		t.Errorf("rows: %+v", rows)
	}
	if _, _, err := st.Activities(ctx, store.Actor{UserID: "e", Kind: store.KindEmployee}, store.ActivityFilter{Limit: 10}); err != store.ErrNotFound {
		t.Errorf("a non-administrator read the log: %v", err)
	}

	// No statement may change a row, not even through SQL beside the store.
	db, err := sql.Open("sqlite", filepath.Join(dir, "annex.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE activity SET action = 'auth.sign_in' WHERE action = 'auth.sign_out'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("a row was changed: %v", err)
	}

	// Retention: employees' (and the anonymous and system rows) after 60 days, external
	// users' after 200: only the newest external row and the old external one remain.
	var gone int64
	err = st.Tx(ctx, func(tx *store.Tx) error {
		gone, err = tx.DeleteOldActivity(ctx, 60*24*time.Hour, 200*24*time.Hour)
		return err
	})
	if err != nil || gone != 2 {
		t.Fatalf("retention removed %d, %v; want 2", gone, err)
	}
	rows, _, _ = st.Activities(ctx, admin, store.ActivityFilter{Limit: 10})
	if len(rows) != 2 || rows[0].ActorKind != store.KindExternal || rows[1].ActorKind != store.KindExternal {
		t.Errorf("after retention: %+v", rows)
	}
}

func TestActivityFilters(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st, _ := storetest.New(t, clock)
	admin := store.Actor{UserID: "a", Kind: store.KindEmployee, Admin: true}
	ext := store.Actor{UserID: "x1", Kind: store.KindExternal}
	emp := store.Actor{UserID: "e1", Kind: store.KindEmployee}
	logOne(t, st, ext, "auth.sign_in")
	clock.Advance(time.Hour)
	logOne(t, st, emp, "group.created")
	clock.Advance(time.Hour)
	logOne(t, st, ext, "auth.sign_out")
	start := time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		f    store.ActivityFilter
		want int
	}{
		{"person", store.ActivityFilter{ActorID: "x1"}, 2},
		{"kind", store.ActivityFilter{ActorKind: store.KindEmployee}, 1},
		{"action", store.ActivityFilter{Action: "auth.sign_in"}, 1},
		{"family", store.ActivityFilter{Action: "auth."}, 2},
		{"group", store.ActivityFilter{GroupID: "g1"}, 3},
		{"object", store.ActivityFilter{ObjectType: "group", ObjectID: "nope"}, 0},
		{"range", store.ActivityFilter{From: start, To: start.Add(time.Hour)}, 1},
		{"open end", store.ActivityFilter{From: start}, 2},
	} {
		c.f.Limit = 10
		rows, total, err := st.Activities(ctx, admin, c.f)
		if err != nil || total != c.want || len(rows) != c.want {
			t.Errorf("%s: %d rows (total %d), %v; want %d", c.name, len(rows), total, err, c.want)
		}
		var each int
		if err := st.EachActivity(ctx, admin, c.f, func(store.Activity) error { each++; return nil }); err != nil || each != c.want {
			t.Errorf("%s: EachActivity gave %d, %v; want %d", c.name, each, err, c.want)
		}
	}
}

// A family of actions is paged in the same order whichever way the page is read (the
// action index for a rare family, the rows newest first for a common one), across days
// and within one millisecond.
func TestActivityFamiliesPageNewestFirst(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st, _ := storetest.New(t, clock)
	admin := store.Actor{UserID: "a", Kind: store.KindEmployee, Admin: true}
	emp := store.Actor{UserID: "e1", Kind: store.KindEmployee}
	var all []string // actions, oldest first
	for i := range 300 {
		action := "group.changed"
		switch {
		case i%100 == 7:
			action = "admin.topic_changed"
		case i%3 == 0:
			action = "auth.sign_in"
		}
		logOne(t, st, emp, action)
		all = append(all, action)
		if i%4 == 0 { // some rows share their millisecond
			clock.Advance(time.Minute)
		}
	}
	for _, family := range []string{"auth.", "admin."} {
		var want []int64 // ids, newest first
		for i := len(all) - 1; i >= 0; i-- {
			if strings.HasPrefix(all[i], family) {
				want = append(want, int64(i+1))
			}
		}
		for offset := 0; offset < len(want); offset += 25 {
			rows, total, err := st.Activities(ctx, admin, store.ActivityFilter{Action: family, Offset: offset, Limit: 25})
			if err != nil || total != len(want) {
				t.Fatalf("%s at %d: total %d, %v; want %d", family, offset, total, err, len(want))
			}
			for i, r := range rows {
				if r.ID != want[offset+i] {
					t.Fatalf("%s at %d: row %d is %d, want %d", family, offset, i, r.ID, want[offset+i])
				}
			}
		}
	}
}
