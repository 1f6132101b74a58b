package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// Actor is who a request acts as. It is built once per request from the session, after
// checking at request time that the account is active; content reads take it and scope
// their SQL with it.
type Actor struct {
	UserID string
	Kind   string // KindEmployee or KindExternal
	Admin  bool
	system bool
}

// Kinds of people.
const (
	KindEmployee = "employee"
	KindExternal = "external"
)

// System is the actor of scheduled jobs and the mailer, which must see everything. It
// is explicit so that a forgotten actor (the zero value) sees nothing.
func System() Actor { return Actor{system: true} }

// administers reports whether a may read the company's own records (the outbox, the
// seat count): administrators, and the system.
func (a Actor) administers() bool { return a.Admin || a.system }

// IsSystem reports whether a is the System actor.
func (a Actor) IsSystem() bool { return a.system }

// Anonymous reports whether a is nobody: the zero value.
func (a Actor) Anonymous() bool { return !a.system && a.UserID == "" }

// ActorFor builds the actor of an active user.
func ActorFor(u User) Actor {
	return Actor{UserID: u.ID, Kind: u.Kind, Admin: u.Admin && u.Kind == KindEmployee}
}

// coMembers are the people who hold an active membership in a group where the actor
// (the one parameter) holds one too, archived groups included: PRODUCT.md §1, "share a
// group". Uncorrelated, so SQLite computes the set once per query, not once per row.
const coMembers = `SELECT theirs.user_id FROM memberships mine JOIN memberships theirs ON theirs.group_id = mine.group_id
	WHERE mine.user_id = ? AND mine.state = 'active' AND theirs.state = 'active'`

// visibleUserCond is the condition under which the actor may see the user row aliased
// u (PRODUCT.md §1): administrators and the system see everyone; everyone sees
// themselves and the people they share a group with (deactivated ones too, so old
// content keeps its authors); employees also see every active employee. Nobody else
// sees anyone, and the zero Actor sees nobody.
func (a Actor) visibleUserCond(u string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	cond := "(" + u + ".id = ? OR " + u + ".id IN (" + coMembers + ")"
	if a.Kind == KindEmployee {
		cond += " OR (" + u + ".kind = 'employee' AND " + u + ".active = 1)"
	}
	return cond + ")", []any{a.UserID, a.UserID}
}

// visibleGroupCond is the condition under which the actor may see the group whose id is
// in column col (PRODUCT.md §3): administrators see every group; everyone sees the
// groups they are an active member of or invited to; employees also see open and closed
// internal groups. Secret and extranet groups stay hidden from everyone else.
func (a Actor) visibleGroupCond(col string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	cond := "(" + col + " IN (SELECT group_id FROM memberships WHERE user_id = ? AND state IN ('active', 'invited'))"
	if a.Kind == KindEmployee {
		cond += " OR " + col + " IN (SELECT id FROM groups WHERE kind = 'internal' AND visibility IN ('open', 'closed'))"
	}
	return cond + ")", []any{a.UserID}
}

// managesGroupCond is true when the actor may see a group's pending memberships: an
// administrator, or the group's active owner or a moderator.
func (a Actor) managesGroupCond(col string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	return "EXISTS (SELECT 1 FROM memberships mg WHERE mg.group_id = " + col +
		" AND mg.user_id = ? AND mg.state = 'active' AND mg.role IN ('owner', 'moderator'))", []any{a.UserID}
}

// mayInviteCond is true when the actor may invite into the group whose id is in column
// col now (PRODUCT.md §3 "who may invite"): an administrator, or an employee holding an
// active membership whose role the group's invite policy names.
func (a Actor) mayInviteCond(col string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "" || a.Kind != KindEmployee:
		return "0", nil
	}
	return "EXISTS (SELECT 1 FROM memberships mi JOIN groups gi ON gi.id = mi.group_id WHERE mi.group_id = " + col +
		" AND mi.user_id = ? AND mi.state = 'active' AND (gi.invite_policy = 'members' OR mi.role = 'owner'" +
		" OR (gi.invite_policy = 'moderators' AND mi.role = 'moderator')))", []any{a.UserID}
}

