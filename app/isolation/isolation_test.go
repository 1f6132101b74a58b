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
	"regexp"
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
	"annex/app/auth"
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
	case strings.HasSuffix(a.former, " token"):
		return "the former " + a.former
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
	tokens   map[string]*tokens         // API tokens by user id (employees), kept like sessions
	// formerTokens are the tokens of people deactivated since: each must be refused (401)
	// by every operation.
	formerTokens []actor
	noTokens     []route    // the operations that refuse tokens (their security lacks bearer)
	allRoutes    []route    // every operation of the document, with a concrete path
	trng         *rand.Rand // chooses which requests go through a token, apart from the world's rng
	// viewers are sessions of the first administrator viewing as each external user
	// (docs/view-as.md): some of her requests go through them, and must answer the same.
	viewers  map[string]*apptest.Client
	via      string   // how the request in hand was sent, for the report
	history  []string // the events so far, for the report
	requests int
	events   int
	leaks    []string
}

func (r *run) leak(a actor, method, path, format string, args ...any) {
	after := ""
	if len(r.history) > 0 {
		after = " (after " + strings.Join(r.history, ", ") + ")"
	}
	r.leaks = append(r.leaks, fmt.Sprintf("seed %d%s, %s%s: %s %s: %s", r.seed, after, a, r.via, method, path, fmt.Sprintf(format, args...)))
}

// tokens are one person's API tokens, made through the API as they would make them.
type tokens struct {
	rw, ro *apptest.Client
	ids    []string
}

// route is one operation of the document: its method and a pattern of its paths.
type route struct {
	method string
	path   *regexp.Regexp
	sample string // the path with its parameters filled by an id that exists nowhere
}

// do sends a request as the actor: through their session cookie, or, for one request in
// three of a person holding tokens (and where the operation takes tokens), through their
// read-write token, or for a read their read-only one. The answer must be the same
// either way: a token acts as its owner through the same fence. Now and then a write is
// first tried with the read-only token, which must refuse it and change nothing.
func (r *run) do(a actor, method, path string, body any) apptest.Response {
	r.requests++
	c := a.client
	r.via = ""
	if tk := r.tokens[a.user.ID]; tk != nil && a.former == "" && r.tokensTaken(method, path) && r.trng.IntN(3) == 0 {
		c, r.via = tk.rw, " through a read-write token"
		switch {
		case method == "GET" && r.trng.IntN(2) == 0:
			c, r.via = tk.ro, " through a read-only token"
		case method != "GET" && r.trng.IntN(4) == 0:
			r.via = " through a read-only token"
			before := r.digest()
			r.requests++
			if res := tk.ro.Do(method, path, body); res.Status != 403 || res.Code() != "token_read_only" {
				r.leak(a, method, path, "status %d %s, want 403 token_read_only", res.Status, res.Body)
			}
			if r.digest() != before {
				r.leak(a, method, path, "a write refused to a read-only token changed the database")
			}
			r.via = " through a read-write token"
		}
	}
	if v := r.viewers[a.user.ID]; v != nil && c == a.client && a.former == "" && r.viewable(path) {
		switch {
		case method == "GET" && r.trng.IntN(3) == 0:
			c, r.via = v, " viewed as by an administrator"
		case method != "GET" && r.trng.IntN(4) == 0:
			// Refused whole to the administrator viewing as her; then she does it herself.
			r.via = " viewed as by an administrator"
			before := r.digest()
			r.requests++
			if res := v.Do(method, path, body); res.Status != 403 || res.Code() != "view_as_read_only" {
				r.leak(a, method, path, "status %d %s, want 403 view_as_read_only", res.Status, res.Body)
			}
			if r.digest() != before {
				r.leak(a, method, path, "a write refused under view-as changed the database")
			}
			r.via = ""
		}
	}
	res := c.Do(method, path, body)
	if c == r.viewers[a.user.ID] {
		res = r.viewedBy(a, method, path, res)
	}
	r.checkEmbedded(a, method, path, body, res)
	return res
}

