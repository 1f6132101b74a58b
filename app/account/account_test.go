package account_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"annex/app/account"
	"annex/app/apptest"
	"annex/store"
)

const pw = "correct horse battery staple"

const (
	firefoxLinux  = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safariIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	edgeWindows   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
	chromeAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36"
)

type world struct {
	env   *apptest.Env
	smtp  *apptest.SMTPServer
	admin *apptest.Client
}

func newWorld(t *testing.T) *world {
	env := apptest.New(t)
	w := &world{env: env, smtp: apptest.NewSMTP(t), admin: env.Setup()}
	env.UseSMTP(w.admin, w.smtp)
	return w
}

// signIn signs email in from a browser that calls itself ua.
func (w *world) signIn(email, password, ua string) *apptest.Client {
	w.env.T.Helper()
	c := w.env.Client()
	c.Headers["User-Agent"] = ua
	c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password}).Must(w.env.T, 200)
	return c
}

func token(link string) string { return link[strings.Index(link, "#token=")+len("#token="):] }

func items(res apptest.Response) []map[string]any {
	var out []map[string]any
	for _, x := range res.JSON()["items"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func TestParseUserAgent(t *testing.T) {
	for ua, want := range map[string]account.Device{
		firefoxLinux:  {Browser: "Firefox", OS: "Linux"},
		safariIPhone:  {Browser: "Safari", OS: "iPhone"},
		edgeWindows:   {Browser: "Edge", OS: "Windows"},
		chromeAndroid: {Browser: "Chrome", OS: "Android"},
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0": {Browser: "Opera", OS: "macOS"},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36":  {Browser: "Yandex Browser", OS: "Windows"},
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15":                  {Browser: "Safari", OS: "macOS"},
		"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36":                      {Browser: "Chrome", OS: "ChromeOS"},
		"curl/8.5.0":         {Browser: "curl"},
		"":                   {},
		"Go-http-client/1.1": {},
	} {
		if got := account.ParseUserAgent(ua); got != want {
			t.Errorf("ParseUserAgent(%q) = %+v, want %+v", ua, got, want)
		}
	}
}

func TestMySessionsAreListedAndEndedByTheirOwnerOnly(t *testing.T) {
	w := newWorld(t)
	anna := w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	w.env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	laptop := w.signIn("anna@example.com", pw, firefoxLinux)
	phone := w.signIn("anna@example.com", pw, safariIPhone)
	bob := w.signIn("bob@example.com", pw, edgeWindows)

	w.env.Clock.Advance(2 * time.Minute) // the phone is used later: its last use moves
	phone.Do("GET", "/api/v1/me", nil).Must(t, 200)
	list := items(laptop.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200))
	if len(list) != 2 {
		t.Fatalf("anna's sessions: %v", list)
	}
	ph, lt := list[0], list[1]
	if ph["current"] == true {
		ph, lt = lt, ph
	}
	if ph["browser"] != "Safari" || ph["os"] != "iPhone" || ph["current"] != false || ph["address"] != "127.0.0.1" ||
		ph["userAgent"] != safariIPhone || ph["lastSeenAt"] != "2026-11-23T09:02:00Z" {
		t.Errorf("the phone's session: %v", ph)
	}
	if lt["browser"] != "Firefox" || lt["os"] != "Linux" || lt["current"] != true || lt["createdAt"] != "2026-11-23T09:00:00Z" {
		t.Errorf("the laptop's session (this device): %v", lt)
	}
	for _, s := range list {
		if id, _ := s["id"].(string); len(id) < 16 {
			t.Errorf("session id %q", id)
		}
	}

	// Someone else's session id is not found, as an unknown one is, and still works.
	bobs := items(bob.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200))
	if len(bobs) != 1 || bobs[0]["id"] == ph["id"] || bobs[0]["id"] == lt["id"] {
		t.Fatalf("bob sees: %v", bobs)
	}
	if res := laptop.Do("DELETE", "/api/v1/me/sessions/"+bobs[0]["id"].(string), nil); res.Status != 404 || res.Code() != "not_found" {
		t.Errorf("anna ends bob's session: %d %s", res.Status, res.Body)
	}
	laptop.Do("DELETE", "/api/v1/me/sessions/"+store.NewID(), nil).Must(t, 404)
	bob.Do("GET", "/api/v1/me", nil).Must(t, 200)
	// Nor does anyone list another's: bob still sees his one session only.
	if n := len(items(bob.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200))); n != 1 {
		t.Errorf("bob lists %d sessions", n)
	}

	// Anna signs the phone out from the laptop.
	laptop.Do("DELETE", "/api/v1/me/sessions/"+ph["id"].(string), nil).Must(t, 204)
	phone.Do("GET", "/api/v1/me", nil).Must(t, 401)
	laptop.Do("GET", "/api/v1/me", nil).Must(t, 200)
	laptop.Do("DELETE", "/api/v1/me/sessions/"+ph["id"].(string), nil).Must(t, 404) // gone already

	// All others at once.
	phone = w.signIn("anna@example.com", pw, safariIPhone)
	tablet := w.signIn("anna@example.com", pw, chromeAndroid)
	laptop.Do("POST", "/api/v1/me/sessions/end-others", nil).Must(t, 204)
	phone.Do("GET", "/api/v1/me", nil).Must(t, 401)
	tablet.Do("GET", "/api/v1/me", nil).Must(t, 401)
	if list := items(laptop.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200)); len(list) != 1 || list[0]["current"] != true {
		t.Errorf("after ending the others: %v", list)
	}
	bob.Do("GET", "/api/v1/me", nil).Must(t, 200)

	// Ending this very session signs out and clears the cookie.
	res := laptop.Do("DELETE", "/api/v1/me/sessions/"+lt["id"].(string), nil).Must(t, 204)
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("ending this session: Set-Cookie %q", res.Header.Get("Set-Cookie"))
	}
	laptop.Do("GET", "/api/v1/me/sessions", nil).Must(t, 401)
	w.env.Client().Do("GET", "/api/v1/me/sessions", nil).Must(t, 401)
	_ = anna
}

