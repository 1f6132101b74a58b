package server_test

import (
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// A signed-in person refused an object leaves a security row naming the id tried, the
// same for a hidden object as for a missing one; a cross-site change leaves one too,
// with its origin. Gates that only say "finish signing in" leave none.
func TestRefusalsAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	const pw = "correct horse battery staple"
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("ben@example.com", pw, store.KindEmployee, false)
	ben := env.SignIn("ben@example.com", pw)
	secret := ben.Do("POST", "/api/v1/groups", map[string]any{"name": "Board", "kind": "internal", "visibility": "secret"}).
		Must(t, 201).JSON()["id"].(string)
	c := env.SignIn("anna@example.com", pw)

	c.Do("GET", "/api/v1/groups/"+secret, nil).Must(t, 404)
	c.Do("GET", "/api/v1/groups/aaaaaaaaaaaaaaaa", nil).Must(t, 404)
	c.Do("GET", "/api/v1/admin/licence", nil).Must(t, 403)
	c.Do("GET", "/api/v1/groups", nil).Must(t, 200)
	rows, _ := admin.Activity(t, "action="+audit.AccessRefused+"&person="+anna.ID)
	if len(rows) != 3 {
		t.Fatalf("rows of refusals: %+v", rows)
	}
	admins, missing, hidden := rows[0], rows[1], rows[2]
	if hidden.Object.ID != secret || hidden.Object.Label != "GET /api/v1/groups/:id" || hidden.Details["status"] != "404" ||
		hidden.Actor.ID != anna.ID || missing.Object.ID != "aaaaaaaaaaaaaaaa" || missing.Details["code"] != "not_found" {
		t.Errorf("refused groups: %+v / %+v", hidden, missing)
	}
	if admins.Object.Type != "" || admins.Details["route"] != "GET /api/v1/admin/licence" || admins.Details["code"] != "admin_only" {
		t.Errorf("refused admin list: %+v", admins)
	}

	c.Do("PATCH", "/api/v1/me", map[string]any{"phone": "1"}, "Origin", "https://evil.example").Must(t, 403)
	rows, _ = admin.Activity(t, "action="+audit.CrossSiteRefused)
	if len(rows) != 1 || rows[0].Actor.Kind != store.ActorAnonymous || rows[0].Details["origin"] != "https://evil.example" ||
		rows[0].Details["route"] != "PATCH /api/v1/me" {
		t.Errorf("cross-site rows: %+v", rows)
	}

	// A person who must replace a temporary password is held back on every call: no rows.
	tmp := admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Cleo", "email": "cleo@example.com"}).
		Must(t, 201).JSON()["temporaryPassword"].(string)
	cleo := env.SignIn("cleo@example.com", tmp)
	_, before := admin.Activity(t, "action="+audit.AccessRefused)
	if res := cleo.Do("GET", "/api/v1/groups", nil); res.Code() != "password_change_required" {
		t.Fatalf("temporary password: %s", res.Body)
	}
	if _, after := admin.Activity(t, "action="+audit.AccessRefused); after != before {
		t.Errorf("a gate's refusal was logged: %d → %d", before, after)
	}
}

// A scanner is bounded: at most 20 rows a minute per person, and the first row after
// the minute says how many were left out.
func TestRefusalRowsAreBoundedPerMinute(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	const pw = "correct horse battery staple"
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	for range 25 {
		c.Do("GET", "/api/v1/groups/aaaaaaaaaaaaaaaa", nil).Must(t, 404)
	}
	if _, n := admin.Activity(t, "action="+audit.AccessRefused+"&person="+anna.ID); n != 20 {
		t.Fatalf("rows after 25 refusals in a minute: %d", n)
	}
	env.Clock.Advance(time.Minute)
	c.Do("GET", "/api/v1/groups/bbbbbbbbbbbbbbbb", nil).Must(t, 404)
	rows, n := admin.Activity(t, "action="+audit.AccessRefused+"&person="+anna.ID)
	if n != 21 || rows[0].Object.ID != "bbbbbbbbbbbbbbbb" || rows[0].Details["suppressed"] != "5" {
		t.Errorf("after the minute: %d rows, newest %+v", n, rows[0])
	}
}
