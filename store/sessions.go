package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	ID                string // names the session to its owner; the token's hash is never shown
	TokenHash         []byte
	UserID            string
	Remember          bool
	CreatedAt         time.Time
	SeenAt            time.Time
	AuthAt            time.Time // when the password was last entered
	IdleExpiresAt     time.Time
	AbsoluteExpiresAt time.Time
	UserAgent         string // the browser's User-Agent at sign-in
	Address           string // the client's address at sign-in
	ViewAs            string // the external user an administrator's session views as; "" for none
	ViewAsSince       time.Time
}

// CreateSession stores a new session, giving it an id when it has none.
func (t *Tx) CreateSession(ctx context.Context, s Session) error {
	if s.ID == "" {
		s.ID = NewID()
	}
	_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, remember, created_at, seen_at, auth_at,
		idle_expires_at, absolute_expires_at, id, user_agent, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.UserID, s.Remember, unix(s.CreatedAt), unix(s.SeenAt), unix(s.AuthAt),
		unix(s.IdleExpiresAt), unix(s.AbsoluteExpiresAt), s.ID, s.UserAgent, s.Address)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the live session with the token hash and its user, checked at
// request time: an expired session, a deactivated account or one whose access date has
// passed (the job that deactivates it may not have run yet) is ErrNotFound.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte) (Session, User, error) {
	now := unix(s.now())
	row := prepared{s}.QueryRowContext(ctx, `SELECT `+userCols+`, s.user_id, s.remember, s.created_at, s.seen_at,
		s.auth_at, s.idle_expires_at, s.absolute_expires_at, s.id, s.user_agent, s.address,
		coalesce(s.view_as, ''), coalesce(s.view_as_since, 0)
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ?1 AND s.idle_expires_at > ?2 AND s.absolute_expires_at > ?2 AND u.active = 1
		AND (u.access_expires_at IS NULL OR u.access_expires_at > ?2)`,
		tokenHash, now)
	var ss Session
	var created, seen, auth, idle, abs, viewSince int64
	u, err := scanUser(row, &ss.UserID, &ss.Remember, &created, &seen, &auth, &idle, &abs, &ss.ID, &ss.UserAgent,
		&ss.Address, &ss.ViewAs, &viewSince)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ss, u, ErrNotFound
		}
		return ss, u, fmt.Errorf("store: session: %w", err)
	}
	ss.TokenHash = tokenHash
	ss.CreatedAt, ss.SeenAt, ss.AuthAt = time.Unix(created, 0), time.Unix(seen, 0), time.Unix(auth, 0)
	ss.IdleExpiresAt, ss.AbsoluteExpiresAt = time.Unix(idle, 0), time.Unix(abs, 0)
	ss.ViewAsSince = time.Unix(viewSince, 0)
	return ss, u, nil
}

// SetViewAs makes a session view as an external user, or stops it (userID "").
func (t *Tx) SetViewAs(ctx context.Context, tokenHash []byte, userID string) error {
	var since any
	if userID != "" {
		since = unix(t.now)
	}
	res, err := t.exec(ctx, `UPDATE sessions SET view_as = nullif(?, ''), view_as_since = ? WHERE token_hash = ?`,
		userID, since, tokenHash)
	return affectedOne(res, err, "set view as")
}

// ViewAsTarget returns the external user an administrator's session views as, while she
// may be viewed: an active external account whose access date has not passed.
func (s *Store) ViewAsTarget(ctx context.Context, a Actor, id string) (User, error) {
	if !a.Admin {
		return User{}, ErrNotFound
	}
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ? AND u.kind = 'external'
		AND u.active = 1 AND (u.access_expires_at IS NULL OR u.access_expires_at > ?)`, id, unix(s.now())))
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

// DeleteExpiredSessions removes sessions past either expiry and reports how many, and
// the sign-ins that waited for a second factor past theirs.
func (t *Tx) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	if _, err := t.exec(ctx, `DELETE FROM two_factor_challenges WHERE expires_at <= ?`, unix(t.now)); err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE idle_expires_at <= ?1 OR absolute_expires_at <= ?1`, unix(t.now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MySessions lists the live sessions of the actor, the most recently used first. It is
// fenced to the actor's own: nobody lists another person's sessions, administrators
// neither (they end them all at once, EndUserSessions).
func (s *Store) MySessions(ctx context.Context, a Actor) ([]Session, error) {
	now := unix(s.now())
	rows, err := s.read.QueryContext(ctx, `SELECT id, remember, created_at, seen_at, auth_at, idle_expires_at,
		absolute_expires_at, user_agent, address FROM sessions
		WHERE user_id = ? AND idle_expires_at > ? AND absolute_expires_at > ?
		ORDER BY seen_at DESC, created_at DESC, id`, a.UserID, now, now)
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	defer rows.Close()
	out := []Session{}
	for rows.Next() {
		ss := Session{UserID: a.UserID}
		var created, seen, auth, idle, abs int64
		if err := rows.Scan(&ss.ID, &ss.Remember, &created, &seen, &auth, &idle, &abs, &ss.UserAgent, &ss.Address); err != nil {
			return nil, fmt.Errorf("store: sessions: %w", err)
		}
		ss.CreatedAt, ss.SeenAt, ss.AuthAt = time.Unix(created, 0), time.Unix(seen, 0), time.Unix(auth, 0)
		ss.IdleExpiresAt, ss.AbsoluteExpiresAt = time.Unix(idle, 0), time.Unix(abs, 0)
		out = append(out, ss)
	}
	return out, rows.Err()
}

// DeleteMySession ends one live session of the actor by its id. Another person's
// session, an expired one or an unknown id is ErrNotFound, alike.
func (t *Tx) DeleteMySession(ctx context.Context, a Actor, id string) error {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE id = ?1 AND user_id = ?2 AND idle_expires_at > ?3
		AND absolute_expires_at > ?3`, id, a.UserID, unix(t.now))
	return affectedOne(res, err, "end session")
}

// EndOtherSessions ends every session of the actor but the one with the id keep.
func (t *Tx) EndOtherSessions(ctx context.Context, a Actor, keep string) error {
	if a.UserID == "" {
		return ErrNotFound
	}
	_, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, a.UserID, keep)
	if err != nil {
		return fmt.Errorf("store: end sessions: %w", err)
	}
	return nil
}
