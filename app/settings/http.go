package settings

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/app/mail"
	"annex/store"
)

type bootstrapOutput struct {
	Body struct {
		SetupPending bool     `json:"setupPending" doc:"The first-run wizard has not been finished"`
		Company      string   `json:"company"`
		User         *auth.Me `json:"user,omitempty" doc:"The signed-in person; absent when nobody is signed in"`
		PhotoMaxMB   int      `json:"photoMaxMB" doc:"The largest profile photo accepted, in MiB"`
	}
}

// SMTPView is the mail settings as shown: never the password itself.
type SMTPView struct {
	Enabled     bool   `json:"enabled"`
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security" enum:"starttls,tls,none,"`
	Username    string `json:"username"`
	From        string `json:"from"`
	PasswordSet bool   `json:"passwordSet"`
}

// ViewSMTP renders settings for display.
func ViewSMTP(m mail.SMTP) SMTPView {
	return SMTPView{Enabled: m.Enabled, Host: m.Host, Port: m.Port, Security: m.Security, Username: m.Username,
		From: m.From, PasswordSet: m.Password != ""}
}

type adminSettings struct {
	CompanyName     string   `json:"companyName"`
	BaseURL         string   `json:"baseUrl"`
	ExtranetEnabled bool     `json:"extranetEnabled"`
	SMTP            SMTPView `json:"smtp"`
	Locked          []string `json:"locked" doc:"Fields set in the configuration file or environment, which win over the database"`
}

type settingsOutput struct{ Body adminSettings }

type patchSettingsInput struct {
	Body struct {
		CompanyName     *string `json:"companyName,omitempty" maxLength:"200"`
		BaseURL         *string `json:"baseUrl,omitempty" maxLength:"2000"`
		ExtranetEnabled *bool   `json:"extranetEnabled,omitempty"`
	}
}

type smtpInput struct{ Body SMTPInput }

// TestMailInput is the mail settings to try plus the recipient.
type TestMailInput struct {
	Body struct {
		SMTPInput
		To string `json:"to" maxLength:"254" doc:"Recipient of the test message"`
	}
}

// TestMailOutput reports a successful test send.
type TestMailOutput struct {
	Body struct {
		OK bool `json:"ok"`
	}
}

// Routes registers the bootstrap and Admin → Settings operations.
func (s *Service) Routes(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "bootstrap", Method: http.MethodGet, Path: "/bootstrap",
		Summary: "What the app needs at start: setup state, company, signed-in person", Tags: []string{"Session"},
		Security: auth.Public}, s.bootstrap)
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "getSettings", Method: http.MethodGet, Path: "/admin/settings",
		Summary: "Company settings", Tags: tags}, s.getSettings)
	huma.Register(api, huma.Operation{OperationID: "updateSettings", Method: http.MethodPatch, Path: "/admin/settings",
		Summary: "Change company name, base URL or the extranet switch", Tags: tags}, s.patchSettings)
	huma.Register(api, huma.Operation{OperationID: "updateSMTP", Method: http.MethodPut, Path: "/admin/settings/smtp",
		Summary: "Change the outgoing mail server", Description: "Needs the password entered within the last 10 minutes.",
		Tags: tags}, s.putSMTP)
	huma.Register(api, huma.Operation{OperationID: "testSMTP", Method: http.MethodPost, Path: "/admin/settings/smtp/test",
		Summary:     "Send a test message directly with the given mail settings",
		Description: "Needs the password entered within the last 10 minutes.", Tags: tags}, s.testSMTP)
}

func (s *Service) bootstrap(ctx context.Context, _ *struct{}) (*bootstrapOutput, error) {
	v := s.Get()
	out := &bootstrapOutput{}
	out.Body.SetupPending = !v.SetupDone
	out.Body.Company = v.CompanyName
	out.Body.PhotoMaxMB = s.PhotoMaxMB
	if cur := auth.CurrentFrom(ctx); cur != nil {
		me := auth.MeOf(cur.User)
		out.Body.User = &me
	}
	return out, nil
}

func (s *Service) view() adminSettings {
	v := s.Get()
	return adminSettings{CompanyName: v.CompanyName, BaseURL: v.BaseURL, ExtranetEnabled: v.ExtranetEnabled,
		SMTP: ViewSMTP(v.SMTP), Locked: s.Locked()}
}

