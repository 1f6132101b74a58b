package settings_test

import (
	"testing"
	"time"

	"annex/app/apperr"
	"annex/app/apptest"
	"annex/app/config"
	"annex/app/mail"
	"annex/app/settings"
)

// The stored SMTP password is reused only for the very server it was stored for.
func TestStoredSMTPPasswordStaysWithItsServer(t *testing.T) {
	stored := mail.SMTP{Enabled: true, Host: "mail.example.com", Port: 587, Security: "starttls", Username: "annex",
		Password: "s3cret", From: "annex@example.com"}
	for _, tc := range []struct {
		name string
		in   settings.SMTPInput
		want string
	}{
		{"same server", settings.SMTPInput{Enabled: true, Host: "mail.example.com", Port: 587, Username: "annex", From: "annex@example.com"}, "s3cret"},
		{"other host", settings.SMTPInput{Enabled: true, Host: "evil.example.com", Port: 587, Username: "annex", From: "annex@example.com"}, ""},
		{"other port", settings.SMTPInput{Enabled: true, Host: "mail.example.com", Port: 25, Username: "annex", From: "annex@example.com"}, ""},
		{"other account", settings.SMTPInput{Enabled: true, Host: "mail.example.com", Port: 587, Username: "root", From: "annex@example.com"}, ""},
		{"new password", settings.SMTPInput{Enabled: true, Host: "evil.example.com", Port: 587, Username: "annex", Password: "typed", From: "annex@example.com"}, "typed"},
	} {
		var f apperr.Fields
		if got := tc.in.Clean(stored, &f).Password; got != tc.want || len(f) != 0 {
			t.Errorf("%s: password %q (fields %v), want %q", tc.name, got, f, tc.want)
		}
	}
}

func TestTestSendNeedsARecentPassword(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.Clock.Advance(11 * time.Minute)
	res := admin.Do("POST", "/api/v1/admin/settings/smtp/test", map[string]any{"enabled": true, "host": "127.0.0.1",
		"port": 25, "security": "none", "from": "a@example.com", "to": "b@example.com"}).Must(t, 403)
	if res.Code() != "reauth_required" {
		t.Errorf("test send with a stale password: %s", res.Body)
	}
}

// The base URL decides every mailed link and the cookies: changing it needs the password
// entered within ten minutes; other settings, and sending the same base URL, do not.
func TestChangingTheBaseURLNeedsARecentPassword(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	env.Clock.Advance(11 * time.Minute)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Example Group",
		"baseUrl": "http://127.0.0.1"}).Must(t, 200)
	res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"baseUrl": "https://elsewhere.example.com"}).Must(t, 403)
	if res.Code() != "reauth_required" {
		t.Fatalf("base URL with a stale password: %s", res.Body)
	}
	if got := admin.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200).JSON()["baseUrl"]; got != "http://127.0.0.1" {
		t.Errorf("base URL changed anyway: %v", got)
	}
	admin.Do("POST", "/api/v1/auth/confirm", map[string]any{"password": apptest.AdminPassword}).Must(t, 204)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"baseUrl": "http://intranet.example.com"}).Must(t, 200)
}

// Settings pinned by the configuration win, show as locked, and cannot be changed.
func TestPinnedSettings(t *testing.T) {
	base := "HTTPS://Intranet.example.com/"
	host := "smtp.example.com"
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.Settings.BaseURL = &base
		c.Settings.SMTP.Host = &host
	}})
	admin := env.Setup()
	s := admin.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200).JSON()
	if s["baseUrl"] != "https://Intranet.example.com" {
		t.Errorf("pinned base URL not cleaned: %v", s["baseUrl"])
	}
	smtp := s["smtp"].(map[string]any)
	if smtp["host"] != host || smtp["port"] != float64(587) || smtp["enabled"] != true {
		t.Errorf("pinned SMTP host: %v", smtp)
	}
	locked := s["locked"].([]any)
	if len(locked) != 2 || locked[0] != "baseUrl" || locked[1] != "smtp.host" {
		t.Errorf("locked = %v", locked)
	}
	res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"baseUrl": "https://other.example.com"}).Must(t, 422)
	if res.FieldCodes()["body.baseUrl"] != "locked" {
		t.Errorf("changing a pinned value: %s", res.Body)
	}
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Renamed Ltd"}).Must(t, 200)
}

// Settings written whole by the wizard, before anyone chose an access review policy, keep
// its defaults: off, with two weeks to answer once switched on.
func TestReviewPolicyDefaultsAfterSetup(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	got := admin.Do("GET", "/api/v1/admin/settings", nil).Must(t, 200).JSON()["accessReview"].(map[string]any)
	if got["days"] != float64(0) || got["graceDays"] != float64(14) || got["lapse"] != false {
		t.Errorf("after setup: %v", got)
	}
}