// viewedBy checks that an answer about herself, given to the administrator viewing as
// her, says who views (the administrator, whom she herself may not see), and returns it
// as she would have it.
func (r *run) viewedBy(a actor, method, path string, res apptest.Response) apptest.Response {
	var body map[string]any
	if path != "/api/v1/me" && path != "/api/v1/bootstrap" || json.Unmarshal(res.Body, &body) != nil {
		return res
	}
	me := body
	if u, ok := body["user"].(map[string]any); ok { // bootstrap
		me = u
	}
	if me["id"] != a.user.ID {
		return res
	}
	if v, _ := me["viewedBy"].(map[string]any); v == nil || v["id"] != r.w.users[0].ID {
		r.leak(a, method, path, "viewing as her, the answer does not name the viewer: %s", res.Body)
	}
	delete(me, "viewedBy")
	res.Body, _ = json.Marshal(body)
	return res
}

// viewable says whether a request of an external user's is tried through an
// administrator viewing as her: all but those about her own account and session, which
// are hers alone (the view's own operations among them).
func (r *run) viewable(path string) bool {
	return !strings.HasPrefix(path, "/api/v1/me/") && !strings.HasPrefix(path, "/api/v1/auth/")
}

// viewAs keeps a session of the first administrator viewing as the external user u,
// while the administrator is one and u may be viewed; it is checked at every round,
// since an event may have ended the view.
func (r *run) viewAs(u store.User) {
	first := r.w.user(r.w.users[0].ID)
	if u.Kind != store.KindExternal || !first.Admin || !first.Active || u.AccessEnded(r.env.Store.Now()) {
		delete(r.viewers, u.ID)
		return
	}
	v := r.viewers[u.ID]
	if v == nil {
		ck, err := r.env.Server.MintSession(context.Background(), first)
		if err != nil {
			r.t.Fatal(err)
		}
		v = r.env.Client()
		v.Headers["Cookie"] = ck.Name + "=" + ck.Value
		r.viewers[u.ID] = v
	}
	r.requests++
	if me := v.Do("GET", "/api/v1/me", nil).JSON(); me["id"] == u.ID {
		return
	}
	r.requests++
	if res := v.Do("POST", "/api/v1/people/"+u.ID+"/view-as", nil); res.Status != 204 {
		r.t.Fatalf("seed %d: view as %s: %d %s", r.seed, u.Email, res.Status, res.Body)
	}
}

// tokensTaken reports whether the operation of method and path takes API tokens.
func (r *run) tokensTaken(method, path string) bool {
	for _, rt := range r.noTokens {
		if rt.method == method && rt.path.MatchString(path) {
			return false
		}
	}
	return true
}

// digest changes whenever any connection commits a change to the database, except the
// security rows a refusal writes to the activity log (a refused request is logged; it
// must change nothing else): a counter moved by triggers on every table (countChanges).
// (Sessions' last-seen times, the only writes a read may make, move once a minute and
// the test clock stands still.)
func (r *run) digest() int64 {
	var v int64
	if err := r.db.QueryRow(`SELECT n FROM isolation_changes`).Scan(&v); err != nil {
		r.t.Fatal(err)
	}
	return v
}