func (s *Service) getSettings(ctx context.Context, _ *struct{}) (*settingsOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return &settingsOutput{Body: s.view()}, nil
}

// Update loads the stored values, lets change modify them, and writes them back in one
// transaction, refreshing the cache afterwards.
func (s *Service) Update(ctx context.Context, change func(*Values) error) error {
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.Stored(ctx)
		if err != nil {
			return err
		}
		if err := change(&v); err != nil {
			return err
		}
		return Write(ctx, tx, s, v)
	})
	if err != nil {
		return err
	}
	return s.Reload(ctx)
}

func (s *Service) refuseLocked(names ...string) error {
	var fields apperr.Fields
	for _, l := range s.Locked() {
		for _, n := range names {
			if l == n {
				fields.Add("body."+strings.TrimPrefix(n, "smtp."), "locked", nil)
			}
		}
	}
	return fields.Err()
}

func (s *Service) patchSettings(ctx context.Context, in *patchSettingsInput) (*settingsOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	b := in.Body
	var fields apperr.Fields
	var name, base string
	var touched []string
	if b.CompanyName != nil {
		name = CleanCompany(*b.CompanyName, "body.companyName", &fields)
		touched = append(touched, "companyName")
	}
	if b.BaseURL != nil {
		base = CleanBaseURL(*b.BaseURL, "body.baseUrl", &fields)
		touched = append(touched, "baseUrl")
	}
	if b.ExtranetEnabled != nil {
		touched = append(touched, "extranetEnabled")
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if err := s.refuseLocked(touched...); err != nil {
		return nil, err
	}
	// The base URL decides every mailed link and whether cookies are Secure: a session
	// left open on someone's desk must not be enough to point them elsewhere.
	if b.BaseURL != nil && base != s.Get().BaseURL {
		if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
			return nil, err
		}
	}
	err := s.Update(ctx, func(v *Values) error {
		if b.CompanyName != nil {
			v.CompanyName = name
		}
		if b.BaseURL != nil {
			v.BaseURL = base
		}
		if b.ExtranetEnabled != nil {
			v.ExtranetEnabled = *b.ExtranetEnabled
		}
		return nil
	})
	return &settingsOutput{Body: s.view()}, err
}

func (s *Service) putSMTP(ctx context.Context, in *smtpInput) (*settingsOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	if len(s.smtpLocked()) > 0 {
		return nil, s.refuseLocked(s.smtpLocked()...)
	}
	var fields apperr.Fields
	m := in.Body.Clean(s.Get().SMTP, &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(v *Values) error { v.SMTP = m; return nil })
	return &settingsOutput{Body: s.view()}, err
}

func (s *Service) smtpLocked() []string {
	var l []string
	for _, n := range s.Locked() {
		if strings.HasPrefix(n, "smtp.") {
			l = append(l, n)
		}
	}
	return l
}

func (s *Service) testSMTP(ctx context.Context, in *TestMailInput) (*TestMailOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	// The test may use the stored SMTP password: as sensitive as changing the settings.
	if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	stored := s.Get().SMTP
	if len(s.smtpLocked()) > 0 {
		in.Body.SMTPInput = SMTPInput{Enabled: true, Host: stored.Host, Port: stored.Port, Security: stored.Security,
			Username: stored.Username, From: stored.From}
	}
	return TestSend(ctx, in, stored, s.Get().CompanyName)
}

// TestSend validates the form and sends a test message directly (no outbox), so the
// administrator sees the server's answer at once.
func TestSend(ctx context.Context, in *TestMailInput, stored mail.SMTP, company string) (*TestMailOutput, error) {
	var fields apperr.Fields
	in.Body.Enabled = true
	m := in.Body.Clean(stored, &fields)
	to := auth.CleanEmail(in.Body.To, "body.to", &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	loc := i18n.From(ctx)
	reason, ok := mail.TestSend(ctx, m, mail.Message{To: to,
		Subject: i18n.T(loc, "mail.test.subject", nil),
		Text:    i18n.T(loc, "mail.test.body", map[string]any{"company": company})})
	if !ok {
		return nil, apperr.New(http.StatusUnprocessableEntity, "smtp_failed",
			map[string]any{"host": PortString(m), "reason": reason})
	}
	out := &TestMailOutput{}
	out.Body.OK = true
	return out, nil
}

// CleanCompany validates a company name.
func CleanCompany(s, location string, fields *apperr.Fields) string {
	return auth.CleanName(s, location, fields)
}
