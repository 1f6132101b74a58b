package account

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

type emailChangeInput struct {
	Body struct {
		Email string `json:"email" maxLength:"254" doc:"The new address"`
	}
}

// EmailChangeSent says where the confirmation link went.
type EmailChangeSent struct {
	Email     string `json:"email" doc:"The new address, as typed: the link was mailed there"`
	ExpiresAt string `json:"expiresAt" doc:"When the link stops working"`
}

type emailChangeOutput struct{ Body EmailChangeSent }

type tokenInput struct {
	Body struct {
		Token string `json:"token" maxLength:"64" doc:"The token from the link in the mail"`
	}
}

// EmailChanged is the account's address after the change.
type EmailChanged struct {
	Email string `json:"email"`
}

type emailChangedOutput struct{ Body EmailChanged }

func (s *Service) emailRoutes(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "changeMyEmail", Method: http.MethodPost, Path: "/me/email",
		Summary: "Change my e-mail address: a confirmation link goes to the new address",
		Description: "Needs the password entered within the last 10 minutes. Nothing changes until the link is opened " +
			"(confirmEmailChange); the old address is then told. An address another account has is refused when the " +
			"person may see that account (as an administrator sees everyone); otherwise the answer is the same as for a " +
			"free address, and the mail to it says that it already has an account (docs/account-security.md).",
		Tags: []string{"Account"}, DefaultStatus: http.StatusAccepted, Security: auth.SessionOnly}, s.changeEmail)
	huma.Register(api, huma.Operation{OperationID: "confirmEmailChange", Method: http.MethodPost, Path: "/auth/email-change/confirm",
		Summary:     "Confirm a change of e-mail address with the link mailed to the new address",
		Description: "The link is the credential: it works in any browser, signed in or not. Single use, 24 hours.",
		Tags:        []string{"Account"}, Security: auth.Public}, s.confirmEmail)
}

func (s *Service) changeEmail(ctx context.Context, in *emailChangeInput) (*emailChangeOutput, error) {
	cur := auth.CurrentFrom(ctx)
	if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	var fields apperr.Fields
	email := auth.CleanEmail(in.Body.Email, "body.email", &fields)
	if len(fields) == 0 && store.EmailKey(email) == cur.User.Email {
		fields.Add("body.email", "email_same", nil)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if err := s.count(ctx, "email_change_throttled", limit{"mailchange:" + cur.User.ID, emailChangePolicy}); err != nil {
		return nil, err
	}
	tok, hash := newToken()
	out := &emailChangeOutput{}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		taken, visible, err := tx.EmailHolder(ctx, cur.Actor(), email)
		if err != nil {
			return err
		}
		if taken && visible {
			return apperr.Invalid(apperr.FieldErr("body.email", "email_taken", nil))
		}
		exp := tx.Now().Add(EmailChangeLinkLife)
		out.Body = EmailChangeSent{Email: email, ExpiresAt: stamp(exp)}
		if taken {
			// Someone this person may not see has the address. The person is told what
			// a free address gets; the mailbox's owner learns that nothing changed.
			return s.enqueue(ctx, tx, "email_taken", email, cur.User.Locale, "", map[string]any{"name": cur.User.Name})
		}
		if err := tx.CreateEmailChange(ctx, store.EmailChange{UserID: cur.User.ID, OldEmail: cur.User.Email,
			NewEmail: email, NewMailTo: email, ExpiresAt: exp}, hash); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, "email_change", email, cur.User.Locale, s.link("confirm-email", tok),
			map[string]any{"name": cur.User.Name, "email": email, "expires": mailTime(exp)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) confirmEmail(ctx context.Context, in *tokenInput) (*emailChangedOutput, error) {
	if err := s.countLinkTry(ctx); err != nil {
		return nil, err
	}
	var out emailChangedOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		c, u, err := tx.EmailChangeByToken(ctx, hashToken(in.Body.Token))
		switch {
		case errors.Is(err, store.ErrNotFound):
			return apperr.New(http.StatusNotFound, "email_change_unknown", nil)
		case err != nil:
			return err
		case c.State == store.LinkUsed:
			return apperr.New(http.StatusConflict, "email_change_used", nil)
		case c.State == store.LinkExpired:
			return apperr.New(http.StatusConflict, "email_change_expired", nil)
		case !u.Active || u.AccessEnded(tx.Now()):
			return apperr.Forbidden("account_inactive")
		case u.Email != c.OldEmail:
			return apperr.New(http.StatusConflict, "email_change_stale", nil)
		}
		if err := tx.ChangeEmail(ctx, u.ID, c.NewEmail, c.NewMailTo); errors.Is(err, store.ErrConflict) {
			return apperr.New(http.StatusConflict, "email_change_taken", map[string]any{"email": c.NewMailTo})
		} else if err != nil {
			return err
		}
		if err := tx.UseEmailChanges(ctx, u.ID); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, store.ActorFor(u), audit.EmailChanged, audit.User(u.ID, c.NewEmail),
			map[string]string{"old": c.OldEmail}); err != nil {
			return err
		}
		out.Body.Email = c.NewEmail
		// The old address hears of it: if the change was not its owner's doing, they
		// know at once, and whom to ask.
		return s.enqueue(ctx, tx, "email_changed", u.MailTo, u.Locale, "", map[string]any{"name": u.Name,
			"old": u.MailTo, "new": c.NewMailTo})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
