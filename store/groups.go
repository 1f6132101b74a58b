package store

import (
	"context"
	"fmt"
)

// Group kinds, visibilities, roles and membership states.
const (
	GroupInternal = "internal"
	GroupExtranet = "extranet"

	VisibilityOpen   = "open"
	VisibilityClosed = "closed"
	VisibilitySecret = "secret"

	RoleOwner     = "owner"
	RoleModerator = "moderator"
	RoleMember    = "member"

	MemberActive    = "active"
	MemberInvited   = "invited"
	MemberRequested = "requested"
)

// Group is a workgroup.
type Group struct {
	ID          string
	Name        string
	Description string
	Kind        string
	Visibility  string
	Archived    bool
}

// CreateGroup inserts g, assigning its id.
func (t *Tx) CreateGroup(ctx context.Context, g *Group) error {
	g.ID = NewID()
	_, err := t.exec(ctx, `INSERT INTO groups (id, name, description, kind, visibility, archived, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, g.ID, g.Name, g.Description, g.Kind, g.Visibility, g.Archived, unix(t.now))
	if err != nil {
		return fmt.Errorf("store: create group: %w", err)
	}
	return nil
}

// PutMembership sets a person's role and state in a group.
func (t *Tx) PutMembership(ctx context.Context, groupID, userID, role, state string) error {
	_, err := t.exec(ctx, `INSERT INTO memberships (group_id, user_id, role, state, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role, state = excluded.state`,
		groupID, userID, role, state, unix(t.now))
	if err != nil {
		return fmt.Errorf("store: membership: %w", err)
	}
	return nil
}

// SetActive activates or deactivates an account; deactivation ends its sessions.
func (t *Tx) SetActive(ctx context.Context, userID string, active bool) error {
	res, err := t.exec(ctx, `UPDATE users SET active = ?, updated_at = ? WHERE id = ?`, active, unix(t.now), userID)
	if err := affectedOne(res, err, "set active"); err != nil {
		return err
	}
	if !active {
		return t.DeleteUserSessions(ctx, userID, nil)
	}
	return nil
}
