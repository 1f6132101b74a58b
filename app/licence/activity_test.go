package licence_test

import (
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// Each accepted licence upload leaves one row; a refused one leaves none.
func TestLicenceUploadsAreLogged(t *testing.T) {
	key := testKey(t)
	env := apptest.New(t)
	admin := env.Setup()
	adminID := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	env.CreateUser("anna@example.com", apptest.AdminPassword, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", apptest.AdminPassword)
	year := env.Clock.T.Add(365 * 24 * time.Hour)

	anna.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceFor(key, 12, year)}).Must(t, 403)
	admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": "not a licence"}).Must(t, 422)
	admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceFor(key, 12, year)}).Must(t, 200)
	admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": ""}).Must(t, 200) // back to the free edition

	rows, total := admin.Activity(t, "action="+audit.LicenceUploaded)
	if total != 2 || len(rows) != 2 {
		t.Fatalf("licence rows: %+v", rows)
	}
	free, paid := rows[0], rows[1]
	if paid.Actor.ID != adminID || paid.Object.Type != "licence" || paid.Object.Label != "Example Ltd" ||
		paid.Details["edition"] != "business" || paid.Details["seats"] != "12" || paid.Details["expires"] != year.UTC().Format(time.DateOnly) {
		t.Errorf("licence: %+v", paid)
	}
	if free.Actor.ID != adminID || free.Details["edition"] != "free" || free.Details["licensee"] != "" {
		t.Errorf("free edition: %+v", free)
	}
	if _, total := admin.Activity(t, "action="+audit.SettingsChanged); total != 0 {
		t.Errorf("a licence upload is not a settings change: %d rows", total)
	}
}
