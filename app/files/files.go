// Package files keeps uploaded content on disk under <data>/files/, one file per random
// id (ARCHITECTURE.md "Files"); what refers to a file, and who may read it, is in SQLite.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"annex/store"
)

// Dir is the folder that holds the files.
type Dir struct{ path string }

// Open returns the files folder under the data folder, creating it.
func Open(dataDir string) (*Dir, error) {
	p := filepath.Join(dataDir, "files")
	if err := os.MkdirAll(p, 0o700); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Dir{path: p}, nil
}

// ErrNotFound is a file that is not there.
var ErrNotFound = errors.New("files: not found")

// Put stores the content read from r under a new id. The file appears whole or not at
// all: it is written aside, synced, then renamed into place.
func (d *Dir) Put(r io.Reader) (string, error) {
	s, err := d.PutLimited(r, -1)
	return s.ID, err
}

// ErrTooLarge is content longer than the limit it was stored under.
var ErrTooLarge = errors.New("files: too large")

// Stored is content kept by PutLimited: its id, size and SHA-256 (hex).
type Stored struct {
	ID     string
	Size   int64
	SHA256 string
}

// PutLimited is Put for content of at most limit bytes (none if negative), computing its
// size and SHA-256 on the way, so that a large upload streams to disk and is never held
// in memory. Longer content is ErrTooLarge, and nothing of it is kept.
func (d *Dir) PutLimited(r io.Reader, limit int64) (Stored, error) {
	tmp, err := os.CreateTemp(d.path, ".upload-*")
	if err != nil {
		return Stored{}, fmt.Errorf("files: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if limit >= 0 {
		r = io.LimitReader(r, limit+1)
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, sum), r)
	if err == nil && limit >= 0 && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	s := Stored{ID: store.NewID(), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}
	if err == nil {
		err = os.Rename(tmp.Name(), d.name(s.ID))
	}
	if errors.Is(err, ErrTooLarge) {
		return Stored{}, err
	}
	if err != nil {
		return Stored{}, fmt.Errorf("files: %w", err)
	}
	return s, nil
}

// Open opens a stored file for reading.
func (d *Dir) Open(id string) (*os.File, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	f, err := os.Open(d.name(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Remove deletes a stored file; one already gone is not an error.
func (d *Dir) Remove(id string) error {
	if !validID(id) {
		return nil
	}
	if err := os.Remove(d.name(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// SweepJob is the scheduled sweep's name; SweepGrace is how old content must be before it
// removes it, well past the time between writing content and recording it.
const (
	SweepJob   = "files_cleanup"
	SweepGrace = time.Hour
)

// Sweep removes what nothing refers to: content stored more than grace ago that inUse
// does not claim, and uploads left half-written (the process stopped while writing) as long
// ago. grace covers content written and not yet recorded; at start, before any request,
// none is, and grace can be 0.
func (d *Dir) Sweep(grace time.Duration, inUse func(ids []string) (map[string]bool, error)) (int, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return 0, fmt.Errorf("files: %w", err)
	}
	cutoff := time.Now().Add(-grace)
	removed := 0
	var batch []string
	flush := func() error {
		used, err := inUse(batch)
		if err != nil {
			return err
		}
		for _, id := range batch {
			if !used[id] && os.Remove(d.name(id)) == nil {
				removed++
			}
		}
		batch = batch[:0]
		return nil
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
			continue
		}
		switch name := e.Name(); {
		case strings.HasPrefix(name, ".upload-"):
			if os.Remove(d.name(name)) == nil {
				removed++
			}
		case validID(name):
			if batch = append(batch, name); len(batch) == 500 {
				if err := flush(); err != nil {
					return removed, err
				}
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return removed, err
		}
	}
	return removed, nil
}

func (d *Dir) name(id string) string { return filepath.Join(d.path, id) }

// validID keeps ids to the alphabet store.NewID uses, so no id can name a path.
func validID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
