package auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/store"
)

// Two-factor authentication (docs/two-factor.md): TOTP (RFC 6238, 6 digits, 30-second
// steps, SHA-1, as every authenticator app reads it), ±1 step of clock skew, each code
// accepted once, and ten one-time recovery codes.

// Employee policies.
const (
	TwoFactorOff       = "off"
	TwoFactorOptional  = "optional"
	TwoFactorMandatory = "mandatory"
)

// TwoFactorPolicy says who must use two-factor authentication (Admin → Settings).
type TwoFactorPolicy struct {
	Externals bool   `json:"externals"` // mandatory for external users
	Employees string `json:"employees"` // TwoFactorOff, TwoFactorOptional or TwoFactorMandatory
	Admins    bool   `json:"admins"`    // mandatory for administrators
}

// DefaultTwoFactorPolicy is the policy of a new installation: external users and
// administrators must enrol, other employees may.
func DefaultTwoFactorPolicy() TwoFactorPolicy {
	return TwoFactorPolicy{Externals: true, Employees: TwoFactorOptional, Admins: true}
}

// Required reports whether u must use two-factor.
func (p TwoFactorPolicy) Required(u store.User) bool {
	if u.Kind == store.KindExternal {
		return p.Externals
	}
	return (u.Admin && p.Admins) || p.Employees == TwoFactorMandatory
}

// Allowed reports whether u may turn two-factor on: external users always, employees
// unless their policy is off (or another rule requires it).
func (p TwoFactorPolicy) Allowed(u store.User) bool {
	return u.Kind == store.KindExternal || p.Required(u) || p.Employees != TwoFactorOff
}

// Incomplete reports whether u must enrol before anything else: required, and not on.
func (p TwoFactorPolicy) Incomplete(u store.User) bool { return p.Required(u) && !u.TwoFactorEnabled }

type policyKey struct{}

// WithPolicy returns ctx carrying the two-factor policy in force for the request.
func WithPolicy(ctx context.Context, p TwoFactorPolicy) context.Context {
	return context.WithValue(ctx, policyKey{}, p)
}

// PolicyFrom returns the request's two-factor policy (the default when none was set).
func PolicyFrom(ctx context.Context) TwoFactorPolicy {
	if p, ok := ctx.Value(policyKey{}).(TwoFactorPolicy); ok {
		return p
	}
	return DefaultTwoFactorPolicy()
}

// AllowTwoFactorIncomplete marks, in the OpenAPI document, the operations a person who
// must enrol in two-factor and has not yet may use (Operation.Extensions); the server
// refuses every other with 403 2fa_required.
var AllowTwoFactorIncomplete = map[string]any{TwoFactorIncompleteMark: true}

// TwoFactorIncompleteMark is the document extension that carries that mark.
const TwoFactorIncompleteMark = "x-annex-2fa-incomplete"

// Sealer encrypts secrets stored in the database with the key in the data folder.
type Sealer interface {
	Seal(plain string) string
	Open(sealed string) (string, error)
}

const (
	totpPeriod = 30
	// RecoveryCodes is how many recovery codes a person holds.
	RecoveryCodes = 10
	// recoveryLen is a recovery code's length in base32 characters: 60 bits.
	recoveryLen = 12
	// challengeLife is how long a right password waits for its second factor.
	challengeLife = 5 * time.Minute
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func stepOf(t time.Time) int64 { return t.Unix() / totpPeriod }

// TOTPCode is the code of secret at time t (tests compute codes with it).
func TOTPCode(secret string, t time.Time) string {
	c, _ := totp.GenerateCodeCustom(secret, t, totpOpts)
	return c
}

// matchStep finds the time step within one of now's whose code is code: the latest, if
// (unluckily) two share a code.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	var found int64
	ok := false
	cur := stepOf(now)
	for s := cur - 1; s <= cur+1; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found, ok = s, true
		}
	}
	return found, ok
}

// cleanCode keeps the digits of a typed code ("123 456" is 123456), or reports the field
// wrong when they are not six.
func cleanCode(s, location string, fields *apperr.Fields) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		fields.Add(location, "required", nil)
		return s
	}
	if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
		fields.Add(location, "totp_format", nil)
	}
	return s
}

