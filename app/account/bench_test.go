package account_test

import (
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

// BenchmarkPasswordResetRequest times "forgot password" for an address with an account
// and one without: the two must cost the same (docs/account-security.md), which is what
// the rehearsal in requestReset is for. Compare the two lines' ns/op.
func BenchmarkPasswordResetRequest(b *testing.B) {
	for _, c := range []struct{ name, email string }{
		{"account", "anna@example.com"},
		{"no_account", "nobody@example.com"},
	} {
		b.Run(c.name, func(b *testing.B) {
			env := apptest.New(b, apptest.Options{NoMailWorker: true})
			env.Setup()
			env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
			cl := env.Client()
			for b.Loop() {
				env.Clock.Advance(2 * time.Hour) // past every limit
				cl.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": c.email}).Must(b, 202)
			}
		})
	}
}
