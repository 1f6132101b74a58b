package server_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

// BenchmarkSignIn measures a whole sign-in over HTTP with the production hashing cost
// (argon2id, 19 MiB, t=2): the figure is dominated by the hash, as it should be.
func BenchmarkSignIn(b *testing.B) {
	prod := config.Default().Argon2
	env := apptest.New(b, apptest.Options{Config: func(c *config.Config) { c.Argon2 = prod }})
	env.CreateUser("anna@example.com", "correct horse battery staple", store.KindEmployee, false)
	b.ReportMetric(float64(prod.MemoryKiB)/1024, "argon2-MiB")
	b.ReportMetric(float64(prod.Iterations), "argon2-t")
	c := env.Client()
	b.ResetTimer()
	for b.Loop() {
		res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": "correct horse battery staple"})
		if res.Status != http.StatusOK {
			b.Fatalf("sign-in: %d %s", res.Status, res.Body)
		}
	}
}

// BenchmarkAuthenticatedRequest measures GET /api/v1/me through the whole middleware
// chain (request id, headers, cross-origin guard, session lookup, locale, handler),
// over a real loopback connection, in parallel.
func BenchmarkAuthenticatedRequest(b *testing.B) {
	env := apptest.New(b)
	env.CreateUser("anna@example.com", "correct horse battery staple", store.KindEmployee, false)
	c := env.SignIn("anna@example.com", "correct horse battery staple")
	u, _ := http.NewRequest("GET", env.HTTP.URL+"/api/v1/me", nil)
	cookies := c.Jar.Cookies(u.URL)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	hc := &http.Client{Transport: tr}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", env.HTTP.URL+"/api/v1/me", nil)
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}

// BenchmarkSignInWithTwoFactor measures a whole sign-in of a person with two-factor over
// HTTP with the production hashing cost: the password (answered 401
// second_factor_required with the challenge cookie), then the code. The test clock moves
// one 30-second step per sign-in, as each code works once.
func BenchmarkSignInWithTwoFactor(b *testing.B) {
	prod := config.Default().Argon2
	env := apptest.New(b, apptest.Options{Config: func(c *config.Config) { c.Argon2 = prod }})
	const email, password = "anna@example.com", "correct horse battery staple"
	env.CreateUser(email, password, store.KindEmployee, false)
	secret, _ := env.EnrolTwoFactor(env.SignIn(email, password))
	b.ResetTimer()
	for b.Loop() {
		env.Clock.Advance(30 * time.Second)
		c := env.Client()
		if res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}); res.Status != http.StatusUnauthorized {
			b.Fatalf("password: %d %s", res.Status, res.Body)
		}
		if res := c.Do("POST", "/api/v1/auth/two-factor", map[string]any{"code": env.Code(secret, 0)}); res.Status != http.StatusOK {
			b.Fatalf("code: %d %s", res.Status, res.Body)
		}
	}
}
