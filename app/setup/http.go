package setup

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/app/licence"
	"annex/app/mail"
	"annex/app/request"
	"annex/app/settings"
	"annex/store"
)

// Steps of the wizard, in order.
var Steps = []string{"company", "admin", "smtp", "licence", "extranet"}

// required steps must be saved before Finish; the others have defaults (mail to the
// log, free edition, extranet on).
var required = []string{"company", "admin"}

// TokenHeader carries the wizard's one-time token. (Exported: the framework reads only exported
// embedded fields.)
type TokenHeader struct {
	Token string `header:"X-Setup-Token" doc:"The one-time token from the setup link printed on the console"`
}

type setupCompany struct {
	Name    string `json:"name" maxLength:"200"`
	BaseURL string `json:"baseUrl" maxLength:"2000" doc:"The address people use to reach Annex, such as https://intranet.example.com"`
}

type adminDraft struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	PasswordHash string `json:"passwordHash"`
}

type setupLicence struct {
	Text string `json:"text" maxLength:"20000" doc:"The licence file's text; empty for the free edition"`
}

type setupExtranet struct {
	Enabled bool `json:"enabled"`
}

type setupAdminView struct {
	Name        string `json:"name"`
	Email       string `json:"email"`
	PasswordSet bool   `json:"passwordSet"`
}

type setupState struct {
	Company  setupCompany      `json:"company"`
	Admin    setupAdminView    `json:"admin"`
	SMTP     settings.SMTPView `json:"smtp"`
	Licence  setupLicence      `json:"licence"`
	Extranet setupExtranet     `json:"extranet"`
	Done     []string          `json:"done" doc:"Steps saved so far"`
	Locked   []string          `json:"locked" doc:"Settings fixed by the configuration file or environment (as in Admin → Settings); their values here are the fixed ones"`
}

type stateOutput struct{ Body setupState }

type getInput struct{ TokenHeader }

type companyInput struct {
	TokenHeader
	Body setupCompany
}

type setupAdminInput struct {
	TokenHeader
	Body struct {
		Name     string `json:"name" maxLength:"200"`
		Email    string `json:"email" maxLength:"254"`
		Password string `json:"password" maxLength:"1024" doc:"12 to 128 characters, not a common password, not containing the company's name or Annex"`
	}
}

type smtpInput struct {
	TokenHeader
	Body settings.SMTPInput
}

type testInput struct {
	TokenHeader
	settings.TestMailInput
}

type licenceInput struct {
	TokenHeader
	Body setupLicence
}

type extranetInput struct {
	TokenHeader
	Body setupExtranet
}

type finishInput struct{ TokenHeader }

// Routes registers the wizard's operations.
func (w *Wizard) Routes(api huma.API) {
	// The token (and whether setup is still pending) is checked before the framework
	// reads the body, so a finished wizard answers 404 to anything, and a wrong token
	// learns nothing about validation.
	guard := func(ctx huma.Context, next func(huma.Context)) {
		if err := w.check(ctx.Context(), ctx.Header("X-Setup-Token")); err != nil {
			apperr.Write(api, ctx, err)
			return
		}
		next(ctx)
	}
	op := func(id, method, path, summary string) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary,
			Tags: []string{"Setup"}, Security: auth.Public, Middlewares: huma.Middlewares{guard}}
	}
	huma.Register(api, op("getSetup", http.MethodGet, "/setup", "The wizard's saved draft"), w.get)
	huma.Register(api, op("setupCompany", http.MethodPut, "/setup/company", "Save the company step"), w.putCompany)
	huma.Register(api, op("setupAdmin", http.MethodPut, "/setup/admin", "Save the first administrator"), w.putAdmin)
	huma.Register(api, op("setupSMTP", http.MethodPut, "/setup/smtp", "Save the mail step"), w.putSMTP)
	huma.Register(api, op("setupTestSMTP", http.MethodPost, "/setup/smtp/test", "Send a test message"), w.testSMTP)
	huma.Register(api, op("setupLicence", http.MethodPut, "/setup/licence", "Save the licence step"), w.putLicence)
	huma.Register(api, op("setupExtranet", http.MethodPut, "/setup/extranet", "Save the extranet step"), w.putExtranet)
	finish := op("finishSetup", http.MethodPost, "/setup/finish", "Apply the draft and sign the administrator in")
	huma.Register(api, finish, w.finish)
}

