package invites_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

const pw = "correct horse battery staple"

type world struct {
	env    *apptest.Env
	smtp   *apptest.SMTPServer
	admin  *apptest.Client
	anna   *apptest.Client // an employee who owns the extranet group
	client string          // the extranet group
	staff  string          // an internal group
}

func newWorld(t *testing.T, opts ...apptest.Options) *world {
	env := apptest.New(t, opts...)
	w := &world{env: env, smtp: apptest.NewSMTP(t), admin: env.Setup()}
	env.UseSMTP(w.admin, w.smtp)
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	w.anna = env.SignIn("anna@example.com", pw)
	w.client = w.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	w.staff = w.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Staff", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	return w
}

func (w *world) invite(c *apptest.Client, group string, body map[string]any) []map[string]any {
	res := c.Do("POST", "/api/v1/groups/"+group+"/invitations", body)
	if res.Status != 200 {
		w.env.T.Fatalf("invite: %d %s", res.Status, res.Body)
	}
	var out []map[string]any
	for _, r := range res.JSON()["results"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func token(link string) string { return link[strings.Index(link, "#token=")+len("#token="):] }

// mailed is the token of the n-th invitation mail that reached the address: only the
// mailbox (and administrators) hold a link.
func (w *world) mailed(addr string, n int) string {
	w.env.T.Helper()
	return token(w.smtp.To(w.env.T, addr, n, 10*time.Second).Link("http://127.0.0.1/invite#token="))
}

func TestAnExternalUserIsInvitedRegistersAndLandsInTheGroup(t *testing.T) {
	w := newWorld(t)
	rs := w.invite(w.anna, w.client, map[string]any{"kind": "external", "message": "Welcome to the project!",
		"invitees": []map[string]any{{"email": " Gina@Client.Example ", "name": "Gina Guest"}}})
	if len(rs) != 1 || rs[0]["invited"] != true || rs[0]["email"] != "Gina@Client.Example" || rs[0]["link"] != nil {
		t.Fatalf("invitation (no link for a non-administrator): %v", rs)
	}
	m := w.smtp.Wait(t, 1, 10*time.Second)[0]
	link := m.Link("http://127.0.0.1/invite#token=")
	// The mail goes to the address as typed; its identity key (gina@client.example) is
	// what the account will be known by.
	if m.To[0] != "Gina@Client.Example" || link == "" || !strings.Contains(m.Text(), "Welcome to the project!") ||
		!strings.Contains(m.Text(), "anna invites you to Client project at Example Ltd") {
		t.Fatalf("invitation mail to %v, link %q:\n%s", m.To, link, m.Text())
	}
	tok := token(link)

	guest := w.env.Client()
	view := guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": tok}).Must(t, 200).JSON()
	if view["state"] != "pending" || view["groupName"] != "Client project" || view["inviterName"] != "anna" ||
		view["company"] != "Example Ltd" || view["hasAccount"] != false || view["kind"] != "external" {
		t.Errorf("lookup: %v", view)
	}
	res := guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "Gina", "password": "password123456"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_common" {
		t.Errorf("a common password: %s", res.Body)
	}
	res = guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "Gina", "password": "gina at example ltd 7"}).Must(t, 422)
	if res.FieldCodes()["body.password"] != "password_has_name" {
		t.Errorf("the company's name: %s", res.Body)
	}
	out := guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "Gina Guest", "password": pw}).Must(t, 200).JSON()
	me := out["me"].(map[string]any)
	if out["groupId"] != w.client || me["email"] != "gina@client.example" || me["kind"] != "external" {
		t.Errorf("registered: %v", out)
	}
	// Signed in, inside the group, and nowhere else.
	page := guest.Do("GET", "/api/v1/groups?scope=all", nil).Must(t, 200).JSON()
	if page["total"] != float64(1) || page["items"].([]any)[0].(map[string]any)["myState"] != "active" {
		t.Errorf("the new external user's groups: %v", page)
	}
	// The inviter is told.
	told := w.smtp.Wait(t, 2, 10*time.Second)[1]
	if told.To[0] != "anna@example.com" || !strings.Contains(told.Text(), "Gina Guest (gina@client.example) accepted") {
		t.Errorf("acceptance mail to %v:\n%s", told.To, told.Text())
	}
	list := w.anna.Do("GET", "/api/v1/invitations?groupId="+w.client, nil).Must(t, 200).JSON()
	it := list["items"].([]any)[0].(map[string]any)
	by, _ := it["acceptedBy"].(map[string]any)
	if it["state"] != "accepted" || by["id"] != me["id"] || by["name"] != "Gina Guest" || it["acceptedFrom"] != "" || it["closedAt"] == "" {
		t.Errorf("the accepted invitation: %v", it)
	}
	// The accepting address is for administrators only.
	list = w.admin.Do("GET", "/api/v1/invitations?groupId="+w.client, nil).Must(t, 200).JSON()
	if it := list["items"].([]any)[0].(map[string]any); it["acceptedFrom"] != "127.0.0.1" {
		t.Errorf("the accepted invitation as an administrator sees it: %v", it)
	}
	// The link works once.
	if res := w.env.Client().Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "X", "password": pw}); res.Code() != "invitation_accepted" {
		t.Errorf("a link used twice: %s", res.Body)
	}
}

