package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// User is a person's account.
type User struct {
	ID string
	// Email is the address's identity key (EmailKey): what sign-in, duplicates, seats
	// and invitations compare, and what is shown.
	Email string
	// MailTo is the address as the person typed it (trimmed): where mail is sent. It is
	// never compared, because its form is the mailbox's business, not ours.
	MailTo             string
	Name               string
	Kind               string
	Admin              bool
	Active             bool
	PasswordHash       string
	MustChangePassword bool
	TemporaryReason    string // why the password must change: TemporaryNewAccount, TemporaryReset or ""
	PasswordExpiresAt  *time.Time
	Locale             string
	Position           string
	Company            string
	Phone              string
	TimeZone           string // IANA name, "" when not set
	PhotoID            string // "" when there is no photo
	CreatedAt          time.Time
	TwoFactorEnabled   bool // a confirmed TOTP secret is in force (docs/two-factor.md)
	// AccessExpiresAt is when an external user's access ends (docs/access-expiry.md); nil
	// for none. Past it the account is refused at request time, as if deactivated.
	AccessExpiresAt *time.Time
}

// AccessEnded reports whether the person's access date has passed at now.
func (u User) AccessEnded(now time.Time) bool {
	return u.AccessExpiresAt != nil && !now.Before(*u.AccessExpiresAt)
}

const userCols = `u.id, u.email, u.name, u.kind, u.is_admin, u.active, u.password_hash,
	u.must_change_password, u.password_expires_at, u.locale, u.position, u.company, u.phone, u.time_zone,
	coalesce(u.photo_id, ''), u.created_at, u.mail_to, u.temporary_reason,
	EXISTS (SELECT 1 FROM two_factor tf WHERE tf.user_id = u.id AND tf.secret != ''), u.access_expires_at`

// scanUser reads userCols, then any extra columns into extra.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var exp, access sql.NullInt64
	var created int64
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Kind, &u.Admin, &u.Active, &u.PasswordHash,
		&u.MustChangePassword, &exp, &u.Locale, &u.Position, &u.Company, &u.Phone, &u.TimeZone, &u.PhotoID, &created,
		&u.MailTo, &u.TemporaryReason, &u.TwoFactorEnabled, &access}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("store: user: %w", err)
	}
	if exp.Valid {
		t := time.Unix(exp.Int64, 0)
		u.PasswordExpiresAt = &t
	}
	u.AccessExpiresAt = nullTime(access)
	u.CreatedAt = time.Unix(created, 0)
	return u, nil
}

var folder = cases.Fold()

// searchText is what directory search matches: name, address and position, folded.
func searchText(u User) string {
	return folder.String(u.Name + " " + u.Email + " " + u.Position)
}

// EmailKey is an address's identity key, the one form it is stored, compared and looked
// up in (docs/people.md, "E-mail addresses"). It merges the forms of one address that
// look alike and never different mailboxes:
//   - the local part goes through NFKC (full-width ＡＤＭＩＮ is ADMIN, the ligature ﬁ is
//     fi, the long ſ is s) and is then lower-cased, character by character, not case
//     folded: ß stays ß, because "strasse" may be someone else's mailbox;
//   - the domain goes through IDNA (UTS #46, non-transitional, as browsers and mail
//     servers look names up), then back to Unicode for reading: ＡＣＭＥ.test and
//     ACME.test are acme.test, xn--strae-oqa.test is straße.test, and straße.test is
//     not strasse.test. A domain IDNA refuses is only NFKC'd and lower-cased; the
//     address's validation refuses it anyway.
//
// Mail is never sent to the key, but to the address as typed (User.MailTo).
func EmailKey(s string) string {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return lowerNFKC(s)
	}
	local, domain := s[:at], s[at+1:]
	if a, err := idna.Lookup.ToASCII(domain); err == nil {
		if u, err := idna.Lookup.ToUnicode(a); err == nil {
			return lowerNFKC(local) + "@" + u
		}
	}
	return lowerNFKC(local) + "@" + lowerNFKC(domain)
}

func lowerNFKC(s string) string { return norm.NFC.String(strings.ToLower(norm.NFKC.String(s))) }

// NormalizeEmail is EmailKey, under the name its earlier callers use.
func NormalizeEmail(s string) string { return EmailKey(s) }

// User returns the user with id if a may see them.
func (s *Store) User(ctx context.Context, a Actor, id string) (User, error) {
	cond, args := a.visibleUserCond("u")
	return scanUser(s.read.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM users u WHERE u.id = ? AND `+cond, append([]any{id}, args...)...))
}

// UserForSignIn returns the account with the given address, active or not: sign-in and
// password reset need it before there is any actor.
func (s *Store) UserForSignIn(ctx context.Context, email string) (User, error) {
	return scanUser(s.read.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM users u WHERE u.email = ?`, NormalizeEmail(email)))
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// Why a temporary password was given (User.TemporaryReason): the person signing in with
// it is told either that their account is new or that their password was reset.
const (
	TemporaryNewAccount = "new_account"
	TemporaryReset      = "reset"
)

