package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/i18n"
	"annex/app/request"
	"annex/store"
)

// Public is the security requirement of an anonymous operation: an explicit empty list,
// which the server's authentication check and the tests read from the document.
var Public = []map[string][]string{}

// Service is sign-in, sign-out, re-authentication and the signed-in person's account.
type Service struct {
	st       *store.Store
	hasher   *Hasher
	sessions *Sessions
	devices  *Devices
	company  func() string // the company's name, which no password may contain
	dummy    string        // a hash verified for unknown accounts, so they cost the same time
	stats    SignInStats
	// sealer encrypts TOTP secrets; recoveryKey keys the hashes of recovery codes.
	sealer      Sealer
	recoveryKey []byte
}

// SignInStats count, since the start, the passwords found wrong and the attempts refused
// because their account or address was blocked (the metrics endpoint exposes them).
type SignInStats struct {
	Failures, Blocks atomic.Uint64
}

// Stats are the service's sign-in counters.
func (s *Service) Stats() *SignInStats { return &s.stats }

// attempt begins a password check under the throttle (beginAttempt), counting refusals
// for a block, and failures when the attempt ends in one.
// A refusal by a block is a security event of the activity log, like every failure.
func (s *Service) attempt(ctx context.Context, actor store.Actor, email, addr string, trusted bool) (*attempt, error) {
	at, err := beginAttempt(ctx, s.st, email, addr, trusted)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == "throttled" {
		s.stats.Blocks.Add(1)
		if lerr := s.st.Tx(ctx, func(tx *store.Tx) error {
			return audit.Log(ctx, tx, actor, audit.SignInBlocked, audit.User(actor.UserID, email), nil)
		}); lerr != nil {
			return nil, lerr
		}
	}
	if at != nil {
		at.failures = &s.stats.Failures
		at.actor = actor
	}
	return at, err
}

// NewService returns the auth service. sealer encrypts TOTP secrets with the data
// folder's key, and recoveryKey (derived from it) keys the hashes of recovery codes.
func NewService(st *store.Store, h *Hasher, s *Sessions, d *Devices, company func() string, sealer Sealer,
	recoveryKey []byte) *Service {
	return &Service{st: st, hasher: h, sessions: s, devices: d, company: company, dummy: h.Dummy(), sealer: sealer,
		recoveryKey: recoveryKey}
}

// Me is the signed-in person as the SPA needs them.
type Me struct {
	ID                 string         `json:"id"`
	Name               string         `json:"name"`
	Email              string         `json:"email"`
	Kind               string         `json:"kind" enum:"employee,external"`
	Admin              bool           `json:"admin"`
	Locale             string         `json:"locale" enum:"en,ru"`
	MustChangePassword bool           `json:"mustChangePassword" doc:"A temporary password must be replaced before anything else"`
	TemporaryReason    string         `json:"temporaryReason,omitempty" enum:"new_account,reset" doc:"Where the temporary password came from: a new account added by an administrator, or a reset; absent when mustChangePassword is false"`
	Position           string         `json:"position"`
	Company            string         `json:"company"`
	Phone              string         `json:"phone"`
	TimeZone           string         `json:"timeZone" doc:"IANA name such as Europe/Berlin; empty when not set"`
	Photo              string         `json:"photo" doc:"Address of the profile photo; empty when there is none"`
	TwoFactor          TwoFactorState `json:"twoFactor" doc:"Required but not enabled: the person must enrol before anything else"`
	ViewedBy           *ViewedBy      `json:"viewedBy,omitempty" doc:"Present when this is an administrator's read-only view as this person (docs/view-as.md)"`
}

// MeOf renders a user as Me, under the request's two-factor policy.
func MeOf(ctx context.Context, u store.User) Me {
	me := Me{ID: u.ID, Name: u.Name, Email: u.Email, Kind: u.Kind, Admin: u.Admin, Locale: u.Locale,
		MustChangePassword: u.MustChangePassword, TemporaryReason: u.TemporaryReason, Position: u.Position, Company: u.Company, Phone: u.Phone,
		TimeZone: u.TimeZone, Photo: PhotoURL(u),
		TwoFactor: TwoFactorState{Enabled: u.TwoFactorEnabled, Required: PolicyFrom(ctx).Required(u)}}
	if cur := CurrentFrom(ctx); cur != nil && cur.Viewer != nil && cur.User.ID == u.ID {
		// Her gates hold back her, not the administrator viewing as her: the app is
		// shown as it is once she is through them.
		me.MustChangePassword, me.TemporaryReason, me.TwoFactor.Required = false, "", false
		me.ViewedBy = &ViewedBy{ID: cur.Viewer.ID, Name: cur.Viewer.Name, Since: cur.Session.ViewAsSince.UTC()}
	}
	return me
}

