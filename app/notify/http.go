package notify

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/people"
	"annex/store"
)

// Subject is what a notification is about.
type Subject struct {
	Type  string `json:"type" enum:"task"`
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Notification is one notification of the signed-in person.
type Notification struct {
	ID        string      `json:"id"`
	Kind      string      `json:"kind" enum:"task_assigned,task_commented,task_mentioned,task_status,task_deadline,task_due"`
	Actor     *people.Ref `json:"actor,omitempty" doc:"Who did it; left out for Annex itself or someone you may not see"`
	Subject   Subject     `json:"subject"`
	Detail    string      `json:"detail" doc:"task_status: the new status; task_deadline, task_due: the deadline (RFC 3339, empty when removed)"`
	CreatedAt string      `json:"createdAt"`
	Read      bool        `json:"read"`
}

type listInput struct {
	Unread  bool `query:"unread" doc:"Only the unread ones"`
	Page    int  `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int  `query:"perPage" minimum:"1" maximum:"100" default:"20"`
}

// Page is one page of notifications, newest first.
type Page struct {
	Items   []Notification `json:"items"`
	Total   int            `json:"total"`
	Unread  int            `json:"unread" doc:"How many are unread in all"`
	Page    int            `json:"page"`
	PerPage int            `json:"perPage"`
}

type listOutput struct{ Body Page }

type idInput struct {
	ID string `path:"id" maxLength:"32"`
}

// Pref is how one kind of notification reaches the person.
type Pref struct {
	Kind  string `json:"kind" enum:"task_assigned,task_commented,task_mentioned,task_status,task_deadline,task_due"`
	InApp bool   `json:"inApp"`
	Mail  bool   `json:"mail"`
}

// Prefs are the person's wishes, one per kind.
type Prefs struct {
	Items []Pref `json:"items" maxItems:"20"`
}

type prefsOutput struct{ Body Prefs }

type prefsInput struct{ Body Prefs }

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Notifications"}
	huma.Register(api, huma.Operation{OperationID: "listNotifications", Method: http.MethodGet, Path: "/notifications",
		Summary: "Your notifications, newest first", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "readNotification", Method: http.MethodPost, Path: "/notifications/{id}/read",
		Summary: "Mark one of your notifications read", Tags: tags, DefaultStatus: http.StatusNoContent}, s.read)
	huma.Register(api, huma.Operation{OperationID: "readAllNotifications", Method: http.MethodPost, Path: "/notifications/read",
		Summary: "Mark all your notifications read", Tags: tags, DefaultStatus: http.StatusNoContent}, s.readAll)
	huma.Register(api, huma.Operation{OperationID: "getNotificationPrefs", Method: http.MethodGet,
		Path: "/notifications/preferences", Summary: "How each kind of notification reaches you", Tags: tags}, s.prefs)
	huma.Register(api, huma.Operation{OperationID: "setNotificationPrefs", Method: http.MethodPut,
		Path: "/notifications/preferences", Summary: "Choose how each kind of notification reaches you", Tags: tags},
		s.setPrefs)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	a := auth.ActorFrom(ctx)
	ns, total, unread, err := s.st.Notifications(ctx, a, in.Unread, (in.Page-1)*in.PerPage, in.PerPage)
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: Page{Items: make([]Notification, 0, len(ns)), Total: total, Unread: unread, Page: in.Page,
		PerPage: in.PerPage}}
	for _, n := range ns {
		out.Body.Items = append(out.Body.Items, Notification{ID: n.ID, Kind: n.Kind, Actor: people.RefOf(n.Actor),
			Subject: Subject{Type: n.SubjectType, ID: n.SubjectID, Title: n.SubjectTitle}, Detail: n.Detail,
			CreatedAt: stamp(n.CreatedAt), Read: n.Read})
	}
	return out, nil
}

func (s *Service) read(ctx context.Context, in *idInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.MarkNotificationRead(ctx, a, in.ID); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.hub.Notified([]string{a.UserID}) }) // the other open pages' bells
		return nil
	})
}

func (s *Service) readAll(ctx context.Context, _ *struct{}) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.MarkAllNotificationsRead(ctx, a); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.hub.Notified([]string{a.UserID}) })
		return nil
	})
}

func prefsOf(m map[string]store.NotificationPref) *prefsOutput {
	out := &prefsOutput{Body: Prefs{Items: make([]Pref, 0, len(Kinds))}}
	for _, k := range Kinds {
		p, ok := m[k]
		if !ok {
			p = store.NotificationPref{InApp: true, Mail: true}
		}
		out.Body.Items = append(out.Body.Items, Pref{Kind: k, InApp: p.InApp, Mail: p.Mail})
	}
	return out
}

func (s *Service) prefs(ctx context.Context, _ *struct{}) (*prefsOutput, error) {
	m, err := s.st.NotificationPrefs(ctx, auth.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return prefsOf(m), nil
}

func (s *Service) setPrefs(ctx context.Context, in *prefsInput) (*prefsOutput, error) {
	a := auth.ActorFrom(ctx)
	var fields apperr.Fields
	var seen []string
	for i, p := range in.Body.Items {
		if slices.Contains(seen, p.Kind) {
			fields.Add("body.items["+strconv.Itoa(i)+"].kind", "duplicate", nil)
		}
		seen = append(seen, p.Kind)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	var out *prefsOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		for _, p := range in.Body.Items {
			if err := tx.SetNotificationPref(ctx, a.UserID, p.Kind, store.NotificationPref{InApp: p.InApp, Mail: p.Mail}); err != nil {
				return err
			}
		}
		m, err := tx.NotificationPrefsTx(ctx, a.UserID)
		out = prefsOf(m)
		return err
	})
	return out, err
}

// RemindersJob names the job that reminds of deadlines.
const RemindersJob = "task_reminders"

// Reminders is the job that tells a task's responsible person and participants, once
// per deadline, that it is a day away.
func (s *Service) Reminders(ctx context.Context) error {
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		due, err := tx.TasksDueSoon(ctx, 24*time.Hour)
		if err != nil {
			return err
		}
		for id, to := range due {
			v, err := tx.TaskTx(ctx, store.System(), id)
			if err != nil {
				return err
			}
			if err := s.Task(ctx, tx, TaskEvent{Kind: TaskDue, Task: v, To: to, Detail: v.Deadline.UTC().Format(time.RFC3339)}); err != nil {
				return err
			}
			if err := tx.MarkDueReminded(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}
