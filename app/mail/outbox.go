package mail

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"annex/store"
)

// Attempts and backoff: a mail is tried MaxAttempts times, waiting FirstRetry, then
// twice as long each time: nine waits of 3 minutes to 12.8 hours, about a day in all.
const (
	MaxAttempts = 10
	FirstRetry  = 3 * time.Minute
	sendTimeout = 30 * time.Second
	idlePoll    = time.Minute // a safety net: commits wake the worker at once
)

// Backoff is the wait after the given number of failed attempts.
func Backoff(failed int) time.Duration { return FirstRetry << (failed - 1) }

// Outbox sends the mail that committed changes have queued (store.Tx.EnqueueMail).
type Outbox struct {
	st   *store.Store
	smtp func() SMTP // the settings at the time of sending
	log  *slog.Logger
}

// NewOutbox returns the worker; smtp gives the current mail settings.
func NewOutbox(st *store.Store, smtp func() SMTP, log *slog.Logger) *Outbox {
	return &Outbox{st: st, smtp: smtp, log: log}
}

// Run sends due mail until ctx ends, waking when a transaction queues mail, when the
// next retry is due, and once a minute regardless.
func (o *Outbox) Run(ctx context.Context) {
	for {
		if _, err := o.Flush(ctx); err != nil && ctx.Err() == nil {
			o.log.Error("outbox", "err", err)
		}
		wait := idlePoll
		if next, ok, err := o.st.NextMailDue(ctx, store.System()); err == nil && ok {
			wait = min(wait, max(time.Until(next), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-o.st.MailQueued():
		case <-t.C:
		}
		t.Stop()
	}
}

// Flush sends every mail due now and returns how many went out.
func (o *Outbox) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		due, err := o.st.DueMails(ctx, store.System(), 50)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		for _, m := range due {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			if err := o.send(ctx, m); err != nil {
				return sent, err
			}
			sent++
		}
	}
}

// send delivers one mail and records the outcome. Marking comes after the send: a crash
// in between sends the mail again, with the same Message-ID (at least once).
func (o *Outbox) send(ctx context.Context, m store.Mail) error {
	s := o.smtp()
	msg := Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.MessageID}
	var err error
	if s.Enabled {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		err = Send(sctx, s, msg)
		cancel()
	} else {
		o.log.Info("mail (no SMTP server configured, so it is written here)", "to", m.To, "subject", m.Subject,
			"message_id", m.MessageID, "text", m.Text)
	}
	if err == nil {
		return o.st.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.MailSent(ctx, m.ID, !s.Enabled); err != nil {
				return err
			}
			return redact(ctx, tx, m)
		})
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the row stays pending and goes at the next start
	}
	why := reason(err, sendTimeout)
	var next *time.Time
	if failed := m.Attempts + 1; failed < MaxAttempts {
		t := o.st.Now().Add(Backoff(failed))
		next = &t
		o.log.Warn("mail not sent; will retry", "to", m.To, "attempt", failed, "retry_at", t, "err", why)
	} else {
		o.log.Error("mail not sent; giving up", "to", m.To, "attempts", failed, "err", why)
	}
	return o.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.MailAttemptFailed(ctx, m.ID, strings.TrimSpace(why), next); err != nil || next != nil {
			return err
		}
		return redact(ctx, tx, m) // failed for good: the link is no use to anyone now
	})
}

// secretLink matches the secret of a link in a mail: an invitation's token (and any
// later token link), which rides in the fragment.
var secretLink = regexp.MustCompile(`#token=[A-Za-z0-9_-]+`)

// RedactedLink replaces a secret link's token in the stored copy of a mail that has
// gone (or failed for good): the outbox is readable by administrators and sits in every
// backup, and the invitation's link must only ever be in the recipient's mailbox. The
// log transport of a zero-config install is the one deliberate exception (it prints
// the whole mail, so the administrator can pass the link on).
const RedactedLink = "#token=removed-once-sent"

// redact removes the secrets from a mail's stored bodies, in the transaction that
// marks it sent or failed.
func redact(ctx context.Context, tx *store.Tx, m store.Mail) error {
	text, html := secretLink.ReplaceAllString(m.Text, RedactedLink), secretLink.ReplaceAllString(m.HTML, RedactedLink)
	if text == m.Text && html == m.HTML {
		return nil
	}
	return tx.RedactMail(ctx, m.ID, text, html)
}
