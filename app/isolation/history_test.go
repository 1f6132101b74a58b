package isolation_test

import (
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"annex/app/apptest"
	"annex/store"
)

// The isolation test's worlds have a history: after everyone has acted, events happen
// (people leave, are removed, demoted, handed a group, deactivated and reactivated;
// groups are archived, restored, renamed and change who may invite; the extranet is
// switched off and on; invitations are revoked or run out), and after each one every
// actor replays every operation against the oracle, which follows the events. Leaks
// live where someone had a right and lost it: those people keep their sessions (or,
// deactivated, their former sessions) and try everything again.

// eventsPerWorld is how many events each world lives through (ISOLATION_EVENTS).
func eventsPerWorld() int {
	if n, err := strconv.Atoi(os.Getenv("ISOLATION_EVENTS")); err == nil && n >= 0 {
		return n
	}
	return 3
}

// licenceText is a licence with seats to spare, signed by the test's own key.
var licenceText string

func signLicence(priv ed25519.PrivateKey) string {
	payload := `{"licensee":"Isolation","edition":"business","seats":1000000,"issued":"2026-01-01T00:00:00Z","expires":"2099-01-01T00:00:00Z"}`
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(ed25519.Sign(priv, []byte(payload)))
}

// live runs the world: everyone acts, then each event is followed by a full replay.
func (r *run) live(ops []string) {
	r.exercise(ops)
	for range eventsPerWorld() {
		if len(r.leaks) > 0 {
			return
		}
		if r.event() {
			r.events++
			r.exercise(ops)
		}
	}
}

// event makes one random thing happen, through the first administrator's API (or, for
// leaving, the person's own), and tells the oracle. It reports whether one happened.
func (r *run) event() bool {
	kinds := []func() string{r.leaveEvent, r.removeEvent, r.demoteEvent, r.handOverEvent, r.deactivateEvent,
		r.reactivateEvent, r.adminEvent, r.moveEvent, r.archiveEvent, r.renameEvent, r.extranetEvent, r.policyEvent,
		r.revokeEvent, r.expireEvent}
	for range 20 {
		if what := kinds[r.rng.IntN(len(kinds))](); what != "" {
			r.history = append(r.history, what)
			return true
		}
	}
	return false
}

// must sends an event's request and reports an unexpected answer.
func (r *run) must(method, path string, body any, want int) bool {
	r.requests++
	res := r.admin.Do(method, path, body)
	if res.Status != want {
		r.leak(actor{user: r.w.users[0]}, method, path, "event: status %d, want %d: %s", res.Status, want, res.Body)
		return false
	}
	return true
}

// indexes are 0 … n-1, to pick from a slice whose elements an event changes in place.
func indexes(n int) []int {
	is := make([]int, n)
	for i := range is {
		is[i] = i
	}
	return is
}

// pick returns a random element of xs matching ok, or false.
func pick[T any](r *run, xs []T, ok func(T) bool) (T, bool) {
	var in []T
	for _, x := range xs {
		if ok(x) {
			in = append(in, x)
		}
	}
	if len(in) == 0 {
		var zero T
		return zero, false
	}
	return in[r.rng.IntN(len(in))], true
}

func (r *run) leaveEvent() string {
	m, ok := pick(r, r.w.members, func(m membership) bool {
		// A request to join a group one cannot see (secret, extranet) is out of reach:
		// leaving it answers 404 like any hidden group, which exerciseLeave checks.
		u := r.w.user(m.user)
		return m.role != store.RoleOwner && u.Active && r.sessions[m.user] != nil && r.w.seesGroup(u, r.w.group(m.group))
	})
	if !ok {
		return ""
	}
	r.requests++
	if res := r.sessions[m.user].Do("POST", "/api/v1/groups/"+m.group+"/leave", nil); res.Status != 204 {
		r.leak(actor{user: r.w.user(m.user)}, "POST", "/groups/"+m.group+"/leave", "event: status %d: %s", res.Status, res.Body)
		return ""
	}
	r.dropMember(m.group, m.user)
	return fmt.Sprintf("%s left %s", r.w.user(m.user).Email, m.group)
}

func (r *run) removeEvent() string {
	m, ok := pick(r, r.w.members, func(m membership) bool { return m.role != store.RoleOwner })
	if !ok || !r.must("DELETE", "/api/v1/groups/"+m.group+"/members/"+m.user, nil, 204) {
		return ""
	}
	r.dropMember(m.group, m.user)
	return fmt.Sprintf("%s removed from %s", r.w.user(m.user).Email, m.group)
}