func (w *Wizard) state(ctx context.Context) (*stateOutput, error) {
	d, err := w.st.SetupDraft(ctx)
	if err != nil {
		return nil, err
	}
	var s setupState
	s.Extranet.Enabled = true
	s.SMTP.Security, s.SMTP.Port = "starttls", 587
	s.Done = []string{}
	for _, step := range Steps {
		raw, ok := d[step]
		if !ok {
			continue
		}
		s.Done = append(s.Done, step)
		switch step {
		case "company":
			err = json.Unmarshal([]byte(raw), &s.Company)
		case "admin":
			var a adminDraft
			err = json.Unmarshal([]byte(raw), &a)
			s.Admin = setupAdminView{Name: a.Name, Email: a.Email, PasswordSet: a.PasswordHash != ""}
		case "smtp":
			var m mail.SMTP
			m, err = w.draftSMTP(raw)
			s.SMTP = settings.ViewSMTP(m)
		case "licence":
			err = json.Unmarshal([]byte(raw), &s.Licence)
		case "extranet":
			err = json.Unmarshal([]byte(raw), &s.Extranet)
		}
		if err != nil {
			return nil, err
		}
	}
	// Fixed settings show with their fixed values, which is also what Finish applies.
	s.Locked = w.set.Locked()
	pinned := w.set.Pin(settings.Values{CompanyName: s.Company.Name, BaseURL: s.Company.BaseURL,
		ExtranetEnabled: s.Extranet.Enabled})
	s.Company.Name, s.Company.BaseURL, s.Extranet.Enabled = pinned.CompanyName, pinned.BaseURL, pinned.ExtranetEnabled
	if w.smtpPinned() {
		s.SMTP = settings.ViewSMTP(w.set.Get().SMTP)
	}
	return &stateOutput{Body: s}, nil
}

// smtpPinned reports whether the configuration fixes any mail setting; the wizard then
// takes the mail server from there.
func (w *Wizard) smtpPinned() bool {
	for _, l := range w.set.Locked() {
		if strings.HasPrefix(l, "smtp.") {
			return true
		}
	}
	return false
}

func (w *Wizard) draftSMTP(raw string) (mail.SMTP, error) {
	var m mail.SMTP
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return m, err
	}
	pw, err := w.set.Open(m.Password)
	m.Password = pw
	return m, err
}

func (w *Wizard) get(ctx context.Context, in *getInput) (*stateOutput, error) {
	return w.state(ctx)
}

// save stores one step and answers with the whole draft.
func (w *Wizard) save(ctx context.Context, step string, v any) (*stateOutput, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	err = w.st.Tx(ctx, func(tx *store.Tx) error {
		// Checked inside the transaction: a save racing Finish must not leave a draft row.
		if done, err := tx.Setting(ctx, "setup_done"); err != nil || done == "1" {
			return cmp.Or(err, error(apperr.NotFound()))
		}
		return tx.PutSetupStep(ctx, step, string(b))
	})
	if err != nil {
		return nil, err
	}
	return w.state(ctx)
}

