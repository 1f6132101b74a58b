package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Invitation states. "Expired" is not stored: it is a pending invitation whose
// expires_at has passed at the time of the request.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteDeclined = "declined"
	InviteRevoked  = "revoked"
	InviteExpired  = "expired"
)

// Invitation is an invitation by e-mail, with the names it is shown with.
type Invitation struct {
	ID            string
	Email         string
	Name          string
	Kind          string
	GroupID       string // "" for an invitation into the company only
	GroupName     string
	GroupArchived bool
	InviterID     string
	Inviter       *User // nil when the reader may not see the inviter (PRODUCT.md §1, "Hidden user")
	InviterActive bool  // whether the inviter's account is active: a link works only while it is
	Message       string
	Locale        string
	State         string // as of the read: expired where the date has passed
	ValidHours    int
	CreatedAt     time.Time
	SentAt        time.Time
	ExpiresAt     time.Time
	LinkCopiedAt  *time.Time
	ClosedAt      *time.Time
	Acceptor      *User // who accepted it; nil when nobody did or the reader may not see them
	AcceptedByID  string
	AcceptedFrom  string
	MailTo        string // the address as typed, where the mail goes; Email is its identity key
	// AccessExpiresAt is the access date chosen when inviting an external user (nil: the
	// company's default applies); the account takes it on acceptance.
	AccessExpiresAt *time.Time
}

// invitationSelect is the SELECT … FROM of invitations as a reads them, with its
// parameters: the time of the request first, then the fence's for the people it names,
// who are joined only where a may see them.
func invitationSelect(a Actor, now time.Time) (string, []any) {
	icond, iargs := a.visibleUserCond("iu")
	acond, aargs := a.visibleUserCond("au")
	q := `SELECT i.id, i.email, i.name, i.kind, coalesce(i.group_id, ''), coalesce(g.name, ''), coalesce(g.archived, 0),
		i.inviter_id, ir.active, i.message, i.locale,
		CASE WHEN i.state = 'pending' AND i.expires_at <= ? THEN 'expired' ELSE i.state END,
		i.valid_hours, i.created_at, i.sent_at, i.expires_at, i.link_copied_at, i.closed_at, i.accepted_from, coalesce(i.accepted_by, ''), i.mail_to,
		i.access_expires_at, iu.id, iu.name, iu.email, iu.kind, iu.active, iu.photo_id, au.id, au.name, au.email, au.kind, au.active, au.photo_id
	FROM invitations i JOIN users ir ON ir.id = i.inviter_id
		LEFT JOIN groups g ON g.id = i.group_id
		LEFT JOIN users iu ON iu.id = i.inviter_id AND ` + icond + `
		LEFT JOIN users au ON au.id = i.accepted_by AND ` + acond
	return q, append(append([]any{unix(now)}, iargs...), aargs...)
}

// personRef is a person named inside another object: nil when the join found nobody
// (none, or one the reader may not see).
type personRef struct {
	id, name, email, kind sql.NullString
	active                sql.NullBool
	photo                 sql.NullString
}

func (p *personRef) dest() []any {
	return []any{&p.id, &p.name, &p.email, &p.kind, &p.active, &p.photo}
}

func (p *personRef) user() *User {
	if !p.id.Valid {
		return nil
	}
	return &User{ID: p.id.String, Name: p.name.String, Email: p.email.String, Kind: p.kind.String,
		Active: p.active.Bool, PhotoID: p.photo.String}
}

