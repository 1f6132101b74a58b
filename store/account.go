package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A link mailed to a person (password reset, e-mail change) is in one of these states
// when it is opened; only LinkLive may be acted on.
const (
	LinkLive    = "live"
	LinkUsed    = "used"
	LinkExpired = "expired"
)

// PasswordReset is a password-reset link as stored: the hash of its token only.
type PasswordReset struct {
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	State     string // LinkLive, LinkUsed or LinkExpired, as of the transaction's time
}

// UserByEmailTx returns the account with the address, active or not, inside a write
// transaction: password reset needs it before there is any actor.
func (t *Tx) UserByEmailTx(ctx context.Context, email string) (User, error) {
	return scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.email = ?`, EmailKey(email)))
}

// DeferForeignKeys lets the transaction's rows refer to rows that do not exist until it
// commits. A rehearsal that is always rolled back (password reset for an unknown
// address, which must cost what a known one costs) writes the same rows without failing.
func (t *Tx) DeferForeignKeys(ctx context.Context) error {
	_, err := t.exec(ctx, `PRAGMA defer_foreign_keys = ON`)
	return err
}

// CreatePasswordReset stores a reset link's token hash for a user, valid until expires.
func (t *Tx) CreatePasswordReset(ctx context.Context, userID string, tokenHash []byte, expires time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		tokenHash, userID, unix(t.now), unix(expires))
	if err != nil {
		return fmt.Errorf("store: create password reset: %w", err)
	}
	return nil
}

// PasswordResetByToken loads the reset link a token hash names and its user, with its
// state compared in SQL at the transaction's time. An unknown token is ErrNotFound.
func (t *Tx) PasswordResetByToken(ctx context.Context, tokenHash []byte) (PasswordReset, User, error) {
	var r PasswordReset
	var created, expires int64
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+`, r.user_id, r.created_at, r.expires_at,
		CASE WHEN r.used_at IS NOT NULL THEN 'used' WHEN r.expires_at <= ? THEN 'expired' ELSE 'live' END
		FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?`, unix(t.now), tokenHash),
		&r.UserID, &created, &expires, &r.State)
	if err != nil {
		return r, u, err
	}
	r.CreatedAt, r.ExpiresAt = time.Unix(created, 0), time.Unix(expires, 0)
	return r, u, nil
}

// UsePasswordResets marks every unused reset link of a user used: the one just
// followed, and any other still in a mailbox, which a finished reset makes worthless.
func (t *Tx) UsePasswordResets(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
		unix(t.now), userID)
	if err != nil {
		return fmt.Errorf("store: use password resets: %w", err)
	}
	return nil
}

// DeleteExpiredLinks removes reset and e-mail-change links that expired more than keep
// ago, and reports how many.
func (t *Tx) DeleteExpiredLinks(ctx context.Context, keep time.Duration) (int64, error) {
	var n int64
	for _, table := range []string{"password_resets", "email_changes"} {
		res, err := t.exec(ctx, `DELETE FROM `+table+` WHERE expires_at <= ?`, unix(t.now.Add(-keep)))
		if err != nil {
			return n, fmt.Errorf("store: tidy %s: %w", table, err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

// EmailChange is a change of e-mail address waiting for its link.
type EmailChange struct {
	UserID    string
	OldEmail  string // the account's identity key when the change was asked
	NewEmail  string // the new address's identity key
	NewMailTo string // the new address as typed
	ExpiresAt time.Time
	State     string // LinkLive, LinkUsed or LinkExpired, as of the transaction's time
}

// CreateEmailChange stores a change of address asked by a user, waiting for the link
// mailed to the new address.
func (t *Tx) CreateEmailChange(ctx context.Context, c EmailChange, tokenHash []byte) error {
	_, err := t.exec(ctx, `INSERT INTO email_changes (token_hash, user_id, old_email, new_email, new_mail_to, created_at,
		expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, tokenHash, c.UserID, EmailKey(c.OldEmail), EmailKey(c.NewEmail),
		strings.TrimSpace(c.NewMailTo), unix(t.now), unix(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create e-mail change: %w", err)
	}
	return nil
}

// EmailChangeByToken loads the change a link's token hash names and its user, with its
// state compared in SQL at the transaction's time. An unknown token is ErrNotFound.
func (t *Tx) EmailChangeByToken(ctx context.Context, tokenHash []byte) (EmailChange, User, error) {
	var c EmailChange
	var expires int64
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+`, c.user_id, c.old_email, c.new_email,
		c.new_mail_to, c.expires_at,
		CASE WHEN c.used_at IS NOT NULL THEN 'used' WHEN c.expires_at <= ? THEN 'expired' ELSE 'live' END
		FROM email_changes c JOIN users u ON u.id = c.user_id WHERE c.token_hash = ?`, unix(t.now), tokenHash),
		&c.UserID, &c.OldEmail, &c.NewEmail, &c.NewMailTo, &expires, &c.State)
	if err != nil {
		return c, u, err
	}
	c.ExpiresAt = time.Unix(expires, 0)
	return c, u, nil
}

// UseEmailChanges marks every unused e-mail change of a user used: the one just
// confirmed, and any other pending one, which would now change an address the person
// no longer has.
func (t *Tx) UseEmailChanges(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `UPDATE email_changes SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
		unix(t.now), userID)
	if err != nil {
		return fmt.Errorf("store: use e-mail changes: %w", err)
	}
	return nil
}

// ChangeEmail gives a user a new address: email becomes its identity key, mailTo (as
// typed) where mail goes. An address another account has is ErrConflict. Reset links
// still waiting in the old mailbox stop working.
func (t *Tx) ChangeEmail(ctx context.Context, userID, email, mailTo string) error {
	res, err := t.exec(ctx, `UPDATE users SET email = ?, mail_to = ?, updated_at = ? WHERE id = ?`,
		EmailKey(email), strings.TrimSpace(mailTo), unix(t.now), userID)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err := affectedOne(res, err, "change e-mail"); err != nil {
		return err
	}
	if err := t.UsePasswordResets(ctx, userID); err != nil {
		return err
	}
	return t.refreshSearch(ctx, userID)
}

// EmailHolder reports whether another account than the actor's has the address, and
// whether the actor may see that account (the fence's visibleUserCond): what a person
// may be told about an address is what the product already shows them.
func (t *Tx) EmailHolder(ctx context.Context, a Actor, email string) (taken, visible bool, err error) {
	cond, args := a.visibleUserCond("u")
	var v sql.NullBool
	err = t.tx.QueryRowContext(ctx, `SELECT `+cond+` FROM users u WHERE u.email = ? AND u.id <> ?`,
		append(args, EmailKey(email), a.UserID)...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("store: e-mail holder: %w", err)
	}
	return true, v.Bool, nil
}
