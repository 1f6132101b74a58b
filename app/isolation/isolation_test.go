package isolation_test

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	_ "modernc.org/sqlite"

	"annex/app/apptest"
	"annex/app/backup"
	"annex/app/config"
	"annex/app/licence"
	"annex/store"
)

// actor is one person of the world with a minted session, or nobody (anonymous). A
// former session (of someone deactivated since) has no user: it must be worth exactly
// as much as no session at all.
type actor struct {
	user   store.User // zero for anonymous and for a former session
	client *apptest.Client
	former string // whose session it was
}

func (a actor) String() string {
	switch {
	case a.former != "":
		return "the former session of " + a.former
	case a.user.ID == "":
		return "anonymous"
	}
	return fmt.Sprintf("%s %s (admin=%v)", a.user.Kind, a.user.Email, a.user.Admin)
}

// run is one world under test; every finding is a leak (or a wrong answer) with the
// seed and the request that shows it.
type run struct {
	t        testing.TB
	seed     uint64
	rng      *rand.Rand
	env      *apptest.Env
	admin    *apptest.Client // the first administrator, who makes the world's events happen
	w        *world
	db       *sql.DB
	sessions map[string]*apptest.Client // by user id, kept from one round to the next
	former   []actor                    // sessions of people deactivated since
	history  []string                   // the events so far, for the report
	requests int
	events   int
	leaks    []string
}

func (r *run) leak(a actor, method, path, format string, args ...any) {
	after := ""
	if len(r.history) > 0 {
		after = " (after " + strings.Join(r.history, ", ") + ")"
	}
	r.leaks = append(r.leaks, fmt.Sprintf("seed %d%s, %s: %s %s: %s", r.seed, after, a, method, path, fmt.Sprintf(format, args...)))
}

func (r *run) do(a actor, method, path string, body any) apptest.Response {
	r.requests++
	res := a.client.Do(method, path, body)
	r.checkEmbedded(a, method, path, body, res)
	return res
}

// digest changes whenever any connection commits a change to the database: SQLite's
// data_version, read on one dedicated connection. (Sessions' last-seen times, the only
// writes a read may make, move once a minute and the test clock stands still.)
func (r *run) digest() int64 {
	var v int64
	if err := r.db.QueryRow(`PRAGMA data_version`).Scan(&v); err != nil {
		r.t.Fatal(err)
	}
	return v
}

// An exercise tries one operation as one actor and reports what the oracle forbids.
type exercise func(r *run, a actor)

// exercises knows every operation of the document. An operation missing here fails
// the test, so no endpoint escapes it.
var exercises = map[string]exercise{
	"listPeople":     exerciseListPeople,
	"getPerson":      exerciseGetPerson,
	"getMe":          exerciseSelf("GET", "/api/v1/me"),
	"getPersonPhoto": exercisePhoto,

	"listGroups":         exerciseListGroups,
	"getGroup":           exerciseGetGroup,
	"listGroupMembers":   exerciseGroupMembers,
	"createGroup":        exerciseCreateGroup,
	"joinGroup":          exerciseJoin,
	"leaveGroup":         exerciseLeave,
	"removeGroupMember":  exerciseRemove,
	"updateGroup":        exerciseEditGroup,
	"setMemberRole":      exerciseSetRole,
	"inviteGroupMember":  exerciseInvite,
	"approveGroupMember": exerciseApprove,
	"bootstrap":          exerciseBootstrap,
	"listTopics":         exerciseTopics,

	"inviteToGroup":        exerciseInviteByMail,
	"inviteAsAdmin":        adminOnly("POST", "/api/v1/admin/invitations", map[string]any{"kind": "employee", "invitees": []map[string]any{{"email": "mallory@example.com"}}}),
	"listInvitations":      exerciseListInvitations,
	"resendInvitation":     exerciseInvitationAction("resend"),
	"revokeInvitation":     exerciseInvitationAction("revoke"),
	"invitationLinkCopied": exerciseInvitationAction("link-copied"),
	"lookupInvitation":     exerciseLink("lookup"),
	"declineInvitation":    exerciseLink("decline"),
	"registerByInvitation": exerciseLink("register"),
	"acceptInvitation":     exerciseLink("accept"),
	"createTopic":          adminOnly("POST", "/api/v1/admin/topics", map[string]any{"name": "Taken over"}),
	"renameTopic":          adminOnlyOnTopics("PATCH", map[string]any{"name": "Renamed"}),
	"deleteTopic":          adminOnlyOnTopics("DELETE", nil),

	"getSettings":      adminOnly("GET", "/api/v1/admin/settings", nil),
	"getLicence":       adminOnly("GET", "/api/v1/admin/licence", nil),
	"listOutbox":       adminOnly("GET", "/api/v1/admin/outbox", nil),
	"retryMail":        adminOnlyOnMail,
	"listSignInBlocks": adminOnly("GET", "/api/v1/admin/sign-in-blocks", nil),
	"listBackups":      adminOnly("GET", "/api/v1/admin/backups", nil),
	"startBackup":      adminOnly("POST", "/api/v1/admin/backups", nil),
	"getBackupStatus":  adminOnly("GET", "/api/v1/admin/backup-status", nil),
	"getBackup":        adminOnlyOnBackups(""),
	"downloadBackup":   adminOnlyOnBackups("/download"),
	"getSystem":        adminOnly("GET", "/api/v1/admin/system", nil),
	// The id names the address key of 203.0.113.1, whether or not it is blocked.
	"clearSignInBlock": adminOnly("DELETE", "/api/v1/admin/sign-in-blocks/"+base64.RawURLEncoding.EncodeToString([]byte("addr:203.0.113.1")), nil),
	"uploadLicence":    adminOnly("PUT", "/api/v1/admin/licence", map[string]any{"text": ""}),
	"addEmployee":      adminOnly("POST", "/api/v1/admin/users", map[string]any{"name": "Mallory", "email": "mallory@example.com"}),
	"deactivateUser":   adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/deactivate", nil),
	"reactivateUser":   adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/reactivate", nil),
	"setUserAdmin":     adminOnlyOnUsers("PUT", "/api/v1/admin/users/%s/admin", map[string]any{"admin": true}),
	"moveToIntranet":   adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/move-to-intranet", nil),
	"updateSettings":   adminOnly("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Taken over"}),
	"updateSMTP":       adminOnly("PUT", "/api/v1/admin/settings/smtp", map[string]any{"enabled": false}),
	"testSMTP": adminOnly("POST", "/api/v1/admin/settings/smtp/test", map[string]any{"enabled": true,
		"host": "127.0.0.1", "port": 9, "security": "none", "from": "a@example.com", "to": "b@example.com"}),

	// The wizard is closed once set up: 404 for everyone, whatever they send.
	"getSetup":      closedWizard("GET", "/api/v1/setup"),
	"setupCompany":  closedWizard("PUT", "/api/v1/setup/company"),
	"setupAdmin":    closedWizard("PUT", "/api/v1/setup/admin"),
	"setupSMTP":     closedWizard("PUT", "/api/v1/setup/smtp"),
	"setupTestSMTP": closedWizard("POST", "/api/v1/setup/smtp/test"),
	"setupLicence":  closedWizard("PUT", "/api/v1/setup/licence"),
	"setupExtranet": closedWizard("PUT", "/api/v1/setup/extranet"),
	"finishSetup":   closedWizard("POST", "/api/v1/setup/finish"),

	// These act on the actor's own account and take no object id, so there is nothing
	// of anyone else's to reach; app/auth's tests cover them.
	"login":           nil,
	"logout":          nil,
	"confirmPassword": nil,
	"updateMe":        nil,
	"changePassword":  nil,
	"setMyPhoto":      nil,
	"deleteMyPhoto":   nil,
}

