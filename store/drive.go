package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kinds of drive items.
const (
	DriveFolder = "folder"
	DriveFile   = "file"
)

// Drive names one drive: a person's My Drive (OwnerID) or a group's (GroupID).
type Drive struct{ OwnerID, GroupID string }

// DriveItem is a folder or a file of a drive. A file's size and type are its current
// version's.
type DriveItem struct {
	ID          string
	Drive       Drive
	ParentID    string // "" at the drive's root
	Kind        string
	Name        string
	Size        int64
	ContentType string
	Versions    int
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Path        string    // its folders from the root, as /id1/id2/
	TrashedAt   time.Time // zero unless it is in the trash
}

// subtree is the prefix of the paths of everything under the item.
func (v DriveItem) subtree() string { return v.Path + v.ID + "/" }

// DriveVersion is one content of a file; the newest is the current one.
type DriveVersion struct {
	ID          string
	ItemID      string
	Body        string // the content's id in the files folder
	Size        int64
	SHA256      string
	ContentType string
	CreatedBy   string
	CreatedAt   time.Time
}

// DriveNameKey is the form two names of one folder are compared in: case-folded, so that
// "Отчёт.pdf" and "отчёт.PDF" are one name.
func DriveNameKey(name string) string { return folder.String(name) }

// driveItemColumns are an item's, from drive_items i joined to its current version cv
// (driveItemVersion).
const driveItemColumns = `i.id, coalesce(i.owner_id, ''), coalesce(i.group_id, ''), coalesce(i.parent_id, ''), i.kind, i.name,
	i.created_by, i.created_at, i.updated_at, coalesce(cv.size, 0), coalesce(cv.content_type, ''),
	(SELECT count(*) FROM drive_versions vc WHERE vc.item_id = i.id), i.path, coalesce(i.trashed_at, 0)`

const driveItemVersion = ` LEFT JOIN drive_versions cv ON cv.id =
		(SELECT vn.id FROM drive_versions vn WHERE vn.item_id = i.id ORDER BY vn.created_at DESC, vn.rowid DESC LIMIT 1)`

const driveItemCols = driveItemColumns + ` FROM drive_items i` + driveItemVersion

