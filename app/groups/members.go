package groups

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
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
		switch {
		case state == store.MemberActive:
			return apperr.New(http.StatusConflict, "already_member", nil)
		case state == store.MemberRequested:
			return apperr.New(http.StatusConflict, "already_requested", nil)
		case g.Archived:
			return apperr.New(http.StatusConflict, "group_archived", nil)
		case state == store.MemberInvited: // accepting keeps the role invited to
			return tx.PutMembership(ctx, g.ID, a.UserID, role, store.MemberActive)
		case g.Kind == store.GroupExtranet || g.Visibility == store.VisibilitySecret:
			return apperr.Forbidden("invitation_only")
		case g.Visibility == store.VisibilityClosed:
			return tx.PutMembership(ctx, g.ID, a.UserID, store.RoleMember, store.MemberRequested)
		default:
			return tx.PutMembership(ctx, g.ID, a.UserID, store.RoleMember, store.MemberActive)
		}
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
		return tx.DeleteMembership(ctx, g.ID, a.UserID)
	})
}

func (s *Service) remove(ctx context.Context, in *memberInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		g, err := tx.VisibleGroup(ctx, a, in.ID)
		if err != nil {
			return err
		}
		manager, owner, err := managerRoles(ctx, tx, a, g.ID)
		if err != nil {
			return err
		}
		if !manager {
			return apperr.Forbidden("not_group_manager")
		}
		role, state, err := tx.MembershipOf(ctx, g.ID, in.UserID)
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
		return tx.DeleteMembership(ctx, g.ID, in.UserID)
	})
}