func TestIsolation(t *testing.T) {
	worlds := 60
	if n, err := strconv.Atoi(os.Getenv("ISOLATION_WORLDS")); err == nil && n > 0 {
		worlds = n
	}
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("ISOLATION_SEED"), 10, 64); err == nil {
		seed, worlds = s, 1
	}
	start := time.Now()
	ops := operations(t)
	// Every world runs under a licence with seats to spare: reactivations and invitations
	// sent again claim seats, and seat counts are not what this test is about.
	pub, priv, _ := ed25519.GenerateKey(crand.Reader)
	t.Cleanup(licence.TrustForTest(pub))
	licenceText = signLicence(priv)
	// Signed by a key trusted only until this test ends: later tests must not use it.
	t.Cleanup(func() { licenceText = "" })
	// Worlds are independent (each its own database and server): run them on every core.
	var (
		mu                        sync.Mutex
		total, leaks, ran, events int
		next                      = make(chan uint64)
		wg                        sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for s := range next {
				r := newRun(t, s)
				r.live(ops)
				mu.Lock()
				ran++
				total += r.requests
				events += r.events
				leaks += len(r.leaks)
				for _, l := range r.leaks {
					t.Error(l)
				}
				if len(r.leaks) > 0 {
					t.Logf("rerun this world alone with ISOLATION_SEED=%d", r.seed)
				}
				mu.Unlock()
			}
		})
	}
	for i := range worlds {
		mu.Lock()
		stop := leaks > 0
		mu.Unlock()
		if stop {
			break
		}
		next <- seed + uint64(i)
	}
	close(next)
	wg.Wait()
	fmt.Printf("isolation: %d worlds, %d events, %d requests, %d leaks (%.1fs)\n", ran, events, total, leaks,
		time.Since(start).Seconds())
}

// operations lists the document's operation ids and fails for any the test does not know.
func operations(t *testing.T) []string {
	env := apptest.New(t)
	var ids []string
	for _, item := range env.Server.API().OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			if _, ok := exercises[op.OperationID]; !ok {
				t.Errorf("operation %s (%s %s) is not exercised by the isolation test", op.OperationID, op.Method, op.Path)
			}
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	return ids
}

