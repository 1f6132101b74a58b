package invites_test

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

// join adds an employee to the world's extranet group as an active member with a role.
func (w *world) join(t *testing.T, email, role string) (store.User, *apptest.Client) {
	u := w.env.CreateUser(email, pw, store.KindEmployee, false)
	w.anna.Do("POST", "/api/v1/groups/"+w.client+"/members", map[string]any{"userId": u.ID}).Must(t, 201)
	c := w.env.SignIn(email, pw)
	c.Do("POST", "/api/v1/groups/"+w.client+"/join", nil).Must(t, 200)
	if role != store.RoleMember {
		w.anna.Do("PUT", "/api/v1/groups/"+w.client+"/members/"+u.ID+"/role", map[string]any{"role": role}).Must(t, 200)
	}
	return u, c
}

func (w *world) inviteOne(t *testing.T, c *apptest.Client, email string) string {
	t.Helper()
	r := w.invite(c, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{{"email": email}}})[0]
	if r["invited"] != true {
		t.Fatalf("invite %s: %v", email, r)
	}
	return r["invitation"].(map[string]any)["id"].(string)
}

func total(t *testing.T, c *apptest.Client, query string) float64 {
	t.Helper()
	return c.Do("GET", "/api/v1/invitations"+query, nil).Must(t, 200).JSON()["total"].(float64)
}

// Issue 14, bugs 1 and 4: what an inviter sees of, and may do with, an invitation
// follows the right to invite into its group now; a filter by a group she can no longer
// see answers like one by an unknown id; the group's managers hold it instead.
func TestAnInviterWhoLosesTheRightLosesTheInvitation(t *testing.T) {
	w := newWorld(t)
	policy := func(p string) {
		w.anna.Do("PATCH", "/api/v1/groups/"+w.client, map[string]any{"settings": map[string]any{
			"tools": []string{"feed"}, "invitePolicy": p, "externalTasks": "involved"}}).Must(t, 200)
	}
	policy("members")
	_, emma := w.join(t, "emma@example.com", store.RoleMember)
	id := w.inviteOne(t, emma, "xavier@client.example")
	if total(t, emma, "?groupId="+w.client) != 1 {
		t.Fatal("the inviter does not see her invitation")
	}
	// The owner narrows who may invite: the member no longer may, and no longer sees it.
	policy("moderators")
	if n := total(t, emma, "?groupId="+w.client); n != 0 {
		t.Errorf("after the policy change the former inviter sees %v invitations", n)
	}
	policy("members")
	// Removed from the group and the group renamed: nothing of it is left to her.
	emmaID := emma.Do("GET", "/api/v1/me", nil).JSON()["id"].(string)
	w.anna.Do("DELETE", "/api/v1/groups/"+w.client+"/members/"+emmaID, nil).Must(t, 204)
	w.anna.Do("PATCH", "/api/v1/groups/"+w.client, map[string]any{"name": "Renamed"}).Must(t, 200)
	unknown := emma.Do("GET", "/api/v1/invitations?groupId="+store.NewID(), nil).Must(t, 200).Body
	hidden := emma.Do("GET", "/api/v1/invitations?groupId="+w.client, nil).Must(t, 200).Body
	if string(unknown) != string(hidden) {
		t.Errorf("a filter by a group she cannot see answers %s; by an unknown one %s", hidden, unknown)
	}
	for _, action := range []string{"resend", "revoke", "link-copied"} {
		if res := emma.Do("POST", "/api/v1/invitations/"+id+"/"+action, nil); res.Status != 404 {
			t.Errorf("%s by the removed inviter: %d %s", action, res.Status, res.Body)
		}
	}
	// The owner holds it, names its inviter, and sending it again makes her its inviter.
	list := w.anna.Do("GET", "/api/v1/invitations?groupId="+w.client, nil).Must(t, 200).JSON()
	it := list["items"].([]any)[0].(map[string]any)
	if it["groupName"] != "Renamed" || it["inviter"].(map[string]any)["id"] != emmaID {
		t.Errorf("the owner's view: %v", it)
	}
	out := w.anna.Do("POST", "/api/v1/invitations/"+id+"/resend", nil).Must(t, 200).JSON()
	if out["invitation"].(map[string]any)["inviter"].(map[string]any)["name"] != "anna" {
		t.Errorf("resent by the owner: %v", out)
	}
	if m := w.smtp.To(t, "xavier@client.example", 2, 10*time.Second); !regexp.MustCompile(`anna invites you`).MatchString(m.Text()) {
		t.Errorf("the mail sent again names its new inviter:\n%s", m.Text())
	}
}

