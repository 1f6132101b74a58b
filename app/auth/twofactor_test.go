package auth_test

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

const step = 30 * time.Second

func hasCookie(res apptest.Response, suffix string) *http.Cookie {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if strings.HasSuffix(c.Name, suffix) {
			return c
		}
	}
	return nil
}

func openDB(t *testing.T, env *apptest.Env) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(env.Config.DataDir, "annex.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func twoFactorOf(t *testing.T, c *apptest.Client) map[string]any {
	t.Helper()
	me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()
	return me["twoFactor"].(map[string]any)
}

// login sends the password; a person with two-factor gets 401 second_factor_required
// and the challenge cookie, and no session.
func loginAsksForCode(t *testing.T, c *apptest.Client, email string) {
	t.Helper()
	res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": pw}).Must(t, 401)
	if res.Code() != "second_factor_required" || hasCookie(res, "annex_2fa") == nil || hasCookie(res, "annex_session") != nil {
		t.Fatalf("password of a person with two-factor: %s %v", res.Body, res.Header)
	}
}

func TestEnrolmentAndSignInWithACode(t *testing.T) {
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true})
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	if tf := twoFactorOf(t, c); tf["enabled"] != false || tf["required"] != false {
		t.Fatalf("an employee under the default policy: %v", tf)
	}
	// Confirming before starting changes nothing.
	if res := c.Do("POST", "/api/v1/me/two-factor/enrolment/confirm", map[string]any{"code": "123456"}); res.Status != 409 ||
		res.Code() != "two_factor_not_started" {
		t.Errorf("confirm without enrolment: %d %s", res.Status, res.Body)
	}
	res := c.Do("POST", "/api/v1/me/two-factor/enrolment", nil).Must(t, 200).JSON()
	secret := res["secret"].(string)
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) {
		t.Errorf("secret %q: want 160 bits of base32", secret)
	}
	if uri := res["uri"].(string); !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("uri %q", uri)
	}
	qr, ok := strings.CutPrefix(res["qrCode"].(string), "data:image/png;base64,")
	raw, err := base64.StdEncoding.DecodeString(qr)
	if !ok || err != nil {
		t.Fatalf("QR code is no PNG data URL: %.60s", res["qrCode"])
	}
	if img, err := png.Decode(bytes.NewReader(raw)); err != nil || img.Bounds().Dx() < 200 {
		t.Errorf("QR code PNG: %v", err)
	}
	// The secret is stored sealed, never as itself.
	db := openDB(t, env)
	var sealed string
	if err := db.QueryRow(`SELECT pending_secret FROM two_factor`).Scan(&sealed); err != nil || sealed == "" ||
		strings.Contains(sealed, secret) {
		t.Errorf("stored pending secret %q (%v)", sealed, err)
	}

	// Wrong, malformed and stale codes: a 422 on the field, in the person's language, and nothing changes.
	for _, tc := range []struct{ code, want, lang, text string }{
		{"000000", "totp_wrong", "en", "not right"},
		{"12345", "totp_format", "en", "6 digits"},
		{env.Code(secret, -2), "totp_wrong", "ru", "Код неверен"},
		{env.Code(secret, 2), "totp_wrong", "en", "not right"},
	} {
		res := c.Do("POST", "/api/v1/me/two-factor/enrolment/confirm", map[string]any{"code": tc.code}, "Accept-Language", tc.lang).Must(t, 422)
		if res.FieldCodes()["body.code"] != tc.want || !strings.Contains(string(res.Body), tc.text) {
			t.Errorf("confirm with %q: %s, want %s", tc.code, res.Body, tc.want)
		}
	}
	if tf := twoFactorOf(t, c); tf["enabled"] != false {
		t.Fatal("a wrong code turned two-factor on")
	}

	before := setOf(sessionTokens(t, db))
	res2 := c.Do("POST", "/api/v1/me/two-factor/enrolment/confirm", map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)
	codes := res2.JSON()["recoveryCodes"].([]any)
	seen := map[string]bool{}
	for _, rc := range codes {
		s := rc.(string)
		if !regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`).MatchString(s) || seen[s] {
			t.Errorf("recovery code %q", s)
		}
		seen[s] = true
	}
	if len(codes) != 10 {
		t.Errorf("%d recovery codes, want 10", len(codes))
	}
	// The session was renewed: a new token, the old one gone.
	if hasCookie(res2, "annex_session") == nil {
		t.Error("confirming did not renew the session cookie")
	}
	after := sessionTokens(t, db)
	if len(after) != 1 || before[after[0]] {
		t.Errorf("sessions before %d, after %v: want one new token", len(before), len(after))
	}
	if tf := twoFactorOf(t, c); tf["enabled"] != true {
		t.Fatalf("after confirming: %v", tf)
	}
	// Recovery codes are stored as keyed hashes only.
	var n int
	db.QueryRow(`SELECT count(*) FROM recovery_codes WHERE length(code_hash) = 32`).Scan(&n)
	if n != 10 {
		t.Errorf("%d hashed recovery codes stored", n)
	}
	for rc := range seen {
		db.QueryRow(`SELECT count(*) FROM recovery_codes WHERE instr(CAST(code_hash AS TEXT), ?) > 0`, strings.ReplaceAll(rc, "-", "")).Scan(&n)
		if n != 0 {
			t.Errorf("recovery code %s stored as itself", rc)
		}
	}

	// Sign out; the password alone no longer signs in.
	c.Do("POST", "/api/v1/auth/logout", nil).Must(t, 204)
	env.Clock.Advance(step)
	c2 := env.Client()
	loginAsksForCode(t, c2, "anna@example.com")
	if res := c2.Do("GET", "/api/v1/me", nil); res.Status != 401 {
		t.Fatalf("the password alone opened a session: %d %s", res.Status, res.Body)
	}
	if len(sessionTokens(t, db)) != 0 {
		t.Error("a session row exists before the second factor")
	}
	res3 := c2.Do("POST", "/api/v1/auth/two-factor", map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)
	if hasCookie(res3, "annex_session") == nil {
		t.Fatal("no session after the code")
	}
	if ck := hasCookie(res3, "annex_2fa"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("the challenge cookie is not cleared: %v", ck)
	}
	if me := c2.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["email"] != "anna@example.com" {
		t.Errorf("signed in as %v", me["email"])
	}
}

func sessionTokens(t *testing.T, db *sql.DB) []string {
	rows, err := db.Query(`SELECT hex(token_hash) FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func setOf(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// enrolled is a person with two-factor, signed out.
func enrolled(t *testing.T, env *apptest.Env, email, kind string) (secret string, recovery []string) {
	t.Helper()
	env.CreateUser(email, pw, kind, false)
	c := env.SignIn(email, pw)
	secret, recovery = env.EnrolTwoFactor(c)
	c.Do("POST", "/api/v1/auth/logout", nil).Must(t, 204)
	return secret, recovery
}

func verify(c *apptest.Client, body map[string]any) apptest.Response {
	return c.Do("POST", "/api/v1/auth/two-factor", body)
}

// A code is accepted once; codes one step early or late pass, two steps do not.
func TestCodesWorkOnceWithinOneStepOfSkew(t *testing.T) {
	env := apptest.New(t)
	secret, _ := enrolled(t, env, "anna@example.com", store.KindEmployee)
	signIn := func(offset int, wantCode string) {
		t.Helper()
		c := env.Client()
		loginAsksForCode(t, c, "anna@example.com")
		res := verify(c, map[string]any{"code": env.Code(secret, offset)})
		if wantCode == "" {
			res.Must(t, 200)
			return
		}
		if res.Status != 422 || res.FieldCodes()["body.code"] != wantCode {
			t.Errorf("code %+d steps: %d %s, want 422 %s", offset, res.Status, res.Body, wantCode)
		}
		c.Do("GET", "/api/v1/me", nil).Must(t, 401)
	}
	// The enrolment's confirming code was of this step: it cannot sign in.
	signIn(0, "totp_used")
	env.Clock.Advance(5 * step)
	signIn(0, "")
	signIn(0, "totp_used")  // replay within its window
	signIn(-1, "totp_used") // an earlier step than one accepted
	env.Clock.Advance(3 * step)
	signIn(1, "") // the phone's clock a step ahead
	env.Clock.Advance(3 * step)
	signIn(-1, "") // a step behind (and later than the last accepted)
	env.Clock.Advance(3 * step)
	signIn(-2, "totp_wrong")
	signIn(2, "totp_wrong")
	signIn(0, "")
}

func TestRecoveryCodesWorkOnceAndCanBeReplaced(t *testing.T) {
	env := apptest.New(t)
	secret, recovery := enrolled(t, env, "anna@example.com", store.KindEmployee)
	c := env.Client()
	loginAsksForCode(t, c, "anna@example.com")
	// Typed in capitals with spaces: still the code.
	verify(c, map[string]any{"recoveryCode": " " + strings.ToUpper(strings.ReplaceAll(recovery[3], "-", " ")) + " "}).Must(t, 200)
	st := c.Do("GET", "/api/v1/me/two-factor", nil).Must(t, 200).JSON()
	if st["recoveryCodesLeft"] != float64(9) || st["enabled"] != true {
		t.Errorf("status after one recovery code: %v", st)
	}
	c2 := env.Client()
	loginAsksForCode(t, c2, "anna@example.com")
	res := verify(c2, map[string]any{"recoveryCode": recovery[3]})
	if res.Status != 422 || res.FieldCodes()["body.recoveryCode"] != "recovery_code_wrong" {
		t.Errorf("a recovery code used twice: %d %s", res.Status, res.Body)
	}
	if res := verify(c2, map[string]any{"recoveryCode": "abc"}); res.FieldCodes()["body.recoveryCode"] != "recovery_code_format" {
		t.Errorf("a malformed recovery code: %s", res.Body)
	}
	// Another person's code is no code of anna's.
	_, others := enrolled(t, env, "boris@example.com", store.KindEmployee)
	if res := verify(c2, map[string]any{"recoveryCode": others[0]}); res.FieldCodes()["body.recoveryCode"] != "recovery_code_wrong" {
		t.Errorf("someone else's recovery code: %s", res.Body)
	}

	// New codes need the password again; the old ones then stop working.
	env.Clock.Advance(11 * time.Minute)
	if res := c.Do("POST", "/api/v1/me/two-factor/recovery-codes", nil); res.Status != 403 || res.Code() != "reauth_required" {
		t.Fatalf("new codes without a recent password: %d %s", res.Status, res.Body)
	}
	c.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}).Must(t, 204)
	fresh := c.Do("POST", "/api/v1/me/two-factor/recovery-codes", nil).Must(t, 200).JSON()["recoveryCodes"].([]any)
	if len(fresh) != 10 || setOf(recovery)[fresh[0].(string)] {
		t.Errorf("new codes: %v", fresh)
	}
	c3 := env.Client()
	loginAsksForCode(t, c3, "anna@example.com")
	if res := verify(c3, map[string]any{"recoveryCode": recovery[0]}); res.Status != 422 {
		t.Errorf("an old recovery code after new ones were made: %d %s", res.Status, res.Body)
	}
	verify(c3, map[string]any{"recoveryCode": fresh[0].(string)}).Must(t, 200)
	// A code still works beside the recovery codes.
	env.Clock.Advance(step)
	env.SignInWithCode("anna@example.com", pw, secret)
}

