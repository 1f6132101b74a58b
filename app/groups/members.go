package groups

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/people"
	"annex/store"
)

type memberInput struct {
	ID     string `path:"id" maxLength:"32"`
	UserID string `path:"userId" maxLength:"32"`
}

func (s *Service) memberRoutes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "joinGroup", Method: http.MethodPost, Path: "/groups/{id}/join",
		Summary: "Join an open group, ask to join a closed one, or accept an invitation", Tags: tags}, s.join)
	huma.Register(api, huma.Operation{OperationID: "leaveGroup", Method: http.MethodPost, Path: "/groups/{id}/leave",
		Summary: "Leave a group, withdraw a request or decline an invitation", Tags: tags,
		DefaultStatus: http.StatusNoContent}, s.leave)
	huma.Register(api, huma.Operation{OperationID: "removeGroupMember", Method: http.MethodDelete,
		Path: "/groups/{id}/members/{userId}", Summary: "Remove a member, refuse a request or withdraw an invitation",
		Description: "For the group's owner, its moderators and administrators. Access ends at the person's next request.",
		Tags:        tags, DefaultStatus: http.StatusNoContent}, s.remove)
}

func (s *Service) join(ctx context.Context, in *idInput) (*groupOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		g, err := tx.VisibleGroup(ctx, a, in.ID)
		if err != nil {
			return err
		}
		role, state, err := tx.MembershipOf(ctx, g.ID, a.UserID)
		if err != nil {
			return err
		}
		next := store.MemberActive
		switch {
		case state == store.MemberActive:
			return apperr.New(http.StatusConflict, "already_member", nil)
		case state == store.MemberRequested:
			return apperr.New(http.StatusConflict, "already_requested", nil)
		case g.Archived:
			return apperr.New(http.StatusConflict, "group_archived", nil)
		case state == store.MemberInvited: // accepting keeps the role invited to
		case g.Kind == store.GroupExtranet || g.Visibility == store.VisibilitySecret:
			return apperr.Forbidden("invitation_only")
		case g.Visibility == store.VisibilityClosed:
			role, next = store.RoleMember, store.MemberRequested
		default:
			role = store.RoleMember
		}
		if err := tx.PutMembership(ctx, g.ID, a.UserID, role, next); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupJoined, audit.Group(g.ID, g.Name), map[string]string{"state": next})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, in)
}

func (s *Service) leave(ctx context.Context, in *idInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		g, err := tx.VisibleGroup(ctx, a, in.ID)
		if err != nil {
			return err
		}
		role, state, err := tx.MembershipOf(ctx, g.ID, a.UserID)
		switch {
		case err != nil:
			return err
		case state == "":
			return apperr.New(http.StatusConflict, "not_member", nil)
		case role == store.RoleOwner:
			return apperr.New(http.StatusConflict, "owner_cannot_leave", nil)
		}
		if err := tx.DeleteMembership(ctx, g.ID, a.UserID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupLeft, audit.Group(g.ID, g.Name), nil)
	})
}

// memberOf loads, inside a write, a person through the fence and their membership of
// the group (role and state empty when they hold none). A person the actor may not see
// is not found, exactly like an unknown id, whatever their membership: a manager
// cannot approve, remove or promote someone hidden from them (a requester deactivated
// since, say).
func memberOf(ctx context.Context, tx *store.Tx, a store.Actor, groupID, userID string) (u store.User, role, state string, err error) {
	if u, err = tx.UserTx(ctx, a, userID); err != nil {
		return u, "", "", err
	}
	role, state, err = tx.MembershipOf(ctx, groupID, u.ID)
	return u, role, state, err
}

func (s *Service) remove(ctx context.Context, in *memberInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		g, owner, err := managedGroup(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		u, role, state, err := memberOf(ctx, tx, a, g.ID, in.UserID)
		switch {
		case err != nil:
			return err
		case state == "":
			return apperr.NotFound()
		case role == store.RoleOwner:
			return apperr.New(http.StatusConflict, "cannot_remove_owner", nil)
		case role == store.RoleModerator && !owner:
			return apperr.Forbidden("moderator_cannot_remove_moderator")
		}
		if err := tx.DeleteMembership(ctx, g.ID, in.UserID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupMemberRemoved, audit.Member(u, g.ID), map[string]string{"group": g.Name, "state": state})
	})
}

type inviteInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		UserID string `json:"userId" maxLength:"32" doc:"An employee; external users are invited by e-mail"`
	}
}

type memberOutput struct{ Body Member }

func (s *Service) inviteRoutes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "inviteGroupMember", Method: http.MethodPost, Path: "/groups/{id}/members",
		Summary: "Invite an employee into the group; they accept or decline", Tags: tags,
		DefaultStatus: http.StatusCreated}, s.invite)
	huma.Register(api, huma.Operation{OperationID: "approveGroupMember", Method: http.MethodPost,
		Path: "/groups/{id}/members/{userId}/approve", Summary: "Approve a request to join", Tags: tags}, s.approve)
}

// memberView answers with one member as the actor sees them.
func (s *Service) memberView(ctx context.Context, a store.Actor, groupID, userID string) (*memberOutput, error) {
	ms, _, err := s.st.GroupMembers(ctx, a, groupID, 0, 1000)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.User.ID == userID {
			return &memberOutput{Body: Member{Person: people.PersonOf(m.User), Role: m.Role, State: m.State}}, nil
		}
	}
	return nil, apperr.NotFound()
}

func (s *Service) invite(ctx context.Context, in *inviteInput) (*memberOutput, error) {
	a := auth.ActorFrom(ctx)
	var u store.User
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		g, err := tx.VisibleGroup(ctx, a, in.ID)
		if err != nil {
			return err
		}
		role, state, err := tx.MembershipOf(ctx, g.ID, a.UserID)
		switch {
		case err != nil:
			return err
		case !MayInvite(a, g, role, state):
			return apperr.Forbidden("not_allowed_to_invite")
		case g.Archived:
			return apperr.New(http.StatusConflict, "group_archived", nil)
		}
		if u, err = tx.UserTx(ctx, a, in.Body.UserID); err != nil {
			return err
		}
		if u.Kind != store.KindEmployee {
			return apperr.Invalid(apperr.FieldErr("body.userId", "external_by_email", nil))
		}
		if _, state, err := tx.MembershipOf(ctx, g.ID, u.ID); err != nil {
			return err
		} else if state != "" {
			return apperr.New(http.StatusConflict, "already_member", nil)
		}
		if err := tx.PutMembership(ctx, g.ID, u.ID, store.RoleMember, store.MemberInvited); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupMemberAdded, audit.Member(u, g.ID), map[string]string{"group": g.Name, "state": store.MemberInvited})
	})
	if err != nil {
		return nil, err
	}
	// Answered directly: an inviter who is a plain member does not see pending members.
	return &memberOutput{Body: Member{Person: people.PersonOf(u), Role: store.RoleMember, State: store.MemberInvited}}, nil
}

func (s *Service) approve(ctx context.Context, in *memberInput) (*memberOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		g, _, err := managedGroup(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		u, role, state, err := memberOf(ctx, tx, a, g.ID, in.UserID)
		if err != nil {
			return err
		}
		if state != store.MemberRequested {
			return apperr.NotFound()
		}
		if err := tx.PutMembership(ctx, g.ID, in.UserID, role, store.MemberActive); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupMemberAdded, audit.Member(u, g.ID), map[string]string{"group": g.Name, "state": store.MemberActive})
	})
	if err != nil {
		return nil, err
	}
	return s.memberView(ctx, a, in.ID, in.UserID)
}