// Issue 14, bug 3 and the field rules: people named inside an invitation are shown only
// to those who may see them, and the accepting address only to administrators.
func TestPeopleInsideInvitationsFollowTheFence(t *testing.T) {
	w := newWorld(t)
	emmaUser, emma := w.join(t, "emma@example.com", store.RoleModerator)
	w.inviteOne(t, emma, "dora@client.example")
	dora := w.env.Client()
	me := dora.Do("POST", "/api/v1/invite/register", map[string]any{"token": w.mailed("dora@client.example", 1),
		"name": "Dora", "password": pw}).Must(t, 200).JSON()["me"].(map[string]any)
	acceptedBy := func(c *apptest.Client) any {
		it := c.Do("GET", "/api/v1/invitations?groupId="+w.client, nil).Must(t, 200).JSON()["items"].([]any)[0].(map[string]any)
		if it["acceptedFrom"] != "" {
			t.Errorf("a non-administrator sees the accepting address: %v", it)
		}
		return it["acceptedBy"]
	}
	if by, _ := acceptedBy(emma).(map[string]any); by["id"] != me["id"] {
		t.Errorf("the inviter does not see who accepted: %v", by)
	}
	// Dora is removed: nobody left in the group shares one with her, so she is hidden.
	w.anna.Do("DELETE", "/api/v1/groups/"+w.client+"/members/"+me["id"].(string), nil).Must(t, 204)
	emma.Do("GET", "/api/v1/people/"+me["id"].(string), nil).Must(t, 404)
	if by := acceptedBy(emma); by != nil {
		t.Errorf("a hidden person is named as the acceptor: %v", by)
	}
	body := string(emma.Do("GET", "/api/v1/invitations", nil).Body)
	if regexp.MustCompile(regexp.QuoteMeta(me["id"].(string))).MatchString(body) {
		t.Errorf("the hidden acceptor's id is in the list: %s", body)
	}
	// The inviter is deactivated and removed: hidden from the owner, who still holds the
	// invitation, shown as "Hidden user" (no inviter in the answer).
	w.inviteOne(t, emma, "later@client.example")
	w.anna.Do("DELETE", "/api/v1/groups/"+w.client+"/members/"+emmaUser.ID, nil).Must(t, 204)
	w.admin.Do("POST", "/api/v1/admin/users/"+emmaUser.ID+"/deactivate", nil).Must(t, 200)
	items := w.anna.Do("GET", "/api/v1/invitations?state=pending", nil).Must(t, 200).JSON()["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["inviter"] != nil || items[0].(map[string]any)["problem"] != "inviter_inactive" {
		t.Errorf("an invitation by a hidden, deactivated inviter: %v", items)
	}
}