// A person changing their password keeps this session (renewed: the old cookie is worth
// nothing) and ends every other.
func TestChangingThePasswordEndsTheOtherSessions(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	laptop := w.signIn("anna@example.com", pw, firefoxLinux)
	phone := w.signIn("anna@example.com", pw, safariIPhone)
	before := items(laptop.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200))
	stale := w.env.Client()
	for _, ck := range laptop.Jar.Cookies(mustURL(w.env.HTTP.URL)) {
		stale.Headers["Cookie"] = ck.Name + "=" + ck.Value
	}
	laptop.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": "a brand new passphrase"}).Must(t, 200)
	laptop.Do("GET", "/api/v1/me", nil).Must(t, 200)
	phone.Do("GET", "/api/v1/me", nil).Must(t, 401)
	stale.Do("GET", "/api/v1/me", nil).Must(t, 401)
	after := items(laptop.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200))
	if len(after) != 1 || after[0]["current"] != true || after[0]["browser"] != "Firefox" ||
		slices.ContainsFunc(before, func(s map[string]any) bool { return s["id"] == after[0]["id"] }) {
		t.Errorf("sessions before %v, after %v", before, after)
	}
}

func TestChangeOfEmailByLink(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	w.env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna := w.signIn("anna@example.com", pw, firefoxLinux)
	phone := w.signIn("anna@example.com", pw, safariIPhone)

	// Bad input first: nothing is sent for it.
	for body, want := range map[string]string{"": "required", "not an address": "invalid_email",
		"ANNA@example.com": "email_same", "bob@example.com": "email_taken"} {
		res := anna.Do("POST", "/api/v1/me/email", map[string]any{"email": body})
		if res.Status != 422 || res.FieldCodes()["body.email"] != want {
			t.Errorf("change to %q: %d %s, want %s", body, res.Status, res.Body, want)
		}
	}

	res := anna.Do("POST", "/api/v1/me/email", map[string]any{"email": " Anna.New@Example.com "}).Must(t, 202)
	if b := res.JSON(); b["email"] != "Anna.New@Example.com" || b["expiresAt"] != "2026-11-24T09:00:00Z" {
		t.Errorf("answer: %s", res.Body)
	}
	m := w.smtp.To(t, "Anna.New@Example.com", 1, 10*time.Second)
	link := m.Link("http://127.0.0.1/confirm-email#token=")
	if link == "" || !strings.Contains(m.Text(), "anna asked to use Anna.New@Example.com") {
		t.Fatalf("confirmation mail:\n%s", m.Text())
	}
	if len(token(link)) < 43 { // 256 bits in base64url
		t.Errorf("token %q", token(link))
	}
	// Nothing has changed yet.
	if me := anna.Do("GET", "/api/v1/me", nil).JSON(); me["email"] != "anna@example.com" {
		t.Errorf("before the link: %v", me)
	}

	// The link works anywhere, signed in or not; once.
	other := w.env.Client()
	other.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": store.NewID()}).Must(t, 404)
	res = other.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": token(link)}).Must(t, 200)
	if res.JSON()["email"] != "anna.new@example.com" {
		t.Errorf("confirm: %s", res.Body)
	}
	if res := other.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": token(link)}); res.Status != 409 ||
		res.Code() != "email_change_used" || !strings.Contains(res.JSON()["detail"].(string), "already been used") {
		t.Errorf("the link again: %d %s", res.Status, res.Body)
	}
	if me := anna.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["email"] != "anna.new@example.com" {
		t.Errorf("after the link: %v", me)
	}
	phone.Do("GET", "/api/v1/me", nil).Must(t, 200) // sessions go on
	notice := w.smtp.To(t, "anna@example.com", 1, 10*time.Second)
	if !strings.Contains(notice.Text(), "was changed from anna@example.com to Anna.New@Example.com") ||
		notice.Link("http://") != "" {
		t.Errorf("notice to the old address:\n%s", notice.Text())
	}
	w.env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 401)
	w.signIn("anna.new@example.com", pw, firefoxLinux)

	// A link left to expire does nothing.
	anna.Do("POST", "/api/v1/me/email", map[string]any{"email": "anna3@example.com"}).Must(t, 202)
	late := token(w.smtp.To(t, "anna3@example.com", 1, 10*time.Second).Link("http://127.0.0.1/confirm-email#token="))
	w.env.Clock.Advance(24*time.Hour + time.Second)
	if res := other.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": late}); res.Code() != "email_change_expired" {
		t.Errorf("an expired link: %d %s", res.Status, res.Body)
	}

	// A password entered more than 10 minutes ago must be entered again.
	anna = w.signIn("anna.new@example.com", pw, firefoxLinux)
	w.env.Clock.Advance(11 * time.Minute)
	if res := anna.Do("POST", "/api/v1/me/email", map[string]any{"email": "anna4@example.com"}); res.Status != 403 ||
		res.Code() != "reauth_required" {
		t.Errorf("without a recent password: %d %s", res.Status, res.Body)
	}
	w.env.Client().Do("POST", "/api/v1/me/email", map[string]any{"email": "anna4@example.com"}).Must(t, 401)
}