func newRun(t testing.TB, seed uint64) *run {
	// The outbox's sender would write beside the requests and blur "nothing changed".
	// Hourly invitation limits are not what this test is about: every actor resends
	// every invitation they may, round after round.
	env := apptest.New(t, apptest.Options{NoMailWorker: true, Config: func(c *config.Config) {
		c.Invites.PerHour, c.Invites.AdminPerHour = 1_000_000, 1_000_000
	}})
	admin := env.Setup()
	me := admin.Do("GET", "/api/v1/me", nil).JSON()
	first, err := env.Store.UserForSignIn(context.Background(), me["email"].(string))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env.Config.DataDir, "annex.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // data_version is per connection
	t.Cleanup(func() { db.Close() })
	if licenceText != "" {
		admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceText}).Must(t, 200)
	}
	// A backup exists, so refusals are tried on a real one too.
	if _, err := backup.Create(context.Background(), backup.Options{DataDir: env.Config.DataDir,
		Dir: env.Config.BackupDir(), Now: env.Clock.Now}); err != nil {
		t.Fatal(err)
	}
	return &run{t: t, seed: seed, rng: rng, env: env, admin: admin, w: build(t, env, rng, first), db: db,
		sessions: map[string]*apptest.Client{}}
}

// actors are anonymous, the former sessions of people deactivated since, and every
// active person with their session (minted once and kept: a session outlives a change
// of rights, and must not outlive a deactivation).
func (r *run) actors() []actor {
	as := append([]actor{{client: r.env.Client()}}, r.former...)
	for _, u := range r.w.users {
		if !u.Active {
			continue
		}
		c := r.sessions[u.ID]
		if c == nil {
			ck, err := r.env.Server.MintSession(context.Background(), u)
			if err != nil {
				r.t.Fatal(err)
			}
			c = r.env.Client()
			c.Headers["Cookie"] = ck.Name + "=" + ck.Value
			r.sessions[u.ID] = c
		}
		as = append(as, actor{user: u, client: c})
	}
	return as
}

func (r *run) exercise(ops []string) {
	for _, a := range r.actors() {
		for _, id := range ops {
			if ex := exercises[id]; ex != nil {
				ex(r, a)
			}
		}
	}
}

// anonymousRefused checks the answer of an operation that needs a session.
func (r *run) anonymousRefused(a actor, method, path string, res apptest.Response) bool {
	if a.user.ID != "" {
		return false
	}
	if res.Status != 401 {
		r.leak(a, method, path, "status %d for anonymous, want 401", res.Status)
	}
	return true
}

func exerciseListPeople(r *run, a actor) {
	var visible []string
	var guests []string // named "Гость N" (external users, and those moved to the intranet since)
	for _, u := range r.w.users {
		if a.user.ID != "" && r.w.sees(a.user, u) {
			visible = append(visible, u.ID)
			if strings.HasPrefix(u.Name, "Гость") {
				guests = append(guests, u.ID)
			}
		}
	}
	check := func(query string, want []string) {
		path := "/api/v1/people?perPage=100" + query
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		r.compareIDs(a, "GET", path, res, want)
	}
	check("", visible)
	// Search folds case in every script: "гость" finds every "Гость N" the actor may see.
	check("&q="+url.QueryEscape("гость"), guests)
	// A search for an invisible person's exact address finds nobody.
	target := r.w.users[len(r.w.users)-1]
	var want []string
	if slices.Contains(visible, target.ID) {
		want = []string{target.ID}
	}
	check("&q="+url.QueryEscape(strings.ToUpper(target.Email)), want)
}

// compareIDs reports any difference between the people a list names and the oracle's.
func (r *run) compareIDs(a actor, method, path string, res apptest.Response, want []string) {
	if res.Status != 200 {
		r.leak(a, method, path, "status %d", res.Status)
		return
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(res.Body, &page); err != nil {
		r.leak(a, method, path, "unreadable body %s", res.Body)
		return
	}
	got := map[string]bool{}
	for _, it := range page.Items {
		got[it.ID] = true
		if !slices.Contains(want, it.ID) {
			r.leak(a, method, path, "lists %s, whom the oracle hides", it.ID)
		}
	}
	for _, id := range want {
		if !got[id] {
			r.leak(a, method, path, "misses %s, whom the oracle shows", id)
		}
	}
	if page.Total != len(want) {
		r.leak(a, method, path, "total %d, oracle %d", page.Total, len(want))
	}
	// No invisible person may appear anywhere in the body, not even by address.
	for _, u := range r.w.users {
		if !slices.Contains(want, u.ID) && !got[u.ID] && strings.Contains(string(res.Body), u.Email) &&
			(a.user.ID == "" || !r.w.sees(a.user, u)) {
			r.leak(a, method, path, "body names hidden %s", u.Email)
		}
	}
}

func exerciseGetPerson(r *run, a actor) {
	for _, u := range append(r.w.users, store.User{ID: store.NewID()}) {
		path := "/api/v1/people/" + u.ID
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			continue
		}
		visible := u.Email != "" && r.w.sees(a.user, u)
		switch {
		case visible && (res.Status != 200 || res.JSON()["id"] != u.ID):
			r.leak(a, "GET", path, "status %d for a visible person", res.Status)
		case !visible && res.Status != 404:
			r.leak(a, "GET", path, "status %d for a hidden person, want 404: %s", res.Status, res.Body)
		}
	}
}

