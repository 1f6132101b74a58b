package drive_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	before = bodies(t, env)

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