// CreateUser inserts u, assigning its id. A taken address is ErrConflict. A user created
// with a password to change has a new account's temporary password.
func (t *Tx) CreateUser(ctx context.Context, u *User) error {
	u.ID = NewID()
	if u.MailTo == "" {
		u.MailTo = strings.TrimSpace(u.Email)
	}
	u.TemporaryReason = ""
	if u.MustChangePassword {
		u.TemporaryReason = TemporaryNewAccount
	}
	u.Email = EmailKey(u.Email)
	u.CreatedAt = t.now
	var exp any
	if u.PasswordExpiresAt != nil {
		exp = u.PasswordExpiresAt.Unix()
	}
	_, err := t.exec(ctx, `INSERT INTO users (id, email, name, kind, is_admin, active, password_hash,
		must_change_password, temporary_reason, password_expires_at, locale, position, company, phone, time_zone, search,
		created_at, updated_at, mail_to)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Kind, u.Admin, u.Active, u.PasswordHash, u.MustChangePassword, u.TemporaryReason, exp,
		u.Locale, u.Position, u.Company, u.Phone, u.TimeZone, searchText(*u), unix(t.now), unix(t.now), u.MailTo)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

// SetPassword replaces a user's password hash; temporary marks it as one to be changed
// at the next sign-in, valid until expires: a reset (a new account's first password is
// set by CreateUser).
func (t *Tx) SetPassword(ctx context.Context, userID, hash string, temporary bool, expires *time.Time) error {
	var exp any
	if expires != nil {
		exp = expires.Unix()
	}
	reason := ""
	if temporary {
		reason = TemporaryReset
	}
	res, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, temporary_reason = ?,
		password_expires_at = ?, updated_at = ? WHERE id = ?`, hash, temporary, reason, exp, unix(t.now), userID)
	return affectedOne(res, err, "set password")
}

// UpgradePasswordHash replaces a password's hash by one of the same password made with
// today's cost, unless the password changed meanwhile.
func (t *Tx) UpgradePasswordHash(ctx context.Context, userID, oldHash, newHash string) error {
	_, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, userID, oldHash)
	if err != nil {
		return fmt.Errorf("store: upgrade password hash: %w", err)
	}
	return nil
}

// SetLocale stores a user's interface language.
func (t *Tx) SetLocale(ctx context.Context, userID, locale string) error {
	res, err := t.exec(ctx, `UPDATE users SET locale = ?, updated_at = ? WHERE id = ?`, locale, unix(t.now), userID)
	return affectedOne(res, err, "set locale")
}

// Profile is what a person completes about themselves.
type Profile struct {
	Name, Position, Company, Phone, TimeZone string
}

// SetProfile stores a user's profile.
func (t *Tx) SetProfile(ctx context.Context, userID string, p Profile) error {
	res, err := t.exec(ctx, `UPDATE users SET name = ?, position = ?, company = ?, phone = ?, time_zone = ?, updated_at = ?
		WHERE id = ?`, p.Name, p.Position, p.Company, p.Phone, p.TimeZone, unix(t.now), userID)
	if err := affectedOne(res, err, "set profile"); err != nil {
		return err
	}
	return t.refreshSearch(ctx, userID)
}

// SetPhoto points a user's photo at a stored file ("" for none) and returns the id of
// the one it replaces, for the caller to delete once the change has committed.
func (t *Tx) SetPhoto(ctx context.Context, userID, photoID string) (old string, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT coalesce(photo_id, '') FROM users WHERE id = ?`, userID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: photo: %w", err)
	}
	_, err = t.exec(ctx, `UPDATE users SET photo_id = nullif(?, ''), updated_at = ? WHERE id = ?`, photoID, unix(t.now), userID)
	if err != nil {
		return "", fmt.Errorf("store: photo: %w", err)
	}
	return old, nil
}

// refreshSearch recomputes the folded search text of one user, or of every user whose
// text is empty when userID is "".
func (t *Tx) refreshSearch(ctx context.Context, userID string) error {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, name, email, position FROM users
		WHERE (?1 = '' AND search = '') OR id = ?1`, userID)
	if err != nil {
		return fmt.Errorf("store: search text: %w", err)
	}
	var us []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Position); err != nil {
			rows.Close()
			return err
		}
		us = append(us, u)
	}
	rows.Close()
	for _, u := range us {
		if _, err := t.exec(ctx, `UPDATE users SET search = ? WHERE id = ?`, searchText(u), u.ID); err != nil {
			return fmt.Errorf("store: search text: %w", err)
		}
	}
	return rows.Err()
}

func affectedOne(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// UserTx returns a user inside a write transaction, through the fence like User.
func (t *Tx) UserTx(ctx context.Context, a Actor, id string) (User, error) {
	cond, args := a.visibleUserCond("u")
	return scanUser(t.tx.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM users u WHERE u.id = ? AND `+cond, append([]any{id}, args...)...))
}

// CountActiveAdmins counts the active administrators.
func (t *Tx) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE is_admin = 1 AND active = 1`).Scan(&n)
	return n, err
}

// SetAdmin grants or removes the admin flag.
func (t *Tx) SetAdmin(ctx context.Context, userID string, admin bool) error {
	res, err := t.exec(ctx, `UPDATE users SET is_admin = ?, updated_at = ? WHERE id = ?`, admin, unix(t.now), userID)
	return affectedOne(res, err, "set admin")
}

// MakeEmployee turns an external user into an employee: same account, same content.
func (t *Tx) MakeEmployee(ctx context.Context, userID string) error {
	// Access dates are for external users: an employee's account has none.
	res, err := t.exec(ctx, `UPDATE users SET kind = 'employee', access_expires_at = NULL, expiry_reminded_at = NULL,
		updated_at = ? WHERE id = ? AND kind = 'external'`,
		unix(t.now), userID)
	return affectedOne(res, err, "make employee")
}
