package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/config"
	"annex/app/request"
	"annex/store"
)

// ReauthWindow is how long an entered password vouches for sensitive actions
// (PRODUCT.md §6).
const ReauthWindow = 10 * time.Minute

// touchEvery limits how often a request writes the session's last-seen time, so reads
// do not each cost a write.
const touchEvery = time.Minute

// Sessions issues, resolves and ends server-side sessions.
type Sessions struct {
	st     *store.Store
	life   config.Session
	secure func() bool // true when the base URL is https
}

// NewSessions returns the session manager. secure reports whether cookies must be
// Secure and carry the __Host- prefix.
func NewSessions(st *store.Store, life config.Session, secure func() bool) *Sessions {
	return &Sessions{st: st, life: life, secure: secure}
}

// CookieName is the session cookie's name: with an https base URL it carries the
// __Host- prefix, which browsers accept only on Secure, host-only, Path=/ cookies.
func (m *Sessions) CookieName() string { return cookieName(m.secure()) }

func cookieName(secure bool) string {
	if secure {
		return "__Host-annex_session"
	}
	return "annex_session"
}

// Current is the signed-in state of a request: a session, or an API token (Token set,
// Session zero).
type Current struct {
	User    store.User
	Session store.Session
	Token   *store.APIToken
	// Viewer is the administrator whose session views the application as User, read-only
	// (docs/view-as.md); nil otherwise. User is then the person viewed, so that every read
	// goes through the fence as hers.
	Viewer    *store.User
	tokenHash []byte // the session's
}

// SetViewAs makes the request's session view as userID, or stop ("").
func (c *Current) SetViewAs(ctx context.Context, tx *store.Tx, userID string) error {
	return tx.SetViewAs(ctx, c.tokenHash, userID)
}

// Actor is the request's actor.
func (c *Current) Actor() store.Actor { return store.ActorFor(c.User) }

