package invites

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/licence"
	"annex/app/people"
	"annex/store"
)

// Invitation is an invitation as its inviter, the group's managers and administrators
// see it.
type Invitation struct {
	ID           string      `json:"id"`
	Email        string      `json:"email"`
	Name         string      `json:"name"`
	Kind         string      `json:"kind" enum:"employee,external"`
	GroupID      string      `json:"groupId" doc:"Empty for an invitation into the company only"`
	GroupName    string      `json:"groupName"`
	Inviter      *people.Ref `json:"inviter,omitempty" doc:"Who sent it last; left out when you may not see them (Hidden user)"`
	State        string      `json:"state" enum:"pending,accepted,declined,revoked,expired"`
	Problem      string      `json:"problem" enum:"inviter_inactive,group_archived,extranet_off,access_ended," doc:"Why a pending link does not work now; empty when it does"`
	CreatedAt    string      `json:"createdAt"`
	SentAt       string      `json:"sentAt"`
	ExpiresAt    string      `json:"expiresAt"`
	LinkCopiedAt string      `json:"linkCopiedAt" doc:"When an administrator last copied the link; empty if never"`
	ClosedAt     string      `json:"closedAt" doc:"When it was accepted, declined or revoked"`
	AcceptedBy   *people.Ref `json:"acceptedBy,omitempty" doc:"The account that accepted it; left out when none did or you may not see them"`
	AcceptedFrom string      `json:"acceptedFrom" doc:"The network address it was accepted from: administrators only, empty for others"`
	AccessUntil  string      `json:"accessExpiresAt" doc:"When the access it gives ends, if chosen when inviting; empty: the company's default"`
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// problem says why a pending invitation's link does not work now (docs/invitations.md):
// its inviter's account was deactivated, its group archived, or the extranet switched
// off for an external user. These are read at request time, so the link comes back to
// life when the cause goes.
func (s *Service) problem(v store.Invitation) string {
	switch {
	case v.State != store.InvitePending && v.State != store.InviteExpired:
		return ""
	case !v.InviterActive:
		return "inviter_inactive"
	case v.GroupArchived:
		return "group_archived"
	case v.Kind == store.KindExternal && !s.set.Get().ExtranetEnabled:
		return "extranet_off"
	case v.AccessExpiresAt != nil && !s.st.Now().Before(*v.AccessExpiresAt):
		return "access_ended"
	}
	return ""
}

// invitationOf renders an invitation for the actor a.
func (s *Service) invitationOf(a store.Actor, v store.Invitation) Invitation {
	out := Invitation{ID: v.ID, Email: v.Email, Name: v.Name, Kind: v.Kind, GroupID: v.GroupID, GroupName: v.GroupName,
		Inviter: people.RefOf(v.Inviter), State: v.State, Problem: s.problem(v), CreatedAt: stamp(&v.CreatedAt),
		SentAt: stamp(&v.SentAt), ExpiresAt: stamp(&v.ExpiresAt), LinkCopiedAt: stamp(v.LinkCopiedAt),
		ClosedAt: stamp(v.ClosedAt), AcceptedBy: people.RefOf(v.Acceptor), AccessUntil: stamp(v.AccessExpiresAt)}
	if a.Admin {
		out.AcceptedFrom = v.AcceptedFrom
	}
	return out
}

func asAppErr(err error, ae **apperr.Error) bool {
	if errors.Is(err, store.ErrNotFound) {
		*ae = apperr.NotFound()
		return true
	}
	return errors.As(err, ae)
}

type groupBatchInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body BatchBody
}

type adminBatchInput struct {
	Body struct {
		BatchBody
		GroupID string `json:"groupId,omitempty" maxLength:"32" doc:"The group to invite into; required for external users"`
	}
}

type batchOutput struct {
	Body struct {
		Results   []Outcome `json:"results"`
		MailToLog bool      `json:"mailToLog" doc:"No SMTP server is set: the invitations were written to the server log, not mailed, and an administrator has to pass their links on"`
	}
}

type listInput struct {
	GroupID string `query:"groupId" maxLength:"32"`
	State   string `query:"state" enum:"pending,accepted,declined,revoked,expired,"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// InvitationPage is one page of invitations.
type InvitationPage struct {
	Items   []Invitation `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
}

type listOutput struct{ Body InvitationPage }

type idInput struct {
	ID string `path:"id" maxLength:"32"`
}

type resendInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body *struct {
		ValidHours int `json:"validHours,omitempty" minimum:"1" maximum:"720" doc:"How long the new link works; as before when left out"`
	}
}

type linkOutput struct {
	Body struct {
		Invitation Invitation `json:"invitation"`
		Link       string     `json:"link,omitempty" doc:"The new link, for administrators only (everyone else's goes to the mailbox alone); the old one no longer works"`
	}
}

