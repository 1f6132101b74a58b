package auth_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

// behindProxy lets a test choose the client address through X-Forwarded-For.
func behindProxy(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1"} }

func login(c *apptest.Client, email, password, addr string) apptest.Response {
	return c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}, "X-Forwarded-For", addr)
}

func TestUnknownAccountGetsTheSameAnswer(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	known := login(c, "anna@example.com", "wrong password!", "203.0.113.1")
	unknown := login(c, "nobody@example.com", "wrong password!", "203.0.113.1")
	if known.Status != 401 || string(known.Body) != string(unknown.Body) {
		t.Errorf("known: %d %s\nunknown: %d %s", known.Status, known.Body, unknown.Status, unknown.Body)
	}
}

func TestSignInThrottling(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("admin2@example.com", pw, store.KindEmployee, true)
	c := env.Client()
	attacker, office := "203.0.113.66", "198.51.100.7"
	for i := range 3 {
		if res := login(c, "admin2@example.com", "guess number "+strconv.Itoa(i), attacker); res.Status != 401 {
			t.Fatalf("failure %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	// The third failure starts an exponential delay: even the right password waits.
	res := login(c, "admin2@example.com", pw, attacker)
	if res.Status != 429 || res.Code() != "throttled" || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("after 3 failures: %d %v %s", res.Status, res.Header, res.Body)
	}
	// The same for an account that does not exist: no difference to learn from.
	for range 3 {
		login(c, "ghost@example.com", "guess", attacker)
	}
	if res := login(c, "ghost@example.com", "guess", attacker); res.Status != 429 {
		t.Errorf("unknown account not throttled alike: %d", res.Status)
	}
	// Nobody can lock the administrator out from elsewhere.
	login(c, "admin2@example.com", pw, office).Must(t, 200)
	// The delay doubles with each further failure.
	env.Clock.Advance(2 * time.Second)
	login(c, "admin2@example.com", "guess again", attacker).Must(t, 401)
	res = login(c, "admin2@example.com", pw, attacker).Must(t, 429)
	if res.Header.Get("Retry-After") != "2" {
		t.Errorf("second delay: Retry-After %q, want 2", res.Header.Get("Retry-After"))
	}
	// It says when to try again, in the person's language.
	res = c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "admin2@example.com", "password": pw},
		"X-Forwarded-For", attacker, "Accept-Language", "ru").Must(t, 429)
	if d, _ := res.JSON()["detail"].(string); d != "Слишком много неудачных попыток. Повторите через 2 секунды." {
		t.Errorf("detail = %q", d)
	}
	env.Clock.Advance(3 * time.Second)
	login(c, "admin2@example.com", pw, attacker).Must(t, 200)
}

func TestOneAddressCannotTryManyAccounts(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	for i := range 20 {
		login(c, "user"+strconv.Itoa(i)+"@example.com", "guess", "203.0.113.9").Must(t, 401)
	}
	res := login(c, "anna@example.com", pw, "203.0.113.9")
	if res.Status != 429 {
		t.Fatalf("20 failures from one address should block it: %d", res.Status)
	}
	login(c, "anna@example.com", pw, "203.0.113.10").Must(t, 200)
}

func TestForwardedForIsIgnoredWithoutTrustedProxies(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	for i := range 3 {
		login(c, "anna@example.com", "guess", "203.0.113."+strconv.Itoa(i)).Must(t, 401)
	}
	// Spoofed addresses did not spread the failures: the real peer is throttled.
	login(c, "anna@example.com", pw, "203.0.113.200").Must(t, 429)
}

// Guesses sent in parallel cannot outrun the count: it is taken before the password is
// checked, in the same transaction as the check of the block.
func TestParallelGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, true)
	c := env.Client()
	var wg sync.WaitGroup
	statuses := make(chan int, 40)
	for i := range 40 {
		wg.Go(func() { statuses <- login(c, "anna@example.com", "guess "+strconv.Itoa(i), "203.0.113.66").Status })
	}
	wg.Wait()
	close(statuses)
	checked := 0
	for s := range statuses {
		if s == 401 {
			checked++
		}
	}
	if checked > 3 {
		t.Errorf("%d of 40 parallel guesses were checked, want at most 3", checked)
	}
}

// One IPv6 host can rotate through its /64: the whole /64 counts as one address.
func TestIPv6AddressesAreThrottledByTheirSlash64(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	for i := range 3 {
		login(c, "anna@example.com", "guess", "2001:db8:1:2::"+strconv.Itoa(i+1)).Must(t, 401)
	}
	login(c, "anna@example.com", pw, "2001:db8:1:2::99").Must(t, 429)
	login(c, "anna@example.com", pw, "2001:db8:1:3::1").Must(t, 200)
}

// A right password takes back the attempt counted against the address, so an office
// behind one address is not blocked by its own successful sign-ins.
func TestSuccessfulSignInsDoNotAddUp(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	for range 30 {
		login(c, "anna@example.com", pw, "198.51.100.1").Must(t, 200)
	}
}
