package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"annex/app/auth"
	"annex/store"
)

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	root := newRoot(&out, &out, strings.NewReader(""))
	root.SetArgs([]string{"version"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "annex ") {
		t.Errorf("version printed %q", out.String())
	}
}

func TestResetPassword(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("ANNEX_DATA_DIR", dir)
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var u store.User
	err = st.Tx(ctx, func(tx *store.Tx) error {
		u = store.User{Email: "ada@example.com", Name: "Ada", Kind: store.KindEmployee, Admin: true, Active: true,
			PasswordHash: "$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Locale: "en"}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		now := tx.Now()
		if err := tx.CreateSession(ctx, store.Session{TokenHash: []byte("h"), UserID: u.ID, CreatedAt: now, SeenAt: now,
			AuthAt: now, IdleExpiresAt: now.Add(time.Hour), AbsoluteExpiresAt: now.Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.SetSettings(ctx, map[string]string{"company_name": "Acme Ltd"}); err != nil {
			return err
		}
		return tx.RecordFailure(ctx, auth.AccountThrottlePrefix(u.Email)+"203.0.113.1",
			store.ThrottlePolicy{Block: func(int) time.Duration { return time.Hour }, Forget: time.Hour})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	var out bytes.Buffer
	root := newRoot(&out, &out, strings.NewReader(""))
	root.SetArgs([]string{"admin", "reset-password", "ADA@example.com"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(out.String())
	var temp string
	for i, w := range lines {
		if w == "sign-in):" && i+1 < len(lines) {
			temp = lines[i+1]
		}
	}
	if len(temp) != 16 {
		t.Fatalf("no temporary password printed: %s", out.String())
	}

	st, err = store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.UserForSignIn(ctx, u.Email)
	if !got.MustChangePassword || got.PasswordExpiresAt == nil || time.Until(*got.PasswordExpiresAt) < 71*time.Hour {
		t.Errorf("temporary password not marked: %+v", got)
	}
	h := auth.NewHasher(auth.Params{MemoryKiB: 8192, Iterations: 1, Parallelism: 1}, 1)
	if ok, _ := h.Verify(ctx, got.PasswordHash, temp); !ok {
		t.Error("the printed password does not verify")
	}
	if _, _, err := st.SessionUser(ctx, []byte("h")); err != store.ErrNotFound {
		t.Errorf("session survived the reset: %v", err)
	}
	if until, _ := st.ThrottleBlockedUntil(ctx, auth.AccountThrottlePrefix(u.Email)+"203.0.113.1"); !until.IsZero() {
		t.Error("throttle survived the reset")
	}

	// A chosen password from standard input follows the same rule.
	root = newRoot(&out, &out, strings.NewReader("password1234\n"))
	root.SetArgs([]string{"admin", "reset-password", "--password-stdin", "ada@example.com"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "common") {
		t.Errorf("common password accepted: %v", err)
	}
	// So does the company's name: it is the first guess.
	root = newRoot(&out, &out, strings.NewReader("my-ACME-password-77\n"))
	root.SetArgs([]string{"admin", "reset-password", "--password-stdin", "ada@example.com"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "password has name") {
		t.Errorf("company's name accepted: %v", err)
	}
	root = newRoot(&out, &out, strings.NewReader(""))
	root.SetArgs([]string{"admin", "reset-password", "nobody@example.com"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("unknown account: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's log writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// Stopping the server (SIGTERM or SIGINT cancel serve's context) lets a request in
// flight finish with its answer before serve returns.
func TestGracefulShutdownFinishesRequestsInFlight(t *testing.T) {
	t.Setenv("ANNEX_DATA_DIR", t.TempDir())
	t.Setenv("ANNEX_LOG_FORMAT", "text")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, options{listen: "127.0.0.1:0"}, &logs) }()
	linkRe := regexp.MustCompile(`(http://\S+)/setup#token=(\S+)`)
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no setup link printed:\n%s", logs.String())
		}
		m = linkRe.FindStringSubmatch(logs.String())
	}
	base, token := m[1], m[2]

	// An SMTP "server" that holds the connection for a while makes a slow request.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { time.Sleep(time.Second); c.Close() }()
		}
	}()
	body := fmt.Sprintf(`{"enabled":true,"host":"127.0.0.1","port":%d,"security":"none","from":"a@example.com","to":"b@example.com"}`,
		ln.Addr().(*net.TCPAddr).Port)
	req, _ := http.NewRequest("POST", base+"/api/v1/setup/smtp/test", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Annex-Client", "1")
	req.Header.Set("X-Setup-Token", token)
	type result struct {
		status int
		err    error
	}
	res := make(chan result, 1)
	go func() {
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		r.Body.Close()
		res <- result{status: r.StatusCode}
	}()
	time.Sleep(300 * time.Millisecond) // the request is now in flight
	cancel()
	r := <-res
	if r.err != nil || r.status != http.StatusUnprocessableEntity {
		t.Errorf("request in flight during shutdown: %d, %v; want its 422 answer", r.status, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no stop logged:\n%s", logs.String())
	}
}

// The printed setup link must be one a browser on the server (or at a tunnel's end) can
// open as it is, whatever address Annex listens on.
func TestDisplayAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "127.0.0.1:8080",
		"127.0.0.1:8080": "127.0.0.1:8080",
		"10.1.2.3:80":    "10.1.2.3:80",
	} {
		if got := displayAddr(in); got != want {
			t.Errorf("displayAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
