package people_test

import (
	"image"
	"testing"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// Each accepted administrative action leaves one row naming the administrator and the
// person; a refused one, or one that changes nothing, leaves none.
func TestAdministrativeActionsAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	adminID := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	ext := env.CreateUser("guest@client.example", pw, store.KindExternal, false)

	boris := admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Boris", "email": "boris@example.com"}).
		Must(t, 201).JSON()["person"].(map[string]any)["id"].(string)
	admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Boris 2", "email": "BORIS@example.com"}).Must(t, 422)
	anna.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Carl", "email": "carl@example.com"}).Must(t, 403)

	anna.Do("POST", "/api/v1/admin/users/"+boris+"/deactivate", nil).Must(t, 403)
	admin.Do("POST", "/api/v1/admin/users/"+adminID+"/deactivate", nil).Must(t, 409)
	admin.Do("POST", "/api/v1/admin/users/"+boris+"/deactivate", nil).Must(t, 200)
	admin.Do("POST", "/api/v1/admin/users/"+boris+"/reactivate", nil).Must(t, 200)
	admin.Do("POST", "/api/v1/admin/users/"+boris+"/reactivate", nil).Must(t, 200) // already active: nothing changes

	admin.Do("PUT", "/api/v1/admin/users/"+ext.ID+"/admin", map[string]any{"admin": true}).Must(t, 409)
	admin.Do("PUT", "/api/v1/admin/users/"+boris+"/admin", map[string]any{"admin": false}).Must(t, 200) // as it was
	admin.Do("PUT", "/api/v1/admin/users/"+boris+"/admin", map[string]any{"admin": true}).Must(t, 200)
	admin.Do("POST", "/api/v1/admin/users/"+ext.ID+"/move-to-intranet", nil).Must(t, 200)
	admin.Do("POST", "/api/v1/admin/users/"+ext.ID+"/move-to-intranet", nil).Must(t, 409)

	one := func(action string) apptest.ActivityRow {
		t.Helper()
		rows, total := admin.Activity(t, "action="+action)
		if total != 1 || len(rows) != 1 {
			t.Fatalf("%s: %d rows, want 1: %+v", action, total, rows)
		}
		return rows[0]
	}
	for _, action := range []string{audit.UserAdded, audit.UserDeactivated, audit.UserReactivated} {
		r := one(action)
		if r.Actor.ID != adminID || r.Object.Type != "user" || r.Object.ID != boris || r.Object.Label != "boris@example.com" {
			t.Errorf("%s: %+v", action, r)
		}
	}
	if r := one(audit.UserAdded); r.Details["kind"] != store.KindEmployee || r.Details["admin"] != "false" {
		t.Errorf("added: %+v", r.Details)
	}
	rows, total := admin.Activity(t, "action="+audit.UserChanged)
	if total != 2 || len(rows) != 2 {
		t.Fatalf("changed: %+v", rows)
	}
	moved, flag := rows[0], rows[1]
	if flag.Actor.ID != adminID || flag.Object.ID != boris || flag.Details["fields"] != "admin" || flag.Details["admin"] != "true" {
		t.Errorf("admin flag: %+v", flag)
	}
	if moved.Actor.ID != adminID || moved.Object.ID != ext.ID || moved.Object.Label != "guest@client.example" ||
		moved.Details["fields"] != "kind" || moved.Details["kind"] != store.KindEmployee {
		t.Errorf("moved to the intranet: %+v", moved)
	}
	// Five, and the company's set-up.
	if _, total := admin.Activity(t, "action=admin."); total != 6 {
		t.Errorf("administrative rows: %d, want 6", total)
	}
}

// A person's photo change is a change of their own profile: one row each time the
// photo is set or removed, none for a refused picture or for removing no photo.
func TestPhotoChangesAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	u := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	gina := env.SignIn("gina@client.example", pw)

	gina.Do("DELETE", "/api/v1/me/photo", nil).Must(t, 204) // there is none
	gina.Do("PUT", "/api/v1/me/photo", "not a picture", "Content-Type", "image/png").Must(t, 422)
	gina.Do("PUT", "/api/v1/me/photo", encodePNG(t, image.NewRGBA(image.Rect(0, 0, 8, 8))), "Content-Type", "image/png").Must(t, 422)
	gina.Do("PUT", "/api/v1/me/photo", encodePNG(t, halves(64, 64)), "Content-Type", "image/png").Must(t, 200)
	gina.Do("DELETE", "/api/v1/me/photo", nil).Must(t, 204)

	rows, total := admin.Activity(t, "action="+audit.ProfileChanged)
	if total != 2 || len(rows) != 2 {
		t.Fatalf("profile rows: %+v", rows)
	}
	for i, want := range []string{"removed", "set"} {
		r := rows[i]
		if r.Actor.ID != u.ID || r.Actor.Kind != store.KindExternal || r.Object.ID != u.ID ||
			r.Details["fields"] != "photo" || r.Details["photo"] != want {
			t.Errorf("row %d: %+v", i, r)
		}
	}
}