var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newRecoveryCodes returns fresh codes, grouped for reading (xxxx-xxxx-xxxx).
func newRecoveryCodes() []string {
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		var b [8]byte
		_, _ = rand.Read(b[:])
		s := recoveryEncoding.EncodeToString(b[:])[:recoveryLen]
		codes[i] = s[:4] + "-" + s[4:8] + "-" + s[8:]
	}
	return codes
}

// cleanRecoveryCode is a typed recovery code as stored: lower case, no spaces or dashes.
func cleanRecoveryCode(s, location string, fields *apperr.Fields) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
	if s == "" {
		fields.Add(location, "required", nil)
	} else if len(s) != recoveryLen || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		fields.Add(location, "recovery_code_format", nil)
	}
	return s
}

// recoveryHash is a recovery code's stored form: keyed with a key from the data folder,
// so that a copy of the database alone cannot be searched for codes.
func (s *Service) recoveryHash(userID, code string) []byte {
	m := hmac.New(sha256.New, s.recoveryKey)
	m.Write([]byte(userID + "\x00" + strings.ReplaceAll(code, "-", "")))
	return m.Sum(nil)
}

// storeRecoveryCodes makes new codes for u, replacing the old, and returns them.
func (s *Service) storeRecoveryCodes(ctx context.Context, tx *store.Tx, userID string) ([]string, error) {
	codes := newRecoveryCodes()
	hashes := make([][]byte, len(codes))
	for i, c := range codes {
		hashes[i] = s.recoveryHash(userID, c)
	}
	return codes, tx.SetRecoveryCodes(ctx, userID, hashes)
}

// Code guessing (docs/two-factor.md) is counted per account, not per address: whoever
// guesses already has the password, and may change addresses at will.
var codePolicy = store.ThrottlePolicy{
	Block:  Exponential(codeFree, 30*time.Second, 15*time.Minute),
	Forget: time.Hour,
}

// codeFree is how many wrong codes of one account pass undelayed.
const codeFree = 5

func codeKey(userID string) string { return "2fa:" + userID }

// codeAttempt is one second-factor check under the throttle.
type codeAttempt struct {
	st      *store.Store
	key     string
	userID  string
	release func()
}

// beginCodeAttempt bounds the checks in flight to the failures left before the delay,
// and refuses with 429 while the account's codes are blocked.
func beginCodeAttempt(ctx context.Context, st *store.Store, userID string) (*codeAttempt, error) {
	key := codeKey(userID)
	release, err := attempts.acquire(ctx, key, func() (int, error) {
		failures, err := st.ThrottleFailures(ctx, key, codePolicy)
		return max(codeFree-failures, 1), err
	})
	if err != nil {
		return nil, err
	}
	until, err := st.ThrottleBlockedUntil(ctx, key)
	if err == nil {
		if wait := until.Sub(st.Now()); wait > 0 {
			err = apperr.TooMany("throttled", wait)
		}
	}
	if err != nil {
		release()
		return nil, err
	}
	return &codeAttempt{st: st, key: key, userID: userID, release: release}, nil
}

func (a *codeAttempt) failed(ctx context.Context, wrong *apperr.Error) error {
	err := a.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.RecordFailure(ctx, a.key, codePolicy); err != nil {
			return err
		}
		return audit.Log(ctx, tx, store.Actor{UserID: a.userID}, audit.SecondFactorFailed, store.Object{Type: "user", ID: a.userID}, nil)
	})
	if err != nil {
		return err
	}
	return wrong
}

// TwoFactorState is what the SPA needs to know of a person's two-factor.
type TwoFactorState struct {
	Enabled  bool `json:"enabled"`
	Required bool `json:"required" doc:"The policy requires it of this person: without it, nothing but enrolment is open"`
}

// TwoFactorStatus is My account → Security's two-factor card.
type TwoFactorStatus struct {
	Enabled           bool   `json:"enabled"`
	Required          bool   `json:"required" doc:"The policy requires it: it cannot be turned off"`
	Allowed           bool   `json:"allowed" doc:"The policy lets this person turn it on"`
	EnabledAt         string `json:"enabledAt,omitempty"`
	RecoveryCodesLeft int    `json:"recoveryCodesLeft"`
}

// Enrolment is a new secret to add to an authenticator app.
type Enrolment struct {
	Secret string `json:"secret" doc:"The secret in base32, for typing into the app by hand"`
	URI    string `json:"uri" doc:"The otpauth:// address the QR code holds"`
	QRCode string `json:"qrCode" doc:"The QR code as a data: URL of a PNG image"`
}

