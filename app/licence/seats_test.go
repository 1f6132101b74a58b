package licence_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/licence"
	"annex/store"
)

// testLicence signs a licence with a key pair made for this test, which the verifier
// trusts until the test ends.
func testKey(t *testing.T) ed25519.PrivateKey {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(licence.TrustForTest(pub))
	return priv
}

func licenceFor(key ed25519.PrivateKey, seats int, expires time.Time) string {
	return sign(key, fmt.Sprintf(`{"licensee":"Example Ltd","edition":"business","seats":%d,"issued":"2026-01-01T00:00:00Z","expires":%q}`,
		seats, expires.UTC().Format(time.RFC3339)))
}

func addEmployee(c *apptest.Client, n int) apptest.Response {
	return c.Do("POST", "/api/v1/admin/users", map[string]any{"name": fmt.Sprintf("Person %d", n), "email": fmt.Sprintf("p%d@example.com", n)})
}

func TestSeatsOfTheFreeEditionAndOfALicence(t *testing.T) {
	key := testKey(t)
	env := apptest.New(t)
	admin := env.Setup()
	var first string
	for i := range licence.FreeSeats - 1 {
		res := addEmployee(admin, i).Must(t, 201)
		if i == 0 {
			first = res.JSON()["person"].(map[string]any)["id"].(string)
		}
	}
	res := addEmployee(admin, 100).Must(t, 409)
	if res.Code() != "seats_full" || res.JSON()["detail"] != "All 10 seats are in use: 10 active, 0 invited. Deactivate a user or upgrade the licence." {
		t.Errorf("the eleventh person: %s", res.Body)
	}
	// Deactivation frees a seat at once; reactivation claims one.
	admin.Do("POST", "/api/v1/admin/users/"+first+"/deactivate", nil).Must(t, 200)
	addEmployee(admin, 101).Must(t, 201)
	if res := admin.Do("POST", "/api/v1/admin/users/"+first+"/reactivate", nil).Must(t, 409); res.Code() != "seats_full" {
		t.Errorf("reactivation with no seat free: %s", res.Body)
	}

	// Bad files are refused next to the field, and nothing changes.
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	year := env.Clock.T.AddDate(1, 0, 0)
	for text, code := range map[string]string{
		licenceFor(otherKey, 50, year):                     "licence_signature",
		licenceFor(key, 50, year)[:40]:                     "licence_malformed",
		licenceFor(key, 50, env.Clock.T.AddDate(0, 0, -1)): "licence_expired_file",
	} {
		if res := admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": text}).Must(t, 422); res.FieldCodes()["body.text"] != code {
			t.Errorf("licence upload: %s, want %s", res.Body, code)
		}
	}
	if info := admin.Do("GET", "/api/v1/admin/licence", nil).Must(t, 200).JSON(); info["free"] != true || info["used"] != float64(10) {
		t.Errorf("after refused uploads: %v", info)
	}

	// A licence with more seats lets the reactivation through.
	info := admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceFor(key, 12, year) + "\n"}).Must(t, 200).JSON()
	if info["seats"] != float64(12) || info["edition"] != "business" || info["overLimit"] != false {
		t.Errorf("licence: %v", info)
	}
	admin.Do("POST", "/api/v1/admin/users/"+first+"/reactivate", nil).Must(t, 200)

	// One with fewer seats than are in use is accepted with a warning, and blocks new seats.
	info = admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceFor(key, 5, year)}).Must(t, 200).JSON()
	if info["overLimit"] != true {
		t.Errorf("licence below the seats in use: %v", info)
	}
	addEmployee(admin, 102).Must(t, 409)

	// An expired licence keeps everyone working and blocks new seats, saying why.
	admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceFor(key, 50, env.Clock.T.Add(24*time.Hour))}).Must(t, 200)
	addEmployee(admin, 103).Must(t, 201)
	env.Clock.Advance(48 * time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	if info := admin.Do("GET", "/api/v1/admin/licence", nil).JSON(); info["expired"] != true {
		t.Errorf("expired licence: %v", info)
	}
	if res := addEmployee(admin, 104).Must(t, 409); res.Code() != "licence_expired" {
		t.Errorf("a new seat under an expired licence: %s", res.Body)
	}
}

// Concurrent claims by every path that adds a person (adding an employee, reactivating
// one, inviting by e-mail) never exceed the seats, however they interleave.
func TestConcurrentClaimsNeverExceedTheSeats(t *testing.T) {
	const rounds = 20
	for round := range rounds {
		env := apptest.New(t)
		admin := env.Setup()
		// 7 of the 10 free seats taken, and 10 deactivated people waiting.
		var sleepers []string
		for i := range 16 {
			id := addEmployee(admin, i).Must(t, 201).JSON()["person"].(map[string]any)["id"].(string)
			if i >= 6 {
				admin.Do("POST", "/api/v1/admin/users/"+id+"/deactivate", nil).Must(t, 200)
				sleepers = append(sleepers, id)
			}
		}
		group := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, refused := 0, 0
		for i := range 30 {
			wg.Go(func() {
				var res apptest.Response
				code := ""
				switch i % 3 {
				case 0:
					res = admin.Do("POST", "/api/v1/admin/users/"+sleepers[i/3]+"/reactivate", nil)
				case 1:
					res = admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "external", "groupId": group,
						"invitees": []map[string]any{{"email": fmt.Sprintf("guest%d@client.example", i)}}})
					if r, ok := res.JSON()["results"].([]any); ok && !r[0].(map[string]any)["invited"].(bool) {
						code = r[0].(map[string]any)["code"].(string)
					}
				default:
					res = addEmployee(admin, 1000+i)
				}
				if code == "" {
					code = res.Code()
				}
				mu.Lock()
				defer mu.Unlock()
				switch {
				case res.Status < 300 && code == "":
					accepted++
				case code == "seats_full":
					refused++
				default:
					t.Errorf("round %d: %d %s", round, res.Status, res.Body)
				}
			})
		}
		wg.Wait()
		seats, err := env.Store.SeatCount(t.Context(), store.System())
		if err != nil {
			t.Fatal(err)
		}
		if accepted != 3 || refused != 27 || seats.Used() != licence.FreeSeats {
			t.Fatalf("round %d: %d accepted, %d refused, %d seats used; want 3, 27, 10", round, accepted, refused, seats.Used())
		}
	}
}
