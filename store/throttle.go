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

// RecordFailure counts one failure under key and applies the policy's block.
func (t *Tx) RecordFailure(ctx context.Context, key string, p ThrottlePolicy) error {
	return t.addFailures(ctx, key, p, +1)
}

// ForgiveFailure takes back one failure counted under key (an attempt counted before
// its password was checked, which then turned out right), recomputing the block.
func (t *Tx) ForgiveFailure(ctx context.Context, key string, p ThrottlePolicy) error {
	return t.addFailures(ctx, key, p, -1)
}

func (t *Tx) addFailures(ctx context.Context, key string, p ThrottlePolicy, delta int) error {
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
	failures = max(failures+delta, 0)
	if delta > 0 {
		last = unix(t.now)
	}
	var blocked int64
	if d := p.Block(failures); d > 0 {
		blocked = time.Unix(last, 0).Add(d).Unix()
	}
	_, err = t.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure, blocked_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
		blocked_until = excluded.blocked_until`, key, failures, last, blocked)
	if err != nil {
		return fmt.Errorf("store: throttle: %w", err)
	}
	return nil
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
