package people_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"annex/app/apptest"
	"annex/store"
)

// viewAsWorld: an administrator, an employee owning an extranet group, and Gina, an
// external user in it.
func viewAsWorld(t *testing.T) (env *apptest.Env, admin, gina *apptest.Client, ginaID, group string) {
	env = apptest.New(t)
	admin = env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	group = anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	g := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutMembership(context.Background(), group, g.ID, store.RoleMember, store.MemberActive)
	})
	if err != nil {
		t.Fatal(err)
	}
	return env, admin, env.SignIn("gina@client.example", pw), g.ID, group
}

func TestViewAsReadsAsHerAndChangesNothing(t *testing.T) {
	env, admin, gina, ginaID, group := viewAsWorld(t)
	adminID := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	admin.Do("POST", "/api/v1/people/"+ginaID+"/view-as", nil).Must(t, 204)

	me := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()
	if me["id"] != ginaID || me["viewedBy"].(map[string]any)["id"] != adminID {
		t.Fatalf("viewing as Gina, /me: %v", me)
	}
	// Every read is hers, and none is logged as hers (nor its refusals as security events).
	paths := []string{"/api/v1/groups?scope=all", "/api/v1/people", "/api/v1/groups/" + group,
		"/api/v1/groups/" + group + "/members", "/api/v1/people/" + adminID, "/api/v1/groups/" + store.NewID()}
	hers := func() int {
		_, n, err := env.Store.Activities(context.Background(), store.System(), store.ActivityFilter{ActorID: ginaID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := hers()
	var viewed []apptest.Response
	for _, path := range paths {
		viewed = append(viewed, admin.Do("GET", path, nil))
	}
	if n := hers() - before; n != 0 {
		t.Errorf("viewing as her left %d rows of hers", n)
	}
	for i, path := range paths {
		mine, theirs := viewed[i], gina.Do("GET", path, nil)
		if mine.Status != theirs.Status || !sameJSON(mine.Body, theirs.Body) {
			t.Errorf("GET %s: viewing as her %d %s, she herself %d %s", path, mine.Status, mine.Body, theirs.Status, theirs.Body)
		}
	}
	// Every write of the document is refused, whatever it names, except the view's own.
	doc := env.Client().Do("GET", "/api/v1/openapi.json", nil).Must(t, 200)
	var spec struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(doc.Body, &spec); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	writes := 0
	for path, ops := range spec.Paths {
		for method, op := range ops {
			m := http.CanonicalHeaderKey(method)
			if m == "Get" || m == "Head" || op.OperationID == "endViewAs" || op.OperationID == "viewAsPage" || op.OperationID == "logout" {
				continue
			}
			writes++
			url := "/api/v1" + param.ReplaceAllString(path, ginaID)
			if res := admin.Do(map[string]string{"Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE"}[m], url, map[string]any{}); res.Status != 403 || res.Code() != "view_as_read_only" {
				t.Errorf("%s %s (%s) while viewing as: %d %s", method, url, op.OperationID, res.Status, res.Body)
			}
		}
	}
	if writes < 40 {
		t.Errorf("only %d writes in the document", writes)
	}
	// The pages the administrator opens are logged, as hers about Gina.
	admin.Do("POST", "/api/v1/me/view-as/pages", map[string]any{"path": "/groups/" + group}).Must(t, 204)
	admin.Do("POST", "/api/v1/me/view-as/pages", map[string]any{"path": "groups"}).Must(t, 422)
	gina.Do("GET", "/api/v1/me", nil).Must(t, 200) // her own session is untouched

	admin.Do("DELETE", "/api/v1/me/view-as", nil).Must(t, 204)
	if me := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["id"] != adminID || me["viewedBy"] != nil {
		t.Errorf("after the view: %v", me)
	}
	admin.Do("DELETE", "/api/v1/me/view-as", nil).Must(t, 409)
	log := func(action string) []any {
		return admin.Do("GET", "/api/v1/admin/activity?action="+action, nil).Must(t, 200).JSON()["items"].([]any)
	}
	for action, n := range map[string]int{"access.view_as_started": 1, "access.view_as_page": 1, "access.view_as_ended": 1} {
		rows := log(action)
		if len(rows) != n {
			t.Errorf("%s: %d rows, want %d: %v", action, len(rows), n, rows)
			continue
		}
		if n > 0 {
			row := rows[0].(map[string]any)
			if row["actor"].(map[string]any)["id"] != adminID || row["object"].(map[string]any)["id"] != ginaID {
				t.Errorf("%s is the administrator's, about Gina: %v", action, row)
			}
		}
	}
}

func TestViewAsOnlyForAdministratorsAndOnlyExternalUsers(t *testing.T) {
	env, admin, gina, ginaID, _ := viewAsWorld(t)
	annaID := admin.Do("GET", "/api/v1/people?q=anna", nil).Must(t, 200).JSON()["items"].([]any)[0].(map[string]any)["id"].(string)
	if res := admin.Do("POST", "/api/v1/people/"+annaID+"/view-as", nil).Must(t, 409); res.Code() != "view_as_external_only" {
		t.Errorf("an employee: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/people/"+store.NewID()+"/view-as", nil).Must(t, 404)
	anna := env.SignIn("anna@example.com", pw)
	anna.Do("POST", "/api/v1/people/"+ginaID+"/view-as", nil).Must(t, 403)
	gina.Do("DELETE", "/api/v1/me/view-as", nil).Must(t, 409)

	// She is deactivated while viewed: the administrator is herself again at the next request.
	admin.Do("POST", "/api/v1/people/"+ginaID+"/view-as", nil).Must(t, 204)
	err := env.Store.Tx(context.Background(), func(tx *store.Tx) error { return tx.SetActive(context.Background(), ginaID, false) })
	if err != nil {
		t.Fatal(err)
	}
	if me := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON(); me["id"] == ginaID || me["viewedBy"] != nil {
		t.Errorf("viewing a deactivated account: %v", me)
	}
	if res := admin.Do("POST", "/api/v1/people/"+ginaID+"/view-as", nil).Must(t, 409); res.Code() != "view_as_inactive" {
		t.Errorf("a deactivated account: %s", res.Body)
	}
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
