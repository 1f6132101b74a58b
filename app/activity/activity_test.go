package activity_test

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"annex/app/activity"
	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

const pw = "correct horse battery staple"

type page struct {
	Items []activity.ActivityEntry `json:"items"`
	Total int                      `json:"total"`
}

func list(t *testing.T, c *apptest.Client, query string) page {
	t.Helper()
	var p page
	if err := json.Unmarshal(c.Do("GET", "/api/v1/admin/activity?"+query, nil).Must(t, 200).Body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// A change and its row commit together: a refused change leaves no row, each accepted
// one exactly one, naming who, what and when.
func TestActionsAreLoggedWithTheirChange(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	before := list(t, admin, "").Total

	g := c.Do("POST", "/api/v1/groups", map[string]any{"name": "Staff room", "kind": "internal", "visibility": "open"}).Must(t, 201).JSON()
	id := g["id"].(string)
	c.Do("POST", "/api/v1/groups/"+id+"/leave", nil).Must(t, 409) // the owner cannot leave: no row
	c.Do("PATCH", "/api/v1/groups/"+id, map[string]any{"name": "Staff lounge", "archived": true}).Must(t, 200)
	c.Do("POST", "/api/v1/groups/"+id+"/join", nil).Must(t, 409) // archived: no row

	p := list(t, admin, "group="+id)
	if p.Total != 2 || list(t, admin, "").Total != before+2 {
		t.Fatalf("rows for the group: %+v (all: %d, before %d)", p, list(t, admin, "").Total, before)
	}
	changed, created := p.Items[0], p.Items[1]
	if created.Action != audit.GroupCreated || created.Actor.ID != anna.ID || created.Actor.Name != "anna" ||
		created.Actor.Kind != store.KindEmployee || created.Object.Label != "Staff room" || created.Details["kind"] != "internal" ||
		!created.At.Equal(env.Clock.Now()) || created.Address != "127.0.0.1" {
		t.Errorf("created: %+v", created)
	}
	if changed.Action != audit.GroupChanged || changed.Object.Label != "Staff lounge" || changed.Details["fields"] != "name, archived" ||
		changed.Details["archived"] != "true" {
		t.Errorf("changed: %+v", changed)
	}
}

func TestTheLogIsForAdministratorsAndRefusesBadFilters(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	for _, path := range []string{"/api/v1/admin/activity", "/api/v1/admin/activity/export"} {
		if res := c.Do("GET", path, nil).Must(t, 403); res.Code() != "admin_only" {
			t.Errorf("%s as an employee: %s", path, res.Body)
		}
	}
	for q, want := range map[string][2]string{
		"action=auth.nothing": {"query.action", "unknown_action"},
		"action=nothing.":     {"query.action", "unknown_action"},
		"from=yesterday":      {"query.from", "date_time"},
		"from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z": {"query.to", "range_reversed"},
		"from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z": {"query.to", "range_reversed"},
	} {
		for _, path := range []string{"/api/v1/admin/activity?", "/api/v1/admin/activity/export?"} {
			res := admin.Do("GET", path+q, nil).Must(t, 422)
			if res.FieldCodes()[want[0]] != want[1] {
				t.Errorf("%s%s: %s", path, q, res.Body)
			}
		}
	}
	if p := list(t, admin, "action=group."); p.Total != 0 {
		t.Errorf("a family of actions: %+v", p)
	}
}

// The export of a filtered set is the list's rows, in the same order, with every cell a
// spreadsheet would run as a formula defused.
func TestTheExportIsTheFilteredList(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c := env.SignIn("anna@example.com", pw)
	for _, name := range []string{"=HYPERLINK(\"http://evil\")", "+1 plain", "@SUM(A1)", "-2", "Plain, with \"quotes\""} {
		c.Do("POST", "/api/v1/groups", map[string]any{"name": name, "kind": "internal", "visibility": "open"}).Must(t, 201)
		env.Clock.Advance(time.Minute)
	}
	q := url.Values{"action": {audit.GroupCreated}, "from": {env.Clock.Now().Add(-4*time.Minute - time.Second).Format(time.RFC3339)}}
	p := list(t, admin, q.Encode())
	if p.Total != 4 {
		t.Fatalf("list: %+v", p)
	}
	res := admin.Do("GET", "/api/v1/admin/activity/export?"+q.Encode(), nil).Must(t, 200)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("headers: %v", res.Header)
	}
	records, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1+p.Total || records[0][0] != "Time (UTC)" {
		t.Fatalf("export: %q", records)
	}
	for i, item := range p.Items {
		r := records[i+1]
		if r[4] != item.Action || r[3] != item.Actor.ID || r[7] != item.Object.ID || r[6] != activity.Cell(item.Object.Label) {
			t.Errorf("row %d: %q, list %+v", i, r, item)
		}
	}
	labels := []string{records[1][6], records[2][6], records[3][6], records[4][6]}
	want := []string{`Plain, with "quotes"`, "'-2", "'@SUM(A1)", "'+1 plain"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q, want %q", labels, want)
	}
	// The export is itself logged.
	if p := list(t, admin, "action="+audit.ActivityExport); p.Total != 1 || p.Items[0].Details["action"] != audit.GroupCreated {
		t.Errorf("export row: %+v", p)
	}
}

// Admin → Activity names every action in both languages.
func TestEveryActionHasItsWords(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		b, err := os.ReadFile("../../ui/src/i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat struct {
			ActivityActions map[string]map[string]string `json:"activityActions"`
		}
		if err := json.Unmarshal(b, &cat); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range audit.Actions {
			area, verb, _ := strings.Cut(a, ".")
			if cat.ActivityActions[area][verb] == "" {
				t.Errorf("%s: no words for %s", lang, a)
			}
		}
		for _, verbs := range cat.ActivityActions {
			n += len(verbs)
		}
		if n != len(audit.Actions) {
			t.Errorf("%s: %d actions have words, the log has %d", lang, n, len(audit.Actions))
		}
	}
}

