package people

import (
	"context"
	"strings"
	"time"

	"annex/app/audit"
	"annex/app/jobs"
	"annex/app/mail"
	"annex/app/settings"
	"annex/store"
)

// ReminderLead is how long before an access date its inviters are reminded of it.
const ReminderLead = 3 * 24 * time.Hour

// Names of the access expiry jobs.
const (
	ExpiryJob   = "access_expiry"
	ReminderJob = "expiry_reminders"
)

// ExpiryJobs are the scheduled jobs of access expiry: one deactivates the accounts whose
// date has passed (they have been refused since the date: the job only tidies up, ends
// their sessions and frees their seats), the other reminds the inviters of a date that
// comes within ReminderLead, once per date.
func ExpiryJobs(st *store.Store, set *settings.Service) []jobs.Job {
	return []jobs.Job{
		{Name: ExpiryJob, Schedule: "@every 1m", RunAtStart: true, Run: func(ctx context.Context) error {
			return EndExpiredAccess(ctx, st)
		}},
		{Name: ReminderJob, Schedule: "@every 1h", RunAtStart: true, Run: func(ctx context.Context) error {
			return RemindExpiry(ctx, st, set.Get())
		}},
	}
}

// EndExpiredAccess deactivates every active account whose access date has passed, each
// with its row in the activity log, in one transaction.
func EndExpiredAccess(ctx context.Context, st *store.Store) error {
	return st.Tx(ctx, func(tx *store.Tx) error {
		us, err := tx.AccessEnded(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			if err := tx.SetActive(ctx, u.ID, false); err != nil {
				return err
			}
			err := audit.Log(ctx, tx, store.System(), audit.AccessExpired, audit.User(u.ID, u.Email),
				map[string]string{"expiresAt": dateOrNone(u.AccessExpiresAt)})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// RemindExpiry mails the inviters of each person whose access ends within ReminderLead
// (the administrators when none of her inviters is active any more), once per date,
// with the link to her profile, where the date is extended.
func RemindExpiry(ctx context.Context, st *store.Store, v settings.Values) error {
	return st.Tx(ctx, func(tx *store.Tx) error {
		us, err := tx.ExpiryDue(ctx, ReminderLead)
		if err != nil {
			return err
		}
		for _, u := range us {
			to, err := tx.Inviters(ctx, u.ID)
			if err != nil {
				return err
			}
			if len(to) == 0 {
				if to, err = tx.ActiveAdmins(ctx); err != nil {
					return err
				}
			}
			link := strings.TrimRight(v.BaseURL, "/") + "/people/" + u.ID
			for _, r := range to {
				subject, text, html := mail.Compose(mail.Letter{Kind: "access_ending", Locale: r.Locale, Company: v.CompanyName,
					Params: map[string]any{"name": u.Name, "email": u.Email, "date": mail.Date(*u.AccessExpiresAt, r.TimeZone)},
					Link:   link})
				err := tx.EnqueueMail(ctx, &store.Mail{Kind: "access_ending", To: r.MailTo, Subject: subject, Text: text,
					HTML: html}, v.MailDomain())
				if err != nil {
					return err
				}
			}
			if err := tx.MarkExpiryReminded(ctx, u.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
