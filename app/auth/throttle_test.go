package auth_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// spray fails on n accounts that do not exist from addr.
func spray(t *testing.T, c *apptest.Client, n int, addr string) {
	t.Helper()
	for i := range n {
		login(c, "user"+strconv.Itoa(i)+"@example.com", "guess", addr).Must(t, 401)
	}
}

// The address counts the accounts it has failed on: ten within the hour block it.
func TestOneAddressCannotTryManyAccounts(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	spray(t, c, 9, "203.0.113.9")
	login(c, "user10@example.com", "guess", "203.0.113.9").Must(t, 401)
	res := login(c, "anna@example.com", pw, "203.0.113.9")
	if res.Status != 429 || res.Header.Get("Retry-After") != "60" {
		t.Fatalf("10 accounts tried from one address should block it for a minute: %d %v", res.Status, res.Header)
	}
	login(c, "anna@example.com", pw, "203.0.113.10").Must(t, 200)
}

// Regression (issue 14): one colleague failing over and over behind the office's address
// no longer keeps the others out, and the count of their failures stays theirs.
func TestOnePersonFailingDoesNotLockTheOfficeOut(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	for _, e := range []string{"anna@example.com", "bob@example.com", "carol@example.com"} {
		env.CreateUser(e, pw, store.KindEmployee, false)
	}
	office := "198.51.100.20"
	c := env.Client()
	for i := 0; i < 20; {
		res := login(c, "anna@example.com", "not my password "+strconv.Itoa(i), office)
		switch res.Status {
		case 401:
			i++
		case 429:
			wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
			env.Clock.Advance(time.Duration(wait) * time.Second)
		default:
			t.Fatalf("failure %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "bob@example.com", "password": pw},
		"X-Forwarded-For", office).Must(t, 200)
	env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "carol@example.com", "password": pw},
		"X-Forwarded-For", office).Must(t, 200)
	// Anna herself waits out the delay her failures earned, even with the right password.
	login(env.Client(), "anna@example.com", pw, office).Must(t, 429)
}

// A right password never extends a block: the address blocked by spraying opens when
// the block says, however many people sign in meanwhile.
func TestARightPasswordDoesNotExtendABlock(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("dana@example.com", pw, store.KindEmployee, false)
	addr := "203.0.113.30"
	spray(t, env.Client(), 10, addr)
	for _, wait := range []string{"60", "30"} {
		res := login(env.Client(), "dana@example.com", pw, addr).Must(t, 429)
		if got := res.Header.Get("Retry-After"); got != wait {
			t.Fatalf("Retry-After %s, want %s", got, wait)
		}
		env.Clock.Advance(30 * time.Second)
	}
	env.Clock.Advance(time.Second)
	login(env.Client(), "dana@example.com", pw, addr).Must(t, 200)
}

// A browser that has signed in to an account before passes a block of its address with
// that account's right password; not with a wrong one, not for another account, not with
// a tampered cookie, and never past the account's own block.
func TestTheDeviceCookiePassesAnAddressBlock(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	addr := "198.51.100.40"
	anna := env.Client()
	res := login(anna, "anna@example.com", pw, addr).Must(t, 200)
	var device *http.Cookie
	for _, ck := range res.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(ck); err == nil && c.Name == "annex_device" {
			device = c
		}
	}
	if device == nil || !device.HttpOnly || device.SameSite != http.SameSiteLaxMode || device.MaxAge < 300*24*3600 {
		t.Fatalf("device cookie: %+v", device)
	}
	spray(t, env.Client(), 10, addr)
	login(env.Client(), "anna@example.com", pw, addr).Must(t, 429)         // a browser never signed in here
	login(anna, "anna@example.com", "not the password", addr).Must(t, 401) // an eleventh account: 2 minutes
	// Failing again on an account already counted is no new account: the block is not renewed.
	env.Clock.Advance(30 * time.Second)
	login(anna, "anna@example.com", "still not it", addr).Must(t, 401)
	if res := login(env.Client(), "anna@example.com", pw, addr).Must(t, 429); res.Header.Get("Retry-After") != "90" {
		t.Errorf("address block after a counted account failed again: Retry-After %s, want 90", res.Header.Get("Retry-After"))
	}
	login(anna, "anna@example.com", pw, addr).Must(t, 200)
	login(anna, "bob@example.com", pw, addr).Must(t, 429) // the cookie is Anna's, not Bob's

	withCookie := func(value string) *apptest.Client {
		c := env.Client()
		u, _ := url.Parse(env.HTTP.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "annex_device", Value: value, Path: "/"}})
		return c
	}
	v := device.Value
	tampered := v[:len(v)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(v, "AA")]
	login(withCookie(tampered), "anna@example.com", pw, addr).Must(t, 429)
	login(withCookie("garbage"), "anna@example.com", pw, addr).Must(t, 429)
	login(withCookie(v), "anna@example.com", pw, addr).Must(t, 200)

	// The account's own delay from this address still holds for the cookie's holder.
	for range 3 {
		login(anna, "anna@example.com", "wrong again", addr).Must(t, 401)
	}
	login(anna, "anna@example.com", pw, addr).Must(t, 429)
}

