// Package apptest runs the real server for tests: a real SQLite file in a temporary
// folder, the real engine behind httptest.NewServer on a loopback port, a settable
// clock, and cheap password hashing.
package apptest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"annex/app/auth"
	"annex/app/config"
	"annex/app/server"
	"annex/app/settings"
	"annex/store"
	"annex/store/storetest"
)

// Env is one running Annex.
type Env struct {
	T      testing.TB
	Store  *store.Store
	Server *server.Server
	HTTP   *httptest.Server
	Clock  *storetest.Clock
	Config config.Config
}

// Options adjust the environment.
type Options struct {
	Config func(*config.Config) // changes to the test configuration
	SPA    fs.FS                // the SPA files to serve; a small stand-in by default
	// NoMailWorker leaves the outbox unsent, for tests that watch the database stand still.
	NoMailWorker bool
	// TwoFactorPolicy keeps the production two-factor policy (external users and
	// administrators must enrol). Without it the environment starts with a policy that
	// requires nobody, so that tests about other things sign in with a password alone.
	TwoFactorPolicy bool
}

// RelaxedTwoFactor is the policy of an environment without Options.TwoFactorPolicy.
var RelaxedTwoFactor = auth.TwoFactorPolicy{Employees: auth.TwoFactorOptional}

// DefaultSPA stands in for the built SPA.
var DefaultSPA = fstest.MapFS{
	"index.html":            {Data: []byte("<!doctype html><title>Annex</title><div id=app></div>" + strings.Repeat(" ", 600))},
	"assets/app-abc1.js.gz": {Data: gzipped("console.info('app');" + strings.Repeat("/* padding */", 100))},
	"assets/app-abc1.css":   {Data: []byte("body{margin:0}")},
}

// gzipped compresses as the SPA's build does for its text assets.
func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.Bytes()
}

