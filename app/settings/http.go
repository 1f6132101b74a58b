package settings

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
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
	CompanyName     string           `json:"companyName"`
	BaseURL         string           `json:"baseUrl"`
	ExtranetEnabled bool             `json:"extranetEnabled"`
	SMTP            SMTPView         `json:"smtp"`
	TwoFactor       TwoFactorView    `json:"twoFactor"`
	AccessDays      int              `json:"externalAccessDays" doc:"Days an external user's access lasts after she accepts her invitation; 0: no end unless a date is set"`
	Review          ReviewPolicyView `json:"accessReview"`
	PublicLinks     string           `json:"publicLinks" enum:"off,employees,everyone" doc:"Who may make public links to drive files and folders; off stops every link"`
	Quota           DriveQuota       `json:"driveQuota"`
	Locked          []string         `json:"locked" doc:"Fields set in the configuration file or environment, which win over the database"`
}

// ReviewPolicyView is the access review's policy (docs/access-review.md).
type ReviewPolicyView struct {
	Days      int  `json:"days" minimum:"0" maximum:"3650" doc:"Every how many days each external user is reviewed; 0: never"`
	GraceDays int  `json:"graceDays" minimum:"1" maximum:"365" doc:"Days the reviewer has to answer"`
	Lapse     bool `json:"lapse" doc:"No answer in time ends her access"`
}

// TwoFactorView is the two-factor policy (docs/two-factor.md).
type TwoFactorView struct {
	Externals bool   `json:"externals" doc:"External users must use two-factor"`
	Employees string `json:"employees" enum:"off,optional,mandatory" doc:"Whether employees cannot, may or must use it"`
	Admins    bool   `json:"admins" doc:"Administrators must use two-factor"`
}

type settingsOutput struct{ Body adminSettings }

type patchSettingsInput struct {
	Body struct {
		CompanyName     *string `json:"companyName,omitempty" maxLength:"200"`
		BaseURL         *string `json:"baseUrl,omitempty" maxLength:"2000"`
		ExtranetEnabled *bool   `json:"extranetEnabled,omitempty"`
		TwoFactor       *struct {
			Externals *bool   `json:"externals,omitempty"`
			Employees *string `json:"employees,omitempty" enum:"off,optional,mandatory"`
			Admins    *bool   `json:"admins,omitempty"`
		} `json:"twoFactor,omitempty" doc:"The two-factor policy; fields left out stay as they are"`
		AccessDays  *int              `json:"externalAccessDays,omitempty" minimum:"0" maximum:"3650" doc:"Days an external user's access lasts after she accepts her invitation (inviters extend it by as much at a time); 0: no end unless a date is set"`
		Review      *ReviewPolicyView `json:"accessReview,omitempty" doc:"The access review's policy, whole"`
		PublicLinks *string           `json:"publicLinks,omitempty" enum:"off,employees,everyone" doc:"Who may make public links to drive files and folders; off stops every link"`
		Quota       *DriveQuota       `json:"driveQuota,omitempty" doc:"How much each drive may hold, whole"`
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
		Summary:     "Change company name, base URL, the extranet switch, the two-factor policy or how long external access lasts",
		Description: "Changing the base URL or loosening the two-factor policy needs the password entered within the last 10 minutes.",
		Tags:        tags}, s.patchSettings)
	huma.Register(api, huma.Operation{OperationID: "updateSMTP", Method: http.MethodPut, Path: "/admin/settings/smtp",
		Summary: "Change the outgoing mail server", Description: "Needs the password entered within the last 10 minutes.",
		Tags: tags, Security: auth.SessionOnly}, s.putSMTP)
	huma.Register(api, huma.Operation{OperationID: "testSMTP", Method: http.MethodPost, Path: "/admin/settings/smtp/test",
		Summary:     "Send a test message directly with the given mail settings",
		Description: "Needs the password entered within the last 10 minutes.", Tags: tags, Security: auth.SessionOnly}, s.testSMTP)
}

func (s *Service) bootstrap(ctx context.Context, _ *struct{}) (*bootstrapOutput, error) {
	v := s.Get()
	out := &bootstrapOutput{}
	out.Body.SetupPending = !v.SetupDone
	out.Body.Company = v.CompanyName
	out.Body.PhotoMaxMB = s.PhotoMaxMB
	if cur := auth.CurrentFrom(ctx); cur != nil {
		me := auth.MeOf(ctx, cur.User)
		out.Body.User = &me
	}
	return out, nil
}