type invitationOutput struct{ Body Invitation }

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Invitations"}
	huma.Register(api, huma.Operation{OperationID: "inviteToGroup", Method: http.MethodPost, Path: "/groups/{id}/invitations",
		Summary: "Invite people into a group by e-mail",
		Description: "Each address gets its own answer. Only administrators invite employees; external users are " +
			"invited into extranet groups only.", Tags: tags}, s.inviteToGroup)
	huma.Register(api, huma.Operation{OperationID: "inviteAsAdmin", Method: http.MethodPost, Path: "/admin/invitations",
		Summary: "Invite people by e-mail from the users admin page", Tags: []string{"Admin"}}, s.inviteAsAdmin)
	huma.Register(api, huma.Operation{OperationID: "listInvitations", Method: http.MethodGet, Path: "/invitations",
		Summary:     "Invitations you sent, those of the groups you manage, or (administrators) all",
		Description: "An invitation whose link has run out is listed as expired.", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "resendInvitation", Method: http.MethodPost, Path: "/invitations/{id}/resend",
		Summary: "Send an invitation again with a new link; the old link stops working", Tags: tags}, s.resend)
	huma.Register(api, huma.Operation{OperationID: "revokeInvitation", Method: http.MethodPost, Path: "/invitations/{id}/revoke",
		Summary: "Revoke an invitation; its link stops working and its seat is freed", Tags: tags}, s.revoke)
	huma.Register(api, huma.Operation{OperationID: "invitationLinkCopied", Method: http.MethodPost,
		Path: "/invitations/{id}/link-copied", Summary: "Record that the inviter copied the link to pass it on",
		Tags: tags, DefaultStatus: http.StatusNoContent}, s.linkCopied)
	s.publicRoutes(api)
}

func (s *Service) inviteToGroup(ctx context.Context, in *groupBatchInput) (*batchOutput, error) {
	rs, err := s.invite(ctx, in.ID, in.Body)
	if err != nil {
		return nil, err
	}
	out := &batchOutput{}
	out.Body.Results, out.Body.MailToLog = rs, !s.set.Get().SMTP.Enabled
	return out, nil
}

func (s *Service) inviteAsAdmin(ctx context.Context, in *adminBatchInput) (*batchOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	rs, err := s.invite(ctx, in.Body.GroupID, in.Body.BatchBody)
	if err != nil {
		return nil, err
	}
	out := &batchOutput{}
	out.Body.Results, out.Body.MailToLog = rs, !s.set.Get().SMTP.Enabled
	return out, nil
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	vs, total, err := s.st.Invitations(ctx, auth.ActorFrom(ctx), store.InvitationFilter{GroupID: in.GroupID,
		State: in.State, Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage})
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: InvitationPage{Items: make([]Invitation, 0, len(vs)), Total: total, Page: in.Page,
		PerPage: in.PerPage}}
	for _, v := range vs {
		out.Body.Items = append(out.Body.Items, s.invitationOf(auth.ActorFrom(ctx), v))
	}
	return out, nil
}

// open loads an invitation the actor may see (else not found) and that is still open
// (pending or expired; else conflict).
func open(ctx context.Context, tx *store.Tx, a store.Actor, id string) (store.Invitation, error) {
	v, err := tx.InvitationTx(ctx, a, id)
	if err != nil {
		return v, err
	}
	if v.State != store.InvitePending && v.State != store.InviteExpired {
		return v, apperr.New(http.StatusConflict, "invitation_closed", nil)
	}
	return v, nil
}

func (s *Service) resend(ctx context.Context, in *resendInput) (*linkOutput, error) {
	a := auth.ActorFrom(ctx)
	out := &linkOutput{}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := open(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		switch {
		case v.GroupArchived:
			return apperr.New(http.StatusConflict, "group_archived", nil)
		case v.Kind == store.KindExternal && !s.set.Get().ExtranetEnabled:
			return apperr.New(http.StatusConflict, "extranet_off", nil)
		}
		if err := s.rateLimit(ctx, tx, a, 1); err != nil {
			return err
		}
		// An expired invitation holds no seat any more: it claims one again.
		if v.State == store.InviteExpired {
			if err := licence.Claim(ctx, tx, licence.Current(s.set.Get().Licence), v.Email, a.Admin); err != nil {
				return err
			}
		}
		if in.Body != nil && in.Body.ValidHours > 0 {
			v.ValidHours = in.Body.ValidHours
		}
		// Whoever sends it again answers for it now: the mail names them, and the link
		// works while their account does.
		inviter := auth.CurrentFrom(ctx).User
		tok, hash := newToken()
		if v.ExpiresAt, err = tx.RenewInvitation(ctx, v.ID, inviter.ID, hash, v.ValidHours); err != nil {
			return err
		}
		if err := s.enqueueInvitation(ctx, tx, v, inviter, tok); err != nil {
			return err
		}
		v.State, v.SentAt, v.LinkCopiedAt = store.InvitePending, tx.Now(), nil
		v.InviterID, v.Inviter, v.InviterActive = inviter.ID, &inviter, true
		out.Body.Invitation = s.invitationOf(a, v)
		if a.Admin {
			out.Body.Link = s.link(tok)
		}
		return audit.Log(ctx, tx, a, audit.InvitationResent, invitationObject(v), invitationDetails(v))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) revoke(ctx context.Context, in *idInput) (*invitationOutput, error) {
	a := auth.ActorFrom(ctx)
	var v store.Invitation
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if v, err = open(ctx, tx, a, in.ID); err != nil {
			return err
		}
		if err := tx.CloseInvitation(ctx, v.ID, store.InviteRevoked); err != nil {
			return err
		}
		now := tx.Now()
		v.State, v.ClosedAt = store.InviteRevoked, &now
		return audit.Log(ctx, tx, a, audit.InvitationRevoked, invitationObject(v), invitationDetails(v))
	})
	if err != nil {
		return nil, err
	}
	return &invitationOutput{Body: s.invitationOf(a, v)}, nil
}

func (s *Service) linkCopied(ctx context.Context, in *idInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := open(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		// Only administrators are given links (a link in anyone else's hands would tell
		// them whether the address has an account): there is nothing else to copy.
		if !a.Admin {
			return apperr.Forbidden("link_admins_only")
		}
		if err := tx.LinkCopied(ctx, v.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.InvitationLinkCopied, invitationObject(v), invitationDetails(v))
	})
}