// RecoveryCodesBody is a fresh set of recovery codes, shown once.
type RecoveryCodesBody struct {
	RecoveryCodes []string `json:"recoveryCodes" doc:"Shown once: each works once, instead of a code"`
}

// Enrolled is the answer to a confirmed enrolment.
type Enrolled struct {
	RecoveryCodesBody
	User Me `json:"user"`
}

type codeInput struct {
	Body struct {
		Code string `json:"code" maxLength:"32" doc:"The 6-digit code the app shows now"`
	}
}

type secondFactorInput struct {
	Body struct {
		Code         string `json:"code,omitempty" maxLength:"32" doc:"The 6-digit code the app shows now"`
		RecoveryCode string `json:"recoveryCode,omitempty" maxLength:"64" doc:"One of the recovery codes, instead of a code"`
	}
	Challenge       string `cookie:"annex_2fa" doc:"Set by a sign-in whose password was right"`
	SecureChallenge string `cookie:"__Host-annex_2fa" doc:"The same, when the base URL is https"`
	Device          string `cookie:"annex_device"`
	SecureDevice    string `cookie:"__Host-annex_device"`
}

type twoFactorStatusOutput struct{ Body TwoFactorStatus }
type enrolmentOutput struct{ Body Enrolment }
type enrolledOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      Enrolled
}
type recoveryCodesOutput struct{ Body RecoveryCodesBody }

type adminTwoFactorInput struct {
	ID string `path:"id" maxLength:"32"`
}

func (s *Service) twoFactorRoutes(api huma.API) {
	tags := []string{"Two-factor"}
	huma.Register(api, huma.Operation{OperationID: "verifySecondFactor", Method: http.MethodPost, Path: "/auth/two-factor",
		Summary: "Finish a sign-in with a code or a recovery code",
		Description: "After a right password for a person with two-factor, sign-in answers 401 second_factor_required " +
			"and sets a short-lived cookie; this step then opens the session (a new session token).",
		Tags: []string{"Session"}, Security: Public}, s.verifySecondFactor)
	huma.Register(api, huma.Operation{OperationID: "getTwoFactor", Method: http.MethodGet, Path: "/me/two-factor",
		Summary: "One's two-factor state and recovery codes left", Tags: tags, Security: SessionOnly}, s.getTwoFactor)
	huma.Register(api, huma.Operation{OperationID: "startTwoFactorEnrolment", Method: http.MethodPost, Path: "/me/two-factor/enrolment",
		Summary:     "Begin enrolment: a new secret and its QR code",
		Description: "Two-factor is on only once confirmed with a first code. Re-enrolling needs the password entered within the last 10 minutes.",
		Tags:        tags, Extensions: AllowTwoFactorIncomplete, Security: SessionOnly}, s.startEnrolment)
	huma.Register(api, huma.Operation{OperationID: "confirmTwoFactorEnrolment", Method: http.MethodPost, Path: "/me/two-factor/enrolment/confirm",
		Summary:     "Confirm enrolment with a first code",
		Description: "Turns two-factor on, answers the recovery codes (shown once), renews the session and ends the others.",
		Tags:        tags, Extensions: AllowTwoFactorIncomplete, Security: SessionOnly}, s.confirmEnrolment)
	huma.Register(api, huma.Operation{OperationID: "disableTwoFactor", Method: http.MethodDelete, Path: "/me/two-factor",
		Summary:     "Turn two-factor off, where the policy allows",
		Description: "Needs the password entered within the last 10 minutes.", Tags: tags, Security: SessionOnly}, s.disableTwoFactor)
	huma.Register(api, huma.Operation{OperationID: "regenerateRecoveryCodes", Method: http.MethodPost, Path: "/me/two-factor/recovery-codes",
		Summary:     "New recovery codes; the old ones stop working",
		Description: "Needs the password entered within the last 10 minutes.", Tags: tags, Security: SessionOnly}, s.regenerateRecoveryCodes)
	huma.Register(api, huma.Operation{OperationID: "resetUserTwoFactor", Method: http.MethodPost, Path: "/admin/users/{id}/reset-two-factor",
		Summary:     "Turn off another person's two-factor and end their sessions",
		Description: "Needs the password entered within the last 10 minutes. Where the policy requires it, they enrol again at their next sign-in.",
		Tags:        []string{"Admin"}, Security: SessionOnly}, s.resetUserTwoFactor)
}

