package isolation_test

import (
	"slices"
	"strings"

	"annex/store"
)

// The operations of My account → Security, the password reset and the administrator's
// help (docs/account-security.md), as the isolation test tries them.

// liveSessions are the ids of a user's live sessions, read straight from the database.
func (r *run) liveSessions(userID string, others bool) []string {
	now := r.env.Clock.Now().Unix()
	q := `SELECT id FROM sessions WHERE user_id = ? AND idle_expires_at > ? AND absolute_expires_at > ?`
	if others {
		q = `SELECT id FROM sessions WHERE user_id <> ? AND idle_expires_at > ? AND absolute_expires_at > ?`
	}
	rows, err := r.db.Query(q, userID, now, now)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			r.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// exerciseMySessions: a person lists exactly their own live sessions, this one marked.
func exerciseMySessions(r *run, a actor) {
	const path = "/api/v1/me/sessions"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	var got []string
	current := 0
	items, _ := res.JSON()["items"].([]any)
	for _, it := range items {
		s, _ := it.(map[string]any)
		id, _ := s["id"].(string)
		got = append(got, id)
		if s["current"] == true {
			current++
		}
	}
	slices.Sort(got)
	if want := r.liveSessions(a.user.ID, false); res.Status != 200 || !slices.Equal(got, want) || current != 1 {
		r.leak(a, "GET", path, "sessions %v (%d current), want %v: %d %s", got, current, want, res.Status, res.Body)
	}
}

// exerciseEndSession: everybody else's session, and an unknown id, is not found and
// stays; the actor's own are not tried (the world keeps its sessions).
func exerciseEndSession(r *run, a actor) {
	for _, id := range append(r.liveSessions(a.user.ID, true), store.NewID()) {
		path := "/api/v1/me/sessions/" + id
		before := r.digest()
		res := r.do(a, "DELETE", path, nil)
		if !r.anonymousRefused(a, "DELETE", path, res) && res.Status != 404 {
			r.leak(a, "DELETE", path, "status %d for someone else's session, want 404: %s", res.Status, res.Body)
		}
		if r.digest() != before {
			r.leak(a, "DELETE", path, "a refused request changed the database")
		}
	}
}

// exerciseEndOthers: signing out one's other sessions leaves everyone else's. The first
// administrator is not tried: the world's events ride on another session of theirs.
func exerciseEndOthers(r *run, a actor) {
	const path = "/api/v1/me/sessions/end-others"
	if a.user.ID == r.w.users[0].ID {
		return
	}
	others := r.liveSessions(a.user.ID, true)
	res := r.do(a, "POST", path, nil)
	if r.anonymousRefused(a, "POST", path, res) {
		return
	}
	if res.Status != 204 {
		r.leak(a, "POST", path, "status %d, want 204: %s", res.Status, res.Body)
	}
	if after := r.liveSessions(a.user.ID, true); !slices.Equal(after, others) {
		r.leak(a, "POST", path, "other people's sessions went from %v to %v", others, after)
	}
}

// exerciseChangeEmail: an address another account has is refused exactly when the
// oracle lets the actor see that account; otherwise the answer is a free address's.
// One person a round: the requests are limited per person, and a limited or stale
// answer (429, or 403 for a password entered too long ago) is the same for all.
func exerciseChangeEmail(r *run, a actor) {
	const path = "/api/v1/me/email"
	target, ok := pick(r, r.w.users, func(u store.User) bool { return u.ID != a.user.ID })
	if !ok {
		return
	}
	res := r.do(a, "POST", path, map[string]any{"email": target.Email})
	if r.anonymousRefused(a, "POST", path, res) {
		return
	}
	seen := r.w.sees(a.user, target)
	switch {
	case res.Status == 429 || res.Code() == "reauth_required":
	case seen && (res.Status != 422 || res.FieldCodes()["body.email"] != "email_taken"):
		r.leak(a, "POST", path, "the address of %s, whom the actor sees: %d %s, want email_taken", target.Email, res.Status, res.Body)
	case !seen && (res.Status != 202 || res.JSON()["email"] != target.Email):
		r.leak(a, "POST", path, "the address of %s, whom the oracle hides: %d %s, want a free address's answer",
			target.Email, res.Status, res.Body)
	}
}

// exerciseAccountLink: the operations of mailed links with a token nobody was given
// answer not found (or, once the address has tried too often, "too many") and name nobody.
func exerciseAccountLink(path string, body map[string]any) exercise {
	return func(r *run, a actor) {
		b := map[string]any{"token": store.NewID() + store.NewID()}
		for k, v := range body {
			b[k] = v
		}
		// A try is counted (the throttle), so the database may change.
		res := r.do(a, "POST", path, b)
		if res.Status != 404 && res.Status != 429 {
			r.leak(a, "POST", path, "status %d for an unknown token: %s", res.Status, res.Body)
		}
		for _, u := range r.w.users {
			if strings.Contains(string(res.Body), u.Email) {
				r.leak(a, "POST", path, "names %s", u.Email)
			}
		}
	}
}

// exerciseRequestReset: "forgot password" answers alike for an address with an account
// and one without, and names nobody.
func exerciseRequestReset(r *run, a actor) {
	const path = "/api/v1/auth/password-reset"
	target, _ := pick(r, r.w.users, func(store.User) bool { return true })
	known := r.do(a, "POST", path, map[string]any{"email": target.Email})
	unknown := r.do(a, "POST", path, map[string]any{"email": "nobody-" + store.NewID() + "@example.com"})
	for _, res := range []struct {
		status int
		body   string
	}{{known.Status, string(known.Body)}, {unknown.Status, string(unknown.Body)}} {
		if res.status == 202 && res.body != "" || res.status != 202 && res.status != 429 {
			r.leak(a, "POST", path, "answer %d %s", res.status, res.body)
		}
	}
}
