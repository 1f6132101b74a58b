package drive_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/app/config"
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

// A file uploaded twice under one name keeps both versions; each downloads as it was,
// in ranges and with its ETag, as an attachment that cannot run in Annex's origin (HTML
// and SVG never named as such); a file over the limit is refused and nothing of it kept.
func TestFilesUploadInVersionsAndDownloadSafely(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Uploads.FileMaxMB = 1 }})
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	put := func(name, body, typ string) apptest.Response {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+url.QueryEscape(name), body, "Content-Type", typ)
	}
	first := put("Отчёт.txt", "first draft", "text/plain").Must(t, 201).JSON()
	second := put("отчёт.TXT", "the final text, longer", "text/plain").Must(t, 201).JSON()
	if first["id"] != second["id"] || second["versions"] != 2.0 || second["size"] != 22.0 || second["name"] != "Отчёт.txt" {
		t.Errorf("a second upload of one name: %v, then %v", first, second)
	}
	id := first["id"].(string)
	res := anna.Do("GET", "/api/v1/drive/items/"+id+"/content", nil).Must(t, 200)
	if string(res.Body) != "the final text, longer" || res.Header.Get("Content-Security-Policy") != "sandbox" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''%D0%9E") {
		t.Errorf("the download: %q, headers %v", res.Body, res.Header)
	}
	etag := res.Header.Get("ETag")
	anna.Do("GET", "/api/v1/drive/items/"+id+"/content", nil, "If-None-Match", etag).Must(t, 304)
	if part := anna.Do("GET", "/api/v1/drive/items/"+id+"/content", nil, "Range", "bytes=4-8").Must(t, 206); string(part.Body) != "final" {
		t.Errorf("bytes 4-8: %q", part.Body)
	}
	if inline := anna.Do("GET", "/api/v1/drive/items/"+id+"/content?inline=true", nil).Must(t, 200); !strings.HasPrefix(inline.Header.Get("Content-Disposition"), "inline") {
		t.Errorf("plain text asked inline: %v", inline.Header)
	}
	var versions []string
	for _, v := range anna.Do("GET", "/api/v1/drive/items/"+id+"/versions", nil).Must(t, 200).JSON()["items"].([]any) {
		versions = append(versions, v.(map[string]any)["id"].(string))
	}
	if len(versions) != 2 {
		t.Fatalf("versions: %v", versions)
	}
	if old := anna.Do("GET", "/api/v1/drive/items/"+id+"/content?version="+versions[1], nil).Must(t, 200); string(old.Body) != "first draft" {
		t.Errorf("the first version: %q", old.Body)
	}

	for _, c := range []struct{ name, typ string }{{"page.html", "text/html"}, {"logo.svg", "image/svg+xml"}} {
		f := put(c.name, "<script>alert(1)</script>", c.typ).Must(t, 201).JSON()
		res := anna.Do("GET", "/api/v1/drive/items/"+f["id"].(string)+"/content?inline=true", nil).Must(t, 200)
		if res.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s asked inline: %v", c.name, res.Header)
		}
	}

	before := bodies(t, env)
	big := strings.Repeat("x", 1<<20+1)
	if res := put("big.bin", big, "application/octet-stream").Must(t, 413); res.Code() != "file_too_large" {
		t.Errorf("a file over 1 MB: %s", res.Body)
	}
	put("../x", "x", "text/plain").Must(t, 422)
	if after := bodies(t, env); after != before {
		t.Errorf("refused uploads left %d bodies in the files folder, %d before", after, before)
	}

	// A folder uploaded whole: its folders are made as they are first needed, then found.
	inDir := func(path, name string) apptest.Response {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+url.QueryEscape(name)+"&path="+url.QueryEscape(path), "x", "Content-Type", "text/plain")
	}
	a := inDir("Site/css", "main.css").Must(t, 201).JSON()
	b := inDir("site/CSS", "print.css").Must(t, 201).JSON()
	if a["parentId"] == "" || a["parentId"] != b["parentId"] {
		t.Errorf("two files of one uploaded folder: %v and %v", a, b)
	}
	site := anna.Do("GET", "/api/v1/drives/me/items", nil).Must(t, 200).JSON()["items"].([]any)[0].(map[string]any)
	if site["name"] != "Site" || site["kind"] != "folder" {
		t.Errorf("the uploaded folder: %v", site)
	}
	// Sorted, folders first; found by a part of the name, in any case.
	var order []string
	for _, it := range anna.Do("GET", "/api/v1/drives/me/items?sort=-size", nil).Must(t, 200).JSON()["items"].([]any) {
		order = append(order, it.(map[string]any)["name"].(string))
	}
	if strings.Join(order, ",") != "Site,logo.svg,page.html,Отчёт.txt" {
		t.Errorf("My Drive by size, largest first: %v", order)
	}
	found := anna.Do("GET", "/api/v1/drive/search?q="+url.QueryEscape("CSS"), nil).Must(t, 200).JSON()
	if found["total"] != 3.0 {
		t.Errorf("search for CSS: %v", found)
	}
	env.CreateUser("carl@example.com", pw, store.KindEmployee, false)
	if other := env.SignIn("carl@example.com", pw).Do("GET", "/api/v1/drive/search?q=css", nil).Must(t, 200).JSON(); other["total"] != 0.0 {
		t.Errorf("someone else's search: %v", other)
	}
	for path, code := range map[string]string{"Site/../etc": "drive_name_dots", "Site//css": "drive_name_empty", "Отчёт.txt/x": "drive_name_taken"} {
		if res := inDir(path, "y.css").Must(t, 422); res.FieldCodes()["query.path"] != code {
			t.Errorf("an upload into %q: %s, want %s", path, res.Body, code)
		}
	}
	if after := bodies(t, env); after != before+2 {
		t.Errorf("refused uploads left %d bodies in the files folder, %d before", after, before)
	}
}

