package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	TokenHash         []byte
	UserID            string
	Remember          bool
	CreatedAt         time.Time
	SeenAt            time.Time
	AuthAt            time.Time // when the password was last entered
	IdleExpiresAt     time.Time
	AbsoluteExpiresAt time.Time
}

// CreateSession stores a new session.
func (t *Tx) CreateSession(ctx context.Context, s Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, remember, created_at, seen_at, auth_at,
		idle_expires_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.UserID, s.Remember, unix(s.CreatedAt), unix(s.SeenAt), unix(s.AuthAt),
		unix(s.IdleExpiresAt), unix(s.AbsoluteExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the live session with the token hash and its user, checked at
// request time: an expired session or a deactivated account is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte) (Session, User, error) {
	now := unix(s.now())
	row := s.read.QueryRowContext(ctx, `SELECT `+userCols+`, s.user_id, s.remember, s.created_at, s.seen_at,
		s.auth_at, s.idle_expires_at, s.absolute_expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.idle_expires_at > ? AND s.absolute_expires_at > ? AND u.active = 1`,
		tokenHash, now, now)
	var ss Session
	var created, seen, auth, idle, abs int64
	u, err := scanUser(row, &ss.UserID, &ss.Remember, &created, &seen, &auth, &idle, &abs)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ss, u, ErrNotFound
		}
		return ss, u, fmt.Errorf("store: session: %w", err)
	}
	ss.TokenHash = tokenHash
	ss.CreatedAt, ss.SeenAt, ss.AuthAt = time.Unix(created, 0), time.Unix(seen, 0), time.Unix(auth, 0)
	ss.IdleExpiresAt, ss.AbsoluteExpiresAt = time.Unix(idle, 0), time.Unix(abs, 0)
	return ss, u, nil
}

// TouchSession records activity and pushes the idle expiry forward.
func (t *Tx) TouchSession(ctx context.Context, tokenHash []byte, idleExpires time.Time) error {
	_, err := t.exec(ctx, `UPDATE sessions SET seen_at = ?, idle_expires_at = min(?, absolute_expires_at)
		WHERE token_hash = ?`, unix(t.now), unix(idleExpires), tokenHash)
	return err
}

// ConfirmSession records that the password was just entered again.
func (t *Tx) ConfirmSession(ctx context.Context, tokenHash []byte) error {
	res, err := t.exec(ctx, `UPDATE sessions SET auth_at = ? WHERE token_hash = ?`, unix(t.now), tokenHash)
	return affectedOne(res, err, "confirm session")
}

// DeleteSession ends one session.
func (t *Tx) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteUserSessions ends every session of a user, except keep (may be nil).
func (t *Tx) DeleteUserSessions(ctx context.Context, userID string, keep []byte) error {
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?`, userID, keep)
	return err
}

// DeleteExpiredSessions removes sessions past either expiry and reports how many.
func (t *Tx) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE idle_expires_at <= ?1 OR absolute_expires_at <= ?1`, unix(t.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