// Guessing codes is throttled per account: five wrong codes pass, then an exponential
// delay from 30 s during which even the right code is refused.
func TestCodeGuessingIsThrottledPerAccount(t *testing.T) {
	env := apptest.New(t)
	secret, recovery := enrolled(t, env, "anna@example.com", store.KindEmployee)
	env.Clock.Advance(step)
	c := env.Client()
	loginAsksForCode(t, c, "anna@example.com")
	for i := range 5 {
		body := map[string]any{"code": "000000"}
		if i%2 == 1 {
			body = map[string]any{"recoveryCode": "aaaa-aaaa-aaaa"}
		}
		if res := verify(c, body); res.Status != 422 {
			t.Fatalf("wrong code %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	// The block holds for a new sign-in too (another browser, another challenge), and for the right code.
	c2 := env.Client()
	loginAsksForCode(t, c2, "anna@example.com")
	for _, body := range []map[string]any{{"code": env.Code(secret, 0)}, {"recoveryCode": recovery[0]}} {
		res := verify(c2, body)
		if res.Status != 429 || res.Code() != "throttled" || res.Header.Get("Retry-After") != "30" {
			t.Errorf("during the block: %d %s %v", res.Status, res.Body, res.Header.Get("Retry-After"))
		}
	}
	env.Clock.Advance(31 * time.Second)
	// One more failure doubles the delay.
	verify(c2, map[string]any{"code": "000000"}).Must(t, 422)
	if res := verify(c2, map[string]any{"code": env.Code(secret, 0)}); res.Status != 429 || res.Header.Get("Retry-After") != "60" {
		t.Errorf("after the sixth failure: %d %v", res.Status, res.Header.Get("Retry-After"))
	}
	env.Clock.Advance(61 * time.Second)
	verify(c2, map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)
	// Success forgets the count.
	c3 := env.Client()
	loginAsksForCode(t, c3, "anna@example.com")
	verify(c3, map[string]any{"code": "000000"}).Must(t, 422)
	env.Clock.Advance(step)
	verify(c3, map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)
}

// The second factor opens a new session: the browser's earlier token and the challenge
// both die, and the challenge grants nothing on its own.
func TestSecondFactorRenewsTheSessionToken(t *testing.T) {
	env := apptest.New(t)
	secret, _ := enrolled(t, env, "anna@example.com", store.KindEmployee)
	env.Clock.Advance(step)
	c := env.SignInWithCode("anna@example.com", pw, secret)
	oldSession := c.Jar.Cookies(mustURL(t, env))[0]
	env.Clock.Advance(step)
	res := c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 401)
	challenge := hasCookie(res, "annex_2fa")
	verify(c, map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)
	var newSession *http.Cookie
	for _, ck := range c.Jar.Cookies(mustURL(t, env)) {
		if ck.Name == "annex_session" {
			newSession = ck
		}
	}
	if newSession == nil || newSession.Value == oldSession.Value {
		t.Fatal("the session token was not renewed")
	}
	stale := env.Client()
	stale.Jar.SetCookies(mustURL(t, env), []*http.Cookie{{Name: "annex_session", Value: oldSession.Value}})
	stale.Do("GET", "/api/v1/me", nil).Must(t, 401)
	// The spent challenge opens nothing again.
	replay := env.Client()
	replay.Jar.SetCookies(mustURL(t, env), []*http.Cookie{{Name: "annex_2fa", Value: challenge.Value}})
	env.Clock.Advance(step)
	if res := verify(replay, map[string]any{"code": env.Code(secret, 0)}); res.Status != 401 || res.Code() != "second_factor_expired" {
		t.Errorf("a spent challenge: %d %s", res.Status, res.Body)
	}
	// A challenge used as a session cookie is no session.
	fresh := env.Client()
	res = fresh.Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}).Must(t, 401)
	as := env.Client()
	as.Jar.SetCookies(mustURL(t, env), []*http.Cookie{{Name: "annex_session", Value: hasCookie(res, "annex_2fa").Value}})
	as.Do("GET", "/api/v1/me", nil).Must(t, 401)
	// A challenge expires after 5 minutes.
	env.Clock.Advance(5*time.Minute + time.Second)
	if res := verify(fresh, map[string]any{"code": env.Code(secret, 0)}); res.Status != 401 || res.Code() != "second_factor_expired" {
		t.Errorf("an expired challenge: %d %s", res.Status, res.Body)
	}
}