// bodies counts what the files folder holds, half-written uploads included.
func bodies(t *testing.T, env *apptest.Env) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(env.Config.DataDir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// Anna renames, moves and copies folders with what they hold, between her My Drive and a
// group's drive; deletes to the trash and restores; removes for good; makes an old version
// current again; and the job empties what stayed in the trash for 30 days.
func TestRenameMoveCopyTrashAndRestore(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	bobUser := env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna, bob := env.SignIn("anna@example.com", pw), env.SignIn("bob@example.com", pw)
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Design", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	items := func(c *apptest.Client, drive, parent string) map[string]map[string]any {
		got := map[string]map[string]any{}
		for _, it := range c.Do("GET", "/api/v1/drives/"+drive+"/items?parent="+parent, nil).Must(t, 200).JSON()["items"].([]any) {
			got[it.(map[string]any)["name"].(string)] = it.(map[string]any)
		}
		return got
	}
	upload := func(drive, path, name, body string) map[string]any {
		return anna.Do("PUT", "/api/v1/drives/"+drive+"/files?name="+url.QueryEscape(name)+"&path="+url.QueryEscape(path), body,
			"Content-Type", "text/plain").Must(t, 201).JSON()
	}
	content := func(c *apptest.Client, id string) string {
		return string(c.Do("GET", "/api/v1/drive/items/"+id+"/content", nil).Must(t, 200).Body)
	}
	f := upload("me", "A/B", "f.txt", "eff")
	g := upload("me", "", "g.txt", "gee")
	a := items(anna, "me", "")["A"]
	b := items(anna, "me", a["id"].(string))["B"]
	aID, bID, fID, gID := a["id"].(string), b["id"].(string), f["id"].(string), g["id"].(string)

	// Renaming, and names checked as anywhere.
	if got := anna.Do("PATCH", "/api/v1/drive/items/"+aID, map[string]any{"name": "Alpha"}).Must(t, 200).JSON(); got["name"] != "Alpha" {
		t.Errorf("renamed: %v", got)
	}
	if res := anna.Do("PATCH", "/api/v1/drive/items/"+gID, map[string]any{"name": "ALPHA"}).Must(t, 422); res.FieldCodes()["body.name"] != "drive_name_taken" {
		t.Errorf("a rename to a name taken: %s", res.Body)
	}
	anna.Do("PATCH", "/api/v1/drive/items/"+gID, map[string]any{"name": "a/b"}).Must(t, 422)

	// Moving: never into itself; with what it holds, to another drive.
	if res := anna.Do("POST", "/api/v1/drive/items/"+aID+"/move", map[string]any{"drive": "me", "parentId": bID}).Must(t, 422); res.FieldCodes()["body.parentId"] != "drive_move_into_itself" {
		t.Errorf("a folder into its own folder: %s", res.Body)
	}
	anna.Do("POST", "/api/v1/drive/items/"+gID+"/move", map[string]any{"drive": "me", "parentId": bID}).Must(t, 200)
	if got := items(anna, "me", bID); len(got) != 2 || got["g.txt"] == nil {
		t.Errorf("B after g.txt moved in: %v", got)
	}
	bob.Do("POST", "/api/v1/drive/items/"+aID+"/move", map[string]any{"drive": group}).Must(t, 404)
	anna.Do("POST", "/api/v1/drive/items/"+aID+"/move", map[string]any{"drive": group, "parentId": fID}).Must(t, 422)
	if got := anna.Do("POST", "/api/v1/drive/items/"+aID+"/move", map[string]any{"drive": group}).Must(t, 200).JSON(); got["drive"] != group || got["parentId"] != "" {
		t.Errorf("moved to the group's drive: %v", got)
	}
	bob.Do("GET", "/api/v1/drive/items/"+fID, nil).Must(t, 404) // not a member yet
	if err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutMembership(context.Background(), group, bobUser.ID, store.RoleMember, store.MemberActive)
	}); err != nil {
		t.Fatal(err)
	}
	if got := bob.Do("GET", "/api/v1/drive/items/"+fID, nil).Must(t, 200).JSON(); got["drive"] != group || content(bob, gID) != "gee" {
		t.Errorf("a file under the moved folder, as a member sees it: %v", got)
	}

	// Copying: into My Drive under the same name, into the same folder only under another.
	bodiesBefore := bodies(t, env)
	cp := anna.Do("POST", "/api/v1/drive/items/"+aID+"/copy", map[string]any{"drive": "me"}).Must(t, 201).JSON()
	cb := items(anna, "me", cp["id"].(string))["B"]
	if cp["name"] != "Alpha" || cb == nil || content(anna, items(anna, "me", cb["id"].(string))["f.txt"]["id"].(string)) != "eff" {
		t.Errorf("a copy: %v holds %v", cp, cb)
	}
	if bodies(t, env) != bodiesBefore {
		t.Errorf("a copy wrote contents again: %d, %d before", bodies(t, env), bodiesBefore)
	}
	if res := anna.Do("POST", "/api/v1/drive/items/"+aID+"/copy", map[string]any{"drive": group}).Must(t, 422); res.FieldCodes()["body.name"] != "drive_name_taken" {
		t.Errorf("a copy beside its original under its name: %s", res.Body)
	}
	cp2 := anna.Do("POST", "/api/v1/drive/items/"+aID+"/copy", map[string]any{"drive": group, "name": "Alpha (copy)"}).Must(t, 201).JSON()

	// The trash: a folder goes with what it holds; what was deleted before stays deleted.
	anna.Do("DELETE", "/api/v1/drive/items/"+gID, nil).Must(t, 204)
	env.Clock.Advance(time.Minute)
	anna.Do("DELETE", "/api/v1/drive/items/"+aID, nil).Must(t, 204)
	bob.Do("GET", "/api/v1/drive/items/"+fID, nil).Must(t, 404)
	anna.Do("DELETE", "/api/v1/drive/items/"+aID, nil).Must(t, 404)
	trash := bob.Do("GET", "/api/v1/drives/"+group+"/trash", nil).Must(t, 200).JSON()
	if trash["total"] != 2.0 || trash["items"].([]any)[0].(map[string]any)["id"] != aID {
		t.Errorf("the group's trash: %v", trash)
	}
	anna.Do("GET", "/api/v1/drives/me/trash", nil).Must(t, 200)
	admin.Do("GET", "/api/v1/drives/"+group+"/trash", nil).Must(t, 200)
	env.CreateUser("carol@example.com", pw, store.KindEmployee, false)
	carol := env.SignIn("carol@example.com", pw)
	carol.Do("GET", "/api/v1/drives/"+group+"/trash", nil).Must(t, 403)
	carol.Do("POST", "/api/v1/drive/trash/"+aID+"/restore", nil).Must(t, 404)
	bob.Do("POST", "/api/v1/drive/trash/"+fID+"/restore", nil).Must(t, 404) // went with its folder

	anna.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": "alpha"}).Must(t, 201)
	if res := bob.Do("POST", "/api/v1/drive/trash/"+aID+"/restore", nil).Must(t, 409); res.Code() != "drive_restore_name_taken" {
		t.Errorf("a restore where the name is taken: %s", res.Body)
	}
	newer := items(anna, group, "")["alpha"]["id"].(string)
	anna.Do("PATCH", "/api/v1/drive/items/"+newer, map[string]any{"name": "Newer"}).Must(t, 200)
	bob.Do("POST", "/api/v1/drive/trash/"+aID+"/restore", nil).Must(t, 200)
	if got := items(bob, group, bID); len(got) != 1 || got["f.txt"] == nil {
		t.Errorf("B restored holds %v: g.txt was deleted before, by itself", got)
	}
	// A file whose folder is in the trash comes back at the root.
	anna.Do("DELETE", "/api/v1/drive/items/"+aID, nil).Must(t, 204)
	if got := anna.Do("POST", "/api/v1/drive/trash/"+gID+"/restore", nil).Must(t, 200).JSON(); got["parentId"] != "" {
		t.Errorf("restored out of a deleted folder: %v", got)
	}

	// For good: contents another copy shares stay; the rest go.
	anna.Do("DELETE", "/api/v1/drive/trash/"+aID, nil).Must(t, 204)
	anna.Do("POST", "/api/v1/drive/trash/"+aID+"/restore", nil).Must(t, 404)
	if got := content(anna, items(anna, "me", cb["id"].(string))["f.txt"]["id"].(string)); got != "eff" {
		t.Errorf("the copy after its original went for good: %q", got)
	}
	before := bodies(t, env)
	for _, c := range []map[string]any{cp, cp2} {
		anna.Do("DELETE", "/api/v1/drive/items/"+c["id"].(string), nil).Must(t, 204)
		anna.Do("DELETE", "/api/v1/drive/trash/"+c["id"].(string), nil).Must(t, 204)
	}
	// f.txt's content went with its last copy; g.txt's is still its original's.
	if after := bodies(t, env); after != before-1 {
		t.Errorf("contents after the last copies went: %d, %d before", after, before)
	}

	// An old version made current again.
	upload("me", "", "v.txt", "one")
	v := upload("me", "", "v.txt", "two")
	vs := anna.Do("GET", "/api/v1/drive/items/"+v["id"].(string)+"/versions", nil).Must(t, 200).JSON()["items"].([]any)
	first := vs[1].(map[string]any)["id"].(string)
	bob.Do("POST", "/api/v1/drive/items/"+v["id"].(string)+"/versions/"+first+"/restore", nil).Must(t, 404)
	anna.Do("POST", "/api/v1/drive/items/"+gID+"/versions/"+first+"/restore", nil).Must(t, 404)
	if got := anna.Do("POST", "/api/v1/drive/items/"+v["id"].(string)+"/versions/"+first+"/restore", nil).Must(t, 200).JSON(); got["versions"] != 3.0 || content(anna, v["id"].(string)) != "one" {
		t.Errorf("version one restored: %v", got)
	}

	// The job: what stayed 30 days goes for good, with its contents.
	anna.Do("DELETE", "/api/v1/drive/items/"+v["id"].(string), nil).Must(t, 204)
	env.Clock.Advance(29 * 24 * time.Hour)
	anna = env.SignIn("anna@example.com", pw)
	anna.Do("DELETE", "/api/v1/drive/items/"+gID, nil).Must(t, 204)
	env.Clock.Advance(2 * 24 * time.Hour)
	anna, admin = env.SignIn("anna@example.com", pw), env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	before = bodies(t, env)
	admin.Do("POST", "/api/v1/admin/jobs/drive_trash/run", nil).Must(t, 202)
	// The contents go once the rows have: the run is over when both are.
	for i := 0; i < 100 && (bodies(t, env) != before-2 || anna.Do("GET", "/api/v1/drives/me/trash", nil).Must(t, 200).JSON()["total"] != 0.0); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if left := anna.Do("GET", "/api/v1/drives/"+group+"/trash", nil).Must(t, 200).JSON()["items"].([]any); len(left) != 1 || left[0].(map[string]any)["id"] != gID {
		t.Errorf("the group's trash after the job: %v", left)
	}
	if after := bodies(t, env); after != before-2 {
		t.Errorf("contents after the job: %d, %d before", after, before)
	}
	if _, total := admin.Activity(t, "action="+audit.DriveTrashEmptied); total != 1 {
		t.Errorf("the job's rows in the log: %d", total)
	}
}

