package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Notification is one person told of one event about one subject. Actor is nil when
// Annex itself tells, or when the reader may not see who acted.
type Notification struct {
	ID           string
	UserID       string
	Kind         string
	ActorID      string
	Actor        *User
	SubjectType  string
	SubjectID    string
	SubjectTitle string // the subject's title as it is now
	Detail       string
	CreatedAt    time.Time
	Read         bool
}

// Subjects of notifications.
const SubjectTask = "task"

// Notify writes n for n.UserID; n.ID and n.CreatedAt are set.
func (t *Tx) Notify(ctx context.Context, n *Notification) error {
	n.ID, n.CreatedAt = NewID(), t.now
	_, err := t.exec(ctx, `INSERT INTO notifications (id, user_id, kind, actor_id, subject_type, subject_id, detail, created_at)
		VALUES (?, ?, ?, nullif(?, ''), ?, ?, ?, ?)`, n.ID, n.UserID, n.Kind, n.ActorID, n.SubjectType, n.SubjectID, n.Detail,
		unix(t.now))
	if err != nil {
		return fmt.Errorf("store: notify: %w", err)
	}
	return nil
}

// Notifications lists, newest first, a page of a's notifications whose subject a may
// still see, how many there are, and how many of them are unread.
func (s *Store) Notifications(ctx context.Context, a Actor, unreadOnly bool, offset, limit int) ([]Notification, int, int, error) {
	cond, args := a.visibleNotificationCond("n")
	db := prepared{s}
	var total, unread int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE n.read_at IS NULL) FROM notifications n
		WHERE `+cond, args...).Scan(&total, &unread); err != nil {
		return nil, 0, 0, fmt.Errorf("store: notifications: %w", err)
	}
	if unreadOnly {
		cond += " AND n.read_at IS NULL"
		total = unread
	}
	ucond, uargs := a.visibleUserCond("au")
	rows, err := db.QueryContext(ctx, `SELECT n.id, n.user_id, n.kind, coalesce(n.actor_id, ''), n.subject_type, n.subject_id,
		coalesce((SELECT st.title FROM tasks st WHERE n.subject_type = 'task' AND st.id = n.subject_id), ''),
		n.detail, n.created_at, n.read_at IS NOT NULL, au.id, au.name, au.email, au.kind, au.active, au.photo_id
		FROM notifications n LEFT JOIN users au ON au.id = n.actor_id AND `+ucond+` WHERE `+cond+`
		ORDER BY n.created_at DESC, n.rowid DESC LIMIT ? OFFSET ?`, append(append(uargs, args...), limit, offset)...)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var created int64
		var actor personRef
		if err := rows.Scan(append([]any{&n.ID, &n.UserID, &n.Kind, &n.ActorID, &n.SubjectType, &n.SubjectID, &n.SubjectTitle,
			&n.Detail, &created, &n.Read}, actor.dest()...)...); err != nil {
			return nil, 0, 0, fmt.Errorf("store: notifications: %w", err)
		}
		n.Actor, n.CreatedAt = actor.user(), time.Unix(created, 0)
		out = append(out, n)
	}
	return out, total, unread, rows.Err()
}

// UnreadNotifications counts a's unread notifications whose subject a may still see.
func (s *Store) UnreadNotifications(ctx context.Context, a Actor) (int, error) {
	cond, args := a.visibleNotificationCond("n")
	var n int
	err := prepared{s}.QueryRowContext(ctx, `SELECT count(*) FROM notifications n WHERE n.read_at IS NULL AND `+cond,
		args...).Scan(&n)
	return n, err
}

// MarkNotificationRead marks one of a's notifications read; ErrNotFound for anyone
// else's, or one whose subject a may no longer see.
func (t *Tx) MarkNotificationRead(ctx context.Context, a Actor, id string) error {
	cond, args := a.visibleNotificationCond("n")
	res, err := t.exec(ctx, `UPDATE notifications AS n SET read_at = coalesce(read_at, ?) WHERE n.id = ? AND `+cond,
		append([]any{unix(t.now), id}, args...)...)
	if err != nil {
		return fmt.Errorf("store: mark read: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkAllNotificationsRead marks every notification of a's read.
func (t *Tx) MarkAllNotificationsRead(ctx context.Context, a Actor) error {
	_, err := t.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, unix(t.now), a.UserID)
	return err
}

// ForgetSubject removes the notifications about a subject that is gone.
func (t *Tx) ForgetSubject(ctx context.Context, typ, id string) error {
	_, err := t.exec(ctx, `DELETE FROM notifications WHERE subject_type = ? AND subject_id = ?`, typ, id)
	return err
}

// NotificationPref is how a person wants to be told of one kind of event.
type NotificationPref struct {
	InApp, Mail bool
}

// NotificationPrefs are a's wishes by kind; a kind missing is told both ways.
func (s *Store) NotificationPrefs(ctx context.Context, a Actor) (map[string]NotificationPref, error) {
	return notificationPrefs(ctx, prepared{s}, a.UserID)
}

// NotificationPrefsTx is NotificationPrefs inside a write.
func (t *Tx) NotificationPrefsTx(ctx context.Context, userID string) (map[string]NotificationPref, error) {
	return notificationPrefs(ctx, t.tx, userID)
}

func notificationPrefs(ctx context.Context, db queryer, userID string) (map[string]NotificationPref, error) {
	rows, err := db.QueryContext(ctx, `SELECT kind, in_app, mail FROM notification_prefs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: notification prefs: %w", err)
	}
	defer rows.Close()
	out := map[string]NotificationPref{}
	for rows.Next() {
		var kind string
		var p NotificationPref
		if err := rows.Scan(&kind, &p.InApp, &p.Mail); err != nil {
			return nil, err
		}
		out[kind] = p
	}
	return out, rows.Err()
}

