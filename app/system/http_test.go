package system_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/system"
	"annex/store"
)

func checks(t *testing.T, c *apptest.Client) map[string]system.Check {
	t.Helper()
	res := c.Do("GET", "/api/v1/admin/system", nil).Must(t, 200)
	var rep system.Report
	if err := json.Unmarshal(res.Body, &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]system.Check{}
	for _, ch := range rep.Checks {
		out[ch.Key] = ch
	}
	return out
}

func want(t *testing.T, c system.Check, level, message string) {
	t.Helper()
	if c.Level != level || c.Message != message {
		t.Errorf("%s: %s %s, want %s %s (%+v)", c.Key, c.Level, c.Message, level, message, c)
	}
}

// The page lists every check; the backup, outbox and jobs rows warn, each with its own
// message, and stop warning once the cause is gone.
func TestSystemChecks(t *testing.T) {
	env := apptest.New(t, apptest.Options{NoMailWorker: true})
	admin := env.Setup()
	ctx := context.Background()

	got := checks(t, admin)
	for _, k := range []string{"version", "uptime", "data", "database", "outbox", "jobs", "backup"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %s check", k)
		}
	}
	if got["version"].Text != "test" {
		t.Errorf("version %q", got["version"].Text)
	}
	if d := got["data"]; d.Bytes == nil || *d.Bytes <= 0 || d.FreeBytes == nil || d.TotalBytes == nil || *d.TotalBytes < *d.FreeBytes {
		t.Errorf("data: %+v", d)
	}
	if db := got["database"]; db.Bytes == nil || *db.Bytes <= 0 {
		t.Errorf("database: %+v", db)
	}
	want(t, got["outbox"], system.OK, "outbox_ok")
	want(t, got["jobs"], system.OK, "jobs_ok")
	want(t, got["backup"], system.Warning, "backup_none")

	// A backup: fine, until it is more than two days old.
	admin.Do("POST", "/api/v1/admin/backups", nil).Must(t, 202)
	env.Server.Backups.Wait()
	want(t, checks(t, admin)["backup"], system.OK, "backup_ok")
	env.Clock.Advance(system.BackupMaxAge + time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword) // the session has lapsed meanwhile
	old := checks(t, admin)["backup"]
	want(t, old, system.Warning, "backup_old")
	if old.Seconds == nil || *old.Seconds < int64(system.BackupMaxAge.Seconds()) {
		t.Errorf("backup age %v", old.Seconds)
	}

	// A failed job, and the failed backup that it is.
	err := env.Store.Tx(ctx, func(tx *store.Tx) error {
		return tx.RecordJobRun(ctx, "backup", tx.Now(), 0, errors.New("no space left on device"))
	})
	if err != nil {
		t.Fatal(err)
	}
	got = checks(t, admin)
	want(t, got["backup"], system.Warning, "backup_failed")
	want(t, got["jobs"], system.Warning, "jobs_failed")
	if got["jobs"].Text != "backup" || *got["jobs"].Count != 1 {
		t.Errorf("jobs: %+v", got["jobs"])
	}

	// A mail given up on.
	err = env.Store.Tx(ctx, func(tx *store.Tx) error {
		m := &store.Mail{Kind: "test", To: "x@example.com", Subject: "s", Text: "t"}
		if err := tx.EnqueueMail(ctx, m, "example.com"); err != nil {
			return err
		}
		return tx.MailAttemptFailed(ctx, m.ID, "550 no such user", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := checks(t, admin)["outbox"]
	want(t, out, system.Warning, "outbox_failed")
	if *out.Count != 1 {
		t.Errorf("outbox count %d", *out.Count)
	}
}

// Only administrators see the page.
func TestSystemAdminOnly(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	env.CreateUser("emma@example.com", "correct horse battery", store.KindEmployee, false)
	emma := env.SignIn("emma@example.com", "correct horse battery")
	res := emma.Do("GET", "/api/v1/admin/system", nil).Must(t, 403)
	if res.Code() != "admin_only" {
		t.Errorf("code %q", res.Code())
	}
	env.Client().Do("GET", "/api/v1/admin/system", nil).Must(t, 401)
}
