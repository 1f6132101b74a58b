// Package notify tells people of what happens to things they are involved in: in the
// app (the bell) and by mail through the outbox, in the recipient's language, as each of
// them wishes per kind (docs/notifications.md). It is the one way every tool notifies.
package notify

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"annex/app/i18n"
	"annex/app/live"
	"annex/app/mail"
	"annex/app/settings"
	"annex/store"
)

// Kinds of notification.
const (
	TaskAssigned  = "task_assigned"  // named on a task
	TaskCommented = "task_commented" // a comment on a task one is named on
	TaskMentioned = "task_mentioned" // mentioned in a comment
	TaskStatus    = "task_status"    // a task's status changed
	TaskDeadline  = "task_deadline"  // a task's deadline changed
	TaskDue       = "task_due"       // a deadline one day away
)

// Kinds lists every kind, in the order the preferences show them.
var Kinds = []string{TaskAssigned, TaskMentioned, TaskCommented, TaskStatus, TaskDeadline, TaskDue}

// Service notifies.
type Service struct {
	st  *store.Store
	set *settings.Service
	hub *live.Hub
}

// New returns the service.
func New(st *store.Store, set *settings.Service, hub *live.Hub) *Service {
	return &Service{st: st, set: set, hub: hub}
}

// TaskEvent is something that happened to a task, told to some of its people.
type TaskEvent struct {
	Kind   string
	Actor  store.Actor // the zero Actor: Annex itself
	Task   store.Task
	To     []string // whom to tell; those who may not see the task, and the actor, are not told
	Detail string   // the new status or deadline
	Note   string   // a comment's words, quoted in the mail
}

// Task tells, inside the write that made the change, each of ev.To who may see the task
// (never the actor) in the ways they wish: a row for the bell, and a mail in the outbox.
// Each person is told once per event. The open pages hear of it once the write commits.
func (s *Service) Task(ctx context.Context, tx *store.Tx, ev TaskEvent) error {
	to := slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(ev.To))), func(id string) bool {
		return id == "" || id == ev.Actor.UserID
	})
	people, err := tx.TaskAudience(ctx, ev.Task.ID, to)
	if err != nil || len(people) == 0 {
		return err
	}
	v := s.set.Get()
	var told []string
	for _, u := range people {
		prefs, err := tx.NotificationPrefsTx(ctx, u.ID)
		if err != nil {
			return err
		}
		p, ok := prefs[ev.Kind]
		if !ok {
			p = store.NotificationPref{InApp: true, Mail: true}
		}
		if p.InApp {
			n := store.Notification{UserID: u.ID, Kind: ev.Kind, ActorID: ev.Actor.UserID, SubjectType: store.SubjectTask,
				SubjectID: ev.Task.ID, Detail: ev.Detail}
			if err := tx.Notify(ctx, &n); err != nil {
				return err
			}
			told = append(told, u.ID)
		}
		if p.Mail {
			if err := s.mail(ctx, tx, v, u, ev); err != nil {
				return err
			}
		}
	}
	tx.AfterCommit(func() { s.hub.Notified(told) })
	return nil
}

// mail queues the letter of one event to one person.
func (s *Service) mail(ctx context.Context, tx *store.Tx, v settings.Values, to store.User, ev TaskEvent) error {
	who, noteBy := i18n.T(to.Locale, "mail.someone", nil), ""
	if ev.Actor.UserID != "" {
		// The actor by name only if the recipient may see them.
		u, err := tx.UserTx(ctx, store.ActorFor(to), ev.Actor.UserID)
		switch {
		case err == nil:
			who = u.Name
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		noteBy = who
	}
	params := map[string]any{"actor": who, "title": ev.Task.Title}
	switch ev.Kind {
	case TaskStatus:
		params["status"] = i18n.T(to.Locale, "task.status."+ev.Detail, nil)
	case TaskDeadline, TaskDue:
		params["deadline"] = i18n.T(to.Locale, "mail.noDeadline", nil)
		if d, err := time.Parse(time.RFC3339, ev.Detail); err == nil {
			params["deadline"] = mail.Date(d, to.TimeZone)
		}
	}
	note := ev.Note
	if r := []rune(note); len(r) > 2000 {
		note = string(r[:2000]) + "…"
	}
	subject, text, html := mail.Compose(mail.Letter{Kind: ev.Kind, Locale: to.Locale, Company: v.CompanyName,
		Params: params, Link: strings.TrimRight(v.BaseURL, "/") + "/tasks/" + ev.Task.ID, Note: note, NoteBy: noteBy})
	return tx.EnqueueMail(ctx, &store.Mail{Kind: ev.Kind, To: to.MailTo, Subject: subject, Text: text, HTML: html},
		v.MailDomain())
}
