package drive_test

import (
	"context"
	"strings"
	"testing"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

const pw = "correct horse battery staple"

// An external member adds folders to her group's drive and her own My Drive; names are
// checked and told in words next to the field; nothing of either drive shows to someone
// outside it; every folder made is in the activity log.
func TestFoldersInMyDriveAndAGroupsDrive(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	gina := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	anna, bob := env.SignIn("anna@example.com", pw), env.SignIn("bob@example.com", pw)
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutMembership(context.Background(), group, gina.ID, store.RoleMember, store.MemberActive)
	})
	if err != nil {
		t.Fatal(err)
	}
	gin := env.SignIn("gina@client.example", pw)

	specs := gin.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": "  Specs  "}).Must(t, 201).JSON()
	if specs["name"] != "Specs" || specs["drive"] != group || specs["kind"] != "folder" || specs["parentId"] != "" {
		t.Errorf("a new folder: %v", specs)
	}
	sub := anna.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": "Отчёты", "parentId": specs["id"]}).Must(t, 201).JSON()
	mine := gin.Do("POST", "/api/v1/drives/me/folders", map[string]any{"name": "Specs"}).Must(t, 201).JSON()
	if mine["drive"] != "me" {
		t.Errorf("a folder of My Drive: %v", mine)
	}

	for _, c := range []struct {
		name, parent, field, code string
	}{
		{"specs", "", "body.name", "drive_name_taken"},
		{"ОТЧЁТЫ", specs["id"].(string), "body.name", "drive_name_taken"},
		{"../up", "", "body.name", "drive_name_characters"},
		{"..", "", "body.name", "drive_name_dots"},
		{strings.Repeat("x", 256), "", "body.name", "drive_name_too_long"},
		{"Elsewhere", mine["id"].(string), "body.parentId", "drive_folder_unknown"},
	} {
		res := gin.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": c.name, "parentId": c.parent}).Must(t, 422)
		if got := res.FieldCodes()[c.field]; got != c.code {
			t.Errorf("folder %q in %q: %s, want %s on %s", c.name, c.parent, res.Body, c.code, c.field)
		}
		if !strings.Contains(string(res.Body), `"message"`) {
			t.Errorf("folder %q: no words for a person: %s", c.name, res.Body)
		}
	}

	list := gin.Do("GET", "/api/v1/drives/"+group+"/items?parent="+specs["id"].(string), nil).Must(t, 200).JSON()
	if items := list["items"].([]any); list["total"] != 1.0 || len(items) != 1 || items[0].(map[string]any)["id"] != sub["id"] {
		t.Errorf("Specs as Gina lists it: %v", list)
	}
	// Bob is outside the group; Anna is not Gina.
	bob.Do("GET", "/api/v1/drives/"+group+"/items", nil).Must(t, 404)
	bob.Do("GET", "/api/v1/drive/items/"+specs["id"].(string), nil).Must(t, 404)
	anna.Do("GET", "/api/v1/drive/items/"+mine["id"].(string), nil).Must(t, 404)
	admin.Do("GET", "/api/v1/drive/items/"+mine["id"].(string), nil).Must(t, 404)
	admin.Do("GET", "/api/v1/drive/items/"+sub["id"].(string), nil).Must(t, 200)

	rows, total := admin.Activity(t, "action="+audit.DriveFolderCreated)
	if total != 3 || rows[0].Object.ID != mine["id"] || rows[2].Object.ID != specs["id"] || rows[2].Object.GroupID != group ||
		rows[2].Actor.Kind != store.KindExternal || rows[1].Object.ID != sub["id"] {
		t.Errorf("the folders in the activity log: %d rows %+v", total, rows)
	}
}
