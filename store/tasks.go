package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	Description   string // left empty in lists
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
	Manages       bool     // the reader is an active owner or moderator of the task's group
	Works         bool     // the reader is its responsible person or a participant
	named         []string // user id, role, user id, role…: everyone named, for taskPeople
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
// (whose own arguments are fromArgs); taskPeople then names their people. With shelves,
// the tasks' groups are told by them (every group a's shelves hold), not read again.
// Lists (whole false) leave descriptions out: no list shows them, and 50 of up to
// 100,000 characters each made a page of megabytes.
func taskSelect(a Actor, shelves []taskShelf, whole bool, from string, fromArgs ...any) (string, []any) {
	description := "''"
	if whole {
		description = "t.description"
	}
	group := `coalesce(g.name, ''), coalesce(g.archived, 0), EXISTS (SELECT 1 FROM memberships tm WHERE tm.group_id = t.group_id
		AND tm.user_id = ? AND tm.state = 'active' AND tm.role IN ('owner', 'moderator'))`
	args, join := []any{a.UserID}, ` LEFT JOIN groups g ON g.id = t.group_id`
	if shelves != nil {
		group, args, join = "'', 0, 0", nil, ""
	}
	q := `SELECT t.id, coalesce(t.group_id, ''), t.title, ` + description + `, t.creator_id, t.responsible_id, t.status, t.priority,
		t.deadline, t.created_at, t.updated_at, t.completed_at, ` + group + `,
		(SELECT group_concat(tp.user_id || ' ' || tp.role, ' ') FROM task_people tp WHERE tp.task_id = t.id)
	FROM ` + from + join
	return q, append(args, fromArgs...)
}

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var v Task
	var deadline, completed sql.NullInt64
	var created, updated int64
	var named sql.NullString
	err := row.Scan(&v.ID, &v.GroupID, &v.Title, &v.Description, &v.CreatorID, &v.ResponsibleID, &v.Status, &v.Priority,
		&deadline, &created, &updated, &completed, &v.GroupName, &v.GroupArchived, &v.Manages, &named)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: task: %w", err)
	}
	v.Deadline, v.CompletedAt = nullTime(deadline), nullTime(completed)
	v.CreatedAt, v.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	v.named = strings.Fields(named.String)
	return v, nil
}

