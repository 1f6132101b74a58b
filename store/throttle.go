package store

import (
	"context"
	"fmt"
	"time"
)

// ThrottlePolicy turns a failure count into a block duration (zero: not blocked), and
// says after how long without failures the count starts afresh.
type ThrottlePolicy struct {
	Block  func(failures int) time.Duration
	Forget time.Duration
}

// ThrottleBlockedUntil returns the latest block time among keys (zero if none is blocked).
func (s *Store) ThrottleBlockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	return blockedUntil(ctx, s.read, keys)
}

// ThrottleBlockedUntil is the same inside a transaction, so that checking a block and
// counting an attempt happen together.
func (t *Tx) ThrottleBlockedUntil(ctx context.Context, keys ...string) (time.Time, error) {
	return blockedUntil(ctx, t.tx, keys)
}

func blockedUntil(ctx context.Context, q queryer, keys []string) (time.Time, error) {
	var until int64
	for _, k := range keys {
		var u int64
		err := q.QueryRowContext(ctx,
			`SELECT coalesce((SELECT blocked_until FROM login_throttle WHERE key = ?), 0)`, k).Scan(&u)
		if err != nil {
			return time.Time{}, fmt.Errorf("store: throttle: %w", err)
		}
		until = max(until, u)
	}
	if until == 0 {
		return time.Time{}, nil
	}
	return time.Unix(until, 0), nil
}

// ThrottleFailures returns the failures counted under key, zero once the policy has
// forgotten them.
func (s *Store) ThrottleFailures(ctx context.Context, key string, p ThrottlePolicy) (int, error) {
	var failures int
	err := s.read.QueryRowContext(ctx, `SELECT coalesce((SELECT failures FROM login_throttle WHERE key = ?
		AND last_failure >= ?), 0)`, key, unix(s.Now().Add(-p.Forget))).Scan(&failures)
	if err != nil {
		return 0, fmt.Errorf("store: throttle: %w", err)
	}
	return failures, nil
}

// RecordFailure counts one failure under key and applies the policy's block.
func (t *Tx) RecordFailure(ctx context.Context, key string, p ThrottlePolicy) error {
	var failures int
	var last int64
	err := t.tx.QueryRowContext(ctx, `SELECT coalesce((SELECT failures FROM login_throttle WHERE key = ?1), 0),
		coalesce((SELECT last_failure FROM login_throttle WHERE key = ?1), 0)`, key).Scan(&failures, &last)
	if err != nil {
		return fmt.Errorf("store: throttle: %w", err)
	}
	if t.now.Sub(time.Unix(last, 0)) > p.Forget {
		failures = 0
	}
	return t.setFailures(ctx, key, failures+1, p)
}

// RecordDistinctFailure sets the count under key to the number of keys that start with
// prefix and end with suffix and have failed within the policy's Forget, and applies the
// block: how many accounts one address has tried, rather than how often.
func (t *Tx) RecordDistinctFailure(ctx context.Context, key, prefix, suffix string, p ThrottlePolicy) error {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle WHERE substr(key, 1, length(?1)) = ?1
		AND substr(key, -length(?2)) = ?2 AND last_failure >= ?3`, prefix, suffix, unix(t.now.Add(-p.Forget))).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: throttle: %w", err)
	}
	// Another failure on an account already counted is no new account: it leaves the
	// block as it is rather than starting it afresh.
	var prev int
	err = t.tx.QueryRowContext(ctx, `SELECT coalesce((SELECT failures FROM login_throttle WHERE key = ?
		AND last_failure >= ?), 0)`, key, unix(t.now.Add(-p.Forget))).Scan(&prev)
	if err != nil {
		return fmt.Errorf("store: throttle: %w", err)
	}
	if n <= prev {
		return nil
	}
	return t.setFailures(ctx, key, n, p)
}

// setFailures stores a count failed now, blocked by the policy from now on.
func (t *Tx) setFailures(ctx context.Context, key string, failures int, p ThrottlePolicy) error {
	var blocked int64
	if d := p.Block(failures); d > 0 {
		blocked = unix(t.now.Add(d))
	}
	_, err := t.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure, blocked_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
		blocked_until = excluded.blocked_until`, key, failures, unix(t.now), blocked)
	if err != nil {
		return fmt.Errorf("store: throttle: %w", err)
	}
	return nil
}

// ThrottleBlock is one key blocked now.
type ThrottleBlock struct {
	Key          string
	Failures     int
	LastFailure  time.Time
	BlockedUntil time.Time
}

// ThrottleBlocks lists for an administrator the keys that start with one of prefixes and
// are blocked now, the longest block first, with their total.
func (s *Store) ThrottleBlocks(ctx context.Context, a Actor, prefixes []string, offset, limit int) ([]ThrottleBlock, int, error) {
	if !a.administers() {
		return nil, 0, ErrNotFound
	}
	where := ` FROM login_throttle WHERE blocked_until > ? AND (0`
	args := []any{unix(s.Now())}
	for _, p := range prefixes {
		where += ` OR substr(key, 1, length(?)) = ?`
		args = append(args, p, p)
	}
	where += `)`
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: throttle blocks: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT key, failures, last_failure, blocked_until`+where+
		` ORDER BY blocked_until DESC, key LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: throttle blocks: %w", err)
	}
	defer rows.Close()
	var out []ThrottleBlock
	for rows.Next() {
		var b ThrottleBlock
		var last, until int64
		if err := rows.Scan(&b.Key, &b.Failures, &last, &until); err != nil {
			return nil, 0, fmt.Errorf("store: throttle blocks: %w", err)
		}
		b.LastFailure, b.BlockedUntil = time.Unix(last, 0), time.Unix(until, 0)
		out = append(out, b)
	}
	return out, total, rows.Err()
}

// ClearThrottle forgets the failures under the keys.
func (t *Tx) ClearThrottle(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := t.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, k); err != nil {
			return fmt.Errorf("store: throttle: %w", err)
		}
	}
	return nil
}

// ClearThrottlePrefix forgets every key that starts with prefix.
func (t *Tx) ClearThrottlePrefix(ctx context.Context, prefix string) error {
	_, err := t.exec(ctx, `DELETE FROM login_throttle WHERE substr(key, 1, length(?1)) = ?1`, prefix)
	return err
}

// ClearThrottleUnblocked forgets the keys that start with prefix and end with suffix
// and block nothing now: the counts that only add up to another key's.
func (t *Tx) ClearThrottleUnblocked(ctx context.Context, prefix, suffix string) error {
	_, err := t.exec(ctx, `DELETE FROM login_throttle WHERE substr(key, 1, length(?1)) = ?1
		AND substr(key, -length(?2)) = ?2 AND blocked_until <= ?3`, prefix, suffix, unix(t.now))
	return err
}

// ThrottleExists reports whether key holds a count.
func (t *Tx) ThrottleExists(ctx context.Context, key string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle WHERE key = ?`, key).Scan(&n)
	return n > 0, err
}