func exerciseSelf(method, path string) exercise {
	return func(r *run, a actor) {
		res := r.do(a, method, path, nil)
		if r.anonymousRefused(a, method, path, res) {
			return
		}
		if res.Status != 200 || res.JSON()["id"] != a.user.ID {
			r.leak(a, method, path, "answers about someone else: %d %s", res.Status, res.Body)
		}
	}
}

func exerciseBootstrap(r *run, a actor) {
	res := r.do(a, "GET", "/api/v1/bootstrap", nil)
	user, _ := res.JSON()["user"].(map[string]any)
	switch {
	case a.user.ID == "" && user != nil:
		r.leak(a, "GET", "/api/v1/bootstrap", "names a user for anonymous: %s", res.Body)
	case a.user.ID != "" && (user == nil || user["id"] != a.user.ID):
		r.leak(a, "GET", "/api/v1/bootstrap", "names someone else: %s", res.Body)
	}
}

// adminOnly: anyone but an administrator is refused (401 anonymous, 403 otherwise) and
// nothing changes. Administrators may, so they are not tried (their writes would change
// the world under the other actors).
func adminOnly(method, path string, body any) exercise {
	return func(r *run, a actor) {
		if a.user.Admin {
			return
		}
		before := r.digest()
		res := r.do(a, method, path, body)
		if !r.anonymousRefused(a, method, path, res) && res.Status != 403 {
			r.leak(a, method, path, "status %d for a non-administrator, want 403", res.Status)
		}
		if r.digest() != before {
			r.leak(a, method, path, "a refused request changed the database")
		}
	}
}

// adminOnlyOnUsers is adminOnly for an operation on an employee, an external user and
// an id that exists nowhere: the refusal is the same for all, so it reveals nobody.
func adminOnlyOnUsers(method, pathFormat string, body any) exercise {
	return func(r *run, a actor) {
		for _, id := range []string{r.w.users[1].ID, r.w.users[len(r.w.users)-1].ID, store.NewID()} {
			adminOnly(method, fmt.Sprintf(pathFormat, id), body)(r, a)
		}
	}
}

// adminOnlyOnMail is adminOnly for a retry of every mail in the outbox and of an unknown one.
func adminOnlyOnMail(r *run, a actor) {
	mails, _, err := r.env.Store.Mails(context.Background(), store.System(), store.MailFilter{Limit: 5})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, m := range append(mails, store.Mail{ID: store.NewID()}) {
		adminOnly("POST", "/api/v1/admin/outbox/"+m.ID+"/retry", nil)(r, a)
	}
}

// adminOnlyOnBackups is adminOnly for a backup that exists, one that does not and a
// name that is no backup's: the refusal is the same for all.
func adminOnlyOnBackups(suffix string) exercise {
	return func(r *run, a actor) {
		names := []string{"annex-backup-20200101T000000Z.tar", "annex.db"}
		list, err := backup.List(r.env.Config.BackupDir())
		if err != nil || len(list) == 0 {
			r.t.Fatalf("the world has no backup to be refused: %v", err)
		}
		for _, b := range list {
			names = append(names, b.Name)
		}
		for _, name := range names {
			adminOnly("GET", "/api/v1/admin/backups/"+name+suffix, nil)(r, a)
		}
	}
}

// adminOnlyOnTopics is adminOnly for an operation on every topic and an unknown one.
func adminOnlyOnTopics(method string, body any) exercise {
	return func(r *run, a actor) {
		for _, id := range append(slices.Clone(r.w.topics), store.NewID()) {
			adminOnly(method, "/api/v1/admin/topics/"+id, body)(r, a)
		}
	}
}

// exercisePhoto: a person's photo is served exactly when the person is visible and has one.
func exercisePhoto(r *run, a actor) {
	for _, u := range append(r.w.users, store.User{ID: store.NewID()}) {
		path := "/api/v1/people/" + u.ID + "/photo"
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		want := u.Email != "" && u.PhotoID != "" && r.w.sees(a.user, u)
		switch {
		case want && (res.Status != 200 || string(res.Body) != "jpeg of "+u.Email):
			r.leak(a, "GET", path, "status %d for a visible person's photo", res.Status)
		case !want && res.Status != 404:
			r.leak(a, "GET", path, "status %d for a hidden or missing photo, want 404: %.100s", res.Status, res.Body)
		}
	}
}

