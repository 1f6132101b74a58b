package people_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"annex/app/apptest"
	"annex/store"
)

// ids lists the ids of a page's items, sorted.
func ids(t *testing.T, res apptest.Response, key string) []string {
	t.Helper()
	var out []string
	for _, it := range res.Must(t, 200).JSON()[key].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	slices.Sort(out)
	return out
}

func TestAccessReportIsWhatSheGets(t *testing.T) {
	env, admin, gina, ginaID, group := viewAsWorld(t)
	ctx := context.Background()
	// A second group of hers with a formula for a name, and people and groups she cannot reach.
	other := admin.Do("POST", "/api/v1/groups", map[string]any{"name": "=SUM(1)", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Board", "kind": "internal", "visibility": "secret"}).Must(t, 201)
	hal := env.CreateUser("hal@client.example", pw, store.KindExternal, false)
	err := env.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.PutMembership(ctx, other, ginaID, store.RoleModerator, store.MemberActive); err != nil {
			return err
		}
		return tx.PutMembership(ctx, other, hal.ID, store.RoleMember, store.MemberInvited)
	})
	if err != nil {
		t.Fatal(err)
	}

	res := admin.Do("GET", "/api/v1/admin/users/"+ginaID+"/access-report", nil)
	if got, want := ids(t, res, "groups"), ids(t, gina.Do("GET", "/api/v1/groups?scope=all&perPage=100", nil), "items"); !slices.Equal(got, want) {
		t.Errorf("report's groups %v, hers %v", got, want)
	}
	if got, want := ids(t, res, "people"), ids(t, gina.Do("GET", "/api/v1/people?perPage=100", nil), "items"); !slices.Equal(got, want) {
		t.Errorf("report's people %v, hers %v", got, want)
	}
	r := res.JSON()
	for _, g := range r["groups"].([]any) {
		g := g.(map[string]any)
		if want := map[string]string{group: "member", other: "moderator"}[g["id"].(string)]; g["role"] != want || g["state"] != "active" {
			t.Errorf("the reason for %v", g)
		}
	}
	for _, p := range r["people"].([]any) {
		p := p.(map[string]any)
		shared := p["sharedGroups"].([]any)
		switch {
		case p["id"] == ginaID && (p["self"] != true || len(shared) != 0):
			t.Errorf("herself: %v", p)
		case p["email"] == "anna@example.com" && (len(shared) != 1 || shared[0].(map[string]any)["id"] != group):
			t.Errorf("Anna, through the client project: %v", p)
		}
	}

	csvRes := admin.Do("GET", "/api/v1/admin/users/"+ginaID+"/access-report/export", nil).Must(t, 200)
	rows, err := csv.NewReader(strings.NewReader(string(csvRes.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(r["groups"].([]any)) + len(r["people"].([]any)); len(rows) != want {
		t.Errorf("%d CSV rows, want %d:\n%s", len(rows), want, csvRes.Body)
	}
	if !strings.Contains(string(csvRes.Body), "'=SUM(1)") || strings.Contains(string(csvRes.Body), ",=SUM(1)") {
		t.Errorf("a formula is not defused:\n%s", csvRes.Body)
	}
	if rows := admin.Do("GET", "/api/v1/admin/activity?action=access.report_exported", nil).Must(t, 200).JSON()["items"].([]any); len(rows) != 1 {
		t.Errorf("the export's row: %v", rows)
	}

	annaID := ids(t, admin.Do("GET", "/api/v1/people?q=anna", nil), "items")[0]
	if res := admin.Do("GET", "/api/v1/admin/users/"+annaID+"/access-report", nil).Must(t, 409); res.Code() != "access_report_external_only" {
		t.Errorf("an employee's report: %s", res.Body)
	}
	admin.Do("GET", "/api/v1/admin/users/"+store.NewID()+"/access-report", nil).Must(t, 404)
	gina.Do("GET", "/api/v1/admin/users/"+ginaID+"/access-report", nil).Must(t, 403)
	gina.Do("GET", "/api/v1/admin/users/"+ginaID+"/access-report/export", nil).Must(t, 403)
}
