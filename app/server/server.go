// Package server assembles Annex's HTTP server: the middleware chain, the API from the
// domain packages, the OpenAPI document and its docs page, the SPA, and health checks.
package server

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humagin"
	"github.com/gin-gonic/gin"

	"annex/app/account"
	"annex/app/activity"
	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/backup"
	"annex/app/config"
	"annex/app/drive"
	"annex/app/files"
	"annex/app/groups"
	"annex/app/invites"
	"annex/app/jobs"
	"annex/app/licence"
	"annex/app/live"
	"annex/app/mail"
	"annex/app/notify"
	"annex/app/people"
	"annex/app/request"
	"annex/app/settings"
	"annex/app/setup"
	"annex/app/system"
	"annex/app/tasks"
	"annex/store"
)

// APIPrefix is where the JSON API lives.
const APIPrefix = "/api/v1"

// Server is the assembled application.
type Server struct {
	cfg      config.Config
	st       *store.Store
	log      *slog.Logger
	settings *settings.Service
	sessions *auth.Sessions
	Hasher   *auth.Hasher
	Wizard   *setup.Wizard
	Outbox   *mail.Outbox // runs beside the server: main and the tests start it
	Uploads  *request.Uploads
	Backups  *backup.Runner  // the scheduled job runs through it too (main)
	System   *system.Service // Admin → System; more checks are added with System.Add
	Jobs     *jobs.Scheduler // every scheduled job; main starts it
	cop      *http.CrossOriginProtection
	refusals *refusalLog
	engine   *gin.Engine
	api      huma.API
	spa      *assets
	started  time.Time
	version  string

	httpMetrics *httpMetrics

	docOnce   sync.Once
	doc       []byte
	deepCheck sync.Mutex
}

// Deps are what the server is built from.
type Deps struct {
	Config  config.Config
	Store   *store.Store
	Log     *slog.Logger
	Version string
	SPA     fs.FS
}

