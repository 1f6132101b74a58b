package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Levels of rights in a group's drive (docs/drive.md), each allowing what the one below
// does and more.
const (
	LevelNone = iota
	LevelView
	LevelUpload
	LevelEdit
	LevelFull
)

// DriveRights are the levels a folder (or a drive's root) gives each role.
type DriveRights struct{ Owner, Moderators, Employees, Externals int }

// DefaultDriveRights are a drive's root's until they are changed.
var DefaultDriveRights = DriveRights{Owner: LevelFull, Moderators: LevelFull, Employees: LevelEdit, Externals: LevelUpload}

// driveLevelSQL is the level that the member whose membership row is md has on the item
// row i of a group's drive: the rights of the nearest folder with its own, from the item
// (a folder) up; else the drive root's; else the defaults. A file has its folder's.
func (a Actor) driveLevelSQL(i, md string) string {
	col, def := "employees", DefaultDriveRights.Employees
	if a.Kind == KindExternal {
		col, def = "externals", DefaultDriveRights.Externals
	}
	pick := "CASE " + md + ".role WHEN 'owner' THEN dr.owner WHEN 'moderator' THEN dr.moderators ELSE dr." + col + " END"
	at := "instr(" + i + ".path, '/' || dr.folder_id || '/')"
	return "coalesce((SELECT " + pick + " FROM drive_rights dr WHERE dr.group_id = " + i + ".group_id AND dr.folder_id IS NOT NULL" +
		" AND (dr.folder_id = " + i + ".id OR " + at + " > 0) ORDER BY dr.folder_id = " + i + ".id DESC, " + at + " DESC LIMIT 1)," +
		" (SELECT " + pick + " FROM drive_rights dr WHERE dr.group_id = " + i + ".group_id AND dr.folder_id IS NULL)," +
		" CASE " + md + ".role WHEN 'owner' THEN " + strconv.Itoa(DefaultDriveRights.Owner) +
		" WHEN 'moderator' THEN " + strconv.Itoa(DefaultDriveRights.Moderators) + " ELSE " + strconv.Itoa(def) + " END)"
}

// DriveLevel is a's level in folder folderID of drive d ("" for its root): full in one's
// own My Drive and, for administrators, in every group's; none where a is no active member.
func (t *Tx) DriveLevel(ctx context.Context, a Actor, d Drive, folderID string) (int, error) {
	return driveLevel(ctx, t.tx, a, d, folderID)
}

// DriveLevel is Tx.DriveLevel outside a write.
func (s *Store) DriveLevel(ctx context.Context, a Actor, d Drive, folderID string) (int, error) {
	return driveLevel(ctx, prepared{s}, a, d, folderID)
}

func driveLevel(ctx context.Context, db queryer, a Actor, d Drive, folderID string) (int, error) {
	switch {
	case d.OwnerID != "" && d.OwnerID == a.UserID, d.GroupID != "" && (a.Admin || a.system):
		return LevelFull, nil
	case d.OwnerID != "" && folderID != "" && a.UserID != "":
		return sharedLevel(ctx, db, a, folderID)
	case d.GroupID == "" || a.UserID == "":
		return LevelNone, nil
	}
	// The root is a row of its own: no folder of the drive is on its (empty) path.
	src, args := "(SELECT ? AS group_id, '' AS id, '/' AS path)", []any{d.GroupID}
	if folderID != "" {
		src, args = "(SELECT group_id, id, path FROM drive_items WHERE id = ? AND group_id = ?)", []any{folderID, d.GroupID}
	}
	var level int
	err := db.QueryRowContext(ctx, `SELECT `+a.driveLevelSQL("i", "md")+` FROM `+src+` i
		JOIN memberships md ON md.group_id = i.group_id AND md.user_id = ? AND md.state = 'active'`,
		append(args, a.UserID)...).Scan(&level)
	if errors.Is(err, sql.ErrNoRows) {
		return LevelNone, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: drive level: %w", err)
	}
	return level, nil
}

// DriveRightsOf returns the rights of folder f of group groupID (the zero item for the
// drive's root), loaded through the fence by the caller, and whether they are its own
// rather than inherited.
func (s *Store) DriveRightsOf(ctx context.Context, a Actor, groupID string, f DriveItem) (DriveRights, bool, error) {
	if a.UserID == "" && !a.system {
		return DriveRights{}, false, ErrNotFound
	}
	path := "/"
	if f.ID != "" {
		path = f.subtree()
	}
	var r DriveRights
	var own bool
	// The nearest folder with rights of its own is the last of the path to have any.
	err := prepared{s}.QueryRowContext(ctx, `SELECT owner, moderators, employees, externals, coalesce(folder_id, '') = ?
		FROM drive_rights WHERE group_id = ? AND (folder_id IS NULL OR instr(?, '/' || folder_id || '/') > 0)
		ORDER BY folder_id IS NOT NULL DESC, instr(?, '/' || folder_id || '/') DESC LIMIT 1`,
		f.ID, groupID, path, path).Scan(&r.Owner, &r.Moderators, &r.Employees, &r.Externals, &own)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultDriveRights, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("store: drive rights: %w", err)
	}
	return r, own, nil
}

// SetDriveRights gives folder folderID of group groupID ("" for the root) rights of its
// own, or, when r is nil, lets it inherit again (the root: the defaults).
func (t *Tx) SetDriveRights(ctx context.Context, groupID, folderID string, r *DriveRights) error {
	if _, err := t.exec(ctx, `DELETE FROM drive_rights WHERE group_id = ? AND folder_id IS nullif(?, '')`, groupID, folderID); err != nil {
		return fmt.Errorf("store: drive rights: %w", err)
	}
	if r == nil {
		return nil
	}
	if _, err := t.exec(ctx, `INSERT INTO drive_rights (group_id, folder_id, owner, moderators, employees, externals)
		VALUES (?, nullif(?, ''), ?, ?, ?, ?)`, groupID, folderID, r.Owner, r.Moderators, r.Employees, r.Externals); err != nil {
		return fmt.Errorf("store: drive rights: %w", err)
	}
	return nil
}

// sharedLevel is what the shares of someone else's My Drive let a do in folder folderID:
// the most any share of it, or of a folder it is in, gives, while a sees it.
func sharedLevel(ctx context.Context, db queryer, a Actor, folderID string) (int, error) {
	cond, args := a.sharedDriveItemCond("i")
	var level int
	err := db.QueryRowContext(ctx, `SELECT coalesce(max(ds.level), 0) FROM drive_items i JOIN drive_shares ds ON ds.user_id = ?
		AND (ds.item_id = i.id OR instr(i.path, '/' || ds.item_id || '/') > 0) WHERE i.id = ? AND `+cond,
		append([]any{a.UserID, folderID}, args...)...).Scan(&level)
	if err != nil {
		return 0, fmt.Errorf("store: shared level: %w", err)
	}
	return level, nil
}
