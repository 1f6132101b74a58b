package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Kinds of actor in the activity log besides people's kinds.
const (
	ActorAnonymous = "anonymous" // nobody known: a failed sign-in to an unknown address
	ActorSystem    = "system"    // a scheduled job
)

// Object is what an action was done to, named as it was at the time.
type Object struct {
	Type    string // "user", "group", "invitation", …; "" for none
	ID      string
	Label   string // its name or address then, for reading the log after it changed
	GroupID string // the group it belongs to, for filtering by group; "" for none
}

// Activity is one row of the activity log.
type Activity struct {
	ID        int64
	At        time.Time
	ActorID   string // "" for the anonymous and the system
	ActorKind string
	ActorName string
	Action    string
	Object    Object
	Address   string
	Details   map[string]string
}

// LogActivity appends one row to the activity log as part of the transaction's change, so
// that the change and its row commit together or not at all. The actor's name is read in
// the same transaction; an actor with no user id is the system, or anonymous when a
// person's id is "" (see Anonymous).
func (t *Tx) LogActivity(ctx context.Context, a Actor, action string, obj Object, address string, details map[string]string) error {
	kind := a.Kind
	var actorID any
	switch {
	case a.system:
		kind = ActorSystem
	case a.UserID == "":
		kind = ActorAnonymous
	default:
		actorID = a.UserID
	}
	var det string
	if len(details) > 0 {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("store: activity details: %w", err)
		}
		det = string(b)
	}
	var group any
	if obj.GroupID != "" {
		group = obj.GroupID
	}
	// An actor known only by id (a code tried for an account) is of the kind its user is.
	_, err := t.exec(ctx, `INSERT INTO activity (at_ms, actor_id, actor_kind, actor_name, action, object_type, object_id,
		object_label, group_id, address, details)
		VALUES (?, ?, coalesce(nullif(?, ''), (SELECT kind FROM users WHERE id = ?), 'anonymous'),
		coalesce((SELECT name FROM users WHERE id = ?), ''), ?, ?, ?, ?, ?, ?, ?)`,
		t.now.UnixMilli(), actorID, kind, actorID, actorID, action, obj.Type, obj.ID, obj.Label, group, address, det)
	if err != nil {
		return fmt.Errorf("store: log activity: %w", err)
	}
	return nil
}

// ActivityFilter narrows the log; zero fields do not filter.
type ActivityFilter struct {
	ActorID    string
	ActorKind  string
	Action     string // one action, or a family ending in "." ("auth.")
	GroupID    string
	ObjectType string
	ObjectID   string
	From, To   time.Time // [From, To)
	Offset     int
	Limit      int
}

// where is the filter's condition. scanFamily keeps SQLite from walking the action index
// for a family of actions: that index lists a family's rows action by action, so the
// newest 25 of a large family would first be sorted out of all of them, while walking
// the rows newest first meets 25 of them quickly (see Activities).
func (f ActivityFilter) where(scanFamily bool) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.ActorKind != "" {
		add("actor_kind = ?", f.ActorKind)
	}
	if family, ok := strings.CutSuffix(f.Action, "."); ok {
		// A range rather than LIKE, so that the action index serves it.
		if scanFamily {
			conds = append(conds, "+action >= ? AND +action < ?")
		} else {
			conds = append(conds, "action >= ? AND action < ?")
		}
		args = append(args, family+".", family+"/")
	} else if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.GroupID != "" {
		add("group_id = ?", f.GroupID)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at_ms >= ?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		add("at_ms < ?", f.To.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

const activityCols = `id, at_ms, coalesce(actor_id, ''), actor_kind, actor_name, action, object_type, object_id,
	object_label, coalesce(group_id, ''), address, details`

func scanActivity(row interface{ Scan(...any) error }) (Activity, error) {
	var a Activity
	var at int64
	var det string
	err := row.Scan(&a.ID, &at, &a.ActorID, &a.ActorKind, &a.ActorName, &a.Action, &a.Object.Type, &a.Object.ID,
		&a.Object.Label, &a.Object.GroupID, &a.Address, &det)
	if err != nil {
		return a, fmt.Errorf("store: activity: %w", err)
	}
	a.At = time.UnixMilli(at)
	if det != "" {
		if err := json.Unmarshal([]byte(det), &a.Details); err != nil {
			return a, fmt.Errorf("store: activity details: %w", err)
		}
	}
	return a, nil
}

// Activities lists the log for an administrator, newest first, and how many rows match.
func (s *Store) Activities(ctx context.Context, a Actor, f ActivityFilter) ([]Activity, int, error) {
	if !a.administers() {
		return nil, 0, ErrNotFound
	}
	where, args := f.where(false)
	var total, span int
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM activity`+where+`),
		-- Apart, each is one step to an end of the table; together they would scan it.
		coalesce((SELECT max(id) FROM activity) - (SELECT min(id) FROM activity) + 1, 0)`, args...).Scan(&total, &span)
	if err != nil {
		return nil, 0, fmt.Errorf("store: activity: %w", err)
	}
	// A family's page: walking newest first meets the page's rows after about
	// (offset+limit) × rows / matches rows; going through the action index sorts all
	// the matches. The cheaper wins.
	if strings.HasSuffix(f.Action, ".") && total > 0 && (f.Offset+f.Limit)*span/total < total {
		where, args = f.where(true)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+activityCols+` FROM activity`+where+` ORDER BY at_ms DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: activity: %w", err)
	}
	defer rows.Close()
	list := []Activity{}
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, act)
	}
	return list, total, rows.Err()
}

// EachActivity calls fn for every row that f matches (its Offset and Limit aside), newest
// first, from one read transaction, so an export is consistent however long it takes and
// holds one row at a time. fn's error stops it.
func (s *Store) EachActivity(ctx context.Context, a Actor, f ActivityFilter, fn func(Activity) error) error {
	if !a.administers() {
		return ErrNotFound
	}
	where, args := f.where(true)
	rtx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: activity: %w", err)
	}
	defer func() { _ = rtx.Rollback() }()
	rows, err := rtx.QueryContext(ctx, `SELECT `+activityCols+` FROM activity`+where+` ORDER BY at_ms DESC, id DESC`, args...)
	if err != nil {
		return fmt.Errorf("store: activity: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		act, err := scanActivity(rows)
		if err != nil {
			return err
		}
		if err := fn(act); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteOldActivity removes rows older than their kind's retention: people's rows by
// theirs, external users' by the longer one, and the anonymous and system rows by the
// employees'. The retention job is the log's only deleter.
func (t *Tx) DeleteOldActivity(ctx context.Context, employees, externals time.Duration) (int64, error) {
	// externals >= employees (the configuration insists), so every row to go is older than
	// the employees' cut-off: one range of the time index.
	res, err := t.exec(ctx, `DELETE FROM activity WHERE at_ms < ? AND (actor_kind <> 'external' OR at_ms < ?)`,
		t.now.Add(-employees).UnixMilli(), t.now.Add(-externals).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: activity retention: %w", err)
	}
	return res.RowsAffected()
}
