package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
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

	// Who may invite into a group.
	InviteOwner      = "owner"
	InviteModerators = "moderators" // owner and moderators
	InviteMembers    = "members"    // every active member

	// Which tasks of a group its external members see.
	ExternalTasksAll      = "all"
	ExternalTasksInvolved = "involved"
)

// Tools are a group's tools, in the order they are shown.
var Tools = []string{"feed", "tasks", "drive", "calendar", "chat"}

// Group is a workgroup.
type Group struct {
	ID            string
	Name          string
	Description   string
	Kind          string
	Visibility    string
	Archived      bool
	TopicID       string // "" when none
	Tools         []string
	InvitePolicy  string
	ExternalTasks string
}

const groupCols = `g.id, g.name, g.description, g.kind, g.visibility, g.archived, coalesce(g.topic_id, ''), g.tools,
	g.invite_policy, g.external_tasks`

func scanGroup(row interface{ Scan(...any) error }, extra ...any) (Group, error) {
	var g Group
	var tools string
	err := row.Scan(append([]any{&g.ID, &g.Name, &g.Description, &g.Kind, &g.Visibility, &g.Archived, &g.TopicID,
		&tools, &g.InvitePolicy, &g.ExternalTasks}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return g, ErrNotFound
	}
	if err != nil {
		return g, fmt.Errorf("store: group: %w", err)
	}
	g.Tools = splitTools(tools)
	return g, nil
}

func splitTools(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// joinTools keeps only known tools, in their fixed order.
func joinTools(tools []string) string {
	var on []string
	for _, t := range Tools {
		if slices.Contains(tools, t) {
			on = append(on, t)
		}
	}
	return strings.Join(on, ",")
}

// withDefaults fills the settings a new group starts with.
func (g *Group) withDefaults() {
	if g.Tools == nil {
		g.Tools = Tools
	}
	if g.InvitePolicy == "" {
		g.InvitePolicy = InviteModerators
	}
	if g.ExternalTasks == "" {
		g.ExternalTasks = ExternalTasksInvolved
	}
}

// CreateGroup inserts g, assigning its id. An unknown topic is ErrTopicUnknown.
func (t *Tx) CreateGroup(ctx context.Context, g *Group) error {
	g.ID = NewID()
	g.withDefaults()
	_, err := t.exec(ctx, `INSERT INTO groups (id, name, description, kind, visibility, archived, topic_id, tools,
		invite_policy, external_tasks, search, created_at)
		VALUES (?, ?, ?, ?, ?, ?, nullif(?, ''), ?, ?, ?, ?, ?)`, g.ID, g.Name, g.Description, g.Kind, g.Visibility,
		g.Archived, g.TopicID, joinTools(g.Tools), g.InvitePolicy, g.ExternalTasks, folder.String(g.Name+" "+g.Description),
		unix(t.now))
	if isForeignKeyViolation(err) {
		return ErrTopicUnknown
	}
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

// SetActive activates or deactivates an account; deactivation ends its sessions and
// revokes its API tokens, so that a reactivation does not bring old tokens back.
func (t *Tx) SetActive(ctx context.Context, userID string, active bool) error {
	res, err := t.exec(ctx, `UPDATE users SET active = ?, updated_at = ? WHERE id = ?`, active, unix(t.now), userID)
	if err := affectedOne(res, err, "set active"); err != nil {
		return err
	}
	if !active {
		if err := t.RevokeUserAPITokens(ctx, userID); err != nil {
			return err
		}
		return t.DeleteUserSessions(ctx, userID, nil)
	}
	return nil
}

// GroupView is a group as one actor sees it: with their own role and state in it, the
// number of its active members they may see, its topic's name, and whether its owner's
// account is deactivated (PRODUCT.md §1: an administrator then chooses a new owner).
type GroupView struct {
	Group
	MyRole      string // "" when not a member
	MyState     string
	MemberCount int
	TopicName   string
	NeedsOwner  bool
}

// GroupFilter narrows a list of groups.
type GroupFilter struct {
	Mine       bool   // only groups the actor is an active member of or invited to
	Kind       string // "", GroupInternal or GroupExtranet
	TopicID    string
	NeedsOwner bool // only groups whose owner is deactivated
	Query      string
	Offset     int
	Limit      int
}

// needsOwnerSQL: no active account holds the group's owner role.
const needsOwnerSQL = `NOT EXISTS (SELECT 1 FROM memberships om JOIN users ou ON ou.id = om.user_id
	WHERE om.group_id = g.id AND om.role = 'owner' AND om.state = 'active' AND ou.active = 1)`

func (a Actor) groupViewSQL() (string, []any) {
	ucond, uargs := a.visibleUserCond("cu")
	return `SELECT ` + groupCols + `,
		coalesce((SELECT role FROM memberships me WHERE me.group_id = g.id AND me.user_id = ?), ''),
		coalesce((SELECT state FROM memberships me WHERE me.group_id = g.id AND me.user_id = ?), ''),
		(SELECT count(*) FROM memberships cm JOIN users cu ON cu.id = cm.user_id
			WHERE cm.group_id = g.id AND cm.state = 'active' AND ` + ucond + `),
		coalesce((SELECT name FROM topics tp WHERE tp.id = g.topic_id), ''), ` + needsOwnerSQL + `
		FROM groups g`, append([]any{a.UserID, a.UserID}, uargs...)
}

func scanGroupView(row interface{ Scan(...any) error }) (GroupView, error) {
	var v GroupView
	var err error
	v.Group, err = scanGroup(row, &v.MyRole, &v.MyState, &v.MemberCount, &v.TopicName, &v.NeedsOwner)
	return v, err
}

// Groups returns one page of the groups a may see, by name, and how many match.
func (s *Store) Groups(ctx context.Context, a Actor, f GroupFilter) ([]GroupView, int, error) {
	cond, args := a.visibleGroupCond("g.id")
	where := " WHERE " + cond
	if f.Mine {
		where += " AND EXISTS (SELECT 1 FROM memberships mm WHERE mm.group_id = g.id AND mm.user_id = ? AND mm.state IN ('active', 'invited'))"
		args = append(args, a.UserID)
	}
	if f.Kind != "" {
		where += " AND g.kind = ?"
		args = append(args, f.Kind)
	}
	if f.TopicID != "" {
		where += " AND g.topic_id = ?"
		args = append(args, f.TopicID)
	}
	if f.NeedsOwner {
		where += " AND " + needsOwnerSQL
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where += ` AND g.search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(folder.String(q))+"%")
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM groups g`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: groups: %w", err)
	}
	sel, selArgs := a.groupViewSQL()
	rows, err := s.read.QueryContext(ctx, sel+where+` ORDER BY g.search, g.id LIMIT ? OFFSET ?`,
		append(append(selArgs, args...), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: groups: %w", err)
	}
	defer rows.Close()
	var gs []GroupView
	for rows.Next() {
		g, err := scanGroupView(rows)
		if err != nil {
			return nil, 0, err
		}
		gs = append(gs, g)
	}
	return gs, total, rows.Err()
}

// GroupByID returns the group if a may see it; otherwise ErrNotFound, whether or not it exists.
func (s *Store) GroupByID(ctx context.Context, a Actor, id string) (GroupView, error) {
	cond, args := a.visibleGroupCond("g.id")
	sel, selArgs := a.groupViewSQL()
	return scanGroupView(s.read.QueryRowContext(ctx, sel+` WHERE g.id = ? AND `+cond,
		append(append(selArgs, id), args...)...))
}

// Member is a person's place in a group.
type Member struct {
	User  User
	Role  string
	State string
}

// GroupMembers returns one page of a group's members as a may see them: the active
// members a may see, plus pending invitations and requests for those who manage the
// group. An invisible group is ErrNotFound.
func (s *Store) GroupMembers(ctx context.Context, a Actor, groupID string, offset, limit int) ([]Member, int, error) {
	if _, err := s.GroupByID(ctx, a, groupID); err != nil {
		return nil, 0, err
	}
	ucond, uargs := a.visibleUserCond("u")
	mcond, margs := a.managesGroupCond("m.group_id")
	where := ` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ? AND ` + ucond + ` AND (m.state = 'active' OR ` + mcond + `)`
	args := append(append([]any{groupID}, uargs...), margs...)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: members: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+`, m.role, m.state`+where+
		` ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, u.search, u.id LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: members: %w", err)
	}
	defer rows.Close()
	var ms []Member
	for rows.Next() {
		var m Member
		var err error
		if m.User, err = scanUser(rows, &m.Role, &m.State); err != nil {
			return nil, 0, err
		}
		ms = append(ms, m)
	}
	return ms, total, rows.Err()
}

// MembershipOf returns a's own membership in a group ("" role and state when none).
func (t *Tx) MembershipOf(ctx context.Context, groupID, userID string) (role, state string, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT coalesce((SELECT role FROM memberships WHERE group_id = ?1 AND user_id = ?2), ''),
		coalesce((SELECT state FROM memberships WHERE group_id = ?1 AND user_id = ?2), '')`, groupID, userID).Scan(&role, &state)
	if err != nil {
		return "", "", fmt.Errorf("store: membership: %w", err)
	}
	return role, state, nil
}

// VisibleGroup loads the group inside a write transaction through the fence, so a write
// never reaches a group its actor cannot see (ErrNotFound, as for a missing one).
func (t *Tx) VisibleGroup(ctx context.Context, a Actor, id string) (Group, error) {
	cond, args := a.visibleGroupCond("g.id")
	return scanGroup(t.tx.QueryRowContext(ctx, `SELECT `+groupCols+` FROM groups g WHERE g.id = ? AND `+cond,
		append([]any{id}, args...)...))
}

// DeleteMembership removes a person from a group (or their invitation or request).
func (t *Tx) DeleteMembership(ctx context.Context, groupID, userID string) error {
	res, err := t.exec(ctx, `DELETE FROM memberships WHERE group_id = ? AND user_id = ?`, groupID, userID)
	return affectedOne(res, err, "delete membership")
}

// UpdateGroup stores a group's editable fields. An unknown topic is ErrTopicUnknown.
func (t *Tx) UpdateGroup(ctx context.Context, g Group) error {
	res, err := t.exec(ctx, `UPDATE groups SET name = ?, description = ?, kind = ?, visibility = ?, archived = ?,
		topic_id = nullif(?, ''), tools = ?, invite_policy = ?, external_tasks = ?, search = ?
		WHERE id = ?`, g.Name, g.Description, g.Kind, g.Visibility, g.Archived, g.TopicID, joinTools(g.Tools),
		g.InvitePolicy, g.ExternalTasks, folder.String(g.Name+" "+g.Description), g.ID)
	if isForeignKeyViolation(err) {
		return ErrTopicUnknown
	}
	return affectedOne(res, err, "update group")
}

// HasExternalMembers reports whether any external user holds a membership in the group,
// in any state.
func (t *Tx) HasExternalMembers(ctx context.Context, groupID string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ? AND u.kind = 'external'`, groupID).Scan(&n)
	return n > 0, err
}

// DemoteOwner makes the group's current owner a moderator, before a hand-over.
func (t *Tx) DemoteOwner(ctx context.Context, groupID string) error {
	_, err := t.exec(ctx, `UPDATE memberships SET role = 'moderator' WHERE group_id = ? AND role = 'owner'`, groupID)
	return err
}
