package auth_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

// tokenClient is a script's client: the token in the Authorization header, no cookie,
// no client header.
func tokenClient(env *apptest.Env, tok string) *apptest.Client {
	c := env.Client()
	delete(c.Headers, "X-Annex-Client")
	c.Headers["Authorization"] = "Bearer " + tok
	return c
}

// createToken makes a token as c and returns it with its id.
func createToken(t *testing.T, c *apptest.Client, name, scope string, days int) (string, string) {
	t.Helper()
	res := c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": name, "scope": scope, "expiresInDays": days}).Must(t, 201)
	body := res.JSON()
	tok, _ := body["token"].(string)
	item, _ := body["item"].(map[string]any)
	return tok, item["id"].(string)
}

func countTokens(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM api_tokens`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestATokenIsShownOnceStoredHashedAndActsAsItsOwner(t *testing.T) {
	env := apptest.New(t)
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	res := c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "  CRM   sync ", "scope": "read-write", "expiresInDays": 90}).Must(t, 201)
	body := res.JSON()
	tok := body["token"].(string)
	item := body["item"].(map[string]any)
	if !strings.HasPrefix(tok, "annex_") || len(tok) != 49 {
		t.Errorf("token %q: want annex_ and 256 bits in base64url", tok)
	}
	if item["name"] != "CRM sync" || item["scope"] != "read-write" || item["lastUsedAt"] != "" || item["expired"] != false {
		t.Errorf("item: %v", item)
	}
	wantExpiry := env.Clock.Now().Add(90 * 24 * time.Hour).UTC().Format(time.RFC3339)
	if item["expiresAt"] != wantExpiry {
		t.Errorf("expiresAt %v, want %s", item["expiresAt"], wantExpiry)
	}
	db := openDB(t, env)
	var stored []byte
	if err := db.QueryRow(`SELECT token_hash FROM api_tokens`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(tok)); string(stored) != string(sum[:]) {
		t.Error("the table does not hold the token's SHA-256")
	}
	// The list never shows the token again.
	list := c.Do("GET", "/api/v1/me/tokens", nil).Must(t, 200)
	if strings.Contains(string(list.Body), tok) || list.JSON()["total"] != float64(1) {
		t.Errorf("list: %s", list.Body)
	}

	script := tokenClient(env, tok)
	me := script.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()
	if me["id"] != anna.ID {
		t.Errorf("the token acts as %v, want %s", me["id"], anna.ID)
	}
	// A write without the client header: a token is no ambient credential.
	script.Do("PATCH", "/api/v1/me", map[string]any{"position": "Buyer"}).Must(t, 200)
	if p := c.Do("GET", "/api/v1/me", nil).JSON()["position"]; p != "Buyer" {
		t.Errorf("write through the token: position %v", p)
	}
	// The scheme's name is case-insensitive.
	sc := env.Client()
	sc.Headers["Authorization"] = "bearer " + tok
	sc.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func TestLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	tok, _ := createToken(t, c, "Backup script", "read-only", 30)
	script := tokenClient(env, tok)
	lastUsed := func() string {
		items := c.Do("GET", "/api/v1/me/tokens", nil).Must(t, 200).JSON()["items"].([]any)
		return items[0].(map[string]any)["lastUsedAt"].(string)
	}
	start := env.Clock.Now()
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)
	if got := lastUsed(); got != start.UTC().Format(time.RFC3339) {
		t.Fatalf("last use after the first request: %q", got)
	}
	env.Clock.Advance(40 * time.Second)
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)
	if got := lastUsed(); got != start.UTC().Format(time.RFC3339) {
		t.Errorf("written again within the minute: %q", got)
	}
	env.Clock.Advance(30 * time.Second)
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)
	if got := lastUsed(); got != env.Clock.Now().UTC().Format(time.RFC3339) {
		t.Errorf("not written after a minute: %q", got)
	}
}

func TestCreatingATokenNeedsARecentPassword(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	env.Clock.Advance(11 * time.Minute)
	body := map[string]any{"name": "CRM", "scope": "read-only", "expiresInDays": 30}
	res := c.Do("POST", "/api/v1/me/tokens", body).Must(t, 403)
	if res.Code() != "reauth_required" {
		t.Fatalf("stale password: %s", res.Body)
	}
	if n := countTokens(t, openDB(t, env)); n != 0 {
		t.Fatalf("%d tokens made without a recent password", n)
	}
	c.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": pw}).Must(t, 204)
	c.Do("POST", "/api/v1/me/tokens", body).Must(t, 201)
}

func TestExternalUsersCannotCreateTokens(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("guest@client.example", pw, store.KindExternal, false)
	c := env.SignIn("guest@client.example", pw)
	res := c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "Mine", "scope": "read-only", "expiresInDays": 30}).Must(t, 403)
	if res.Code() != "token_external" || !strings.Contains(res.JSON()["detail"].(string), "External users cannot create API tokens") {
		t.Errorf("external: %s", res.Body)
	}
	if n := countTokens(t, openDB(t, env)); n != 0 {
		t.Errorf("%d tokens stored for an external user", n)
	}
}

func TestTokenInputIsChecked(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	createToken(t, c, "CRM", "read-only", 30)
	db := openDB(t, env)
	for _, tc := range []struct {
		name       string
		body       map[string]any
		field, ru  string
		code       string
		wantStatus int
	}{
		{"over a year", map[string]any{"name": "A", "scope": "read-only", "expiresInDays": 366}, "body.expiresInDays", "не больше года", "token_expiry_too_long", 422},
		{"no time at all", map[string]any{"name": "A", "scope": "read-only", "expiresInDays": 0}, "body.expiresInDays", "не меньше одного дня", "token_expiry_too_short", 422},
		{"empty name", map[string]any{"name": "   ", "scope": "read-only", "expiresInDays": 30}, "body.name", "Заполните", "required", 422},
		{"long name", map[string]any{"name": strings.Repeat("я", 101), "scope": "read-only", "expiresInDays": 30}, "body.name", "Не более 100", "too_long", 422},
		{"control character", map[string]any{"name": "a\u0007b", "scope": "read-only", "expiresInDays": 30}, "body.name", "", "invalid_characters", 422},
		{"name taken", map[string]any{"name": "CRM", "scope": "read-write", "expiresInDays": 30}, "body.name", "уже есть токен", "token_name_taken", 422},
		{"unknown scope", map[string]any{"name": "B", "scope": "admin", "expiresInDays": 30}, "body.scope", "", "one_of", 422},
		{"no expiry", map[string]any{"name": "B", "scope": "read-only"}, "body.expiresInDays", "", "required", 422},
	} {
		res := c.Do("POST", "/api/v1/me/tokens", tc.body, "Accept-Language", "ru")
		if res.Status != tc.wantStatus || res.FieldCodes()[tc.field] != tc.code {
			t.Errorf("%s: %d %s, want %d with %s on %s", tc.name, res.Status, res.Body, tc.wantStatus, tc.code, tc.field)
		}
		if tc.ru != "" && !strings.Contains(string(res.Body), tc.ru) {
			t.Errorf("%s: message not in Russian: %s", tc.name, res.Body)
		}
	}
	if n := countTokens(t, db); n != 1 {
		t.Errorf("%d tokens after refused requests, want 1", n)
	}
}

func TestReadOnlyTokensOnlyRead(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	tok, _ := createToken(t, c, "Report", "read-only", 30)
	script := tokenClient(env, tok)
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)
	script.Do("GET", "/api/v1/people", nil).Must(t, 200)
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/api/v1/me", map[string]any{"position": "Changed"}},
		{"POST", "/api/v1/groups", map[string]any{"name": "G", "kind": "internal", "visibility": "open"}},
		{"DELETE", "/api/v1/me/photo", nil},
	} {
		res := script.Do(tc.method, tc.path, tc.body).Must(t, 403)
		if res.Code() != "token_read_only" {
			t.Errorf("%s %s with a read-only token: %s", tc.method, tc.path, res.Body)
		}
	}
	if p := c.Do("GET", "/api/v1/me", nil).JSON()["position"]; p != "" {
		t.Errorf("a read-only token changed the profile: %v", p)
	}
}

func TestRefusedTokensSayWhy(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	revoked, revokedID := createToken(t, c, "Old", "read-write", 30)
	short, _ := createToken(t, c, "Short", "read-write", 1)
	live, _ := createToken(t, c, "Live", "read-write", 30)
	c.Do("DELETE", "/api/v1/me/tokens/"+revokedID, nil).Must(t, 204)
	env.Clock.Advance(24 * time.Hour)

	check := func(name string, res apptest.Response, status int, code string) {
		t.Helper()
		if res.Status != status || res.Code() != code {
			t.Errorf("%s: %d %s, want %d %s", name, res.Status, res.Body, status, code)
		}
	}
	check("malformed", tokenClient(env, "not-a-token").Do("GET", "/api/v1/me", nil), 401, "token_invalid")
	check("empty", tokenClient(env, "").Do("GET", "/api/v1/me", nil), 401, "token_invalid")
	check("unknown", tokenClient(env, "annex_"+strings.Repeat("A", 43)).Do("GET", "/api/v1/me", nil), 401, "token_invalid")
	check("one character off", tokenClient(env, live[:48]+"x").Do("GET", "/api/v1/me", nil), 401, "token_invalid")
	check("revoked", tokenClient(env, revoked).Do("GET", "/api/v1/me", nil), 401, "token_revoked")
	check("expired", tokenClient(env, short).Do("GET", "/api/v1/me", nil), 401, "token_expired")
	// An unknown token on an anonymous operation is refused too, not taken for nobody.
	check("unknown on bootstrap", tokenClient(env, "annex_"+strings.Repeat("A", 43)).Do("GET", "/api/v1/bootstrap", nil), 401, "token_invalid")

	// A token anywhere but the Authorization header does not sign anyone in.
	cookie := env.Client()
	cookie.Headers["Cookie"] = "annex_session=" + live
	check("as the session cookie", cookie.Do("GET", "/api/v1/me", nil), 401, "token_in_cookie")
	query := env.Client()
	check("in the query string", query.Do("GET", "/api/v1/me?access_token="+live+"&token="+live, nil), 401, "unauthenticated")
	// A session cookie and a token together: refused, whichever is valid.
	both := env.SignIn("anna@example.com", pw)
	both.Headers["Authorization"] = "Bearer " + live
	check("cookie and token", both.Do("GET", "/api/v1/me", nil), 400, "token_with_cookie")

	res := tokenClient(env, revoked).Do("GET", "/api/v1/me", nil, "Accept-Language", "ru")
	if !strings.Contains(res.JSON()["detail"].(string), "отозван") || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("revoked, in Russian: %s %v", res.Body, res.Header)
	}
	tokenClient(env, live).Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func TestADeactivatedOwnersTokensStop(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	tok, _ := createToken(t, c, "CRM", "read-write", 30)
	script := tokenClient(env, tok)
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)

	// Checked at request time: an account switched off under the token stops it at once.
	db := openDB(t, env)
	if _, err := db.Exec(`UPDATE users SET active = 0 WHERE id = ?`, anna.ID); err != nil {
		t.Fatal(err)
	}
	if res := script.Do("GET", "/api/v1/me", nil).Must(t, 401); res.Code() != "account_inactive" {
		t.Errorf("owner inactive: %s", res.Body)
	}
	if _, err := db.Exec(`UPDATE users SET active = 1 WHERE id = ?`, anna.ID); err != nil {
		t.Fatal(err)
	}
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)

	// Deactivation by an administrator revokes the tokens: reactivation does not bring them back.
	admin.Do("POST", "/api/v1/admin/users/"+anna.ID+"/deactivate", nil).Must(t, 200)
	if res := script.Do("GET", "/api/v1/me", nil).Must(t, 401); res.Code() != "token_revoked" {
		t.Errorf("after deactivation: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/admin/users/"+anna.ID+"/reactivate", nil).Must(t, 200)
	script.Do("GET", "/api/v1/me", nil).Must(t, 401)
}

func TestTokensNeverReachTheirOwnManagementOrPasswords(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	tok, id := createToken(t, admin, "Provisioning", "read-write", 30)
	script := tokenClient(env, tok)
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/me/tokens", nil},
		{"POST", "/api/v1/me/tokens", map[string]any{"name": "More", "scope": "read-write", "expiresInDays": 365}},
		{"DELETE", "/api/v1/me/tokens/" + id, nil},
		{"POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}},
		{"PUT", "/api/v1/me/password", map[string]any{"current": apptest.AdminPassword, "password": "another long passphrase here"}},
		{"POST", "/api/v1/auth/logout", nil},
		{"POST", "/api/v1/auth/login", map[string]any{"email": apptest.AdminEmail, "password": apptest.AdminPassword}},
		{"PUT", "/api/v1/admin/settings/smtp", map[string]any{"enabled": false}},
		// These need a recent password only for what they are asked here.
		{"POST", "/api/v1/admin/users", map[string]any{"name": "Root", "email": "root@example.com", "admin": true}},
		{"PATCH", "/api/v1/admin/settings", map[string]any{"baseUrl": "https://elsewhere.example"}},
	} {
		res := script.Do(tc.method, tc.path, tc.body)
		if res.Status != 403 || res.Code() != "token_not_allowed" {
			t.Errorf("%s %s with a token: %d %s, want 403 token_not_allowed", tc.method, tc.path, res.Status, res.Body)
		}
	}
	// The same operations without the sensitive part are open to the token.
	script.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Ben", "email": "ben@example.com"}).Must(t, 201)
	script.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Example Group"}).Must(t, 200)
	// Nothing of the refused happened: one token, the password and the session unchanged.
	if n := countTokens(t, openDB(t, env)); n != 1 {
		t.Errorf("%d tokens", n)
	}
	admin.Do("GET", "/api/v1/me", nil).Must(t, 200)
	env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	script.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func TestTokensAreListedPageByPageAndRevokedOnlyByTheirOwner(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("ben@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	ben := env.SignIn("ben@example.com", pw)
	var ids []string
	for _, name := range []string{"One", "Two", "Three"} {
		_, id := createToken(t, anna, name, "read-only", 30)
		ids = append(ids, id)
		env.Clock.Advance(time.Second)
	}
	benTok, benID := createToken(t, ben, "Ben's", "read-only", 30)
	page := anna.Do("GET", "/api/v1/me/tokens?page=1&perPage=2", nil).Must(t, 200).JSON()
	items := page["items"].([]any)
	if page["total"] != float64(3) || len(items) != 2 || items[0].(map[string]any)["name"] != "Three" {
		t.Errorf("page 1: %v", page)
	}
	page = anna.Do("GET", "/api/v1/me/tokens?page=2&perPage=2", nil).Must(t, 200).JSON()
	if items := page["items"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "One" {
		t.Errorf("page 2: %v", page)
	}
	// Someone else's token is not found, like one that does not exist, and stays alive.
	anna.Do("DELETE", "/api/v1/me/tokens/"+benID, nil).Must(t, 404)
	anna.Do("DELETE", "/api/v1/me/tokens/"+store.NewID(), nil).Must(t, 404)
	tokenClient(env, benTok).Do("GET", "/api/v1/me", nil).Must(t, 200)
	anna.Do("DELETE", "/api/v1/me/tokens/"+ids[1], nil).Must(t, 204)
	anna.Do("DELETE", "/api/v1/me/tokens/"+ids[1], nil).Must(t, 404)
	if total := anna.Do("GET", "/api/v1/me/tokens", nil).JSON()["total"]; total != float64(2) {
		t.Errorf("after revoking one: total %v", total)
	}
	// A revoked token's name may be used again.
	createToken(t, anna, "Two", "read-write", 30)
	// Revoked and expired tokens go a month after.
	env.Clock.Advance(62 * 24 * time.Hour)
	err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		n, err := tx.DeleteStaleAPITokens(context.Background(), 30*24*time.Hour)
		if n != 5 {
			t.Errorf("clean-up removed %d tokens, want 5", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
