package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TaskAttachment is a drive file attached to a task.
type TaskAttachment struct {
	DriveItem
	AddedBy string
	AddedAt time.Time
}

// AttachToTask attaches a drive file to a task; attaching it again changes nothing. The
// caller has loaded both through the fence.
func (t *Tx) AttachToTask(ctx context.Context, taskID, itemID, by string) error {
	if _, err := t.exec(ctx, `INSERT INTO task_attachments (task_id, item_id, added_by, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (task_id, item_id) DO NOTHING`, taskID, itemID, by, unix(t.now)); err != nil {
		return fmt.Errorf("store: attach to task: %w", err)
	}
	return nil
}

// DetachFromTask removes an attachment and says who had added it; ErrNotFound if there
// is none.
func (t *Tx) DetachFromTask(ctx context.Context, taskID, itemID string) (string, error) {
	var by string
	err := t.tx.QueryRowContext(ctx, `DELETE FROM task_attachments WHERE task_id = ? AND item_id = ? RETURNING added_by`,
		taskID, itemID).Scan(&by)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: detach from task: %w", err)
	}
	return by, nil
}

// TaskAttachments lists, oldest first, the live files attached to a task that a sees; the
// caller has loaded the task through the fence.
func (s *Store) TaskAttachments(ctx context.Context, a Actor, taskID string) ([]TaskAttachment, error) {
	cond, args := a.visibleDriveItemCond("i")
	rows, err := prepared{s}.QueryContext(ctx, `SELECT `+driveItemColumns+`, ta.added_by, ta.added_at
		FROM task_attachments ta JOIN drive_items i ON i.id = ta.item_id`+driveItemVersion+`
		WHERE ta.task_id = ? AND i.trashed_at IS NULL AND `+cond+` ORDER BY ta.added_at, i.id`, append([]any{taskID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: task attachments: %w", err)
	}
	defer rows.Close()
	var out []TaskAttachment
	for rows.Next() {
		var at TaskAttachment
		var added int64
		if at.DriveItem, err = scanDriveItem(rows, &at.AddedBy, &added); err != nil {
			return nil, err
		}
		at.AddedAt = time.Unix(added, 0)
		out = append(out, at)
	}
	return out, rows.Err()
}