// countChanges installs the triggers behind digest in the world's database.
func countChanges(t testing.TB, dataDir string) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "annex.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	stmts := []string{`CREATE TABLE isolation_changes (n INTEGER NOT NULL)`, `INSERT INTO isolation_changes VALUES (0)`}
	for _, table := range tables {
		for _, event := range []string{"INSERT", "UPDATE", "DELETE"} {
			when := ""
			if table == "activity" && event == "INSERT" {
				when = " WHEN NEW.action NOT LIKE 'security.%'"
			}
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER isolation_%s_%s AFTER %s ON %s%s
				BEGIN UPDATE isolation_changes SET n = n + 1; END`, table, strings.ToLower(event), event, table, when))
		}
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// An exercise tries one operation as one actor and reports what the oracle forbids.
type exercise func(r *run, a actor)

// exercises knows every operation of the document. An operation missing here fails
// the test, so no endpoint escapes it.
var exercises = map[string]exercise{
	"listPeople":      exerciseListPeople,
	"getPerson":       exerciseGetPerson,
	"getMe":           exerciseSelf("GET", "/api/v1/me"),
	"getPersonPhoto":  exercisePhoto,
	"setAccessExpiry": exerciseAccess("PUT", ""),
	"startViewAs":     exerciseStartViewAs,
	"endViewAs":       exerciseNotViewing("DELETE", "/api/v1/me/view-as", nil),
	"viewAsPage":      exerciseNotViewing("POST", "/api/v1/me/view-as/pages", map[string]any{"path": "/groups"}),
	"extendAccess":    exerciseAccess("POST", "/extend"),

	"listMyTokens":  exerciseListTokens,
	"createMyToken": exerciseCreateToken,
	"revokeMyToken": exerciseRevokeToken,

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

	"getSettings":        adminOnly("GET", "/api/v1/admin/settings", nil),
	"getLicence":         adminOnly("GET", "/api/v1/admin/licence", nil),
	"listOutbox":         adminOnly("GET", "/api/v1/admin/outbox", nil),
	"retryMail":          adminOnlyOnMail,
	"listSignInBlocks":   adminOnly("GET", "/api/v1/admin/sign-in-blocks", nil),
	"listBackups":        adminOnly("GET", "/api/v1/admin/backups", nil),
	"startBackup":        adminOnly("POST", "/api/v1/admin/backups", nil),
	"getBackupStatus":    adminOnly("GET", "/api/v1/admin/backup-status", nil),
	"getBackup":          adminOnlyOnBackups(""),
	"downloadBackup":     adminOnlyOnBackups("/download"),
	"getSystem":          adminOnly("GET", "/api/v1/admin/system", nil),
	"listActivity":       adminOnly("GET", "/api/v1/admin/activity", nil),
	"listJobs":           adminOnly("GET", "/api/v1/admin/jobs", nil),
	"getAccessReport":    exerciseAccessReport,
	"listAccessReviews":  exerciseListReviews,
	"answerAccessReview": exerciseAnswerReview,
	// Its rows are the report's, checked above; what matters here is who may have it.
	"exportAccessReport": adminOnlyOnUsers("GET", "/api/v1/admin/users/%s/access-report/export", nil),
	"runJob":             adminOnly("POST", "/api/v1/admin/jobs/access_expiry/run", nil),
	"exportActivity":     adminOnly("GET", "/api/v1/admin/activity/export", nil),
	// The id names the address key of 203.0.113.1, whether or not it is blocked.
	"clearSignInBlock":   adminOnly("DELETE", "/api/v1/admin/sign-in-blocks/"+base64.RawURLEncoding.EncodeToString([]byte("addr:203.0.113.1")), nil),
	"uploadLicence":      adminOnly("PUT", "/api/v1/admin/licence", map[string]any{"text": ""}),
	"addEmployee":        adminOnly("POST", "/api/v1/admin/users", map[string]any{"name": "Mallory", "email": "mallory@example.com"}),
	"deactivateUser":     adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/deactivate", nil),
	"reactivateUser":     adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/reactivate", nil),
	"setUserAdmin":       adminOnlyOnUsers("PUT", "/api/v1/admin/users/%s/admin", map[string]any{"admin": true}),
	"moveToIntranet":     adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/move-to-intranet", nil),
	"resetUserTwoFactor": adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/reset-two-factor", nil),
	"updateSettings":     adminOnly("PATCH", "/api/v1/admin/settings", map[string]any{"companyName": "Taken over"}),
	"updateSMTP":         adminOnly("PUT", "/api/v1/admin/settings/smtp", map[string]any{"enabled": false}),
	"testSMTP": adminOnly("POST", "/api/v1/admin/settings/smtp/test", map[string]any{"enabled": true,
		"host": "127.0.0.1", "port": 9, "security": "none", "from": "a@example.com", "to": "b@example.com"}),

	"listMySessions":       exerciseMySessions,
	"endMySession":         exerciseEndSession,
	"endMyOtherSessions":   exerciseEndOthers,
	"changeMyEmail":        exerciseChangeEmail,
	"confirmEmailChange":   exerciseAccountLink("/api/v1/auth/email-change/confirm", nil),
	"checkPasswordReset":   exerciseAccountLink("/api/v1/auth/password-reset/check", nil),
	"finishPasswordReset":  exerciseAccountLink("/api/v1/auth/password-reset/finish", map[string]any{"password": "correct horse battery staple"}),
	"requestPasswordReset": exerciseRequestReset,
	"resetUserPassword":    adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/reset-password", nil),
	"endUserSessions":      adminOnlyOnUsers("POST", "/api/v1/admin/users/%s/end-sessions", nil),

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
	// Two-factor acts on the actor's own account only (or, for the second step of a
	// sign-in, on the account of the challenge cookie); app/auth's tests cover them.
	"verifySecondFactor":        nil,
	"getTwoFactor":              nil,
	"startTwoFactorEnrolment":   nil,
	"confirmTwoFactorEnrolment": nil,
	"disableTwoFactor":          nil,
	"regenerateRecoveryCodes":   nil,
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
	countChanges(t, env.Config.DataDir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env.Config.DataDir, "annex.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if licenceText != "" {
		admin.Do("PUT", "/api/v1/admin/licence", map[string]any{"text": licenceText}).Must(t, 200)
	}
	// A backup exists, so refusals are tried on a real one too.
	if _, err := backup.Create(context.Background(), backup.Options{DataDir: env.Config.DataDir,
		Dir: env.Config.BackupDir(), Now: env.Clock.Now}); err != nil {
		t.Fatal(err)
	}
	r := &run{t: t, seed: seed, rng: rng, env: env, admin: admin, w: build(t, env, rng, first), db: db,
		sessions: map[string]*apptest.Client{}, tokens: map[string]*tokens{}, trng: rand.New(rand.NewPCG(seed, 7)),
		viewers: map[string]*apptest.Client{}}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for path, item := range env.Server.API().OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			rt := route{method: op.Method, path: regexp.MustCompile(`^/api/v1` +
				strings.ReplaceAll(regexp.QuoteMeta(param.ReplaceAllString(path, "PARAM")), "PARAM", `[^/?]+`) + `(\?.*)?$`),
				sample: "/api/v1" + param.ReplaceAllString(path, store.NewID())}
			r.allRoutes = append(r.allRoutes, rt)
			if !auth.TokensAllowed(op) {
				r.noTokens = append(r.noTokens, rt)
			}
		}
	}
	slices.SortFunc(r.allRoutes, func(a, b route) int { return strings.Compare(a.method+a.sample, b.method+b.sample) })
	return r
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
		if u.Kind == store.KindEmployee && r.tokens[u.ID] == nil {
			r.tokens[u.ID] = r.mintTokens(u, c)
		}
		r.viewAs(u)
		as = append(as, actor{user: u, client: c})
	}
	return as
}

// mintTokens makes a read-write and a read-only token as the person would (their session
// was just minted, so the password counts as recent), and uses each once, so that their
// last use is written now and not in the middle of a later "nothing changed" check.
func (r *run) mintTokens(u store.User, session *apptest.Client) *tokens {
	tk := &tokens{}
	for _, scope := range []string{"read-write", "read-only"} {
		r.requests += 2
		res := session.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "Isolation " + scope, "scope": scope, "expiresInDays": 30})
		if res.Status != 201 {
			r.t.Fatalf("seed %d: %s cannot make a token: %d %s", r.seed, u.Email, res.Status, res.Body)
		}
		c := r.env.Client()
		delete(c.Headers, "X-Annex-Client")
		c.Headers["Authorization"] = "Bearer " + res.JSON()["token"].(string)
		c.Do("GET", "/api/v1/me", nil).Must(r.t, 200)
		tk.ids = append(tk.ids, res.JSON()["item"].(map[string]any)["id"].(string))
		if scope == "read-write" {
			tk.rw = c
		} else {
			tk.ro = c
		}
	}
	return tk
}

func (r *run) exercise(ops []string) {
	for _, a := range r.actors() {
		for _, id := range ops {
			if ex := exercises[id]; ex != nil {
				ex(r, a)
			}
		}
	}
	r.via = ""
	for _, a := range r.formerTokens {
		r.formerTokenRefused(a)
	}
}

// formerTokenRefused: a token of someone deactivated since is refused by every operation
// of the document, with 401, and changes nothing.
func (r *run) formerTokenRefused(a actor) {
	before := r.digest()
	for _, rt := range r.allRoutes {
		if strings.HasSuffix(a.former, "read-only token") && rt.method != "GET" {
			continue
		}
		r.requests++
		res := a.client.Do(rt.method, rt.sample, map[string]any{})
		if res.Status != 401 || !strings.HasPrefix(res.Code(), "token_") {
			r.leak(a, rt.method, rt.sample, "status %d %s for a former token, want 401", res.Status, res.Body)
		}
	}
	if r.digest() != before {
		r.leak(a, "*", "*", "requests with a former token changed the database")
	}
}

// exerciseListTokens: everyone lists exactly their own tokens; nobody else's appear.
func exerciseListTokens(r *run, a actor) {
	path := "/api/v1/me/tokens?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	var want []string
	if tk := r.tokens[a.user.ID]; tk != nil {
		want = tk.ids
	}
	r.compareIDs(a, "GET", path, res, want)
}

// exerciseCreateToken: external users are refused and nothing changes. (Employees may;
// app/auth's tests cover how, and the world's tokens are made in mintTokens.)
func exerciseCreateToken(r *run, a actor) {
	if a.user.ID != "" && a.user.Kind == store.KindEmployee {
		return
	}
	path := "/api/v1/me/tokens"
	before := r.digest()
	res := r.do(a, "POST", path, map[string]any{"name": "Mine", "scope": "read-write", "expiresInDays": 365})
	if !r.anonymousRefused(a, "POST", path, res) && (res.Status != 403 || res.Code() != "token_external") {
		r.leak(a, "POST", path, "status %d %s for an external user, want 403 token_external", res.Status, res.Body)
	}
	if r.digest() != before {
		r.leak(a, "POST", path, "a refused request changed the database")
	}
}

// exerciseRevokeToken: nobody revokes anyone else's token (or an unknown one): 404, and
// nothing changes.
func exerciseRevokeToken(r *run, a actor) {
	ids := []string{store.NewID()}
	for owner, tk := range r.tokens {
		if owner != a.user.ID {
			ids = append(ids, tk.ids...)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		r.expectWrite(a, "DELETE", "/api/v1/me/tokens/"+id, nil, 404)
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
		_, access := res.JSON()["access"]
		switch {
		case visible && (res.Status != 200 || res.JSON()["id"] != u.ID):
			r.leak(a, "GET", path, "status %d for a visible person", res.Status)
		case !visible && res.Status != 404:
			r.leak(a, "GET", path, "status %d for a hidden person, want 404: %s", res.Status, res.Body)
		case visible && access != (u.Kind == store.KindExternal && r.w.managesAccess(a.user, u)):
			r.leak(a, "GET", path, "the access date is shown: %v, oracle: %v", access, !access)
		}
	}
}

// exerciseAccess: every actor tries to set or extend the access date of every person,
// and of an unknown id: only administrators and the employees who invited her may.
func exerciseAccess(method, suffix string) exercise {
	return func(r *run, a actor) {
		for i, u := range append(slices.Clone(r.w.users), store.User{ID: store.NewID()}) {
			path := "/api/v1/people/" + u.ID + "/access-expiry" + suffix
			until := r.env.Store.Now().Add(24 * time.Hour).Truncate(time.Second)
			var body any = map[string]any{"expiresAt": until.Format(time.RFC3339)}
			want := 200
			switch {
			case u.Email == "" || !r.w.sees(a.user, u):
				want = 404
			case !r.w.managesAccess(a.user, u):
				want = 403
			case u.Kind != store.KindExternal:
				want = 409
			case suffix != "":
				body = nil
				if u.AccessExpiresAt == nil {
					want = 409 // nothing to extend
				}
			}
			if r.expectWrite(a, method, path, body, want) && suffix == "" {
				r.w.users[i].AccessExpiresAt = &until
			}
		}
	}
}

// exerciseListReviews: everyone lists exactly the reviews the oracle lets them read.
func exerciseListReviews(r *run, a actor) {
	path := "/api/v1/access-reviews?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	var want []string
	for _, rv := range r.w.reviews {
		if r.w.readsReview(a.user, rv) {
			want = append(want, rv.id)
		}
	}
	r.compareIDs(a, "GET", path, res, want)
}

// exerciseAnswerReview: every actor answers every review "keep", and an unknown one: a
// review they may not read is not found; one they read but are not responsible for is
// refused; one answered already is a conflict.
func exerciseAnswerReview(r *run, a actor) {
	for i, rv := range append(slices.Clone(r.w.reviews), review{id: store.NewID()}) {
		want := 200
		subject := r.w.user(rv.user)
		switch {
		case rv.user == "" || !r.w.readsReview(a.user, rv):
			want = 404
		case rv.answered:
			want = 409
		case !a.user.Admin && !r.w.responsibleFor(a.user, subject):
			want = 403
		}
		if r.expectWrite(a, "POST", "/api/v1/access-reviews/"+rv.id+"/answer", map[string]any{"answer": "keep"}, want) {
			r.w.reviews[i].answered = true
		}
	}
}

// exerciseAccessReport: administrators get, for every external user, exactly the groups
// and people the oracle says she may see (the report reads through the fence with her as
// the actor; the oracle is the independent copy); employees have no report; everyone
// else is refused.
func exerciseAccessReport(r *run, a actor) {
	if !a.user.Admin {
		adminOnlyOnUsers("GET", "/api/v1/admin/users/%s/access-report", nil)(r, a)
		return
	}
	for _, u := range append(slices.Clone(r.w.users), store.User{ID: store.NewID()}) {
		path := "/api/v1/admin/users/" + u.ID + "/access-report"
		res := r.do(a, "GET", path, nil)
		want := 200
		switch {
		case u.Email == "":
			want = 404
		case u.Kind != store.KindExternal:
			want = 409
		}
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d: %s", res.Status, want, res.Body)
			continue
		}
		if want != 200 {
			continue
		}
		var wantGroups, wantPeople []string
		for _, g := range r.w.groups {
			if r.w.seesGroup(u, g) {
				wantGroups = append(wantGroups, g.ID)
			}
		}
		for _, p := range r.w.users {
			if r.w.sees(u, p) {
				wantPeople = append(wantPeople, p.ID)
			}
		}
		body := res.JSON()
		for key, want := range map[string][]string{"groups": wantGroups, "people": wantPeople} {
			var got []string
			for _, it := range body[key].([]any) {
				got = append(got, it.(map[string]any)["id"].(string))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				r.leak(a, "GET", path, "the report of %s lists %s %v, the oracle %v", u.Email, key, got, want)
			}
		}
	}
}

// exerciseStartViewAs: every actor tries to view as an employee and as an unknown id;
// administrators are told why not, everyone else is refused. (Viewing as an external
// user is what r.viewers do, checked through every other operation.)
func exerciseStartViewAs(r *run, a actor) {
	for _, u := range append(slices.Clone(r.w.users), store.User{ID: store.NewID()}) {
		if u.Email != "" && u.Kind != store.KindEmployee {
			continue
		}
		want := 403
		switch {
		case a.user.Admin && u.Email == "":
			want = 404
		case a.user.Admin:
			want = 409
		}
		r.expectWrite(a, "POST", "/api/v1/people/"+u.ID+"/view-as", nil, want)
	}
}

// exerciseNotViewing: nobody of the world is viewing as anyone through their own session.
func exerciseNotViewing(method, path string, body any) exercise {
	return func(r *run, a actor) { r.expectWrite(a, method, path, body, 409) }
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
		InvitePolicy: store.InviteModerators, Tools: store.Tools, ExternalTasks: store.ExternalTasksInvolved}
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
		tools := [][]string{{"tasks"}, {"feed", "chat"}}[(i/2)%2]
		tasks := []string{store.ExternalTasksAll, store.ExternalTasksInvolved}[(i/4)%2]
		if settings {
			body = map[string]any{"settings": map[string]any{"tools": tools, "invitePolicy": policy,
				"externalTasks": tasks}}
		}
		if r.expectWrite(a, "PATCH", "/api/v1/groups/"+g.ID, body, want) && settings {
			r.w.groups[i].InvitePolicy, r.w.groups[i].Tools, r.w.groups[i].ExternalTasks = policy, tools, tasks
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