func (r *run) demoteEvent() string {
	m, ok := pick(r, r.w.members, func(m membership) bool {
		return m.role == store.RoleModerator && m.state == store.MemberActive
	})
	if !ok || !r.must("PUT", "/api/v1/groups/"+m.group+"/members/"+m.user+"/role", map[string]any{"role": "member"}, 200) {
		return ""
	}
	r.w.membership(m.group, m.user).role = store.RoleMember
	return fmt.Sprintf("%s demoted in %s", r.w.user(m.user).Email, m.group)
}

func (r *run) handOverEvent() string {
	m, ok := pick(r, r.w.members, func(m membership) bool {
		u := r.w.user(m.user)
		return m.role != store.RoleOwner && m.state == store.MemberActive && u.Active && u.Kind == store.KindEmployee
	})
	if !ok || !r.must("PUT", "/api/v1/groups/"+m.group+"/members/"+m.user+"/role", map[string]any{"role": "owner"}, 200) {
		return ""
	}
	for i := range r.w.members {
		if r.w.members[i].group == m.group && r.w.members[i].role == store.RoleOwner {
			r.w.members[i].role = store.RoleModerator
		}
	}
	r.w.membership(m.group, m.user).role = store.RoleOwner
	return fmt.Sprintf("%s handed %s", r.w.user(m.user).Email, m.group)
}

func (r *run) deactivateEvent() string {
	u, ok := pick(r, r.w.users[1:], func(u store.User) bool { return u.Active })
	if !ok || !r.must("POST", "/api/v1/admin/users/"+u.ID+"/deactivate", nil, 200) {
		return ""
	}
	r.setActive(u.ID, false)
	r.endSessions(u)
	r.endTokens(u)
	return u.Email + " deactivated"
}

// endSessions makes a person's session a former one, which must be worth nothing from
// now on; an active person gets a new one at the next round.
func (r *run) endSessions(u store.User) {
	if c := r.sessions[u.ID]; c != nil {
		r.former = append(r.former, actor{client: c, former: u.Email})
		delete(r.sessions, u.ID)
	}
}

// endTokens makes a deactivated person's tokens former ones, refused from now on, even
// after a reactivation (which brings new ones at the next round).
func (r *run) endTokens(u store.User) {
	if tk := r.tokens[u.ID]; tk != nil {
		r.formerTokens = append(r.formerTokens, actor{client: tk.rw, former: u.Email + "'s read-write token"},
			actor{client: tk.ro, former: u.Email + "'s read-only token"})
		delete(r.tokens, u.ID)
	}
}

// adminEvent grants or removes the admin flag (never the first administrator's).
func (r *run) adminEvent() string {
	i, ok := pick(r, indexes(len(r.w.users)), func(i int) bool {
		return i > 0 && r.w.users[i].Active && r.w.users[i].Kind == store.KindEmployee
	})
	if !ok {
		return ""
	}
	u := &r.w.users[i]
	if !r.must("PUT", "/api/v1/admin/users/"+u.ID+"/admin", map[string]any{"admin": !u.Admin}, 200) {
		return ""
	}
	u.Admin = !u.Admin
	r.endSessions(*u) // a change of privilege ends the person's sessions
	return fmt.Sprintf("%s admin=%v", u.Email, u.Admin)
}

// moveEvent moves an external user into the intranet.
func (r *run) moveEvent() string {
	i, ok := pick(r, indexes(len(r.w.users)), func(i int) bool { return r.w.users[i].Kind == store.KindExternal })
	if !ok {
		return ""
	}
	u := &r.w.users[i]
	if !r.must("POST", "/api/v1/admin/users/"+u.ID+"/move-to-intranet", nil, 200) {
		return ""
	}
	u.Kind = store.KindEmployee
	r.endSessions(*u)
	return u.Email + " moved to the intranet"
}

func (r *run) reactivateEvent() string {
	u, ok := pick(r, r.w.users[1:], func(u store.User) bool { return !u.Active })
	if !ok || !r.must("POST", "/api/v1/admin/users/"+u.ID+"/reactivate", nil, 200) {
		return ""
	}
	r.setActive(u.ID, true)
	return u.Email + " reactivated"
}

func (r *run) setActive(id string, active bool) {
	for i := range r.w.users {
		if r.w.users[i].ID == id {
			r.w.users[i].Active = active
		}
	}
}

func (r *run) archiveEvent() string {
	i, ok := pick(r, indexes(len(r.w.groups)), func(int) bool { return true })
	if !ok {
		return ""
	}
	archived := !r.w.groups[i].Archived
	if !r.must("PATCH", "/api/v1/groups/"+r.w.groups[i].ID, map[string]any{"archived": archived}, 200) {
		return ""
	}
	r.w.groups[i].Archived = archived
	return fmt.Sprintf("%s archived=%v", r.w.groups[i].ID, archived)
}