// challengeCookie carries a sign-in awaiting its second factor.
func (s *Service) challengeCookie(value string, maxAge int) http.Cookie {
	secure := s.sessions.secure()
	name := "annex_2fa"
	if secure {
		name = "__Host-annex_2fa"
	}
	return http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: secure, MaxAge: maxAge}
}

// startChallenge records, inside the sign-in's transaction, that the password of u was
// right, and returns the answer that asks for the second factor with its cookie: no
// session exists until the code.
func (s *Service) startChallenge(ctx context.Context, tx *store.Tx, u store.User, remember bool) (*apperr.Error, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	if err := tx.CreateTwoFactorChallenge(ctx, hashToken(tok), u.ID, remember, tx.Now().Add(challengeLife)); err != nil {
		return nil, err
	}
	ck := s.challengeCookie(tok, int(challengeLife/time.Second))
	e := apperr.New(http.StatusUnauthorized, "second_factor_required", nil)
	e.Headers = http.Header{"Set-Cookie": {ck.String()}}
	return e, nil
}

var errNoMatch = errors.New("auth: second factor does not match")

func (s *Service) verifySecondFactor(ctx context.Context, in *secondFactorInput) (*loginOutput, error) {
	tok, device := in.Challenge, in.Device
	if s.sessions.secure() {
		tok, device = in.SecureChallenge, in.SecureDevice
	}
	var fields apperr.Fields
	code, recovery := cleanSecondFactor(in.Body.Code, in.Body.RecoveryCode, &fields)
	if tok == "" {
		return nil, apperr.New(http.StatusUnauthorized, "second_factor_expired", nil)
	}
	u, remember, err := s.st.TwoFactorChallenge(ctx, hashToken(tok))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(http.StatusUnauthorized, "second_factor_expired", nil)
	} else if err != nil {
		return nil, err
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	at, err := beginCodeAttempt(ctx, s.st, u.ID)
	if err != nil {
		return nil, err
	}
	defer at.release()
	var wrong *apperr.Error
	var out loginOutput
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if wrong, err = s.matchSecondFactor(ctx, tx, u.ID, code, recovery); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, at.key); err != nil {
			return err
		}
		if err := tx.DeleteTwoFactorChallenge(ctx, hashToken(tok)); err != nil {
			return err
		}
		// A new session: any token this browser held before is worth nothing after.
		if cur := CurrentFrom(ctx); cur != nil {
			if err := tx.DeleteSession(ctx, cur.tokenHash); err != nil {
				return err
			}
		}
		via := "code"
		if recovery {
			via = "recovery_code"
		}
		if err := audit.Log(ctx, tx, store.ActorFor(u), audit.SignIn, audit.User(u.ID, u.Email), map[string]string{"secondFactor": via}); err != nil {
			return err
		}
		ck, err := s.sessions.Start(ctx, tx, u, remember)
		out.SetCookie = []http.Cookie{ck, s.challengeCookie("", -1)}
		if !s.devices.Holds(device, u.ID, tx.Now()) {
			out.SetCookie = append(out.SetCookie, s.devices.Issue(u.ID, tx.Now()))
		}
		return err
	})
	if errors.Is(err, errNoMatch) {
		return nil, at.failed(ctx, wrong)
	}
	if err != nil {
		return nil, err
	}
	out.Body = MeOf(ctx, u)
	return &out, nil
}

// cleanSecondFactor reads a request's second factor: a recovery code when one is given,
// else a code from the app.
func cleanSecondFactor(code, recoveryCode string, fields *apperr.Fields) (string, bool) {
	if recoveryCode != "" {
		return cleanRecoveryCode(recoveryCode, "body.recoveryCode", fields), true
	}
	return cleanCode(code, "body.code", fields), false
}

// matchSecondFactor spends a recovery code, or accepts a code from the app, of userID.
// A wrong one returns the error to give and errNoMatch.
func (s *Service) matchSecondFactor(ctx context.Context, tx *store.Tx, userID, code string, recovery bool) (*apperr.Error, error) {
	if !recovery {
		return s.acceptCode(ctx, tx, userID, code, "body.code")
	}
	ok, err := tx.UseRecoveryCode(ctx, userID, s.recoveryHash(userID, code))
	if err != nil {
		return nil, err
	}
	if !ok {
		return apperr.Invalid(apperr.FieldErr("body.recoveryCode", "recovery_code_wrong", nil)), errNoMatch
	}
	return nil, nil
}

