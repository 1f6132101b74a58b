package groups_test

import (
	"testing"

	"annex/app/apptest"
	"annex/store"
)

func TestTopicsAreManagedByAdministrators(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("guest@example.com", pw, store.KindExternal, false)
	sales := admin.Do("POST", "/api/v1/admin/topics", map[string]any{"name": "  Sales "}).Must(t, 201).JSON()["id"].(string)
	admin.Do("POST", "/api/v1/admin/topics", map[string]any{"name": "Projects"}).Must(t, 201)
	if res := admin.Do("POST", "/api/v1/admin/topics", map[string]any{"name": "sales"}).Must(t, 422); res.FieldCodes()["body.name"] != "topic_taken" {
		t.Errorf("a second Sales: %s", res.Body)
	}
	anna := env.SignIn("anna@example.com", pw)
	anna.Do("POST", "/api/v1/admin/topics", map[string]any{"name": "Mine"}).Must(t, 403)

	// Groups are filed under a topic, and filtered by it.
	g := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Deals", "kind": "internal", "topicId": sales}).Must(t, 201).JSON()
	if g["topicId"] != sales || g["topicName"] != "Sales" {
		t.Errorf("group with a topic: %v", g)
	}
	anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Canteen", "kind": "internal"}).Must(t, 201)
	secret := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Hush", "kind": "internal", "visibility": "secret", "topicId": sales}).Must(t, 201).JSON()
	if res := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "X", "kind": "internal", "topicId": "nosuchtopic"}).Must(t, 422); res.FieldCodes()["body.topicId"] != "topic_unknown" {
		t.Errorf("unknown topic: %s", res.Body)
	}
	if page := anna.Do("GET", "/api/v1/groups?topic="+sales, nil).Must(t, 200).JSON(); page["total"] != float64(1) {
		t.Errorf("filter by topic: %v", page)
	}
	// Counts cover only the groups the person may see: Anna does not learn of the secret one.
	for _, tc := range []struct {
		c    *apptest.Client
		want float64
	}{{anna, 1}, {admin, 2}} {
		items := tc.c.Do("GET", "/api/v1/topics", nil).Must(t, 200).JSON()["items"].([]any)
		first := items[1].(map[string]any) // by name: Projects, Sales
		if first["name"] != "Sales" || first["groups"] != tc.want {
			t.Errorf("topics: %v, want Sales with %v groups", items, tc.want)
		}
	}
	env.SignIn("guest@example.com", pw).Do("GET", "/api/v1/topics", nil).Must(t, 403)

	admin.Do("PATCH", "/api/v1/admin/topics/"+sales, map[string]any{"name": "Sales & deals"}).Must(t, 200)
	if g := anna.Do("GET", "/api/v1/groups/"+g["id"].(string), nil).JSON(); g["topicName"] != "Sales & deals" {
		t.Errorf("renamed topic: %v", g)
	}
	admin.Do("DELETE", "/api/v1/admin/topics/"+sales, nil).Must(t, 204)
	admin.Do("DELETE", "/api/v1/admin/topics/"+sales, nil).Must(t, 404)
	if g := admin.Do("GET", "/api/v1/groups/"+secret["id"].(string), nil).JSON(); g["topicId"] != "" {
		t.Errorf("a deleted topic stays on its group: %v", g)
	}
}