func (r *run) renameEvent() string {
	i, ok := pick(r, indexes(len(r.w.groups)), func(i int) bool { return !r.w.groups[i].Archived })
	if !ok {
		return ""
	}
	name := fmt.Sprintf("Renamed %d-%d", i, len(r.history))
	if !r.must("PATCH", "/api/v1/groups/"+r.w.groups[i].ID, map[string]any{"name": name}, 200) {
		return ""
	}
	r.w.groups[i].Name = name
	return fmt.Sprintf("%s renamed", r.w.groups[i].ID)
}

func (r *run) policyEvent() string {
	i, ok := pick(r, indexes(len(r.w.groups)), func(i int) bool { return !r.w.groups[i].Archived })
	if !ok {
		return ""
	}
	policy := []string{store.InviteOwner, store.InviteModerators, store.InviteMembers}[r.rng.IntN(3)]
	tasks := []string{store.ExternalTasksAll, store.ExternalTasksInvolved}[r.rng.IntN(2)]
	if !r.must("PATCH", "/api/v1/groups/"+r.w.groups[i].ID, map[string]any{"settings": map[string]any{
		"tools": []string{"tasks"}, "invitePolicy": policy, "externalTasks": tasks}}, 200) {
		return ""
	}
	r.w.groups[i].InvitePolicy, r.w.groups[i].Tools, r.w.groups[i].ExternalTasks = policy, []string{"tasks"}, tasks
	return fmt.Sprintf("%s invite policy %s, external members see %s tasks", r.w.groups[i].ID, policy, tasks)
}

func (r *run) extranetEvent() string {
	off := !r.w.extranetOff
	if !r.must("PATCH", "/api/v1/admin/settings", map[string]any{"extranetEnabled": !off}, 200) {
		return ""
	}
	r.w.extranetOff = off
	return fmt.Sprintf("extranet off=%v", off)
}

func (r *run) revokeEvent() string {
	i, ok := pick(r, indexes(len(r.w.invites)), func(i int) bool { return r.w.invites[i].state == store.InvitePending })
	if !ok || !r.must("POST", "/api/v1/invitations/"+r.w.invites[i].id+"/revoke", nil, 200) {
		return ""
	}
	r.w.invites[i].state = store.InviteRevoked
	return r.w.invites[i].id + " revoked"
}

// expireEvent lets a pending invitation's date pass: time is the one thing the API
// cannot move, so this writes the date as the passing hours would.
func (r *run) expireEvent() string {
	i, ok := pick(r, indexes(len(r.w.invites)), func(i int) bool { return r.w.invites[i].state == store.InvitePending })
	if !ok {
		return ""
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(r.env.Config.DataDir, "annex.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE invitations SET expires_at = ? WHERE id = ?`, r.env.Store.Now().Unix()-1, r.w.invites[i].id)
	if err != nil {
		r.t.Fatal(err)
	}
	r.w.invites[i].state = store.InviteExpired
	return r.w.invites[i].id + " expired"
}

// checkEmbedded walks an answer for every person and group it names, by id, address or
// name, anywhere in the body: each must be visible to the actor by its own rule (a
// person by PRODUCT.md §1, a group by §3). What the request itself sent is not counted:
// echoing it back reveals nothing. Each new tool gets this check for free.
func (r *run) checkEmbedded(a actor, method, path string, body any, res apptest.Response) {
	if a.user.Admin || len(res.Body) == 0 || res.Body[0] != '{' {
		return
	}
	var v any
	if json.Unmarshal(res.Body, &v) != nil {
		return
	}
	sent, _ := json.Marshal(body)
	asked := path + string(sent)
	walkStrings(v, func(s string) {
		if s == "" || strings.Contains(asked, s) {
			return
		}
		for _, u := range r.w.users {
			if (s == u.ID || s == u.Email || s == u.Name) && (a.user.ID == "" || !r.w.sees(a.user, u)) {
				r.leak(a, method, path, "the answer names %s (%q), whom the oracle hides", u.Email, s)
			}
		}
		for _, g := range r.w.groups {
			if (s == g.ID || s == g.Name) && (a.user.ID == "" || !r.w.seesGroup(a.user, g)) {
				r.leak(a, method, path, "the answer names group %s (%q), which the oracle hides", g.ID, s)
			}
		}
		for _, t := range r.w.tasks {
			if s == t.id && (a.user.ID == "" || !r.w.seesTask(a.user, t)) {
				r.leak(a, method, path, "the answer names task %s, which the oracle hides", t.id)
			}
		}
	})
}

func walkStrings(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case []any:
		for _, x := range v {
			walkStrings(x, fn)
		}
	case map[string]any:
		for _, x := range v {
			walkStrings(x, fn)
		}
	}
}