// New starts Annex.
func New(t testing.TB, opts ...Options) *Env {
	t.Helper()
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	clock := &storetest.Clock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, dir := storetest.New(t, clock)
	cfg := config.Default()
	cfg.DataDir = dir
	cfg.Argon2 = config.Argon2{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1, MaxConcurrent: 4}
	if opt.Config != nil {
		opt.Config(&cfg)
	}
	if !opt.TwoFactorPolicy {
		err := st.Tx(context.Background(), func(tx *store.Tx) error {
			return settings.StoreTwoFactor(context.Background(), tx, RelaxedTwoFactor)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	spa := opt.SPA
	if spa == nil {
		spa = DefaultSPA
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := server.New(context.Background(), server.Deps{Config: cfg, Store: st, Log: log, Version: "test", SPA: spa})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Jobs.Stop) // a job run through the API finishes before the store closes
	if !opt.NoMailWorker {
		octx, stopOutbox := context.WithCancel(context.Background())
		outboxDone := make(chan struct{})
		go func() { srv.Outbox.Run(octx); close(outboxDone) }()
		t.Cleanup(func() { stopOutbox(); <-outboxDone })
	}
	return &Env{T: t, Store: st, Server: srv, HTTP: hs, Clock: clock, Config: cfg}
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// Client is a browser-like client with its own cookie jar that sends the SPA's headers.
type Client struct {
	env     *Env
	Jar     http.CookieJar
	Headers map[string]string
}

// Client returns a new client, as the SPA would send requests.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, Jar: jar, Headers: map[string]string{"X-Annex-Client": "1", "Accept-Language": "en"}}
}

// Response is a finished request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map.
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Code returns the problem code of an error response.
func (r Response) Code() string { s, _ := r.JSON()["code"].(string); return s }

// FieldCodes returns location → code of an error response's fields.
func (r Response) FieldCodes() map[string]string {
	m := map[string]string{}
	errs, _ := r.JSON()["errors"].([]any)
	for _, e := range errs {
		f, _ := e.(map[string]any)
		loc, _ := f["location"].(string)
		code, _ := f["code"].(string)
		m[loc] = code
	}
	return m
}

// Do sends a request; body is marshalled as JSON unless it is a string or nil.
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.env.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.env.T.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.env.HTTP.URL+path, rd)
	if err != nil {
		c.env.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Headers {
		req.Header.Set(k, v)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	hc := &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	if err != nil {
		c.env.T.Fatal(err)
	}
	defer res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		// A stream does not end: its first event is the answer, and closing ends it.
		r := bufio.NewReader(res.Body)
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			b.WriteString(line)
			if err != nil || (strings.TrimSpace(line) == "" && b.Len() > len(line)) {
				break
			}
		}
		return Response{Status: res.StatusCode, Header: res.Header, Body: []byte(b.String())}
	}
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Must fails the test unless the response has the status.
func (r Response) Must(t testing.TB, status int) Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// Admin credentials of the environment's first administrator.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "correct horse battery staple"
)

// Setup runs the whole wizard through the API and returns the signed-in client of the
// first administrator.
func (e *Env) Setup() *Client {
	e.T.Helper()
	tok := e.Server.Wizard.NewToken()
	c := e.Client()
	h := []string{"X-Setup-Token", tok}
	c.Do("PUT", "/api/v1/setup/company", map[string]any{"name": "Example Ltd", "baseUrl": "http://127.0.0.1"}, h...).Must(e.T, 200)
	c.Do("PUT", "/api/v1/setup/admin", map[string]any{"name": "Ada Admin", "email": AdminEmail, "password": AdminPassword}, h...).Must(e.T, 200)
	c.Do("POST", "/api/v1/setup/finish", nil, h...).Must(e.T, 200)
	return c
}

// CreateUser adds an account directly through the store.
func (e *Env) CreateUser(email, password, kind string, admin bool) store.User {
	e.T.Helper()
	hash, err := e.Server.Hasher.Hash(context.Background(), password)
	if err != nil {
		e.T.Fatal(err)
	}
	u := store.User{Email: email, Name: strings.Split(email, "@")[0], Kind: kind, Admin: admin, Active: true,
		PasswordHash: hash, Locale: "en"}
	if err := e.Store.Tx(context.Background(), func(tx *store.Tx) error { return tx.CreateUser(context.Background(), &u) }); err != nil {
		e.T.Fatal(err)
	}
	return u
}

// SignIn returns a client signed in as email.
func (e *Env) SignIn(email, password string) *Client {
	e.T.Helper()
	c := e.Client()
	c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}).Must(e.T, 200)
	return c
}

// Code is the TOTP code of secret at the environment's clock moved by steps (30 s each).
func (e *Env) Code(secret string, steps int) string {
	return auth.TOTPCode(secret, e.Clock.Now().Add(time.Duration(steps)*30*time.Second))
}

// EnrolTwoFactor turns two-factor on for the signed-in client through the API, as the
// enrolment page does, and returns the secret and the recovery codes. The confirming
// code uses the current time step: advance the clock before the next code.
func (e *Env) EnrolTwoFactor(c *Client) (secret string, recovery []string) {
	e.T.Helper()
	res := c.Do("POST", "/api/v1/me/two-factor/enrolment", nil).Must(e.T, 200)
	secret, _ = res.JSON()["secret"].(string)
	res = c.Do("POST", "/api/v1/me/two-factor/enrolment/confirm", map[string]any{"code": e.Code(secret, 0)}).Must(e.T, 200)
	for _, r := range res.JSON()["recoveryCodes"].([]any) {
		recovery = append(recovery, r.(string))
	}
	return secret, recovery
}

// SignInWithCode signs in a person with two-factor: the password, then the code of the
// current time step.
func (e *Env) SignInWithCode(email, password, secret string) *Client {
	e.T.Helper()
	c := e.Client()
	res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}).Must(e.T, 401)
	if res.Code() != "second_factor_required" {
		e.T.Fatalf("sign-in asked for no second factor: %s", res.Body)
	}
	c.Do("POST", "/api/v1/auth/two-factor", map[string]any{"code": e.Code(secret, 0)}).Must(e.T, 200)
	return c
}