// SecondFactorCheck is a code or recovery code asked for outside sign-in (a password
// reset of a person with two-factor), throttled like sign-in's second step: Begin it
// before the change's transaction, Check inside it, and always End it with the
// transaction's outcome.
type SecondFactorCheck struct {
	s        *Service
	at       *codeAttempt
	userID   string
	code     string
	recovery bool
	wrong    *apperr.Error
}

// BeginSecondFactor reads the code or recovery code given for u and waits for its turn
// under the throttle; a missing or malformed one is refused at once, uncounted.
func (s *Service) BeginSecondFactor(ctx context.Context, u store.User, code, recoveryCode string) (*SecondFactorCheck, error) {
	var fields apperr.Fields
	c, recovery := cleanSecondFactor(code, recoveryCode, &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	at, err := beginCodeAttempt(ctx, s.st, u.ID)
	if err != nil {
		return nil, err
	}
	return &SecondFactorCheck{s: s, at: at, userID: u.ID, code: c, recovery: recovery}, nil
}

// Check accepts the code inside tx; a wrong one fails the transaction (End answers why).
func (c *SecondFactorCheck) Check(ctx context.Context, tx *store.Tx) error {
	wrong, err := c.s.matchSecondFactor(ctx, tx, c.userID, c.code, c.recovery)
	if err != nil {
		c.wrong = wrong
		return err
	}
	return tx.ClearThrottle(ctx, c.at.key)
}

// End lets the next check in; given the transaction's error, it counts a wrong code and
// returns the error to answer.
func (c *SecondFactorCheck) End(ctx context.Context, err error) error {
	defer c.at.release()
	if errors.Is(err, errNoMatch) {
		return c.at.failed(ctx, c.wrong)
	}
	return err
}

// acceptCode checks a TOTP code of userID's confirmed secret and records its step. A
// wrong code returns the error to give and errNoMatch.
func (s *Service) acceptCode(ctx context.Context, tx *store.Tx, userID, code, location string) (*apperr.Error, error) {
	f, err := tx.TwoFactor(ctx, userID)
	if err != nil {
		return nil, err
	}
	secret, err := s.sealer.Open(f.Secret)
	if err != nil {
		return nil, err
	}
	step, ok := matchStep(secret, code, tx.Now())
	if !ok {
		return apperr.Invalid(apperr.FieldErr(location, "totp_wrong", nil)), errNoMatch
	}
	fresh, err := tx.AcceptStep(ctx, userID, step)
	if err != nil {
		return nil, err
	}
	if !fresh {
		return apperr.Invalid(apperr.FieldErr(location, "totp_used", nil)), errNoMatch
	}
	return nil, nil
}

func (s *Service) getTwoFactor(ctx context.Context, _ *struct{}) (*twoFactorStatusOutput, error) {
	cur := CurrentFrom(ctx)
	st, err := s.st.TwoFactorStatus(ctx, cur.Actor())
	if err != nil {
		return nil, err
	}
	p := PolicyFrom(ctx)
	out := TwoFactorStatus{Enabled: st.Enabled, Required: p.Required(cur.User), Allowed: p.Allowed(cur.User),
		RecoveryCodesLeft: st.RecoveryLeft}
	if st.Enabled {
		out.EnabledAt = st.EnabledAt.UTC().Format(time.RFC3339)
	}
	return &twoFactorStatusOutput{Body: out}, nil
}

func (s *Service) issuer() string {
	if c := s.company(); c != "" {
		return c + " (Annex)"
	}
	return "Annex"
}

func (s *Service) startEnrolment(ctx context.Context, _ *struct{}) (*enrolmentOutput, error) {
	cur := CurrentFrom(ctx)
	if !PolicyFrom(ctx).Allowed(cur.User) {
		return nil, apperr.Forbidden("two_factor_off")
	}
	// Replacing a secret in force is as sensitive as turning it off.
	if cur.User.TwoFactorEnabled {
		if err := RequireRecentAuth(ctx, s.st.Now()); err != nil {
			return nil, err
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: cur.User.Email, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		return tx.StartTwoFactor(ctx, cur.User.ID, s.sealer.Seal(key.Secret()))
	})
	if err != nil {
		return nil, err
	}
	return &enrolmentOutput{Body: Enrolment{Secret: key.Secret(), URI: key.URL(),
		QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}}, nil
}

func (s *Service) confirmEnrolment(ctx context.Context, in *codeInput) (*enrolledOutput, error) {
	cur := CurrentFrom(ctx)
	var fields apperr.Fields
	code := cleanCode(in.Body.Code, "body.code", &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	var out enrolledOutput
	var wrong *apperr.Error
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		f, err := tx.TwoFactor(ctx, cur.User.ID)
		if errors.Is(err, store.ErrNotFound) || err == nil && f.PendingSecret == "" {
			return apperr.New(http.StatusConflict, "two_factor_not_started", nil)
		} else if err != nil {
			return err
		}
		secret, err := s.sealer.Open(f.PendingSecret)
		if err != nil {
			return err
		}
		step, ok := matchStep(secret, code, tx.Now())
		if !ok || step <= f.LastStep {
			wrong = apperr.Invalid(apperr.FieldErr("body.code", "totp_wrong", nil))
			if ok {
				wrong = apperr.Invalid(apperr.FieldErr("body.code", "totp_used", nil))
			}
			return errNoMatch
		}
		if err := tx.ConfirmTwoFactor(ctx, cur.User.ID, step); err != nil {
			return err
		}
		if out.Body.RecoveryCodes, err = s.storeRecoveryCodes(ctx, tx, cur.User.ID); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, cur.Actor(), audit.TwoFactorEnabled, audit.User(cur.User.ID, cur.User.Email), nil); err != nil {
			return err
		}
		// A change of what the session may do: a new token, and no other session keeps
		// the rights of the old state.
		if err := tx.DeleteUserSessions(ctx, cur.User.ID, nil); err != nil {
			return err
		}
		out.SetCookie, err = s.sessions.Renew(ctx, tx, cur)
		return err
	})
	if errors.Is(err, errNoMatch) {
		return nil, wrong
	}
	if err != nil {
		return nil, err
	}
	u := cur.User
	u.TwoFactorEnabled = true
	out.Body.User = MeOf(ctx, u)
	return &out, nil
}