// Issue 14, bugs 4 and 6: a link works only while its inviter's account is active, its
// group not archived and, for an external user, the extranet on; a link that does not
// work says what happened and whom to ask, and nothing of the group.
func TestALinkFollowsItsInviterItsGroupAndTheExtranet(t *testing.T) {
	w := newWorld(t)
	emmaUser, emma := w.join(t, "emma@example.com", store.RoleModerator)
	w.inviteOne(t, emma, "xavier@client.example")
	w.invite(emma, w.client, map[string]any{"kind": "external", "message": "Secret plans",
		"invitees": []map[string]any{{"email": "yves@client.example"}}})
	tok := w.mailed("xavier@client.example", 1)
	guest := w.env.Client()
	lookup := func(wantProblem string) map[string]any {
		t.Helper()
		v := guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": tok}).Must(t, 200).JSON()
		if v["problem"] != wantProblem {
			t.Errorf("lookup: problem %q, want %q: %v", v["problem"], wantProblem, v)
		}
		if wantProblem != "" && (v["groupName"] != "" || v["groupId"] != "" || v["message"] != "" || v["email"] != "") {
			t.Errorf("a link that does not work tells of the group: %v", v)
		}
		return v
	}
	register := func(wantCode string) {
		t.Helper()
		res := guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "X", "password": pw})
		if res.Code() != wantCode {
			t.Errorf("register: %s, want %s", res.Body, wantCode)
		}
	}
	lookup("")
	w.admin.Do("POST", "/api/v1/admin/users/"+emmaUser.ID+"/deactivate", nil).Must(t, 200)
	if v := lookup("inviter_inactive"); v["inviterName"] != "" {
		t.Errorf("a deactivated inviter is named as whom to ask: %v", v)
	}
	register("invitation_inviter_inactive_ask_admin")
	w.admin.Do("POST", "/api/v1/admin/users/"+emmaUser.ID+"/reactivate", nil).Must(t, 200)
	w.anna.Do("PATCH", "/api/v1/groups/"+w.client, map[string]any{"archived": true}).Must(t, 200)
	if v := lookup("group_archived"); v["inviterName"] != "emma" {
		t.Errorf("whom to ask: %v", v)
	}
	register("invitation_group_archived")
	w.anna.Do("PATCH", "/api/v1/groups/"+w.client, map[string]any{"archived": false}).Must(t, 200)
	w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"extranetEnabled": false}).Must(t, 200)
	lookup("extranet_off")
	register("invitation_extranet_off")
	w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"extranetEnabled": true}).Must(t, 200)
	lookup("")
	// A revoked link: what happened and whom to ask, nothing of the group or the note.
	yves := w.mailed("yves@client.example", 1)
	items := w.anna.Do("GET", "/api/v1/invitations?state=pending", nil).Must(t, 200).JSON()["items"].([]any)
	for _, it := range items {
		if it.(map[string]any)["email"] == "yves@client.example" {
			w.anna.Do("POST", "/api/v1/invitations/"+it.(map[string]any)["id"].(string)+"/revoke", nil).Must(t, 200)
		}
	}
	v := guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": yves}).Must(t, 200).JSON()
	if v["state"] != "revoked" || v["inviterName"] != "emma" || v["groupName"] != "" || v["groupId"] != "" || v["message"] != "" {
		t.Errorf("a revoked link: %v", v)
	}
	// Once all is well again the first link works.
	register("")
}

// Issue 14, bug 5: a non-administrator's whole round trip (invite, list, send again,
// revoke) answers the same for an address with an account and one without, and never
// carries a link.
func TestANonAdministratorsRoundTripRevealsNoAccount(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("known@client.example", pw, store.KindExternal, false)
	volatile := regexp.MustCompile(`"(id|createdAt|sentAt|expiresAt|closedAt)":"[^"]*"|known@client\.example|unknown@client\.example`)
	shape := func(b []byte) string { return volatile.ReplaceAllString(string(b), "…") }
	trip := func(email string) []string {
		var out []string
		res := w.anna.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external",
			"invitees": []map[string]any{{"email": email}}}).Must(t, 200)
		out = append(out, shape(res.Body))
		var batch struct {
			Results []struct {
				Invitation struct{ ID string } `json:"invitation"`
			} `json:"results"`
		}
		if err := json.Unmarshal(res.Body, &batch); err != nil {
			t.Fatal(err)
		}
		id := batch.Results[0].Invitation.ID
		out = append(out, shape(w.anna.Do("GET", "/api/v1/invitations?state=pending&groupId="+w.client, nil).Must(t, 200).Body))
		out = append(out, shape(w.anna.Do("POST", "/api/v1/invitations/"+id+"/resend", nil).Must(t, 200).Body))
		out = append(out, shape(w.anna.Do("POST", "/api/v1/invitations/"+id+"/link-copied", nil).Body))
		out = append(out, shape(w.anna.Do("POST", "/api/v1/invitations/"+id+"/revoke", nil).Must(t, 200).Body))
		return out
	}
	known, unknown := trip("known@client.example"), trip("unknown@client.example")
	for i := range known {
		if known[i] != unknown[i] {
			t.Errorf("step %d differs:\n%s\n%s", i, known[i], unknown[i])
		}
		if regexp.MustCompile(`invite#token=`).MatchString(known[i]) {
			t.Errorf("step %d gives a non-administrator a link: %s", i, known[i])
		}
	}
}