func (s *Service) view() adminSettings {
	v := s.Get()
	return adminSettings{CompanyName: v.CompanyName, BaseURL: v.BaseURL, ExtranetEnabled: v.ExtranetEnabled,
		SMTP: ViewSMTP(v.SMTP), Locked: s.Locked(), TwoFactor: TwoFactorView{Externals: v.TwoFactor.Externals,
			Employees: v.TwoFactor.Employees, Admins: v.TwoFactor.Admins}, AccessDays: v.AccessDays,
		Review: ReviewPolicyView(v.Review), PublicLinks: v.PublicLinks, Quota: v.Quota}
}

func (s *Service) getSettings(ctx context.Context, _ *struct{}) (*settingsOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return &settingsOutput{Body: s.view()}, nil
}

// Update loads the stored values, lets change modify them, writes them back and lets
// record write the change's activity log row (before and after), all in one
// transaction, refreshing the cache afterwards. record may be nil.
func (s *Service) Update(ctx context.Context, change func(*Values) error,
	record func(tx *store.Tx, before, after Values) error) error {
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		before, err := s.Stored(ctx)
		if err != nil {
			return err
		}
		v := before
		if err := change(&v); err != nil {
			return err
		}
		if err := Write(ctx, tx, s, v); err != nil || record == nil {
			return err
		}
		return record(tx, before, v)
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

// linksRank orders the public-link policies from the strictest: opening them wider is a
// change that asks for the password again, like loosening two-factor.
var linksRank = map[string]int{LinksOff: 0, LinksEmployees: 1, LinksEveryone: 2}

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
	policy := s.Get().TwoFactor
	if tf := b.TwoFactor; tf != nil {
		if tf.Externals != nil {
			touched, policy.Externals = append(touched, "twoFactor.externals"), *tf.Externals
		}
		if tf.Employees != nil {
			touched, policy.Employees = append(touched, "twoFactor.employees"), *tf.Employees
		}
		if tf.Admins != nil {
			touched, policy.Admins = append(touched, "twoFactor.admins"), *tf.Admins
		}
	}
	if b.AccessDays != nil {
		touched = append(touched, "externalAccessDays")
	}
	if b.Review != nil {
		touched = append(touched, "accessReview")
	}
	if b.PublicLinks != nil {
		touched = append(touched, "publicLinks")
	}
	if b.Quota != nil {
		touched = append(touched, "driveQuota")
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if err := s.refuseLocked(touched...); err != nil {
		return nil, err
	}
	// The base URL decides every mailed link and whether cookies are Secure: a session
	// left open on someone's desk must not be enough to point them elsewhere.
	if b.BaseURL != nil && base != s.Get().BaseURL || looser(s.Get().TwoFactor, policy) ||
		b.PublicLinks != nil && linksRank[*b.PublicLinks] > linksRank[s.Get().PublicLinks] {
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
		if tf := b.TwoFactor; tf != nil {
			set(&v.TwoFactor.Externals, tf.Externals)
			set(&v.TwoFactor.Employees, tf.Employees)
			set(&v.TwoFactor.Admins, tf.Admins)
		}
		set(&v.AccessDays, b.AccessDays)
		set(&v.PublicLinks, b.PublicLinks)
		set(&v.Quota, b.Quota)
		if b.Review != nil {
			v.Review = ReviewPolicy(*b.Review)
		}
		return nil
	}, logChanged(ctx))
	return &settingsOutput{Body: s.view()}, err
}

// logChanged records a settings change as the administrator's, naming the fields that
// changed (the SMTP password by its name only); a change to nothing writes no row.
func logChanged(ctx context.Context) func(tx *store.Tx, before, after Values) error {
	return func(tx *store.Tx, before, after Values) error {
		fields := Changed(before, after)
		if len(fields) == 0 {
			return nil
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.SettingsChanged, store.Object{},
			map[string]string{"fields": strings.Join(fields, ", ")})
	}
}

// looser reports whether the policy after asks less of someone than before: it lets a
// stolen session weaken every account, so it is a sensitive change.
func looser(before, after auth.TwoFactorPolicy) bool {
	rank := map[string]int{auth.TwoFactorOff: 0, auth.TwoFactorOptional: 1, auth.TwoFactorMandatory: 2}
	return before.Externals && !after.Externals || before.Admins && !after.Admins ||
		rank[after.Employees] < rank[before.Employees]
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
	err := s.Update(ctx, func(v *Values) error { v.SMTP = m; return nil }, logChanged(ctx))
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
