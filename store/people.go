package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PeopleFilter narrows the directory. Kind and Active are honoured for administrators
// only; everyone else sees what the fence lets them, filtered by Query.
type PeopleFilter struct {
	Query  string // matched against name, address and position, case-folded
	Kind   string // "", KindEmployee or KindExternal
	Active *bool
	// ExpiresBefore keeps the active accounts whose access ends before it (including
	// those already past): for administrators all of them, for anyone else the people
	// they invited, the only ones whose dates they see.
	ExpiresBefore *time.Time
	Offset        int
	Limit         int
}

// People returns one page of the people a may see, ordered by name, and how many match.
func (s *Store) People(ctx context.Context, a Actor, f PeopleFilter) ([]User, int, error) {
	cond, args := a.visibleUserCond("u")
	where := " WHERE " + cond
	if q := folder.String(strings.TrimSpace(f.Query)); q != "" {
		where += ` AND u.search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(q)+"%")
	}
	if f.Kind != "" {
		where += " AND u.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Active != nil {
		where += " AND u.active = ?"
		args = append(args, *f.Active)
	}
	if f.ExpiresBefore != nil {
		where += " AND u.active = 1 AND u.access_expires_at < ?"
		args = append(args, unix(*f.ExpiresBefore))
		if !a.Admin {
			where += " AND EXISTS (SELECT 1 FROM invitations iv WHERE iv.accepted_by = u.id AND iv.inviter_id = ?)"
			args = append(args, a.UserID)
		}
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users u`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: people: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+` FROM users u`+where+
		` ORDER BY u.search, u.id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: people: %w", err)
	}
	defer rows.Close()
	var us []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		us = append(us, u)
	}
	return us, total, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
