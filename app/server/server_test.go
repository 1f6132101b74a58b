package server_test

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apptest"
	"annex/embed"
)

// docRoutes are the only /api routes that are not operations of the document.
var docRoutes = map[string]bool{
	"GET /api/v1/openapi.json":  true,
	"GET /api/v1/schemas/:name": true,
	"GET /api/v1/docs":          true,
}

type operation struct {
	method, path string
	op           *huma.Operation
}

func operations(env *apptest.Env) []operation {
	var ops []operation
	for path, item := range env.Server.API().OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put,
			"PATCH": item.Patch, "DELETE": item.Delete} {
			if op != nil {
				ops = append(ops, operation{method, "/api/v1" + path, op})
			}
		}
	}
	return ops
}

var param = regexp.MustCompile(`\{[^}]+\}`)

// concrete fills path parameters with an id that exists nowhere.
func concrete(path string) string { return param.ReplaceAllString(path, "aaaaaaaaaaaaaaaa") }

// The document is the one route registry: every /api route the engine serves is in it,
// and everything in it is served.
func TestDocumentListsEveryAPIRoute(t *testing.T) {
	env := apptest.New(t)
	inDoc := map[string]bool{}
	for _, o := range operations(env) {
		inDoc[o.method+" "+param.ReplaceAllStringFunc(o.path, func(s string) string { return ":" + s[1:len(s)-1] })] = true
	}
	served := map[string]bool{}
	for _, r := range env.Server.Engine().Routes() {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		key := r.Method + " " + r.Path
		served[key] = true
		if !inDoc[key] && !docRoutes[key] {
			t.Errorf("%s is served but missing from the OpenAPI document", key)
		}
	}
	for key := range inDoc {
		if !served[key] {
			t.Errorf("%s is in the document but not served", key)
		}
	}
	for key := range docRoutes {
		if !served[key] {
			t.Errorf("documentation route %s is not served", key)
		}
	}
	if len(inDoc) < 10 {
		t.Fatalf("only %d operations found: the walk is broken", len(inDoc))
	}
}

// Every operation not marked anonymous (security: []) refuses an anonymous request.
func TestEveryOperationNeedsSignInUnlessMarkedAnonymous(t *testing.T) {
	env := apptest.New(t)
	c := env.Client()
	anonymous := 0
	for _, o := range operations(env) {
		if o.op.Security != nil && len(o.op.Security) == 0 {
			anonymous++
			continue
		}
		res := c.Do(o.method, concrete(o.path), map[string]any{})
		if res.Status != http.StatusUnauthorized || res.Code() != "unauthenticated" {
			t.Errorf("%s %s as anonymous: %d %s, want 401 unauthenticated", o.method, o.path, res.Status, res.Body)
		}
	}
	if anonymous == 0 {
		t.Fatal("no anonymous operation found: the document lost its security marks")
	}
}

// Every non-safe operation refuses a cross-site request and one without the client
// header, before anything else happens.
func TestEveryNonSafeOperationRefusesCrossSiteRequests(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	for _, o := range operations(env) {
		if o.method == "GET" {
			continue
		}
		path := concrete(o.path)
		for _, tc := range []struct {
			name    string
			headers []string
			code    string
		}{
			{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, "cross_site"},
			{"foreign origin", []string{"Origin", "https://evil.example"}, "cross_site"},
			{"no client header", []string{"X-Annex-Client", ""}, "client_header_missing"},
		} {
			res := admin.Do(o.method, path, map[string]any{}, tc.headers...)
			if res.Status != http.StatusForbidden || res.Code() != tc.code {
				t.Errorf("%s %s, %s: %d %s, want 403 %s", o.method, o.path, tc.name, res.Status, res.Body, tc.code)
			}
		}
	}
	// A bearer header does not excuse a cookie-carrying request from the client header.
	res := admin.Do("PATCH", "/api/v1/me", map[string]any{"locale": "ru"}, "Authorization", "Bearer x", "X-Annex-Client", "")
	if res.Status != http.StatusForbidden || res.Code() != "client_header_missing" {
		t.Errorf("cookie plus bearer without the client header: %d %s", res.Status, res.Body)
	}
	// The session survived all of that: nothing was logged out or changed.
	admin.Do("GET", "/api/v1/me", nil).Must(t, 200)
}

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	env := apptest.New(t)
	c := env.Client()
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/v1/bootstrap"},
		{"GET", "/api/v1/me"},              // 401 problem
		{"GET", "/api/v1/nothing-here"},    // unknown API route
		{"POST", "/api/v1/auth/login"},     // validation problem
		{"DELETE", "/api/v1/auth/login"},   // wrong method
		{"GET", "/api/v1/openapi.json"},    // document
		{"GET", "/api/v1/docs"},            // docs page
		{"GET", "/"},                       // SPA
		{"GET", "/groups/anything"},        // SPA fallback
		{"GET", "/assets/app-abc1.js"},     // hashed asset
		{"GET", "/assets/missing-zzz1.js"}, // missing asset
		{"GET", "/healthz"},
		{"GET", "/readyz"},
	} {
		res := c.Do(tc.method, tc.path, nil)
		h := res.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s %s (%d): missing security headers: %v", tc.method, tc.path, res.Status, h)
		}
		if strings.HasPrefix(tc.path, "/api/") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control %q, want no-store", tc.method, tc.path, h.Get("Cache-Control"))
		}
		if res.Status >= 500 {
			t.Errorf("%s %s: %d", tc.method, tc.path, res.Status)
		}
		if strings.HasPrefix(tc.path, "/api/") && res.Status >= 400 &&
			h.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: error with Content-Type %q", tc.method, tc.path, h.Get("Content-Type"))
		}
	}
	if h := c.Do("GET", "/healthz", nil).Header; h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS must not be sent without an https base URL")
	}
}

