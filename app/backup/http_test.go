package backup_test

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/auth"
)

// Admin → Backups through the real server: back up now, follow its progress, list it,
// and download it only with a recently entered password.
func TestAdminBackupsAPI(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	emp := env.CreateUser("emp@example.com", "a long enough password 1", "employee", false)
	empC := env.SignIn(emp.Email, "a long enough password 1")
	empC.Do("POST", "/api/v1/admin/backups", nil).Must(t, 403)

	list := admin.Do("GET", "/api/v1/admin/backups", nil).Must(t, 200).JSON()
	if list["total"].(float64) != 0 {
		t.Fatalf("a new server lists backups: %v", list)
	}
	st := admin.Do("POST", "/api/v1/admin/backups", nil).Must(t, 202).JSON()
	if st["running"] != true {
		t.Fatalf("back up now: %v", st)
	}
	env.Server.Backups.Wait()
	st = admin.Do("GET", "/api/v1/admin/backup-status", nil).Must(t, 200).JSON()
	p := st["progress"].(map[string]any)
	if st["running"] != false || st["name"] == "" || st["error"] != nil || p["phase"] != "done" || p["bytesDone"] != p["bytesTotal"] {
		t.Fatalf("finished backup: %v", st)
	}
	name := st["name"].(string)
	list = admin.Do("GET", "/api/v1/admin/backups?perPage=1", nil).Must(t, 200).JSON()
	items := list["items"].([]any)
	if list["total"].(float64) != 1 || len(items) != 1 || items[0].(map[string]any)["name"] != name ||
		items[0].(map[string]any)["size"].(float64) < 1024 {
		t.Fatalf("list after a backup: %v", list)
	}
	if s := list["summary"].(map[string]any); s["latest"] == nil || s["lastError"] != nil {
		t.Errorf("summary: %v", s)
	}

	// Past the re-authentication window, the download asks for the password again.
	env.Clock.Advance(auth.ReauthWindow + time.Minute)
	if r := admin.Do("GET", "/api/v1/admin/backups/"+name+"/download", nil); r.Status != 403 || r.Code() != "reauth_required" {
		t.Fatalf("download without a recent password: %d %s", r.Status, r.Body)
	}
	admin.Do("GET", "/api/v1/admin/backups/"+name, nil).Must(t, 403)
	admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}).Must(t, 204)
	admin.Do("GET", "/api/v1/admin/backups/"+name, nil).Must(t, 200)
	admin.Do("GET", "/api/v1/admin/backups/annex-backup-20200101T000000Z.tar", nil).Must(t, 404)
	admin.Do("GET", "/api/v1/admin/backups/annex.db/download", nil).Must(t, 404)
	r := admin.Do("GET", "/api/v1/admin/backups/"+name+"/download", nil).Must(t, 200)
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, name) {
		t.Errorf("Content-Disposition %q", cd)
	}
	tr := tar.NewReader(bytes.NewReader(r.Body))
	var names []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	if got := strings.Join(names, " "); got != "manifest.json secret.key annex.db SHA256SUMS" {
		t.Errorf("downloaded backup holds %s", got)
	}
	empC.Do("GET", "/api/v1/admin/backups/"+name+"/download", nil).Must(t, 403)
}