// ViewedBy says that the session is an administrator's view as this person.
type ViewedBy struct {
	ID    string    `json:"id" doc:"The administrator viewing"`
	Name  string    `json:"name"`
	Since time.Time `json:"since"`
}

// MeWithCookie is Me plus the session cookie just issued.
type MeWithCookie struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      Me
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" maxLength:"254" doc:"The account's e-mail address"`
		Password string `json:"password" maxLength:"1024"`
		Remember bool   `json:"remember,omitempty" doc:"Keep the session for up to 30 days"`
	}
	Device       string `cookie:"annex_device" doc:"Set by an earlier sign-in in this browser"`
	SecureDevice string `cookie:"__Host-annex_device" doc:"The same, when the base URL is https"`
}

// loginOutput is Me plus the session cookie just issued and the device cookie, which
// remembers that this browser has signed in to the account.
type loginOutput struct {
	SetCookie []http.Cookie `header:"Set-Cookie"`
	Body      Me
}

type passwordInput struct {
	Body struct {
		Password string `json:"password" maxLength:"1024"`
	}
}

type changePasswordInput struct {
	Body struct {
		Current  string `json:"current" maxLength:"1024"`
		Password string `json:"password" maxLength:"1024" doc:"12 to 128 characters, not a common password, not containing the company's name or Annex"`
	}
}

type patchMeInput struct {
	Body struct {
		Locale   *string `json:"locale,omitempty" enum:"en,ru"`
		Name     *string `json:"name,omitempty" maxLength:"200"`
		Position *string `json:"position,omitempty" maxLength:"200"`
		Company  *string `json:"company,omitempty" maxLength:"200"`
		Phone    *string `json:"phone,omitempty" maxLength:"40" doc:"Digits with spaces, +, brackets, dashes, dots or slashes"`
		TimeZone *string `json:"timeZone,omitempty" maxLength:"64" doc:"IANA name such as Europe/Berlin, or empty"`
	}
}

type cookieOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

type meOutput struct{ Body Me }

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/auth/login",
		Summary: "Sign in",
		Description: "Sets the session cookie and the device cookie, which lets this browser past a block of its address. " +
			"For a person with two-factor, a right password answers 401 second_factor_required with a short-lived cookie " +
			"for verifySecondFactor instead: no session exists before the code.",
		Tags: []string{"Session"}, Security: Public}, s.login)
	huma.Register(api, huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/auth/logout",
		Summary: "Sign out", Tags: []string{"Session"}, Security: SessionOnly, DefaultStatus: http.StatusNoContent,
		Extensions: AllowTwoFactorIncomplete}, s.logout)
	huma.Register(api, huma.Operation{OperationID: "confirmPassword", Method: http.MethodPost, Path: "/auth/confirm",
		Summary: "Enter the password again before a sensitive action", Description: "Renews the session cookie.",
		Tags: []string{"Session"}, Security: SessionOnly, DefaultStatus: http.StatusNoContent}, s.confirm)
	huma.Register(api, huma.Operation{OperationID: "getMe", Method: http.MethodGet, Path: "/me",
		Summary: "The signed-in person", Tags: []string{"Account"}, Extensions: AllowTwoFactorIncomplete}, s.getMe)
	huma.Register(api, huma.Operation{OperationID: "updateMe", Method: http.MethodPatch, Path: "/me",
		Summary:     "Complete one's profile or change the interface language",
		Description: "Fields left out stay as they are.", Tags: []string{"Account"}}, s.updateMe)
	huma.Register(api, huma.Operation{OperationID: "changePassword", Method: http.MethodPut, Path: "/me/password",
		Summary: "Change one's password", Description: "Ends every other session of the account and renews this one.",
		Tags: []string{"Account"}, Security: SessionOnly}, s.changePassword)
	s.blockRoutes(api)
	s.twoFactorRoutes(api)
	s.tokenRoutes(api)
}

