package store

import (
	"context"
	"fmt"
	"time"
)

// DriveShare is one person an item of My Drive is shared with.
type DriveShare struct {
	User  User
	Level int // LevelView or LevelEdit
}

// ShareDriveItem shares the item with a person at level, or changes the level it is
// shared at. The caller has checked that by owns the item and sees the person.
func (t *Tx) ShareDriveItem(ctx context.Context, itemID, userID string, level int, by string) error {
	if _, err := t.exec(ctx, `INSERT INTO drive_shares (item_id, user_id, level, created_by, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (item_id, user_id) DO UPDATE SET level = excluded.level`, itemID, userID, level, by, unix(t.now)); err != nil {
		return fmt.Errorf("store: share drive item: %w", err)
	}
	return nil
}

// UnshareDriveItem withdraws the item's share with a person; ErrNotFound if there is none.
func (t *Tx) UnshareDriveItem(ctx context.Context, itemID, userID string) error {
	res, err := t.exec(ctx, `DELETE FROM drive_shares WHERE item_id = ? AND user_id = ?`, itemID, userID)
	return affectedOne(res, err, "unshare drive item")
}

// DriveShares lists the people an item is shared with whom a sees, by name.
func (s *Store) DriveShares(ctx context.Context, a Actor, itemID string) ([]DriveShare, error) {
	cond, args := a.visibleUserCond("u")
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+`, ds.level FROM drive_shares ds JOIN users u ON u.id = ds.user_id
		WHERE ds.item_id = ? AND `+cond+` ORDER BY u.name, u.id`, append([]any{itemID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: drive shares: %w", err)
	}
	defer rows.Close()
	var out []DriveShare
	for rows.Next() {
		var sh DriveShare
		if sh.User, err = scanUser(rows, &sh.Level); err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// SharedDriveItem is an item someone shared with the reader, with its share's level.
type SharedDriveItem struct {
	DriveItem
	Level    int
	SharedAt time.Time
}

// SharedWithMe lists, newest share first, the live items others shared with a directly
// (not what is in them) that a sees, and how many there are.
func (s *Store) SharedWithMe(ctx context.Context, a Actor, limit, offset int) ([]SharedDriveItem, int, error) {
	cond, cargs := a.visibleDriveItemCond("i")
	from := ` FROM drive_shares sh JOIN drive_items i ON i.id = sh.item_id` + driveItemVersion + `
		WHERE sh.user_id = ? AND i.trashed_at IS NULL AND i.owner_id IS NOT ? AND ` + cond
	args := append([]any{a.UserID, a.UserID}, cargs...)
	db := prepared{s}
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: shared with me: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+driveItemColumns+`, sh.level, sh.created_at`+from+
		` ORDER BY sh.created_at DESC, i.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: shared with me: %w", err)
	}
	defer rows.Close()
	var out []SharedDriveItem
	for rows.Next() {
		var v SharedDriveItem
		var at int64
		if v.DriveItem, err = scanDriveItem(rows, &v.Level, &at); err != nil {
			return nil, 0, err
		}
		v.SharedAt = time.Unix(at, 0)
		out = append(out, v)
	}
	return out, total, rows.Err()
}
