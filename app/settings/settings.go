// Package settings holds the settings an administrator edits in the UI (company, base
// URL, SMTP, extranet switch), stored in the database and pinned by the configuration
// file or environment where those set them.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/config"
	"annex/app/mail"
	"annex/store"
)

// Database keys.
const (
	keyCompany   = "company_name"
	keyBaseURL   = "base_url"
	keyExtranet  = "extranet_enabled"
	keySMTP      = "smtp"
	keySetupDone = "setup_done"
	keyLicence   = "licence"
	keyTwoFactor = "two_factor"
	keyAccess    = "external_access_days"
	keyReview    = "access_review"
	keyLinks     = "public_links"
	keyQuota     = "drive_quota"
)

// Who may make public links to drive items (docs/drive.md, "Public links").
const (
	LinksOff       = "off"
	LinksEmployees = "employees"
	LinksEveryone  = "everyone"
)

// Values are the effective settings: the database's, with the pinned ones applied.
type Values struct {
	CompanyName     string
	BaseURL         string
	ExtranetEnabled bool
	SMTP            mail.SMTP
	SetupDone       bool
	Licence         string
	TwoFactor       auth.TwoFactorPolicy
	// AccessDays is how long an external user's access lasts after she accepts, and
	// how far an inviter may extend it at a time (docs/access-expiry.md); 0 for no end.
	AccessDays int
	Review     ReviewPolicy
	// PublicLinks says who may make public links: LinksOff, LinksEmployees or
	// LinksEveryone. Switched off, every link stops working.
	PublicLinks string
	// Quota bounds each drive's content (docs/drive.md, "Quotas").
	Quota DriveQuota
}

// DriveQuota is how much each My Drive and each group's drive may hold, in MiB, every
// version and what is in the trash counted; 0: no bound.
type DriveQuota struct {
	PersonMB int `json:"personMB" minimum:"0" maximum:"10000000" doc:"Each person's My Drive; 0: no bound"`
	GroupMB  int `json:"groupMB" minimum:"0" maximum:"10000000" doc:"Each group's drive; 0: no bound"`
}

// ReviewPolicy is the access review's (docs/access-review.md): every Days days (0: off)
// each external user's reviewer is asked, and has GraceDays to answer; with Lapse, no
// answer in time ends her access.
type ReviewPolicy struct {
	Days      int  `json:"days"`
	GraceDays int  `json:"graceDays"`
	Lapse     bool `json:"lapse"`
}

// DefaultReviewPolicy is off, with two weeks to answer once switched on, and nothing
// ended for want of an answer.
func DefaultReviewPolicy() ReviewPolicy { return ReviewPolicy{GraceDays: 14} }

