package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// Board is a kanban board: a group's (GroupID set) or a person's planner (UserID set).
type Board struct {
	ID       string // the group's id or the person's
	GroupID  string
	UserID   string
	Name     string // the group's name; "" for a planner
	Archived bool   // the group is archived: the board is read-only
	TasksOn  bool   // the group's Tasks tool is on (always for a planner)
	Manages  bool   // the reader may define its stages
	Member   bool   // the reader may open it: an active member of its group, an administrator, or its owner
}

// Stage is a column of a board.
type Stage struct {
	ID   string
	Name string
}

// BoardOf loads the board id as a sees it: "me" is a's planner; anything else is a group's
// board, ErrNotFound unless a may see the group.
func (s *Store) BoardOf(ctx context.Context, a Actor, id string) (Board, error) {
	return boardOf(ctx, prepared{s}, a, id)
}

// BoardTx is BoardOf inside a write.
func (t *Tx) BoardTx(ctx context.Context, a Actor, id string) (Board, error) {
	return boardOf(ctx, t.tx, a, id)
}

func boardOf(ctx context.Context, db queryer, a Actor, id string) (Board, error) {
	if a.UserID == "" {
		return Board{}, ErrNotFound
	}
	if id == "me" {
		return Board{ID: a.UserID, UserID: a.UserID, TasksOn: true, Manages: true, Member: true}, nil
	}
	cond, args := a.visibleGroupCond("g.id")
	b := Board{ID: id, GroupID: id}
	var tools string
	err := db.QueryRowContext(ctx, `SELECT g.name, g.archived, g.tools,
		EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id = ? AND m.state = 'active'),
		EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id = ? AND m.state = 'active'
			AND m.role IN ('owner', 'moderator'))
		FROM groups g WHERE g.id = ? AND `+cond, append([]any{a.UserID, a.UserID, id}, args...)...).
		Scan(&b.Name, &b.Archived, &tools, &b.Member, &b.Manages)
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	if err != nil {
		return b, fmt.Errorf("store: board: %w", err)
	}
	b.TasksOn = slices.Contains(splitTools(tools), "tasks")
	b.Member, b.Manages = b.Member || a.Admin, b.Manages || a.Admin
	return b, nil
}

// stageOwner is the column and value that tie a board's stages to it.
func (b Board) stageOwner() (string, string) {
	if b.GroupID != "" {
		return "group_id", b.GroupID
	}
	return "user_id", b.UserID
}

// scope is the condition under which the task row aliased t is on the board.
func (b Board) scope() (string, []any) {
	if b.GroupID != "" {
		return "t.group_id = ?", []any{b.GroupID}
	}
	return "t.id IN (SELECT task_id FROM task_people WHERE user_id = ? AND role IN ('responsible', 'participant'))",
		[]any{b.UserID}
}

// Stages lists a board's stages in order; the board must have been loaded for a.
func (s *Store) Stages(ctx context.Context, a Actor, b Board) ([]Stage, error) {
	return stages(ctx, prepared{s}, b)
}

// StagesTx is Stages inside a write.
func (t *Tx) StagesTx(ctx context.Context, b Board) ([]Stage, error) { return stages(ctx, t.tx, b) }

