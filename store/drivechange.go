package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The changes to a drive's items (docs/drive.md): renaming, moving and copying, and the
// trash. The callers have loaded each item through the fence and checked that the actor
// may make the change.

// MaxDriveCopy bounds how many items one copy may make, so that one request cannot hold
// the database's writes for long.
const MaxDriveCopy = 10000

// RenameDriveItem gives the item a new name; a name live in its folder is ErrConflict.
func (t *Tx) RenameDriveItem(ctx context.Context, v *DriveItem, name string) error {
	res, err := t.exec(ctx, `UPDATE drive_items SET name = ?, name_key = ?, updated_at = ? WHERE id = ? AND trashed_at IS NULL`,
		name, DriveNameKey(name), unix(t.now), v.ID)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err := affectedOne(res, err, "rename drive item"); err != nil {
		return err
	}
	v.Name, v.UpdatedAt = name, t.now
	return nil
}

// MoveDriveItem puts the item, and everything under it, in folder parent (nil: the root)
// of drive to. A name live there is ErrConflict; parent must not be under the item.
func (t *Tx) MoveDriveItem(ctx context.Context, v *DriveItem, to Drive, parent *DriveItem) error {
	path, parentID := "/", ""
	if parent != nil {
		path, parentID = parent.subtree(), parent.ID
	}
	old := v.subtree()
	if to != v.Drive {
		// Rights belong to a group's drive, shares to their owner's: what is taken to
		// another drive leaves its own behind.
		for _, q := range []string{`DELETE FROM drive_rights WHERE folder_id = ? OR folder_id IN
			(SELECT id FROM drive_items WHERE substr(path, 1, ?) = ?)`, `DELETE FROM drive_shares WHERE item_id = ? OR item_id IN
			(SELECT id FROM drive_items WHERE substr(path, 1, ?) = ?)`} {
			if _, err := t.exec(ctx, q, v.ID, len(old), old); err != nil {
				return fmt.Errorf("store: move drive item: %w", err)
			}
		}
	}
	res, err := t.exec(ctx, `UPDATE drive_items SET owner_id = nullif(?, ''), group_id = nullif(?, ''), parent_id = nullif(?, ''),
		path = ?, updated_at = ? WHERE id = ?`, to.OwnerID, to.GroupID, parentID, path, unix(t.now), v.ID)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err := affectedOne(res, err, "move drive item"); err != nil {
		return err
	}
	v.Drive, v.ParentID, v.Path, v.UpdatedAt = to, parentID, path, t.now
	if _, err := t.exec(ctx, `UPDATE drive_items SET owner_id = nullif(?, ''), group_id = nullif(?, ''),
		path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?`,
		to.OwnerID, to.GroupID, v.subtree(), len(old)+1, len(old), old); err != nil {
		return fmt.Errorf("store: move drive item: %w", err)
	}
	return nil
}