// Two changes race for one address: the second link finds it taken, says so and
// changes nothing; a link made for an address the account no longer has does nothing.
func TestEmailChangeLinksThatCameTooLate(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	w.env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna := w.signIn("anna@example.com", pw, firefoxLinux)
	bob := w.signIn("bob@example.com", pw, firefoxLinux)
	anna.Do("POST", "/api/v1/me/email", map[string]any{"email": "shared@example.com"}).Must(t, 202)
	bob.Do("POST", "/api/v1/me/email", map[string]any{"email": "shared@example.com"}).Must(t, 202)
	const prefix = "http://127.0.0.1/confirm-email#token="
	annaLink := token(w.smtp.To(t, "shared@example.com", 1, 10*time.Second).Link(prefix))
	bobLink := token(w.smtp.To(t, "shared@example.com", 2, 10*time.Second).Link(prefix))
	c := w.env.Client()
	c.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": annaLink}).Must(t, 200)
	res := c.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": bobLink})
	if res.Status != 409 || res.Code() != "email_change_taken" || !strings.Contains(res.JSON()["detail"].(string), "shared@example.com") {
		t.Errorf("the second link: %d %s", res.Status, res.Body)
	}
	if me := bob.Do("GET", "/api/v1/me", nil).JSON(); me["email"] != "bob@example.com" {
		t.Errorf("bob: %v", me)
	}
	// Two links of one person: the first confirmed voids the second.
	bob.Do("POST", "/api/v1/me/email", map[string]any{"email": "bob2@example.com"}).Must(t, 202)
	bob.Do("POST", "/api/v1/me/email", map[string]any{"email": "bob3@example.com"}).Must(t, 202)
	l2 := token(w.smtp.To(t, "bob2@example.com", 1, 10*time.Second).Link(prefix))
	l3 := token(w.smtp.To(t, "bob3@example.com", 1, 10*time.Second).Link(prefix))
	c.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": l3}).Must(t, 200)
	if res := c.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": l2}); res.Code() != "email_change_used" {
		t.Errorf("the older link: %d %s", res.Status, res.Body)
	}
}

