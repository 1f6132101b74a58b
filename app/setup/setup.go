// Package setup is the first-run wizard: a one-time token printed on the console, a
// draft kept step by step, and one transaction at Finish that creates the first
// administrator and the settings. Once finished, the wizard answers 404.
package setup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/request"
	"annex/app/settings"
	"annex/store"
)

// Wizard serves the setup API while setup is pending.
type Wizard struct {
	st       *store.Store
	set      *settings.Service
	hasher   *auth.Hasher
	sessions *auth.Sessions

	mu        sync.Mutex
	tokenHash []byte // nil: no valid token
	closed    bool   // set by Finish before the settings cache catches up
	misses    map[string]*miss
}

type miss struct {
	count int
	until time.Time
}

// New returns the wizard.
func New(st *store.Store, set *settings.Service, h *auth.Hasher, s *auth.Sessions) *Wizard {
	return &Wizard{st: st, set: set, hasher: h, sessions: s, misses: map[string]*miss{}}
}

// Pending reports whether setup has yet to be finished.
func (w *Wizard) Pending() bool {
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	return !closed && !w.set.Get().SetupDone
}

// NewToken makes a fresh one-time token (256 bits), voiding any earlier one, and returns
// it for the console. Only its hash is kept.
func (w *Wizard) NewToken() string {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	h := sha256.Sum256([]byte(tok))
	w.mu.Lock()
	w.tokenHash = h[:]
	w.mu.Unlock()
	return tok
}

// check lets a request in only while setup is pending and with the right token; wrong
// tokens are throttled per address.
func (w *Wizard) check(ctx context.Context, token string) error {
	if !w.Pending() {
		return apperr.NotFound()
	}
	addr := request.From(ctx).ClientIP
	now := w.st.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	// A Finish that has just committed voids the token before the settings cache is
	// reloaded; a request in that window must meet a closed wizard (404), not a wrong
	// token (401).
	if w.closed {
		return apperr.NotFound()
	}
	m := w.misses[addr]
	if m != nil && now.Before(m.until) {
		return apperr.TooMany("throttled", m.until.Sub(now))
	}
	h := sha256.Sum256([]byte(token))
	if w.tokenHash != nil && subtle.ConstantTimeCompare(h[:], w.tokenHash) == 1 {
		return nil
	}
	if m == nil {
		if len(w.misses) > 10000 { // bounded memory whatever the number of addresses
			clear(w.misses)
		}
		m = &miss{}
		w.misses[addr] = m
	}
	m.count++
	if m.count >= 5 {
		d := time.Second << min(m.count-5, 10)
		m.until = now.Add(min(d, 15*time.Minute))
	}
	return apperr.New(http.StatusUnauthorized, "setup_token_invalid", nil)
}

// void ends the token and closes the wizard once setup is finished.
func (w *Wizard) void() {
	w.mu.Lock()
	w.tokenHash = nil
	w.closed = true
	w.mu.Unlock()
}
