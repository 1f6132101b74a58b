package invites_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/people"
	"annex/store"
)

func at(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// access reads the access date a viewer gets for a person: nil when she gets none.
func access(t *testing.T, c *apptest.Client, id string) map[string]any {
	t.Helper()
	a, _ := c.Do("GET", "/api/v1/people/"+id, nil).Must(t, 200).JSON()["access"].(map[string]any)
	return a
}

func TestAccessExpiryFromInvitationToDeactivation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	now := func() time.Time { return w.env.Store.Now() }
	w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"externalAccessDays": 30}).Must(t, 200)
	if res := w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"externalAccessDays": -1}).Must(t, 422); res.FieldCodes()["body.externalAccessDays"] == "" {
		t.Errorf("a negative policy: %s", res.Body)
	}

	// An inviter chooses within the policy; a date past it, or gone, is refused whole.
	for date, code := range map[string]string{at(now().Add(31 * 24 * time.Hour)): "access_date_beyond_policy",
		at(now().Add(-time.Hour)): "access_date_past", "tomorrow": ""} {
		res := w.anna.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external",
			"accessExpiresAt": date, "invitees": []map[string]any{{"email": "gina@client.example"}}}).Must(t, 422)
		if got := res.FieldCodes()["body.accessExpiresAt"]; code != "" && got != code || code == "" && got == "" {
			t.Errorf("invitation with access until %q: %s", date, res.Body)
		}
	}
	// Gina's invitation leaves the date to the policy; Hal's names one.
	w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{{"email": "gina@client.example"}}})
	halUntil := now().Add(20 * 24 * time.Hour).Truncate(time.Second)
	rs := w.invite(w.anna, w.client, map[string]any{"kind": "external", "accessExpiresAt": at(halUntil),
		"invitees": []map[string]any{{"email": "hal@client.example"}}})
	if rs[0]["invitation"].(map[string]any)["accessExpiresAt"] != at(halUntil) {
		t.Errorf("the invitation names its date: %v", rs[0])
	}
	register := func(addr string) string {
		me := w.env.Client().Do("POST", "/api/v1/invite/register", map[string]any{"token": w.mailed(addr, 1), "name": addr[:3],
			"password": pw}).Must(t, 200).JSON()
		return me["me"].(map[string]any)["id"].(string)
	}
	gina, hal := register("gina@client.example"), register("hal@client.example")
	acceptedAt := now()

	// Administrators and the inviter see the date; Gina does not see her own here, and a
	// colleague who shares the group sees none.
	if a := access(t, w.admin, gina); a["expiresAt"] != at(acceptedAt.Add(30*24*time.Hour)) || a["mayClear"] != true || a["latest"] != nil {
		t.Errorf("the policy's date, as an administrator sees it: %v", a)
	}
	if a := access(t, w.admin, hal); a["expiresAt"] != at(halUntil) {
		t.Errorf("the invitation's date: %v", a)
	}
	a := access(t, w.anna, gina)
	if a["latest"] != at(now().Add(30*24*time.Hour)) || a["mayClear"] != false || a["extendTo"] != nil {
		t.Errorf("as the inviter sees it (at the policy's limit already: nothing to extend): %v", a)
	}
	ginaC := w.env.SignIn("gina@client.example", pw)
	if a := access(t, ginaC, gina); a != nil {
		t.Errorf("an external user is told no date through the directory: %v", a)
	}
	w.env.CreateUser("olga@example.com", pw, store.KindEmployee, false)
	olga := w.env.SignIn("olga@example.com", pw)
	olgaID := olga.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	w.anna.Do("POST", "/api/v1/groups/"+w.client+"/members", map[string]any{"userId": olgaID}).Must(t, 201)
	olga.Do("POST", "/api/v1/groups/"+w.client+"/join", nil).Must(t, 200)
	if p := olga.Do("GET", "/api/v1/people/"+gina, nil).Must(t, 200).JSON(); p["access"] != nil {
		t.Errorf("a colleague who did not invite her sees her date: %v", p)
	}
	if res := olga.Do("PUT", "/api/v1/people/"+gina+"/access-expiry", map[string]any{"expiresAt": at(now().Add(time.Hour))}); res.Status != 403 && res.Status != 404 {
		t.Errorf("a colleague who did not invite her changes her date: %s", res.Body)
	}

	// The inviter's limits; each refusal changes nothing.
	put := func(c *apptest.Client, id string, v any) apptest.Response {
		return c.Do("PUT", "/api/v1/people/"+id+"/access-expiry", map[string]any{"expiresAt": v})
	}
	for _, tc := range []struct {
		v    any
		code string
	}{{at(now().Add(40 * 24 * time.Hour)), "access_date_beyond_policy"}, {nil, "access_date_required"},
		{at(now().Add(-time.Minute)), "access_date_past"}} {
		if res := put(w.anna, gina, tc.v).Must(t, 422); res.FieldCodes()["body.expiresAt"] != tc.code {
			t.Errorf("inviter sets %v: %s", tc.v, res.Body)
		}
	}
	if res := put(w.admin, gina, at(now().Add(11*366*24*time.Hour))).Must(t, 422); res.FieldCodes()["body.expiresAt"] != "access_date_too_far" {
		t.Errorf("eleven years: %s", res.Body)
	}
	if res := put(w.admin, gina, "next week").Must(t, 422); len(res.FieldCodes()) == 0 {
		t.Errorf("a malformed date: %s", res.Body)
	}
	if a := access(t, w.admin, gina); a["expiresAt"] != at(acceptedAt.Add(30*24*time.Hour)) {
		t.Errorf("refused changes left the date: %v", a)
	}
	annaID := w.anna.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	if res := put(w.admin, annaID, at(now().Add(time.Hour))).Must(t, 409); res.Code() != "access_date_not_external" {
		t.Errorf("an employee's date: %s", res.Body)
	}

	// The administrator brings the date close: the inviter is reminded once, and extends.
	soon := now().Add(2 * 24 * time.Hour).Truncate(time.Second)
	if got := put(w.admin, gina, at(soon)).Must(t, 200).JSON()["access"].(map[string]any)["expiresAt"]; got != at(soon) {
		t.Errorf("set: %v", got)
	}
	for i := 0; i < 2; i++ {
		if err := people.RemindExpiry(ctx, w.env.Store, w.env.Server.Settings().Get()); err != nil {
			t.Fatal(err)
		}
	}
	var m apptest.Mail
	for i := 0; i < 100 && len(reminders(w.smtp)) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if rs := reminders(w.smtp); len(rs) > 0 {
		m = rs[0]
	}
	if !strings.Contains(m.Text(), "/people/"+gina) || !strings.Contains(m.Text(), soon.UTC().Format("2006-01-02 15:04")) ||
		len(m.To) != 1 || m.To[0] != "anna@example.com" {
		t.Errorf("the reminder goes to the inviter, names the date and links to her profile: %v\n%s", m.To, m.Text())
	}
	a = access(t, w.anna, gina)
	if a["extendTo"] != at(now().Add(30*24*time.Hour)) {
		t.Errorf("one extension reaches the policy's limit: %v", a)
	}
	w.anna.Do("POST", "/api/v1/people/"+gina+"/access-expiry/extend", nil).Must(t, 200)
	if res := w.anna.Do("POST", "/api/v1/people/"+gina+"/access-expiry/extend", nil).Must(t, 409); res.Code() != "access_not_extendable" {
		t.Errorf("a second extension past the policy: %s", res.Body)
	}
	time.Sleep(300 * time.Millisecond) // a second reminder would have reached the server by now
	if n := len(reminders(w.smtp)); n != 1 {
		t.Errorf("the inviter was reminded %d times", n)
	}

	// The date passes: refused at the very next request, before any job runs; Hal, whose
	// date is later, goes on.
	put(w.admin, gina, at(now().Add(2*time.Minute))).Must(t, 200)
	halC := w.env.SignIn("hal@client.example", pw)
	ginaC.Do("GET", "/api/v1/me", nil).Must(t, 200)
	w.env.Clock.Advance(3 * time.Minute)
	ginaC.Do("GET", "/api/v1/me", nil).Must(t, 401)
	halC.Do("GET", "/api/v1/me", nil).Must(t, 200)
	if res := w.env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "gina@client.example", "password": pw}).Must(t, 403); res.Code() != "access_ended" {
		t.Errorf("signing in after the date: %s", res.Body)
	}
	sessions := func() int {
		ss, err := w.env.Store.MySessions(ctx, store.Actor{UserID: gina, Kind: store.KindExternal})
		if err != nil {
			t.Fatal(err)
		}
		return len(ss)
	}
	if sessions() == 0 {
		t.Fatal("no session to end")
	}
	used := w.admin.Do("GET", "/api/v1/admin/licence", nil).Must(t, 200).JSON()["active"].(float64)

	// The job deactivates her, ends her sessions and frees her seat, and logs it.
	if err := people.EndExpiredAccess(ctx, w.env.Store); err != nil {
		t.Fatal(err)
	}
	if p := w.admin.Do("GET", "/api/v1/people/"+gina, nil).Must(t, 200).JSON(); p["active"] != false {
		t.Errorf("after the job: %v", p)
	}
	if n := sessions(); n != 0 {
		t.Errorf("%d sessions left after the job", n)
	}
	if got := w.admin.Do("GET", "/api/v1/admin/licence", nil).Must(t, 200).JSON()["active"].(float64); got != used-1 {
		t.Errorf("active accounts %v → %v: the seat is not free", used, got)
	}
	rows := w.admin.Do("GET", "/api/v1/admin/activity?action=access.expired", nil).Must(t, 200).JSON()["items"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["object"].(map[string]any)["id"] != gina {
		t.Errorf("the job's row: %v", rows)
	}
	if err := people.EndExpiredAccess(ctx, w.env.Store); err != nil {
		t.Fatal(err)
	}
	if n := len(w.admin.Do("GET", "/api/v1/admin/activity?action=access.expired", nil).Must(t, 200).JSON()["items"].([]any)); n != 1 {
		t.Errorf("a second run logged again: %d rows", n)
	}

	// Reactivated, she keeps no passed date (the job would end her again) and signs in.
	p := w.admin.Do("POST", "/api/v1/admin/users/"+gina+"/reactivate", nil).Must(t, 200).JSON()
	if err := people.EndExpiredAccess(ctx, w.env.Store); err != nil {
		t.Fatal(err)
	}
	if a := access(t, w.admin, gina); p["active"] != true || a["expiresAt"] != nil {
		t.Errorf("reactivated: %v, access %v", p, a)
	}
	w.env.SignIn("gina@client.example", pw)
}

// reminders are the access reminders the SMTP server received.
func reminders(s *apptest.SMTPServer) []apptest.Mail {
	var out []apptest.Mail
	for _, m := range s.Messages() {
		if strings.Contains(m.Text(), "Their access to") {
			out = append(out, m)
		}
	}
	return out
}