// Who is told that an address is taken: whoever may see its account anyway (an
// employee sees every active employee, an administrator everyone). Anyone else gets
// the answer a free address gets, and the address's mailbox learns that nothing changed.
func TestEmailTakenIsToldOnlyToThoseWhoMaySeeTheAccount(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("staff@example.com", pw, store.KindEmployee, false)
	w.env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	gina := w.signIn("gina@client.example", pw, firefoxLinux)
	staff := w.signIn("staff@example.com", pw, firefoxLinux)

	// The external shares no group with staff: she cannot tell a taken address from a free one.
	taken := gina.Do("POST", "/api/v1/me/email", map[string]any{"email": "staff@example.com"}).Must(t, 202)
	free := gina.Do("POST", "/api/v1/me/email", map[string]any{"email": "nobody@example.com"}).Must(t, 202)
	if string(taken.Body) != strings.Replace(string(free.Body), "nobody@example.com", "staff@example.com", 1) {
		t.Errorf("taken %s, free %s", taken.Body, free.Body)
	}
	m := w.smtp.To(t, "staff@example.com", 1, 10*time.Second)
	if !strings.Contains(m.Text(), "already exists, so nothing was changed") || m.Link("http://") != "" {
		t.Errorf("mail to the taken address:\n%s", m.Text())
	}
	if me := gina.Do("GET", "/api/v1/me", nil).JSON(); me["email"] != "gina@client.example" {
		t.Errorf("gina: %v", me)
	}
	// An administrator sees everyone; an employee sees a deactivated employee only
	// through a shared group, so an address of one is not confirmed to them.
	if res := w.admin.Do("POST", "/api/v1/me/email", map[string]any{"email": "gina@client.example"}); res.FieldCodes()["body.email"] != "email_taken" {
		t.Errorf("administrator: %d %s", res.Status, res.Body)
	}
	if res := staff.Do("POST", "/api/v1/me/email", map[string]any{"email": "gina@client.example"}); res.Status != 202 {
		t.Errorf("an employee and an external they share no group with: %d %s", res.Status, res.Body)
	}
}

