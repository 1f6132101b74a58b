package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/gin-gonic/gin"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/store"
)

// durationBuckets are the request latency histogram's upper bounds, in seconds: most
// requests take milliseconds, a sign-in's password hash a few hundred.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// httpMetrics are the counters the middleware moves. Everything else is read at scrape
// time from where it lives (the database, the sign-in service, the runtime).
type httpMetrics struct {
	set    *metrics.Set
	signIn *auth.SignInStats
}

func newHTTPMetrics(signIn *auth.SignInStats) *httpMetrics {
	// TYPE lines, so that scrapers know counters and histograms from gauges. The switch
	// is the library's own, process-wide; Annex only ever sets it this way.
	metrics.ExposeMetadata(true)
	return &httpMetrics{set: metrics.NewSet(), signIn: signIn}
}

// knownMethods bound the method label: anything else a client sends counts as "other".
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// observe counts one finished request by its route template (never its raw path, which
// may hold a secret and is unbounded), method and status.
func (m *httpMetrics) observe(method, route string, status int, d time.Duration) {
	if !knownMethods[method] {
		method = "other"
	}
	m.set.GetOrCreateCounter(fmt.Sprintf(`annex_http_requests_total{route=%q,method=%q,status="%d"}`,
		route, method, status)).Inc()
	m.set.GetOrCreatePrometheusHistogramExt(fmt.Sprintf(`annex_http_request_duration_seconds{route=%q,method=%q}`,
		route, method), durationBuckets).Update(d.Seconds())
}

// metricsAllowed says whether a request may read /metrics (docs/monitoring.md): with the
// configured bearer token, or from this machine itself. "From this machine" is the TCP
// peer (RemoteAddr, never a forwarded header) being a loopback address, and the request
// carrying no forwarding header: a reverse proxy on the same machine connects from
// loopback too, and would otherwise hand the endpoint to whoever reaches the proxy.
func (s *Server) metricsAllowed(r *http.Request) bool {
	if tok := s.cfg.Metrics.Token; tok != "" {
		if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			// Hashing first makes the comparison's time independent of the lengths too.
			a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(tok))
			if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
				return true
			}
		}
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"} {
		if _, ok := r.Header[h]; ok {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// metrics serves GET /metrics in Prometheus's text format.
func (s *Server) metrics(c *gin.Context) {
	if !s.metricsAllowed(c.Request) {
		// Like any route that is not there for this caller: no hint what would open it.
		writeProblem(c.Writer, c.Request.Context(), apperr.NotFound())
		return
	}
	h, err := s.st.Health(c.Request.Context(), store.System())
	if err != nil {
		panic(fmt.Errorf("server: metrics: %w", err)) // begin logs it and answers 500
	}
	var b bytes.Buffer
	s.httpMetrics.set.WritePrometheus(&b)
	writeHealth(&b, h, s.st.Now(), s.httpMetrics.signIn, s.started)
	family(&b, "annex_build_info", "gauge", fmt.Sprintf(`{version=%q} 1`, s.version))
	metrics.WriteProcessMetrics(&b)
	c.Data(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", b.Bytes())
}

// family writes one metric family's TYPE line and its samples, so that a family with
// several label sets has one TYPE line.
func family(w io.Writer, name, kind string, samples ...string) {
	fmt.Fprintf(w, "# HELP %s\n# TYPE %s %s\n", name, name, kind)
	for _, s := range samples {
		fmt.Fprintf(w, "%s%s\n", name, s)
	}
}

func writeHealth(w io.Writer, h store.Health, now time.Time, signIn *auth.SignInStats, started time.Time) {
	pools := []struct {
		name  string
		stats func() (open, inUse int, waits int64, wait time.Duration)
	}{
		{"writer", func() (int, int, int64, time.Duration) {
			return h.Writer.OpenConnections, h.Writer.InUse, h.Writer.WaitCount, h.Writer.WaitDuration
		}},
		{"readers", func() (int, int, int64, time.Duration) {
			return h.Readers.OpenConnections, h.Readers.InUse, h.Readers.WaitCount, h.Readers.WaitDuration
		}},
	}
	var open, inUse, waits, waited []string
	for _, p := range pools {
		o, u, n, d := p.stats()
		open = append(open, fmt.Sprintf(`{pool=%q} %d`, p.name, o))
		inUse = append(inUse, fmt.Sprintf(`{pool=%q} %d`, p.name, u))
		waits = append(waits, fmt.Sprintf(`{pool=%q} %d`, p.name, n))
		waited = append(waited, fmt.Sprintf(`{pool=%q} %g`, p.name, d.Seconds()))
	}
	family(w, "annex_db_open_connections", "gauge", open...)
	family(w, "annex_db_in_use_connections", "gauge", inUse...)
	family(w, "annex_db_waits_total", "counter", waits...)
	family(w, "annex_db_wait_seconds_total", "counter", waited...)
	family(w, "annex_db_size_bytes", "gauge", fmt.Sprintf(" %d", h.SizeBytes))
	family(w, "annex_outbox_pending", "gauge", fmt.Sprintf(" %d", h.OutboxPending))
	family(w, "annex_outbox_failed", "gauge", fmt.Sprintf(" %d", h.OutboxFailed))
	age := 0.0
	if h.OldestPending != nil {
		age = max(now.Sub(*h.OldestPending).Seconds(), 0)
	}
	family(w, "annex_outbox_oldest_pending_age_seconds", "gauge", fmt.Sprintf(" %g", age))
	var success, failed []string
	for _, j := range h.Jobs {
		if j.Succeeded != nil {
			success = append(success, fmt.Sprintf(`{job=%q} %d`, j.Name, j.Succeeded.Unix()))
		}
		f := 0
		if j.Error != "" {
			f = 1
		}
		failed = append(failed, fmt.Sprintf(`{job=%q} %d`, j.Name, f))
	}
	family(w, "annex_job_last_success_timestamp_seconds", "gauge", success...)
	family(w, "annex_job_last_run_failed", "gauge", failed...)
	family(w, "annex_sessions_active", "gauge", fmt.Sprintf(" %d", h.ActiveSessions))
	family(w, "annex_signin_failures_total", "counter", fmt.Sprintf(" %d", signIn.Failures.Load()))
	family(w, "annex_signin_blocked_total", "counter", fmt.Sprintf(" %d", signIn.Blocks.Load()))
	family(w, "annex_start_time_seconds", "gauge", fmt.Sprintf(" %d", started.Unix()))
}
