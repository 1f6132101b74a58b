package auth

import (
	"context"
	"time"

	"annex/app/apperr"
	"annex/store"
)

// Sign-in throttling (PRODUCT.md §6) keys failures by account and address together, so
// nobody can lock an administrator out from elsewhere, and by address alone, so one
// address cannot try many accounts. Both are keyed by the typed address string, whether
// or not an account has it, so the answer never tells whether an account exists.
var (
	accountPolicy = store.ThrottlePolicy{
		Block:  exponential(3, time.Second, 15*time.Minute),
		Forget: time.Hour,
	}
	addressPolicy = store.ThrottlePolicy{
		Block:  exponential(20, 10*time.Second, time.Hour),
		Forget: time.Hour,
	}
)

// exponential blocks from the free-th failure on, for base doubling with each further
// failure, up to limit.
func exponential(free int, base, limit time.Duration) func(int) time.Duration {
	return func(failures int) time.Duration {
		if failures < free {
			return 0
		}
		d := base
		for i := free; i < failures && d < limit; i++ {
			d *= 2
		}
		return min(d, limit)
	}
}

func accountKey(email, addr string) string { return "acct:" + store.NormalizeEmail(email) + "|" + addr }
func addressKey(addr string) string        { return "addr:" + addr }

// AccountThrottlePrefix is the prefix of every throttle key of one account, so that an
// administrator's password reset can clear them.
func AccountThrottlePrefix(email string) string { return "acct:" + store.NormalizeEmail(email) + "|" }

// checkThrottle refuses with a 429 that says when to try again while either key is blocked.
func checkThrottle(ctx context.Context, st *store.Store, email, addr string) error {
	until, err := st.ThrottleBlockedUntil(ctx, accountKey(email, addr), addressKey(addr))
	if err != nil {
		return err
	}
	if wait := until.Sub(st.Now()); wait > 0 {
		return apperr.TooMany("throttled", wait)
	}
	return nil
}

func recordFailure(ctx context.Context, st *store.Store, email, addr string) error {
	return st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.RecordFailure(ctx, accountKey(email, addr), accountPolicy); err != nil {
			return err
		}
		return tx.RecordFailure(ctx, addressKey(addr), addressPolicy)
	})
}