// visibleInvitationCond is the condition under which the actor may see (and act on) the
// invitation row aliased i (docs/invitations.md): administrators see all; a group's
// active owner and moderators see the group's; the inviter sees theirs only while they
// may still invite into its group. What the actor may see of an invitation follows what
// they may do now, never what they once did: an inviter who left, was removed or
// demoted, or whose group changed its invite policy, no longer sees it, and the group's
// managers hold it instead. Invitations into the company only are for administrators.
func (a Actor) visibleInvitationCond(i string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	mcond, margs := a.managesGroupCond(i + ".group_id")
	icond, iargs := a.mayInviteCond(i + ".group_id")
	return "(" + i + ".group_id IS NOT NULL AND (" + mcond + " OR (" + i + ".inviter_id = ? AND " + icond + ")))",
		append(append(margs, a.UserID), iargs...)
}

// visibleTaskCond is the condition under which the actor may see the task row aliased t
// (PRODUCT.md §2, §3; docs/tasks.md): administrators see every task; a personal task (no
// group) is seen by the people named on it; a group's task by the group's active members,
// external members only where the group shows them all its tasks or where they are named
// on it. Leaving or being removed from the group ends the sight of its tasks, named or not.
func (a Actor) visibleTaskCond(t string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	// A probe per task, not a list: the list of everything someone is named on was built
	// in full for every read (6,000 rows, half a page's cost) even where no task needed it.
	involved := "EXISTS (SELECT 1 FROM task_people ti WHERE ti.user_id = ? AND ti.task_id = " + t + ".id)"
	member := t + ".group_id IN (SELECT mt.group_id FROM memberships mt WHERE mt.user_id = ? AND mt.state = 'active')"
	if a.Kind == KindEmployee {
		return "((" + t + ".group_id IS NULL AND " + involved + ") OR " + member + ")", []any{a.UserID, a.UserID}
	}
	all := t + ".group_id IN (SELECT gt.id FROM groups gt WHERE gt.external_tasks = 'all')"
	return "((" + t + ".group_id IS NULL AND " + involved + ") OR (" + member + " AND (" + all + " OR " + involved + ")))",
		[]any{a.UserID, a.UserID, a.UserID}
}

// taskShelf is one part of the tasks a person who is not an administrator may see:
// every task of a group (All), or only those they are named on in a group, or, GroupID
// "", their personal tasks (which they see only when named on them). A group's shelf
// also tells its name and whether the person manages it, for the tasks it holds.
type taskShelf struct {
	GroupID           string
	All               bool
	Name              string
	Archived, Manages bool
}

// visibleTaskShelves cuts the tasks a sees into shelves by the rule of visibleTaskCond,
// so that a list newest first reads each shelf only as deep as its page instead of
// gathering and sorting all of them. It only plans the reading: the rows read are still
// held to visibleTaskCond, so a membership ended meanwhile makes a page shorter, never
// wider.
func (a Actor) visibleTaskShelves(ctx context.Context, db queryer) ([]taskShelf, error) {
	if a.UserID == "" || a.system || a.Admin {
		return nil, errors.New("store: task shelves are for people who see only some tasks")
	}
	rows, err := db.QueryContext(ctx, `SELECT m.group_id, ? = 'employee' OR g.external_tasks = 'all', g.name, g.archived,
		m.role IN ('owner', 'moderator')
		FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = ? AND m.state = 'active'`, a.Kind, a.UserID)
	if err != nil {
		return nil, fmt.Errorf("store: task shelves: %w", err)
	}
	defer rows.Close()
	shelves := []taskShelf{{}}
	for rows.Next() {
		var sh taskShelf
		if err := rows.Scan(&sh.GroupID, &sh.All, &sh.Name, &sh.Archived, &sh.Manages); err != nil {
			return nil, fmt.Errorf("store: task shelves: %w", err)
		}
		shelves = append(shelves, sh)
	}
	return shelves, rows.Err()
}