func mustURL(t *testing.T, env *apptest.Env) *url.URL {
	t.Helper()
	u, err := url.Parse(env.HTTP.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The policy: external users and administrators must enrol by default, employees may;
// a person who must and has not can do nothing but enrol; who may not cannot.
func TestPolicyDecidesWhoMustEnrol(t *testing.T) {
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true})
	admin := env.Setup()
	if tf := twoFactorOf(t, admin); tf["required"] != true || tf["enabled"] != false {
		t.Fatalf("the first administrator: %v", tf)
	}
	if res := admin.Do("GET", "/api/v1/admin/settings", nil); res.Status != 403 || res.Code() != "2fa_required" {
		t.Fatalf("an administrator without two-factor: %d %s", res.Status, res.Body)
	}
	env.EnrolTwoFactor(admin)
	s := admin.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200).JSON()["twoFactor"].(map[string]any)
	if s["externals"] != true || s["employees"] != "optional" || s["admins"] != true {
		t.Errorf("default policy: %v", s)
	}

	env.CreateUser("ext@client.example", pw, store.KindExternal, false)
	ext := env.SignIn("ext@client.example", pw)
	if tf := twoFactorOf(t, ext); tf["required"] != true {
		t.Errorf("an external user: %v", tf)
	}
	if res := ext.Do("GET", "/api/v1/groups", nil); res.Status != 403 || res.Code() != "2fa_required" {
		t.Errorf("an external user without two-factor: %d %s", res.Status, res.Body)
	}
	env.Clock.Advance(step)
	env.EnrolTwoFactor(ext)
	ext.Do("GET", "/api/v1/groups", nil).Must(t, 200)
	env.Clock.Advance(11 * time.Minute)
	ext.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}).Must(t, 204)
	if res := ext.Do("DELETE", "/api/v1/me/two-factor", nil); res.Status != 403 || res.Code() != "two_factor_mandatory" {
		t.Errorf("turning off a mandatory two-factor: %d %s", res.Status, res.Body)
	}

	// An employee may turn it off again, with a recent password.
	env.CreateUser("emp@example.com", pw, store.KindEmployee, false)
	emp := env.SignIn("emp@example.com", pw)
	emp.Do("GET", "/api/v1/groups", nil).Must(t, 200)
	env.Clock.Advance(step)
	env.EnrolTwoFactor(emp)
	env.Clock.Advance(11 * time.Minute)
	if res := emp.Do("DELETE", "/api/v1/me/two-factor", nil); res.Code() != "reauth_required" {
		t.Errorf("turning off without a recent password: %d %s", res.Status, res.Body)
	}
	if res := emp.Do("POST", "/api/v1/me/two-factor/enrolment", nil); res.Code() != "reauth_required" {
		t.Errorf("re-enrolling without a recent password: %d %s", res.Status, res.Body)
	}
	emp.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}).Must(t, 204)
	if tf := emp.Do("DELETE", "/api/v1/me/two-factor", nil).Must(t, 200).JSON()["twoFactor"].(map[string]any); tf["enabled"] != false {
		t.Errorf("after turning off: %v", tf)
	}
	env.SignIn("emp@example.com", pw) // the password alone again

	// Employees mandatory: the employee is held back at once. Tightening needs no password;
	// loosening does.
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "mandatory"}}).Must(t, 200)
	if res := emp.Do("GET", "/api/v1/groups", nil); res.Code() != "2fa_required" {
		t.Errorf("an employee under a mandatory policy: %d %s", res.Status, res.Body)
	}
	if res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "off"}}); res.Code() != "reauth_required" {
		t.Errorf("loosening without a recent password: %d %s", res.Status, res.Body)
	}
	admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}).Must(t, 204)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "off"}}).Must(t, 200)
	emp.Do("GET", "/api/v1/groups", nil).Must(t, 200)
	if res := emp.Do("POST", "/api/v1/me/two-factor/enrolment", nil); res.Status != 403 || res.Code() != "two_factor_off" {
		t.Errorf("enrolling where the policy is off: %d %s", res.Status, res.Body)
	}
	if res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "sometimes"}}); res.Status != 422 {
		t.Errorf("an unknown employee policy: %d %s", res.Status, res.Body)
	}
}

