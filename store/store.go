// Package store is Annex's only door to SQLite: opening, migrations, transactions, and
// every SQL statement, one file per domain. Reads of content go through fence.go.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned for a row that does not exist or that the actor may not see:
// the two are deliberately indistinguishable.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a write collides with a uniqueness rule.
var ErrConflict = errors.New("store: conflict")

// ErrTooMany is returned when a write would make more rows than one request may.
var ErrTooMany = errors.New("store: too many")

// Store holds one writer connection and a small pool of read-only connections.
type Store struct {
	write *sql.DB
	read  *sql.DB
	path  string
	now   func() time.Time
	stmts stmtCache
	// mailWake carries "mail was queued" from committed transactions to the worker.
	mailWake chan struct{}
	// commits counts committed writes: an answer computed at one count holds until the next.
	commits atomic.Uint64
	counts  keptCache[int64]
	shelves keptCache[[]taskShelf]
}

// Options tune Open; the zero value is the production setting.
type Options struct {
	Readers int              // reader pool size; 4 measured best here (TOOLCHAIN.md)
	Now     func() time.Time // clock, injected by tests
}

// Open opens (creating if needed) the database in dir and applies the embedded
// migrations.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data folder: %w", err)
	}
	path := filepath.Join(dir, "annex.db")
	if opt.Readers <= 0 {
		opt.Readers = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{write: w, path: path, now: opt.Now, mailWake: make(chan struct{}, 1)}
	// Migrate before the readers open: query_only connections cannot switch to WAL.
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.Tx(ctx, func(tx *Tx) error { return tx.refreshSearch(ctx, "") }); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)&_pragma=cache_size(-16384)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	r.SetMaxOpenConns(opt.Readers)
	r.SetMaxIdleConns(opt.Readers)
	s.read = r
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stmts.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Ping checks that the database answers; deep also runs PRAGMA integrity_check.
func (s *Store) Ping(ctx context.Context, deep bool) error {
	if !deep {
		return s.read.PingContext(ctx)
	}
	var res string
	if err := s.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("store: integrity check: %s", res)
	}
	return nil
}

// Tx is a write transaction. Every state change runs inside one.
type Tx struct {
	tx         *sql.Tx
	now        time.Time
	mailQueued bool
	after      []func()
}

// AfterCommit runs fn once the transaction has committed (never if it rolls back): news
// of a change must not reach anyone before the change itself can be read.
func (t *Tx) AfterCommit(fn func()) { t.after = append(t.after, fn) }

// Now is the transaction's single timestamp, so every row it writes agrees.
func (t *Tx) Now() time.Time { return t.now }

// Tx runs fn in one immediate write transaction, committing if fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(*Tx) error) (err error) {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	tx := &Tx{tx: sqlTx, now: s.now()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.commits.Add(1)
	if tx.mailQueued {
		select {
		case s.mailWake <- struct{}{}:
		default: // already signalled
		}
	}
	for _, fn := range tx.after {
		fn()
	}
	return nil
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, q, args...)
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a random opaque id: 80 bits as 16 base32 characters, so nothing can be
// counted or guessed from a URL.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return idEncoding.EncodeToString(b[:])
}

func isForeignKeyViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

func unix(t time.Time) int64 { return t.Unix() }