func TestHSTSWithHTTPSBaseURL(t *testing.T) {
	base := "https://intranet.example.com"
	env := apptest.New(t, apptest.Options{Config: func(c *configT) { c.Settings.BaseURL = &base }})
	if h := env.Client().Do("GET", "/", nil).Header; !strings.Contains(h.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS with an https base URL: %v", h)
	}
}

func TestSPAServing(t *testing.T) {
	env := apptest.New(t)
	c := env.Client()
	index := c.Do("GET", "/setup", nil).Must(t, 200)
	if !strings.Contains(string(index.Body), "id=app") || index.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("history fallback: %s %v", index.Body, index.Header)
	}
	asset := c.Do("GET", "/assets/app-abc1.js", nil, "Accept-Encoding", "gzip").Must(t, 200)
	if !strings.Contains(asset.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset cache: %v", asset.Header)
	}
	if asset.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("text asset not compressed: %v", asset.Header)
	}
	c.Do("GET", "/assets/app-abc1.js", nil, "If-None-Match", asset.Header.Get("ETag")).Must(t, 304)
	c.Do("GET", "/assets/missing-zzz1.js", nil).Must(t, 404)
	docs := c.Do("GET", "/api/v1/docs", nil).Must(t, 200)
	if !strings.Contains(string(docs.Body), "<div id=app>") {
		t.Errorf("docs page: %s", docs.Body)
	}
}

func TestErrorsAreTranslatedProblems(t *testing.T) {
	env := apptest.New(t)
	c := env.Client()
	res := c.Do("POST", "/api/v1/auth/login", `{"email": 5`, "Accept-Language", "ru").Must(t, 400)
	if res.Code() != "malformed_body" || !strings.Contains(res.JSON()["detail"].(string), "корректным JSON") {
		t.Errorf("malformed JSON: %s", res.Body)
	}
	res = c.Do("POST", "/api/v1/auth/login", map[string]any{"email": strings.Repeat("a", 300), "password": "x"}).Must(t, 422)
	if res.FieldCodes()["body.email"] != "too_long" {
		t.Errorf("framework validation not mapped: %s", res.Body)
	}
	res = c.Do("POST", "/api/v1/auth/login", map[string]any{"email": "a@b.c", "password": "x", "extra": 1}).Must(t, 422)
	if res.FieldCodes()["body.extra"] != "unknown_field" {
		t.Errorf("unknown field: %s", res.Body)
	}
	res = c.Do("POST", "/api/v1/auth/login", `{"email":"a@b.c","password":"`+strings.Repeat("x", 2<<20)+`"}`)
	if res.Status != http.StatusRequestEntityTooLarge || res.Code() != "payload_too_large" {
		t.Errorf("oversized body: %d %s", res.Status, res.Body)
	}
	res = c.Do("POST", "/api/v1/auth/login", "email=a", "Content-Type", "application/x-www-form-urlencoded")
	if res.Status/100 != 4 {
		t.Errorf("form body: %d %s", res.Status, res.Body)
	}
}

// A page number so large that page × perPage overflows used to wrap the offset round
// and answer page 1 of every list. Every list operation (any with a page parameter, so
// a new list is covered the day it is added) bounds it in the schema.
func TestEveryListBoundsItsPage(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	lists := 0
	for _, o := range operations(env) {
		var page *huma.Param
		for _, p := range o.op.Parameters {
			if p.In == "query" && p.Name == "page" {
				page = p
			}
		}
		if page == nil {
			continue
		}
		lists++
		if page.Schema == nil || page.Schema.Maximum == nil || *page.Schema.Maximum > 1e6 {
			t.Errorf("%s %s: page has no small maximum", o.method, o.path)
		}
		res := admin.Do(o.method, concrete(o.path)+"?page=1152921504606846977&perPage=16", nil)
		if res.Status != 422 || res.FieldCodes()["query.page"] == "" {
			t.Errorf("%s %s with an overflowing page: %d %s, want 422 on query.page", o.method, o.path, res.Status, res.Body)
		}
		if res := admin.Do(o.method, concrete(o.path)+"?page=100000&perPage=100", nil); res.Status >= 500 ||
			res.Status == 200 && len(res.JSON()["items"].([]any)) != 0 {
			t.Errorf("%s %s at the last allowed page: %d %s, want an empty page", o.method, o.path, res.Status, res.Body)
		}
	}
	if lists < 5 {
		t.Errorf("only %d list operations found", lists)
	}
}

