package people

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// Access expiry (PRODUCT.md §6, docs/access-expiry.md): when an external user's access
// ends. Administrators set any date or none; the people who invited her set one within
// the company's policy (no later than its number of days from today, and never none
// while there is a policy). Everyone else never sees the date.

// DefaultExtendDays is how far one extension reaches when the company has no policy.
const DefaultExtendDays = 30

// maxAccessAhead bounds every date, so that a typo of a year is caught.
const maxAccessAhead = 10 * 366 * 24 * time.Hour

// Access is what the viewer may know and do about a person's access date: present for
// external users, to administrators and the people who invited her.
type Access struct {
	ExpiresAt *time.Time `json:"expiresAt,omitempty" doc:"When her access ends; absent: it does not"`
	Latest    *time.Time `json:"latest,omitempty" doc:"The latest date the viewer may set; absent: no limit"`
	MayClear  bool       `json:"mayClear" doc:"Whether the viewer may remove the date"`
	ExtendTo  *time.Time `json:"extendTo,omitempty" doc:"The date one extension gives; absent: it cannot be extended further by the viewer"`
}

// AccessPolicy is the company's rule for access dates: Days after acceptance (0: none).
type AccessPolicy func() int

// accessRights is what a (an administrator, or an inviter of the person when inviter)
// may do with an access date now.
func accessRights(a store.Actor, policyDays int, now time.Time) (latest *time.Time, mayClear bool) {
	if a.Admin || policyDays == 0 {
		return nil, true
	}
	l := now.Add(time.Duration(policyDays) * 24 * time.Hour)
	return &l, false
}

// CheckAccessDate validates a date a may set (nil: none) at now, under the policy;
// location names the field. Inviting uses it too.
func CheckAccessDate(a store.Actor, policyDays int, now time.Time, at *time.Time, location string, fields *apperr.Fields) {
	latest, mayClear := accessRights(a, policyDays, now)
	switch {
	case at == nil && !mayClear:
		fields.Add(location, "access_date_required", map[string]any{"days": policyDays})
	case at == nil:
	case !at.After(now):
		fields.Add(location, "access_date_past", nil)
	case at.After(now.Add(maxAccessAhead)):
		fields.Add(location, "access_date_too_far", nil)
	case latest != nil && at.After(*latest):
		fields.Add(location, "access_date_beyond_policy", map[string]any{"days": policyDays,
			"latest": latest.UTC().Format(time.DateOnly)})
	}
}

// extendTo is the date one extension gives: the policy's days (or DefaultExtendDays)
// after the later of today and the current date, no later than the viewer's limit; nil
// when there is no date or the result is no later than it.
func extendTo(current *time.Time, latest *time.Time, policyDays int, now time.Time) *time.Time {
	if current == nil {
		return nil // no date to push back: adding one would shorten her access
	}
	days := policyDays
	if days == 0 {
		days = DefaultExtendDays
	}
	base := now
	if current.After(now) {
		base = *current
	}
	to := base.Add(time.Duration(days) * 24 * time.Hour)
	if latest != nil && to.After(*latest) {
		to = *latest
	}
	if !to.After(*current) {
		return nil
	}
	return &to
}

// accessOf is the Access the viewer gets for u, or nil.
func accessOf(a store.Actor, u store.User, inviter bool, policyDays int, now time.Time) *Access {
	if u.Kind != store.KindExternal || !a.Admin && !inviter {
		return nil
	}
	latest, mayClear := accessRights(a, policyDays, now)
	return &Access{ExpiresAt: u.AccessExpiresAt, Latest: latest, MayClear: mayClear,
		ExtendTo: extendTo(u.AccessExpiresAt, latest, policyDays, now)}
}

