package store

import "sync"

// keptCache keeps answers that only a write can change (the pager's "1,234 tasks", which
// tasks a person's list is planned from) until the next committed write: counting every
// task a person may see costs as much as the rest of the page. Every write empties it, so
// an entry is never stale; a busy company simply reads again.
type keptCache[V any] struct {
	mu      sync.Mutex
	commits uint64
	m       map[string]V
}

// maxKept bounds each cache: emptied whole when full.
const maxKept = 10_000

// get returns the answer kept for key at commits.
func (c *keptCache[V]) get(key string, commits uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var v V
	if c.commits != commits {
		return v, false
	}
	v, ok := c.m[key]
	return v, ok
}

// put keeps v for key as of commits, if no write committed since.
func (c *keptCache[V]) put(key string, commits uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.commits != commits || len(c.m) >= maxKept {
		c.commits, c.m = commits, map[string]V{}
	}
	c.m[key] = v
}