func scanInvitation(row interface{ Scan(...any) error }) (Invitation, error) {
	var v Invitation
	var created, sent, expires int64
	var copied, closed, access sql.NullInt64
	var inviter, acceptor personRef
	dest := []any{&v.ID, &v.Email, &v.Name, &v.Kind, &v.GroupID, &v.GroupName, &v.GroupArchived, &v.InviterID,
		&v.InviterActive, &v.Message, &v.Locale, &v.State, &v.ValidHours, &created, &sent, &expires, &copied, &closed,
		&v.AcceptedFrom, &v.AcceptedByID, &v.MailTo, &access}
	err := row.Scan(append(append(dest, inviter.dest()...), acceptor.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: invitation: %w", err)
	}
	v.CreatedAt, v.SentAt, v.ExpiresAt = time.Unix(created, 0), time.Unix(sent, 0), time.Unix(expires, 0)
	v.LinkCopiedAt, v.ClosedAt, v.AccessExpiresAt = nullTime(copied), nullTime(closed), nullTime(access)
	v.Inviter, v.Acceptor = inviter.user(), acceptor.user()
	return v, nil
}

func nullTime(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.Unix(n.Int64, 0)
	return &t
}

// CreateInvitation stores a new pending invitation with the hash of its link's token.
func (t *Tx) CreateInvitation(ctx context.Context, v *Invitation, tokenHash []byte) error {
	if v.MailTo == "" {
		v.MailTo = strings.TrimSpace(v.Email)
	}
	v.ID, v.Email, v.State = NewID(), EmailKey(v.Email), InvitePending
	v.CreatedAt, v.SentAt, v.ExpiresAt = t.now, t.now, t.now.Add(time.Duration(v.ValidHours)*time.Hour)
	_, err := t.exec(ctx, `INSERT INTO invitations (id, token_hash, email, name, kind, group_id, inviter_id, message, locale,
		valid_hours, created_at, sent_at, expires_at, mail_to, access_expires_at)
		VALUES (?, ?, ?, ?, ?, nullif(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, tokenHash, v.Email, v.Name, v.Kind, v.GroupID, v.InviterID, v.Message, v.Locale, v.ValidHours,
		unix(t.now), unix(t.now), unix(v.ExpiresAt), v.MailTo, unixOrNil(v.AccessExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create invitation: %w", err)
	}
	return nil
}

// InvitationFilter narrows a list of invitations.
type InvitationFilter struct {
	GroupID string
	State   string // "" for all; pending excludes expired ones
	Offset  int
	Limit   int
}

// Invitations lists, newest first, the invitations a may see, and how many match. A
// filter by a group a may not see finds nothing, as one by an unknown id does.
func (s *Store) Invitations(ctx context.Context, a Actor, f InvitationFilter) ([]Invitation, int, error) {
	cond, args := a.visibleInvitationCond("i")
	now := unix(s.now())
	where := " WHERE " + cond
	if f.GroupID != "" {
		where += " AND i.group_id = ?"
		args = append(args, f.GroupID)
	}
	switch f.State {
	case "":
	case InviteExpired:
		where += " AND i.state = 'pending' AND i.expires_at <= ?"
		args = append(args, now)
	case InvitePending:
		where += " AND i.state = 'pending' AND i.expires_at > ?"
		args = append(args, now)
	default:
		where += " AND i.state = ?"
		args = append(args, f.State)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM invitations i`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: invitations: %w", err)
	}
	q, qargs := invitationSelect(a, s.now())
	rows, err := s.read.QueryContext(ctx, q+where+` ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`,
		append(append(qargs, args...), f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: invitations: %w", err)
	}
	defer rows.Close()
	vs := []Invitation{}
	for rows.Next() {
		v, err := scanInvitation(rows)
		if err != nil {
			return nil, 0, err
		}
		vs = append(vs, v)
	}
	return vs, total, rows.Err()
}

// InvitationTx loads an invitation a may see (and so act on) inside a write transaction.
func (t *Tx) InvitationTx(ctx context.Context, a Actor, id string) (Invitation, error) {
	cond, args := a.visibleInvitationCond("i")
	q, qargs := invitationSelect(a, t.now)
	return scanInvitation(t.tx.QueryRowContext(ctx, q+` WHERE i.id = ? AND `+cond, append(append(qargs, id), args...)...))
}

// InvitationByToken loads the invitation a link's token hash names. The link is the
// credential here, so there is no actor: whoever holds it may see its invitation.
func (t *Tx) InvitationByToken(ctx context.Context, tokenHash []byte) (Invitation, error) {
	q, qargs := invitationSelect(System(), t.now)
	return scanInvitation(t.tx.QueryRowContext(ctx, q+` WHERE i.token_hash = ?`, append(qargs, tokenHash)...))
}

// RenewInvitation gives an invitation a new link and a new expiry (the old link stops
// working), makes it pending again and makes the one who sends it again its inviter.
func (t *Tx) RenewInvitation(ctx context.Context, id, inviterID string, tokenHash []byte, validHours int) (time.Time, error) {
	exp := t.now.Add(time.Duration(validHours) * time.Hour)
	res, err := t.exec(ctx, `UPDATE invitations SET token_hash = ?, inviter_id = ?, sent_at = ?, expires_at = ?,
		valid_hours = ?, link_copied_at = NULL WHERE id = ? AND state = 'pending'`,
		tokenHash, inviterID, unix(t.now), unix(exp), validHours, id)
	return exp, affectedOne(res, err, "renew invitation")
}

// CloseInvitation ends a pending invitation as declined or revoked.
func (t *Tx) CloseInvitation(ctx context.Context, id, state string) error {
	res, err := t.exec(ctx, `UPDATE invitations SET state = ?, closed_at = ? WHERE id = ? AND state = 'pending'`,
		state, unix(t.now), id)
	return affectedOne(res, err, "close invitation")
}

// LinkCopied records that the inviter copied the link to pass it on by other means.
func (t *Tx) LinkCopied(ctx context.Context, id string) error {
	res, err := t.exec(ctx, `UPDATE invitations SET link_copied_at = ? WHERE id = ?`, unix(t.now), id)
	return affectedOne(res, err, "link copied")
}

// PendingInvitationsFor returns the live (pending, unexpired) invitations for an address.
func (t *Tx) PendingInvitationsFor(ctx context.Context, email string) ([]Invitation, error) {
	q, qargs := invitationSelect(System(), t.now)
	rows, err := t.tx.QueryContext(ctx, q+` WHERE i.email = ? AND i.state = 'pending' AND i.expires_at > ?
		ORDER BY i.created_at`, append(qargs, NormalizeEmail(email), unix(t.now))...)
	if err != nil {
		return nil, fmt.Errorf("store: invitations: %w", err)
	}
	defer rows.Close()
	var vs []Invitation
	for rows.Next() {
		v, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// AcceptInvitation marks an invitation accepted by a user, from a client address.
func (t *Tx) AcceptInvitation(ctx context.Context, id, userID, from string) error {
	res, err := t.exec(ctx, `UPDATE invitations SET state = 'accepted', closed_at = ?, accepted_by = ?, accepted_from = ?
		WHERE id = ? AND state = 'pending'`, unix(t.now), userID, from, id)
	return affectedOne(res, err, "accept invitation")
}

// InvitationsSentSince counts the invitations a person sent (or resent) since a time,
// for the hourly limit.
func (t *Tx) InvitationsSentSince(ctx context.Context, inviterID string, since time.Time) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE inviter_id = ? AND sent_at > ?`,
		inviterID, unix(since)).Scan(&n)
	return n, err
}

// LiveInvitationExists reports whether a pending, unexpired invitation for the address
// into the group (or into no group) already exists.
func (t *Tx) LiveInvitationExists(ctx context.Context, email, groupID string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE email = ? AND coalesce(group_id, '') = ?
		AND state = 'pending' AND expires_at > ?`, NormalizeEmail(email), groupID, unix(t.now)).Scan(&n)
	return n > 0, err
}

// DeleteExpiredInvitations removes the invitations that expired more than keep ago.
func (t *Tx) DeleteExpiredInvitations(ctx context.Context, keep time.Duration) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM invitations WHERE state = 'pending' AND expires_at <= ?`, unix(t.now.Add(-keep)))
	if err != nil {
		return 0, fmt.Errorf("store: tidy invitations: %w", err)
	}
	return res.RowsAffected()
}

// ActiveMemberByEmail reports whether the account with the address is an active member
// of the group (for administrators' answers only).
func (t *Tx) ActiveMemberByEmail(ctx context.Context, groupID, email string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.group_id = ? AND u.email = ? AND m.state = 'active'`, groupID, NormalizeEmail(email)).Scan(&n)
	return n > 0, err
}

// ExternalAccount reports whether the address belongs to an external user's account.
func (t *Tx) ExternalAccount(ctx context.Context, email string) bool {
	var n int
	_ = t.tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = ? AND kind = 'external'`,
		NormalizeEmail(email)).Scan(&n)
	return n > 0
}