// Rights per folder: the defaults at the root; an auditor's folder (external members may
// view, not add); a folder hidden from them; rights inherited again; only full rights
// change them; new versions of someone else's file need edit rights.
func TestRightsPerFolder(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	bobUser := env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	ginaUser := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	anna := env.SignIn("anna@example.com", pw)
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Audit 2026", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	if err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		for _, u := range []store.User{bobUser, ginaUser} {
			if err := tx.PutMembership(context.Background(), group, u.ID, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	bob, gina := env.SignIn("bob@example.com", pw), env.SignIn("gina@client.example", pw)
	folder := func(name string) string {
		return anna.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": name}).Must(t, 201).JSON()["id"].(string)
	}
	put := func(c *apptest.Client, parent, name string) apptest.Response {
		return c.Do("PUT", "/api/v1/drives/"+group+"/files?parent="+parent+"&name="+name, "x", "Content-Type", "text/plain")
	}
	rights := func(c *apptest.Client, f string) map[string]any {
		return c.Do("GET", "/api/v1/drives/"+group+"/rights?folder="+f, nil).Must(t, 200).JSON()
	}
	level := func(c *apptest.Client, f string) any {
		return c.Do("GET", "/api/v1/drives/"+group+"/items?parent="+f, nil).Must(t, 200).JSON()["level"]
	}
	inbox, audit2, private := folder("Inbox"), folder("Audit"), folder("Private")

	// The defaults: external members upload; employees edit; the owner has full rights.
	if r := rights(gina, ""); r["own"] != false || r["owner"] != "full" || r["moderators"] != "full" || r["employees"] != "edit" ||
		r["externals"] != "upload" || r["canChange"] != false {
		t.Errorf("the root's rights as Gina sees them: %v", r)
	}
	if level(gina, "") != "upload" || level(bob, "") != "edit" || level(anna, "") != "full" || rights(anna, "")["canChange"] != true {
		t.Errorf("levels at the root: %v %v %v", level(gina, ""), level(bob, ""), level(anna, ""))
	}
	own := put(gina, inbox, "mine.txt").Must(t, 201).JSON()["id"].(string)
	put(gina, inbox, "mine.txt").Must(t, 201) // a new version of her own file
	put(bob, inbox, "bobs.txt").Must(t, 201)
	if res := put(gina, inbox, "bobs.txt").Must(t, 403); res.Code() != "drive_no_right" || !strings.Contains(string(res.Body), "owner") {
		t.Errorf("a new version of someone else's file with upload rights: %s", res.Body)
	}
	gina.Do("PATCH", "/api/v1/drive/items/"+own, map[string]any{"name": "renamed.txt"}).Must(t, 403)
	bob.Do("PATCH", "/api/v1/drive/items/"+own, map[string]any{"name": "renamed.txt"}).Must(t, 200)

	// The auditor's folder: one change, and external members view only.
	set := func(c *apptest.Client, f string, body map[string]any) apptest.Response {
		return c.Do("PUT", "/api/v1/drives/"+group+"/rights?folder="+f, body)
	}
	viewOnly := map[string]any{"owner": "full", "moderators": "full", "employees": "edit", "externals": "view"}
	set(bob, audit2, viewOnly).Must(t, 403)
	set(gina, audit2, viewOnly).Must(t, 403)
	if r := set(anna, audit2, viewOnly).Must(t, 200).JSON(); r["own"] != true || r["externals"] != "view" {
		t.Errorf("the auditor's folder: %v", r)
	}
	put(bob, audit2, "ledger.txt").Must(t, 201)
	sub := anna.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": "2026", "parentId": audit2}).Must(t, 201).JSON()["id"].(string)
	put(gina, audit2, "x.txt").Must(t, 403)
	put(gina, sub, "x.txt").Must(t, 403) // inherited below
	if level(gina, sub) != "view" || rights(gina, sub)["own"] != false {
		t.Errorf("below the auditor's folder: %v, %v", level(gina, sub), rights(gina, sub))
	}
	gina.Do("POST", "/api/v1/drives/"+group+"/folders", map[string]any{"name": "Mine", "parentId": audit2}).Must(t, 403)
	if n := len(gina.Do("GET", "/api/v1/drives/"+group+"/items?parent="+audit2, nil).Must(t, 200).JSON()["items"].([]any)); n != 2 {
		t.Errorf("Gina lists %d items in the auditor's folder", n)
	}

	// Hidden from external members: missing, for them, like anything they may not see.
	set(anna, private, map[string]any{"owner": "full", "moderators": "full", "employees": "edit", "externals": "none"}).Must(t, 200)
	put(bob, private, "salaries.txt").Must(t, 201)
	gina.Do("GET", "/api/v1/drive/items/"+private, nil).Must(t, 404)
	gina.Do("GET", "/api/v1/drives/"+group+"/rights?folder="+private, nil).Must(t, 404)
	put(gina, private, "x.txt").Must(t, 422)
	if res := gina.Do("GET", "/api/v1/drive/search?q=salaries", nil).Must(t, 200).JSON(); res["total"] != 0.0 {
		t.Errorf("Gina's search finds: %v", res)
	}
	if n := gina.Do("GET", "/api/v1/drives/"+group+"/items", nil).Must(t, 200).JSON()["total"]; n != 2.0 {
		t.Errorf("Gina lists %v items at the root, not 2", n)
	}

	// Rights stay with their drive: moved to My Drive and back, the folder inherits again.
	anna.Do("POST", "/api/v1/drive/items/"+private+"/move", map[string]any{"drive": "me"}).Must(t, 200)
	anna.Do("POST", "/api/v1/drive/items/"+private+"/move", map[string]any{"drive": group}).Must(t, 200)
	gina.Do("GET", "/api/v1/drive/items/"+private, nil).Must(t, 200)

	// Inherited again.
	set(anna, audit2, map[string]any{"inherit": true}).Must(t, 200)
	put(gina, sub, "x.txt").Must(t, 201)
	if res := set(anna, audit2, map[string]any{"owner": "full"}).Must(t, 422); res.FieldCodes()["body.externals"] != "required" {
		t.Errorf("rights half given: %s", res.Body)
	}
	anna.Do("GET", "/api/v1/drives/me/rights", nil).Must(t, 404)

	// Deleting needs edit rights; deleting for good, full rights.
	bob.Do("DELETE", "/api/v1/drive/items/"+sub, nil).Must(t, 204)
	bob.Do("DELETE", "/api/v1/drive/trash/"+sub, nil).Must(t, 403)
	bob.Do("POST", "/api/v1/drive/trash/"+sub+"/restore", nil).Must(t, 200)
	anna.Do("DELETE", "/api/v1/drive/items/"+sub, nil).Must(t, 204)
	anna.Do("DELETE", "/api/v1/drive/trash/"+sub, nil).Must(t, 204)
}

// Anna shares a folder of her My Drive with Gina, a contact: to view, then to edit; a
// stranger cannot be chosen; the share ends when they stop being contacts, and when Anna
// withdraws it; only Anna shares her items.
func TestSharingWithContacts(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	ginaUser := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	carlUser := env.CreateUser("carl@other.example", pw, store.KindExternal, false)
	anna := env.SignIn("anna@example.com", pw)
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	member := func(on bool) {
		t.Helper()
		if err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
			if on {
				return tx.PutMembership(context.Background(), group, ginaUser.ID, store.RoleMember, store.MemberActive)
			}
			return tx.DeleteMembership(context.Background(), group, ginaUser.ID)
		}); err != nil {
			t.Fatal(err)
		}
	}
	member(true)
	gina := env.SignIn("gina@client.example", pw)
	proposal := anna.Do("POST", "/api/v1/drives/me/folders", map[string]any{"name": "Proposal"}).Must(t, 201).JSON()["id"].(string)
	draft := anna.Do("PUT", "/api/v1/drives/me/files?parent="+proposal+"&name=draft.txt", "the draft", "Content-Type", "text/plain").Must(t, 201).JSON()["id"].(string)
	share := func(user, level string) apptest.Response {
		return anna.Do("PUT", "/api/v1/drive/items/"+proposal+"/shares/"+user, map[string]any{"level": level})
	}
	gina.Do("GET", "/api/v1/drive/items/"+proposal, nil).Must(t, 404)
	if got := share(ginaUser.ID, "view").Must(t, 200).JSON(); got["level"] != "view" || got["person"].(map[string]any)["id"] != ginaUser.ID {
		t.Errorf("shared: %v", got)
	}
	if res := share(carlUser.ID, "view").Must(t, 422); res.FieldCodes()["path.userId"] != "drive_share_person_unknown" {
		t.Errorf("a stranger: %s", res.Body)
	}
	share("nobody", "view").Must(t, 422)

	shared := gina.Do("GET", "/api/v1/drive/shared", nil).Must(t, 200).JSON()
	item := shared["items"].([]any)[0].(map[string]any)
	if shared["total"] != 1.0 || item["id"] != proposal || item["drive"] != "shared" || item["level"] != "view" ||
		item["owner"].(map[string]any)["name"] == "" {
		t.Errorf("shared with Gina: %v", shared)
	}
	root := gina.Do("GET", "/api/v1/drives/shared/items", nil).Must(t, 200).JSON()
	inside := gina.Do("GET", "/api/v1/drives/shared/items?parent="+proposal, nil).Must(t, 200).JSON()
	if root["total"] != 1.0 || inside["total"] != 1.0 || inside["level"] != "view" || root["level"] != "none" {
		t.Errorf("Gina browses what is shared: %v, then %v", root, inside)
	}
	if got := string(gina.Do("GET", "/api/v1/drive/items/"+draft+"/content", nil).Must(t, 200).Body); got != "the draft" {
		t.Errorf("the shared file: %q", got)
	}
	upload := func() apptest.Response {
		return gina.Do("PUT", "/api/v1/drives/shared/files?parent="+proposal+"&name=notes.txt", "notes", "Content-Type", "text/plain")
	}
	upload().Must(t, 403)
	gina.Do("PUT", "/api/v1/drive/items/"+proposal+"/shares/"+carlUser.ID, map[string]any{"level": "view"}).Must(t, 403)
	gina.Do("GET", "/api/v1/drive/items/"+proposal+"/shares", nil).Must(t, 403)

	// To edit: what she adds is Anna's.
	share(ginaUser.ID, "edit").Must(t, 200)
	notes := upload().Must(t, 201).JSON()
	if notes["drive"] != "shared" {
		t.Errorf("Gina's upload as she sees it: %v", notes)
	}
	if got := anna.Do("GET", "/api/v1/drive/items/"+notes["id"].(string), nil).Must(t, 200).JSON(); got["drive"] != "me" {
		t.Errorf("Gina's upload as Anna sees it: %v", got)
	}
	if list := anna.Do("GET", "/api/v1/drive/items/"+proposal+"/shares", nil).Must(t, 200).JSON()["items"].([]any); len(list) != 1 ||
		list[0].(map[string]any)["level"] != "edit" {
		t.Errorf("Anna's shares: %v", list)
	}

	// No longer contacts: the share is void; contacts again: back.
	member(false)
	gina.Do("GET", "/api/v1/drive/items/"+proposal, nil).Must(t, 404)
	gina.Do("GET", "/api/v1/drive/items/"+draft+"/content", nil).Must(t, 404)
	if n := gina.Do("GET", "/api/v1/drive/shared", nil).Must(t, 200).JSON()["total"]; n != 0.0 {
		t.Errorf("shared with someone no longer a contact: %v", n)
	}
	member(true)
	gina.Do("GET", "/api/v1/drive/items/"+proposal, nil).Must(t, 200)

	// Withdrawn.
	anna.Do("DELETE", "/api/v1/drive/items/"+proposal+"/shares/"+ginaUser.ID, nil).Must(t, 204)
	anna.Do("DELETE", "/api/v1/drive/items/"+proposal+"/shares/"+ginaUser.ID, nil).Must(t, 404)
	gina.Do("GET", "/api/v1/drive/items/"+draft, nil).Must(t, 404)

	// Taken to another drive, an item leaves its shares behind: back in a My Drive, it is
	// shared with nobody.
	share(ginaUser.ID, "view").Must(t, 200)
	internal := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Internal", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	anna.Do("POST", "/api/v1/drive/items/"+proposal+"/move", map[string]any{"drive": internal}).Must(t, 200)
	anna.Do("POST", "/api/v1/drive/items/"+proposal+"/move", map[string]any{"drive": "me"}).Must(t, 200)
	gina.Do("GET", "/api/v1/drive/items/"+proposal, nil).Must(t, 404)
	if _, total := env.SignIn(apptest.AdminEmail, apptest.AdminPassword).Activity(t, "action="+audit.DriveShared); total != 3 {
		t.Errorf("shares in the log: %d", total)
	}
}