func (w *Wizard) putCompany(ctx context.Context, in *companyInput) (*stateOutput, error) {
	pinned := w.set.Pin(settings.Values{CompanyName: in.Body.Name, BaseURL: in.Body.BaseURL})
	in.Body.Name, in.Body.BaseURL = pinned.CompanyName, pinned.BaseURL
	var fields apperr.Fields
	c := setupCompany{
		Name:    settings.CleanCompany(in.Body.Name, "body.name", &fields),
		BaseURL: settings.CleanBaseURL(in.Body.BaseURL, "body.baseUrl", &fields),
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	return w.save(ctx, "company", c)
}

func (w *Wizard) putAdmin(ctx context.Context, in *setupAdminInput) (*stateOutput, error) {
	var fields apperr.Fields
	a := adminDraft{
		Name:  auth.CleanName(in.Body.Name, "body.name", &fields),
		Email: auth.CleanEmail(in.Body.Email, "body.email", &fields),
	}
	// The company's name, when its step is saved, is one no password may contain.
	draft, err := w.state(ctx)
	if err != nil {
		return nil, err
	}
	if p := auth.PasswordProblem(in.Body.Password, draft.Body.Company.Name); p != "" {
		fields.Add("body.password", p, nil)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	hash, err := w.hasher.Hash(ctx, in.Body.Password)
	if err != nil {
		return nil, err
	}
	a.PasswordHash = hash
	return w.save(ctx, "admin", a)
}

func (w *Wizard) putSMTP(ctx context.Context, in *smtpInput) (*stateOutput, error) {
	prev, err := w.savedSMTP(ctx)
	if err != nil {
		return nil, err
	}
	var fields apperr.Fields
	m := in.Body.Clean(prev, &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	m.Password = w.set.Seal(m.Password)
	return w.save(ctx, "smtp", m)
}

func (w *Wizard) savedSMTP(ctx context.Context) (mail.SMTP, error) {
	d, err := w.st.SetupDraft(ctx)
	if err != nil || d["smtp"] == "" {
		return mail.SMTP{}, err
	}
	return w.draftSMTP(d["smtp"])
}

func (w *Wizard) testSMTP(ctx context.Context, in *testInput) (*settings.TestMailOutput, error) {
	prev, err := w.savedSMTP(ctx)
	if err != nil {
		return nil, err
	}
	company := ""
	if d, err := w.st.SetupDraft(ctx); err == nil {
		var c setupCompany
		_ = json.Unmarshal([]byte(d["company"]), &c)
		company = c.Name
	}
	return settings.TestSend(ctx, &in.TestMailInput, prev, company)
}

func (w *Wizard) putLicence(ctx context.Context, in *licenceInput) (*stateOutput, error) {
	text := strings.TrimSpace(in.Body.Text)
	if err := licence.CheckUpload(text, w.st.Now()); err != nil {
		return nil, err
	}
	return w.save(ctx, "licence", setupLicence{Text: text})
}

func (w *Wizard) putExtranet(ctx context.Context, in *extranetInput) (*stateOutput, error) {
	return w.save(ctx, "extranet", in.Body)
}

func (w *Wizard) finish(ctx context.Context, in *finishInput) (*auth.MeWithCookie, error) {
	var out auth.MeWithCookie
	err := w.st.Tx(ctx, func(tx *store.Tx) error {
		// Checked again inside the transaction: two Finish requests cannot both pass.
		if done, err := tx.Setting(ctx, "setup_done"); err != nil {
			return err
		} else if done == "1" {
			return apperr.NotFound()
		}
		d, err := tx.SetupDraft(ctx)
		if err != nil {
			return err
		}
		var fields apperr.Fields
		for _, step := range required {
			if _, ok := d[step]; !ok {
				fields.Add("step."+step, "step_missing", nil)
			}
		}
		if len(fields) > 0 {
			e := apperr.Invalid(fields...)
			e.Code = "setup_incomplete"
			return e
		}
		var c setupCompany
		var a adminDraft
		v := settings.Values{ExtranetEnabled: true, SetupDone: true}
		ext := setupExtranet{Enabled: true}
		lic := setupLicence{}
		err = firstErr(
			json.Unmarshal([]byte(d["company"]), &c),
			json.Unmarshal([]byte(d["admin"]), &a),
			unmarshalIf(d["extranet"], &ext),
			unmarshalIf(d["licence"], &lic),
		)
		if err != nil {
			return err
		}
		if raw := d["smtp"]; raw != "" {
			if v.SMTP, err = w.draftSMTP(raw); err != nil {
				return err
			}
		}
		v.CompanyName, v.BaseURL, v.ExtranetEnabled, v.Licence = c.Name, c.BaseURL, ext.Enabled, lic.Text
		// The wizard does not ask for the two-factor policy: the stored one (the default
		// on a new installation) stays.
		stored, err := w.set.Stored(ctx)
		if err != nil {
			return err
		}
		v.TwoFactor = stored.TwoFactor
		effective := w.set.Pin(v)
		u := store.User{Email: a.Email, Name: a.Name, Kind: store.KindEmployee, Admin: true, Active: true,
			PasswordHash: a.PasswordHash, Locale: i18n.From(ctx)}
		current := licence.Current(v.Licence)
		if err := licence.Claim(ctx, tx, current, u.Email, true); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if err := settings.Write(ctx, tx, w.set, v); err != nil {
			return err
		}
		if err := tx.ClearSetupDraft(ctx); err != nil {
			return err
		}
		// The log's first row: who set the company up, and with what.
		err = audit.Log(ctx, tx, store.ActorFor(u), audit.SetupFinished, store.Object{}, map[string]string{
			"company": v.CompanyName, "baseUrl": v.BaseURL, "extranet": strconv.FormatBool(v.ExtranetEnabled),
			"mailServer": strconv.FormatBool(v.SMTP.Host != ""), "edition": current.Edition, "seats": strconv.Itoa(current.Seats)})
		if err != nil {
			return err
		}
		// The cookie's name and Secure flag follow the base URL just chosen.
		ck, err := w.sessions.StartWithSecure(ctx, tx, u, false, effective.Secure())
		out.SetCookie, out.Body = ck, auth.MeOf(ctx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	w.void()
	if err := w.set.Reload(ctx); err != nil {
		// Setup is applied and committed; the cache catches up at the next reload.
		request.From(ctx).Log.ErrorContext(ctx, "settings reload after setup", "err", err)
	}
	return &out, nil
}

func unmarshalIf(raw string, v any) error {
	if raw == "" {
		return nil
	}
	return json.Unmarshal([]byte(raw), v)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