// New builds the server.
func New(ctx context.Context, d Deps) (*Server, error) {
	box, err := settings.OpenBox(d.Config.DataDir)
	if err != nil {
		return nil, err
	}
	set, err := settings.New(ctx, d.Store, d.Config.Settings, box)
	if err != nil {
		return nil, err
	}
	set.PhotoMaxMB = d.Config.Uploads.PhotoMaxMB
	dir, err := files.Open(d.Config.DataDir)
	if err != nil {
		return nil, err
	}
	// Before any request, whatever nothing refers to was left by a process that stopped
	// mid-upload (or mid-removal): it goes now, whatever its age.
	if n, err := dir.Sweep(0, filesInUse(ctx, d.Store)); err != nil {
		return nil, err
	} else if n > 0 {
		d.Log.Info("files: removed what nothing refers to", "files", n)
	}
	a := d.Config.Argon2
	hasher := auth.NewHasher(auth.Params{MemoryKiB: a.MemoryKiB, Iterations: a.Iterations, Parallelism: a.Parallelism},
		a.MaxConcurrent)
	sessions := auth.NewSessions(d.Store, d.Config.Session, func() bool { return set.Get().Secure() })
	devices := auth.NewDevices(box.Key("annex device cookie"), func() bool { return set.Get().Secure() })
	authSvc := auth.NewService(d.Store, hasher, sessions, devices, func() string { return set.Get().CompanyName },
		box, box.Key("annex recovery codes"))
	spa, err := loadAssets(d.SPA)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: d.Config, st: d.Store, log: d.Log, settings: set, sessions: sessions, Hasher: hasher,
		Wizard: setup.New(d.Store, set, hasher, sessions), cop: http.NewCrossOriginProtection(), refusals: newRefusalLog(d.Store), spa: spa,
		started: time.Now(), version: d.Version, httpMetrics: newHTTPMetrics(authSvc.Stats())}

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.ContextWithFallback = true
	e.HandleMethodNotAllowed = true
	if err := e.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	e.Use(s.begin, s.guard, s.session)
	s.Outbox = mail.NewOutbox(d.Store, func() mail.SMTP { return set.Get().SMTP }, d.Log)

	cfg := huma.DefaultConfig("Annex", d.Version)
	cfg.Info.Description = "The Annex JSON API. It has the same rights as the web interface: every request acts " +
		"as the signed-in person, through the same access rules."
	cfg.OpenAPIPath, cfg.DocsPath, cfg.SchemasPath = "", "", ""
	cfg.CreateHooks = nil // no $schema members in bodies
	cfg.Servers = []*huma.Server{{URL: APIPrefix}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: "annex_session",
			Description: "The session cookie set by sign-in (named __Host-annex_session when the base URL is https). " +
				"State-changing requests must also send the header " + ClientHeader + ": 1."},
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "annex_…",
			Description: "An API token, created in My account → Security and sent as \"Authorization: Bearer annex_…\" " +
				"(never as a cookie or in the address). It acts as its owner with the owner's rights; a read-only token " +
				"makes GET requests only. Operations whose security does not list this scheme (sign-in and sign-out, " +
				"password operations, token management, and anything that needs the password entered recently) refuse " +
				"it with 403 token_not_allowed. A request with a token needs no " + ClientHeader + " header and must " +
				"carry no session cookie. See docs/api-tokens.md."},
	}
	cfg.Security = auth.SessionOrToken
	api := humagin.NewWithGroup(e, e.Group(APIPrefix), cfg)
	api.UseMiddleware(authenticate(api))
	s.api = api

	set.Routes(api)
	authSvc.Routes(api)
	account.New(d.Store, set, hasher, sessions, authSvc).Routes(api)
	s.Wizard.Routes(api)
	people.New(d.Store, func() int { return set.Get().AccessDays }).Routes(api)
	people.NewAdmin(d.Store, hasher, func() licence.Licence { return licence.Current(set.Get().Licence) }).Routes(api)
	// Every handler that reads its own body (photos now, drive uploads later) shares
	// one bound: a stall deadline, and a few bodies per person at once.
	s.Uploads = request.NewUploads(time.Duration(d.Config.Uploads.StallTimeout), d.Config.Uploads.PerPerson)
	people.NewPhotos(d.Store, dir, int64(d.Config.Uploads.PhotoMaxMB)<<20, s.Uploads).Routes(api)
	groups.New(d.Store).Routes(api)
	hub := live.New(ctx, d.Store, d.Log)
	hub.Routes(api)
	notifier := notify.New(d.Store, set, hub)
	notifier.Routes(api)
	tasks.New(d.Store, notifier, hub).Routes(api)
	drives := drive.New(d.Store, dir, int64(d.Config.Uploads.FileMaxMB)<<20, s.Uploads,
		drive.Links{Settings: set.Get, Hasher: hasher, CookieKey: box.Key("annex public link cookie")})
	drives.Routes(api)
	licence.NewService(d.Store, set).Routes(api)
	s.Outbox.Routes(api)
	activity.New(d.Store).Routes(api)
	invites.New(d.Store, set, hasher, sessions, invites.Limits{PerHour: d.Config.Invites.PerHour,
		AdminPerHour: d.Config.Invites.AdminPerHour}).Routes(api)
	s.Backups = backup.NewRunner(ctx, d.Store, d.Log, backup.Options{DataDir: d.Config.DataDir,
		Dir: d.Config.BackupDir(), Keep: d.Config.Backup.Keep, Version: d.Version})
	s.Backups.Routes(api, d.Config.Backup.Schedule)
	s.System = system.New(system.Deps{Store: d.Store, Backups: s.Backups, DataDir: d.Config.DataDir,
		Version: d.Version, Started: s.started})
	s.System.Routes(api)
	js := append(jobs.Builtin(d.Store), activity.RetentionJob(d.Store, d.Config.Activity))
	js = append(js, people.ExpiryJobs(d.Store, set)...)
	reviews := people.NewReviews(d.Store, set)
	reviews.Routes(api)
	js = append(js, reviews.Job(), jobs.Job{Name: notify.RemindersJob, Schedule: "@every 15m", RunAtStart: true,
		Run: notifier.Reminders}, jobs.Job{Name: drive.TrashJob, Schedule: "@daily", RunAtStart: true, Run: drives.EmptyTrash},
		jobs.Job{Name: files.SweepJob, Schedule: "@daily", Run: func(ctx context.Context) error {
			_, err := dir.Sweep(files.SweepGrace, filesInUse(ctx, d.Store))
			return err
		}})
	if d.Config.Backup.Schedule != "off" {
		js = append(js, jobs.Job{Name: backup.JobName, Schedule: d.Config.Backup.Schedule, Run: s.Backups.Run})
	}
	if s.Jobs, err = jobs.New(d.Store, d.Log, d.Config.Jobs, js); err != nil {
		return nil, err
	}
	s.Jobs.Routes(api)

	e.GET(APIPrefix+"/openapi.json", s.openapi)
	e.GET(APIPrefix+"/schemas/:name", s.schema)
	e.GET(APIPrefix+"/docs", s.docs)
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics)
	e.NoRoute(s.noRoute)
	e.NoMethod(func(c *gin.Context) {
		writeProblem(c.Writer, c.Request.Context(), apperr.New(http.StatusMethodNotAllowed, "method_not_allowed", nil))
	})
	s.engine = e
	return s, nil
}

