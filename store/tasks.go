package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Task statuses (PRODUCT.md §2): a task is open until done; deferred sets it aside.
const (
	TaskNew        = "new"
	TaskInProgress = "in_progress"
	TaskWaiting    = "waiting" // waiting for control: done, for the creator to check
	TaskDone       = "done"
	TaskDeferred   = "deferred"
)

// How a person is named on a task.
const (
	TaskCreator     = "creator"
	TaskResponsible = "responsible"
	TaskParticipant = "participant"
	TaskObserver    = "observer"
)

// Task is a task as one reader sees it. People the reader may not see are nil (creator,
// responsible: "Hidden user") or left out (participants, observers: not even counted).
type Task struct {
	ID            string
	GroupID       string // "" for a personal task
	GroupName     string
	GroupArchived bool
	Title         string
	Description   string
	CreatorID     string
	ResponsibleID string
	Creator       *User
	Responsible   *User
	Participants  []User
	Observers     []User
	Status        string
	Priority      string
	Deadline      *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CompletedAt   *time.Time
	Manages       bool // the reader is an active owner or moderator of the task's group
	Works         bool // the reader is its responsible person or a participant
}

// TaskFilter narrows a list of tasks. Role keeps the tasks the reader is named on that
// way ("" for every task they may see); Status "open" keeps those not done or deferred.
type TaskFilter struct {
	Role     string
	GroupID  string
	PersonID string // only the tasks this person (whom a must see) is named on, in any way
	Status   string
	Query    string
	// Only the open tasks whose deadline is in [DueFrom, DueTo); DueFrom nil: any time
	// before DueTo (overdue).
	DueFrom, DueTo *time.Time
	Sort           string // "" (newest first), "deadline" (soonest first, none last), "updated", "priority"
	Offset         int
	Limit          int
}

// taskOrders are the orders of a list of tasks, by TaskFilter.Sort.
var taskOrders = map[string]string{
	"":         "t.created_at DESC, t.rowid DESC",
	"deadline": "t.deadline IS NULL, t.deadline, t.rowid DESC",
	"updated":  "t.updated_at DESC, t.rowid DESC",
	"priority": "CASE t.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, t.created_at DESC, t.rowid DESC",
}

// taskSelect is the SELECT of tasks as a reads them, from the tasks aliased t in from
// (whose own arguments are fromArgs).
func taskSelect(a Actor, from string, fromArgs ...any) (string, []any) {
	ccond, cargs := a.visibleUserCond("cu")
	rcond, rargs := a.visibleUserCond("ru")
	q := `SELECT t.id, coalesce(t.group_id, ''), coalesce(g.name, ''), coalesce(g.archived, 0), t.title, t.description, t.creator_id,
		t.responsible_id, t.status, t.priority, t.deadline, t.created_at, t.updated_at, t.completed_at,
		EXISTS (SELECT 1 FROM memberships tm WHERE tm.group_id = t.group_id AND tm.user_id = ? AND tm.state = 'active'
			AND tm.role IN ('owner', 'moderator')),
		EXISTS (SELECT 1 FROM task_people tw WHERE tw.task_id = t.id AND tw.user_id = ? AND tw.role IN ('responsible', 'participant')),
		cu.id, cu.name, cu.email, cu.kind, cu.active, cu.photo_id, ru.id, ru.name, ru.email, ru.kind, ru.active, ru.photo_id
	FROM ` + from + ` LEFT JOIN groups g ON g.id = t.group_id
		LEFT JOIN users cu ON cu.id = t.creator_id AND ` + ccond + `
		LEFT JOIN users ru ON ru.id = t.responsible_id AND ` + rcond
	args := append([]any{a.UserID, a.UserID}, fromArgs...)
	return q, append(append(args, cargs...), rargs...)
}

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var v Task
	var deadline, completed sql.NullInt64
	var created, updated int64
	var creator, responsible personRef
	err := row.Scan(append(append([]any{&v.ID, &v.GroupID, &v.GroupName, &v.GroupArchived, &v.Title, &v.Description, &v.CreatorID,
		&v.ResponsibleID, &v.Status, &v.Priority, &deadline, &created, &updated, &completed, &v.Manages, &v.Works},
		creator.dest()...), responsible.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: task: %w", err)
	}
	v.Creator, v.Responsible = creator.user(), responsible.user()
	v.Deadline, v.CompletedAt = nullTime(deadline), nullTime(completed)
	v.CreatedAt, v.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return v, nil
}