// A policy pinned by the configuration shows as locked and cannot be changed.
func TestPolicyPinnedByConfiguration(t *testing.T) {
	off := "off"
	no := false
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true, Config: func(c *config.Config) {
		c.Settings.TwoFactor.Employees, c.Settings.TwoFactor.Admins = &off, &no
	}})
	admin := env.Setup()
	s := admin.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200).JSON()
	if tf := s["twoFactor"].(map[string]any); tf["employees"] != "off" || tf["admins"] != false || tf["externals"] != true {
		t.Errorf("pinned policy: %v", tf)
	}
	if l := setOf(anyStrings(s["locked"])); !l["twoFactor.employees"] || !l["twoFactor.admins"] || l["twoFactor.externals"] {
		t.Errorf("locked: %v", s["locked"])
	}
	res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "mandatory"}}).Must(t, 422)
	if res.FieldCodes()["body.twoFactor.employees"] != "locked" {
		t.Errorf("changing a pinned policy: %s", res.Body)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// An administrator resets a person's two-factor: recent password required, the person's
// sessions end, and where the policy requires it they enrol again at the next sign-in.
func TestAdministratorResetsTwoFactor(t *testing.T) {
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true})
	admin := env.Setup()
	env.EnrolTwoFactor(admin)
	env.Clock.Advance(step)
	ext := env.CreateUser("ext@client.example", pw, store.KindExternal, false)
	c := env.SignIn("ext@client.example", pw)
	secret, _ := env.EnrolTwoFactor(c)
	path := "/api/v1/admin/users/" + ext.ID + "/reset-two-factor"

	emp := env.CreateUser("emp@example.com", pw, store.KindEmployee, false)
	if res := env.SignIn("emp@example.com", pw).Do("POST", path, nil); res.Status != 403 || res.Code() != "admin_only" {
		t.Errorf("an employee resetting: %d %s", res.Status, res.Body)
	}
	env.Clock.Advance(11 * time.Minute)
	if res := admin.Do("POST", path, nil); res.Status != 403 || res.Code() != "reauth_required" {
		t.Errorf("without a recent password: %d %s", res.Status, res.Body)
	}
	c.Do("GET", "/api/v1/me", nil).Must(t, 200)
	admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}).Must(t, 204)
	if res := admin.Do("POST", "/api/v1/admin/users/"+emp.ID+"/reset-two-factor", nil); res.Status != 409 ||
		res.Code() != "two_factor_not_enabled" {
		t.Errorf("resetting a person without two-factor: %d %s", res.Status, res.Body)
	}
	if res := admin.Do("POST", "/api/v1/admin/users/aaaaaaaaaaaaaaaa/reset-two-factor", nil); res.Status != 404 {
		t.Errorf("resetting nobody: %d %s", res.Status, res.Body)
	}
	admin.Do("POST", path, nil).Must(t, 204)
	c.Do("GET", "/api/v1/me", nil).Must(t, 401) // their sessions ended
	// The next sign-in needs no code, and leads to enrolment first.
	again := env.SignIn("ext@client.example", pw)
	if tf := twoFactorOf(t, again); tf["enabled"] != false || tf["required"] != true {
		t.Errorf("after the reset: %v", tf)
	}
	if res := again.Do("GET", "/api/v1/groups", nil); res.Code() != "2fa_required" {
		t.Errorf("after the reset, before enrolling: %d %s", res.Status, res.Body)
	}
	env.Clock.Advance(step)
	if secret2, _ := env.EnrolTwoFactor(again); secret2 == secret {
		t.Error("enrolling again gave the old secret")
	}
	again.Do("GET", "/api/v1/groups", nil).Must(t, 200)
}