// withAccess fills the access dates of the people the viewer may know them of.
func (s *Service) withAccess(ctx context.Context, a store.Actor, us []store.User, ps []Person) error {
	var ids []string
	for _, u := range us {
		if u.Kind == store.KindExternal {
			ids = append(ids, u.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	invited := map[string]bool{}
	if !a.Admin && a.Kind == store.KindEmployee {
		var err error
		if invited, err = s.st.InvitedBy(ctx, a, ids); err != nil {
			return err
		}
	}
	days, now := s.policy(), s.st.Now()
	for i, u := range us {
		ps[i].Access = accessOf(a, u, invited[u.ID], days, now)
	}
	return nil
}

type accessInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		ExpiresAt *time.Time `json:"expiresAt" required:"false" nullable:"true" doc:"When her access ends; null removes the date"`
	}
}

func (s *Service) accessRoutes(api huma.API) {
	tags := []string{"People"}
	huma.Register(api, huma.Operation{OperationID: "setAccessExpiry", Method: http.MethodPut, Path: "/people/{id}/access-expiry",
		Summary: "Set or remove the date an external user's access ends",
		Description: "Administrators set any date or none; the people who invited her set one within the company's policy " +
			"(docs/access-expiry.md). Past the date she is refused at once and then deactivated.",
		Tags: tags}, s.setAccess)
	huma.Register(api, huma.Operation{OperationID: "extendAccess", Method: http.MethodPost, Path: "/people/{id}/access-expiry/extend",
		Summary:     "Extend an external user's access by the company's number of days",
		Description: "The new date is the one the person's access.extendTo announced.", Tags: tags}, s.extendAccess)
}

// changeAccess runs change on the date of a person the actor may see and manage the
// access of, in one transaction, logging the change.
func (s *Service) changeAccess(ctx context.Context, id string,
	change func(cur *Access, now time.Time) (*time.Time, error)) (*personOutput, error) {
	a := auth.ActorFrom(ctx)
	var u store.User
	var view *Access
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserTx(ctx, a, id); err != nil {
			return err
		}
		inviter := false
		if !a.Admin {
			invited, err := s.st.InvitedBy(ctx, a, []string{u.ID})
			if err != nil {
				return err
			}
			inviter = invited[u.ID] && a.Kind == store.KindEmployee
		}
		now := tx.Now()
		cur := accessOf(a, u, inviter, s.policy(), now)
		switch {
		case u.Kind != store.KindExternal && (a.Admin || inviter):
			return apperr.New(http.StatusConflict, "access_date_not_external", nil)
		case cur == nil:
			return apperr.Forbidden("access_date_not_yours")
		}
		at, err := change(cur, now)
		if err != nil {
			return err
		}
		was := u.AccessExpiresAt
		if err := tx.SetAccessExpiry(ctx, u.ID, at); err != nil {
			return err
		}
		u.AccessExpiresAt = at
		view = accessOf(a, u, inviter, s.policy(), now)
		return audit.Log(ctx, tx, a, audit.AccessExpirySet, audit.User(u.ID, u.Email),
			map[string]string{"expiresAt": dateOrNone(at), "was": dateOrNone(was)})
	})
	if err != nil {
		return nil, err
	}
	p := PersonOf(u)
	p.Access = view
	return &personOutput{Body: p}, nil
}

func dateOrNone(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Service) setAccess(ctx context.Context, in *accessInput) (*personOutput, error) {
	return s.changeAccess(ctx, in.ID, func(_ *Access, now time.Time) (*time.Time, error) {
		var fields apperr.Fields
		CheckAccessDate(auth.ActorFrom(ctx), s.policy(), now, in.Body.ExpiresAt, "body.expiresAt", &fields)
		return in.Body.ExpiresAt, fields.Err()
	})
}

func (s *Service) extendAccess(ctx context.Context, in *getInput) (*personOutput, error) {
	return s.changeAccess(ctx, in.ID, func(cur *Access, _ time.Time) (*time.Time, error) {
		if cur.ExtendTo == nil {
			return nil, apperr.New(http.StatusConflict, "access_not_extendable", nil)
		}
		return cur.ExtendTo, nil
	})
}