// taskViewerCond is visibleTaskCond turned around: the condition under which the active
// user row aliased u may see the task row aliased t. It decides who may be mentioned on a
// task and who is told of its changes, so that nobody is pointed at a task they cannot
// open; the isolation test holds both conditions to the same oracle.
func taskViewerCond(u, t string) string {
	involved := "EXISTS (SELECT 1 FROM task_people vp WHERE vp.task_id = " + t + ".id AND vp.user_id = " + u + ".id)"
	member := "EXISTS (SELECT 1 FROM memberships vm WHERE vm.group_id = " + t + ".group_id AND vm.user_id = " + u +
		".id AND vm.state = 'active')"
	all := "EXISTS (SELECT 1 FROM groups vg WHERE vg.id = " + t + ".group_id AND vg.external_tasks = 'all')"
	return "(" + u + ".active = 1 AND ((" + u + ".is_admin = 1 AND " + u + ".kind = 'employee')" +
		" OR (" + t + ".group_id IS NULL AND " + involved + ")" +
		" OR (" + member + " AND (" + u + ".kind = 'employee' OR " + all + " OR " + involved + "))))"
}

// visibleNotificationCond is the condition under which the actor may read the
// notification row aliased n (docs/notifications.md): their own, while they may still see
// its subject. Someone who left a group no longer reads of its tasks, though the rows stay.
func (a Actor) visibleNotificationCond(n string) (string, []any) {
	if a.UserID == "" {
		return "0", nil
	}
	tcond, targs := a.visibleTaskCond("nt")
	return "(" + n + ".user_id = ? AND " + n + ".subject_type = 'task' AND EXISTS (SELECT 1 FROM tasks nt WHERE nt.id = " +
		n + ".subject_id AND " + tcond + "))", append([]any{a.UserID}, targs...)
}

// visibleDriveItemCond is the condition under which the actor may see the drive item row
// aliased i (docs/drive.md): an item of someone's My Drive by its owner (not even
// administrators: it is private), and by the people the owner shared it, or a folder it
// is in, with, while the owner is active and they are still each other's contacts; an item
// of a group's drive, while the group's Drive tool is on, by administrators, and by the
// group's active members whose role the item's folder gives at least "view".
func (a Actor) visibleDriveItemCond(i string) (string, []any) {
	switch {
	case a.system:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	}
	cond, args := a.sharedDriveItemCond(i)
	cond = "(" + i + ".owner_id = ? OR " + cond
	args = append([]any{a.UserID}, args...)
	groups := "SELECT gd.id FROM groups gd WHERE instr(',' || gd.tools || ',', ',drive,') > 0"
	if !a.Admin {
		return cond + " OR " + i + ".group_id IN (" + groups + ") AND EXISTS (SELECT 1 FROM memberships md" +
			" WHERE md.group_id = " + i + ".group_id AND md.user_id = ? AND md.state = 'active' AND " +
			a.driveLevelSQL(i, "md") + " >= " + strconv.Itoa(LevelView) + "))", append(args, a.UserID)
	}
	return cond + " OR " + i + ".group_id IN (" + groups + "))", args
}

// sharedDriveItemCond: the item row i of someone else's My Drive is shared with the actor
// (itself or a folder it is in), its owner is active, and the actor sees them.
func (a Actor) sharedDriveItemCond(i string) (string, []any) {
	people, args := a.visibleUserCond("su")
	return "(" + i + ".owner_id IS NOT NULL AND EXISTS (SELECT 1 FROM drive_shares ds WHERE ds.user_id = ?" +
			" AND (ds.item_id = " + i + ".id OR instr(" + i + ".path, '/' || ds.item_id || '/') > 0))" +
			" AND EXISTS (SELECT 1 FROM users su WHERE su.id = " + i + ".owner_id AND su.active = 1 AND " + people + "))",
		append([]any{a.UserID}, args...)
}