// A public link: only employees make them by default; the visitor, signed in or not, opens
// the linked folder and nothing beside it; a password is asked and guessed slowly; the link
// expires, is withdrawn, stops when links are switched off or its item goes; visits and
// downloads are counted and logged.
func TestPublicLinks(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	anna, gina := env.SignIn("anna@example.com", pw), env.SignIn("gina@client.example", pw)
	upload := func(path, name, body string) string {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+name+"&path="+url.QueryEscape(path), body, "Content-Type", "text/plain").
			Must(t, 201).JSON()["id"].(string)
	}
	cover := upload("Brochure", "cover.txt", "the cover")
	draft := upload("Brochure/Drafts", "d.txt", "a draft")
	secret := upload("Private", "salaries.txt", "salaries")
	items := anna.Do("GET", "/api/v1/drives/me/items", nil).Must(t, 200).JSON()["items"].([]any)
	brochure := items[0].(map[string]any)["id"].(string)
	drafts := anna.Do("GET", "/api/v1/drive/items/"+draft, nil).Must(t, 200).JSON()["parentId"].(string)

	mine := gina.Do("POST", "/api/v1/drives/me/folders", map[string]any{"name": "Mine"}).Must(t, 201).JSON()["id"].(string)
	if res := gina.Do("POST", "/api/v1/drive/items/"+mine+"/links", map[string]any{}).Must(t, 403); res.Code() != "links_employees_only" {
		t.Errorf("an external user's link: %s", res.Body)
	}
	gina.Do("POST", "/api/v1/drive/items/"+brochure+"/links", map[string]any{}).Must(t, 403)
	anna.Do("POST", "/api/v1/drive/items/"+brochure+"/links", map[string]any{"password": "abc"}).Must(t, 422)
	anna.Do("POST", "/api/v1/drive/items/"+brochure+"/links", map[string]any{"expiresAt": "2020-01-01T00:00:00Z"}).Must(t, 422)
	made := anna.Do("POST", "/api/v1/drive/items/"+brochure+"/links", map[string]any{}).Must(t, 201).JSON()
	token := strings.SplitN(made["url"].(string), "/s#", 2)[1]
	link := made["id"].(string)

	visitor := env.Client()
	open := func(c *apptest.Client, token, password string) apptest.Response {
		return c.Do("POST", "/api/v1/public/link/open", map[string]any{"token": token, "password": password})
	}
	if got := open(visitor, token, "").Must(t, 200).JSON(); got["item"].(map[string]any)["name"] != "Brochure" || got["id"] != link {
		t.Errorf("the link opened: %v", got)
	}
	names := func(c *apptest.Client, parent string) []string {
		var out []string
		for _, it := range c.Do("GET", "/api/v1/public/link/"+link+"/items?parent="+parent, nil).Must(t, 200).JSON()["items"].([]any) {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		return out
	}
	if got := strings.Join(names(visitor, ""), ",") + ";" + strings.Join(names(visitor, drafts), ","); got != "Drafts,cover.txt;d.txt" {
		t.Errorf("the visitor lists %s", got)
	}
	content := func(c *apptest.Client, item string) apptest.Response {
		return c.Do("GET", "/api/v1/public/link/"+link+"/content?item="+item, nil)
	}
	if res := content(visitor, cover).Must(t, 200); string(res.Body) != "the cover" || res.Header.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("a linked file: %q %v", res.Body, res.Header)
	}
	content(visitor, secret).Must(t, 404)
	visitor.Do("GET", "/api/v1/public/link/"+link+"/items?parent="+secret, nil).Must(t, 404)
	if res := env.Client().Do("GET", "/api/v1/public/link/"+link+"/items", nil).Must(t, 404); res.Code() != "link_unknown" {
		t.Errorf("without having opened it: %s", res.Body)
	}
	open(env.Client(), "not-a-token", "").Must(t, 404)
	got := anna.Do("GET", "/api/v1/drive/items/"+brochure+"/links", nil).Must(t, 200).JSON()["items"].([]any)[0].(map[string]any)
	if got["visits"] != 1.0 || got["downloads"] != 1.0 || got["hasPassword"] != false {
		t.Errorf("the link's counts: %v", got)
	}
	if rows, total := admin.Activity(t, "action="+audit.DriveLinkDownloaded); total != 1 || rows[0].Actor.Kind != store.ActorAnonymous {
		t.Errorf("the download in the log: %d %+v", total, rows)
	}

	// A password, guessed slowly.
	guarded := anna.Do("POST", "/api/v1/drive/items/"+cover+"/links", map[string]any{"password": "open sesame"}).Must(t, 201).JSON()
	gtoken := strings.SplitN(guarded["url"].(string), "/s#", 2)[1]
	if res := open(env.Client(), gtoken, "").Must(t, 401); res.Code() != "link_password_needed" {
		t.Errorf("no password: %s", res.Body)
	}
	for range 10 {
		open(env.Client(), gtoken, "guess").Must(t, 403)
	}
	if res := open(env.Client(), gtoken, "open sesame").Must(t, 429); res.Header.Get("Retry-After") == "" {
		t.Errorf("after ten wrong passwords: %v", res.Header)
	}
	env.Clock.Advance(2 * time.Minute)
	open(env.Client(), gtoken, "open sesame").Must(t, 200)

	// Expired; withdrawn; its item gone; links switched off.
	soon := anna.Do("POST", "/api/v1/drive/items/"+cover+"/links", map[string]any{"expiresAt": env.Clock.Now().Add(time.Hour)}).Must(t, 201).JSON()
	env.Clock.Advance(2 * time.Hour)
	anna, admin = env.SignIn("anna@example.com", pw), env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	if res := open(env.Client(), strings.SplitN(soon["url"].(string), "/s#", 2)[1], "").Must(t, 410); res.Code() != "link_expired" {
		t.Errorf("expired: %s", res.Body)
	}
	anna.Do("DELETE", "/api/v1/drive/links/"+guarded["id"].(string), nil).Must(t, 204)
	if res := open(env.Client(), gtoken, "open sesame").Must(t, 410); res.Code() != "link_revoked" {
		t.Errorf("withdrawn: %s", res.Body)
	}
	anna.Do("DELETE", "/api/v1/drive/items/"+drafts, nil).Must(t, 204)
	visitor.Do("GET", "/api/v1/public/link/"+link+"/items?parent="+drafts, nil).Must(t, 404)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"publicLinks": "off"}).Must(t, 200)
	if res := visitor.Do("GET", "/api/v1/public/link/"+link+"/items", nil).Must(t, 410); res.Code() != "link_off" {
		t.Errorf("links switched off: %s", res.Body)
	}
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"publicLinks": "employees"}).Must(t, 200)
	anna.Do("DELETE", "/api/v1/drive/items/"+brochure, nil).Must(t, 204)
	if res := visitor.Do("GET", "/api/v1/public/link/"+link+"/items", nil).Must(t, 410); res.Code() != "link_gone" {
		t.Errorf("its folder deleted: %s", res.Body)
	}
}

