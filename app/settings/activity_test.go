package settings_test

import (
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/audit"
	"annex/store"
)

// Each accepted settings change leaves one row naming the administrator and the fields
// that changed, never a value of the SMTP password; a refused change, or one that
// changes nothing, leaves none.
func TestSettingsChangesAreLogged(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	adminID := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	env.CreateUser("anna@example.com", apptest.AdminPassword, store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", apptest.AdminPassword)
	smtp := map[string]any{"enabled": true, "host": "mail.example.com", "port": 587, "security": "starttls",
		"username": "annex", "password": "Sup3r-Secret-Pa55", "from": "annex@example.com"}

	anna.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Anna's Ltd"}).Must(t, 403)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": " "}).Must(t, 422)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Example Ltd"}).Must(t, 200) // as it was
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Example Group", "extranetEnabled": false,
		"twoFactor": map[string]any{"employees": "off"}}).Must(t, 200)
	admin.Do("PUT", "/api/v1/admin/settings/smtp", map[string]any{"enabled": true, "host": "bad host"}).Must(t, 422)
	admin.Do("PUT", "/api/v1/admin/settings/smtp", smtp).Must(t, 200)
	smtp["password"] = ""
	admin.Do("PUT", "/api/v1/admin/settings/smtp", smtp).Must(t, 200) // keeps the stored password: nothing changes
	env.Clock.Advance(11 * time.Minute)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"baseUrl": "https://elsewhere.example.com"}).Must(t, 403)

	rows, total := admin.Activity(t, "action="+audit.SettingsChanged)
	if total != 2 || len(rows) != 2 {
		t.Fatalf("settings rows: %+v", rows)
	}
	mail, general := rows[0], rows[1]
	if general.Actor.ID != adminID || general.Details["fields"] != "companyName, extranetEnabled, twoFactor.employees" {
		t.Errorf("general settings: %+v", general)
	}
	if mail.Actor.ID != adminID ||
		mail.Details["fields"] != "smtp.enabled, smtp.host, smtp.port, smtp.security, smtp.username, smtp.password, smtp.from" {
		t.Errorf("mail settings: %+v", mail)
	}
	for _, r := range rows {
		for k, v := range r.Details {
			if strings.Contains(v, "Sup3r") || strings.Contains(k, "Sup3r") {
				t.Errorf("the SMTP password in the log: %+v", r)
			}
		}
	}
}