func TestPasswordResetByEmail(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	laptop := w.signIn("anna@example.com", pw, firefoxLinux)
	guest := w.env.Client()
	guest.Headers["User-Agent"] = chromeAndroid

	guest.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "Anna@Example.com"}).Must(t, 202)
	m := w.smtp.To(t, "anna@example.com", 1, 10*time.Second)
	link := m.Link("http://127.0.0.1/reset-password#token=")
	if link == "" || !strings.Contains(m.Text(), "works once, until 2026-11-23 10:00 UTC") || !strings.Contains(m.Text(), "127.0.0.1") {
		t.Fatalf("reset mail:\n%s", m.Text())
	}
	tok := token(link)
	if len(tok) < 43 {
		t.Errorf("token %q", tok)
	}
	if res := guest.Do("POST", "/api/v1/auth/password-reset/check", map[string]any{"token": tok}).Must(t, 200); res.JSON()["email"] != "anna@example.com" {
		t.Errorf("check: %s", res.Body)
	}
	// The new password obeys the rules; a refusal uses nothing up.
	for pass, want := range map[string]string{"short": "password_too_short", "password1234": "password_common",
		"Example Ltd rocks!!": "password_has_name"} {
		res := guest.Do("POST", "/api/v1/auth/password-reset/finish", map[string]any{"token": tok, "password": pass})
		if res.Status != 422 || res.FieldCodes()["body.password"] != want {
			t.Errorf("password %q: %d %s", pass, res.Status, res.Body)
		}
	}
	res := guest.Do("POST", "/api/v1/auth/password-reset/finish", map[string]any{"token": tok, "password": "a fresh start at last"}).Must(t, 200)
	if me := res.JSON(); me["email"] != "anna@example.com" || me["mustChangePassword"] != false {
		t.Errorf("finish: %s", res.Body)
	}
	// Signed in here, afresh; every earlier session ended.
	guest.Do("GET", "/api/v1/me", nil).Must(t, 200)
	laptop.Do("GET", "/api/v1/me", nil).Must(t, 401)
	if list := items(guest.Do("GET", "/api/v1/me/sessions", nil).Must(t, 200)); len(list) != 1 || list[0]["browser"] != "Chrome" {
		t.Errorf("sessions after the reset: %v", list)
	}
	w.env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 401)
	w.signIn("anna@example.com", "a fresh start at last", firefoxLinux)

	// Used twice, unknown, expired: each says so in words, and nothing changes.
	for _, c := range []struct {
		tok, code string
		status    int
		words     string
	}{
		{tok, "reset_link_used", 409, "already been used"},
		{store.NewID() + store.NewID(), "reset_link_unknown", 404, "not valid"},
	} {
		for _, op := range []string{"check", "finish"} {
			res := w.env.Client().Do("POST", "/api/v1/auth/password-reset/"+op, resetBody(op, c.tok, "another fresh start"))
			if res.Status != c.status || res.Code() != c.code || !strings.Contains(res.JSON()["detail"].(string), c.words) {
				t.Errorf("%s with %s: %d %s", op, c.code, res.Status, res.Body)
			}
		}
	}
	w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "anna@example.com"}).Must(t, 202)
	late := token(w.smtp.To(t, "anna@example.com", 2, 10*time.Second).Link("http://127.0.0.1/reset-password#token="))
	w.env.Clock.Advance(time.Hour + time.Second)
	if res := w.env.Client().Do("POST", "/api/v1/auth/password-reset/finish", map[string]any{"token": late, "password": "another fresh start"}); res.Status != 409 || res.Code() != "reset_link_expired" {
		t.Errorf("an expired link: %d %s", res.Status, res.Body)
	}
	w.signIn("anna@example.com", "a fresh start at last", firefoxLinux)
}