// A folder downloads as one zip of what the downloader sees in it, by anyone who sees the
// folder; a public link's visitor gets the linked folder's.
func TestFolderAsZip(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna, bob := env.SignIn("anna@example.com", pw), env.SignIn("bob@example.com", pw)
	put := func(path, name, body string) string {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+name+"&path="+url.QueryEscape(path), body, "Content-Type", "text/plain").
			Must(t, 201).JSON()["id"].(string)
	}
	file := put("Site/css", "main.css", "body{}")
	put("Site", "index.txt", "hello")
	site := anna.Do("GET", "/api/v1/drives/me/items", nil).Must(t, 200).JSON()["items"].([]any)[0].(map[string]any)["id"].(string)
	unzip := func(res apptest.Response) map[string]string {
		zr, err := zip.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
		if err != nil {
			t.Fatalf("not a zip: %v (%s)", err, res.Header)
		}
		got := map[string]string{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			got[f.Name] = string(b)
		}
		return got
	}
	res := anna.Do("GET", "/api/v1/drive/items/"+site+"/zip", nil).Must(t, 200)
	got := unzip(res)
	if len(got) != 3 || got["css/"] != "" || got["css/main.css"] != "body{}" || got["index.txt"] != "hello" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "Site.zip") || res.Header.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("the zip holds %v, headers %v", got, res.Header)
	}
	anna.Do("GET", "/api/v1/drive/items/"+file+"/zip", nil).Must(t, 404)
	bob.Do("GET", "/api/v1/drive/items/"+site+"/zip", nil).Must(t, 404)

	made := anna.Do("POST", "/api/v1/drive/items/"+site+"/links", map[string]any{}).Must(t, 201).JSON()
	visitor := env.Client()
	visitor.Do("POST", "/api/v1/public/link/open", map[string]any{"token": strings.SplitN(made["url"].(string), "#", 2)[1]}).Must(t, 200)
	css := anna.Do("GET", "/api/v1/drive/items/"+file, nil).Must(t, 200).JSON()["parentId"].(string)
	if got := unzip(visitor.Do("GET", "/api/v1/public/link/"+made["id"].(string)+"/zip?folder="+css, nil).Must(t, 200)); len(got) != 1 || got["main.css"] != "body{}" {
		t.Errorf("the visitor's zip of css: %v", got)
	}
	env.Client().Do("GET", "/api/v1/public/link/"+made["id"].(string)+"/zip", nil).Must(t, 404)
}

