package groups

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

type editInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Name        *string   `json:"name,omitempty" maxLength:"200"`
		Description *string   `json:"description,omitempty" maxLength:"5000"`
		Kind        *string   `json:"kind,omitempty" enum:"internal,extranet"`
		Visibility  *string   `json:"visibility,omitempty" enum:"open,closed,secret"`
		Archived    *bool     `json:"archived,omitempty"`
		TopicID     *string   `json:"topicId,omitempty" maxLength:"32" doc:"Empty for no topic"`
		Settings    *Settings `json:"settings,omitempty" doc:"Owner and administrators"`
	}
}

type roleInput struct {
	ID     string `path:"id" maxLength:"32"`
	UserID string `path:"userId" maxLength:"32"`
	Body   struct {
		Role string `json:"role" enum:"owner,moderator,member" doc:"owner hands the group over: the previous owner becomes a moderator"`
	}
}

func (s *Service) editRoutes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "updateGroup", Method: http.MethodPatch, Path: "/groups/{id}",
		Summary: "Edit, archive or restore a group",
		Description: "Name, description and topic: owner, moderators, administrators. Kind, visibility, settings and " +
			"archiving: owner and administrators. A group cannot become internal while external users are in it.",
		Tags: tags}, s.edit)
	huma.Register(api, huma.Operation{OperationID: "setMemberRole", Method: http.MethodPut, Path: "/groups/{id}/members/{userId}/role",
		Summary:     "Make a member a moderator or a member, or hand the group over to them",
		Description: "Owner and administrators. External users can only be members.", Tags: tags}, s.setRole)
}

// managerRoles returns whether the actor may manage the group, and whether as its owner
// (administrators count as owners).
func managerRoles(ctx context.Context, tx *store.Tx, a store.Actor, groupID string) (manager, owner bool, err error) {
	role, state, err := tx.MembershipOf(ctx, groupID, a.UserID)
	if err != nil {
		return false, false, err
	}
	active := state == store.MemberActive
	owner = a.Admin || (active && role == store.RoleOwner)
	return owner || (active && role == store.RoleModerator), owner, nil
}

// managedGroup loads a group the actor can see (else not found) and manages (else
// forbidden), and says whether they govern it as owner or administrator.
func managedGroup(ctx context.Context, tx *store.Tx, a store.Actor, id string) (g store.Group, owner bool, err error) {
	if g, err = tx.VisibleGroup(ctx, a, id); err != nil {
		return g, false, err
	}
	manager, owner, err := managerRoles(ctx, tx, a, g.ID)
	if err == nil && !manager {
		err = apperr.Forbidden("not_group_manager")
	}
	return g, owner, err
}

func (s *Service) edit(ctx context.Context, in *editInput) (*groupOutput, error) {
	a := auth.ActorFrom(ctx)
	b := in.Body
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		g, owner, err := managedGroup(ctx, tx, a, in.ID)
		switch {
		case err != nil:
			return err
		case (b.Kind != nil || b.Visibility != nil || b.Archived != nil || b.Settings != nil) && !owner:
			return apperr.Forbidden("owner_only")
		case g.Archived && (b.Archived == nil || *b.Archived):
			return apperr.New(http.StatusConflict, "group_archived", nil)
		}
		var fields apperr.Fields
		if b.Name != nil {
			g.Name = auth.CleanName(*b.Name, "body.name", &fields)
		}
		if b.Description != nil {
			g.Description = strings.TrimSpace(*b.Description)
		}
		if err := fields.Err(); err != nil {
			return err
		}
		if b.Kind != nil && *b.Kind != g.Kind {
			if *b.Kind == store.GroupInternal {
				if has, err := tx.HasExternalMembers(ctx, g.ID); err != nil {
					return err
				} else if has {
					return apperr.New(http.StatusConflict, "group_has_externals", nil)
				}
			}
			g.Kind = *b.Kind
		}
		if b.Visibility != nil {
			g.Visibility = *b.Visibility
		}
		if g.Kind == store.GroupExtranet {
			g.Visibility = store.VisibilitySecret // extranet groups are members-only
		}
		if b.Archived != nil {
			g.Archived = *b.Archived
		}
		if b.TopicID != nil {
			g.TopicID = *b.TopicID
		}
		if st := b.Settings; st != nil {
			g.Tools, g.InvitePolicy, g.ExternalTasks = st.Tools, st.InvitePolicy, st.ExternalTasks
		}
		if err := topicErr(tx.UpdateGroup(ctx, g)); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupChanged, audit.Group(g.ID, g.Name), changedFields(in))
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, &idInput{ID: in.ID})
}

func (s *Service) setRole(ctx context.Context, in *roleInput) (*memberOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		g, err := tx.VisibleGroup(ctx, a, in.ID)
		if err != nil {
			return err
		}
		_, owner, err := managerRoles(ctx, tx, a, g.ID)
		if err != nil {
			return err
		}
		if !owner {
			return apperr.Forbidden("owner_only")
		}
		u, role, state, err := memberOf(ctx, tx, a, g.ID, in.UserID)
		switch {
		case err != nil:
			return err
		case state != store.MemberActive:
			return apperr.NotFound()
		case role == store.RoleOwner && in.Body.Role != store.RoleOwner:
			return apperr.New(http.StatusConflict, "owner_needs_successor", nil)
		case u.Kind == store.KindExternal && in.Body.Role != store.RoleMember:
			return apperr.New(http.StatusConflict, "external_member_only", nil)
		case in.Body.Role == store.RoleOwner && !u.Active:
			return apperr.New(http.StatusConflict, "owner_must_be_active", nil)
		}
		if in.Body.Role == store.RoleOwner && role != store.RoleOwner {
			if err := tx.DemoteOwner(ctx, g.ID); err != nil {
				return err
			}
		}
		if err := tx.PutMembership(ctx, g.ID, in.UserID, in.Body.Role, store.MemberActive); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupRoleChanged, audit.Member(u, g.ID), map[string]string{"group": g.Name, "role": in.Body.Role})
	})
	if err != nil {
		return nil, err
	}
	return s.memberView(ctx, a, in.ID, in.UserID)
}

// changedFields names what an edit set, for the activity log.
func changedFields(in *editInput) map[string]string {
	b := in.Body
	var names []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"name", b.Name != nil}, {"description", b.Description != nil}, {"kind", b.Kind != nil},
		{"visibility", b.Visibility != nil}, {"archived", b.Archived != nil}, {"topic", b.TopicID != nil},
		{"settings", b.Settings != nil}} {
		if f.set {
			names = append(names, f.name)
		}
	}
	d := map[string]string{"fields": strings.Join(names, ", ")}
	if b.Archived != nil {
		d["archived"] = strconv.FormatBool(*b.Archived)
	}
	return d
}
