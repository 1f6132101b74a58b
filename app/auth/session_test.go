package auth_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

const pw = "correct horse battery staple"

func sessionCookie(t *testing.T, res apptest.Response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if strings.HasSuffix(c.Name, "annex_session") {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", res.Header)
	return nil
}

func TestSignInSetsAProperCookieAndStoresOnlyItsHash(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "Anna@Example.com ", "password": pw}).Must(t, 200)
	ck := sessionCookie(t, res)
	if ck.Name != "annex_session" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
		t.Errorf("cookie attributes: %+v", ck)
	}
	if ck.MaxAge != 0 || !ck.Expires.IsZero() {
		t.Errorf("without remember-me the cookie must end with the browser: %+v", ck)
	}
	if len(ck.Value) < 43 {
		t.Errorf("token too short: %d chars", len(ck.Value))
	}
	db, _ := sql.Open("sqlite", filepath.Join(env.Config.DataDir, "annex.db"))
	defer db.Close()
	var stored []byte
	if err := db.QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(ck.Value))
	if string(stored) != string(sum[:]) {
		t.Error("the session table does not hold the token's hash")
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sessions WHERE CAST(token_hash AS TEXT) LIKE ?`, "%"+ck.Value+"%").Scan(&n)
	if n != 0 {
		t.Error("the raw token is stored")
	}
	me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()
	if me["email"] != "anna@example.com" {
		t.Errorf("me = %v", me)
	}
}

func TestHTTPSBaseURLMakesCookiesSecureAndPrefixed(t *testing.T) {
	base := "https://intranet.example.com"
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Settings.BaseURL = &base }})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	res := env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 200)
	ck := sessionCookie(t, res)
	if ck.Name != "__Host-annex_session" || !ck.Secure || ck.Domain != "" || ck.Path != "/" {
		t.Errorf("https cookie: %+v", ck)
	}
}

func TestSessionIsRenewedAtSignIn(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	first := sessionCookie(t, c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 200))
	second := sessionCookie(t, c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 200))
	if first.Value == second.Value {
		t.Fatal("sign-in reused the session token")
	}
	old := env.Client()
	old.Headers["Cookie"] = "annex_session=" + first.Value
	old.Do("GET", "/api/v1/me", nil).Must(t, 401)
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func TestIdleAndAbsoluteExpiry(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)

	idle := env.SignIn("anna@example.com", pw)
	env.Clock.Advance(7 * time.Hour)
	idle.Do("GET", "/api/v1/me", nil).Must(t, 200) // activity pushes the idle expiry
	env.Clock.Advance(7 * time.Hour)
	idle.Do("GET", "/api/v1/me", nil).Must(t, 200)
	env.Clock.Advance(8*time.Hour + time.Minute)
	idle.Do("GET", "/api/v1/me", nil).Must(t, 401)

	abs := env.SignIn("anna@example.com", pw)
	for range 3 {
		env.Clock.Advance(7 * time.Hour)
		abs.Do("GET", "/api/v1/me", nil).Must(t, 200)
	}
	env.Clock.Advance(3*time.Hour + time.Minute) // 24 h since sign-in, though never idle
	abs.Do("GET", "/api/v1/me", nil).Must(t, 401)
}

func TestRememberMe(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.Client()
	res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw, "remember": true}).Must(t, 200)
	if ck := sessionCookie(t, res); ck.MaxAge != 30*24*3600 {
		t.Errorf("remember-me cookie MaxAge = %d", ck.MaxAge)
	}
	env.Clock.Advance(13 * 24 * time.Hour)
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)
	env.Clock.Advance(13 * 24 * time.Hour)
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)
	env.Clock.Advance(4*24*time.Hour + time.Minute) // 30 days in all
	c.Do("GET", "/api/v1/me", nil).Must(t, 401)
}

func TestSignOut(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	res := c.Do("POST", "/api/v1/auth/logout", nil).Must(t, 204)
	if ck := sessionCookie(t, res); ck.MaxAge >= 0 {
		t.Errorf("sign-out must clear the cookie: %+v", ck)
	}
	c.Do("GET", "/api/v1/me", nil).Must(t, 401)
}

func TestDeactivatedAccountLosesItsSessionAtOnce(t *testing.T) {
	env := apptest.New(t)
	u := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	db, _ := sql.Open("sqlite", filepath.Join(env.Config.DataDir, "annex.db"))
	defer db.Close()
	if _, err := db.Exec(`UPDATE users SET active = 0 WHERE id = ?`, u.ID); err != nil {
		t.Fatal(err)
	}
	c.Do("GET", "/api/v1/me", nil).Must(t, 401)
	res := env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 403)
	if res.Code() != "account_inactive" {
		t.Errorf("deactivated sign-in: %s", res.Body)
	}
}

func TestSensitiveActionsAskForThePasswordAgain(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	smtp := map[string]any{"enabled": false}
	admin.Do("PUT", "/api/v1/admin/settings/smtp", smtp).Must(t, 200) // just signed in
	env.Clock.Advance(11 * time.Minute)
	res := admin.Do("PUT", "/api/v1/admin/settings/smtp", smtp).Must(t, 403)
	if res.Code() != "reauth_required" {
		t.Fatalf("stale password: %s", res.Body)
	}
	res = admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": "wrong password here"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_wrong" {
		t.Errorf("wrong confirm: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}).Must(t, 204)
	admin.Do("PUT", "/api/v1/admin/settings/smtp", smtp).Must(t, 200)
}

// Re-entering the password issues a new session token, as a sign-in does: a token taken
// before (planted, or read off the wire) does not inherit the fresh confirmation.
func TestConfirmingThePasswordRenewsTheSession(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	u, _ := url.Parse(env.HTTP.URL)
	before := c.Jar.Cookies(u)
	res := c.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}).Must(t, 204)
	renewed := sessionCookie(t, res)
	if !renewed.HttpOnly || renewed.Value == "" {
		t.Fatalf("renewed cookie: %+v", renewed)
	}
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)
	old := env.Client()
	old.Jar.SetCookies(u, before)
	for _, ck := range before {
		if ck.Name == "annex_session" && ck.Value == renewed.Value {
			t.Fatal("the session token was not renewed")
		}
	}
	old.Do("GET", "/api/v1/me", nil).Must(t, 401)
}

// No password may contain the company's name or "annex", wherever a password is set.
func TestNewPasswordMayNotContainTheCompanysName(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup() // the company is "Example Ltd"
	res := admin.Do("PUT", "/api/v1/me/password", map[string]any{"current": apptest.AdminPassword,
		"password": "my-EXAMPLE-password-7"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_has_name" || !strings.Contains(string(res.Body), "company's name") {
		t.Errorf("company's name in a new password: %s", res.Body)
	}
	res = admin.Do("PUT", "/api/v1/me/password", map[string]any{"current": apptest.AdminPassword,
		"password": "my-annex-password-7"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_has_name" {
		t.Errorf("annex in a new password: %s", res.Body)
	}
	admin.Do("PUT", "/api/v1/me/password", map[string]any{"current": apptest.AdminPassword,
		"password": "Trombone-Lantern-Quiet-41"}).Must(t, 200)
}

func TestChangePassword(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	other := env.SignIn("anna@example.com", pw)
	res := c.Do("PUT", "/api/v1/me/password", map[string]any{"current": "not my password", "password": "Trombone-Lantern-Quiet-41"}).Must(t, 422)
	if res.FieldCodes()["body.current"] != "password_wrong" {
		t.Errorf("wrong current: %s", res.Body)
	}
	res = c.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": "password1234"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_common" {
		t.Errorf("common new password: %s", res.Body)
	}
	c.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": "Trombone-Lantern-Quiet-41"}).Must(t, 200)
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)     // renewed session works
	other.Do("GET", "/api/v1/me", nil).Must(t, 401) // every other session ended
	env.SignIn("anna@example.com", "Trombone-Lantern-Quiet-41")
}

func TestTemporaryPasswordMustBeChangedAndExpires(t *testing.T) {
	env := apptest.New(t)
	u := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	ctx := context.Background()
	setTemp := func() {
		exp := env.Clock.Now().Add(72 * time.Hour)
		env.Store.Tx(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, u.PasswordHash, true, &exp) })
	}
	setTemp()
	c := env.SignIn("anna@example.com", pw)
	if me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["mustChangePassword"] != true || me["temporaryReason"] != "reset" {
		t.Errorf("me = %v", me)
	}
	res := c.Do("GET", "/api/v1/admin/settings", nil).Must(t, 403)
	if res.Code() != "password_change_required" {
		t.Errorf("temporary password let through: %s", res.Body)
	}
	// The temporary password is known to whoever set it: it cannot be kept.
	res = c.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": pw}, "Accept-Language", "ru").Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_same" || !strings.Contains(string(res.Body), "Новый пароль должен отличаться") {
		t.Errorf("temporary password kept: %s", res.Body)
	}
	c.Do("PUT", "/api/v1/me/password", map[string]any{"current": pw, "password": "Trombone-Lantern-Quiet-41"}).Must(t, 200)
	if c.Do("GET", "/api/v1/admin/settings", nil).Code() == "password_change_required" {
		t.Error("still asked to change after changing")
	}

	setTemp()
	env.Clock.Advance(72*time.Hour + time.Second)
	res = env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 403)
	if res.Code() != "temporary_password_expired" {
		t.Errorf("expired temporary password: %s", res.Body)
	}
}