func TestLinksThatNoLongerWorkSaySoAndNameWhomToAsk(t *testing.T) {
	w := newWorld(t)
	send := func(email string, hours int) (id, tok string) {
		r := w.invite(w.anna, w.client, map[string]any{"kind": "external", "validHours": hours,
			"invitees": []map[string]any{{"email": email}}})[0]
		return r["invitation"].(map[string]any)["id"].(string), w.mailed(email, 1)
	}
	guest := w.env.Client()
	try := func(tok, wantState, wantCode string) {
		t.Helper()
		view := guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": tok}).JSON()
		if view["state"] != wantState || view["inviterName"] != "anna" {
			t.Errorf("lookup: %v, want %s", view, wantState)
		}
		res := guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": tok, "name": "G", "password": pw})
		if res.Code() != wantCode || !strings.Contains(res.JSON()["detail"].(string), "anna") {
			t.Errorf("register: %s, want %s naming the inviter", res.Body, wantCode)
		}
	}
	_, shortTok := send("short@client.example", 1)
	revokedID, revokedTok := send("revoked@client.example", 24)
	w.anna.Do("POST", "/api/v1/invitations/"+revokedID+"/revoke", nil).Must(t, 200)
	try(revokedTok, "revoked", "invitation_revoked")
	w.env.Clock.Advance(61 * time.Minute) // checked at request time: no job needed
	try(shortTok, "expired", "invitation_expired")
	if res := guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": "not-a-real-token"}).Must(t, 404); res.Code() != "invitation_unknown" {
		t.Errorf("unknown token: %s", res.Body)
	}

	// Resending gives a new link; the old one stops working.
	w.anna = w.env.SignIn("anna@example.com", pw)
	declinedID, declinedTok := send("decline@client.example", 24)
	guest.Do("POST", "/api/v1/invite/decline", map[string]any{"token": declinedTok}).Must(t, 204)
	if res := w.anna.Do("POST", "/api/v1/invitations/"+declinedID+"/resend", nil).Must(t, 409); res.Code() != "invitation_closed" {
		t.Errorf("resending a declined invitation: %s", res.Body)
	}
	list := w.anna.Do("GET", "/api/v1/invitations?state=expired", nil).Must(t, 200).JSON()
	expiredID := list["items"].([]any)[0].(map[string]any)["id"].(string)
	out := w.anna.Do("POST", "/api/v1/invitations/"+expiredID+"/resend", map[string]any{"validHours": 48}).Must(t, 200).JSON()
	if out["invitation"].(map[string]any)["state"] != "pending" {
		t.Errorf("resent: %v", out)
	}
	guest.Do("POST", "/api/v1/invite/lookup", map[string]any{"token": shortTok}).Must(t, 404)
	if out["link"] != nil {
		t.Errorf("a non-administrator was given the new link: %v", out)
	}
	newTok := w.mailed("short@client.example", 2)
	guest.Do("POST", "/api/v1/invite/register", map[string]any{"token": newTok, "name": "Short", "password": pw}).Must(t, 200)
	w.admin.Do("POST", "/api/v1/invitations/"+expiredID+"/link-copied", nil).Must(t, 409) // accepted: closed
}