// The real build: text assets are embedded gzipped and sent as stored to a client that
// takes gzip; a client that does not gets the same bytes the build produced, under
// another tag; every asset the page names is there.
func TestTheBuiltSPAIsServedAsStored(t *testing.T) {
	env := apptest.New(t, apptest.Options{SPA: embed.Dist()})
	c := env.Client()
	zipped := 0
	err := fs.WalkDir(embed.Dist(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		stored, err := fs.ReadFile(embed.Dist(), p)
		if err != nil {
			return err
		}
		name, isGz := strings.CutSuffix(p, ".gz")
		if !isGz && len(stored) > 4096 && regexp.MustCompile(`\.(js|css)$`).MatchString(p) {
			t.Errorf("%s: %d bytes of text embedded uncompressed", p, len(stored))
		}
		res := c.Do("GET", "/"+name, nil, "Accept-Encoding", "gzip, deflate, br").Must(t, 200)
		if !bytes.Equal(res.Body, stored) || (res.Header.Get("Content-Encoding") == "gzip") != isGz {
			t.Errorf("%s: not sent as stored (%d bytes, encoding %q)", p, len(res.Body), res.Header.Get("Content-Encoding"))
		}
		if !isGz {
			return nil
		}
		zipped++
		zr, err := gzip.NewReader(bytes.NewReader(stored))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		want, err := io.ReadAll(zr)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		plain := c.Do("GET", "/"+name, nil, "Accept-Encoding", "identity").Must(t, 200)
		if !bytes.Equal(plain.Body, want) || plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: a client without gzip got %d bytes (encoding %q), want %d plain", p, len(plain.Body),
				plain.Header.Get("Content-Encoding"), len(want))
		}
		if plain.Header.Get("ETag") == res.Header.Get("ETag") {
			t.Errorf("%s: both encodings carry the tag %s", p, res.Header.Get("ETag"))
		}
		c.Do("GET", "/"+name, nil, "Accept-Encoding", "identity", "If-None-Match", plain.Header.Get("ETag")).Must(t, 304)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if zipped == 0 {
		t.Error("no asset of the build is stored gzipped")
	}
	index := c.Do("GET", "/", nil).Must(t, 200)
	refs := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(string(index.Body), -1)
	if len(refs) == 0 {
		t.Fatalf("the page names no assets: %s", index.Body)
	}
	for _, m := range refs {
		c.Do("GET", m[1], nil).Must(t, 200)
	}
}

// twoFactorIncompleteAllowed are the only operations a person who must enrol in
// two-factor, and has not, may use (besides the anonymous ones): what the enrolment page
// needs. Written here independently of the marks the server reads.
var twoFactorIncompleteAllowed = map[string]bool{
	"getMe": true, "logout": true, "startTwoFactorEnrolment": true, "confirmTwoFactorEnrolment": true,
}

// Every operation of the document refuses a 2FA-incomplete actor with 2fa_required,
// except exactly the allowed ones and the anonymous ones; for an external user and for
// an administrator.
func TestEveryOperationHoldsBackATwoFactorIncompleteActor(t *testing.T) {
	env := apptest.New(t, apptest.Options{TwoFactorPolicy: true})
	admin := env.Setup() // the first administrator, who must enrol and has not
	env.CreateUser("ext@client.example", "correct horse battery staple", "external", false)
	ext := env.SignIn("ext@client.example", "correct horse battery staple")
	ops := operations(env)
	// Sign-out last: it ends the session the walk runs on.
	slices.SortFunc(ops, func(a, b operation) int {
		return cmp.Compare(boolInt(a.op.OperationID == "logout"), boolInt(b.op.OperationID == "logout"))
	})
	for name, c := range map[string]*apptest.Client{"administrator": admin, "external user": ext} {
		passed := map[string]bool{}
		for _, o := range ops {
			res := c.Do(o.method, concrete(o.path), map[string]any{})
			if res.Status >= 500 {
				t.Errorf("%s, %s %s: %d %s", name, o.method, o.path, res.Status, res.Body)
			}
			if res.Status == http.StatusForbidden && res.Code() == "2fa_required" {
				continue
			}
			passed[o.op.OperationID] = true
			public := o.op.Security != nil && len(o.op.Security) == 0
			if !public && !twoFactorIncompleteAllowed[o.op.OperationID] {
				t.Errorf("%s without two-factor passed %s %s: %d %s", name, o.method, o.path, res.Status, res.Body)
			}
		}
		for id := range twoFactorIncompleteAllowed {
			if !passed[id] {
				t.Errorf("%s without two-factor was refused %s, which enrolment needs", name, id)
			}
		}
	}
	if len(ops) < 30 {
		t.Fatalf("only %d operations walked", len(ops))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