// MailDomain is the base URL's host, the right-hand side of every Message-ID.
func (v Values) MailDomain() string {
	if u, err := url.Parse(v.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "annex.invalid"
}

// Secure reports whether the base URL is https, which makes cookies Secure and prefixed.
func (v Values) Secure() bool { return strings.HasPrefix(v.BaseURL, "https://") }

// Service reads and writes settings, caching the effective values in memory: they are
// read on every request, and change only through this service.
type Service struct {
	st  *store.Store
	ov  config.Overrides
	box *Box

	mu  sync.RWMutex
	cur Values

	// PhotoMaxMB is the configured photo limit, told to the browser so it can check a
	// file before uploading it.
	PhotoMaxMB int
}

// New loads the settings.
func New(ctx context.Context, st *store.Store, ov config.Overrides, box *Box) (*Service, error) {
	s := &Service{st: st, ov: ov, box: box}
	return s, s.Reload(ctx)
}

// Get returns the effective settings.
func (s *Service) Get() Values {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// Reload rereads the database; call it after a transaction that changed settings commits.
func (s *Service) Reload(ctx context.Context) error {
	v, err := s.Stored(ctx)
	if err != nil {
		return err
	}
	s.applyOverrides(&v)
	s.mu.Lock()
	s.cur = v
	s.mu.Unlock()
	return nil
}

// Pin returns v with the values fixed by the configuration file or environment.
func (s *Service) Pin(v Values) Values {
	s.applyOverrides(&v)
	return v
}

func (s *Service) applyOverrides(v *Values) {
	o := s.ov
	set(&v.CompanyName, o.CompanyName)
	set(&v.BaseURL, o.BaseURL)
	set(&v.ExtranetEnabled, o.ExtranetEnabled)
	m := o.SMTP
	if m.Host != nil {
		v.SMTP.Enabled = *m.Host != ""
	}
	set(&v.SMTP.Host, m.Host)
	set(&v.SMTP.Port, m.Port)
	set(&v.SMTP.Security, m.Security)
	set(&v.SMTP.Username, m.Username)
	set(&v.SMTP.Password, m.Password)
	set(&v.SMTP.From, m.From)
	if v.SMTP.Enabled && v.SMTP.Port == 0 {
		v.SMTP.Port = 587
	}
	if v.SMTP.Enabled && v.SMTP.Security == "" {
		v.SMTP.Security = "starttls"
	}
	set(&v.TwoFactor.Externals, o.TwoFactor.Externals)
	set(&v.TwoFactor.Employees, o.TwoFactor.Employees)
	set(&v.TwoFactor.Admins, o.TwoFactor.Admins)
	if o.BaseURL != nil {
		// A pinned address is cleaned like a typed one ("HTTPS://X/" → "https://x").
		var f apperr.Fields
		v.BaseURL = CleanBaseURL(*o.BaseURL, "", &f)
	}
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// Locked lists the fields pinned by the configuration file or environment, by the
// names the API uses.
func (s *Service) Locked() []string {
	o := s.ov
	locked := []string{}
	add := func(name string, pinned bool) {
		if pinned {
			locked = append(locked, name)
		}
	}
	add("companyName", o.CompanyName != nil)
	add("baseUrl", o.BaseURL != nil)
	add("extranetEnabled", o.ExtranetEnabled != nil)
	add("smtp.host", o.SMTP.Host != nil)
	add("smtp.port", o.SMTP.Port != nil)
	add("smtp.security", o.SMTP.Security != nil)
	add("smtp.username", o.SMTP.Username != nil)
	add("smtp.password", o.SMTP.Password != nil)
	add("smtp.from", o.SMTP.From != nil)
	add("twoFactor.externals", o.TwoFactor.Externals != nil)
	add("twoFactor.employees", o.TwoFactor.Employees != nil)
	add("twoFactor.admins", o.TwoFactor.Admins != nil)
	return locked
}

// Changed names the settings that differ between before and after, by the names the
// API uses (those of Locked); the licence and the setup state are left to their own
// actions.
func Changed(before, after Values) []string {
	var names []string
	add := func(name string, differ bool) {
		if differ {
			names = append(names, name)
		}
	}
	b, a := before.SMTP, after.SMTP
	add("companyName", before.CompanyName != after.CompanyName)
	add("baseUrl", before.BaseURL != after.BaseURL)
	add("extranetEnabled", before.ExtranetEnabled != after.ExtranetEnabled)
	add("smtp.enabled", b.Enabled != a.Enabled)
	add("smtp.host", b.Host != a.Host)
	add("smtp.port", b.Port != a.Port)
	add("smtp.security", b.Security != a.Security)
	add("smtp.username", b.Username != a.Username)
	add("smtp.password", b.Password != a.Password)
	add("smtp.from", b.From != a.From)
	add("twoFactor.externals", before.TwoFactor.Externals != after.TwoFactor.Externals)
	add("twoFactor.employees", before.TwoFactor.Employees != after.TwoFactor.Employees)
	add("twoFactor.admins", before.TwoFactor.Admins != after.TwoFactor.Admins)
	add("externalAccessDays", before.AccessDays != after.AccessDays)
	add("accessReview", before.Review != after.Review)
	add("publicLinks", before.PublicLinks != after.PublicLinks)
	add("driveQuota", before.Quota != after.Quota)
	return names
}

// storedSMTP is the database form of the mail settings: the password sealed.
type storedSMTP struct {
	mail.SMTP
	Sealed string `json:"passwordSealed,omitempty"`
}

func (s *Service) decodeSMTP(raw string) (mail.SMTP, error) {
	var st storedSMTP
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return mail.SMTP{}, err
	}
	pw, err := s.box.Open(st.Sealed)
	st.SMTP.Password = pw
	return st.SMTP, err
}

// EncodeSMTP returns the database form of m, its password sealed.
func (s *Service) EncodeSMTP(m mail.SMTP) string {
	st := storedSMTP{SMTP: m, Sealed: s.box.Seal(m.Password)}
	st.SMTP.Password = ""
	b, _ := json.Marshal(st)
	return string(b)
}

// Seal and Open expose the box for drafts that hold secrets.
func (s *Service) Seal(plain string) string { return s.box.Seal(plain) }

// Open decrypts what Seal produced.
func (s *Service) Open(sealed string) (string, error) { return s.box.Open(sealed) }

// Write stores the values inside tx. Call Reload after the transaction commits.
func Write(ctx context.Context, tx *store.Tx, s *Service, v Values) error {
	return tx.SetSettings(ctx, map[string]string{
		keyCompany:   v.CompanyName,
		keyBaseURL:   v.BaseURL,
		keyExtranet:  boolStr(v.ExtranetEnabled),
		keySMTP:      s.EncodeSMTP(v.SMTP),
		keySetupDone: boolStr(v.SetupDone),
		keyLicence:   v.Licence,
		keyTwoFactor: encodeTwoFactor(v.TwoFactor),
		keyAccess:    strconv.Itoa(v.AccessDays),
		keyReview:    encodeJSON(v.Review),
		keyLinks:     v.PublicLinks,
		keyQuota:     encodeJSON(v.Quota),
	})
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Stored returns the database's own values, without the pinned ones applied, so that
// saving one field never writes a pinned value into the database.
func (s *Service) Stored(ctx context.Context) (Values, error) {
	m, err := s.st.Settings(ctx)
	if err != nil {
		return Values{}, err
	}
	v := Values{CompanyName: m[keyCompany], BaseURL: m[keyBaseURL], ExtranetEnabled: m[keyExtranet] != "0",
		SetupDone: m[keySetupDone] == "1", Licence: m[keyLicence]}
	v.AccessDays, _ = strconv.Atoi(m[keyAccess])
	if raw := m[keyQuota]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &v.Quota); err != nil {
			return v, fmt.Errorf("settings: drive quota: %w", err)
		}
	}
	v.PublicLinks = m[keyLinks]
	if v.PublicLinks == "" {
		v.PublicLinks = LinksEmployees
	}
	v.Review = DefaultReviewPolicy()
	if raw := m[keyReview]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &v.Review); err != nil {
			return v, fmt.Errorf("settings: access review: %w", err)
		}
	}
	// Values written whole before the review had a policy (the wizard's) hold no time to
	// answer: the default stands for it.
	if v.Review.GraceDays < 1 {
		v.Review.GraceDays = DefaultReviewPolicy().GraceDays
	}
	v.TwoFactor = auth.DefaultTwoFactorPolicy()
	if raw := m[keyTwoFactor]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &v.TwoFactor); err != nil {
			return v, fmt.Errorf("settings: two-factor policy: %w", err)
		}
	}
	if raw := m[keySMTP]; raw != "" {
		v.SMTP, err = s.decodeSMTP(raw)
	}
	return v, err
}