// Quotas: a My Drive holds at most the settings' bound, every version and the trash
// counted; what would pass it is refused whole, before it is read when its size is told.
func TestQuotas(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"driveQuota": map[string]any{"personMB": 1, "groupMB": 0}}).Must(t, 200)
	part := strings.Repeat("x", 600<<10)
	put := func(name string) apptest.Response {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+name, part, "Content-Type", "text/plain")
	}
	id := put("one.txt").Must(t, 201).JSON()["id"].(string)
	before := bodies(t, env)
	if res := put("two.txt").Must(t, 413); res.Code() != "drive_quota_exceeded" || !strings.Contains(string(res.Body), "1 MB") {
		t.Errorf("over the quota: %s", res.Body)
	}
	put("one.txt").Must(t, 413) // a new version counts too
	anna.Do("POST", "/api/v1/drive/items/"+id+"/copy", map[string]any{"drive": "me", "name": "copy.txt"}).Must(t, 413)
	if after := bodies(t, env); after != before {
		t.Errorf("refused uploads left %d bodies, %d before", after, before)
	}
	page := anna.Do("GET", "/api/v1/drives/me/items", nil).Must(t, 200).JSON()
	if page["usedBytes"] != float64(600<<10) || page["quotaBytes"] != float64(1<<20) || page["total"] != 1.0 {
		t.Errorf("My Drive's usage: %v", page)
	}
	// The trash counts until it is emptied.
	anna.Do("DELETE", "/api/v1/drive/items/"+id, nil).Must(t, 204)
	put("two.txt").Must(t, 413)
	anna.Do("DELETE", "/api/v1/drive/trash/"+id, nil).Must(t, 204)
	put("two.txt").Must(t, 201)
	// A group's drive has its own bound (none here).
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Big files", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	for _, n := range []string{"a", "b"} {
		anna.Do("PUT", "/api/v1/drives/"+group+"/files?name="+n, part, "Content-Type", "text/plain").Must(t, 201)
	}
}