// Handler is the HTTP handler.
func (s *Server) Handler() http.Handler { return s.engine }

// API is the huma API, for the tests that iterate over the document.
func (s *Server) API() huma.API { return s.api }

// OpenAPI returns the document as JSON.
func (s *Server) OpenAPI() []byte {
	s.docOnce.Do(func() {
		b, err := json.MarshalIndent(s.api.OpenAPI(), "", "  ")
		if err != nil {
			panic(err)
		}
		s.doc = append(b, '\n')
	})
	return s.doc
}

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", s.OpenAPI())
}

func (s *Server) schema(c *gin.Context) {
	name := strings.TrimSuffix(c.Param("name"), ".json")
	sc := s.api.OpenAPI().Components.Schemas.Map()[name]
	if sc == nil {
		writeProblem(c.Writer, c.Request.Context(), apperr.NotFound())
		return
	}
	c.JSON(http.StatusOK, sc)
}

// docs serves the SPA, whose API reference page reads the document at this address:
// under /api/v1, where any other unknown path answers a JSON 404.
func (s *Server) docs(c *gin.Context) {
	s.spa.serve(c, "index.html")
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz reports whether the database answers. Its deep mode (an integrity check that
// reads the whole file) is for the machine's own monitoring: only from loopback, and
// one at a time, so nobody can tie up the readers with it.
func (s *Server) readyz(c *gin.Context) {
	deep := c.Query("deep") == "1" && isLoopback(c.ClientIP())
	if deep {
		if !s.deepCheck.TryLock() {
			c.JSON(http.StatusTooManyRequests, gin.H{"status": "busy"})
			return
		}
		defer s.deepCheck.Unlock()
	}
	if err := s.st.Ping(c.Request.Context(), deep); err != nil {
		s.log.Error("readiness check failed", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		writeProblem(c.Writer, c.Request.Context(), apperr.NotFound())
		return
	}
	s.spa.handle(c)
}

// MailConfigured reports whether an SMTP server is set.
func (s *Server) MailConfigured() bool { return s.settings.Get().SMTP.Enabled }

// Settings is the company's settings, as the scheduled jobs read them.
func (s *Server) Settings() *settings.Service { return s.settings }

// Engine is the gin engine, for the tests that compare its routes with the document.
func (s *Server) Engine() *gin.Engine { return s.engine }

// Log is the server's logger.
func (s *Server) Log() *slog.Logger { return s.log }

func isLoopback(addr string) bool {
	a, err := netip.ParseAddr(addr)
	return err == nil && a.IsLoopback()
}

// MintSession signs u in without a password, for tests that need many actors quickly
// (the isolation test): the same session rows and cookie as a real sign-in.
func (s *Server) MintSession(ctx context.Context, u store.User) (http.Cookie, error) {
	var ck http.Cookie
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		ck, err = s.sessions.Start(ctx, tx, u, false)
		return err
	})
	return ck, err
}

func filesInUse(ctx context.Context, st *store.Store) func([]string) (map[string]bool, error) {
	return func(ids []string) (map[string]bool, error) { return st.FilesInUse(ctx, store.System(), ids) }
}