// A person who has two-factor and a temporary password replaces the password first,
// then signs in with the code as usual; one who must enrol and has a temporary password
// is held by the password's gate first and reaches enrolment after.
func TestTemporaryPasswordComesBeforeEnrolment(t *testing.T) {
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true})
	admin := env.Setup()
	env.EnrolTwoFactor(admin)
	res := admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Olga", "email": "olga@example.com"}).Must(t, 201)
	tmp := res.JSON()["temporaryPassword"].(string)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"twoFactor": map[string]any{"employees": "mandatory"}}).Must(t, 200)
	c := env.SignIn("olga@example.com", tmp)
	if res := c.Do("POST", "/api/v1/me/two-factor/enrolment", nil); res.Code() != "password_change_required" {
		t.Errorf("enrolment before the new password: %d %s", res.Status, res.Body)
	}
	c.Do("PUT", "/api/v1/me/password", map[string]any{"current": tmp, "password": "a brand new passphrase"}).Must(t, 200)
	if res := c.Do("GET", "/api/v1/groups", nil); res.Code() != "2fa_required" {
		t.Errorf("after the new password: %d %s", res.Status, res.Body)
	}
	env.Clock.Advance(step)
	env.EnrolTwoFactor(c)
	c.Do("GET", "/api/v1/groups", nil).Must(t, 200)
}