// SetNotificationPref writes one person's wish for one kind.
func (t *Tx) SetNotificationPref(ctx context.Context, userID, kind string, p NotificationPref) error {
	_, err := t.exec(ctx, `INSERT INTO notification_prefs (user_id, kind, in_app, mail) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app, mail = excluded.mail`, userID, kind, p.InApp, p.Mail)
	return err
}

// TaskAudience returns, of the people ids, those active who may see the task now, once
// each: who may be told of it.
func (t *Tx) TaskAudience(ctx context.Context, taskID string, ids []string) ([]User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+userCols+` FROM tasks t JOIN users u ON u.id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) WHERE t.id = ? AND `+taskViewerCond("u", "t")+` ORDER BY u.id`,
		append(anys(ids), taskID)...)
	if err != nil {
		return nil, fmt.Errorf("store: task audience: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// TaskViewers returns, of the people ids, those who may see the task now: whom a change
// to it is announced to.
func (s *Store) TaskViewers(ctx context.Context, taskID string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT u.id FROM tasks t JOIN users u ON u.id IN (?`+
		strings.Repeat(", ?", len(ids)-1)+`) WHERE t.id = ? AND `+taskViewerCond("u", "t"), append(anys(ids), taskID)...)
	if err != nil {
		return nil, fmt.Errorf("store: task viewers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// TasksDueSoon returns the open tasks whose deadline falls within lead from now and
// whose people have not been reminded of that deadline, with the ids to remind (the
// responsible person and the participants).
func (t *Tx) TasksDueSoon(ctx context.Context, lead time.Duration) (map[string][]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT t.id, tp.user_id FROM tasks t JOIN task_people tp ON tp.task_id = t.id
		AND tp.role IN ('responsible', 'participant')
		WHERE t.deadline > ? AND t.deadline <= ? AND t.status NOT IN ('done', 'deferred')
		AND (t.due_reminded IS NULL OR t.due_reminded != t.deadline)`, unix(t.now), unix(t.now.Add(lead)))
	if err != nil {
		return nil, fmt.Errorf("store: tasks due: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var task, user string
		if err := rows.Scan(&task, &user); err != nil {
			return nil, err
		}
		out[task] = append(out[task], user)
	}
	return out, rows.Err()
}

// MarkDueReminded records that a task's people were reminded of its deadline.
func (t *Tx) MarkDueReminded(ctx context.Context, taskID string) error {
	_, err := t.exec(ctx, `UPDATE tasks SET due_reminded = deadline WHERE id = ?`, taskID)
	return err
}

// anys turns ids into query arguments.
func anys(ids []string) []any {
	out := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		out = append(out, id)
	}
	return out
}