// A picture's preview is a small JPEG of its pixels, made once; anything else, a file that
// only claims to be a picture included, has none; it goes with its file.
func TestPreviews(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna, bob := env.SignIn("anna@example.com", pw), env.SignIn("bob@example.com", pw)
	img := image.NewRGBA(image.Rect(0, 0, 600, 300))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{R: 255, A: 255}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	put := func(name, body, typ string) string {
		return anna.Do("PUT", "/api/v1/drives/me/files?name="+name, body, "Content-Type", typ).Must(t, 201).JSON()["id"].(string)
	}
	pic := put("wide.png", buf.String(), "image/png")
	res := anna.Do("GET", "/api/v1/drive/items/"+pic+"/preview", nil).Must(t, 200)
	got, err := jpeg.Decode(bytes.NewReader(res.Body))
	if err != nil || got.Bounds().Dx() != 256 || got.Bounds().Dy() != 128 || res.Header.Get("Content-Security-Policy") != "sandbox" {
		t.Fatalf("the preview: %v, %v, %v", err, got, res.Header)
	}
	if again := anna.Do("GET", "/api/v1/drive/items/"+pic+"/preview", nil).Must(t, 200); again.Header.Get("ETag") != res.Header.Get("ETag") {
		t.Errorf("a preview made twice: %v then %v", res.Header.Get("ETag"), again.Header.Get("ETag"))
	}
	bob.Do("GET", "/api/v1/drive/items/"+pic+"/preview", nil).Must(t, 404)
	fake := put("fake.png", "GIF89a<script>alert(1)</script>", "image/png")
	for range 2 {
		if res := anna.Do("GET", "/api/v1/drive/items/"+fake+"/preview", nil).Must(t, 404); res.Code() != "drive_no_preview" {
			t.Errorf("a file that only claims to be a picture: %s", res.Body)
		}
	}
	anna.Do("GET", "/api/v1/drive/items/"+put("notes.txt", "x", "text/plain")+"/preview", nil).Must(t, 404)
	before := bodies(t, env)
	anna.Do("DELETE", "/api/v1/drive/items/"+pic, nil).Must(t, 204)
	anna.Do("DELETE", "/api/v1/drive/trash/"+pic, nil).Must(t, 204)
	if after := bodies(t, env); after != before-2 {
		t.Errorf("a picture removed for good left %d files of %d", after, before)
	}
}

