// Package invites is invitations by e-mail (PRODUCT.md §4): the inviter's side (send,
// list, resend, revoke, copy the link) and the invited person's (look the link up,
// decline, register or sign in and accept).
package invites

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/groups"
	"annex/app/i18n"
	"annex/app/licence"
	"annex/app/mail"
	"annex/app/people"
	"annex/app/settings"
	"annex/store"
)

// Limits of PRODUCT.md §4.
const (
	DefaultValidHours = 7 * 24
	MaxValidHours     = 30 * 24
	MaxBatch          = 50
)

// Limits bounds how many invitations one person sends an hour.
type Limits struct {
	PerHour      int
	AdminPerHour int
}

// Service serves invitations.
type Service struct {
	st       *store.Store
	set      *settings.Service
	hasher   *auth.Hasher
	sessions *auth.Sessions
	limits   Limits
}

// New returns the invitations service.
func New(st *store.Store, set *settings.Service, h *auth.Hasher, s *auth.Sessions, l Limits) *Service {
	return &Service{st: st, set: set, hasher: h, sessions: s, limits: l}
}

// newToken returns a link's secret (256 random bits) and the hash that is stored.
func newToken() (string, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// link is the address the mail carries. The token rides in the fragment, which
// browsers never send, so it stays out of server and proxy logs.
func (s *Service) link(tok string) string {
	return strings.TrimRight(s.set.Get().BaseURL, "/") + "/invite#token=" + tok
}

func (s *Service) mailDomain() string { return s.set.Get().MailDomain() }

// enqueueInvitation writes the invitation's mail in the transaction that makes it.
func (s *Service) enqueueInvitation(ctx context.Context, tx *store.Tx, v store.Invitation, inviter store.User, tok string) error {
	group := v.GroupName
	if group == "" {
		group = s.set.Get().CompanyName
	}
	subject, text, html := mail.Compose(mail.Letter{Kind: "invitation", Locale: v.Locale, Company: s.set.Get().CompanyName,
		Params: map[string]any{"inviter": inviter.Name, "group": group,
			"expires": v.ExpiresAt.UTC().Format("2006-01-02 15:04") + " UTC"},
		Link: s.link(tok), Note: v.Message, NoteBy: inviter.Name})
	// To the address as typed: its identity key may spell another mailbox.
	return tx.EnqueueMail(ctx, &store.Mail{Kind: "invitation", To: v.MailTo, Subject: subject, Text: text, HTML: html},
		s.mailDomain())
}

// rateLimit refuses a batch that would take the inviter past their hourly limit.
func (s *Service) rateLimit(ctx context.Context, tx *store.Tx, a store.Actor, n int) error {
	limit := s.limits.PerHour
	if a.Admin {
		limit = s.limits.AdminPerHour
	}
	sent, err := tx.InvitationsSentSince(ctx, a.UserID, tx.Now().Add(-time.Hour))
	if err != nil {
		return err
	}
	if sent+n > limit {
		e := apperr.TooMany("invitations_rate_limited", 10*time.Minute)
		e.Params = map[string]any{"limit": limit}
		return e
	}
	return nil
}

// Invitee is one address to invite.
type Invitee struct {
	Email string `json:"email" maxLength:"254"`
	Name  string `json:"name,omitempty" maxLength:"200" doc:"Shown in the invitation and offered at registration"`
}

// BatchBody is what an inviter sends.
type BatchBody struct {
	Invitees   []Invitee `json:"invitees" minItems:"1" maxItems:"50"`
	Kind       string    `json:"kind" enum:"employee,external" doc:"Chosen explicitly; only administrators invite employees"`
	Message    string    `json:"message,omitempty" maxLength:"2000" doc:"A personal note quoted in the mail"`
	ValidHours int       `json:"validHours,omitempty" minimum:"1" maximum:"720" doc:"How long the link works: 1 hour to 30 days; 7 days when left out"`
	Locale     string    `json:"locale,omitempty" enum:"en,ru," doc:"The language of the mail; the inviter's when left out"`
	// The date an external user's access ends; left out, the company's default applies
	// (docs/access-expiry.md).
	AccessExpiresAt *time.Time `json:"accessExpiresAt,omitempty" doc:"External users only: when the access this invitation gives ends; the company's default when left out"`
}

// Outcome is what became of one address of a batch.
type Outcome struct {
	Email      string      `json:"email"`
	Invited    bool        `json:"invited"`
	Code       string      `json:"code,omitempty" doc:"Why not, when not invited"`
	Message    string      `json:"message,omitempty"`
	Invitation *Invitation `json:"invitation,omitempty"`
	Link       string      `json:"link,omitempty" doc:"The link the mail carries, for an administrator to copy and pass on by other means; never given to anyone else"`
}

// invite sends a batch into groupID ("" for the company only, administrators). Each
// address is its own transaction, so one refusal does not undo the others.
func (s *Service) invite(ctx context.Context, groupID string, b BatchBody) ([]Outcome, error) {
	a := auth.ActorFrom(ctx)
	inviter := auth.CurrentFrom(ctx).User
	if b.ValidHours == 0 {
		b.ValidHours = DefaultValidHours
	}
	// The group first: one the actor cannot see is not found, whoever asks.
	var g store.Group
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if groupID == "" {
			return nil
		}
		var err error
		if g, err = tx.VisibleGroup(ctx, a, groupID); err != nil {
			return err
		}
		role, state, err := tx.MembershipOf(ctx, g.ID, a.UserID)
		switch {
		case err != nil:
			return err
		case a.Kind != store.KindEmployee:
			return apperr.Forbidden("external_cannot_invite")
		case !groups.MayInvite(a, g, role, state):
			return apperr.Forbidden("not_allowed_to_invite")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	message := strings.TrimSpace(b.Message)
	switch {
	case a.Kind != store.KindEmployee:
		return nil, apperr.Forbidden("external_cannot_invite")
	case b.Kind == store.KindEmployee && !a.Admin:
		return nil, apperr.Forbidden("admins_invite_employees")
	case b.Kind == store.KindExternal && !s.set.Get().ExtranetEnabled:
		return nil, apperr.New(http.StatusConflict, "extranet_off", nil)
	case b.Kind == store.KindExternal && groupID == "":
		return nil, apperr.Invalid(apperr.FieldErr("body.groupId", "external_needs_group", nil))
	case g.Archived:
		return nil, apperr.New(http.StatusConflict, "group_archived", nil)
	case b.Kind == store.KindExternal && g.Kind != store.GroupExtranet:
		return nil, apperr.Invalid(apperr.FieldErr("body.kind", "external_needs_extranet_group", nil))
	case strings.IndexFunc(message, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }) >= 0:
		return nil, apperr.Invalid(apperr.FieldErr("body.message", "invalid_characters", nil))
	case b.AccessExpiresAt != nil && b.Kind != store.KindExternal:
		return nil, apperr.Invalid(apperr.FieldErr("body.accessExpiresAt", "access_date_for_external", nil))
	case b.AccessExpiresAt != nil:
		var fields apperr.Fields
		people.CheckAccessDate(a, s.set.Get().AccessDays, s.st.Now(), b.AccessExpiresAt, "body.accessExpiresAt", &fields)
		if err := fields.Err(); err != nil {
			return nil, err
		}
	}
	err = s.st.Tx(ctx, func(tx *store.Tx) error { return s.rateLimit(ctx, tx, a, len(b.Invitees)) })
	if err != nil {
		return nil, err
	}
	groupName := g.Name
	loc := i18n.From(ctx)
	mailLocale := b.Locale
	if mailLocale == "" {
		mailLocale = inviter.Locale
	}
	lic := licence.Current(s.set.Get().Licence)
	seen := map[string]bool{}
	out := make([]Outcome, 0, len(b.Invitees))
	for _, in := range b.Invitees {
		var fields apperr.Fields
		email := auth.CleanEmail(in.Email, "email", &fields)
		name := strings.Join(strings.Fields(in.Name), " ")
		o := Outcome{Email: email}
		refuse := func(code string, params map[string]any) {
			o.Code, o.Message = code, i18n.T(loc, "error."+code, params)
		}
		switch {
		case len(fields) > 0:
			o.Email = strings.TrimSpace(in.Email)
			refuse("invalid_email", nil)
		case seen[store.EmailKey(email)]:
			refuse("duplicate_in_batch", nil)
		default:
			seen[store.EmailKey(email)] = true
			err := s.inviteOne(ctx, a, inviter, lic, store.Invitation{Email: email, Name: name, Kind: b.Kind,
				GroupID: groupID, GroupName: groupName, InviterID: a.UserID, Message: message, Locale: mailLocale,
				ValidHours: b.ValidHours, AccessExpiresAt: b.AccessExpiresAt}, g.Kind == store.GroupInternal, &o)
			var ae *apperr.Error
			switch {
			case err == nil:
				o.Invited = true
			case asAppErr(err, &ae):
				refuse(ae.Code, ae.Params)
			default:
				return nil, err
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// inviteOne makes one invitation, claiming its seat, in its own transaction. To
// administrators it says when the address is already a member or invited; anyone
// else gets the same answer whatever the address, so the form reveals nobody.
func (s *Service) inviteOne(ctx context.Context, a store.Actor, inviter store.User, lic licence.Licence,
	v store.Invitation, internal bool, o *Outcome) error {
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		if a.Admin {
			if v.GroupID != "" {
				if member, err := tx.ActiveMemberByEmail(ctx, v.GroupID, v.Email); err != nil {
					return err
				} else if member {
					return apperr.New(http.StatusConflict, "invitee_already_member", nil)
				}
			}
			if internal && tx.ExternalAccount(ctx, v.Email) {
				return apperr.New(http.StatusConflict, "invitee_external_account", nil)
			}
			if live, err := tx.LiveInvitationExists(ctx, v.Email, v.GroupID); err != nil {
				return err
			} else if live {
				return apperr.New(http.StatusConflict, "already_invited", nil)
			}
		}
		claim := licence.ClaimBlind(ctx, tx, lic, v.Email)
		if a.Admin {
			claim = licence.Claim(ctx, tx, lic, v.Email, true)
		}
		if claim != nil {
			return claim
		}
		tok, hash := newToken()
		if err := tx.CreateInvitation(ctx, &v, hash); err != nil {
			return err
		}
		if err := s.enqueueInvitation(ctx, tx, v, inviter, tok); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, a, audit.InvitationSent, invitationObject(v), invitationDetails(v)); err != nil {
			return err
		}
		v.Inviter, v.InviterActive = &inviter, true
		iv := s.invitationOf(a, v)
		o.Invitation = &iv
		// The link goes to the mailbox; only an administrator may hold it too. In anyone
		// else's hands its public page would tell whether the address has an account.
		if a.Admin {
			o.Link = s.link(tok)
		}
		return nil
	})
}

// invitationObject names an invitation in the activity log: its address, and its group
// for filtering by group.
func invitationObject(v store.Invitation) store.Object {
	return store.Object{Type: "invitation", ID: v.ID, Label: v.Email, GroupID: v.GroupID}
}

// invitationDetails are the facts of an invitation worth keeping in the log: the kind
// of account and the group's name at the time.
func invitationDetails(v store.Invitation) map[string]string {
	d := map[string]string{"kind": v.Kind}
	if v.GroupName != "" {
		d["group"] = v.GroupName
	}
	if v.AccessExpiresAt != nil {
		d["accessExpiresAt"] = v.AccessExpiresAt.UTC().Format(time.RFC3339)
	}
	return d
}
