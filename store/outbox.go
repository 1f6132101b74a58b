package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outbox states.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// Mail is one outbox row.
type Mail struct {
	ID            string
	MessageID     string
	Kind          string
	To            string
	Subject       string
	Text          string
	HTML          string
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	Logged        bool // "sent" to the server log, as no SMTP server was set: nobody received it
}

// EnqueueMail writes a mail to the outbox, due at once, as part of the transaction's
// change: it is sent if and only if the change commits. domain names the Message-ID's
// right-hand side.
func (t *Tx) EnqueueMail(ctx context.Context, m *Mail, domain string) error {
	m.ID = NewID()
	m.MessageID = m.ID + "." + NewID() + "@" + domain // the mail library adds the angle brackets
	m.State, m.CreatedAt, m.NextAttemptAt = MailPending, t.now, t.now
	_, err := t.exec(ctx, `INSERT INTO outbox (id, message_id, kind, to_addr, subject, text_body, html_body,
		next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.MessageID, m.Kind, m.To, m.Subject, m.Text, m.HTML, unix(t.now), unix(t.now))
	if err != nil {
		return fmt.Errorf("store: enqueue mail: %w", err)
	}
	t.mailQueued = true
	return nil
}

// MailQueued receives a value after a transaction that queued or retried mail commits,
// so the sending worker wakes at once rather than at its next poll.
func (s *Store) MailQueued() <-chan struct{} { return s.mailWake }

const mailCols = `id, message_id, kind, to_addr, subject, text_body, html_body, state, attempts, next_attempt_at,
	last_error, created_at, sent_at, logged`

func scanMail(row interface{ Scan(...any) error }) (Mail, error) {
	var m Mail
	var next, created int64
	var sent sql.NullInt64
	err := row.Scan(&m.ID, &m.MessageID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.State, &m.Attempts, &next,
		&m.LastError, &created, &sent, &m.Logged)
	if err != nil {
		return m, fmt.Errorf("store: mail: %w", err)
	}
	m.NextAttemptAt, m.CreatedAt = time.Unix(next, 0), time.Unix(created, 0)
	if sent.Valid {
		t := time.Unix(sent.Int64, 0)
		m.SentAt = &t
	}
	return m, nil
}

func (s *Store) mails(ctx context.Context, q string, args ...any) ([]Mail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+mailCols+` FROM outbox `+q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	ms := []Mail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// DueMails returns up to limit pending mails whose next attempt is due, oldest first.
// The sending worker is the only caller: it runs as the system.
func (s *Store) DueMails(ctx context.Context, a Actor, limit int) ([]Mail, error) {
	if !a.IsSystem() {
		return nil, ErrNotFound
	}
	return s.mails(ctx, `WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
		unix(s.now()), limit)
}

// NextMailDue returns when the earliest pending mail is due, or false when none is.
func (s *Store) NextMailDue(ctx context.Context, a Actor) (time.Time, bool, error) {
	if !a.IsSystem() {
		return time.Time{}, false, ErrNotFound
	}
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'`).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return time.Unix(next.Int64, 0), true, nil
}

// MailFilter narrows the administrator's outbox list.
type MailFilter struct {
	State  string // "" for every state
	Offset int
	Limit  int
}

// Mails lists the outbox for an administrator, newest first, and how many match.
func (s *Store) Mails(ctx context.Context, a Actor, f MailFilter) ([]Mail, int, error) {
	if !a.administers() {
		return nil, 0, ErrNotFound
	}
	where, args := "WHERE 1", []any{}
	if f.State != "" {
		where, args = "WHERE state = ?", append(args, f.State)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM outbox `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: outbox: %w", err)
	}
	ms, err := s.mails(ctx, where+` ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	return ms, total, err
}

// MailSent marks a mail delivered; logged says it went to the server log (no SMTP server
// was set), so an administrator knows the recipient has not got it.
func (t *Tx) MailSent(ctx context.Context, id string, logged bool) error {
	res, err := t.exec(ctx, `UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '',
		logged = ? WHERE id = ? AND state = 'pending'`, unix(t.now), logged, id)
	return affectedOne(res, err, "mail sent")
}

// MailAttemptFailed records a failed attempt: the mail is tried again at next, or,
// when next is nil, given up as failed.
func (t *Tx) MailAttemptFailed(ctx context.Context, id, reason string, next *time.Time) error {
	state, at := MailFailed, t.now
	if next != nil {
		state, at = MailPending, *next
	}
	res, err := t.exec(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?
		WHERE id = ? AND state = 'pending'`, state, reason, unix(at), id)
	return affectedOne(res, err, "mail attempt")
}

// RedactMail replaces a mail's stored bodies, once it has gone (or will never go), so the
// outbox keeps no usable secret such as an invitation's link.
func (t *Tx) RedactMail(ctx context.Context, id, text, html string) error {
	res, err := t.exec(ctx, `UPDATE outbox SET text_body = ?, html_body = ? WHERE id = ?`, text, html, id)
	return affectedOne(res, err, "redact mail")
}

// MailText returns the stored text of a mail, for checks before acting on it.
func (t *Tx) MailText(ctx context.Context, id string) (string, error) {
	var text string
	err := t.tx.QueryRowContext(ctx, `SELECT text_body FROM outbox WHERE id = ?`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return text, err
}

// RetryMail makes a pending or failed mail due at once (an administrator's "retry now").
func (t *Tx) RetryMail(ctx context.Context, id string) error {
	res, err := t.exec(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?,
		attempts = CASE state WHEN 'failed' THEN 0 ELSE attempts END WHERE id = ? AND state != 'sent'`, unix(t.now), id)
	if err := affectedOne(res, err, "retry mail"); err != nil {
		return err
	}
	t.mailQueued = true
	return nil
}