// RecentlyAuthenticated reports whether the password was entered within ReauthWindow.
// A token has no password entered, ever.
func (c *Current) RecentlyAuthenticated(now time.Time) bool {
	return c.Token == nil && now.Sub(c.Session.AuthAt) <= ReauthWindow
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Start creates a session for u inside tx and returns the cookie that carries it.
func (m *Sessions) Start(ctx context.Context, tx *store.Tx, u store.User, remember bool) (http.Cookie, error) {
	return m.StartWithSecure(ctx, tx, u, remember, m.secure())
}

// StartWithSecure is Start for a request that changes the base URL itself (the wizard's
// Finish), whose cookie must follow the new address.
func (m *Sessions) StartWithSecure(ctx context.Context, tx *store.Tx, u store.User, remember, secure bool) (http.Cookie, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	now := tx.Now()
	idle, abs := time.Duration(m.life.Idle), time.Duration(m.life.Absolute)
	if remember {
		idle, abs = time.Duration(m.life.RememberIdle), time.Duration(m.life.RememberAbsolute)
	}
	info := request.From(ctx)
	s := store.Session{TokenHash: hashToken(tok), UserID: u.ID, Remember: remember, CreatedAt: now,
		SeenAt: now, AuthAt: now, IdleExpiresAt: now.Add(idle), AbsoluteExpiresAt: now.Add(abs),
		UserAgent: strings.ToValidUTF8(info.UserAgent, ""), Address: info.ClientIP}
	if err := tx.CreateSession(ctx, s); err != nil {
		return http.Cookie{}, err
	}
	c := cookie(tok, secure)
	if remember {
		c.MaxAge = int(abs / time.Second)
	}
	return c, nil
}

// Renew replaces the request's session with a new one (a new token) for the same person,
// at a change of what it may do. It keeps when the password was last entered and the
// absolute expiry: a renewal vouches for nothing the old session did not.
func (m *Sessions) Renew(ctx context.Context, tx *store.Tx, cur *Current) (http.Cookie, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	now := tx.Now()
	idle := time.Duration(m.life.Idle)
	if cur.Session.Remember {
		idle = time.Duration(m.life.RememberIdle)
	}
	old := cur.Session
	s := store.Session{TokenHash: hashToken(tok), UserID: cur.User.ID, Remember: old.Remember, CreatedAt: now,
		SeenAt: now, AuthAt: old.AuthAt, IdleExpiresAt: now.Add(idle), AbsoluteExpiresAt: old.AbsoluteExpiresAt}
	if s.IdleExpiresAt.After(s.AbsoluteExpiresAt) {
		s.IdleExpiresAt = s.AbsoluteExpiresAt
	}
	if err := tx.DeleteSession(ctx, cur.tokenHash); err != nil {
		return http.Cookie{}, err
	}
	if err := tx.CreateSession(ctx, s); err != nil {
		return http.Cookie{}, err
	}
	c := cookie(tok, m.secure())
	if old.Remember {
		c.MaxAge = int(old.AbsoluteExpiresAt.Sub(now) / time.Second)
	}
	return c, nil
}

// Clear returns the cookie that removes the session cookie from the browser.
func (m *Sessions) Clear() http.Cookie {
	c := cookie("", m.secure())
	c.MaxAge = -1
	return c
}

func cookie(value string, secure bool) http.Cookie {
	return http.Cookie{Name: cookieName(secure), Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure}
}

// Resolve returns the request's live session, or nil when there is none. It checks at
// request time that the session has not expired and the account is active.
func (m *Sessions) Resolve(ctx context.Context, r *http.Request) (*Current, error) {
	ck, err := r.Cookie(m.CookieName())
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	// An API token belongs in the Authorization header: one sent as a cookie (by a
	// script that guessed wrong) is refused in words rather than taken for no session.
	if looksLikeToken(ck.Value) {
		return nil, apperr.New(http.StatusUnauthorized, "token_in_cookie", nil)
	}
	h := hashToken(ck.Value)
	s, u, err := m.st.SessionUser(ctx, h)
	if err == store.ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := m.st.Now()
	if now.Sub(s.SeenAt) >= touchEvery {
		idle := time.Duration(m.life.Idle)
		if s.Remember {
			idle = time.Duration(m.life.RememberIdle)
		}
		if err := m.st.Tx(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, h, now.Add(idle)) }); err != nil {
			return nil, err
		}
	}
	cur := &Current{User: u, Session: s, tokenHash: h}
	if s.ViewAs != "" {
		return m.viewAs(ctx, cur)
	}
	return cur, nil
}

// viewAs turns an administrator's session into her view as the external user it names,
// while she is still an administrator and the person may still be viewed (active, her
// access date not passed); otherwise the view ends here, logged, and she is herself again.
func (m *Sessions) viewAs(ctx context.Context, cur *Current) (*Current, error) {
	admin := cur.User
	target, err := m.st.ViewAsTarget(ctx, store.ActorFor(admin), cur.Session.ViewAs)
	if err == nil {
		return &Current{User: target, Viewer: &admin, Session: cur.Session, tokenHash: cur.tokenHash}, nil
	}
	if err != store.ErrNotFound {
		return nil, err
	}
	err = m.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetViewAs(ctx, cur.tokenHash, ""); err != nil {
			return err
		}
		return audit.Log(ctx, tx, store.ActorFor(admin), audit.ViewAsEnded, store.Object{Type: "user", ID: cur.Session.ViewAs},
			map[string]string{"reason": "no_longer_viewable", "seconds": strconv.Itoa(int(m.st.Now().Sub(cur.Session.ViewAsSince).Seconds()))})
	})
	cur.Session.ViewAs = ""
	return cur, err
}

type ctxKey struct{}

// WithCurrent returns ctx carrying the request's signed-in state.
func WithCurrent(ctx context.Context, c *Current) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// CurrentFrom returns the request's signed-in state, or nil when anonymous.
func CurrentFrom(ctx context.Context) *Current {
	c, _ := ctx.Value(ctxKey{}).(*Current)
	return c
}

// ActorFrom returns the request's actor: the zero Actor when anonymous.
func ActorFrom(ctx context.Context) store.Actor {
	if c := CurrentFrom(ctx); c != nil {
		return c.Actor()
	}
	return store.Actor{}
}
