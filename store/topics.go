package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrTopicUnknown is a group given a topic that does not exist.
var ErrTopicUnknown = errors.New("store: unknown topic")

// Topic is an admin-managed category of groups.
type Topic struct {
	ID     string
	Name   string
	Groups int // how many groups carry it, of those the actor may see
}

// Topics lists every topic by name, each with the number of groups a may see in it.
// The names are labels an administrator manages; the caller decides who may list them.
func (s *Store) Topics(ctx context.Context, a Actor) ([]Topic, error) {
	cond, args := a.visibleGroupCond("g.id")
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, t.name,
		(SELECT count(*) FROM groups g WHERE g.topic_id = t.id AND `+cond+`)
		FROM topics t ORDER BY t.name COLLATE NOCASE, t.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: topics: %w", err)
	}
	defer rows.Close()
	ts := []Topic{}
	for rows.Next() {
		var t Topic
		if err := rows.Scan(&t.ID, &t.Name, &t.Groups); err != nil {
			return nil, fmt.Errorf("store: topics: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// PutTopic creates a topic (t.ID empty, assigning it) or renames one. A name already
// taken is ErrConflict; an unknown id ErrNotFound.
func (t *Tx) PutTopic(ctx context.Context, tp *Topic) error {
	var err error
	if tp.ID == "" {
		tp.ID = NewID()
		_, err = t.exec(ctx, `INSERT INTO topics (id, name) VALUES (?, ?)`, tp.ID, tp.Name)
	} else {
		var res interface{ RowsAffected() (int64, error) }
		res, err = t.exec(ctx, `UPDATE topics SET name = ? WHERE id = ?`, tp.Name, tp.ID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
	}
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: topic: %w", err)
	}
	return nil
}

// DeleteTopic removes a topic; its groups keep going without one.
func (t *Tx) DeleteTopic(ctx context.Context, id string) error {
	res, err := t.exec(ctx, `DELETE FROM topics WHERE id = ?`, id)
	return affectedOne(res, err, "delete topic")
}
