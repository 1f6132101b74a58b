package store

import "sync"

// countCache keeps the totals of lists (the pager's "1,234 tasks") until the next committed
// write: counting every task a person may see costs as much as the rest of the page, and
// nothing a count depends on changes but through a write. Every write empties it, so an
// entry is never stale; a busy company simply counts again.
type countCache struct {
	mu      sync.Mutex
	commits uint64
	m       map[string]int64
}

// maxCounts bounds the cache: a few bytes an entry, emptied whole when full.
const maxCounts = 10_000

// get returns the counts kept for key at commits.
func (c *countCache) get(key string, commits uint64) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commits != commits {
		return 0, false
	}
	v, ok := c.m[key]
	return v, ok
}

// put keeps counts for key as of commits, if no write committed since.
func (c *countCache) put(key string, commits uint64, v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.commits != commits || len(c.m) >= maxCounts {
		c.commits, c.m = commits, map[string]int64{}
	}
	c.m[key] = v
}