// Sign-in and account security leave their rows, with the person as actor (nobody known
// for an unknown address), and a token's use at most once a minute.
func TestSignInAndAccountEventsAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	gina := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	anon := env.Client()
	anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "gina@client.example", "password": "not the password"}).Must(t, 401)
	anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.com", "password": "not the password"}).Must(t, 401)
	c := env.SignIn("gina@client.example", pw)
	secret, _ := env.EnrolTwoFactor(c)
	c.Do("POST", "/api/v1/auth/logout", nil).Must(t, 204)
	env.Clock.Advance(30 * time.Second)
	res := anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "gina@client.example", "password": pw}).Must(t, 401)
	if res.Code() != "second_factor_required" {
		t.Fatalf("login: %s", res.Body)
	}
	anon.Do("POST", "/api/v1/auth/two-factor", map[string]any{"code": "000000"}).Must(t, 422)
	anon.Do("POST", "/api/v1/auth/two-factor", map[string]any{"code": env.Code(secret, 0)}).Must(t, 200)

	// An employee's token: created, used twice within a minute (one row), revoked.
	env.CreateUser("eve@example.com", pw, store.KindEmployee, false)
	eve := env.SignIn("eve@example.com", pw)
	tok := eve.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "CRM", "scope": "read-only", "expiresInDays": 30}).Must(t, 201).JSON()
	bearer := env.Client()
	delete(bearer.Headers, "X-Annex-Client")
	bearer.Headers["Authorization"] = "Bearer " + tok["token"].(string)
	bearer.Do("GET", "/api/v1/me", nil).Must(t, 200)
	bearer.Do("GET", "/api/v1/me", nil).Must(t, 200)
	eve.Do("DELETE", "/api/v1/me/tokens/"+tok["item"].(map[string]any)["id"].(string), nil).Must(t, 204)

	count := func(q string) int { return list(t, admin, q).Total }
	for q, want := range map[string]int{
		"person=" + gina.ID + "&action=" + audit.SignInFailed:       1,
		"kind=anonymous&action=" + audit.SignInFailed:               1,
		"person=" + gina.ID + "&action=" + audit.SignIn:             2,
		"person=" + gina.ID + "&action=" + audit.SignOut:            1,
		"person=" + gina.ID + "&action=" + audit.TwoFactorEnabled:   1,
		"person=" + gina.ID + "&action=" + audit.SecondFactorFailed: 1,
		"kind=external&action=auth.":                                5,
		"action=" + audit.TokenCreated:                              1,
		"action=" + audit.TokenUsed:                                 1,
		"action=" + audit.TokenRevoked:                              1,
	} {
		if got := count(q); got != want {
			t.Errorf("%s: %d rows, want %d", q, got, want)
		}
	}
	if p := list(t, admin, "action="+audit.SignIn+"&person="+gina.ID); p.Items[0].Details["secondFactor"] != "code" {
		t.Errorf("sign-in with a code: %+v", p.Items[0])
	}
}

// A change of one's profile names the fields it changed; saving the same values writes nothing.
func TestProfileChangesAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	gina := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	c := env.SignIn("gina@client.example", pw)
	c.Do("PATCH", "/api/v1/me", map[string]any{"name": "Gina Guest", "position": "Auditor"}).Must(t, 200)
	c.Do("PATCH", "/api/v1/me", map[string]any{"name": "Gina Guest"}).Must(t, 200)
	c.Do("PATCH", "/api/v1/me", map[string]any{"name": ""}).Must(t, 422)
	p := list(t, admin, "person="+gina.ID+"&action="+audit.ProfileChanged)
	if p.Total != 1 || p.Items[0].Details["fields"] != "name, position" || p.Items[0].Actor.Kind != store.KindExternal {
		t.Errorf("profile rows: %+v", p)
	}
}
