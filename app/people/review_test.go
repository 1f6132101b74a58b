package people_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/people"
	"annex/store"
)

func TestAccessReviewAskedAnsweredAndLapsed(t *testing.T) {
	ctx := context.Background()
	env := apptest.New(t)
	smtp := apptest.NewSMTP(t)
	admin := env.Setup()
	env.UseSMTP(admin, smtp)
	admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"accessReview": map[string]any{"days": 30, "graceDays": 7, "lapse": true}}).Must(t, 200)
	if res := admin.Do("PATCH", "/api/v1/admin/settings", map[string]any{"accessReview": map[string]any{"days": 30, "graceDays": 0}}).Must(t, 422); len(res.FieldCodes()) == 0 {
		t.Errorf("no time to answer: %s", res.Body)
	}
	anna := env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	olga := env.CreateUser("olga@example.com", pw, store.KindEmployee, false)
	gina := env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	// Anna owns Gina's group; Olga shares another group with her and owns nothing of hers.
	project := &store.Group{Name: "Client project", Kind: store.GroupExtranet, Visibility: store.VisibilitySecret}
	other := &store.Group{Name: "Other", Kind: store.GroupExtranet, Visibility: store.VisibilitySecret}
	err := env.Store.Tx(ctx, func(tx *store.Tx) error {
		for _, g := range []*store.Group{project, other} {
			if err := tx.CreateGroup(ctx, g); err != nil {
				return err
			}
		}
		for _, m := range []struct {
			g    *store.Group
			u    store.User
			role string
		}{{project, anna, store.RoleOwner}, {project, gina, store.RoleMember}, {other, olga, store.RoleOwner},
			{other, gina, store.RoleMember}, {other, anna, store.RoleMember}} {
			if err := tx.PutMembership(ctx, m.g.ID, m.u.ID, m.role, store.MemberActive); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reviews := people.NewReviews(env.Store, env.Server.Settings())
	run := func() {
		t.Helper()
		if err := reviews.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list := func(c *apptest.Client, state string) []any {
		t.Helper()
		return c.Do("GET", "/api/v1/access-reviews?state="+state, nil).Must(t, 200).JSON()["items"].([]any)
	}

	// Not due before her account is 30 days old; then asked of her group's owners, once.
	run()
	if n := len(list(admin, "")); n != 0 {
		t.Fatalf("%d reviews for a new account", n)
	}
	env.Clock.Advance(31 * 24 * time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	run()
	run()
	annaC, olgaC, ginaC := env.SignIn("anna@example.com", pw), env.SignIn("olga@example.com", pw), env.SignIn("gina@client.example", pw)
	open := list(admin, "open")
	if len(open) != 1 {
		t.Fatalf("open reviews: %v", open)
	}
	r := open[0].(map[string]any)
	id := r["id"].(string)
	if r["person"].(map[string]any)["id"] != gina.ID || (r["reviewer"].(map[string]any)["id"] != anna.ID && r["reviewer"].(map[string]any)["id"] != olga.ID) {
		t.Errorf("the review: %v", r)
	}
	reviewer := map[string]string{anna.ID: "anna@example.com", olga.ID: "olga@example.com"}[r["reviewer"].(map[string]any)["id"].(string)]
	m := smtp.To(t, reviewer, 1, 10*time.Second)
	if !strings.Contains(m.Text(), "/reviews") || !strings.Contains(m.Text(), "gina@client.example") {
		t.Errorf("the mail to the reviewer:\n%s", m.Text())
	}
	mine, notMine := annaC, olgaC
	if reviewer == "olga@example.com" {
		mine, notMine = olgaC, annaC
	}
	if got := list(mine, ""); len(got) != 1 || got[0].(map[string]any)["mayAnswer"] != true {
		t.Errorf("the reviewer's list: %v", got)
	}
	if got := list(notMine, ""); len(got) != 0 {
		t.Errorf("someone else's list: %v", got)
	}
	if got := list(ginaC, ""); len(got) != 0 {
		t.Errorf("her own list: %v", got)
	}
	notMine.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "end"}).Must(t, 404)
	mine.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "maybe"}).Must(t, 422)
	if got := mine.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "keep"}).Must(t, 200).JSON(); got["state"] != "answered" || got["answer"] != "keep" {
		t.Errorf("kept: %v", got)
	}
	if res := mine.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "end"}).Must(t, 409); res.Code() != "review_answered" {
		t.Errorf("answered twice: %s", res.Body)
	}
	ginaC.Do("GET", "/api/v1/me", nil).Must(t, 200)

	// The next review: the reviewer is no longer responsible for her (she left the
	// reviewer's group, they still share the other), so only an administrator answers.
	env.Clock.Advance(31 * 24 * time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	run()
	id = list(admin, "open")[0].(map[string]any)["id"].(string)
	reviewerID := list(admin, "open")[0].(map[string]any)["reviewer"].(map[string]any)["id"].(string)
	left := project.ID
	if reviewerID == olga.ID {
		left = other.ID
	}
	err = env.Store.Tx(ctx, func(tx *store.Tx) error { return tx.DeleteMembership(ctx, left, gina.ID) })
	if err != nil {
		t.Fatal(err)
	}
	mine = env.SignIn(map[string]string{anna.ID: "anna@example.com", olga.ID: "olga@example.com"}[reviewerID], pw)
	if res := mine.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "keep"}); res.Status != 403 && res.Status != 404 {
		t.Errorf("answered by someone no longer responsible: %s", res.Body)
	}
	admin.Do("POST", "/api/v1/access-reviews/"+id+"/answer", map[string]any{"answer": "end"}).Must(t, 200)
	if p := admin.Do("GET", "/api/v1/people/"+gina.ID, nil).Must(t, 200).JSON(); p["active"] != false {
		t.Errorf("ended: %v", p)
	}

	// Reactivated, reviewed again, and nobody answers within the grace period.
	admin.Do("POST", "/api/v1/admin/users/"+gina.ID+"/reactivate", nil).Must(t, 200)
	env.Clock.Advance(31 * 24 * time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	run()
	if n := len(list(admin, "open")); n != 1 {
		t.Fatalf("%d open reviews", n)
	}
	env.Clock.Advance(8 * 24 * time.Hour)
	admin = env.SignIn(apptest.AdminEmail, apptest.AdminPassword)
	run()
	if p := admin.Do("GET", "/api/v1/people/"+gina.ID, nil).Must(t, 200).JSON(); p["active"] != false {
		t.Errorf("lapsed: %v", p)
	}
	for action, n := range map[string]int{"access.review_requested": 3, "access.review_answered": 2, "access.review_lapsed": 1} {
		if got := len(admin.Do("GET", "/api/v1/admin/activity?action="+action, nil).Must(t, 200).JSON()["items"].([]any)); got != n {
			t.Errorf("%s: %d rows, want %d", action, got, n)
		}
	}
	if got := list(admin, "answered"); len(got) != 3 {
		t.Errorf("answered reviews: %v", got)
	}
}
