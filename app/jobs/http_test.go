package jobs_test

import (
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

// Admin → Jobs lists every job with its schedule and last run, and runs one now: in the
// background, once at a time, never one switched off, and only for administrators.
func TestAdminJobs(t *testing.T) {
	off := false
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.Jobs = map[string]config.Job{"invitation_cleanup": {Enabled: &off}}
	}})
	admin := env.Setup()
	env.CreateUser("anna@example.com", "correct horse battery staple", store.KindEmployee, false)
	anna := env.SignIn("anna@example.com", "correct horse battery staple")

	jobs := func() map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, j := range admin.Do("GET", "/api/v1/admin/jobs", nil).Must(t, 200).JSON()["items"].([]any) {
			out[j.(map[string]any)["name"].(string)] = j.(map[string]any)
		}
		return out
	}
	got := jobs()
	for _, name := range []string{"session_cleanup", "invitation_cleanup", "activity_retention", "access_expiry", "expiry_reminders", "backup"} {
		if got[name] == nil {
			t.Errorf("%s is not listed: %v", name, got)
		}
	}
	if j := got["access_expiry"]; j["schedule"] != "@every 1m" || j["enabled"] != true || j["lastRun"] != nil {
		t.Errorf("access_expiry before any run: %v", j)
	}
	if got["invitation_cleanup"]["enabled"] != false {
		t.Errorf("a job switched off in the configuration: %v", got["invitation_cleanup"])
	}

	admin.Do("POST", "/api/v1/admin/jobs/access_expiry/run", nil).Must(t, 202)
	var last map[string]any
	for i := 0; i < 100 && last == nil; i++ {
		last, _ = jobs()["access_expiry"]["lastRun"].(map[string]any)
		time.Sleep(20 * time.Millisecond)
	}
	if last == nil || last["error"] != "" || last["succeededAt"] == "" || last["durationMs"].(float64) < 0 {
		t.Errorf("after a run: %v", last)
	}
	if res := admin.Do("POST", "/api/v1/admin/jobs/invitation_cleanup/run", nil).Must(t, 409); res.Code() != "job_disabled" {
		t.Errorf("a job switched off: %s", res.Body)
	}
	if res := admin.Do("POST", "/api/v1/admin/jobs/no_such_job/run", nil).Must(t, 404); res.Code() != "job_unknown" {
		t.Errorf("an unknown job: %s", res.Body)
	}
	anna.Do("GET", "/api/v1/admin/jobs", nil).Must(t, 403)
	anna.Do("POST", "/api/v1/admin/jobs/access_expiry/run", nil).Must(t, 403)
	rows := admin.Do("GET", "/api/v1/admin/activity?action=admin.job_run", nil).Must(t, 200).JSON()["items"].([]any)
	if len(rows) != 1 || rows[0].(map[string]any)["object"].(map[string]any)["id"] != "access_expiry" {
		t.Errorf("the run's row: %v", rows)
	}
}