// A link for an account deactivated since refuses, in words; a temporary password
// becomes an ordinary one through a reset; a change of password voids links in the mailbox.
func TestPasswordResetLinksAndTheAccountsState(t *testing.T) {
	w := newWorld(t)
	added := w.admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Dora", "email": "dora@example.com"}).Must(t, 201).JSON()
	dora := added["person"].(map[string]any)["id"].(string)
	w.env.CreateUser("eve@example.com", pw, store.KindEmployee, false)
	const prefix = "http://127.0.0.1/reset-password#token="
	c := w.env.Client()

	c.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "dora@example.com"}).Must(t, 202)
	tok := token(w.smtp.To(t, "dora@example.com", 1, 10*time.Second).Link(prefix))
	res := c.Do("POST", "/api/v1/auth/password-reset/finish", map[string]any{"token": tok, "password": "dora's own passphrase"}).Must(t, 200)
	if res.JSON()["mustChangePassword"] != false {
		t.Errorf("a temporary password reset: %s", res.Body)
	}
	if me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["mustChangePassword"] != false {
		t.Errorf("me: %v", me)
	}
	c.Do("GET", "/api/v1/groups", nil).Must(t, 200) // no longer held at the password page

	c.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "dora@example.com"}).Must(t, 202)
	tok = token(w.smtp.To(t, "dora@example.com", 2, 10*time.Second).Link(prefix))
	w.admin.Do("POST", "/api/v1/admin/users/"+dora+"/deactivate", nil).Must(t, 200)
	for _, op := range []string{"check", "finish"} {
		res := w.env.Client().Do("POST", "/api/v1/auth/password-reset/"+op, resetBody(op, tok, "yet another passphrase"))
		if res.Status != 403 || res.Code() != "reset_account_inactive" || !strings.Contains(res.JSON()["detail"].(string), "deactivated") {
			t.Errorf("%s for a deactivated account: %d %s", op, res.Status, res.Body)
		}
	}

	eve := w.signIn("eve@example.com", pw, firefoxLinux)
	c.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "eve@example.com"}).Must(t, 202)
	tok = token(w.smtp.To(t, "eve@example.com", 1, 10*time.Second).Link(prefix))
	eve.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": "eve remembered it"}).Must(t, 200)
	if res := c.Do("POST", "/api/v1/auth/password-reset/check", map[string]any{"token": tok}); res.Code() != "reset_link_used" {
		t.Errorf("a link after a change of password: %d %s", res.Status, res.Body)
	}
}

// answer is what a client can observe of a response, less what differs for every
// request (its id and date).
func answer(r apptest.Response) string {
	h := maps.Clone(r.Header)
	h.Del("X-Request-Id")
	h.Del("Date")
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(h)) {
		b.WriteString(k + ": " + strings.Join(h[k], ",") + "\n")
	}
	return http.StatusText(r.Status) + "\n" + b.String() + "\n" + string(r.Body)
}

// The answer to "forgot password" says nothing of whether the address has an account:
// the same status, headers and body for an account, a deactivated one and none, and
// a mail only for the first.
func TestPasswordResetAnswersAlike(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	u := w.env.CreateUser("old@example.com", pw, store.KindEmployee, false)
	if err := w.env.Store.Tx(context.Background(), func(tx *store.Tx) error { return tx.SetActive(context.Background(), u.ID, false) }); err != nil {
		t.Fatal(err)
	}
	var answers []string
	for _, email := range []string{"anna@example.com", "nobody@example.com", "old@example.com"} {
		res := w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": email})
		answers = append(answers, answer(res))
	}
	if answers[0] != answers[1] || answers[0] != answers[2] || !strings.HasPrefix(answers[0], "Accepted\n") {
		t.Errorf("answers differ:\n%s\n---\n%s\n---\n%s", answers[0], answers[1], answers[2])
	}
	w.smtp.To(t, "anna@example.com", 1, 10*time.Second)
	mails, _, err := w.env.Store.Mails(context.Background(), store.System(), store.MailFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.Kind == "password_reset" && m.To != "anna@example.com" {
			t.Errorf("a reset mail to %s", m.To)
		}
	}
	// A malformed address is refused alike, whoever might have it.
	if res := w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "anna@"}); res.FieldCodes()["body.email"] != "invalid_email" {
		t.Errorf("malformed: %d %s", res.Status, res.Body)
	}
}

