package auth

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/store"
)

// Sign-in throttling (docs/security.md) has two keys. The account and address together
// count failures, with an exponential delay, so nobody can lock an administrator out from
// elsewhere. The address alone counts how many accounts it has failed on within the hour,
// so one address cannot spray a password over many accounts, while colleagues behind one
// office address who mistype their own passwords do not add up. Both are keyed by the
// typed address string, whether or not an account has it, so the answer never tells
// whether an account exists. Only failures are counted: a right password never extends a
// block.
var (
	accountPolicy = store.ThrottlePolicy{
		Block:  Exponential(accountFree, time.Second, 15*time.Minute),
		Forget: time.Hour,
	}
	addressPolicy = store.ThrottlePolicy{
		Block:  Exponential(10, time.Minute, time.Hour),
		Forget: time.Hour,
	}
)

// accountFree is how many failures of one account from one address pass undelayed.
const accountFree = 3

// addressInFlight is how many passwords of one address are checked at once: failures are
// counted after the check, so this bounds how far parallel guesses on many accounts can
// overshoot the address's count (further ones wait their turn, they are not refused).
const addressInFlight = 8

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

// Key prefixes of sign-in throttling, as Admin → Sign-in blocks tells them apart.
const (
	pairPrefix    = "acct:"
	addressPrefix = "addr:"
)

func accountKey(email, addr string) string {
	return AccountThrottlePrefix(email) + ClientKey(addr)
}
func addressKey(addr string) string { return addressPrefix + ClientKey(addr) }

// AccountThrottlePrefix is the prefix of every throttle key of one account, so that an
// administrator's password reset can clear them.
func AccountThrottlePrefix(email string) string {
	return pairPrefix + store.NormalizeEmail(email) + "|"
}

// attempts bounds the checks in flight of one account from one address to the failures
// it has left before its delay begins (at least one), so that guesses sent in parallel
// cannot outrun the count of failures, which is only taken once a password has turned
// out wrong; and it bounds the checks of one address at once. Right passwords sent at
// once still run side by side, up to that bound.
var attempts = newLimiter()

// attempt is one password check under the throttle, begun by beginAttempt.
type attempt struct {
	st          *store.Store
	email, addr string
	release     func()
	failures    *atomic.Uint64 // counts the failures, when set
	// who tried, for the activity log: the account's owner, or nobody known
	actor store.Actor
}

// beginAttempt waits for its turn, then refuses with a 429 that says when to try again
// while the account is blocked from this address, or while the address is blocked and
// the browser is not trusted (it has not signed in to this account before). It counts
// nothing: the caller ends the attempt with failed or succeeded, and always with done.
func beginAttempt(ctx context.Context, st *store.Store, email, addr string, trusted bool) (*attempt, error) {
	pair := accountKey(email, addr)
	releasePair, err := attempts.acquire(ctx, pair, func() (int, error) {
		failures, err := st.ThrottleFailures(ctx, pair, accountPolicy)
		return max(accountFree-failures, 1), err
	})
	if err != nil {
		return nil, err
	}
	releaseAddr, err := attempts.acquire(ctx, addressKey(addr), func() (int, error) { return addressInFlight, nil })
	if err != nil {
		releasePair()
		return nil, err
	}
	a := &attempt{st: st, email: email, addr: addr, release: func() { releaseAddr(); releasePair() }}
	keys := []string{pair}
	if !trusted {
		keys = append(keys, addressKey(addr))
	}
	until, err := st.ThrottleBlockedUntil(ctx, keys...)
	if err == nil {
		if wait := until.Sub(st.Now()); wait > 0 {
			err = apperr.TooMany("throttled", wait)
		}
	}
	if err != nil {
		a.done()
		return nil, err
	}
	return a, nil
}

// done lets the next attempt on the same keys in.
func (a *attempt) done() { a.release() }

// failed counts a wrong password against the account from this address and recounts the
// accounts the address has failed on, then returns wrong, the answer to give.
func (a *attempt) failed(ctx context.Context, wrong error) error {
	if a.failures != nil {
		a.failures.Add(1)
	}
	err := a.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.RecordFailure(ctx, accountKey(a.email, a.addr), accountPolicy); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, a.actor, audit.SignInFailed, audit.User(a.actor.UserID, a.email), nil); err != nil {
			return err
		}
		return tx.RecordDistinctFailure(ctx, addressKey(a.addr), pairPrefix, "|"+ClientKey(a.addr), addressPolicy)
	})
	if err != nil {
		return err
	}
	return wrong
}

// succeeded forgets the account's failures from this address. The address's count is
// left as it is: a right password neither extends nor lifts its block.
func (a *attempt) succeeded(ctx context.Context, tx *store.Tx) error {
	return tx.ClearThrottle(ctx, accountKey(a.email, a.addr))
}

// limiter lets at most a key's limit of turns run at once per key, and keeps only the
// keys in use. The limit is asked afresh at each try, under the key's lock, so that it
// sees every failure of the turns that have ended: those record theirs before they end.
type limiter struct {
	mu    sync.Mutex
	slots map[string]*slot
}

type slot struct {
	users   int        // turns running or waiting, under limiter.mu
	mu      sync.Mutex // serialises the tries of this key
	running int
	wake    chan struct{} // closed when a turn ends
}

func newLimiter() *limiter { return &limiter{slots: map[string]*slot{}} }

func (l *limiter) acquire(ctx context.Context, key string, limit func() (int, error)) (func(), error) {
	l.mu.Lock()
	s := l.slots[key]
	if s == nil {
		s = &slot{wake: make(chan struct{})}
		l.slots[key] = s
	}
	s.users++
	l.mu.Unlock()
	for {
		s.mu.Lock()
		n, err := limit()
		if err != nil {
			s.mu.Unlock()
			l.leave(key, s)
			return nil, err
		}
		if s.running < n {
			s.running++
			s.mu.Unlock()
			return func() { l.release(key, s) }, nil
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			l.leave(key, s)
			return nil, ctx.Err()
		}
	}
}

func (l *limiter) release(key string, s *slot) {
	s.mu.Lock()
	s.running--
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
	l.leave(key, s)
}

// leave drops the key once nobody runs or waits on it.
func (l *limiter) leave(key string, s *slot) {
	l.mu.Lock()
	if s.users--; s.users == 0 {
		delete(l.slots, key)
	}
	l.mu.Unlock()
}
