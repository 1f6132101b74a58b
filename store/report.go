package store

import (
	"context"
	"fmt"
)

// The access report (PRODUCT.md §8, docs/access-report.md): everything one person can
// reach, and why. It reads through the fence's own conditions with the person as the
// actor, so that it can never say other than what she is actually shown.

// ReachedGroup is a group the person can see, with her membership in it (the reason).
type ReachedGroup struct {
	Group
	Role  string // her role; "" when she is no member (an employee's open internal group)
	State string // her membership's state: active or invited; "" when none
}

// ReachedPerson is a person she can see, with the groups they share (the reason), or
// herself.
type ReachedPerson struct {
	User
	Self   bool
	Shared []GroupRef // the groups both are active members of, by name
}

// GroupRef names a group inside another answer.
type GroupRef struct{ ID, Name string }

// AccessReport returns what target can reach: groups and people, each with the reason.
// Only administrators and the system may read it.
func (s *Store) AccessReport(ctx context.Context, a Actor, target User) ([]ReachedGroup, []ReachedPerson, error) {
	if !a.administers() {
		return nil, nil, ErrNotFound
	}
	as := ActorFor(target)
	gcond, gargs := as.visibleGroupCond("g.id")
	rows, err := s.read.QueryContext(ctx, `SELECT `+groupCols+`, coalesce(m.role, ''), coalesce(m.state, '')
		FROM groups g LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = ?
		WHERE `+gcond+` ORDER BY g.name, g.id`, append([]any{target.ID}, gargs...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: access report: %w", err)
	}
	var groups []ReachedGroup
	for rows.Next() {
		var g ReachedGroup
		if g.Group, err = scanGroup(rows, &g.Role, &g.State); err != nil {
			rows.Close()
			return nil, nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	ucond, uargs := as.visibleUserCond("u")
	us, err := s.users(ctx, `WHERE `+ucond+` ORDER BY u.search, u.id`, uargs...)
	if err != nil {
		return nil, nil, err
	}
	// The groups she shares with each: those where both hold an active membership, the
	// fence's own "share a group" (coMembers).
	shared := map[string][]GroupRef{}
	rows, err = s.read.QueryContext(ctx, `SELECT theirs.user_id, g.id, g.name FROM memberships mine
		JOIN memberships theirs ON theirs.group_id = mine.group_id JOIN groups g ON g.id = mine.group_id
		WHERE mine.user_id = ? AND mine.state = 'active' AND theirs.state = 'active' AND theirs.user_id != mine.user_id
		ORDER BY g.name, g.id`, target.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: access report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid string
		var g GroupRef
		if err := rows.Scan(&uid, &g.ID, &g.Name); err != nil {
			return nil, nil, err
		}
		shared[uid] = append(shared[uid], g)
	}
	people := make([]ReachedPerson, 0, len(us))
	for _, u := range us {
		people = append(people, ReachedPerson{User: u, Self: u.ID == target.ID, Shared: shared[u.ID]})
	}
	return groups, people, rows.Err()
}

// users reads whole user rows with a WHERE clause of the fence's.
func (s *Store) users(ctx context.Context, where string, args ...any) ([]User, error) {
	return queryUsers(ctx, s.read, where, args...)
}