func TestGroupSettingsAndWhoMayInvite(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	mod := env.CreateUser("mod@example.com", pw, store.KindEmployee, false)
	bob := env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	carl := env.CreateUser("carl@example.com", pw, store.KindEmployee, false)
	ca := env.SignIn("anna@example.com", pw)
	g := ca.Do("POST", "/api/v1/groups", map[string]any{"name": "Team", "kind": "extranet"}).Must(t, 201).JSON()
	gid := g["id"].(string)
	s := g["settings"].(map[string]any)
	if len(s["tools"].([]any)) != 5 || s["invitePolicy"] != "moderators" || s["externalTasks"] != "involved" || g["mayInvite"] != true {
		t.Errorf("a new group's settings: %v", g)
	}
	ca.Do("POST", "/api/v1/groups/"+gid+"/members", map[string]any{"userId": mod.ID}).Must(t, 201)
	ca.Do("POST", "/api/v1/groups/"+gid+"/members", map[string]any{"userId": bob.ID}).Must(t, 201)
	cm, cb := env.SignIn("mod@example.com", pw), env.SignIn("bob@example.com", pw)
	cm.Do("POST", "/api/v1/groups/"+gid+"/join", nil).Must(t, 200)
	cb.Do("POST", "/api/v1/groups/"+gid+"/join", nil).Must(t, 200)
	ca.Do("PUT", "/api/v1/groups/"+gid+"/members/"+mod.ID+"/role", map[string]any{"role": "moderator"}).Must(t, 200)

	// Moderators may not change settings; the owner may, and only to known values.
	set := func(c *apptest.Client, policy string, status int) apptest.Response {
		return c.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"settings": map[string]any{
			"tools": []string{"chat", "tasks", "tasks"}, "invitePolicy": policy, "externalTasks": "all"}}).Must(t, status)
	}
	set(cm, "members", 403)
	set(ca, "everyone", 422)
	if res := ca.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"settings": map[string]any{
		"tools": []string{"chat", "tasks"}, "invitePolicy": "owner", "externalTasks": "all"}}).Must(t, 200).JSON(); res["settings"].(map[string]any)["tools"].([]any)[0] != "tasks" {
		t.Errorf("tools are kept in their fixed order: %v", res["settings"])
	}

	// owner only: the moderator may no longer invite.
	if res := cm.Do("POST", "/api/v1/groups/"+gid+"/members", map[string]any{"userId": carl.ID}).Must(t, 403); res.Code() != "not_allowed_to_invite" {
		t.Errorf("moderator under an owner-only policy: %s", res.Body)
	}
	if g := cm.Do("GET", "/api/v1/groups/"+gid, nil).JSON(); g["mayInvite"] != false {
		t.Errorf("mayInvite for the moderator: %v", g["mayInvite"])
	}
	// every member: a plain member invites, and is answered with the invitation.
	ca.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"settings": map[string]any{
		"tools": []string{}, "invitePolicy": "members", "externalTasks": "involved"}}).Must(t, 200)
	if m := cb.Do("POST", "/api/v1/groups/"+gid+"/members", map[string]any{"userId": carl.ID}).Must(t, 201).JSON(); m["state"] != "invited" {
		t.Errorf("a member's invitation: %v", m)
	}
}

// PRODUCT.md §1: when a group's only owner is deactivated, an administrator chooses the
// new owner, prompted on the group page.
func TestADeactivatedOwnerIsReplacedByAnAdministratorsChoice(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	bob := env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	carl := env.CreateUser("carl@example.com", pw, store.KindEmployee, false)
	ca := env.SignIn("anna@example.com", pw)
	gid := ca.Do("POST", "/api/v1/groups", map[string]any{"name": "Team", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	for _, u := range []store.User{bob, carl} {
		env.SignIn(u.Email, pw).Do("POST", "/api/v1/groups/"+gid+"/join", nil).Must(t, 200)
	}
	me := ca.Do("GET", "/api/v1/me", nil).JSON()
	admin.Do("POST", "/api/v1/admin/users/"+me["id"].(string)+"/deactivate", nil).Must(t, 200)
	admin.Do("POST", "/api/v1/admin/users/"+carl.ID+"/deactivate", nil).Must(t, 200)

	if g := admin.Do("GET", "/api/v1/groups/"+gid, nil).JSON(); g["needsOwner"] != true {
		t.Fatalf("needsOwner after the owner's deactivation: %v", g)
	}
	if page := admin.Do("GET", "/api/v1/groups?needsOwner=true", nil).JSON(); page["total"] != float64(1) {
		t.Errorf("groups needing an owner: %v", page)
	}
	if res := admin.Do("PUT", "/api/v1/groups/"+gid+"/members/"+carl.ID+"/role", map[string]any{"role": "owner"}).Must(t, 409); res.Code() != "owner_must_be_active" {
		t.Errorf("a deactivated new owner: %s", res.Body)
	}
	admin.Do("PUT", "/api/v1/groups/"+gid+"/members/"+bob.ID+"/role", map[string]any{"role": "owner"}).Must(t, 200)
	if g := admin.Do("GET", "/api/v1/groups/"+gid, nil).JSON(); g["needsOwner"] != false {
		t.Errorf("needsOwner after the hand-over: %v", g)
	}
	if g := env.SignIn("bob@example.com", pw).Do("GET", "/api/v1/groups/"+gid, nil).JSON(); g["myRole"] != "owner" {
		t.Errorf("the new owner: %v", g)
	}
}