// Files attached to a task show to those who see both the task and the file: attaching
// grants no sight of either. Those who work on the task attach; whoever attached a file,
// or may edit the task, takes it off.
func TestTaskAttachments(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	carlUser := env.CreateUser("carl@example.com", pw, store.KindEmployee, false)
	ginaUser := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", pw)
	group := anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	if err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		for _, u := range []store.User{carlUser, ginaUser} {
			if err := tx.PutMembership(context.Background(), group, u.ID, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	anna.Do("PATCH", "/api/v1/groups/"+group, map[string]any{"settings": map[string]any{"tools": []string{"tasks", "drive"},
		"invitePolicy": "owner", "externalTasks": "all"}}).Must(t, 200)
	gina, carl, bob := env.SignIn("gina@client.example", pw), env.SignIn("carl@example.com", pw), env.SignIn("bob@example.com", pw)
	task := anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Review the proofs", "groupId": group,
		"responsibleId": ginaUser.ID}).Must(t, 201).JSON()["id"].(string)
	put := func(c *apptest.Client, drive, name string) string {
		return c.Do("PUT", "/api/v1/drives/"+drive+"/files?name="+name, "x", "Content-Type", "text/plain").Must(t, 201).JSON()["id"].(string)
	}
	private, shared, ginas := put(anna, "me", "private.txt"), put(anna, group, "proofs.txt"), put(gina, "me", "notes.txt")
	attach := func(c *apptest.Client, item string) apptest.Response {
		return c.Do("PUT", "/api/v1/tasks/"+task+"/attachments/"+item, nil)
	}
	names := func(c *apptest.Client) string {
		var out []string
		for _, at := range c.Do("GET", "/api/v1/tasks/"+task+"/attachments", nil).Must(t, 200).JSON()["items"].([]any) {
			out = append(out, at.(map[string]any)["item"].(map[string]any)["name"].(string))
		}
		slices.Sort(out) // attached in one second of the test clock
		return strings.Join(out, ",")
	}
	attach(anna, private).Must(t, 204)
	attach(anna, shared).Must(t, 204)
	attach(anna, shared).Must(t, 204) // again: nothing new
	attach(gina, ginas).Must(t, 204)
	if res := attach(gina, private).Must(t, 422); res.FieldCodes()["path.itemId"] != "task_attach_file_unknown" {
		t.Errorf("a file Gina does not see: %s", res.Body)
	}
	if res := attach(carl, shared).Must(t, 403); res.Code() != "task_attach_forbidden" {
		t.Errorf("a member who does not work on the task: %s", res.Body)
	}
	bob.Do("GET", "/api/v1/tasks/"+task+"/attachments", nil).Must(t, 404)
	attach(bob, shared).Must(t, 404)
	if a, g, c := names(anna), names(gina), names(carl); a != "private.txt,proofs.txt" || g != "notes.txt,proofs.txt" || c != "proofs.txt" {
		t.Errorf("the attachments as Anna, Gina and Carl see them: %q, %q, %q", a, g, c)
	}
	gina.Do("DELETE", "/api/v1/tasks/"+task+"/attachments/"+shared, nil).Must(t, 403)
	gina.Do("DELETE", "/api/v1/tasks/"+task+"/attachments/"+ginas, nil).Must(t, 204)
	gina.Do("DELETE", "/api/v1/tasks/"+task+"/attachments/"+private, nil).Must(t, 404)
	anna.Do("DELETE", "/api/v1/drive/items/"+shared, nil).Must(t, 204)
	if a := names(anna); a != "private.txt" {
		t.Errorf("a file in the trash still shows: %q", a)
	}
}
