package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

func scrape(t *testing.T, c *apptest.Client, headers ...string) map[string]*dto.MetricFamily {
	t.Helper()
	res := c.Do("GET", "/metrics", nil, headers...).Must(t, 200)
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("the scrape does not parse: %v\n%s", err, res.Body)
	}
	return fams
}

// counter returns the value of the sample of family name whose labels include want.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// The scrape parses as Prometheus's text format, holds every family the monitoring
// guide names, and its request counter counts by route template.
func TestMetricsScrape(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	anon := env.Client()
	// Two wrong passwords: sign-in failures move.
	for range 2 {
		anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": apptest.AdminEmail, "password": "wrong password!"}).
			Must(t, 401)
	}
	// A job that succeeded, then failed: its last success stays.
	ctx := context.Background()
	ok1 := env.Clock.Now()
	for _, runErr := range []error{nil, errors.New("disk full")} {
		if err := env.Store.Tx(ctx, func(tx *store.Tx) error { return tx.RecordJobRun(ctx, "backup", tx.Now(), 0, runErr) }); err != nil {
			t.Fatal(err)
		}
		env.Clock.Advance(time.Hour)
	}
	route := map[string]string{"route": "/api/v1/people/:id", "method": "GET", "status": "404"}
	before := scrape(t, anon)
	n0, _ := sample(before, "annex_http_requests_total", route)
	for range 3 {
		admin.Do("GET", "/api/v1/people/aaaaaaaaaaaaaaaa", nil).Must(t, 404)
	}
	after := scrape(t, anon)
	n1, ok := sample(after, "annex_http_requests_total", route)
	if !ok || n1-n0 != 3 {
		t.Errorf("annex_http_requests_total%v went from %v to %v, want 3 more", route, n0, n1)
	}
	if h, ok := sample(after, "annex_http_request_duration_seconds", map[string]string{"route": "/api/v1/people/:id"}); !ok || h < 3 {
		t.Errorf("the latency histogram of the route holds %v requests (found %v), want at least 3", h, ok)
	}
	for _, m := range after["annex_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && l.GetValue() == "/api/v1/people/aaaaaaaaaaaaaaaa" {
				t.Error("a raw path is a route label")
			}
		}
	}
	if after["annex_http_request_duration_seconds"].GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("annex_http_request_duration_seconds is a %v", after["annex_http_request_duration_seconds"].GetType())
	}
	if f, _ := sample(after, "annex_signin_failures_total", nil); f != 2 {
		t.Errorf("annex_signin_failures_total = %v, want 2", f)
	}
	if s, _ := sample(after, "annex_job_last_success_timestamp_seconds", map[string]string{"job": "backup"}); s != float64(ok1.Unix()) {
		t.Errorf("annex_job_last_success_timestamp_seconds{job=backup} = %v, want %d", s, ok1.Unix())
	}
	if s, _ := sample(after, "annex_job_last_run_failed", map[string]string{"job": "backup"}); s != 1 {
		t.Errorf("annex_job_last_run_failed{job=backup} = %v, want 1", s)
	}
	if s, _ := sample(after, "annex_sessions_active", nil); s != 1 {
		t.Errorf("annex_sessions_active = %v, want 1 (the admin's)", s)
	}
	if _, ok := sample(after, "annex_build_info", map[string]string{"version": "test"}); !ok {
		t.Error("no annex_build_info{version=test}")
	}
	if s, _ := sample(after, "annex_db_size_bytes", nil); s <= 0 {
		t.Errorf("annex_db_size_bytes = %v", s)
	}
	if s, ok := sample(after, "annex_db_open_connections", map[string]string{"pool": "writer"}); !ok || s < 1 {
		t.Errorf("annex_db_open_connections{pool=writer} = %v (%v)", s, ok)
	}
	for _, name := range []string{"annex_http_requests_total", "annex_http_request_duration_seconds",
		"annex_db_open_connections", "annex_db_in_use_connections", "annex_db_waits_total", "annex_db_wait_seconds_total",
		"annex_db_size_bytes", "annex_outbox_pending", "annex_outbox_failed", "annex_outbox_oldest_pending_age_seconds",
		"annex_job_last_success_timestamp_seconds", "annex_job_last_run_failed", "annex_sessions_active",
		"annex_signin_failures_total", "annex_signin_blocked_total", "annex_start_time_seconds", "annex_build_info",
		"go_goroutines", "go_memstats_alloc_bytes", "process_resident_memory_bytes"} {
		if _, ok := after[name]; !ok {
			t.Errorf("no family %s", name)
		}
	}
	// A 404 is not a failure of the scrape: the unmatched path is one label.
	anon.Do("GET", "/api/v1/no/such/thing", nil).Must(t, 404)
	if _, ok := sample(scrape(t, anon), "annex_http_requests_total", map[string]string{"route": "(unmatched)"}); !ok {
		t.Error("no (unmatched) route label")
	}
}

