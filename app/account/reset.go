package account

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/app/request"
	"annex/store"
)

type resetRequestInput struct {
	Body struct {
		Email string `json:"email" maxLength:"254" doc:"The address of the account"`
	}
}

// ResetLink is what a working reset link is for.
type ResetLink struct {
	Email     string `json:"email" doc:"The account whose password the link sets"`
	TwoFactor bool   `json:"twoFactor" doc:"The account has two-factor authentication: finishing needs a code or a recovery code"`
}

type resetLinkOutput struct{ Body ResetLink }

type resetFinishInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"64" doc:"The token from the link in the mail"`
		Password string `json:"password" maxLength:"1024" doc:"The new password: 12 to 128 characters, not a common password, not containing the company's name or Annex"`
		// A person with two-factor authentication gives one of these to finish.
		Code         string `json:"code,omitempty" maxLength:"16" doc:"A code from the authenticator app, for an account with two-factor authentication"`
		RecoveryCode string `json:"recoveryCode,omitempty" maxLength:"64" doc:"Or one of the account's recovery codes"`
	}
}

func (s *Service) resetRoutes(api huma.API) {
	tags := []string{"Session"}
	huma.Register(api, huma.Operation{OperationID: "requestPasswordReset", Method: http.MethodPost, Path: "/auth/password-reset",
		Summary: "Forgot password: mail a reset link to the account with this address, if there is one",
		Description: "The answer is the same, and takes the same time, whether or not an account has the address. " +
			"The link works once, for one hour. Limited per address and per client address (docs/account-security.md).",
		Tags: tags, Security: auth.Public, DefaultStatus: http.StatusAccepted}, s.requestReset)
	huma.Register(api, huma.Operation{OperationID: "checkPasswordReset", Method: http.MethodPost, Path: "/auth/password-reset/check",
		Summary: "Whether a reset link still works, and for which account", Tags: tags, Security: auth.Public}, s.checkReset)
	huma.Register(api, huma.Operation{OperationID: "finishPasswordReset", Method: http.MethodPost, Path: "/auth/password-reset/finish",
		Summary: "Set a new password with a reset link",
		Description: "Every session of the account ends, and this browser is signed in afresh. A temporary password " +
			"becomes an ordinary one.",
		Tags: tags, Security: auth.Public}, s.finishReset)
}

// errRehearsal ends the transaction of a reset request that must send nothing, after it
// has done the same work as one that does.
var errRehearsal = errors.New("account: rehearsal")

// requestReset answers alike for every well-formed address. Timing alike too: an
// address without an active account goes through the same transaction (the same
// look-up, the same link row, the same letter composed and written to the outbox) and
// is then rolled back, so only a mail that really leaves takes a different path, and
// that happens later, in the outbox's worker.
func (s *Service) requestReset(ctx context.Context, in *resetRequestInput) (*struct{}, error) {
	var fields apperr.Fields
	email := auth.CleanEmail(in.Body.Email, "body.email", &fields)
	if err := fields.Err(); err != nil {
		return nil, err
	}
	addr := request.From(ctx).ClientIP
	err := s.count(ctx, "reset_throttled",
		limit{"reset:mail:" + store.EmailKey(email), resetAddressPolicy},
		limit{"reset:addr:" + auth.ClientKey(addr), resetClientPolicy})
	if err != nil {
		return nil, err
	}
	tok, hash := newToken()
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmailTx(ctx, email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		real := err == nil && u.Active && !u.AccessEnded(tx.Now())
		if !real {
			u = store.User{ID: store.NewID(), MailTo: email, Locale: i18n.From(ctx)}
		}
		if err := tx.DeferForeignKeys(ctx); err != nil {
			return err
		}
		exp := tx.Now().Add(ResetLinkLife)
		if err := tx.CreatePasswordReset(ctx, u.ID, hash, exp); err != nil {
			return err
		}
		err = s.enqueue(ctx, tx, "password_reset", u.MailTo, u.Locale, s.link("reset-password", tok),
			map[string]any{"name": u.Name, "expires": mailTime(exp), "address": addr})
		if err != nil {
			return err
		}
		if !real {
			return errRehearsal
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRehearsal) {
		return nil, err
	}
	return nil, nil
}

// liveReset loads the account a reset link is for, refusing a link that does not work
// (unknown, used, expired) or whose account is deactivated, each with its own words.
func liveReset(ctx context.Context, tx *store.Tx, tok string) (store.User, error) {
	r, u, err := tx.PasswordResetByToken(ctx, hashToken(tok))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return u, apperr.New(http.StatusNotFound, "reset_link_unknown", nil)
	case err != nil:
		return u, err
	case r.State == store.LinkUsed:
		return u, apperr.New(http.StatusConflict, "reset_link_used", nil)
	case r.State == store.LinkExpired:
		return u, apperr.New(http.StatusConflict, "reset_link_expired", nil)
	case !u.Active || u.AccessEnded(tx.Now()):
		return u, apperr.Forbidden("reset_account_inactive")
	}
	return u, nil
}

func (s *Service) checkReset(ctx context.Context, in *tokenInput) (*resetLinkOutput, error) {
	if err := s.countLinkTry(ctx); err != nil {
		return nil, err
	}
	var u store.User
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = liveReset(ctx, tx, in.Body.Token)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &resetLinkOutput{Body: ResetLink{Email: u.Email, TwoFactor: u.TwoFactorEnabled}}, nil
}

func (s *Service) finishReset(ctx context.Context, in *resetFinishInput) (*auth.MeWithCookie, error) {
	if err := s.countLinkTry(ctx); err != nil {
		return nil, err
	}
	// A link that does not work says so before the password is judged.
	var linked store.User
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		linked, err = liveReset(ctx, tx, in.Body.Token)
		return err
	})
	if err != nil {
		return nil, err
	}
	if p := auth.PasswordProblem(in.Body.Password, s.set.Get().CompanyName); p != "" {
		return nil, apperr.Invalid(apperr.FieldErr("body.password", p, nil))
	}
	hash, err := s.hasher.Hash(ctx, in.Body.Password)
	if err != nil {
		return nil, err
	}
	// A reset never bypasses two-factor: a person who has it gives a code or a recovery
	// code too, checked (and throttled) like sign-in's second step.
	var second *auth.SecondFactorCheck
	if linked.TwoFactorEnabled {
		if second, err = s.auth.BeginSecondFactor(ctx, linked, in.Body.Code, in.Body.RecoveryCode); err != nil {
			return nil, err
		}
	}
	var out auth.MeWithCookie
	var u store.User
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		// Again: the link may have been used while the password was hashed.
		var err error
		if u, err = liveReset(ctx, tx, in.Body.Token); err != nil {
			return err
		}
		switch {
		case second != nil:
			if err := second.Check(ctx, tx); err != nil {
				return err
			}
		case u.TwoFactorEnabled: // turned on while the password was hashed
			return apperr.Invalid(apperr.FieldErr("body.code", "required", nil))
		}
		if err := auth.ResetPassword(ctx, tx, u, hash, false); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, store.ActorFor(u), audit.PasswordReset, audit.User(u.ID, u.Email), nil); err != nil {
			return err
		}
		// Whoever was signed in to this browser before is signed out: it is the
		// person of the link who is signed in now.
		if cur := auth.CurrentFrom(ctx); cur != nil {
			if err := tx.DeleteMySession(ctx, cur.Actor(), cur.Session.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		out.SetCookie, err = s.sessions.Start(ctx, tx, u, false)
		return err
	})
	if second != nil {
		err = second.End(ctx, err)
	}
	if err != nil {
		return nil, err
	}
	u.MustChangePassword, u.TemporaryReason, u.PasswordExpiresAt = false, "", nil
	out.Body = auth.MeOf(ctx, u)
	return &out, nil
}
