package invites_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"annex/app/apptest"
	"annex/app/config"
	"annex/app/licence"
)

// BenchmarkInvitation: one administrator's invitation of one address into an extranet
// group, end to end over loopback HTTP: checks, seat claim, invitation row and outbox
// mail in one transaction (the mail itself is sent by the worker, not timed here).
func BenchmarkInvitation(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	b.Cleanup(licence.TrustForTest(pub))
	env := apptest.New(b, apptest.Options{NoMailWorker: true, Config: func(c *config.Config) { c.Invites.AdminPerHour = 1 << 30 }})
	admin := env.Setup()
	payload := `{"licensee":"Bench","edition":"business","seats":1000000,"issued":"2026-01-01T00:00:00Z","expires":"2099-01-01T00:00:00Z"}`
	enc := base64.RawURLEncoding
	admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": enc.EncodeToString([]byte(payload)) + "." +
		enc.EncodeToString(ed25519.Sign(priv, []byte(payload)))}).Must(b, 200)
	g := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(b, 201).JSON()["id"].(string)
	b.ResetTimer()
	for i := range b.N {
		admin.Do("POST", "/api/v1/groups/"+g+"/invitations", map[string]any{"kind": "external",
			"invitees": []map[string]any{{"email": fmt.Sprintf("g%d@client.example", i)}}}).Must(b, 200)
	}
}
