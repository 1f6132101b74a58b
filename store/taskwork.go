package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TaskComment is a comment on a task. Author is nil when the reader may not see them.
type TaskComment struct {
	ID        string
	TaskID    string
	AuthorID  string
	Author    *User
	Body      string
	Mentions  []string // the ids of the people it mentions
	CreatedAt time.Time
	EditedAt  *time.Time
}

// TaskComments lists, oldest first, a page of the comments on a task a may see, and how
// many there are; a task hidden from a has none, as a missing one.
func (s *Store) TaskComments(ctx context.Context, a Actor, taskID string, offset, limit int) ([]TaskComment, int, error) {
	tcond, targs := a.visibleTaskCond("t")
	ucond, uargs := a.visibleUserCond("au")
	where := ` FROM task_comments c JOIN tasks t ON t.id = c.task_id WHERE c.task_id = ? AND ` + tcond
	args := append([]any{taskID}, targs...)
	db := prepared{s}
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: task comments: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+commentCols+
		strings.Replace(where, " WHERE ", " LEFT JOIN users au ON au.id = c.author_id AND "+ucond+" WHERE ", 1)+
		` ORDER BY c.created_at, c.rowid LIMIT ? OFFSET ?`, append(append(uargs, args...), limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: task comments: %w", err)
	}
	defer rows.Close()
	var out []TaskComment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

const commentCols = `c.id, c.task_id, c.author_id, c.body, c.mentions, c.created_at, c.edited_at,
	au.id, au.name, au.email, au.kind, au.active, au.photo_id`

func scanComment(row interface{ Scan(...any) error }) (TaskComment, error) {
	var c TaskComment
	var created int64
	var edited sql.NullInt64
	var author personRef
	var mentions string
	err := row.Scan(append([]any{&c.ID, &c.TaskID, &c.AuthorID, &c.Body, &mentions, &created, &edited}, author.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: task comment: %w", err)
	}
	c.Author, c.CreatedAt, c.EditedAt = author.user(), time.Unix(created, 0), nullTime(edited)
	c.Mentions = strings.Fields(mentions)
	return c, nil
}

// TaskComment returns a comment on a task a may see; ErrNotFound otherwise.
func (s *Store) TaskComment(ctx context.Context, a Actor, taskID, id string) (TaskComment, error) {
	return taskComment(ctx, prepared{s}, a, taskID, id)
}

// TaskCommentTx is TaskComment inside a write.
func (t *Tx) TaskCommentTx(ctx context.Context, a Actor, taskID, id string) (TaskComment, error) {
	return taskComment(ctx, t.tx, a, taskID, id)
}

func taskComment(ctx context.Context, db queryer, a Actor, taskID, id string) (TaskComment, error) {
	tcond, targs := a.visibleTaskCond("t")
	ucond, uargs := a.visibleUserCond("au")
	return scanComment(db.QueryRowContext(ctx, `SELECT `+commentCols+` FROM task_comments c JOIN tasks t ON t.id = c.task_id
		LEFT JOIN users au ON au.id = c.author_id AND `+ucond+` WHERE c.id = ? AND c.task_id = ? AND `+tcond,
		append(append(uargs, id, taskID), targs...)...))
}

// AddTaskComment writes a comment; c.ID and c.CreatedAt are set.
func (t *Tx) AddTaskComment(ctx context.Context, c *TaskComment) error {
	c.ID, c.CreatedAt = NewID(), t.now
	_, err := t.exec(ctx, `INSERT INTO task_comments (id, task_id, author_id, body, mentions, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.TaskID, c.AuthorID, c.Body, strings.Join(c.Mentions, " "), unix(t.now))
	if err != nil {
		return fmt.Errorf("store: add task comment: %w", err)
	}
	return nil
}

// EditTaskComment replaces a comment's text and marks it edited.
func (t *Tx) EditTaskComment(ctx context.Context, c *TaskComment) error {
	now := t.now
	c.EditedAt = &now
	res, err := t.exec(ctx, `UPDATE task_comments SET body = ?, mentions = ?, edited_at = ? WHERE id = ?`, c.Body,
		strings.Join(c.Mentions, " "), unix(now), c.ID)
	return affectedOne(res, err, "edit task comment")
}

// DeleteTaskComment removes a comment.
func (t *Tx) DeleteTaskComment(ctx context.Context, id string) error {
	res, err := t.exec(ctx, `DELETE FROM task_comments WHERE id = ?`, id)
	return affectedOne(res, err, "delete task comment")
}

// ChecklistItem is one line of a task's checklist.
type ChecklistItem struct {
	ID   string
	Text string
	Done bool
}

// TaskChecklist is the checklist of a task a may see, in order; a task hidden from a has
// none, as a missing one.
func (s *Store) TaskChecklist(ctx context.Context, a Actor, taskID string) ([]ChecklistItem, error) {
	return taskChecklist(ctx, prepared{s}, a, taskID)
}

// TaskChecklistTx is TaskChecklist inside a write.
func (t *Tx) TaskChecklistTx(ctx context.Context, a Actor, taskID string) ([]ChecklistItem, error) {
	return taskChecklist(ctx, t.tx, a, taskID)
}

func taskChecklist(ctx context.Context, db queryer, a Actor, taskID string) ([]ChecklistItem, error) {
	cond, args := a.visibleTaskCond("t")
	rows, err := db.QueryContext(ctx, `SELECT k.id, k.text, k.done FROM task_checklist k JOIN tasks t ON t.id = k.task_id
		WHERE k.task_id = ? AND `+cond+` ORDER BY k.position, k.rowid`, append([]any{taskID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: task checklist: %w", err)
	}
	defer rows.Close()
	out := []ChecklistItem{}
	for rows.Next() {
		var k ChecklistItem
		if err := rows.Scan(&k.ID, &k.Text, &k.Done); err != nil {
			return nil, fmt.Errorf("store: task checklist: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddChecklistItems appends items to a task's checklist, in order.
func (t *Tx) AddChecklistItems(ctx context.Context, taskID string, texts []string) error {
	var next int
	if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM task_checklist WHERE task_id = ?`,
		taskID).Scan(&next); err != nil {
		return fmt.Errorf("store: checklist: %w", err)
	}
	for i, text := range texts {
		if _, err := t.exec(ctx, `INSERT INTO task_checklist (id, task_id, position, text, created_at) VALUES (?, ?, ?, ?, ?)`,
			NewID(), taskID, next+i, text, unix(t.now)); err != nil {
			return fmt.Errorf("store: checklist: %w", err)
		}
	}
	return nil
}

// SetChecklistItem writes one item's text and mark; the task's id scopes the item.
func (t *Tx) SetChecklistItem(ctx context.Context, taskID string, k ChecklistItem) error {
	res, err := t.exec(ctx, `UPDATE task_checklist SET text = ?, done = ? WHERE id = ? AND task_id = ?`,
		k.Text, k.Done, k.ID, taskID)
	return affectedOne(res, err, "checklist item")
}

// OrderChecklist writes the order of a task's checklist: ids, every item's once.
func (t *Tx) OrderChecklist(ctx context.Context, taskID string, ids []string) error {
	for i, id := range ids {
		res, err := t.exec(ctx, `UPDATE task_checklist SET position = ? WHERE id = ? AND task_id = ?`, i+1, id, taskID)
		if err := affectedOne(res, err, "checklist order"); err != nil {
			return err
		}
	}
	return nil
}

// DeleteChecklistItem removes one item; the task's id scopes it.
func (t *Tx) DeleteChecklistItem(ctx context.Context, taskID, id string) error {
	res, err := t.exec(ctx, `DELETE FROM task_checklist WHERE id = ? AND task_id = ?`, id, taskID)
	return affectedOne(res, err, "delete checklist item")
}

// TouchTask marks a task changed now (its comments and checklist are part of it).
func (t *Tx) TouchTask(ctx context.Context, id string) error {
	_, err := t.exec(ctx, `UPDATE tasks SET updated_at = ? WHERE id = ?`, unix(t.now), id)
	return err
}

// Mentionable lists, by name, up to limit active people a may see who may also see the
// task (which a must see too), whose name, address or position contains q: whom a comment on it
// may mention.
func (s *Store) Mentionable(ctx context.Context, a Actor, taskID, q string, limit int) ([]User, error) {
	ucond, uargs := a.visibleUserCond("u")
	tcond, targs := a.visibleTaskCond("t")
	args := append(append([]any{taskID}, targs...), uargs...)
	where := ""
	if q = strings.TrimSpace(q); q != "" {
		where = ` AND u.search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(folder.String(q))+"%")
	}
	rows, err := prepared{s}.QueryContext(ctx, `SELECT `+userCols+` FROM tasks t JOIN users u
		WHERE t.id = ? AND `+tcond+` AND `+ucond+` AND `+taskViewerCond("u", "t")+where+` ORDER BY u.name, u.id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: mentionable: %w", err)
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

// MayMention reports, inside a write, whether the user id is someone a may see who may
// see the task: one a comment on it may mention.
func (t *Tx) MayMention(ctx context.Context, a Actor, taskID, id string) (bool, error) {
	ucond, uargs := a.visibleUserCond("u")
	var ok bool
	err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tasks t JOIN users u ON u.id = ? WHERE t.id = ? AND `+
		ucond+` AND `+taskViewerCond("u", "t")+`)`, append([]any{id, taskID}, uargs...)...).Scan(&ok)
	return ok, err
}