// Reset mails are limited per address (3 within an hour of each other) whether or not
// an account has it, and per client address (10 within an hour of each other).
func TestPasswordResetIsThrottled(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	for _, email := range []string{"anna@example.com", "nobody@example.com"} {
		for i := range 4 {
			res := w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": email})
			if i < 3 && res.Status != 202 || i == 3 && (res.Status != 429 || res.Code() != "reset_throttled" ||
				res.Header.Get("Retry-After") != "3600" || !strings.Contains(res.JSON()["detail"].(string), "60 minutes")) {
				t.Errorf("%s, request %d: %d %s", email, i+1, res.Status, res.Body)
			}
		}
	}
	if got := len(w.smtp.Wait(t, 3, 10*time.Second)); got != 3 {
		t.Errorf("%d mails", got)
	}
	// Six requests so far from this address, 4 more pass, then it is blocked.
	for i := range 5 {
		res := w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "other" + string(rune('a'+i)) + "@example.com"})
		if want := map[bool]int{true: 202, false: 429}[i < 4]; res.Status != want {
			t.Errorf("other address %d: %d %s", i, res.Status, res.Body)
		}
	}
	w.env.Clock.Advance(time.Hour + time.Second)
	w.env.Client().Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "anna@example.com"}).Must(t, 202)
}

