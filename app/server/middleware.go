package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gin-gonic/gin"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/app/request"
	"annex/store"
)

// ClientHeader must accompany every state-changing request that rides on the session
// cookie. It is not CORS-safelisted, so no cross-site form or simple request can carry it.
const ClientHeader = "X-Annex-Client"

// csp is the Content-Security-Policy of every response (ARCHITECTURE.md): Vuetify
// injects style elements at run time, hence inline styles and nothing else.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

// begin gives the request its id, logger and client address, recovers panics into a
// logged 500, sets the security headers, and writes the request's log line, which
// carries the route template, never the raw path (it may hold a secret).
func (s *Server) begin(c *gin.Context) {
	start := time.Now()
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	ua := c.Request.UserAgent()
	if len(ua) > request.MaxUserAgent {
		ua = strings.ToValidUTF8(ua[:request.MaxUserAgent], "")
	}
	info := request.Info{ID: id, ClientIP: c.ClientIP(), UserAgent: ua, Log: s.log, Outcome: &request.Outcome{}}
	ctx := request.With(c.Request.Context(), info)
	ctx = i18n.With(ctx, i18n.Negotiate(c.GetHeader("Accept-Language")))
	ctx = auth.WithPolicy(ctx, s.settings.Get().TwoFactor)
	c.Request = c.Request.WithContext(ctx)

	h := c.Writer.Header()
	h.Set("X-Request-Id", id)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "DENY")
	if s.settings.Get().Secure() {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}

	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				writeProblem(c.Writer, c.Request.Context(), apperr.New(http.StatusInternalServerError, "internal",
					map[string]any{"requestId": id}))
			}
			c.Abort()
		}
		route := c.FullPath()
		if route == "" {
			route = "(unmatched)"
		} else {
			s.refusals.record(c, route, info)
		}
		s.httpMetrics.observe(c.Request.Method, route, c.Writer.Status(), time.Since(start))
		attrs := []any{"request_id", id, "method", c.Request.Method, "route", route,
			"status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds(), "ip", info.ClientIP}
		if cur := auth.CurrentFrom(c.Request.Context()); cur != nil {
			attrs = append(attrs, "user", cur.User.ID)
			if cur.Viewer != nil {
				attrs = append(attrs, "viewer", cur.Viewer.ID)
			}
			if cur.Token != nil {
				attrs = append(attrs, "token", cur.Token.ID)
			}
		}
		s.log.Log(c.Request.Context(), slog.LevelInfo, "request", attrs...)
	}()
	c.Next()
}

// guard refuses cross-site state changes (ARCHITECTURE.md, "Requests from browsers"):
// Go's cross-origin protection, plus the client header on every non-safe request that
// is not authenticated by a bearer token.
func (s *Server) guard(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if err := s.cop.Check(c.Request); err != nil {
		writeProblem(c.Writer, c.Request.Context(), apperr.Forbidden("cross_site"))
		c.Abort()
		return
	}
	// A bearer token carries no ambient credential, so a request with one and without a
	// session cookie needs no client header; a cookie always does.
	_, cookieErr := c.Request.Cookie(s.sessions.CookieName())
	_, bearer := auth.BearerToken(c.Request)
	bearerOnly := bearer && cookieErr != nil
	if !bearerOnly && c.GetHeader(ClientHeader) == "" {
		writeProblem(c.Writer, c.Request.Context(), apperr.Forbidden("client_header_missing"))
		c.Abort()
		return
	}
	c.Next()
}

