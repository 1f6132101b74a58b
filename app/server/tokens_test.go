package server_test

import (
	"net/http"
	"regexp"
	"testing"

	"annex/app/apptest"
	"annex/app/auth"
)

// mustRefuseTokens are operations no API token may reach, whatever else changes: the
// document must keep them marked (security without the bearer scheme).
var mustRefuseTokens = []string{"login", "logout", "confirmPassword", "changePassword", "listMyTokens", "createMyToken",
	"revokeMyToken", "updateSMTP", "testSMTP", "uploadLicence", "setUserAdmin", "moveToIntranet", "getBackup",
	"downloadBackup"}

// accountSecurity are the paths of sign-in, passwords, tokens, sessions, e-mail change
// and two-factor authentication: an operation added under them later must be marked too.
var accountSecurity = regexp.MustCompile(`^/api/v1/(auth/|me/(password|tokens|sessions|email|2fa|totp|two-factor|recovery))`)

func scriptClient(env *apptest.Env, tok string) *apptest.Client {
	c := env.Client()
	delete(c.Headers, "X-Annex-Client")
	c.Headers["Authorization"] = "Bearer " + tok
	return c
}

// Every operation of the document, tried with an administrator's API tokens: those whose
// security does not list the bearer scheme refuse it with token_not_allowed, before
// anything else; every other one takes it (it is never refused for being a token), and a
// read-only token is refused on everything but GET.
func TestEveryOperationTakesOrRefusesTokensAsItsSecuritySays(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	mint := func(name, scope string) string {
		res := admin.Do("POST", "/api/v1/me/tokens", map[string]any{"name": name, "scope": scope, "expiresInDays": 30}).Must(t, 201)
		return res.JSON()["token"].(string)
	}
	rw, ro := scriptClient(env, mint("Walk", "read-write")), scriptClient(env, mint("Walk, read-only", "read-only"))
	marked := map[string]bool{}
	for _, o := range operations(env) {
		path := concrete(o.path)
		allowed := auth.TokensAllowed(o.op)
		if !allowed {
			marked[o.op.OperationID] = true
		} else if accountSecurity.MatchString(o.path) {
			t.Errorf("%s %s (%s) is about sign-in or account security but takes tokens", o.method, o.path, o.op.OperationID)
		}
		for _, tc := range []struct {
			name string
			c    *apptest.Client
			ro   bool
		}{{"read-write", rw, false}, {"read-only", ro, true}} {
			res := tc.c.Do(o.method, path, map[string]any{})
			switch {
			case res.Status >= 500:
				t.Errorf("%s %s with a %s token: %d %s", o.method, o.path, tc.name, res.Status, res.Body)
			case !allowed:
				if res.Status != http.StatusForbidden || res.Code() != "token_not_allowed" {
					t.Errorf("%s %s (marked) with a %s token: %d %s, want 403 token_not_allowed", o.method, o.path, tc.name, res.Status, res.Body)
				}
			case res.Code() == "token_not_allowed" || res.Status == http.StatusUnauthorized:
				t.Errorf("%s %s (open to tokens) with a %s token: %d %s", o.method, o.path, tc.name, res.Status, res.Body)
			case tc.ro && o.method != "GET" && (res.Status != http.StatusForbidden || res.Code() != "token_read_only"):
				t.Errorf("%s %s with a read-only token: %d %s, want 403 token_read_only", o.method, o.path, res.Status, res.Body)
			case tc.ro && o.method == "GET" && res.Code() == "token_read_only":
				t.Errorf("%s %s: a read is refused to a read-only token", o.method, o.path)
			}
		}
	}
	for _, id := range mustRefuseTokens {
		if !marked[id] {
			t.Errorf("operation %s takes API tokens: it must be marked auth.SessionOnly", id)
		}
	}
	// The tokens survived the walk (nothing signed them out or revoked them).
	rw.Do("GET", "/api/v1/me", nil).Must(t, 200)
	ro.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

// The document declares the bearer scheme beside the cookie, and every signed-in
// operation lists one or both.
func TestTheDocumentDeclaresTheBearerScheme(t *testing.T) {
	env := apptest.New(t)
	doc := env.Server.API().OpenAPI()
	b := doc.Components.SecuritySchemes["bearer"]
	if b == nil || b.Type != "http" || b.Scheme != "bearer" || b.Description == "" {
		t.Fatalf("bearer scheme: %+v", b)
	}
	if s := doc.Components.SecuritySchemes["session"]; s == nil || s.In != "cookie" {
		t.Fatalf("session scheme: %+v", s)
	}
	both := 0
	for _, req := range doc.Security {
		if _, ok := req["bearer"]; ok {
			both++
		}
		if _, ok := req["session"]; ok {
			both++
		}
	}
	if both != 2 {
		t.Errorf("the document's default security %v does not list both schemes", doc.Security)
	}
	for _, o := range operations(env) {
		for _, req := range o.op.Security {
			for name := range req {
				if doc.Components.SecuritySchemes[name] == nil {
					t.Errorf("%s lists an undeclared scheme %q", o.op.OperationID, name)
				}
			}
		}
	}
}