// Tasks lists, in f's order, the tasks a may see that match f, and how many match.
func (s *Store) Tasks(ctx context.Context, a Actor, f TaskFilter) ([]Task, int, error) {
	// filter narrows the tasks (aliased t) by f, apart from who may see them and how the
	// reader is named on them.
	var filter string
	var fargs []any
	if f.GroupID != "" {
		filter += " AND t.group_id = ?"
		fargs = append(fargs, f.GroupID)
	}
	switch f.Status {
	case "":
	case "open":
		filter += " AND t.status NOT IN ('done', 'deferred')"
	default:
		filter += " AND t.status = ?"
		fargs = append(fargs, f.Status)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		filter += ` AND t.search LIKE ? ESCAPE '\'`
		fargs = append(fargs, "%"+likeEscape(folder.String(q))+"%")
	}
	if f.PersonID != "" {
		ucond, uargs := a.visibleUserCond("pu")
		filter += " AND t.id IN (SELECT task_id FROM task_people WHERE user_id = ?) AND EXISTS (SELECT 1 FROM users pu WHERE pu.id = ? AND " +
			ucond + ")"
		fargs = append(append(fargs, f.PersonID, f.PersonID), uargs...)
	}
	if f.DueTo != nil {
		filter += " AND t.status NOT IN ('done', 'deferred') AND t.deadline < ?"
		fargs = append(fargs, unix(*f.DueTo))
		if f.DueFrom != nil {
			filter += " AND t.deadline >= ?"
			fargs = append(fargs, unix(*f.DueFrom))
		}
	}
	order, ok := taskOrders[f.Sort]
	if !ok {
		return nil, 0, fmt.Errorf("store: tasks: no order %q", f.Sort)
	}
	cond, cargs := a.visibleTaskCond("t")
	where, args := " WHERE "+cond+filter, append(cargs, fargs...)
	if f.Role != "" {
		where += " AND t.id IN (SELECT task_id FROM task_people WHERE user_id = ? AND role = ?)"
		args = append(args, a.UserID, f.Role)
	}
	db := prepared{s}
	// The count is read before the commit counter's value it is kept under, so a write
	// committing in between only makes it be counted again.
	commits := s.commits.Load()
	key := fmt.Sprint(a, where, args)
	timed := f.DueTo != nil // a deadline filter moves with the clock: not worth keeping
	total, ok := s.counts.get(key, commits)
	if !ok || timed {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM tasks t`+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: tasks: %w", err)
		}
		if !timed {
			s.counts.put(key, commits, total)
		}
	}
	// The page is chosen first, by row, and only its rows are then read whole. Newest
	// first, the tasks of someone who sees only some are read shelf by shelf, each only as
	// deep as the page: the cost follows the page, not how many tasks they see (3,000 of
	// them sorted cost 30 ms). Otherwise SQLite gathers the matching tasks and sorts them.
	if f.Sort == "" && !a.administers() {
		shelves, ok := s.shelves.get(a.UserID+" "+a.Kind, commits)
		if !ok {
			var err error
			if shelves, err = a.visibleTaskShelves(ctx, db); err != nil {
				return nil, 0, err
			}
			s.shelves.put(a.UserID+" "+a.Kind, commits, shelves)
		}
		// Each shelf yields up to offset+limit rows, read from an index alone: past as many
		// as there are tasks to sort (and a thousand, which costs little), sorting them
		// is cheaper.
		if int64(f.Offset+f.Limit)*int64(len(shelves)) <= max(total, 1000) {
			page, pargs := newestOnShelves(a, shelves, f, filter, fargs)
			if page == "" {
				return nil, int(total), nil
			}
			// The page's rows were chosen in order; sorting them again in SQL would carry
			// every whole row through a sorter (a tenth of the read), so they are put back
			// in order here: by date, the same second as they came (newest row first).
			ts, err := tasksOfPage(ctx, db, a, shelves, page+" AND "+cond, append(pargs, cargs...), "")
			slices.SortStableFunc(ts, func(x, y Task) int { return y.CreatedAt.Compare(x.CreatedAt) })
			return ts, int(total), err
		}
	}
	page := `(SELECT t.rowid AS r FROM tasks t` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?) p
		JOIN tasks t ON t.rowid = p.r`
	ts, err := tasksOfPage(ctx, db, a, nil, page, append(args, f.Limit, f.Offset), ` ORDER BY `+order)
	return ts, int(total), err
}

// newestOnShelves is the FROM clause of a page of the newest tasks on shelves that match
// filter (tasks aliased t, arguments fargs) and f's group and role: the page's rows
// joined, as t, to the tasks. Each shelf yields only its newest offset+limit; "" when
// no shelf is left.
func newestOnShelves(a Actor, shelves []taskShelf, f TaskFilter, filter string, fargs []any) (string, []any) {
	depth := f.Offset + f.Limit
	var arms []string
	var args []any
	for _, sh := range shelves {
		if f.GroupID != "" && sh.GroupID != f.GroupID {
			continue
		}
		if sh.All && f.Role == "" {
			arms = append(arms, `SELECT r, c FROM (SELECT t.rowid AS r, t.created_at AS c FROM tasks t WHERE t.group_id = ?`+filter+`
				ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?)`)
			args = append(append(append(args, sh.GroupID), fargs...), depth)
			continue
		}
		// The tasks a is named on: a task has one row for each way they are named (four at
		// most; the shelves are apart, so only these need DISTINCT), and this index does not order the tasks of one second by row as the list
		// does; so the shelf is read down to the date of its 4·depth-th row, all of that
		// second included.
		var group any
		if sh.GroupID != "" {
			group = sh.GroupID
		}
		named := `FROM task_people tp JOIN tasks t ON t.id = tp.task_id WHERE tp.user_id = ? AND tp.group_id IS ?`
		nargs := []any{a.UserID, group}
		if f.Role != "" {
			named += " AND tp.role = ?"
			nargs = append(nargs, f.Role)
		}
		named += filter
		nargs = append(nargs, fargs...)
		arms = append(arms, `SELECT DISTINCT t.rowid AS r, tp.task_created AS c `+named+` AND tp.task_created >= coalesce((SELECT tp.task_created `+
			named+` ORDER BY tp.task_created DESC LIMIT 1 OFFSET ?), -9223372036854775808)`)
		args = append(append(append(args, nargs...), nargs...), 4*depth-1)
	}
	if len(arms) == 0 {
		return "", nil
	}
	return `(SELECT r, c FROM (` + strings.Join(arms, " UNION ALL ") + `) ORDER BY c DESC, r DESC LIMIT ? OFFSET ?) p
		JOIN tasks t ON t.rowid = p.r`, append(args, f.Limit, f.Offset)
}

// tasksOfPage reads, in order and without their descriptions, the tasks of page (a FROM
// that joins the tasks, as t, to the page's rows), with the people named on them that a
// may see.
func tasksOfPage(ctx context.Context, db queryer, a Actor, shelves []taskShelf, page string, args []any, order string) ([]Task, error) {
	q, qargs := taskSelect(a, shelves, false, page, args...)
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
		for _, sh := range shelves {
			if sh.GroupID == v.GroupID && sh.GroupID != "" {
				v.GroupName, v.GroupArchived, v.Manages = sh.Name, sh.Archived, sh.Manages
			}
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
	q, qargs := taskSelect(a, nil, true, "tasks t")
	v, err := scanTask(db.QueryRowContext(ctx, q+` WHERE t.id = ? AND `+cond, append(append(qargs, id), args...)...))
	if err != nil {
		return v, err
	}
	ts := []Task{v}
	err = taskPeople(ctx, db, a, ts)
	return ts[0], err
}

// taskPeople names the people of ts that a may see (a creator or responsible person
// hidden from a stays nil), and tells whether a works on each. Who is named how comes with
// each task; then each person is read once: a page names the same few people again and
// again, and reading them row by row cost twice the page itself.
func taskPeople(ctx context.Context, db queryer, a Actor, ts []Task) error {
	people := map[string]*User{}
	for _, v := range ts {
		for i := 0; i+1 < len(v.named); i += 2 {
			people[v.named[i]] = nil
		}
	}
	if len(people) == 0 {
		return nil
	}
	ucond, uargs := a.visibleUserCond("u")
	args := make([]any, 0, len(people)+len(uargs))
	for id := range people {
		args = append(args, id)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id IN (?`+strings.Repeat(", ?", len(people)-1)+
		`) AND `+ucond, append(args, uargs...)...)
	if err != nil {
		return fmt.Errorf("store: task people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return err
		}
		people[u.ID] = &u
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: task people: %w", err)
	}
	for i := range ts {
		v := &ts[i]
		for j := 0; j+1 < len(v.named); j += 2 {
			u, role := people[v.named[j]], v.named[j+1]
			if u == nil {
				continue
			}
			switch role {
			case TaskCreator:
				v.Creator = u
			case TaskResponsible:
				v.Responsible = u
			case TaskParticipant:
				v.Participants = append(v.Participants, *u)
			case TaskObserver:
				v.Observers = append(v.Observers, *u)
			}
			if u.ID == a.UserID && (role == TaskResponsible || role == TaskParticipant) {
				v.Works = true
			}
		}
		slices.SortFunc(v.Participants, byName)
		slices.SortFunc(v.Observers, byName)
	}
	return nil
}

func byName(a, b User) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) }

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
	if _, err := t.exec(ctx, `INSERT INTO task_people (task_id, user_id, role, group_id, task_created)
		VALUES (?, ?, 'creator', nullif(?, ''), ?)`, v.ID, v.CreatorID, v.GroupID, unix(v.CreatedAt)); err != nil {
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
			if _, err := t.exec(ctx, `INSERT OR IGNORE INTO task_people (task_id, user_id, role, group_id, task_created)
				SELECT id, ?, ?, group_id, created_at FROM tasks WHERE id = ?`, id, role, taskID); err != nil {
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
