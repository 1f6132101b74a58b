package activity_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// BenchmarkLogWrite is what a row adds to the change it records: a profile change in its
// own transaction on a real database file, alone and with its row.
func BenchmarkLogWrite(b *testing.B) {
	env := apptest.New(b)
	env.Setup()
	u := env.CreateUser("anna@example.com", pw, store.KindExternal, false)
	ctx := context.Background()
	actor := store.ActorFor(u)
	n := 0
	change := func(tx *store.Tx) error {
		n++
		return tx.SetProfile(ctx, u.ID, store.Profile{Position: "Auditor " + strconv.Itoa(n), TimeZone: "UTC"})
	}
	b.Run("change", func(b *testing.B) {
		for b.Loop() {
			if err := env.Store.Tx(ctx, change); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("change+row", func(b *testing.B) {
		for b.Loop() {
			err := env.Store.Tx(ctx, func(tx *store.Tx) error {
				if err := change(tx); err != nil {
					return err
				}
				return audit.Log(ctx, tx, actor, audit.ProfileChanged, audit.User(u.ID, u.Email), map[string]string{"fields": "position"})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// seedLog fills the log with rows (ANNEX_BENCH_ACTIVITY_ROWS, a million by default) over
// a year: 200 people, a tenth of them external, acting in 40 groups, with the action mix
// of a working company (mostly sign-ins and group work, a few administrative actions).
// It answers a person, a group and a rare action to filter by.
func seedLog(b *testing.B, env *apptest.Env) (person, group string, rows int) {
	rows = 1_000_000
	if n, err := strconv.Atoi(os.Getenv("ANNEX_BENCH_ACTIVITY_ROWS")); err == nil && n > 0 {
		rows = n
	}
	ctx := context.Background()
	var people []store.User
	for i := range 200 {
		kind := store.KindEmployee
		if i%10 == 0 {
			kind = store.KindExternal
		}
		people = append(people, env.CreateUser(fmt.Sprintf("p%d@example.com", i), pw, kind, false))
	}
	var groups []string
	for i := range 40 {
		groups = append(groups, fmt.Sprintf("g%014d", i))
	}
	common := []string{audit.SignIn, audit.SignIn, audit.SignOut, audit.GroupChanged, audit.GroupJoined,
		audit.ProfileChanged, audit.InvitationSent, audit.InvitationAccepted, audit.GroupMemberAdded, audit.TokenUsed}
	const batches = 50
	start := env.Clock.Now()
	env.Clock.Advance(-365 * 24 * time.Hour)
	for batch := range batches {
		err := env.Store.Tx(ctx, func(tx *store.Tx) error {
			for i := batch * rows / batches; i < (batch+1)*rows/batches; i++ {
				u := people[i*7919%len(people)]
				action := common[i%len(common)]
				if i%1000 == 0 {
					action = audit.LicenceUploaded
				}
				g := groups[i*31%len(groups)]
				obj := store.Object{Type: "group", ID: g, Label: "Group " + g, GroupID: g}
				if err := tx.LogActivity(ctx, store.ActorFor(u), action, obj, "192.0.2.1", map[string]string{"fields": "name"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		env.Clock.Advance(365 * 24 * time.Hour / batches)
	}
	env.Clock.Advance(start.Sub(env.Clock.Now()))
	return people[10].ID, groups[7], rows
}

// BenchmarkLogPage is Admin → Activity's page with a million rows in the log, through the
// HTTP server, as the page asks for it: the first page, filtered in each way the page
// offers, and a page deep into the log.
func BenchmarkLogPage(b *testing.B) {
	env := apptest.New(b)
	admin := env.Setup()
	person, group, _ := seedLog(b, env)
	month := env.Clock.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct{ name, query string }{
		{"first page", ""},
		{"one person", "person=" + person},
		{"external users", "kind=external"},
		{"rare action", "action=" + audit.LicenceUploaded},
		{"action family", "action=group."},
		{"group, last 30 days", "group=" + group + "&from=" + month},
		{"page 1000", "page=1000"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				admin.Do("GET", "/api/v1/admin/activity?perPage=25&"+tc.query, nil).Must(b, 200)
			}
		})
	}
}

// BenchmarkLogExport streams the whole million-row log as CSV, reporting rows a second
// and how far the server's heap rose above where it stood before (the export holds one
// row at a time, so it must stay flat whatever the log's size).
func BenchmarkLogExport(b *testing.B) {
	env := apptest.New(b)
	admin := env.Setup()
	_, _, rows := seedLog(b, env)
	req, err := http.NewRequest("GET", env.HTTP.URL+"/api/v1/admin/activity/export", nil)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Jar: admin.Jar}
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}
		})
		began := time.Now()
		res, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		lines := 0
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines++
		}
		_ = res.Body.Close()
		took := time.Since(began)
		close(stop)
		wg.Wait()
		if err := sc.Err(); err != nil || res.StatusCode != 200 {
			b.Fatalf("export: %d %v", res.StatusCode, err)
		}
		// The header, and the rows the seed wrote (the set-up's and the people's own
		// rows come on top).
		if lines < rows+1 {
			b.Fatalf("exported %d lines for %d rows", lines, rows)
		}
		b.ReportMetric(float64(lines-1)/took.Seconds(), "rows/s")
		b.ReportMetric(float64(peak.Load()-min(peak.Load(), base))/(1<<20), "heap-rise-MB")
	}
}