func stages(ctx context.Context, db queryer, b Board) ([]Stage, error) {
	col, owner := b.stageOwner()
	rows, err := db.QueryContext(ctx, `SELECT id, name FROM board_stages WHERE `+col+` = ? ORDER BY position, rowid`, owner)
	if err != nil {
		return nil, fmt.Errorf("store: stages: %w", err)
	}
	defer rows.Close()
	var out []Stage
	for rows.Next() {
		var st Stage
		if err := rows.Scan(&st.ID, &st.Name); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// AddStage adds a stage at the end of a board.
func (t *Tx) AddStage(ctx context.Context, b Board, name string) (Stage, error) {
	col, owner := b.stageOwner()
	st := Stage{ID: NewID(), Name: name}
	_, err := t.exec(ctx, `INSERT INTO board_stages (id, `+col+`, name, position, created_at)
		VALUES (?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM board_stages WHERE `+col+` = ?), ?)`,
		st.ID, owner, name, owner, unix(t.now))
	if err != nil {
		return st, fmt.Errorf("store: add stage: %w", err)
	}
	return st, nil
}

// RenameStage renames a stage of the board.
func (t *Tx) RenameStage(ctx context.Context, b Board, id, name string) error {
	col, owner := b.stageOwner()
	res, err := t.exec(ctx, `UPDATE board_stages SET name = ? WHERE id = ? AND `+col+` = ?`, name, id, owner)
	return affectedOne(res, err, "rename stage")
}

// OrderStages writes the order of a board's stages: ids, each of its stages once.
func (t *Tx) OrderStages(ctx context.Context, b Board, ids []string) error {
	col, owner := b.stageOwner()
	for i, id := range ids {
		res, err := t.exec(ctx, `UPDATE board_stages SET position = ? WHERE id = ? AND `+col+` = ?`, i+1, id, owner)
		if err := affectedOne(res, err, "order stages"); err != nil {
			return err
		}
	}
	return nil
}

// DeleteStage removes a stage, its cards going to target. first says the stage is the
// board's first, whose cards include every task never moved: those are placed in target
// first, where they keep their order.
func (t *Tx) DeleteStage(ctx context.Context, b Board, id, target string, first bool) error {
	if first {
		if err := t.PinUnmoved(ctx, b, target); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `UPDATE board_cards SET stage_id = ? WHERE stage_id = ?`, target, id); err != nil {
		return fmt.Errorf("store: delete stage: %w", err)
	}
	col, owner := b.stageOwner()
	res, err := t.exec(ctx, `DELETE FROM board_stages WHERE id = ? AND `+col+` = ?`, id, owner)
	return affectedOne(res, err, "delete stage")
}

// PinUnmoved gives every task of the board never moved a place of its own in stage, where
// they are now (the first stage) or where they go when the first stage moves or goes.
func (t *Tx) PinUnmoved(ctx context.Context, b Board, stage string) error {
	scope, args := b.scope()
	_, err := t.exec(ctx, `INSERT INTO board_cards (board, task_id, stage_id, pos)
		SELECT ?, t.id, ?, -t.created_at FROM tasks t WHERE `+scope+`
		AND NOT EXISTS (SELECT 1 FROM board_cards c WHERE c.board = ? AND c.task_id = t.id)`,
		append(append([]any{b.ID, stage}, args...), b.ID)...)
	if err != nil {
		return fmt.Errorf("store: pin cards: %w", err)
	}
	return nil
}

// cardsWhere is the FROM and WHERE of the cards of one stage that a may see, with the
// effective place of each as column place: a card's own, or -created_at for a task never
// moved, which sits in the first stage.
func cardsWhere(a Actor, b Board, stage string, first bool) (string, []any) {
	scope, sargs := b.scope()
	cond, cargs := a.visibleTaskCond("t")
	args := append(append(append([]any{b.ID}, sargs...), cargs...), stage, first)
	return ` FROM tasks t LEFT JOIN board_cards c ON c.board = ? AND c.task_id = t.id
		WHERE ` + scope + ` AND ` + cond + ` AND (c.stage_id = ? OR (c.stage_id IS NULL AND ?))`, args
}

const place = `coalesce(c.pos, -t.created_at)`

// StageCards lists, in order, a page of the cards of one stage of a board that a may see,
// and how many there are. first says it is the board's first stage.
func (s *Store) StageCards(ctx context.Context, a Actor, b Board, stage string, first bool, offset, limit int) ([]Task, int, error) {
	where, args := cardsWhere(a, b, stage, first)
	db := prepared{s}
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: stage cards: %w", err)
	}
	page := `(SELECT t.rowid AS r, ` + place + ` AS place` + where + ` ORDER BY place, t.rowid DESC LIMIT ? OFFSET ?) p
		JOIN tasks t ON t.rowid = p.r`
	ts, err := tasksOfPage(ctx, db, a, nil, page, append(args, limit, offset), ` ORDER BY p.place, t.rowid DESC`)
	return ts, total, err
}

// CardPlace is the place of a card a may see in a stage: ok false when it is not there.
func (t *Tx) CardPlace(ctx context.Context, a Actor, b Board, stage string, first bool, taskID string) (float64, bool, error) {
	where, args := cardsWhere(a, b, stage, first)
	var p float64
	err := t.tx.QueryRowContext(ctx, `SELECT `+place+where+` AND t.id = ?`, append(args, taskID)...).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return p, err == nil, err
}

// NextPlace is the place of the first card a may see in a stage after the card after
// (from the top when after is ""), leaving out the card being moved: ok false when none.
// A card level with after counts as next, so that the caller spreads the stage rather
// than put a card where the order between equals is undecided.
func (t *Tx) NextPlace(ctx context.Context, a Actor, b Board, stage string, first bool, after string, at float64, moving string) (float64, bool, error) {
	where, args := cardsWhere(a, b, stage, first)
	var p float64
	err := t.tx.QueryRowContext(ctx, `SELECT `+place+` AS place`+where+` AND t.id NOT IN (?, ?) AND (? = '' OR `+place+` >= ?)
		ORDER BY place, t.rowid DESC LIMIT 1`, append(args, moving, after, after, at)...).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return p, err == nil, err
}

// PlaceCard puts a task's card in a stage of a board at place.
func (t *Tx) PlaceCard(ctx context.Context, b Board, taskID, stage string, pos float64) error {
	_, err := t.exec(ctx, `INSERT INTO board_cards (board, task_id, stage_id, pos) VALUES (?, ?, ?, ?)
		ON CONFLICT (board, task_id) DO UPDATE SET stage_id = excluded.stage_id, pos = excluded.pos`, b.ID, taskID, stage, pos)
	if err != nil {
		return fmt.Errorf("store: place card: %w", err)
	}
	return nil
}

// SpreadStage gives every card of a stage (everyone's, the hidden too) a place of its own,
// 1024 apart in their present order: needed only when two neighbours' places are too close
// to put a card between, which takes some fifty moves into the same gap.
func (t *Tx) SpreadStage(ctx context.Context, b Board, stage string, first bool) error {
	where, args := cardsWhere(System(), b, stage, first)
	rows, err := t.tx.QueryContext(ctx, `SELECT t.id`+where+` ORDER BY `+place+`, t.rowid DESC`, args...)
	if err != nil {
		return fmt.Errorf("store: spread stage: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if err := t.PlaceCard(ctx, b, id, stage, float64(i+1)*1024); err != nil {
			return err
		}
	}
	return nil
}
