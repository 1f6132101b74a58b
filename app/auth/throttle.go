package auth

import (
	"context"
	"net/netip"
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
		Block:  Exponential(3, time.Second, 15*time.Minute),
		Forget: time.Hour,
	}
	addressPolicy = store.ThrottlePolicy{
		Block:  Exponential(20, 10*time.Second, time.Hour),
		Forget: time.Hour,
	}
)

// Exponential blocks from the free-th failure on, for base doubling with each further
// failure, up to limit.
func Exponential(free int, base, limit time.Duration) func(int) time.Duration {
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

// ClientKey is the part of a client address that identifies one party: the address
// itself for IPv4, its /64 for IPv6, where one host can rotate through a whole /64.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func accountKey(email, addr string) string {
	return AccountThrottlePrefix(email) + ClientKey(addr)
}
func addressKey(addr string) string { return "addr:" + ClientKey(addr) }

// AccountThrottlePrefix is the prefix of every throttle key of one account, so that an
// administrator's password reset can clear them.
func AccountThrottlePrefix(email string) string { return "acct:" + store.NormalizeEmail(email) + "|" }

// beginAttempt refuses with a 429 that says when to try again while either key is
// blocked, and otherwise counts the attempt as a failure before the password is even
// checked: check and count share one transaction, so guesses sent in parallel cannot
// outrun the count. A right password then takes the count back (attemptSucceeded).
func beginAttempt(ctx context.Context, st *store.Store, email, addr string) error {
	return st.Tx(ctx, func(tx *store.Tx) error {
		until, err := tx.ThrottleBlockedUntil(ctx, accountKey(email, addr), addressKey(addr))
		if err != nil {
			return err
		}
		if wait := until.Sub(tx.Now()); wait > 0 {
			return apperr.TooMany("throttled", wait)
		}
		if err := tx.RecordFailure(ctx, accountKey(email, addr), accountPolicy); err != nil {
			return err
		}
		return tx.RecordFailure(ctx, addressKey(addr), addressPolicy)
	})
}

// attemptSucceeded forgets the account's failures from this address and takes back the
// attempt counted against the address.
func attemptSucceeded(ctx context.Context, tx *store.Tx, email, addr string) error {
	if err := tx.ClearThrottle(ctx, accountKey(email, addr)); err != nil {
		return err
	}
	return tx.ForgiveFailure(ctx, addressKey(addr), addressPolicy)
}