func (s *Service) login(ctx context.Context, in *loginInput) (*loginOutput, error) {
	email, pw, addr := in.Body.Email, in.Body.Password, request.From(ctx).ClientIP
	var fields apperr.Fields
	if store.NormalizeEmail(email) == "" {
		fields.Add("body.email", "required", nil)
	}
	if pw == "" {
		fields.Add("body.password", "required", nil)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	u, err := s.st.UserForSignIn(ctx, email)
	hash := u.PasswordHash
	if errors.Is(err, store.ErrNotFound) {
		hash = s.dummy
	} else if err != nil {
		return nil, err
	}
	device := in.Device
	if s.sessions.secure() {
		device = in.SecureDevice
	}
	trusted := s.devices.Holds(device, u.ID, s.st.Now())
	at, err := s.attempt(ctx, store.ActorFor(u), email, addr, trusted)
	if err != nil {
		return nil, err
	}
	defer at.done()
	ok, err := s.hasher.Verify(ctx, hash, pw)
	if err != nil {
		return nil, err
	}
	if !ok || u.ID == "" {
		return nil, at.failed(ctx, apperr.New(http.StatusUnauthorized, "bad_credentials", nil))
	}
	if !u.Active {
		return nil, apperr.Forbidden("account_inactive")
	}
	// Past her access date she is refused at once, whether or not the job that
	// deactivates the account has run (PRODUCT.md §8, "Expiry without a window").
	if u.AccessEnded(s.st.Now()) {
		return nil, apperr.New(http.StatusForbidden, "access_ended",
			map[string]any{"date": u.AccessExpiresAt.UTC().Format(time.DateOnly)})
	}
	if u.MustChangePassword && u.PasswordExpiresAt != nil && !s.st.Now().Before(*u.PasswordExpiresAt) {
		return nil, apperr.Forbidden("temporary_password_expired")
	}
	// A hash made with an older cost is made again now that the password is at hand.
	var upgraded string
	if s.hasher.Outdated(hash) {
		upgraded, _ = s.hasher.Hash(ctx, pw)
	}
	var out loginOutput
	var secondFactor *apperr.Error
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := at.succeeded(ctx, tx); err != nil {
			return err
		}
		if upgraded != "" {
			if err := tx.UpgradePasswordHash(ctx, u.ID, hash, upgraded); err != nil {
				return err
			}
		}
		// The password alone opens no session for a person with two-factor: the answer
		// asks for the code (docs/two-factor.md).
		if u.TwoFactorEnabled {
			var err error
			secondFactor, err = s.startChallenge(ctx, tx, u, in.Body.Remember)
			return err
		}
		if err := audit.Log(ctx, tx, store.ActorFor(u), audit.SignIn, audit.User(u.ID, u.Email), nil); err != nil {
			return err
		}
		// A new session at every sign-in: a token planted before it is worth nothing after.
		if cur := CurrentFrom(ctx); cur != nil {
			if err := tx.DeleteSession(ctx, cur.tokenHash); err != nil {
				return err
			}
		}
		ck, err := s.sessions.Start(ctx, tx, u, in.Body.Remember)
		out.SetCookie = []http.Cookie{ck, s.devices.Issue(u.ID, tx.Now())}
		return err
	})
	if err == nil && secondFactor != nil {
		return nil, secondFactor
	}
	out.Body = MeOf(ctx, u)
	return &out, err
}

func (s *Service) logout(ctx context.Context, _ *struct{}) (*cookieOutput, error) {
	cur := CurrentFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, cur.tokenHash); err != nil {
			return err
		}
		return audit.Log(ctx, tx, cur.Actor(), audit.SignOut, audit.User(cur.User.ID, cur.User.Email), nil)
	})
	return &cookieOutput{SetCookie: s.sessions.Clear()}, err
}

// confirm checks the password and, like a sign-in, replaces the session with a new one
// (a new cookie), so that a token taken before the password was entered vouches for
// nothing sensitive afterwards.
func (s *Service) confirm(ctx context.Context, in *passwordInput) (*cookieOutput, error) {
	cur := CurrentFrom(ctx)
	if err := s.checkPassword(ctx, cur.User, in.Body.Password, "body.password"); err != nil {
		return nil, err
	}
	var out cookieOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, cur.tokenHash); err != nil {
			return err
		}
		ck, err := s.sessions.Start(ctx, tx, cur.User, cur.Session.Remember)
		out.SetCookie = ck
		return err
	})
	return &out, err
}

// checkPassword verifies the signed-in person's password under the sign-in throttle. The
// session vouches that this browser has signed in to the account, so a block of the
// address does not keep them from re-entering it; the account's own block does.
func (s *Service) checkPassword(ctx context.Context, u store.User, pw, location string) error {
	addr := request.From(ctx).ClientIP
	at, err := s.attempt(ctx, store.ActorFor(u), u.Email, addr, true)
	if err != nil {
		return err
	}
	defer at.done()
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, pw)
	if err != nil {
		return err
	}
	if !ok {
		return at.failed(ctx, apperr.Invalid(apperr.FieldErr(location, "password_wrong", nil)))
	}
	return s.st.Tx(ctx, func(tx *store.Tx) error { return at.succeeded(ctx, tx) })
}