// Re-entering the password is not kept out by a block of the address: the session
// vouches for the browser.
func TestReauthenticationPassesAnAddressBlock(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	addr := "198.51.100.50"
	anna := env.Client()
	anna.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw},
		"X-Forwarded-For", "192.0.2.1").Must(t, 200)
	spray(t, env.Client(), 10, addr)
	login(env.Client(), "anna@example.com", pw, addr).Must(t, 429)
	anna.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}, "X-Forwarded-For", addr).Must(t, 204)
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

// Guesses sent in parallel cannot outrun the count: the checks of one account from one
// address take turns, each counted before the next is let in.
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

// Right passwords count nothing, so an office behind one address is not blocked by its
// own sign-ins, however many run at once (the load tool's burst).
func TestSuccessfulSignInsDoNotAddUp(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	for range 30 {
		login(c, "anna@example.com", pw, "198.51.100.1").Must(t, 200)
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for range 20 {
		wg.Go(func() { statuses <- login(env.Client(), "anna@example.com", pw, "198.51.100.1").Status })
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("a right password in a parallel burst: %d", s)
		}
	}
}

// Administrators see the blocks in force, with what they need to judge them, and lift
// one; nobody else sees or lifts any.
func TestAdministratorsSeeAndClearBlocks(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: behindProxy})
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	attacker, office := "203.0.113.77", "198.51.100.77"
	c := env.Client()
	for range 3 {
		login(c, "anna@example.com", "guess", office).Must(t, 401)
	}
	spray(t, c, 10, attacker)
	res := admin.Do("GET", "/api/v1/admin/sign-in-blocks?perPage=1", nil).Must(t, 200)
	page := res.JSON()
	if page["total"] != float64(2) || len(page["items"].([]any)) != 1 {
		t.Fatalf("blocks: %s", res.Body)
	}
	res = admin.Do("GET", "/api/v1/admin/sign-in-blocks", nil).Must(t, 200)
	items := res.JSON()["items"].([]any)
	byKind := map[string]map[string]any{}
	for _, it := range items {
		b := it.(map[string]any)
		byKind[b["kind"].(string)] = b
	}
	acct, addr := byKind["account"], byKind["address"]
	if acct["email"] != "anna@example.com" || acct["address"] != office || acct["failures"] != float64(3) ||
		acct["blockedUntil"] != "2026-11-23T09:00:01Z" {
		t.Errorf("account block: %v", acct)
	}
	if addr["email"] != "" || addr["address"] != attacker || addr["failures"] != float64(10) ||
		addr["blockedUntil"] != "2026-11-23T09:01:00Z" {
		t.Errorf("address block: %v", addr)
	}
	// Nobody but an administrator sees or lifts them.
	anna.Do("GET", "/api/v1/admin/sign-in-blocks", nil).Must(t, 403)
	anna.Do("DELETE", "/api/v1/admin/sign-in-blocks/"+addr["id"].(string), nil).Must(t, 403)
	env.Client().Do("GET", "/api/v1/admin/sign-in-blocks", nil).Must(t, 401)

	admin.Do("DELETE", "/api/v1/admin/sign-in-blocks/"+addr["id"].(string), nil).Must(t, 204)
	login(env.Client(), "anna@example.com", pw, attacker).Must(t, 200)
	// Lifting the address's block forgets the accounts it failed on: one more failure
	// does not block it again at once.
	login(c, "user0@example.com", "guess", attacker).Must(t, 401)
	login(env.Client(), "anna@example.com", pw, attacker).Must(t, 200)

	login(env.Client(), "anna@example.com", pw, office).Must(t, 429)
	admin.Do("DELETE", "/api/v1/admin/sign-in-blocks/"+acct["id"].(string), nil).Must(t, 204)
	login(env.Client(), "anna@example.com", pw, office).Must(t, 200)
	admin.Do("DELETE", "/api/v1/admin/sign-in-blocks/"+acct["id"].(string), nil).Must(t, 404)
	admin.Do("DELETE", "/api/v1/admin/sign-in-blocks/bm9wZQ", nil).Must(t, 404)
	if res := admin.Do("GET", "/api/v1/admin/sign-in-blocks", nil).Must(t, 200); res.JSON()["total"] != float64(0) {
		t.Errorf("blocks left: %s", res.Body)
	}
}
