package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the read pool's prepared statements by their text: parsing a statement
// again at every request cost a quarter of the task list's time. The texts are few (one
// per query shape, actor kind and filter set), and the cache is bounded all the same.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxCachedStmts = 256

// prepared reads through the read pool with cached statements. It is a queryer.
type prepared struct{ s *Store }

func (p prepared) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	c := &p.s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[q]; st != nil {
		return st, nil
	}
	if c.m == nil || len(c.m) >= maxCachedStmts {
		c.closeLocked()
		c.m = map[string]*sql.Stmt{}
	}
	st, err := p.s.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.m[q] = st
	return st, nil
}

func (p prepared) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, q)
	if err != nil {
		// A Row carries its error only from a query: let the pool report it.
		return p.s.read.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeLocked()
}

func (c *stmtCache) closeLocked() {
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}
