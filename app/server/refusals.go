package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"annex/app/audit"
	"annex/app/auth"
	"annex/app/request"
	"annex/store"
)

// Refusals are security events for the activity log (PRODUCT.md §6): a signed-in
// person refused an object (answered 404 or 403: from outside, "missing" and "not
// yours" look alike, but the log says which id was tried), and a state change refused
// as cross-site. A scanner could make thousands a minute, so each actor (or, without
// one, each address) gets at most refusalsPerMinute rows a minute; the next row after a
// quiet spell says how many were left out.
const refusalsPerMinute = 20

// gateCodes are refusals that say "finish signing in first", not "this is not yours":
// the SPA meets them on every call until the person has done so.
var gateCodes = map[string]bool{"password_change_required": true, "2fa_required": true}

type refusalLog struct {
	st *store.Store

	mu      sync.Mutex
	windows map[string]*refusalWindow
}

type refusalWindow struct {
	start      time.Time
	logged     int
	suppressed int
}

func newRefusalLog(st *store.Store) *refusalLog {
	return &refusalLog{st: st, windows: map[string]*refusalWindow{}}
}

// record writes the row a refused request deserves, if any, after its answer was made.
func (l *refusalLog) record(c *gin.Context, route string, info request.Info) {
	status := c.Writer.Status()
	if info.Outcome == nil || info.Outcome.Code == "" || !strings.HasPrefix(route, APIPrefix+"/") {
		return
	}
	code := info.Outcome.Code
	ctx := c.Request.Context()
	var actor store.Actor
	viewing := false
	if cur := auth.CurrentFrom(ctx); cur != nil {
		actor = store.ActorFor(cur.User)
		if cur.Viewer != nil {
			// The administrator's request, not the viewed person's; what "view as" is
			// refused is what she would be, which is no security event (docs/view-as.md).
			actor, viewing = store.ActorFor(*cur.Viewer), true
		}
	}
	var action string
	switch {
	case code == "cross_site" || code == "client_header_missing":
		action = audit.CrossSiteRefused
	case actor.Anonymous() || gateCodes[code] || viewing:
		return
	case status == http.StatusNotFound || status == http.StatusForbidden:
		action = audit.AccessRefused
	default:
		return
	}
	key := actor.UserID
	if key == "" {
		key = "ip:" + info.ClientIP
	}
	suppressed, ok := l.admit(key, l.st.Now())
	if !ok {
		return
	}
	details := map[string]string{"route": c.Request.Method + " " + route, "status": strconv.Itoa(status), "code": code}
	if suppressed > 0 {
		details["suppressed"] = strconv.Itoa(suppressed)
	}
	if origin := c.GetHeader("Origin"); origin != "" && action == audit.CrossSiteRefused {
		details["origin"] = truncate(origin, 200)
	}
	obj := store.Object{}
	if id := firstParam(c); id != "" {
		obj = store.Object{Type: "route", ID: truncate(id, 64), Label: c.Request.Method + " " + route}
	}
	// The request's own context may end with its answer; the row must still be written.
	wctx := context.WithoutCancel(ctx)
	err := l.st.Tx(wctx, func(tx *store.Tx) error { return audit.Log(wctx, tx, actor, action, obj, details) })
	if err != nil {
		info.Log.Error("refusal not logged", "request_id", info.ID, "err", err)
	}
}

// admit reports whether key may log one more refusal now, and how many it was refused
// since its last logged one.
func (l *refusalLog) admit(key string, now time.Time) (suppressed int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil {
		w = &refusalWindow{start: now}
		l.windows[key] = w
	}
	if now.Sub(w.start) >= time.Minute {
		w.start, w.logged = now, 0
	}
	if w.logged >= refusalsPerMinute {
		w.suppressed++
		return 0, false
	}
	w.logged++
	suppressed, w.suppressed = w.suppressed, 0
	// Forget quiet keys now and then, so the map does not grow with every address.
	if len(l.windows) > 1024 {
		for k, x := range l.windows {
			if now.Sub(x.start) >= time.Minute && x.suppressed == 0 {
				delete(l.windows, k)
			}
		}
	}
	return suppressed, true
}

// firstParam is the route's first path parameter: the id of the object tried.
func firstParam(c *gin.Context) string {
	if len(c.Params) == 0 {
		return ""
	}
	return c.Params[0].Value
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
