package people_test

import (
	"net/url"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

const pw = "correct horse battery staple"

func TestAddEmployeeWithTemporaryPassword(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	res := admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Boris", "email": " Boris@Example.com"}).Must(t, 201)
	body := res.JSON()
	temp, _ := body["temporaryPassword"].(string)
	if len(temp) != 16 || body["person"].(map[string]any)["email"] != "boris@example.com" {
		t.Fatalf("add employee: %s", res.Body)
	}
	c := env.SignIn("boris@example.com", temp)
	if c.Do("GET", "/api/v1/people", nil).Code() != "password_change_required" {
		t.Error("a temporary password must be changed first")
	}
	// The sign-in screen welcomes a new account rather than speaking of a reset.
	if me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["temporaryReason"] != "new_account" {
		t.Errorf("a new account's temporary password: me = %v", me)
	}
	me := c.Do("PUT", "/api/v1/me/password", map[string]any{"current": temp, "password": "Trombone-Lantern-Quiet-41"}).Must(t, 200).JSON()
	if _, ok := me["temporaryReason"]; ok || me["mustChangePassword"] != false {
		t.Errorf("after choosing a password: me = %v", me)
	}
	if me := c.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["temporaryReason"] != nil {
		t.Errorf("after choosing a password, read again: me = %v", me)
	}
	res = admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Boris 2", "email": "BORIS@example.com"}).Must(t, 422)
	if res.FieldCodes()["body.email"] != "email_taken" {
		t.Errorf("duplicate address: %s", res.Body)
	}
	env.Clock.Advance(11 * time.Minute)
	if res := admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "C", "email": "c@example.com", "admin": true}).Must(t, 403); res.Code() != "reauth_required" {
		t.Errorf("adding an administrator without a recent password: %s", res.Body)
	}
	res = admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Dora", "email": "dora@example.com"}).Must(t, 201)
	temp, _ = res.JSON()["temporaryPassword"].(string)
	env.Clock.Advance(72 * time.Hour)
	if res := env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "dora@example.com", "password": temp}); res.Code() != "temporary_password_expired" {
		t.Errorf("temporary password after 3 days: %s", res.Body)
	}
}

func TestDeactivateAndReactivate(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	u := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	admin.Do("POST", "/api/v1/admin/users/"+u.ID+"/deactivate", nil).Must(t, 200)
	anna.Do("GET", "/api/v1/me", nil).Must(t, 401) // at once
	if res := env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "anna@example.com", "password": pw}); res.Code() != "account_inactive" {
		t.Errorf("deactivated sign-in: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/admin/users/"+u.ID+"/reactivate", nil).Must(t, 200)
	env.SignIn("anna@example.com", pw)

	me := admin.Do("GET", "/api/v1/me", nil).JSON()["id"].(string)
	if res := admin.Do("POST", "/api/v1/admin/users/"+me+"/deactivate", nil).Must(t, 409); res.Code() != "cannot_deactivate_self" {
		t.Errorf("self-deactivation: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/admin/users/"+store.NewID()+"/deactivate", nil).Must(t, 404)
}

func TestAdminFlagAndTheLastAdministrator(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	me := admin.Do("GET", "/api/v1/me", nil).JSON()["id"].(string)
	u := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	ext := env.CreateUser("guest@example.com", pw, store.KindExternal, false)

	if res := admin.Do("PUT", "/api/v1/admin/users/"+me+"/admin", map[string]any{"admin": false}).Must(t, 409); res.Code() != "last_admin" {
		t.Errorf("demoting the last admin: %s", res.Body)
	}
	if res := admin.Do("PUT", "/api/v1/admin/users/"+ext.ID+"/admin", map[string]any{"admin": true}).Must(t, 409); res.Code() != "external_cannot_be_admin" {
		t.Errorf("external admin: %s", res.Body)
	}
	anna := env.SignIn("anna@example.com", pw)
	admin.Do("PUT", "/api/v1/admin/users/"+u.ID+"/admin", map[string]any{"admin": true}).Must(t, 200)
	anna.Do("GET", "/api/v1/me", nil).Must(t, 401) // a change of privilege: sign in anew
	anna = env.SignIn("anna@example.com", pw)
	anna.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200)
	// Now there are two: the first may step down.
	admin.Do("PUT", "/api/v1/admin/users/"+me+"/admin", map[string]any{"admin": false}).Must(t, 200)

	env.Clock.Advance(11 * time.Minute)
	if res := anna.Do("PUT", "/api/v1/admin/users/"+me+"/admin", map[string]any{"admin": true}).Must(t, 403); res.Code() != "reauth_required" {
		t.Errorf("admin flag without a recent password: %s", res.Body)
	}
	if res := anna.Do("POST", "/api/v1/admin/users/"+u.ID+"/deactivate", nil).Must(t, 409); res.Code() != "cannot_deactivate_self" {
		t.Errorf("%s", res.Body)
	}
}

func TestMoveToIntranet(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	ext := env.CreateUser("guest@example.com", pw, store.KindExternal, false)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	guest := env.SignIn("guest@example.com", pw)
	if n := guest.Do("GET", "/api/v1/people", nil).JSON()["total"]; n != float64(1) {
		t.Fatalf("an external user with no group sees %v people, want only themselves", n)
	}
	p := admin.Do("POST", "/api/v1/admin/users/"+ext.ID+"/move-to-intranet", nil).Must(t, 200).JSON()
	if p["kind"] != "employee" || p["id"] != ext.ID {
		t.Errorf("moved: %v", p)
	}
	guest = env.SignIn("guest@example.com", pw)
	if n := guest.Do("GET", "/api/v1/people", nil).JSON()["total"]; n != float64(3) {
		t.Errorf("after the move the directory shows %v people, want all 3 employees", n)
	}
	if res := admin.Do("POST", "/api/v1/admin/users/"+ext.ID+"/move-to-intranet", nil).Must(t, 409); res.Code() != "already_employee" {
		t.Errorf("%s", res.Body)
	}
}

func TestDirectorySearchFoldsCase(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "Анна Петрова", "email": "anna@example.com", "position": "Бухгалтер"}).Must(t, 201)
	for _, q := range []string{"анна", "АННА", "петров", "бухгалтер", "ANNA@EXAMPLE"} {
		res := admin.Do("GET", "/api/v1/people?q="+url.QueryEscape(q), nil).Must(t, 200).JSON()
		if res["total"] != float64(1) {
			t.Errorf("search %q found %v", q, res["total"])
		}
	}
	if res := admin.Do("GET", "/api/v1/people?q=%25", nil).Must(t, 200).JSON(); res["total"] != float64(0) {
		t.Errorf("a %% in the query must match itself, not everything: %v", res["total"])
	}
}
