package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// DriveLink is a public link to a drive item.
type DriveLink struct {
	ID           string
	ItemID       string
	CreatedBy    string
	CreatedAt    time.Time
	ExpiresAt    time.Time // zero: it does not expire
	PasswordHash string    // "": no password
	RevokedAt    time.Time // zero: not revoked
	Visits       int
	Downloads    int
}

const driveLinkCols = `l.id, l.item_id, l.created_by, l.created_at, coalesce(l.expires_at, 0), l.password_hash,
	coalesce(l.revoked_at, 0), l.visits, l.downloads`

func scanDriveLink(row interface{ Scan(...any) error }) (DriveLink, error) {
	var l DriveLink
	var created, expires, revoked int64
	err := row.Scan(&l.ID, &l.ItemID, &l.CreatedBy, &created, &expires, &l.PasswordHash, &revoked, &l.Visits, &l.Downloads)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("store: drive link: %w", err)
	}
	l.CreatedAt = time.Unix(created, 0)
	if expires != 0 {
		l.ExpiresAt = time.Unix(expires, 0)
	}
	if revoked != 0 {
		l.RevokedAt = time.Unix(revoked, 0)
	}
	return l, nil
}

// CreateDriveLink records a link whose token hashes to tokenHash. The caller has checked
// that its creator may make it.
func (t *Tx) CreateDriveLink(ctx context.Context, l *DriveLink, tokenHash string) error {
	l.ID, l.CreatedAt = NewID(), t.now
	var expires any
	if !l.ExpiresAt.IsZero() {
		expires = unix(l.ExpiresAt)
	}
	if _, err := t.exec(ctx, `INSERT INTO drive_links (id, item_id, token_hash, created_by, created_at, expires_at, password_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.ID, l.ItemID, tokenHash, l.CreatedBy, unix(t.now), expires, l.PasswordHash); err != nil {
		return fmt.Errorf("store: create drive link: %w", err)
	}
	return nil
}

// DriveLinks lists the links not revoked of an item a sees, newest first.
func (s *Store) DriveLinks(ctx context.Context, a Actor, itemID string) ([]DriveLink, error) {
	cond, args := a.visibleDriveItemCond("i")
	rows, err := s.read.QueryContext(ctx, `SELECT `+driveLinkCols+` FROM drive_links l JOIN drive_items i ON i.id = l.item_id
		WHERE l.item_id = ? AND l.revoked_at IS NULL AND `+cond+` ORDER BY l.created_at DESC, l.id`, append([]any{itemID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: drive links: %w", err)
	}
	defer rows.Close()
	var out []DriveLink
	for rows.Next() {
		l, err := scanDriveLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// DriveLinkTx returns a link not revoked whose item a sees; ErrNotFound otherwise.
func (t *Tx) DriveLinkTx(ctx context.Context, a Actor, id string) (DriveLink, error) {
	cond, args := a.visibleDriveItemCond("i")
	return scanDriveLink(t.tx.QueryRowContext(ctx, `SELECT `+driveLinkCols+` FROM drive_links l JOIN drive_items i ON i.id = l.item_id
		WHERE l.id = ? AND l.revoked_at IS NULL AND `+cond, append([]any{id}, args...)...))
}

// RevokeDriveLink stops a link for good.
func (t *Tx) RevokeDriveLink(ctx context.Context, id string) error {
	res, err := t.exec(ctx, `UPDATE drive_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, unix(t.now), id)
	return affectedOne(res, err, "revoke drive link")
}

// DriveLinkByToken returns the link whose token hashes to tokenHash, revoked or not.
// Whoever holds a token holds the link: only the visitor's handler asks, as the system.
func (s *Store) DriveLinkByToken(ctx context.Context, a Actor, tokenHash string) (DriveLink, error) {
	if !a.system {
		return DriveLink{}, ErrNotFound
	}
	return scanDriveLink(s.read.QueryRowContext(ctx, `SELECT `+driveLinkCols+` FROM drive_links l WHERE l.token_hash = ?`, tokenHash))
}

// DriveLinkByID is DriveLinkByToken for a link the visitor's browser has already opened
// (its cookie names it).
func (s *Store) DriveLinkByID(ctx context.Context, a Actor, id string) (DriveLink, error) {
	if !a.system {
		return DriveLink{}, ErrNotFound
	}
	return scanDriveLink(s.read.QueryRowContext(ctx, `SELECT `+driveLinkCols+` FROM drive_links l WHERE l.id = ?`, id))
}

// CountDriveLink counts a visit, or a download, of a link.
func (t *Tx) CountDriveLink(ctx context.Context, id string, download bool) error {
	col := "visits"
	if download {
		col = "downloads"
	}
	res, err := t.exec(ctx, `UPDATE drive_links SET `+col+` = `+col+` + 1 WHERE id = ?`, id)
	return affectedOne(res, err, "count drive link")
}