// A sign-in refused while blocked is counted as a block.
func TestMetricsCountBlocks(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	anon := env.Client()
	blocked := false
	for i := 0; i < 10 && !blocked; i++ {
		res := anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": apptest.AdminEmail, "password": "wrong password!"})
		blocked = res.Status == http.StatusTooManyRequests
	}
	if !blocked {
		t.Fatal("no block after 10 wrong passwords")
	}
	if b, _ := sample(scrape(t, anon), "annex_signin_blocked_total", nil); b != 1 {
		t.Errorf("annex_signin_blocked_total = %v, want 1", b)
	}
}

// peer serves the engine to a listener, presenting every request as coming from addr,
// as a request from another machine arrives (RemoteAddr is what the server reads).
func peer(t *testing.T, env *apptest.Env, addr string) *apptest.Client {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = addr
		env.Server.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	e := *env
	e.HTTP = hs
	return e.Client()
}

// /metrics answers loopback peers without a forwarding header, and anybody else only
// with the configured token.
func TestMetricsAccess(t *testing.T) {
	const token = "a-long-random-metrics-token-0123456789"
	for _, tc := range []struct {
		name, token string
		addr        string // the peer; "" is the real loopback peer
		headers     []string
		want        int
	}{
		{"loopback", "", "", nil, 200},
		{"loopback ipv6", "", "[::1]:4000", nil, 200},
		{"loopback through a proxy", "", "", []string{"X-Forwarded-For", "127.0.0.1"}, 404},
		{"loopback through a proxy (X-Real-IP)", "", "", []string{"X-Real-IP", "127.0.0.1"}, 404},
		{"another machine", "", "192.0.2.10:4000", nil, 404},
		{"another machine, no token configured", "", "192.0.2.10:4000", []string{"Authorization", "Bearer "}, 404},
		{"another machine, no token", token, "192.0.2.10:4000", nil, 404},
		{"another machine, wrong token", token, "192.0.2.10:4000", []string{"Authorization", "Bearer " + token[1:]}, 404},
		{"another machine, token", token, "192.0.2.10:4000", []string{"Authorization", "Bearer " + token}, 200},
		{"through a proxy, token", token, "", []string{"X-Forwarded-For", "192.0.2.10", "Authorization", "Bearer " + token}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Metrics.Token = tc.token }})
			c := env.Client()
			if tc.addr != "" {
				c = peer(t, env, tc.addr)
			}
			res := c.Do("GET", "/metrics", nil, tc.headers...)
			if res.Status != tc.want {
				t.Fatalf("status %d, want %d: %.200s", res.Status, tc.want, res.Body)
			}
			if tc.want == 404 && (res.Code() != "not_found" || bytes.Contains(res.Body, []byte("annex_"))) {
				t.Errorf("refusal is not a plain not_found problem: %s", res.Body)
			}
		})
	}
}