// exerciseTopics: employees list every topic, each with the number of groups in it
// they can see; external users are refused.
func exerciseTopics(r *run, a actor) {
	path := "/api/v1/topics"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if a.user.Kind == store.KindExternal {
		if res.Status != 403 {
			r.leak(a, "GET", path, "status %d for an external user, want 403", res.Status)
		}
		return
	}
	var got struct {
		Items []struct {
			ID     string `json:"id"`
			Groups int    `json:"groups"`
		} `json:"items"`
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil || len(got.Items) != len(r.w.topics) {
		r.leak(a, "GET", path, "status %d, %d topics, want %d: %s", res.Status, len(got.Items), len(r.w.topics), res.Body)
		return
	}
	for _, it := range got.Items {
		want := 0
		for _, g := range r.w.groups {
			if g.TopicID == it.ID && r.w.seesGroup(a.user, g) {
				want++
			}
		}
		if it.Groups != want {
			r.leak(a, "GET", path, "topic %s counts %d groups, oracle %d", it.ID, it.Groups, want)
		}
	}
}

// exerciseInviteByMail: every actor invites an external address into every group and
// an unknown one; the oracle says who may (and the world learns the invitations made).
func exerciseInviteByMail(r *run, a actor) {
	for i, g := range append(slices.Clone(r.w.groups), store.Group{ID: store.NewID()}) {
		want := 200
		switch {
		case g.Name == "" || !r.w.seesGroup(a.user, g):
			want = 404
		case a.user.Kind == store.KindExternal || !r.w.mayInvite(a.user, g):
			want = 403
		case r.w.extranetOff || g.Archived:
			want = 409
		case g.Kind == store.GroupInternal:
			want = 422
		}
		path := "/api/v1/groups/" + g.ID + "/invitations"
		email := fmt.Sprintf("guest%d@client.example", i)
		before := r.digest()
		res := r.do(a, "POST", path, map[string]any{"kind": "external", "invitees": []map[string]any{{"email": email}}})
		if r.anonymousRefused(a, "POST", path, res) {
			return
		}
		if res.Status != want {
			r.leak(a, "POST", path, "status %d, oracle %d: %s", res.Status, want, res.Body)
			continue
		}
		if want != 200 {
			if r.digest() != before {
				r.leak(a, "POST", path, "a refused request changed the database")
			}
			continue
		}
		var out struct {
			Results []struct {
				Invited    bool `json:"invited"`
				Invitation struct {
					ID string `json:"id"`
				} `json:"invitation"`
			} `json:"results"`
		}
		if json.Unmarshal(res.Body, &out) == nil && len(out.Results) == 1 && out.Results[0].Invited {
			r.w.invites = append(r.w.invites, invitation{id: out.Results[0].Invitation.ID, group: g.ID, inviter: a.user.ID,
				state: store.InvitePending})
		}
	}
}

// exerciseListInvitations: all of them, and filtered by every group and an unknown one
// (a filter by a group the actor cannot see answers like one by an unknown id).
func exerciseListInvitations(r *run, a actor) {
	for _, g := range append(slices.Clone(r.w.groups), store.Group{}, store.Group{ID: store.NewID()}) {
		path := "/api/v1/invitations?perPage=100"
		if g.ID != "" {
			path += "&groupId=" + g.ID
		}
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		var want []string
		for _, v := range r.w.invites {
			if r.w.seesInvitation(a.user, v) && (g.ID == "" || v.group == g.ID) {
				want = append(want, v.id)
			}
		}
		r.compareIDs(a, "GET", path, res, want)
		if !a.user.Admin && strings.Contains(string(res.Body), acceptedFrom) {
			r.leak(a, "GET", path, "a non-administrator is shown the address an invitation was accepted from")
		}
	}
}

// exerciseInvitationAction: every actor acts on every invitation and an unknown one:
// those they cannot see are not found, closed ones a conflict; only administrators hold
// links to copy; one sent again is the sender's from then on.
func exerciseInvitationAction(action string) exercise {
	return func(r *run, a actor) {
		for i, v := range append(slices.Clone(r.w.invites), invitation{id: store.NewID()}) {
			want := 200
			switch {
			case v.group == "" || !r.w.seesInvitation(a.user, v):
				want = 404
			case v.state != store.InvitePending && v.state != store.InviteExpired:
				want = 409
			case action == "link-copied" && !a.user.Admin:
				want = 403
			case action == "link-copied":
				want = 204
			case action == "resend" && (r.w.group(v.group).Archived || r.w.extranetOff):
				want = 409
			}
			if !r.expectWrite(a, "POST", "/api/v1/invitations/"+v.id+"/"+action, nil, want) {
				continue
			}
			switch action {
			case "revoke":
				r.w.invites[i].state = store.InviteRevoked
			case "resend":
				r.w.invites[i].inviter, r.w.invites[i].state = a.user.ID, store.InvitePending
			}
		}
	}
}

// exerciseLink: the public invitation operations with a token nobody was given answer
// not found (or, once the address has tried too often, "too many"), and name nobody.
func exerciseLink(op string) exercise {
	return func(r *run, a actor) {
		path := "/api/v1/invite/" + op
		body := map[string]any{"token": store.NewID() + store.NewID()}
		if op == "register" {
			body["name"], body["password"] = "Mallory", "correct horse battery staple"
		}
		res := r.do(a, "POST", path, body)
		if op == "accept" && r.anonymousRefused(a, "POST", path, res) {
			return
		}
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

func closedWizard(method, path string) exercise {
	return func(r *run, a actor) {
		before := r.digest()
		res := r.do(a, method, path, map[string]any{})
		if res.Status != 404 {
			r.leak(a, method, path, "status %d after setup, want 404", res.Status)
		}
		if r.digest() != before {
			r.leak(a, method, path, "the closed wizard changed the database")
		}
	}
}

// The checker must be able to fail: a leaky answer fed to it is reported.
func TestTheCheckerCatchesALeak(t *testing.T) {
	r := newRun(t, 42)
	var ext, emp store.User
	for _, u := range r.w.users {
		if u.Kind == store.KindExternal && ext.ID == "" && u.Active {
			ext = u
		}
	}
	if ext.ID == "" {
		t.Fatal("world 42 has no active external user: pick another fixed seed")
	}
	for _, u := range r.w.users {
		if u.Kind == store.KindEmployee && !r.w.sees(ext, u) {
			emp = u
		}
	}
	if emp.ID == "" {
		t.Fatal("world 42 has no employee hidden from the external user: pick another seed")
	}
	leaky := apptest.Response{Status: 200, Body: []byte(fmt.Sprintf(`{"items":[{"id":%q}],"total":1}`, emp.ID))}
	r.compareIDs(actor{user: ext}, "GET", "/api/v1/people", leaky, nil)
	if len(r.leaks) == 0 {
		t.Fatal("a response listing a hidden employee was not reported")
	}
	if !strings.Contains(r.leaks[0], "seed 42") {
		t.Errorf("the report does not carry the seed: %s", r.leaks[0])
	}
}

type groupJSON struct {
	ID          string `json:"id"`
	MyRole      string `json:"myRole"`
	MyState     string `json:"myState"`
	MemberCount int    `json:"memberCount"`
	MayInvite   bool   `json:"mayInvite"`
	NeedsOwner  bool   `json:"needsOwner"`
}

// checkGroup compares one group's answer with the oracle.
func (r *run) checkGroup(a actor, path string, got groupJSON, g store.Group) {
	_, count := r.w.membersSeen(a.user, g)
	if got.MemberCount != count {
		r.leak(a, "GET", path, "group %s: memberCount %d, oracle %d", g.ID, got.MemberCount, count)
	}
	var role, state string
	if m := r.w.membership(g.ID, a.user.ID); m != nil {
		role, state = m.role, m.state
	}
	if got.MyRole != role || got.MyState != state {
		r.leak(a, "GET", path, "group %s: my role/state %s/%s, oracle %s/%s", g.ID, got.MyRole, got.MyState, role, state)
	}
	if got.MayInvite != r.w.mayInvite(a.user, g) || got.NeedsOwner != r.w.needsOwner(g) {
		r.leak(a, "GET", path, "group %s: mayInvite/needsOwner %v/%v, oracle %v/%v", g.ID, got.MayInvite, got.NeedsOwner,
			r.w.mayInvite(a.user, g), r.w.needsOwner(g))
	}
}

func exerciseListGroups(r *run, a actor) {
	for _, scope := range []string{"all", "mine"} {
		path := "/api/v1/groups?perPage=100&scope=" + scope
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		var page struct {
			Items []groupJSON `json:"items"`
			Total int         `json:"total"`
		}
		if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
			r.leak(a, "GET", path, "status %d %s", res.Status, res.Body)
			continue
		}
		want := map[string]store.Group{}
		for _, g := range r.w.groups {
			m := r.w.membership(g.ID, a.user.ID)
			mine := m != nil && (m.state == store.MemberActive || m.state == store.MemberInvited)
			if r.w.seesGroup(a.user, g) && (scope == "all" || mine) {
				want[g.ID] = g
			}
		}
		for _, it := range page.Items {
			g, ok := want[it.ID]
			if !ok {
				r.leak(a, "GET", path, "lists group %s, which the oracle hides", it.ID)
				continue
			}
			r.checkGroup(a, path, it, g)
			delete(want, it.ID)
		}
		for id := range want {
			r.leak(a, "GET", path, "misses group %s", id)
		}
		if page.Total != len(page.Items) {
			r.leak(a, "GET", path, "total %d for %d items", page.Total, len(page.Items))
		}
	}
}

func exerciseGetGroup(r *run, a actor) {
	for _, g := range append(r.w.groups, store.Group{ID: store.NewID()}) {
		path := "/api/v1/groups/" + g.ID
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		visible := g.Name != "" && r.w.seesGroup(a.user, g)
		if !visible {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden group, want 404", res.Status)
			}
			continue
		}
		var got groupJSON
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil || got.ID != g.ID {
			r.leak(a, "GET", path, "status %d for a visible group: %s", res.Status, res.Body)
			continue
		}
		r.checkGroup(a, path, got, g)
	}
}

func exerciseGroupMembers(r *run, a actor) {
	for _, g := range append(r.w.groups, store.Group{ID: store.NewID()}) {
		path := "/api/v1/groups/" + g.ID + "/members?perPage=100"
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		if g.Name == "" || !r.w.seesGroup(a.user, g) {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden group's members, want 404", res.Status)
			}
			continue
		}
		var page struct {
			Items []struct {
				Person struct {
					ID string `json:"id"`
				} `json:"person"`
				State string `json:"state"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
			r.leak(a, "GET", path, "status %d %s", res.Status, res.Body)
			continue
		}
		want, _ := r.w.membersSeen(a.user, g)
		got := map[string]bool{}
		for _, it := range page.Items {
			got[it.Person.ID] = true
			if !slices.Contains(want, it.Person.ID) {
				r.leak(a, "GET", path, "lists member %s (%s), whom the oracle hides", it.Person.ID, it.State)
			}
		}
		for _, id := range want {
			if !got[id] {
				r.leak(a, "GET", path, "misses member %s", id)
			}
		}
		if page.Total != len(want) {
			r.leak(a, "GET", path, "total %d, oracle %d", page.Total, len(want))
		}
	}
}

// exerciseCreateGroup: employees create (and the world learns the new group and its
// owner); external users are refused and nothing changes.
func exerciseCreateGroup(r *run, a actor) {
	path := "/api/v1/groups"
	body := map[string]any{"name": fmt.Sprintf("Made by %s, #%d", a.user.Email, len(r.w.groups)), "kind": "internal", "visibility": "secret"}
	before := r.digest()
	res := r.do(a, "POST", path, body)
	if r.anonymousRefused(a, "POST", path, res) {
		return
	}
	if a.user.Kind == store.KindExternal {
		if res.Status != 403 {
			r.leak(a, "POST", path, "status %d for an external user, want 403", res.Status)
		}
		if r.digest() != before {
			r.leak(a, "POST", path, "a refused request changed the database")
		}
		return
	}
	var got groupJSON
	if res.Status != 201 || json.Unmarshal(res.Body, &got) != nil || got.MyRole != store.RoleOwner {
		r.leak(a, "POST", path, "status %d: %s", res.Status, res.Body)
		return
	}
	g := store.Group{ID: got.ID, Name: body["name"].(string), Kind: store.GroupInternal, Visibility: store.VisibilitySecret,
		InvitePolicy: store.InviteModerators}
	r.w.groups = append(r.w.groups, g)
	r.w.members = append(r.w.members, membership{group: g.ID, user: a.user.ID, role: store.RoleOwner, state: store.MemberActive})
}

// expectWrite sends a write and compares its status with the oracle's; a refusal must
// leave the database as it was. It reports whether the write was done.
func (r *run) expectWrite(a actor, method, path string, body any, want int) bool {
	before := r.digest()
	res := r.do(a, method, path, body)
	if r.anonymousRefused(a, method, path, res) {
		return false
	}
	if res.Status != want {
		r.leak(a, method, path, "status %d, oracle %d: %s", res.Status, want, res.Body)
		return false
	}
	if want >= 300 && r.digest() != before {
		r.leak(a, method, path, "a refused request changed the database")
	}
	return want < 300
}

func (r *run) dropMember(group, user string) {
	r.w.members = slices.DeleteFunc(r.w.members, func(m membership) bool { return m.group == group && m.user == user })
}

// exerciseJoin: every actor tries to join every group, and an unknown one.
func exerciseJoin(r *run, a actor) {
	for _, g := range append(slices.Clone(r.w.groups), store.Group{ID: store.NewID()}) {
		m := r.w.membership(g.ID, a.user.ID)
		want := 200
		switch {
		case g.Name == "" || !r.w.seesGroup(a.user, g):
			want = 404
		case m != nil && (m.state == store.MemberActive || m.state == store.MemberRequested):
			want = 409
		case g.Archived:
			want = 409
		case m != nil: // invited: accepting
		case g.Kind == store.GroupExtranet || g.Visibility == store.VisibilitySecret:
			want = 403
		}
		if !r.expectWrite(a, "POST", "/api/v1/groups/"+g.ID+"/join", nil, want) {
			continue
		}
		switch {
		case m != nil:
			m.state = store.MemberActive
		case g.Visibility == store.VisibilityClosed:
			r.w.members = append(r.w.members, membership{group: g.ID, user: a.user.ID, role: store.RoleMember, state: store.MemberRequested})
		default:
			r.w.members = append(r.w.members, membership{group: g.ID, user: a.user.ID, role: store.RoleMember, state: store.MemberActive})
		}
	}
}

// exerciseLeave: an actor leaves one group in three, so later actors still find members.
func exerciseLeave(r *run, a actor) {
	for i, g := range append(slices.Clone(r.w.groups), store.Group{ID: store.NewID()}) {
		if i%3 != 0 && g.Name != "" {
			continue
		}
		m := r.w.membership(g.ID, a.user.ID)
		want := 204
		switch {
		case g.Name == "" || !r.w.seesGroup(a.user, g):
			want = 404
		case m == nil:
			want = 409
		case m.role == store.RoleOwner:
			want = 409
		}
		if r.expectWrite(a, "POST", "/api/v1/groups/"+g.ID+"/leave", nil, want) {
			r.dropMember(g.ID, a.user.ID)
		}
	}
}

// exerciseRemove: every actor tries to remove one member of every group (and a
// stranger), which managers may and others may not.
func exerciseRemove(r *run, a actor) {
	for _, g := range slices.Clone(r.w.groups) {
		targets := []string{store.NewID()}
		for _, m := range r.w.members {
			if m.group == g.ID && m.user != a.user.ID {
				targets = append(targets, m.user)
				break
			}
		}
		for _, target := range targets {
			tm := r.w.membership(g.ID, target)
			mine := r.w.membership(g.ID, a.user.ID)
			moderator := mine != nil && mine.state == store.MemberActive && mine.role == store.RoleModerator
			want := 204
			switch {
			case !r.w.seesGroup(a.user, g):
				want = 404
			case !r.w.manages(a.user, g):
				want = 403
			case tm == nil || !r.w.sees(a.user, r.w.user(target)):
				want = 404
			case tm.role == store.RoleOwner:
				want = 409
			case tm.role == store.RoleModerator && moderator && !a.user.Admin:
				want = 403
			}
			if r.expectWrite(a, "DELETE", "/api/v1/groups/"+g.ID+"/members/"+target, nil, want) {
				r.dropMember(g.ID, target)
			}
		}
	}
}

// owns: administrators and the group's active owner.
func (w *world) owns(viewer store.User, g store.Group) bool {
	m := w.membership(g.ID, viewer.ID)
	return viewer.Admin || (m != nil && m.state == store.MemberActive && m.role == store.RoleOwner)
}

// exerciseEditGroup: every actor tries to change every group's description (managers
// may) or, in every other group, its invite policy (its owner and administrators may).
func exerciseEditGroup(r *run, a actor) {
	for i, g := range append(slices.Clone(r.w.groups), store.Group{ID: store.NewID()}) {
		settings := i%2 == 1
		want := 200
		switch {
		case g.Name == "" || !r.w.seesGroup(a.user, g):
			want = 404
		case !r.w.manages(a.user, g) || (settings && !r.w.owns(a.user, g)):
			want = 403
		case g.Archived:
			want = 409
		}
		body := map[string]any{"description": "Edited by " + a.user.Email}
		policy := []string{store.InviteOwner, store.InviteModerators, store.InviteMembers}[(i/2)%3]
		if settings {
			body = map[string]any{"settings": map[string]any{"tools": []string{"tasks"}, "invitePolicy": policy,
				"externalTasks": "all"}}
		}
		if r.expectWrite(a, "PATCH", "/api/v1/groups/"+g.ID, body, want) && settings {
			r.w.groups[i].InvitePolicy = policy
		}
	}
}

// exerciseSetRole: every actor tries to make one member of every group a moderator.
func exerciseSetRole(r *run, a actor) {
	for _, g := range slices.Clone(r.w.groups) {
		target := store.NewID()
		for _, m := range r.w.members {
			if m.group == g.ID && m.user != a.user.ID {
				target = m.user
				break
			}
		}
		tm := r.w.membership(g.ID, target)
		want := 200
		switch {
		case !r.w.seesGroup(a.user, g):
			want = 404
		case !r.w.owns(a.user, g):
			want = 403
		case tm == nil || tm.state != store.MemberActive || !r.w.sees(a.user, r.w.user(target)):
			want = 404
		case tm.role == store.RoleOwner:
			want = 409
		case r.w.user(target).Kind == store.KindExternal:
			want = 409
		}
		if r.expectWrite(a, "PUT", "/api/v1/groups/"+g.ID+"/members/"+target+"/role", map[string]any{"role": "moderator"}, want) {
			tm.role = store.RoleModerator
		}
	}
}

// exerciseInvite: every actor invites, into every group, someone who is not in it (an
// employee or an external user, alternately) and someone who does not exist.
func exerciseInvite(r *run, a actor) {
	for i, g := range slices.Clone(r.w.groups) {
		var candidates []store.User
		for _, u := range r.w.users {
			if r.w.membership(g.ID, u.ID) == nil && (u.Kind == store.KindExternal) == (i%2 == 1) {
				candidates = append(candidates, u)
			}
		}
		targets := []store.User{{ID: store.NewID()}}
		if len(candidates) > 0 {
			targets = append(targets, candidates[0])
		}
		for _, u := range targets {
			want := 201
			switch {
			case !r.w.seesGroup(a.user, g):
				want = 404
			case !r.w.mayInvite(a.user, g):
				want = 403
			case g.Archived:
				want = 409
			case u.Email == "" || !r.w.sees(a.user, u):
				want = 404
			case u.Kind == store.KindExternal:
				want = 422
			case r.w.membership(g.ID, u.ID) != nil:
				want = 409
			}
			if r.expectWrite(a, "POST", "/api/v1/groups/"+g.ID+"/members", map[string]any{"userId": u.ID}, want) {
				r.w.members = append(r.w.members, membership{group: g.ID, user: u.ID, role: store.RoleMember, state: store.MemberInvited})
			}
		}
	}
}

// exerciseApprove: every actor approves the first request of every group, and an
// unknown person's.
func exerciseApprove(r *run, a actor) {
	for _, g := range slices.Clone(r.w.groups) {
		targets := []string{store.NewID()}
		for _, m := range r.w.members {
			if m.group == g.ID && m.state == store.MemberRequested {
				targets = append(targets, m.user)
				break
			}
		}
		for _, target := range targets {
			tm := r.w.membership(g.ID, target)
			want := 200
			switch {
			case !r.w.seesGroup(a.user, g):
				want = 404
			case !r.w.manages(a.user, g):
				want = 403
			case tm == nil || tm.state != store.MemberRequested || !r.w.sees(a.user, r.w.user(target)):
				want = 404
			}
			if r.expectWrite(a, "POST", "/api/v1/groups/"+g.ID+"/members/"+target+"/approve", nil, want) {
				tm.state = store.MemberActive
			}
		}
	}
}
