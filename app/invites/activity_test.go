package invites_test

import (
	"testing"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// Each invitation sent (one per address actually invited), resent, revoked, accepted or
// declined leaves one row, with the invitation and its group as the object; a refused
// request leaves none. An acceptance is the accepting person's, a new account's own.
func TestInvitationsAreLogged(t *testing.T) {
	w := newWorld(t)
	annaID := w.anna.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	adminID := w.admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	kim := w.env.CreateUser("kim@client.example", pw, store.KindExternal, false)
	w.env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	bob := w.env.SignIn("bob@example.com", pw)

	rs := w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{
		{"email": "gina@client.example"}, {"email": "not an address"}, {"email": "GINA@client.example"},
		{"email": "hal@client.example"}, {"email": "kim@client.example"}}})
	if len(rs) != 5 || rs[0]["invited"] != true || rs[1]["invited"] != false || rs[2]["invited"] != false ||
		rs[3]["invited"] != true || rs[4]["invited"] != true {
		t.Fatalf("batch: %v", rs)
	}
	id := func(r map[string]any) string { return r["invitation"].(map[string]any)["id"].(string) }
	gina, hal := id(rs[0]), id(rs[3])
	w.anna.Do("POST", "/api/v1/groups/"+w.staff+"/invitations", map[string]any{"kind": "external",
		"invitees": []map[string]any{{"email": "ola@client.example"}}}).Must(t, 422)
	bob.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external",
		"invitees": []map[string]any{{"email": "ola@client.example"}}}).Must(t, 404)
	ivan := w.admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "employee",
		"invitees": []map[string]any{{"email": "ivan@example.com"}}}).Must(t, 200).JSON()["results"].([]any)[0].(map[string]any)

	w.anna.Do("POST", "/api/v1/invitations/"+gina+"/resend", nil).Must(t, 200)
	w.anna.Do("POST", "/api/v1/invitations/"+gina+"/link-copied", nil).Must(t, 403) // links are for administrators
	bob.Do("POST", "/api/v1/invitations/"+hal+"/revoke", nil).Must(t, 404)
	w.anna.Do("POST", "/api/v1/invitations/"+hal+"/revoke", nil).Must(t, 200)
	w.anna.Do("POST", "/api/v1/invitations/"+hal+"/revoke", nil).Must(t, 409)
	w.anna.Do("POST", "/api/v1/invitations/"+hal+"/resend", nil).Must(t, 409)

	// Gina registers with the second link (the first no longer works); Kim, who has an
	// account, accepts signed in, after Bob was refused hers; Ivan declines.
	guest := w.env.Client()
	guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": w.mailed("gina@client.example", 1), "name": "Gina", "password": pw}).Must(t, 404)
	me := guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": w.mailed("gina@client.example", 2), "name": "Gina", "password": pw}).
		Must(t, 200).JSON()["me"].(map[string]any)
	kimTok := w.mailed("kim@client.example", 1)
	bob.Do("POST", "/api/v1/invite/accept", map[string]any{"token": kimTok}).Must(t, 409)
	w.env.SignIn("kim@client.example", pw).Do("POST", "/api/v1/invite/accept", map[string]any{"token": kimTok}).Must(t, 200)
	ivanID := ivan["invitation"].(map[string]any)["id"].(string)
	w.admin.Do("POST", "/api/v1/invitations/"+ivanID+"/link-copied", nil).Must(t, 204)
	w.env.Client().Do("POST", "/api/v1/invite/decline", map[string]any{"token": token(ivan["link"].(string))}).Must(t, 204)
	w.env.Client().Do("POST", "/api/v1/invite/decline", map[string]any{"token": token(ivan["link"].(string))}).Must(t, 409)

	rows := func(action string, want int) []apptest.ActivityRow {
		t.Helper()
		rs, total := w.admin.Activity(t, "action="+action)
		if total != want || len(rs) != want {
			t.Fatalf("%s: %d rows, want %d: %+v", action, total, want, rs)
		}
		return rs
	}
	check := func(what string, r apptest.ActivityRow, actor, object, label, group string) {
		t.Helper()
		if r.Actor.ID != actor || r.Object.Type != "invitation" || r.Object.ID != object || r.Object.Label != label ||
			r.Object.GroupID != group {
			t.Errorf("%s: %+v", what, r)
		}
	}
	sent := rows(audit.InvitationSent, 4)
	check("sent by the administrator", sent[0], adminID, ivan["invitation"].(map[string]any)["id"].(string), "ivan@example.com", "")
	check("sent to kim", sent[1], annaID, id(rs[4]), "kim@client.example", w.client)
	check("sent to hal", sent[2], annaID, hal, "hal@client.example", w.client)
	check("sent to gina", sent[3], annaID, gina, "gina@client.example", w.client)
	if d := sent[3].Details; d["kind"] != store.KindExternal || d["group"] != "Client project" {
		t.Errorf("sent details: %v", d)
	}
	if d := sent[0].Details; d["kind"] != store.KindEmployee || d["group"] != "" {
		t.Errorf("company invitation details: %v", d)
	}
	check("resent", rows(audit.InvitationResent, 1)[0], annaID, gina, "gina@client.example", w.client)
	check("revoked", rows(audit.InvitationRevoked, 1)[0], annaID, hal, "hal@client.example", w.client)
	accepted := rows(audit.InvitationAccepted, 2)
	check("accepted by kim", accepted[0], kim.ID, id(rs[4]), "kim@client.example", w.client)
	check("accepted at registration", accepted[1], me["id"].(string), gina, "gina@client.example", w.client)
	if accepted[1].Actor.Kind != store.KindExternal || accepted[1].Actor.Name != "Gina" || accepted[1].Details["account"] != "created" ||
		accepted[0].Details["account"] != "" {
		t.Errorf("acceptances: %+v", accepted)
	}
	check("link copied", rows(audit.InvitationLinkCopied, 1)[0], adminID, ivanID, "ivan@example.com", "")
	declined := rows(audit.InvitationDeclined, 1)[0]
	check("declined", declined, "", ivan["invitation"].(map[string]any)["id"].(string), "ivan@example.com", "")
	if declined.Actor.Kind != store.ActorAnonymous {
		t.Errorf("declined by: %+v", declined.Actor)
	}
	// Filtering by the group finds its invitations' rows.
	if _, total := w.admin.Activity(t, "group="+w.client+"&action=invitation."); total != 7 {
		t.Errorf("the group's invitation rows: %d, want 7", total)
	}
}
