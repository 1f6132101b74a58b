package groups_test

import (
	"context"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// An external user opening a group or a person leaves a row, once per visit (ten
// minutes); her own profile, and employees' reading, leave none.
func TestExternalUsersOpeningThingsIsLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	ctx := context.Background()
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	guest := env.CreateUser("guest@example.com", pw, store.KindExternal, false)
	gid := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	err := env.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.PutMembership(ctx, gid, anna.ID, store.RoleModerator, store.MemberActive); err != nil {
			return err
		}
		return tx.PutMembership(ctx, gid, guest.ID, store.RoleMember, store.MemberActive)
	})
	if err != nil {
		t.Fatal(err)
	}
	c := env.SignIn("guest@example.com", pw)
	for range 3 {
		c.Do("GET", "/api/v1/groups/"+gid, nil).Must(t, 200)
		c.Do("GET", "/api/v1/people/"+anna.ID, nil).Must(t, 200)
		c.Do("GET", "/api/v1/people/"+guest.ID, nil).Must(t, 200)
	}
	a := env.SignIn("anna@example.com", pw)
	a.Do("GET", "/api/v1/groups/"+gid, nil).Must(t, 200)
	a.Do("GET", "/api/v1/people/"+guest.ID, nil).Must(t, 200)

	rows, total := admin.Activity(t, "action="+audit.GroupViewed)
	if total != 1 || rows[0].Actor.ID != guest.ID || rows[0].Object.ID != gid || rows[0].Object.Label != "Client project" {
		t.Fatalf("group opened: %d %+v", total, rows)
	}
	rows, total = admin.Activity(t, "action="+audit.PersonViewed)
	if total != 1 || rows[0].Actor.ID != guest.ID || rows[0].Object.ID != anna.ID || rows[0].Object.Label != "anna@example.com" {
		t.Fatalf("profile opened: %d %+v", total, rows)
	}
	env.Clock.Advance(10 * time.Minute)
	c.Do("GET", "/api/v1/groups/"+gid, nil).Must(t, 200)
	if _, total := admin.Activity(t, "action="+audit.GroupViewed); total != 2 {
		t.Errorf("a later visit: %d rows, want 2", total)
	}
}