// session resolves the session cookie, or the API token of an "Authorization: Bearer"
// header, into the request's signed-in state, checked at request time (expiry,
// revocation, active account), and switches to the person's language when the request
// names none. A request carrying both is refused: it is either a mistake or a trick, and
// which of the two should count is not for the server to guess.
func (s *Server) session(c *gin.Context) {
	ctx := c.Request.Context()
	var cur *auth.Current
	var err error
	// Only the API takes tokens: /metrics has a bearer token of its own.
	if raw, bearer := auth.BearerToken(c.Request); bearer && strings.HasPrefix(c.Request.URL.Path, APIPrefix+"/") {
		if _, cerr := c.Request.Cookie(s.sessions.CookieName()); cerr == nil {
			writeProblem(c.Writer, ctx, apperr.New(http.StatusBadRequest, "token_with_cookie", nil))
			c.Abort()
			return
		}
		cur, err = auth.ResolveToken(ctx, s.st, raw)
	} else {
		cur, err = s.sessions.Resolve(ctx, c.Request)
	}
	if err != nil && ctx.Err() != nil {
		// The client went away: nobody is left to answer, and nothing went wrong here.
		c.Abort()
		return
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if ae.Status == http.StatusUnauthorized {
			c.Header("WWW-Authenticate", `Bearer realm="annex"`)
		}
		writeProblem(c.Writer, ctx, ae)
		c.Abort()
		return
	}
	if err != nil {
		panic(fmt.Errorf("server: session: %w", err))
	}
	if cur != nil {
		ctx := auth.WithCurrent(c.Request.Context(), cur)
		if cur.Viewer != nil {
			ctx = request.WithViewer(ctx, cur.Viewer.ID)
		}
		if c.GetHeader("Accept-Language") == "" {
			ctx = i18n.With(ctx, cur.User.Locale)
		}
		c.Request = c.Request.WithContext(ctx)
	}
	c.Next()
}

// viewAsAllowed are the writes open during "view as": those of the view itself, and
// signing out.
var viewAsAllowed = map[string]bool{"endViewAs": true, "viewAsPage": true, "logout": true}

// passwordChangeAllowed are the only operations open to a person who must first
// replace a temporary password.
var passwordChangeAllowed = map[string]bool{"bootstrap": true, "getMe": true, "changePassword": true, "logout": true,
	"updateMe": true}

// authenticate enforces the document's security requirements: an operation whose
// security is not the explicit empty list needs a signed-in person. It is also the one
// place that holds back a person the two-factor policy requires to enrol and who has
// not: only the operations the document marks auth.TwoFactorIncompleteMark are open to
// them (a temporary password is replaced first, under its own, narrower gate).
func authenticate(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		public := op.Security != nil && len(op.Security) == 0
		cur := auth.CurrentFrom(ctx.Context())
		token := cur != nil && cur.Token != nil
		switch {
		// An API token reaches only the operations whose security lists it (see
		// auth.SessionOnly): this is the one place that decides.
		case token && !auth.TokensAllowed(op):
			apperr.Write(api, ctx, apperr.Forbidden("token_not_allowed"))
			return
		case token && cur.Token.Scope != store.ScopeReadWrite && op.Method != http.MethodGet && op.Method != http.MethodHead:
			apperr.Write(api, ctx, apperr.Forbidden("token_read_only"))
			return
		// An administrator viewing as someone reads what that person reads and changes
		// nothing: every operation of the document that is not safe is refused here, the
		// public ones too, but for the few that run the view itself. The viewed person's
		// own gates (a temporary password, two-factor to set up) are hers, not the viewer's.
		case cur != nil && cur.Viewer != nil && op.Method != http.MethodGet && op.Method != http.MethodHead &&
			!viewAsAllowed[op.OperationID]:
			apperr.Write(api, ctx, apperr.Forbidden("view_as_read_only"))
			return
		case public:
		case cur == nil:
			apperr.Write(api, ctx, apperr.Unauthenticated())
			return
		case cur.Viewer != nil:
		case cur.User.MustChangePassword && !passwordChangeAllowed[op.OperationID]:
			apperr.Write(api, ctx, apperr.Forbidden("password_change_required"))
			return
		case !cur.User.MustChangePassword && auth.PolicyFrom(ctx.Context()).Incomplete(cur.User) &&
			op.Extensions[auth.TwoFactorIncompleteMark] != true:
			apperr.Write(api, ctx, apperr.Forbidden("2fa_required"))
			return
		}
		next(ctx)
	}
}