func encodeTwoFactor(p auth.TwoFactorPolicy) string { return encodeJSON(p) }

func encodeJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// StoreTwoFactor writes the two-factor policy alone, for tests that set it up before
// the server starts.
func StoreTwoFactor(ctx context.Context, tx *store.Tx, p auth.TwoFactorPolicy) error {
	return tx.SetSettings(ctx, map[string]string{keyTwoFactor: encodeTwoFactor(p)})
}

// SMTPInput is the mail settings form, shared by the wizard and Admin → Settings.
type SMTPInput struct {
	Enabled  bool   `json:"enabled" doc:"false: no SMTP server, mail is written to the server log"`
	Host     string `json:"host,omitempty" maxLength:"253"`
	Port     int    `json:"port,omitempty" doc:"Usually 587 (STARTTLS), 465 (TLS) or 25"`
	Security string `json:"security,omitempty" enum:"starttls,tls,none"`
	Username string `json:"username,omitempty" maxLength:"254"`
	Password string `json:"password,omitempty" maxLength:"1024" doc:"Empty keeps the stored password"`
	From     string `json:"from,omitempty" maxLength:"254" doc:"Sender address, such as intranet@example.com"`
}

// Clean validates the form into settings, keeping the stored password when none is given.
func (in SMTPInput) Clean(stored mail.SMTP, fields *apperr.Fields) mail.SMTP {
	if !in.Enabled {
		return mail.SMTP{Enabled: false}
	}
	m := mail.SMTP{Enabled: true, Host: strings.TrimSpace(in.Host), Port: in.Port, Security: in.Security,
		Username: strings.TrimSpace(in.Username), Password: in.Password, From: in.From}
	if m.Host == "" {
		fields.Add("body.host", "required", nil)
	} else if strings.ContainsAny(m.Host, " /:@") {
		fields.Add("body.host", "invalid_value", nil)
	}
	if m.Port < 1 || m.Port > 65535 {
		fields.Add("body.port", "port", nil)
	}
	if m.Security == "" {
		m.Security = "starttls"
	}
	m.From = auth.CleanEmail(m.From, "body.from", fields)
	// The stored password goes only to the server it was stored for: never to a new
	// host, port or account, where a typo (or a rogue host) would receive it.
	if m.Password == "" && m.Host == stored.Host && m.Port == stored.Port && m.Username == stored.Username {
		m.Password = stored.Password
	}
	return m
}

// CleanBaseURL validates a base URL and drops a trailing slash.
func CleanBaseURL(s, location string, fields *apperr.Fields) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		fields.Add(location, "required", nil)
		return s
	}
	if err := config.CheckBaseURL(s); err != nil {
		fields.Add(location, "invalid_url", nil)
		return s
	}
	u, _ := url.Parse(s)
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
}

// PortString is used in messages naming a server.
func PortString(m mail.SMTP) string { return m.Host + ":" + strconv.Itoa(m.Port) }