// scanDriveItem reads driveItemColumns, then extra columns into extra.
func scanDriveItem(row interface{ Scan(...any) error }, extra ...any) (DriveItem, error) {
	var v DriveItem
	var created, updated, trashed int64
	err := row.Scan(append([]any{&v.ID, &v.Drive.OwnerID, &v.Drive.GroupID, &v.ParentID, &v.Kind, &v.Name, &v.CreatedBy,
		&created, &updated, &v.Size, &v.ContentType, &v.Versions, &v.Path, &trashed}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: drive item: %w", err)
	}
	v.CreatedAt, v.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	if trashed != 0 {
		v.TrashedAt = time.Unix(trashed, 0)
	}
	return v, nil
}

// DriveItem returns the item if a may see it and it is not in the trash; otherwise
// ErrNotFound, whether or not it exists.
func (s *Store) DriveItem(ctx context.Context, a Actor, id string) (DriveItem, error) {
	return driveItem(ctx, prepared{s}, a, id)
}

// DriveItemTx is DriveItem inside a write.
func (t *Tx) DriveItemTx(ctx context.Context, a Actor, id string) (DriveItem, error) {
	return driveItem(ctx, t.tx, a, id)
}

func driveItem(ctx context.Context, db queryer, a Actor, id string) (DriveItem, error) {
	cond, args := a.visibleDriveItemCond("i")
	return scanDriveItem(db.QueryRowContext(ctx, `SELECT `+driveItemCols+` WHERE i.id = ? AND i.trashed_at IS NULL AND `+cond,
		append([]any{id}, args...)...))
}

// DriveSorts are the orders of a folder's items (folders always first): by name, by
// when they last changed, by size; "-" before one reverses it.
var DriveSorts = map[string]string{
	"name": "i.name_key, i.id", "-name": "i.name_key DESC, i.id DESC",
	"updated": "i.updated_at, i.id", "-updated": "i.updated_at DESC, i.id DESC",
	"size": "coalesce(cv.size, 0), i.name_key, i.id", "-size": "coalesce(cv.size, 0) DESC, i.name_key, i.id",
}

// DriveItems lists, folders first and then in order sort (a key of DriveSorts), the items
// a may see in one folder of drive d (parentID "" for its root), and how many there are.
func (s *Store) DriveItems(ctx context.Context, a Actor, d Drive, parentID, sort string, limit, offset int) ([]DriveItem, int, error) {
	cond, cargs := a.visibleDriveItemCond("i")
	where := ` WHERE i.trashed_at IS NULL AND i.owner_id IS nullif(?, '') AND i.group_id IS nullif(?, '')
		AND i.parent_id IS nullif(?, '') AND ` + cond
	return driveItemPage(ctx, prepared{s}, where, append([]any{d.OwnerID, d.GroupID, parentID}, cargs...),
		"i.kind = 'file', "+DriveSorts[sort], limit, offset)
}

// SearchDrive lists, by name, the live items of every drive a may see whose name holds
// query (in any case), and how many there are.
func (s *Store) SearchDrive(ctx context.Context, a Actor, query string, limit, offset int) ([]DriveItem, int, error) {
	cond, cargs := a.visibleDriveItemCond("i")
	where := ` WHERE i.trashed_at IS NULL AND i.name_key LIKE ? ESCAPE '\' AND ` + cond
	return driveItemPage(ctx, prepared{s}, where, append([]any{"%" + likeEscape(DriveNameKey(strings.TrimSpace(query))) + "%"}, cargs...),
		"i.name_key, i.id", limit, offset)
}

func driveItemPage(ctx context.Context, db queryer, where string, args []any, order string, limit, offset int) ([]DriveItem, int, error) {
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM drive_items i`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: drive items: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+driveItemCols+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: drive items: %w", err)
	}
	items, err := scanDriveItems(rows)
	return items, total, err
}

// scanDriveItems reads rows of driveItemCols, and closes them.
func scanDriveItems(rows *sql.Rows) ([]DriveItem, error) {
	defer rows.Close()
	var items []DriveItem
	for rows.Next() {
		v, err := scanDriveItem(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return items, rows.Err()
}

// DriveItemNamed returns the live item named name (in any case) in a folder of drive d,
// if a may see it; ErrNotFound otherwise.
func (t *Tx) DriveItemNamed(ctx context.Context, a Actor, d Drive, parentID, name string) (DriveItem, error) {
	cond, args := a.visibleDriveItemCond("i")
	return scanDriveItem(t.tx.QueryRowContext(ctx, `SELECT `+driveItemCols+` WHERE i.trashed_at IS NULL
		AND i.owner_id IS nullif(?, '') AND i.group_id IS nullif(?, '') AND i.parent_id IS nullif(?, '') AND i.name_key = ? AND `+cond,
		append([]any{d.OwnerID, d.GroupID, parentID, DriveNameKey(name)}, args...)...))
}

// CreateDriveItem adds a folder or an empty file (its content comes as a version). A name
// already live in the folder is ErrConflict. The caller has checked that the actor may
// add to the folder.
func (t *Tx) CreateDriveItem(ctx context.Context, v *DriveItem) error {
	v.ID, v.CreatedAt, v.UpdatedAt = NewID(), t.now, t.now
	v.Path = "/"
	if v.ParentID != "" {
		if err := t.tx.QueryRowContext(ctx, `SELECT path || id || '/' FROM drive_items WHERE id = ?`, v.ParentID).Scan(&v.Path); err != nil {
			return fmt.Errorf("store: create drive item: %w", err)
		}
	}
	_, err := t.exec(ctx, `INSERT INTO drive_items (id, owner_id, group_id, parent_id, kind, name, name_key, created_by,
		created_at, updated_at, path) VALUES (?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.Drive.OwnerID, v.Drive.GroupID, v.ParentID, v.Kind, v.Name, DriveNameKey(v.Name), v.CreatedBy,
		unix(t.now), unix(t.now), v.Path)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: create drive item: %w", err)
	}
	return nil
}

