package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// API token scopes.
const (
	ScopeReadOnly  = "read-only"
	ScopeReadWrite = "read-write"
)

// APIToken is a person's token for scripts (docs/api-tokens.md). Only the hash of the
// token itself is stored.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	Scope      string // ScopeReadOnly or ScopeReadWrite
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time // nil until first used
	RevokedAt  *time.Time
}

// Expired reports whether the token's expiry has passed at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

const tokenCols = `t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanToken(row interface{ Scan(...any) error }, extra ...any) (APIToken, error) {
	var tok APIToken
	var created, expires int64
	var used, revoked sql.NullInt64
	err := row.Scan(append([]any{&tok.ID, &tok.UserID, &tok.Name, &tok.Scope, &created, &expires, &used, &revoked}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return tok, ErrNotFound
	}
	if err != nil {
		return tok, fmt.Errorf("store: api token: %w", err)
	}
	tok.CreatedAt, tok.ExpiresAt = time.Unix(created, 0), time.Unix(expires, 0)
	if used.Valid {
		t := time.Unix(used.Int64, 0)
		tok.LastUsedAt = &t
	}
	if revoked.Valid {
		t := time.Unix(revoked.Int64, 0)
		tok.RevokedAt = &t
	}
	return tok, nil
}

// CreateAPIToken stores a new token of tok.UserID under the token's hash, giving it an
// id and the transaction's time.
func (t *Tx) CreateAPIToken(ctx context.Context, tok *APIToken, tokenHash []byte) error {
	tok.ID, tok.CreatedAt = NewID(), t.now
	_, err := t.exec(ctx, `INSERT INTO api_tokens (id, user_id, token_hash, name, scope, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, tok.ID, tok.UserID, tokenHash, tok.Name, tok.Scope, unix(tok.CreatedAt), unix(tok.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create api token: %w", err)
	}
	return nil
}

// APITokenCounts returns, among the user's tokens that are not revoked, how many are
// named name and how many there are in all.
func (t *Tx) APITokenCounts(ctx context.Context, userID, name string) (named, live int, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE name = ?), count(*) FROM api_tokens
		WHERE user_id = ? AND revoked_at IS NULL`, name, userID).Scan(&named, &live)
	if err != nil {
		return 0, 0, fmt.Errorf("store: api token counts: %w", err)
	}
	return named, live, nil
}

// APITokens returns a page of the actor's own tokens that are not revoked (expired ones
// included, newest first) and how many there are. Nobody lists another person's tokens.
func (s *Store) APITokens(ctx context.Context, a Actor, limit, offset int) ([]APIToken, int, error) {
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL`,
		a.UserID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: api tokens: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t
		WHERE t.user_id = ? AND t.revoked_at IS NULL ORDER BY t.created_at DESC, t.id LIMIT ? OFFSET ?`, a.UserID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		tok, err := scanToken(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, tok)
	}
	return out, total, rows.Err()
}

// RevokeAPIToken revokes one of the actor's own tokens: anyone else's, a revoked one or
// an unknown id is ErrNotFound alike.
func (t *Tx) RevokeAPIToken(ctx context.Context, a Actor, id string) error {
	res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
		unix(t.now), id, a.UserID)
	return affectedOne(res, err, "revoke api token")
}

// RevokeUserAPITokens revokes every token of a user (at deactivation).
func (t *Tx) RevokeUserAPITokens(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, unix(t.now), userID)
	if err != nil {
		return fmt.Errorf("store: revoke api tokens: %w", err)
	}
	return nil
}

// TokenState is what a presented token is worth at the time of the request.
type TokenState int

// Token states, in the order they are reported: a revoked token says so even after its
// expiry has passed.
const (
	TokenLive TokenState = iota
	TokenRevoked
	TokenExpired
	TokenOwnerInactive
)

// APITokenUser returns the token with the hash and its owner, and what the token is
// worth now, decided in the query (expiry, revocation, the owner's account). A hash
// nobody holds is ErrNotFound.
func (s *Store) APITokenUser(ctx context.Context, tokenHash []byte) (APIToken, User, TokenState, error) {
	var state TokenState
	var tok APIToken
	row := s.read.QueryRowContext(ctx, `SELECT `+userCols+`, `+tokenCols+`,
		CASE WHEN t.revoked_at IS NOT NULL THEN 1 WHEN t.expires_at <= ?1 THEN 2 WHEN u.active = 0 OR u.access_expires_at <= ?1 THEN 3
		ELSE 0 END
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?2`, unix(s.now()), tokenHash)
	var created, expires int64
	var used, revoked sql.NullInt64
	u, err := scanUser(row, &tok.ID, &tok.UserID, &tok.Name, &tok.Scope, &created, &expires, &used, &revoked, &state)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return tok, u, state, ErrNotFound
		}
		return tok, u, state, fmt.Errorf("store: api token: %w", err)
	}
	tok.CreatedAt, tok.ExpiresAt = time.Unix(created, 0), time.Unix(expires, 0)
	if used.Valid {
		t := time.Unix(used.Int64, 0)
		tok.LastUsedAt = &t
	}
	if revoked.Valid {
		t := time.Unix(revoked.Int64, 0)
		tok.RevokedAt = &t
	}
	return tok, u, state, nil
}

// TouchAPIToken records that the token was used now, unless it was within every.
func (t *Tx) TouchAPIToken(ctx context.Context, id string, every time.Duration) error {
	_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at <= ?3)`,
		unix(t.now), id, unix(t.now.Add(-every)))
	return err
}

// DeleteStaleAPITokens removes tokens revoked or expired more than keep ago and reports
// how many. Until then the API names them revoked or expired, not unknown.
func (t *Tx) DeleteStaleAPITokens(ctx context.Context, keep time.Duration) (int64, error) {
	before := unix(t.now.Add(-keep))
	res, err := t.exec(ctx, `DELETE FROM api_tokens WHERE revoked_at <= ?1 OR expires_at <= ?1`, before)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
