// Package storetest opens a fresh store for a test: a real SQLite file in t.TempDir()
// built by the real migrations.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"annex/store"
)

// Clock is a settable clock for tests of expiry. T is its starting time; after that only
// Advance moves it, because background workers (the outbox) read it while a test
// advances it.
type Clock struct {
	T  time.Time
	mu sync.Mutex
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.T = c.T.Add(d)
}

// New opens a store in a fresh temporary folder, closed when the test ends.
func New(t testing.TB, clock *Clock) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	opt := store.Options{}
	if clock != nil {
		opt.Now = clock.Now
	}
	st, err := store.Open(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dir
}