func (s *Service) getMe(ctx context.Context, _ *struct{}) (*meOutput, error) {
	return &meOutput{Body: MeOf(ctx, CurrentFrom(ctx).User)}, nil
}

func (s *Service) updateMe(ctx context.Context, in *patchMeInput) (*meOutput, error) {
	u := CurrentFrom(ctx).User
	b := in.Body
	p := store.Profile{Name: u.Name, Position: u.Position, Company: u.Company, Phone: u.Phone, TimeZone: u.TimeZone}
	var fields apperr.Fields
	if b.Name != nil {
		p.Name = CleanName(*b.Name, "body.name", &fields)
	}
	if b.Position != nil {
		p.Position = CleanText(*b.Position, "body.position", MaxProfileText, &fields)
	}
	if b.Company != nil {
		p.Company = CleanText(*b.Company, "body.company", MaxProfileText, &fields)
	}
	if b.Phone != nil {
		p.Phone = CleanPhone(*b.Phone, "body.phone", &fields)
	}
	if b.TimeZone != nil {
		p.TimeZone = CleanTimeZone(*b.TimeZone, "body.timeZone", &fields)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if l := b.Locale; l != nil && i18n.Supported(*l) {
			if err := tx.SetLocale(ctx, u.ID, *l); err != nil {
				return err
			}
			u.Locale = *l
		}
		if b.Name == nil && b.Position == nil && b.Company == nil && b.Phone == nil && b.TimeZone == nil {
			return nil
		}
		var changed []string
		for _, f := range []struct {
			name     string
			was, now string
		}{{"name", u.Name, p.Name}, {"position", u.Position, p.Position}, {"company", u.Company, p.Company},
			{"phone", u.Phone, p.Phone}, {"timeZone", u.TimeZone, p.TimeZone}} {
			if f.was != f.now {
				changed = append(changed, f.name)
			}
		}
		if len(changed) == 0 {
			return nil // nothing changed: no row
		}
		u.Name, u.Position, u.Company, u.Phone, u.TimeZone = p.Name, p.Position, p.Company, p.Phone, p.TimeZone
		if err := tx.SetProfile(ctx, u.ID, p); err != nil {
			return err
		}
		return audit.Log(ctx, tx, store.ActorFor(u), audit.ProfileChanged, audit.User(u.ID, u.Email),
			map[string]string{"fields": strings.Join(changed, ", ")})
	})
	if err != nil {
		return nil, err
	}
	return &meOutput{Body: MeOf(ctx, u)}, nil
}

func (s *Service) changePassword(ctx context.Context, in *changePasswordInput) (*MeWithCookie, error) {
	cur := CurrentFrom(ctx)
	if p := PasswordProblem(in.Body.Password, s.company()); p != "" {
		return nil, apperr.Invalid(apperr.FieldErr("body.password", p, nil))
	}
	// A temporary password, known to whoever set it, is not kept by typing it again.
	if in.Body.Password == in.Body.Current {
		return nil, apperr.Invalid(apperr.FieldErr("body.password", "password_same", nil))
	}
	if err := s.checkPassword(ctx, cur.User, in.Body.Current, "body.current"); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, in.Body.Password)
	if err != nil {
		return nil, err
	}
	var out MeWithCookie
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, cur.User.ID, hash, false, nil); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, cur.User.ID, nil); err != nil {
			return err
		}
		// A reset link still in the mailbox would undo the change.
		if err := tx.UsePasswordResets(ctx, cur.User.ID); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, cur.Actor(), audit.PasswordChanged, audit.User(cur.User.ID, cur.User.Email), nil); err != nil {
			return err
		}
		ck, err := s.sessions.Start(ctx, tx, cur.User, cur.Session.Remember)
		out.SetCookie = ck
		return err
	})
	u := cur.User
	u.MustChangePassword, u.TemporaryReason = false, ""
	out.Body = MeOf(ctx, u)
	return &out, err
}

// RequireAdmin refuses anyone but an administrator.
func RequireAdmin(ctx context.Context) error {
	if !ActorFrom(ctx).Admin {
		return apperr.Forbidden("admin_only")
	}
	return nil
}

// RequireRecentAuth refuses a sensitive action unless the password was entered within
// ReauthWindow; the SPA then asks for it and retries. An API token has no recent
// password to give, so it is refused for good (operations that always need one are
// marked SessionOnly, which refuses tokens before the handler).
func RequireRecentAuth(ctx context.Context, now time.Time) error {
	cur := CurrentFrom(ctx)
	if cur != nil && cur.Token != nil {
		return apperr.Forbidden("token_not_allowed")
	}
	if cur == nil || !cur.RecentlyAuthenticated(now) {
		return apperr.Forbidden("reauth_required")
	}
	return nil
}