// Tasks lists, in f's order, the tasks a may see that match f, and how many match.
func (s *Store) Tasks(ctx context.Context, a Actor, f TaskFilter) ([]Task, int, error) {
	cond, args := a.visibleTaskCond("t")
	where := " WHERE " + cond
	if f.Role != "" {
		where += " AND t.id IN (SELECT task_id FROM task_people WHERE user_id = ? AND role = ?)"
		args = append(args, a.UserID, f.Role)
	}
	if f.GroupID != "" {
		where += " AND t.group_id = ?"
		args = append(args, f.GroupID)
	}
	switch f.Status {
	case "":
	case "open":
		where += " AND t.status NOT IN ('done', 'deferred')"
	default:
		where += " AND t.status = ?"
		args = append(args, f.Status)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where += ` AND t.search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(folder.String(q))+"%")
	}
	if f.PersonID != "" {
		ucond, uargs := a.visibleUserCond("pu")
		where += " AND t.id IN (SELECT task_id FROM task_people WHERE user_id = ?) AND EXISTS (SELECT 1 FROM users pu WHERE pu.id = ? AND " +
			ucond + ")"
		args = append(append(args, f.PersonID, f.PersonID), uargs...)
	}
	if f.DueTo != nil {
		where += " AND t.status NOT IN ('done', 'deferred') AND t.deadline < ?"
		args = append(args, unix(*f.DueTo))
		if f.DueFrom != nil {
			where += " AND t.deadline >= ?"
			args = append(args, unix(*f.DueFrom))
		}
	}
	order, ok := taskOrders[f.Sort]
	if !ok {
		return nil, 0, fmt.Errorf("store: tasks: no order %q", f.Sort)
	}
	db := prepared{s}
	// The count is read before the commit counter's value it is kept under, so a write
	// committing in between only makes it be counted again.
	commits := s.commits.Load()
	key := fmt.Sprint(a, where, args)
	timed := f.DueTo != nil // a deadline filter moves with the clock: not worth keeping
	n, ok := s.counts.get(key, commits)
	if !ok || timed {
		if err := db.QueryRowContext(ctx, `SELECT count(*), (SELECT coalesce(max(rowid), 0) FROM tasks) FROM tasks t`+where,
			args...).Scan(&n[0], &n[1]); err != nil {
			return nil, 0, fmt.Errorf("store: tasks: %w", err)
		}
		if !timed {
			s.counts.put(key, commits, n)
		}
	}
	total, all := int(n[0]), n[1]
	// The page is chosen first, by row, and only its rows are then read whole: reading
	// (and sorting) whole rows for every visible task cost 30 ms for 3,000 of them.
	// Two plans: walk all tasks newest first until the page is full (its cost follows the
	// page's depth over the share of tasks visible), or gather the visible ones and sort
	// them (its cost follows how many are visible). The first wins when the visible are
	// many: (offset+limit) × all < visible².
	from := "tasks t"
	if f.Sort == "" && int64(f.Offset+f.Limit)*all <= int64(total)*int64(total) {
		from = "tasks t INDEXED BY tasks_created"
	}
	page := `(SELECT t.rowid AS r FROM ` + from + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?) p
		JOIN tasks t ON t.rowid = p.r`
	ts, err := tasksOfPage(ctx, db, a, page, append(args, f.Limit, f.Offset), ` ORDER BY `+order)
	return ts, total, err
}

// tasksOfPage reads whole, in order, the tasks of page (a FROM that joins the tasks, as t,
// to the page's rows), with the people named on them that a may see.
func tasksOfPage(ctx context.Context, db queryer, a Actor, page string, args []any, order string) ([]Task, error) {
	q, qargs := taskSelect(a, page, args...)
	rows, err := db.QueryContext(ctx, q+order, qargs...)
	if err != nil {
		return nil, fmt.Errorf("store: tasks: %w", err)
	}
	defer rows.Close()
	var ts []Task
	for rows.Next() {
		v, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ts, taskPeople(ctx, db, a, ts)
}

// Task returns the task if a may see it; otherwise ErrNotFound, whether or not it exists.
func (s *Store) Task(ctx context.Context, a Actor, id string) (Task, error) {
	return taskByID(ctx, prepared{s}, a, id)
}

// TaskTx loads, inside a write, a task a may see (ErrNotFound otherwise, as for a missing
// one), so that no write reaches a task through its raw id.
func (t *Tx) TaskTx(ctx context.Context, a Actor, id string) (Task, error) {
	return taskByID(ctx, t.tx, a, id)
}

func taskByID(ctx context.Context, db queryer, a Actor, id string) (Task, error) {
	cond, args := a.visibleTaskCond("t")
	q, qargs := taskSelect(a, "tasks t")
	v, err := scanTask(db.QueryRowContext(ctx, q+` WHERE t.id = ? AND `+cond, append(append(qargs, id), args...)...))
	if err != nil {
		return v, err
	}
	ts := []Task{v}
	err = taskPeople(ctx, db, a, ts)
	return ts[0], err
}

// taskPeople fills in the participants and observers of ts that a may see.
func taskPeople(ctx context.Context, db queryer, a Actor, ts []Task) error {
	if len(ts) == 0 {
		return nil
	}
	ucond, uargs := a.visibleUserCond("u")
	at := map[string]int{}
	args := make([]any, 0, len(ts)+len(uargs))
	for i, v := range ts {
		at[v.ID] = i
		args = append(args, v.ID)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+userCols+`, tp.task_id, tp.role FROM task_people tp JOIN users u ON u.id = tp.user_id
		WHERE tp.task_id IN (?`+strings.Repeat(", ?", len(ts)-1)+`) AND tp.role IN ('participant', 'observer') AND `+ucond+`
		ORDER BY u.name, u.id`, append(args, uargs...)...)
	if err != nil {
		return fmt.Errorf("store: task people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var task, role string
		u, err := scanUser(rows, &task, &role)
		if err != nil {
			return err
		}
		v := &ts[at[task]]
		if role == TaskParticipant {
			v.Participants = append(v.Participants, u)
		} else {
			v.Observers = append(v.Observers, u)
		}
	}
	return rows.Err()
}

// TaskPeople are the people named on a task, by id.
type TaskPeople struct {
	Responsible  string
	Participants []string
	Observers    []string
}

// CreateTask writes a new task and names its people; v.ID is set, and its times unless
// v.CreatedAt is (a task brought in from elsewhere keeps its date).
func (t *Tx) CreateTask(ctx context.Context, v *Task, p TaskPeople) error {
	if v.CreatedAt.IsZero() {
		v.CreatedAt = t.now
	}
	v.ID, v.UpdatedAt, v.ResponsibleID = NewID(), v.CreatedAt, p.Responsible
	_, err := t.exec(ctx, `INSERT INTO tasks (id, group_id, title, description, creator_id, responsible_id, status,
		priority, deadline, search, created_at, updated_at, completed_at) VALUES (?, nullif(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.GroupID, v.Title, v.Description, v.CreatorID, v.ResponsibleID, v.Status, v.Priority, unixOrNil(v.Deadline),
		taskSearch(*v), unix(v.CreatedAt), unix(v.CreatedAt), completedAt(v.Status, v.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO task_people (task_id, user_id, role) VALUES (?, ?, 'creator')`, v.ID, v.CreatorID); err != nil {
		return fmt.Errorf("store: create task: %w", err)
	}
	return t.SetTaskPeople(ctx, v.ID, p)
}

// UpdateTask writes a task's own fields (not its people).
func (t *Tx) UpdateTask(ctx context.Context, v Task) error {
	res, err := t.exec(ctx, `UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, deadline = ?,
		search = ?, updated_at = ?, completed_at = CASE WHEN ? = 'done' THEN coalesce(completed_at, ?) END WHERE id = ?`,
		v.Title, v.Description, v.Status, v.Priority, unixOrNil(v.Deadline), taskSearch(v), unix(t.now), v.Status,
		unix(t.now), v.ID)
	return affectedOne(res, err, "update task")
}

// SetTaskPeople names a task's responsible person, participants and observers anew.
func (t *Tx) SetTaskPeople(ctx context.Context, taskID string, p TaskPeople) error {
	if _, err := t.exec(ctx, `DELETE FROM task_people WHERE task_id = ? AND role != 'creator'`, taskID); err != nil {
		return fmt.Errorf("store: task people: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE tasks SET responsible_id = ? WHERE id = ?`, p.Responsible, taskID); err != nil {
		return fmt.Errorf("store: task people: %w", err)
	}
	add := func(role string, ids ...string) error {
		for _, id := range ids {
			if _, err := t.exec(ctx, `INSERT OR IGNORE INTO task_people (task_id, user_id, role) VALUES (?, ?, ?)`,
				taskID, id, role); err != nil {
				return fmt.Errorf("store: task people: %w", err)
			}
		}
		return nil
	}
	if err := add(TaskResponsible, p.Responsible); err != nil {
		return err
	}
	if err := add(TaskParticipant, p.Participants...); err != nil {
		return err
	}
	return add(TaskObserver, p.Observers...)
}

// TaskPeopleIDs are everyone named on a task, the hidden included, for a write that
// keeps the names it is not changing.
func (t *Tx) TaskPeopleIDs(ctx context.Context, taskID string) (TaskPeople, error) {
	var p TaskPeople
	rows, err := t.tx.QueryContext(ctx, `SELECT user_id, role FROM task_people WHERE task_id = ? ORDER BY user_id`, taskID)
	if err != nil {
		return p, fmt.Errorf("store: task people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return p, err
		}
		switch role {
		case TaskResponsible:
			p.Responsible = id
		case TaskParticipant:
			p.Participants = append(p.Participants, id)
		case TaskObserver:
			p.Observers = append(p.Observers, id)
		}
	}
	return p, rows.Err()
}

// DeleteTask removes a task with its people, comments, checklist and notifications.
func (t *Tx) DeleteTask(ctx context.Context, id string) error {
	if err := t.ForgetSubject(ctx, SubjectTask, id); err != nil {
		return err
	}
	res, err := t.exec(ctx, `DELETE FROM tasks WHERE id = ?`, id)
	return affectedOne(res, err, "delete task")
}

func taskSearch(v Task) string { return folder.String(v.Title + " " + v.Description) }

func completedAt(status string, now time.Time) any {
	if status == TaskDone {
		return unix(now)
	}
	return nil
}

// TaskCounts are how many open tasks a works on (responsible or participant) whose
// deadline has passed, and how many are due in [dayStart, dayEnd).
func (s *Store) TaskCounts(ctx context.Context, a Actor, dayStart, dayEnd time.Time) (overdue, today int, err error) {
	cond, args := a.visibleTaskCond("t")
	now := s.now()
	// From the person's own rows (CROSS JOIN keeps that order): the planner otherwise walks
	// every task, 11 ms on the floor's data set against 0.1 ms.
	err = prepared{s}.QueryRowContext(ctx, `SELECT count(DISTINCT CASE WHEN t.deadline < ? THEN t.id END),
		count(DISTINCT CASE WHEN t.deadline >= max(?, ?) THEN t.id END)
		FROM task_people tp CROSS JOIN tasks t ON t.id = tp.task_id
		WHERE tp.user_id = ? AND tp.role IN ('responsible', 'participant')
		AND t.status NOT IN ('done', 'deferred') AND t.deadline < ? AND `+cond,
		append([]any{unix(now), unix(dayStart), unix(now), a.UserID, unix(dayEnd)}, args...)...).Scan(&overdue, &today)
	if err != nil {
		err = fmt.Errorf("store: task counts: %w", err)
	}
	return overdue, today, err
}