// Links cannot be hammered: a few tries a minute from one address.
func TestLinkTriesAreThrottled(t *testing.T) {
	w := newWorld(t)
	c := w.env.Client()
	for i := range 11 {
		res := c.Do("POST", "/api/v1/auth/password-reset/check", map[string]any{"token": store.NewID()})
		if want := map[bool]int{true: 404, false: 429}[i < 10]; res.Status != want {
			t.Errorf("try %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	if res := c.Do("POST", "/api/v1/auth/email-change/confirm", map[string]any{"token": store.NewID()}); res.Code() != "link_tries" {
		t.Errorf("another kind of link from the same address: %d %s", res.Status, res.Body)
	}
}

func TestAdministratorHelp(t *testing.T) {
	w := newWorld(t)
	anna := w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	bob := w.env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	annaC := w.signIn("anna@example.com", pw, firefoxLinux)
	bobC := w.signIn("bob@example.com", pw, firefoxLinux)
	me := w.admin.Do("GET", "/api/v1/me", nil).JSON()["id"].(string)

	// Failed sign-ins are forgotten too: anna locked herself out.
	for range 4 {
		w.env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": "wrong guess"})
	}
	res := w.admin.Do("POST", "/api/v1/admin/users/"+anna.ID+"/reset-password", nil).Must(t, 200)
	temp, _ := res.JSON()["temporaryPassword"].(string)
	if len(temp) != 16 {
		t.Fatalf("temporary password: %s", res.Body)
	}
	annaC.Do("GET", "/api/v1/me", nil).Must(t, 401)
	annaC = w.signIn("anna@example.com", temp, firefoxLinux)
	if m := annaC.Do("GET", "/api/v1/me", nil).JSON(); m["mustChangePassword"] != true || m["temporaryReason"] != "reset" {
		t.Errorf("after an administrator's reset: %v", m)
	}
	annaC.Do("GET", "/api/v1/groups", nil).Must(t, 403)

	w.admin.Do("POST", "/api/v1/admin/users/"+bob.ID+"/end-sessions", nil).Must(t, 204)
	bobC.Do("GET", "/api/v1/me", nil).Must(t, 401)
	w.signIn("bob@example.com", pw, firefoxLinux) // the password is as it was

	for _, op := range []string{"reset-password", "end-sessions"} {
		w.admin.Do("POST", "/api/v1/admin/users/"+store.NewID()+"/"+op, nil).Must(t, 404)
		if res := w.admin.Do("POST", "/api/v1/admin/users/"+me+"/"+op, nil); res.Status != 409 ||
			!strings.Contains(res.JSON()["detail"].(string), "My account") {
			t.Errorf("%s on oneself: %d %s", op, res.Status, res.Body)
		}
		bobC = w.signIn("bob@example.com", pw, firefoxLinux)
		if res := bobC.Do("POST", "/api/v1/admin/users/"+anna.ID+"/"+op, nil); res.Status != 403 || res.Code() != "admin_only" {
			t.Errorf("%s by a non-administrator: %d %s", op, res.Status, res.Body)
		}
		w.env.Client().Do("POST", "/api/v1/admin/users/"+anna.ID+"/"+op, nil).Must(t, 401)
	}
	w.admin.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// resetBody is the body of the reset link's operation op: finish takes the password.
func resetBody(op, tok, password string) map[string]any {
	if op == "finish" {
		return map[string]any{"token": tok, "password": password}
	}
	return map[string]any{"token": tok}
}

// A reset never bypasses two-factor: without a code, with a wrong or reused one, the
// password stays and the link still works; a right code (or a recovery code) finishes it,
// and wrong codes are throttled like sign-in's second step.
func TestAResetMeetsTwoFactor(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	secret, recovery := w.env.EnrolTwoFactor(w.env.SignIn("anna@example.com", pw))
	w.env.Clock.Advance(30 * time.Second)
	used := w.env.Code(secret, 0)
	w.env.SignInWithCode("anna@example.com", pw, secret) // spends the current step

	guest := w.env.Client()
	guest.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "anna@example.com"}).Must(t, 202)
	tok := token(w.smtp.To(t, "anna@example.com", 1, 10*time.Second).Link("http://127.0.0.1/reset-password#token="))
	if res := guest.Do("POST", "/api/v1/auth/password-reset/check", map[string]any{"token": tok}).Must(t, 200); res.JSON()["twoFactor"] != true {
		t.Errorf("check: %s", res.Body)
	}
	const fresh = "a fresh start at last"
	finish := func(extra map[string]any) apptest.Response {
		body := map[string]any{"token": tok, "password": fresh}
		for k, v := range extra {
			body[k] = v
		}
		return guest.Do("POST", "/api/v1/auth/password-reset/finish", body)
	}
	for _, c := range []struct {
		extra map[string]any
		field string
		code  string
	}{
		{nil, "body.code", "required"},
		{map[string]any{"code": "12345"}, "body.code", "totp_format"},
		{map[string]any{"code": used}, "body.code", "totp_used"},
		{map[string]any{"code": w.env.Code(secret, 4)}, "body.code", "totp_wrong"},
		{map[string]any{"recoveryCode": "aaaa-bbbb-cccc"}, "body.recoveryCode", "recovery_code_wrong"},
	} {
		res := finish(c.extra).Must(t, 422)
		if res.FieldCodes()[c.field] != c.code {
			t.Errorf("%v: %s", c.extra, res.Body)
		}
	}
	// Nothing changed: the old password still signs in (with its code).
	w.env.Clock.Advance(30 * time.Second)
	w.env.SignInWithCode("anna@example.com", pw, secret)
	w.env.Clock.Advance(30 * time.Second)
	me := finish(map[string]any{"recoveryCode": recovery[0]}).Must(t, 200).JSON()
	if me["email"] != "anna@example.com" {
		t.Errorf("finish: %v", me)
	}
	guest.Do("GET", "/api/v1/me", nil).Must(t, 200)
	w.env.Clock.Advance(30 * time.Second)
	w.env.SignInWithCode("anna@example.com", fresh, secret)

	// Wrong codes count against the account: after five, the sixth waits (links opened
	// from one address have their own, wider limit: a minute passes first).
	w.env.Clock.Advance(time.Minute)
	guest.Do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "anna@example.com"}).Must(t, 202)
	tok = token(w.smtp.To(t, "anna@example.com", 2, 10*time.Second).Link("http://127.0.0.1/reset-password#token="))
	for range 5 {
		finish(map[string]any{"code": "000000"}).Must(t, 422)
	}
	if res := finish(map[string]any{"code": w.env.Code(secret, 0)}); res.Status != 429 {
		t.Errorf("the sixth code: %d %s", res.Status, res.Body)
	}
}