func (s *Service) disableTwoFactor(ctx context.Context, _ *struct{}) (*meOutput, error) {
	cur := CurrentFrom(ctx)
	if err := RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	if PolicyFrom(ctx).Required(cur.User) {
		return nil, apperr.Forbidden("two_factor_mandatory")
	}
	if !cur.User.TwoFactorEnabled {
		return nil, apperr.New(http.StatusConflict, "two_factor_not_enabled", nil)
	}
	if err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.DisableTwoFactor(ctx, cur.User.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, cur.Actor(), audit.TwoFactorDisabled, audit.User(cur.User.ID, cur.User.Email), nil)
	}); err != nil {
		return nil, err
	}
	u := cur.User
	u.TwoFactorEnabled = false
	return &meOutput{Body: MeOf(ctx, u)}, nil
}

func (s *Service) regenerateRecoveryCodes(ctx context.Context, _ *struct{}) (*recoveryCodesOutput, error) {
	cur := CurrentFrom(ctx)
	if err := RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	if !cur.User.TwoFactorEnabled {
		return nil, apperr.New(http.StatusConflict, "two_factor_not_enabled", nil)
	}
	var out recoveryCodesOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if out.Body.RecoveryCodes, err = s.storeRecoveryCodes(ctx, tx, cur.User.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, cur.Actor(), audit.RecoveryCodesRenewed, audit.User(cur.User.ID, cur.User.Email), nil)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// resetUserTwoFactor is an administrator's help for a person who lost both their phone
// and their recovery codes.
func (s *Service) resetUserTwoFactor(ctx context.Context, in *adminTwoFactorInput) (*struct{}, error) {
	if err := RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	var target store.User
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if target, err = tx.UserTx(ctx, ActorFrom(ctx), in.ID); err != nil {
			return err
		}
		if !target.TwoFactorEnabled {
			return apperr.New(http.StatusConflict, "two_factor_not_enabled", nil)
		}
		if err := tx.DisableTwoFactor(ctx, target.ID); err != nil {
			return err
		}
		if err := tx.ClearThrottle(ctx, codeKey(target.ID)); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, target.ID, nil); err != nil {
			return err
		}
		return audit.Log(ctx, tx, ActorFrom(ctx), audit.TwoFactorReset, audit.User(target.ID, target.Email), nil)
	})
	return nil, err
}
