package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// unixOrNil is a nullable time's column value.
func unixOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return unix(*t)
}

// SetAccessExpiry sets or clears (nil) when an external user's access ends. A new date
// is reminded of again.
func (t *Tx) SetAccessExpiry(ctx context.Context, userID string, at *time.Time) error {
	res, err := t.exec(ctx, `UPDATE users SET access_expires_at = ?, expiry_reminded_at = NULL, updated_at = ?
		WHERE id = ? AND kind = 'external'`, unixOrNil(at), unix(t.now), userID)
	return affectedOne(res, err, "set access expiry")
}

// AccessEnded returns the active accounts whose access date has passed: the job
// deactivates them (request time has refused them since the date).
func (t *Tx) AccessEnded(ctx context.Context) ([]User, error) {
	return t.users(ctx, `WHERE u.active = 1 AND u.access_expires_at <= ? ORDER BY u.access_expires_at, u.id`, unix(t.now))
}

// ExpiryDue returns the active accounts whose access ends within lead and whose inviter
// has not been reminded of that date.
func (t *Tx) ExpiryDue(ctx context.Context, lead time.Duration) ([]User, error) {
	return t.users(ctx, `WHERE u.active = 1 AND u.access_expires_at > ? AND u.access_expires_at <= ?
		AND u.expiry_reminded_at IS NULL ORDER BY u.access_expires_at, u.id`, unix(t.now), unix(t.now.Add(lead)))
}

// MarkExpiryReminded records that the reminder of the account's current date went out.
func (t *Tx) MarkExpiryReminded(ctx context.Context, userID string) error {
	res, err := t.exec(ctx, `UPDATE users SET expiry_reminded_at = ? WHERE id = ?`, unix(t.now), userID)
	return affectedOne(res, err, "mark expiry reminded")
}

func (t *Tx) users(ctx context.Context, where string, args ...any) ([]User, error) {
	return queryUsers(ctx, t.tx, where, args...)
}

// queryUsers reads the users a WHERE clause (on users aliased u) selects.
func queryUsers(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, where string, args ...any) ([]User, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+userCols+` FROM users u `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var us []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// Inviters returns the active people who invited the user (each an invitation she
// accepted), the earliest first: they are reminded of her access date and may extend it.
func (t *Tx) Inviters(ctx context.Context, userID string) ([]User, error) {
	return t.users(ctx, `WHERE u.active = 1 AND u.id IN (SELECT inviter_id FROM invitations
		WHERE accepted_by = ?) ORDER BY (SELECT min(closed_at) FROM invitations WHERE accepted_by = ? AND inviter_id = u.id),
		u.id`, userID, userID)
}

// InvitedBy reports which of the users a invited (an invitation each accepted): an
// inviter sees and extends their access dates.
func (s *Store) InvitedBy(ctx context.Context, a Actor, userIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(userIDs) == 0 || a.UserID == "" {
		return out, nil
	}
	args := []any{a.UserID}
	for _, id := range userIDs {
		args = append(args, id)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT accepted_by FROM invitations WHERE inviter_id = ?
		AND accepted_by IN (`+strings.TrimSuffix(strings.Repeat("?,", len(userIDs)), ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: invited by: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// ActiveAdmins returns the active administrators, by name.
func (t *Tx) ActiveAdmins(ctx context.Context) ([]User, error) {
	return t.users(ctx, `WHERE u.is_admin = 1 AND u.active = 1 ORDER BY u.search, u.id`)
}
