package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TwoFactor is a person's TOTP state (docs/two-factor.md). Secrets are sealed by the
// caller before they reach the store.
type TwoFactor struct {
	UserID        string
	Secret        string // sealed; "" while two-factor is off
	EnabledAt     time.Time
	LastStep      int64  // the last accepted time step
	PendingSecret string // sealed; an enrolment awaiting its first code
	PendingAt     time.Time
}

// Enabled reports whether a confirmed secret is in force.
func (f TwoFactor) Enabled() bool { return f.Secret != "" }

// TwoFactorStatus is what a person is shown of their own two-factor state.
type TwoFactorStatus struct {
	Enabled       bool
	EnabledAt     time.Time
	RecoveryLeft  int
	RecoveryTotal int
}

// TwoFactorStatus returns the actor's own two-factor state.
func (s *Store) TwoFactorStatus(ctx context.Context, a Actor) (TwoFactorStatus, error) {
	var st TwoFactorStatus
	var enabled sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT enabled_at FROM two_factor WHERE user_id = ?1 AND secret != ''),
		(SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL),
		(SELECT count(*) FROM recovery_codes WHERE user_id = ?1)`, a.UserID).Scan(&enabled, &st.RecoveryLeft, &st.RecoveryTotal)
	if err != nil {
		return st, fmt.Errorf("store: two-factor status: %w", err)
	}
	if enabled.Valid {
		st.Enabled, st.EnabledAt = true, time.Unix(enabled.Int64, 0)
	}
	return st, nil
}

// TwoFactor returns the user's two-factor row inside the transaction, or ErrNotFound.
func (t *Tx) TwoFactor(ctx context.Context, userID string) (TwoFactor, error) {
	f := TwoFactor{UserID: userID}
	var enabled, pending sql.NullInt64
	err := t.tx.QueryRowContext(ctx, `SELECT secret, enabled_at, last_step, pending_secret, pending_at
		FROM two_factor WHERE user_id = ?`, userID).Scan(&f.Secret, &enabled, &f.LastStep, &f.PendingSecret, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("store: two-factor: %w", err)
	}
	if enabled.Valid {
		f.EnabledAt = time.Unix(enabled.Int64, 0)
	}
	if pending.Valid {
		f.PendingAt = time.Unix(pending.Int64, 0)
	}
	return f, nil
}

// StartTwoFactor records an enrolment awaiting its first code, replacing any earlier
// unconfirmed one; a confirmed secret stays in force meanwhile.
func (t *Tx) StartTwoFactor(ctx context.Context, userID, pendingSealed string) error {
	_, err := t.exec(ctx, `INSERT INTO two_factor (user_id, pending_secret, pending_at) VALUES (?1, ?2, ?3)
		ON CONFLICT (user_id) DO UPDATE SET pending_secret = ?2, pending_at = ?3`, userID, pendingSealed, unix(t.now))
	if err != nil {
		return fmt.Errorf("store: start two-factor: %w", err)
	}
	return nil
}

// ConfirmTwoFactor puts the pending secret in force, with step as the last accepted
// time step (the confirming code's). It fails with ErrNotFound when nothing is pending.
func (t *Tx) ConfirmTwoFactor(ctx context.Context, userID string, step int64) error {
	res, err := t.exec(ctx, `UPDATE two_factor SET secret = pending_secret, enabled_at = ?2,
		last_step = max(last_step, ?3), pending_secret = '', pending_at = NULL
		WHERE user_id = ?1 AND pending_secret != ''`, userID, unix(t.now), step)
	return affectedOne(res, err, "confirm two-factor")
}

// AcceptStep records step as the last accepted time step, unless that step or a later
// one was accepted already: it reports whether the code may pass. The check and the
// write are one statement, so two requests with one code cannot both pass.
func (t *Tx) AcceptStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := t.exec(ctx, `UPDATE two_factor SET last_step = ?2 WHERE user_id = ?1 AND secret != '' AND last_step < ?2`,
		userID, step)
	if err != nil {
		return false, fmt.Errorf("store: accept step: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DisableTwoFactor removes the user's secret, any pending enrolment and every recovery
// code, and ends the sign-ins awaiting a second factor.
func (t *Tx) DisableTwoFactor(ctx context.Context, userID string) error {
	for _, q := range []string{`DELETE FROM two_factor WHERE user_id = ?`, `DELETE FROM recovery_codes WHERE user_id = ?`,
		`DELETE FROM two_factor_challenges WHERE user_id = ?`} {
		if _, err := t.exec(ctx, q, userID); err != nil {
			return fmt.Errorf("store: disable two-factor: %w", err)
		}
	}
	return nil
}

// SetRecoveryCodes replaces the user's recovery codes with the given hashes.
func (t *Tx) SetRecoveryCodes(ctx context.Context, userID string, hashes [][]byte) error {
	if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := t.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`,
			userID, h, unix(t.now)); err != nil {
			return fmt.Errorf("store: recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode spends the unused code with the hash and reports whether there was one.
func (t *Tx) UseRecoveryCode(ctx context.Context, userID string, hash []byte) (bool, error) {
	res, err := t.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		unix(t.now), userID, hash)
	if err != nil {
		return false, fmt.Errorf("store: use recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreateTwoFactorChallenge records a sign-in awaiting its second factor.
func (t *Tx) CreateTwoFactorChallenge(ctx context.Context, tokenHash []byte, userID string, remember bool, expires time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO two_factor_challenges (token_hash, user_id, remember, expires_at) VALUES (?, ?, ?, ?)`,
		tokenHash, userID, remember, unix(expires))
	if err != nil {
		return fmt.Errorf("store: two-factor challenge: %w", err)
	}
	return nil
}

// TwoFactorChallenge returns the user of a live sign-in awaiting its second factor and
// whether it asked to be remembered, checked at request time: an expired challenge, a
// deactivated account or one whose two-factor is off is ErrNotFound.
func (s *Store) TwoFactorChallenge(ctx context.Context, tokenHash []byte) (User, bool, error) {
	var remember bool
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+`, c.remember
		FROM two_factor_challenges c JOIN users u ON u.id = c.user_id
		JOIN two_factor f ON f.user_id = c.user_id AND f.secret != ''
		WHERE c.token_hash = ? AND c.expires_at > ? AND u.active = 1`, tokenHash, unix(s.now())), &remember)
	return u, remember, err
}

// DeleteTwoFactorChallenge ends a sign-in awaiting its second factor.
func (t *Tx) DeleteTwoFactorChallenge(ctx context.Context, tokenHash []byte) error {
	_, err := t.exec(ctx, `DELETE FROM two_factor_challenges WHERE token_hash = ?`, tokenHash)
	return err
}
