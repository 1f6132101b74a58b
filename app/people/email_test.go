package people_test

import (
	"strings"
	"testing"

	"annex/app/apptest"
)

// Accounts are known by the identity key of their address, and mail goes to the
// address as typed: anna@straße.test is not anna@strasse.test (another domain), ſam@
// is not mailed at sam@, and the full-width ＡＤＭＩＮ@ is the same person as admin@.
func TestAddressesAreComparedByKeyAndMailedAsTyped(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	add := func(email string) apptest.Response {
		return admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Someone", "email": email})
	}
	add(" Anna@Straße.test ").Must(t, 201)
	// Another domain: another person.
	add("anna@strasse.test").Must(t, 201)
	// Look-alikes of an existing address are the same identity.
	for _, dup := range []string{"ANNA@STRASSE.test", "ａｎｎａ@straße.test", "anna@xn--strae-oqa.test", "ＡＤＭＩＮ@example.com"} {
		if res := add(dup); res.Status != 422 || res.FieldCodes()["body.email"] != "email_taken" {
			t.Errorf("%s: %d %s, want email_taken", dup, res.Status, res.Body)
		}
	}
	// Signing in with a look-alike of one's address finds one's account.
	env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "ＡＤＭＩＮ@EXAMPLE.com",
		"password": apptest.AdminPassword}).Must(t, 200)

	// Invitations: the outbox row is addressed as typed, not as the key.
	g := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()
	typed := []string{"Bea@Straße.test", "ſam@client.test"}
	res := admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "external", "groupId": g["id"],
		"invitees": []map[string]any{{"email": " " + typed[0] + " "}, {"email": typed[1]}}}).Must(t, 200)
	for i, r := range res.JSON()["results"].([]any) {
		if o := r.(map[string]any); o["invited"] != true {
			t.Fatalf("invitation %d: %v", i, o)
		}
	}
	// A look-alike of an address invited in the same batch is a duplicate.
	res = admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "external", "groupId": g["id"],
		"invitees": []map[string]any{{"email": "zoe@client.test"}, {"email": "ＺＯＥ@client.test"}}}).Must(t, 200)
	if o := res.JSON()["results"].([]any)[1].(map[string]any); o["code"] != "duplicate_in_batch" {
		t.Errorf("a full-width duplicate in one batch: %v", o)
	}
	to := map[string]bool{}
	for _, m := range admin.Do("GET", "/api/v1/admin/outbox?perPage=100", nil).Must(t, 200).JSON()["items"].([]any) {
		to[m.(map[string]any)["to"].(string)] = true
	}
	for _, want := range typed {
		if !to[want] {
			t.Errorf("no mail to %q as typed; the outbox has %v", want, to)
		}
	}
	for addr := range to {
		if addr == "bea@strasse.test" || addr == "sam@client.test" || strings.Contains(addr, "strasse") {
			t.Errorf("a mail went to %q, another address than typed", addr)
		}
	}
}