// AddDriveVersion makes v the current content of its file.
func (t *Tx) AddDriveVersion(ctx context.Context, v *DriveVersion) error {
	v.ID, v.CreatedAt = NewID(), t.now
	if _, err := t.exec(ctx, `INSERT INTO drive_versions (id, item_id, body, size, sha256, content_type, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.ItemID, v.Body, v.Size, v.SHA256, v.ContentType, v.CreatedBy,
		unix(t.now)); err != nil {
		return fmt.Errorf("store: drive version: %w", err)
	}
	res, err := t.exec(ctx, `UPDATE drive_items SET updated_at = ? WHERE id = ? AND kind = 'file'`, unix(t.now), v.ItemID)
	return affectedOne(res, err, "drive version")
}

// DriveVersions lists the versions of a file a may see, newest first.
func (s *Store) DriveVersions(ctx context.Context, a Actor, itemID string) ([]DriveVersion, error) {
	if _, err := s.DriveItem(ctx, a, itemID); err != nil {
		return nil, err
	}
	rows, err := prepared{s}.QueryContext(ctx, `SELECT id, item_id, body, size, sha256, content_type, created_by, created_at
		FROM drive_versions WHERE item_id = ? ORDER BY created_at DESC, rowid DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: drive versions: %w", err)
	}
	defer rows.Close()
	var vs []DriveVersion
	for rows.Next() {
		var v DriveVersion
		var created int64
		if err := rows.Scan(&v.ID, &v.ItemID, &v.Body, &v.Size, &v.SHA256, &v.ContentType, &v.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("store: drive versions: %w", err)
		}
		v.CreatedAt = time.Unix(created, 0)
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// Why a drive item's name is refused (docs/drive.md, "Names").
const (
	DriveNameEmpty      = "name_empty"
	DriveNameTooLong    = "name_too_long"
	DriveNameDots       = "name_dots"
	DriveNameCharacters = "name_characters"
)

// MaxDriveName is the longest name, in characters.
const MaxDriveName = 255

// CleanDriveName trims a name and says why it is refused, if it is: a name can never
// name a path (no separators, never "." or ".."), nor hide characters a person cannot see.
func CleanDriveName(name string) (string, string) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return name, DriveNameEmpty
	case utf8.RuneCountInString(name) > MaxDriveName:
		return name, DriveNameTooLong
	case name == "." || name == "..":
		return name, DriveNameDots
	case !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool {
		return r == '/' || r == '\\' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200d'
	}):
		return name, DriveNameCharacters
	}
	return name, ""
}

// DriveInfo is a drive as someone opening it sees it.
type DriveInfo struct {
	Drive
	Name     string // the group's name; "" for My Drive
	Archived bool   // the group is archived: its drive is read-only
	On       bool   // the group's Drive tool is on (always for My Drive)
	Member   bool   // the reader may open it: an active member of its group, an administrator, or its owner
	Shared   bool   // "shared": what others shared with the reader, in their My Drives (Drive is zero)
}

// DriveOf loads drive id as a sees it: "me" is a's My Drive; "shared" what others shared
// with a; anything else is a group's drive, ErrNotFound unless a may see the group.
func (s *Store) DriveOf(ctx context.Context, a Actor, id string) (DriveInfo, error) {
	return driveOf(ctx, prepared{s}, a, id)
}

// DriveOfTx is DriveOf inside a write.
func (t *Tx) DriveOfTx(ctx context.Context, a Actor, id string) (DriveInfo, error) {
	return driveOf(ctx, t.tx, a, id)
}

func driveOf(ctx context.Context, db queryer, a Actor, id string) (DriveInfo, error) {
	if a.UserID == "" {
		return DriveInfo{}, ErrNotFound
	}
	switch id {
	case "me":
		return DriveInfo{Drive: Drive{OwnerID: a.UserID}, On: true, Member: true}, nil
	case "shared":
		return DriveInfo{On: true, Member: true, Shared: true}, nil
	}
	cond, args := a.visibleGroupCond("g.id")
	d := DriveInfo{Drive: Drive{GroupID: id}}
	var tools string
	err := db.QueryRowContext(ctx, `SELECT g.name, g.archived, g.tools,
		EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id = ? AND m.state = 'active')
		FROM groups g WHERE g.id = ? AND `+cond, append([]any{a.UserID, id}, args...)...).
		Scan(&d.Name, &d.Archived, &tools, &d.Member)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("store: drive: %w", err)
	}
	d.Member = d.Member || a.Admin
	d.On = slices.Contains(splitTools(tools), "drive")
	return d, nil
}