func TestBadInvitationsAreRefusedInWords(t *testing.T) {
	w := newWorld(t)
	rs := w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{
		{"email": "ok@client.example"}, {"email": "not an address"}, {"email": "OK@client.example"}}})
	if rs[0]["invited"] != true || rs[1]["code"] != "invalid_email" || rs[2]["code"] != "duplicate_in_batch" ||
		rs[1]["message"] == "" || rs[2]["invited"] != false {
		t.Errorf("batch: %v", rs)
	}
	for _, tc := range []struct {
		c           *apptest.Client
		group, kind string
		status      int
		code, field string
	}{
		{w.anna, w.staff, "external", 422, "invalid", "body.kind"},
		{w.anna, w.client, "employee", 403, "admins_invite_employees", ""},
	} {
		res := tc.c.Do("POST", "/api/v1/groups/"+tc.group+"/invitations", map[string]any{"kind": tc.kind,
			"invitees": []map[string]any{{"email": "x@client.example"}}})
		if res.Status != tc.status || res.Code() != tc.code || (tc.field != "" && res.FieldCodes()[tc.field] == "") {
			t.Errorf("%s into %s: %s", tc.kind, tc.group, res.Body)
		}
	}
	// An external user invites nobody.
	w.env.CreateUser("ext@client.example", pw, store.KindExternal, false)
	ext := w.env.SignIn("ext@client.example", pw)
	if res := ext.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external",
		"invitees": []map[string]any{{"email": "y@client.example"}}}); res.Status != 404 && res.Code() != "external_cannot_invite" {
		t.Errorf("an external user inviting: %s", res.Body)
	}
	// With the extranet switched off, no external user can be invited.
	w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"extranetEnabled": false}).Must(t, 200)
	if res := w.anna.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external",
		"invitees": []map[string]any{{"email": "z@client.example"}}}).Must(t, 409); res.Code() != "extranet_off" {
		t.Errorf("extranet off: %s", res.Body)
	}
	// Accepting while signed in as somebody else.
	w.admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"extranetEnabled": true}).Must(t, 200)
	// The mail is in the language the inviter chose for it.
	w.invite(w.anna, w.client, map[string]any{"kind": "external", "locale": "ru", "invitees": []map[string]any{{"email": "ru@client.example"}}})
	var ru apptest.Mail
	for _, m := range w.smtp.Wait(t, 2, 10*time.Second) {
		if m.To[0] == "ru@client.example" {
			ru = m
		}
	}
	if !strings.Contains(ru.Text(), "приглашает вас") {
		t.Errorf("a Russian invitation:\n%s", ru.Text())
	}
	w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{{"email": "ext@client.example"}}})
	extTok := w.mailed("ext@client.example", 1)
	if res := w.anna.Do("POST", "/api/v1/invite/accept", map[string]any{"token": extTok}).Must(t, 409); res.Code() != "invitation_other_account" {
		t.Errorf("accepting as another account: %s", res.Body)
	}
	// An address with an account signs in instead of registering, and accepts.
	if res := w.env.Client().Do("POST", "/api/v1/invite/register", map[string]any{"token": extTok, "name": "E", "password": pw}).Must(t, 409); res.Code() != "account_exists_sign_in" {
		t.Errorf("registering an existing address: %s", res.Body)
	}
	if out := ext.Do("POST", "/api/v1/invite/accept", map[string]any{"token": extTok}).Must(t, 200).JSON(); out["groupId"] != w.client {
		t.Errorf("accept: %v", out)
	}
}

// A non-administrator gets the same answer for an address that has an account, is
// already a member, or is new: the form reveals nobody.
func TestTheFormRevealsNobody(t *testing.T) {
	w := newWorld(t)
	w.env.CreateUser("member@client.example", pw, store.KindExternal, false)
	w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{{"email": "member@client.example"}}})
	w.env.SignIn("member@client.example", pw).Do("POST", "/api/v1/invite/accept", map[string]any{"token": w.mailed("member@client.example", 1)}).Must(t, 200)
	w.env.CreateUser("account@client.example", pw, store.KindExternal, false)
	rs := w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{
		{"email": "member@client.example"}, {"email": "account@client.example"}, {"email": "new@client.example"}}})
	for _, r := range rs {
		if r["invited"] != true || r["code"] != nil {
			t.Errorf("answer for %v differs: %v", r["email"], r)
		}
	}
	// With no seat free, an address with an account is refused like any other.
	for i := 0; ; i++ {
		seats, err := w.env.Store.SeatCount(t.Context(), store.System())
		if err != nil {
			t.Fatal(err)
		}
		if seats.Used() == 10 {
			break
		}
		w.env.CreateUser(fmt.Sprintf("filler%d@example.com", i), pw, store.KindEmployee, false)
	}
	rs = w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": []map[string]any{
		{"email": "account@client.example"}, {"email": "another@client.example"}}})
	if rs[0]["code"] != "seats_ask_admin" || rs[1]["code"] != "seats_ask_admin" {
		t.Errorf("a full licence answers alike: %v", rs)
	}
	// Administrators are told.
	res := w.admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "external", "groupId": w.client,
		"invitees": []map[string]any{{"email": "member@client.example"}, {"email": "new@client.example"}}}).Must(t, 200)
	got := res.JSON()["results"].([]any)
	if got[0].(map[string]any)["code"] != "invitee_already_member" || got[1].(map[string]any)["code"] != "already_invited" {
		t.Errorf("the administrator's answers: %s", res.Body)
	}
	// An external account cannot be brought into an internal group by an employee invitation.
	res = w.admin.Do("POST", "/api/v1/admin/invitations", map[string]any{"kind": "employee", "groupId": w.staff,
		"invitees": []map[string]any{{"email": "account@client.example"}}}).Must(t, 200)
	if r := res.JSON()["results"].([]any)[0].(map[string]any); r["code"] != "invitee_external_account" {
		t.Errorf("an external account into an internal group: %s", res.Body)
	}
}

