package invites

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/app/licence"
	"annex/app/mail"
	"annex/app/request"
	"annex/store"
)

// linkPolicy: a link can be tried only a few times a minute from one address
// (PRODUCT.md §4), so tokens cannot be guessed and a link cannot be hammered.
var linkPolicy = store.ThrottlePolicy{Block: auth.Exponential(10, time.Minute, 15*time.Minute), Forget: time.Minute}

// View is an invitation as the person holding its link sees it. A link that no longer
// works says only what happened and whom to ask: nothing of the group, the note or the
// address (docs/invitations.md).
type View struct {
	State        string `json:"state" enum:"pending,accepted,declined,revoked,expired"`
	Problem      string `json:"problem" enum:"inviter_inactive,group_archived,extranet_off," doc:"Why a pending link does not work now; empty when it does"`
	Email        string `json:"email" doc:"The invited address, which becomes the new account's; empty when the link does not work"`
	Name         string `json:"name"`
	Kind         string `json:"kind" enum:"employee,external,"`
	Company      string `json:"company"`
	GroupID      string `json:"groupId"`
	GroupName    string `json:"groupName"`
	InviterName  string `json:"inviterName" doc:"Whom to ask, also when the link no longer works; empty when their account is deactivated (ask an administrator)"`
	InviterEmail string `json:"inviterEmail"`
	Message      string `json:"message"`
	ExpiresAt    string `json:"expiresAt"`
	HasAccount   bool   `json:"hasAccount" doc:"The address already has an account: sign in to accept"`
}

type tokenBody struct {
	Token string `json:"token" maxLength:"64" doc:"The token from the invitation link"`
}

type tokenInput struct{ Body tokenBody }

type viewOutput struct{ Body View }

type registerInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"64" doc:"The token from the invitation link"`
		Name     string `json:"name" maxLength:"200"`
		Password string `json:"password" maxLength:"1024" doc:"12 to 128 characters, not a common password, not containing the company's name or Annex"`
	}
}

// Accepted says where the person lands.
type Accepted struct {
	GroupID string  `json:"groupId" doc:"The inviting group; empty for an invitation into the company only"`
	Me      auth.Me `json:"me"`
}

type registerOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      Accepted
}

type acceptOutput struct{ Body Accepted }

func (s *Service) publicRoutes(api huma.API) {
	tags := []string{"Invitations"}
	huma.Register(api, huma.Operation{OperationID: "lookupInvitation", Method: http.MethodPost, Path: "/invite/lookup",
		Summary: "What an invitation link is for: who invites whom into which group, and whether it still works",
		Tags:    tags, Security: auth.Public}, s.lookup)
	huma.Register(api, huma.Operation{OperationID: "declineInvitation", Method: http.MethodPost, Path: "/invite/decline",
		Summary: "Decline an invitation", Tags: tags, Security: auth.Public, DefaultStatus: http.StatusNoContent}, s.decline)
	huma.Register(api, huma.Operation{OperationID: "registerByInvitation", Method: http.MethodPost, Path: "/invite/register",
		Summary:     "Create the invited account and accept every pending invitation for its address",
		Description: "The account's address is the invited one. Signs the new person in.",
		Tags:        tags, Security: auth.Public}, s.register)
	huma.Register(api, huma.Operation{OperationID: "acceptInvitation", Method: http.MethodPost, Path: "/invite/accept",
		Summary: "Accept, signed in with the invited address, every pending invitation for it", Tags: tags}, s.accept)
}

// byToken counts one try of a link from the client's address (in a transaction of its
// own, so that it stays counted whatever follows) and loads the invitation the token
// names. An unknown token is not found.
func (s *Service) byToken(ctx context.Context, tok string) (store.Invitation, error) {
	key := "invite:" + auth.ClientKey(request.From(ctx).ClientIP)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		until, err := tx.ThrottleBlockedUntil(ctx, key)
		if err != nil {
			return err
		}
		if wait := until.Sub(tx.Now()); wait > 0 {
			return apperr.TooMany("invitation_tries", wait)
		}
		return tx.RecordFailure(ctx, key, linkPolicy)
	})
	if err != nil {
		return store.Invitation{}, err
	}
	var v store.Invitation
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		v, err = tx.InvitationByToken(ctx, hashToken(strings.TrimSpace(tok)))
		return err
	})
	if err != nil {
		return v, apperr.New(http.StatusNotFound, "invitation_unknown", nil)
	}
	return v, nil
}

func (s *Service) lookup(ctx context.Context, in *tokenInput) (*viewOutput, error) {
	v, err := s.byToken(ctx, in.Body.Token)
	if err != nil {
		return nil, err
	}
	view := View{State: v.State, Problem: s.problem(v), Company: s.set.Get().CompanyName}
	if v.InviterActive && v.Inviter != nil {
		view.InviterName, view.InviterEmail = v.Inviter.Name, v.Inviter.Email
	}
	if s.usable(v) != nil {
		// Its own invitee, signed in, may follow a used link into the group they joined.
		if c := auth.CurrentFrom(ctx); c != nil && v.State == store.InviteAccepted && c.User.ID == v.AcceptedByID {
			view.Email, view.GroupID = v.Email, v.GroupID
		}
		return &viewOutput{Body: view}, nil
	}
	_, err = s.st.UserForSignIn(ctx, v.Email)
	view.Email, view.Name, view.Kind, view.GroupID, view.GroupName = v.Email, v.Name, v.Kind, v.GroupID, v.GroupName
	view.Message, view.ExpiresAt, view.HasAccount = v.Message, stamp(&v.ExpiresAt), err == nil
	return &viewOutput{Body: view}, nil
}

// usable refuses a link that no longer works, saying why and, where their account is
// still active, naming the inviter to ask; otherwise the page says to ask an
// administrator.
func (s *Service) usable(v store.Invitation) error {
	code := "invitation_" + v.State
	if v.State == store.InvitePending {
		p := s.problem(v)
		if p == "" {
			return nil
		}
		code = "invitation_" + p
	}
	if !v.InviterActive || v.Inviter == nil {
		return apperr.New(http.StatusConflict, code+"_ask_admin", nil)
	}
	return apperr.New(http.StatusConflict, code, map[string]any{"inviter": v.Inviter.Name})
}

// pending loads the invitation again inside the write transaction, as it may have been
// used, revoked or expired since.
func (s *Service) pending(ctx context.Context, tx *store.Tx, tok string) (store.Invitation, error) {
	v, err := tx.InvitationByToken(ctx, hashToken(strings.TrimSpace(tok)))
	if err != nil {
		return v, apperr.New(http.StatusNotFound, "invitation_unknown", nil)
	}
	return v, s.usable(v)
}

func (s *Service) decline(ctx context.Context, in *tokenInput) (*struct{}, error) {
	if _, err := s.byToken(ctx, in.Body.Token); err != nil {
		return nil, err
	}
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.pending(ctx, tx, in.Body.Token)
		if err != nil {
			return err
		}
		if err := tx.CloseInvitation(ctx, v.ID, store.InviteDeclined); err != nil {
			return err
		}
		// Whoever holds the link: nobody known, unless someone is signed in.
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.InvitationDeclined, invitationObject(v), invitationDetails(v))
	})
}

func (s *Service) register(ctx context.Context, in *registerInput) (*registerOutput, error) {
	v, err := s.byToken(ctx, in.Body.Token)
	if err != nil {
		return nil, err
	}
	if err := s.usable(v); err != nil {
		return nil, err
	}
	var fields apperr.Fields
	name := auth.CleanName(in.Body.Name, "body.name", &fields)
	if p := auth.PasswordProblem(in.Body.Password, s.set.Get().CompanyName); p != "" {
		fields.Add("body.password", p, nil)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if _, err := s.st.UserForSignIn(ctx, v.Email); err == nil {
		return nil, apperr.New(http.StatusConflict, "account_exists_sign_in", map[string]any{"email": v.Email})
	}
	hash, err := s.hasher.Hash(ctx, in.Body.Password)
	if err != nil {
		return nil, err
	}
	out := &registerOutput{}
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.pending(ctx, tx, in.Body.Token)
		if err != nil {
			return err
		}
		// The seat: the pending invitation holds it already, unless the licence has
		// expired since, which blocks new seats.
		if err := licence.Claim(ctx, tx, licence.Current(s.set.Get().Licence), v.Email, false); err != nil {
			return err
		}
		u := store.User{Email: v.Email, MailTo: v.MailTo, Name: name, Kind: v.Kind, Active: true, PasswordHash: hash, Locale: i18n.From(ctx)}
		if err := tx.CreateUser(ctx, &u); err == store.ErrConflict {
			return apperr.New(http.StatusConflict, "account_exists_sign_in", map[string]any{"email": v.Email})
		} else if err != nil {
			return err
		}
		// Two-factor enrolment, where the policy requires it, will come in here, before
		// the session starts (its own issue).
		if err := s.acceptAll(ctx, tx, u, true); err != nil {
			return err
		}
		ck, err := s.sessions.Start(ctx, tx, u, false)
		out.SetCookie, out.Body = ck, Accepted{GroupID: v.GroupID, Me: auth.MeOf(ctx, u)}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) accept(ctx context.Context, in *tokenInput) (*acceptOutput, error) {
	if _, err := s.byToken(ctx, in.Body.Token); err != nil {
		return nil, err
	}
	u := auth.CurrentFrom(ctx).User
	out := &acceptOutput{}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.pending(ctx, tx, in.Body.Token)
		if err != nil {
			return err
		}
		if v.Email != u.Email {
			return apperr.New(http.StatusConflict, "invitation_other_account", map[string]any{"email": v.Email})
		}
		out.Body = Accepted{GroupID: v.GroupID, Me: auth.MeOf(ctx, u)}
		return s.acceptAll(ctx, tx, u, false)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// acceptAll takes in every pending invitation for the account's address: it joins each
// inviting group (an external account never an internal one), records when and from
// which network address, tells each inviter by mail, and logs each acceptance as the
// person's (created says their account was made for it).
func (s *Service) acceptAll(ctx context.Context, tx *store.Tx, u store.User, created bool) error {
	vs, err := tx.PendingInvitationsFor(ctx, u.Email)
	if err != nil {
		return err
	}
	from := request.From(ctx).ClientIP
	company := s.set.Get().CompanyName
	var accepted []store.Invitation
	for _, v := range vs {
		// One whose link does not work now (its inviter deactivated, its group archived,
		// the extranet off) stays pending: it comes back to life with its cause.
		if s.problem(v) != "" {
			continue
		}
		accepted = append(accepted, v)
		if v.GroupID != "" {
			g, err := tx.VisibleGroup(ctx, store.System(), v.GroupID)
			if err != nil {
				return err
			}
			_, state, err := tx.MembershipOf(ctx, g.ID, u.ID)
			if err != nil {
				return err
			}
			if state != store.MemberActive && (u.Kind == store.KindEmployee || g.Kind == store.GroupExtranet) {
				if err := tx.PutMembership(ctx, g.ID, u.ID, store.RoleMember, store.MemberActive); err != nil {
					return err
				}
			}
		}
		if err := tx.AcceptInvitation(ctx, v.ID, u.ID, from); err != nil {
			return err
		}
		details := invitationDetails(v)
		if created {
			details["account"] = "created"
		}
		if err := audit.Log(ctx, tx, store.ActorFor(u), audit.InvitationAccepted, invitationObject(v), details); err != nil {
			return err
		}
		inviter, err := tx.UserTx(ctx, store.System(), v.InviterID)
		if err != nil {
			return err
		}
		group := v.GroupName
		link := strings.TrimRight(s.set.Get().BaseURL, "/") + "/groups/" + v.GroupID
		if group == "" {
			group, link = company, strings.TrimRight(s.set.Get().BaseURL, "/")+"/people/"+u.ID
		}
		subject, text, html := mail.Compose(mail.Letter{Kind: "accepted", Locale: inviter.Locale, Company: company,
			Params: map[string]any{"name": u.Name, "email": u.Email, "group": group}, Link: link})
		err = tx.EnqueueMail(ctx, &store.Mail{Kind: "accepted", To: inviter.MailTo, Subject: subject, Text: text, HTML: html},
			s.mailDomain())
		if err != nil {
			return err
		}
	}
	return s.settleAccess(ctx, tx, u, created, accepted)
}

// settleAccess gives an external account its access date as it accepts
// (docs/access-expiry.md): a new account the latest date its invitations chose, or else
// the company's default number of days from now; an account she already had takes a
// chosen date only when it is later than her own, never an earlier one, and never one
// where she has none.
func (s *Service) settleAccess(ctx context.Context, tx *store.Tx, u store.User, created bool, vs []store.Invitation) error {
	if u.Kind != store.KindExternal {
		return nil
	}
	var chosen *time.Time
	for _, v := range vs {
		if v.AccessExpiresAt != nil && (chosen == nil || v.AccessExpiresAt.After(*chosen)) {
			chosen = v.AccessExpiresAt
		}
	}
	switch days := s.set.Get().AccessDays; {
	case created && chosen == nil && days > 0:
		t := tx.Now().Add(time.Duration(days) * 24 * time.Hour)
		chosen = &t
	case created:
	case chosen == nil || u.AccessExpiresAt == nil || !chosen.After(*u.AccessExpiresAt):
		return nil
	}
	if chosen == nil {
		return nil
	}
	return tx.SetAccessExpiry(ctx, u.ID, chosen)
}