// CopyDriveItem copies the item, and what is live under it that a sees, into folder
// parent (nil: the root) of drive to under name; each file's copy has its current version
// only, sharing its content. A name live there is ErrConflict; more than MaxDriveCopy
// items is ErrTooMany.
func (t *Tx) CopyDriveItem(ctx context.Context, a Actor, v DriveItem, to Drive, parent *DriveItem, name string) (DriveItem, error) {
	cond, cargs := a.visibleDriveItemCond("i")
	rows, err := t.tx.QueryContext(ctx, `SELECT i.id, coalesce(i.parent_id, ''), i.kind, i.name FROM drive_items i
		WHERE (i.id = ? OR substr(i.path, 1, ?) = ?) AND i.trashed_at IS NULL AND `+cond+` ORDER BY length(i.path) LIMIT ?`,
		append(append([]any{v.ID, len(v.subtree()), v.subtree()}, cargs...), MaxDriveCopy+1)...)
	if err != nil {
		return DriveItem{}, fmt.Errorf("store: copy drive item: %w", err)
	}
	type source struct{ id, parent, kind, name string }
	var all []source
	for rows.Next() {
		var s source
		if err := rows.Scan(&s.id, &s.parent, &s.kind, &s.name); err != nil {
			rows.Close()
			return DriveItem{}, fmt.Errorf("store: copy drive item: %w", err)
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return DriveItem{}, fmt.Errorf("store: copy drive item: %w", err)
	}
	if len(all) > MaxDriveCopy {
		return DriveItem{}, ErrTooMany
	}
	// Parents come before what they hold (their paths are shorter): each copy's folder is
	// made before it.
	copies := map[string]string{}
	var root DriveItem
	actor := a.UserID
	for i, s := range all {
		if _, ok := copies[s.parent]; i > 0 && !ok {
			continue // under a folder a does not see: not copied either
		}
		c := DriveItem{Drive: to, ParentID: copies[s.parent], Kind: s.kind, Name: s.name, CreatedBy: actor}
		if i == 0 {
			c.Name, c.ParentID = name, ""
			if parent != nil {
				c.ParentID = parent.ID
			}
		}
		if err := t.CreateDriveItem(ctx, &c); err != nil {
			return DriveItem{}, err
		}
		copies[s.id] = c.ID
		if s.kind == DriveFile {
			if _, err := t.exec(ctx, `INSERT INTO drive_versions (id, item_id, body, size, sha256, content_type, created_by, created_at)
				SELECT ?, ?, body, size, sha256, content_type, ?, ? FROM drive_versions WHERE item_id = ?
				ORDER BY created_at DESC, rowid DESC LIMIT 1`, NewID(), c.ID, actor, unix(t.now), s.id); err != nil {
				return DriveItem{}, fmt.Errorf("store: copy drive item: %w", err)
			}
		}
		if i == 0 {
			root = c
		}
	}
	return root, nil
}

// TrashDriveItem moves the item, and what is live under it, to its drive's trash.
func (t *Tx) TrashDriveItem(ctx context.Context, v DriveItem, actor string) error {
	res, err := t.exec(ctx, `UPDATE drive_items SET trashed_at = ?, trashed_by = ?, trash_root = ?
		WHERE (id = ? OR substr(path, 1, ?) = ?) AND trashed_at IS NULL`,
		unix(t.now), actor, v.ID, v.ID, len(v.subtree()), v.subtree())
	if err != nil {
		return fmt.Errorf("store: trash drive item: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DriveTrash lists, newest first, what was deleted from drive d and can be restored, as a
// may see it, and how many there are.
func (s *Store) DriveTrash(ctx context.Context, a Actor, d Drive, limit, offset int) ([]DriveItem, int, error) {
	cond, cargs := a.visibleDriveItemCond("i")
	where := ` WHERE i.trash_root = i.id AND i.owner_id IS nullif(?, '') AND i.group_id IS nullif(?, '') AND ` + cond
	return driveItemPage(ctx, prepared{s}, where, append([]any{d.OwnerID, d.GroupID}, cargs...), "i.trashed_at DESC, i.id", limit, offset)
}

// TrashedDriveItem returns an item of the trash that can be restored (one deleted itself,
// not with its folder), if a may see it; ErrNotFound otherwise.
func (t *Tx) TrashedDriveItem(ctx context.Context, a Actor, id string) (DriveItem, error) {
	cond, args := a.visibleDriveItemCond("i")
	return scanDriveItem(t.tx.QueryRowContext(ctx, `SELECT `+driveItemCols+` WHERE i.id = ? AND i.trash_root = i.id AND `+cond,
		append([]any{id}, args...)...))
}

// RestoreDestination is the folder an item of the trash goes back to: its own, or its
// drive's root ("") when that folder is itself in the trash.
func (t *Tx) RestoreDestination(ctx context.Context, v DriveItem) (string, error) {
	if v.ParentID == "" {
		return "", nil
	}
	var trashed bool
	if err := t.tx.QueryRowContext(ctx, `SELECT trashed_at IS NOT NULL FROM drive_items WHERE id = ?`, v.ParentID).
		Scan(&trashed); err != nil {
		return "", fmt.Errorf("store: restore drive item: %w", err)
	}
	if trashed {
		return "", nil
	}
	return v.ParentID, nil
}

// RestoreDriveItem brings the item back from the trash with what was deleted with it, to
// its RestoreDestination. A name live there is ErrConflict.
func (t *Tx) RestoreDriveItem(ctx context.Context, v *DriveItem) error {
	to, err := t.RestoreDestination(ctx, *v)
	if err != nil {
		return err
	}
	if to != v.ParentID {
		if err := t.MoveDriveItem(ctx, v, v.Drive, nil); err != nil {
			return err
		}
	}
	_, err = t.exec(ctx, `UPDATE drive_items SET trashed_at = NULL, trashed_by = NULL, trash_root = NULL WHERE trash_root = ?`, v.ID)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: restore drive item: %w", err)
	}
	v.TrashedAt = time.Time{}
	return nil
}

// PurgeDriveItem removes for good the item, everything under it and their versions, and
// returns the contents no version refers to any more: the caller removes them from the
// files folder once the write is committed.
func (t *Tx) PurgeDriveItem(ctx context.Context, v DriveItem) ([]string, error) {
	under := `(SELECT id FROM drive_items WHERE id = ? OR substr(path, 1, ?) = ?)`
	args := []any{v.ID, len(v.subtree()), v.subtree()}
	rows, err := t.tx.QueryContext(ctx, `SELECT body FROM drive_versions WHERE item_id IN `+under+`
		UNION SELECT thumb FROM drive_versions WHERE thumb NOT IN ('', '-') AND item_id IN `+under, append(args, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: purge drive item: %w", err)
	}
	var bodies []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: purge drive item: %w", err)
		}
		bodies = append(bodies, b)
	}
	rows.Close()
	if _, err := t.exec(ctx, `DELETE FROM drive_items WHERE id IN `+under, args...); err != nil {
		return nil, fmt.Errorf("store: purge drive item: %w", err)
	}
	// A copy shares its original's content: only what nothing refers to any more goes.
	var gone []string
	for _, b := range bodies {
		var used bool
		if err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM drive_versions WHERE body = ?1 OR thumb = ?1)`, b).Scan(&used); err != nil {
			return nil, fmt.Errorf("store: purge drive item: %w", err)
		}
		if !used {
			gone = append(gone, b)
		}
	}
	return gone, nil
}

// ExpiredDriveTrash lists up to limit items deleted before cutoff that a sees (the job that
// empties the trash is the system: every drive).
func (s *Store) ExpiredDriveTrash(ctx context.Context, a Actor, cutoff time.Time, limit int) ([]DriveItem, error) {
	cond, args := a.visibleDriveItemCond("i")
	rows, err := prepared{s}.QueryContext(ctx, `SELECT `+driveItemCols+` WHERE i.trash_root = i.id AND i.trashed_at < ? AND `+cond+`
		ORDER BY i.trashed_at LIMIT ?`, append(append([]any{unix(cutoff)}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: expired drive trash: %w", err)
	}
	return scanDriveItems(rows)
}

// RestoreDriveVersion makes an earlier version the current one again, as a new version
// sharing its content: the versions in between are kept.
func (t *Tx) RestoreDriveVersion(ctx context.Context, itemID, versionID, actor string) (DriveVersion, error) {
	var v DriveVersion
	err := t.tx.QueryRowContext(ctx, `SELECT body, size, sha256, content_type FROM drive_versions WHERE id = ? AND item_id = ?`,
		versionID, itemID).Scan(&v.Body, &v.Size, &v.SHA256, &v.ContentType)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: restore drive version: %w", err)
	}
	v.ItemID, v.CreatedBy = itemID, actor
	return v, t.AddDriveVersion(ctx, &v)
}

// FilesInUse says which of the contents ids some row refers to (a drive's version or its
// preview, a person's photo), for the sweep of the files folder; only the system asks.
func (s *Store) FilesInUse(ctx context.Context, a Actor, ids []string) (map[string]bool, error) {
	if !a.system {
		return nil, ErrNotFound
	}
	used := map[string]bool{}
	if len(ids) == 0 {
		return used, nil
	}
	marks := strings.Repeat(",?", len(ids))[1:]
	args := make([]any, 0, 3*len(ids))
	for range 3 {
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT body FROM drive_versions WHERE body IN (`+marks+`)
		UNION SELECT thumb FROM drive_versions WHERE thumb IN (`+marks+`)
		UNION SELECT photo_id FROM users WHERE photo_id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: files in use: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: files in use: %w", err)
		}
		used[id] = true
	}
	return used, rows.Err()
}

// DriveTreeItem is an item under a folder with the content of its current version.
type DriveTreeItem struct {
	DriveItem
	Body string // "" for a folder
}

// DriveTree lists the folder v and what is live under it that a sees, parents before
// what they hold, with each file's current content; more than MaxDriveCopy items is
// ErrTooMany.
func (s *Store) DriveTree(ctx context.Context, a Actor, v DriveItem) ([]DriveTreeItem, error) {
	cond, args := a.visibleDriveItemCond("i")
	rows, err := prepared{s}.QueryContext(ctx, `SELECT `+driveItemColumns+`, coalesce(cv.body, '') FROM drive_items i`+driveItemVersion+`
		WHERE (i.id = ? OR substr(i.path, 1, ?) = ?) AND i.trashed_at IS NULL AND `+cond+` ORDER BY length(i.path), i.name_key LIMIT ?`,
		append(append([]any{v.ID, len(v.subtree()), v.subtree()}, args...), MaxDriveCopy+1)...)
	if err != nil {
		return nil, fmt.Errorf("store: drive tree: %w", err)
	}
	defer rows.Close()
	var out []DriveTreeItem
	for rows.Next() {
		var t DriveTreeItem
		if t.DriveItem, err = scanDriveItem(rows, &t.Body); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) > MaxDriveCopy {
		return nil, ErrTooMany
	}
	return out, rows.Err()
}

// DriveUsage is how many bytes drive d holds: every version of every item, in the trash
// too. It is a sum, not content; a must still be someone.
func (t *Tx) DriveUsage(ctx context.Context, a Actor, d Drive) (int64, error) {
	return driveUsage(ctx, t.tx, a, d)
}

// DriveUsage is Tx.DriveUsage outside a write.
func (s *Store) DriveUsage(ctx context.Context, a Actor, d Drive) (int64, error) {
	return driveUsage(ctx, prepared{s}, a, d)
}

func driveUsage(ctx context.Context, db queryer, a Actor, d Drive) (int64, error) {
	if a.Anonymous() {
		return 0, ErrNotFound
	}
	var used int64
	err := db.QueryRowContext(ctx, `SELECT coalesce(sum(v.size), 0) FROM drive_items i JOIN drive_versions v ON v.item_id = i.id
		WHERE i.owner_id IS nullif(?, '') AND i.group_id IS nullif(?, '')`, d.OwnerID, d.GroupID).Scan(&used)
	if err != nil {
		return 0, fmt.Errorf("store: drive usage: %w", err)
	}
	return used, nil
}

// DriveThumb returns the preview recorded for a version: "" none made yet, "-" none can be.
func (s *Store) DriveThumb(ctx context.Context, a Actor, versionID string) (string, error) {
	if a.Anonymous() {
		return "", ErrNotFound
	}
	var thumb string
	err := prepared{s}.QueryRowContext(ctx, `SELECT thumb FROM drive_versions WHERE id = ?`, versionID).Scan(&thumb)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return thumb, err
}

// SetDriveThumb records a version's preview unless one was recorded meanwhile, and
// returns the one that stands.
func (t *Tx) SetDriveThumb(ctx context.Context, versionID, thumb string) (string, error) {
	if _, err := t.exec(ctx, `UPDATE drive_versions SET thumb = ? WHERE id = ? AND thumb = ''`, thumb, versionID); err != nil {
		return "", fmt.Errorf("store: drive thumb: %w", err)
	}
	var got string
	err := t.tx.QueryRowContext(ctx, `SELECT thumb FROM drive_versions WHERE id = ?`, versionID).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return got, err
}