func TestInvitationsPerHourAreLimited(t *testing.T) {
	w := newWorld(t, apptest.Options{Config: func(c *config.Config) { c.Invites.PerHour = 3 }})
	var invitees []map[string]any
	for i := range 4 {
		invitees = append(invitees, map[string]any{"email": fmt.Sprintf("g%d@client.example", i)})
	}
	res := w.anna.Do("POST", "/api/v1/groups/"+w.client+"/invitations", map[string]any{"kind": "external", "invitees": invitees}).Must(t, 429)
	if res.Code() != "invitations_rate_limited" || !strings.Contains(res.JSON()["detail"].(string), "3") {
		t.Errorf("over the hourly limit: %s", res.Body)
	}
	w.invite(w.anna, w.client, map[string]any{"kind": "external", "invitees": invitees[:3]})
}

// 200 invitations fired at once with 3 seats left: exactly 3 are made, and the refusals
// say why, with the numbers for an administrator; repeated.
func TestConcurrentInvitationsNeverExceedTheSeats(t *testing.T) {
	for round := range 5 {
		env := apptest.New(t)
		admin := env.Setup()
		for i := range 6 { // with the administrator: 7 of 10 seats
			admin.Do("POST", "/api/v1/admin/users", map[string]any{"name": "P", "email": fmt.Sprintf("p%d@example.com", i)}).Must(t, 201)
		}
		g := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
		var wg sync.WaitGroup
		var mu sync.Mutex
		invited, full := 0, 0
		for i := range 200 {
			wg.Go(func() {
				res := admin.Do("POST", "/api/v1/groups/"+g+"/invitations", map[string]any{"kind": "external",
					"invitees": []map[string]any{{"email": fmt.Sprintf("g%d@client.example", i)}}})
				mu.Lock()
				defer mu.Unlock()
				if res.Status != 200 {
					t.Errorf("round %d: %d %s", round, res.Status, res.Body)
					return
				}
				r := res.JSON()["results"].([]any)[0].(map[string]any)
				switch {
				case r["invited"] == true:
					invited++
				case r["code"] == "seats_full" && strings.Contains(r["message"].(string), "7 active, 3 invited"):
					full++
				default:
					t.Errorf("round %d: %v", round, r)
				}
			})
		}
		wg.Wait()
		if invited != 3 || full != 197 {
			t.Fatalf("round %d: %d invited, %d refused; want 3 and 197", round, invited, full)
		}
	}
}

// The inviter is told whether the invitations were mailed or only written to the server
// log (no SMTP server set), where someone has to pass the links on.
func TestTheAnswerSaysWhenMailGoesToTheLog(t *testing.T) {
	w := newWorld(t)
	body := map[string]any{"kind": "external", "invitees": []map[string]any{{"email": "mailed@client.example"}}}
	res := w.anna.Do("POST", "/api/v1/groups/"+w.client+"/invitations", body).Must(t, 200)
	if res.JSON()["mailToLog"] != false {
		t.Errorf("with an SMTP server: %s", res.Body)
	}

	env := apptest.New(t)
	admin := env.Setup() // the wizard's mail step skipped
	group := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	body = map[string]any{"kind": "external", "invitees": []map[string]any{{"email": "logged@client.example"}}}
	res = admin.Do("POST", "/api/v1/groups/"+group+"/invitations", body).Must(t, 200)
	if res.JSON()["mailToLog"] != true {
		t.Errorf("without an SMTP server: %s", res.Body)
	}
}
