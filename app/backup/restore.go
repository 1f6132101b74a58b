package backup

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// RefusedError is a backup that restore will not use; nothing was replaced.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string {
	return "restore refused, nothing was replaced: " + e.Reason
}

func refuse(format string, a ...any) error { return &RefusedError{Reason: fmt.Sprintf(format, a...)} }

// Restored says what a restore did.
type Restored struct {
	Manifest Manifest
	// Aside is the folder the replaced data was moved to; empty when the data folder
	// held no database.
	Aside string
}

// Restore replaces the database, files and secret key in dataDir with those of the
// backup file. It takes the data folder's lock, so it refuses while a server uses the
// folder. It checks everything before it replaces anything: the manifest (format,
// schema not newer than this binary's), every entry's checksum, the database's
// integrity_check, and that every file the database refers to is there. The data it
// replaces is moved to <dataDir>/replaced-<time>/, never deleted.
func Restore(ctx context.Context, dataDir, file string, now time.Time) (Restored, error) {
	lock, err := LockFolder(dataDir)
	if err != nil {
		return Restored{}, err
	}
	defer lock.Release()
	stage, err := os.MkdirTemp(dataDir, ".restore-")
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage) // empty after a success
	m, err := unpack(ctx, file, stage)
	if err != nil {
		return Restored{}, err
	}
	info, err := store.Inspect(ctx, filepath.Join(stage, dbName))
	if err != nil {
		return Restored{}, refuse("the database in the backup cannot be read: %v", err)
	}
	if info.Integrity != "ok" {
		return Restored{}, refuse("the database in the backup fails its integrity check: %s", info.Integrity)
	}
	if info.Schema != m.Schema {
		return Restored{}, refuse("the manifest says schema %d but the database has %d", m.Schema, info.Schema)
	}
	missing := map[string]bool{}
	for _, id := range m.MissingFiles {
		missing[id] = true
	}
	for _, id := range info.FileIDs {
		if _, err := os.Stat(filepath.Join(stage, "files", id)); err != nil && !missing[id] {
			return Restored{}, refuse("the database refers to file %s, which is not in the backup", id)
		}
	}
	// Everything is checked: move the current data aside, then the backup's in.
	res := Restored{Manifest: m}
	aside := filepath.Join(dataDir, "replaced-"+now.UTC().Format(stamp))
	moved := false
	for _, n := range []string{dbName, dbName + "-wal", dbName + "-shm", "files", keyName} {
		src := filepath.Join(dataDir, n)
		if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if !moved {
			if err := os.Mkdir(aside, 0o700); err != nil {
				return Restored{}, fmt.Errorf("restore: %w", err)
			}
			moved = true
		}
		if err := os.Rename(src, filepath.Join(aside, n)); err != nil {
			return Restored{}, fmt.Errorf("restore: moving %s aside (what was moved is in %s): %w", n, aside, err)
		}
	}
	if moved {
		res.Aside = aside
	}
	if err := os.MkdirAll(filepath.Join(stage, "files"), 0o700); err != nil {
		return res, err
	}
	for _, n := range []string{"files", dbName, keyName} {
		src := filepath.Join(stage, n)
		if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(src, filepath.Join(dataDir, n)); err != nil {
			return res, fmt.Errorf("restore: moving %s into place (the replaced data is in %s): %w", n, aside, err)
		}
	}
	syncDir(dataDir)
	return res, nil
}

// unpack reads the backup into stage, checking its manifest first and every checksum
// at the end; a damaged, truncated or altered file is refused.
func unpack(ctx context.Context, file, stage string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(file)
	if err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	tr := tar.NewReader(bufio.NewReaderSize(f, 1<<20))
	got := map[string]string{} // entry → sha256
	var order []string
	var sums []byte
	if err := os.Mkdir(filepath.Join(stage, "files"), 0o700); err != nil {
		return m, err
	}
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, refuse("%s is damaged or cut short (%v)", filepath.Base(file), err)
		}
		if sums != nil {
			return m, refuse("%s has entries after its checksums", filepath.Base(file))
		}
		name := h.Name
		if i == 0 && name != manifestName {
			return m, refuse("%s is not an Annex backup (it does not start with a manifest)", filepath.Base(file))
		}
		if h.Typeflag != tar.TypeReg || h.Size < 0 {
			return m, refuse("%s holds an unexpected entry %q", filepath.Base(file), name)
		}
		if _, dup := got[name]; dup {
			return m, refuse("%s holds %q twice", filepath.Base(file), name)
		}
		sum := sha256.New()
		switch {
		case name == manifestName:
			b, err := io.ReadAll(io.TeeReader(io.LimitReader(tr, 1<<20), sum))
			if err != nil {
				return m, refuse("%s is damaged or cut short (%v)", filepath.Base(file), err)
			}
			if err := json.Unmarshal(b, &m); err != nil {
				return m, refuse("its manifest cannot be read: %v", err)
			}
			if m.Format != Format {
				return m, refuse("it has backup format %d; this Annex reads format %d", m.Format, Format)
			}
			if m.Schema > store.SchemaVersion() {
				return m, refuse("it comes from a newer Annex (database schema %d; this binary knows up to %d): "+
					"restore it with the version that made it (%s) or a newer one", m.Schema, store.SchemaVersion(),
					m.AnnexVersion)
			}
		case name == sumsName:
			sums, err = io.ReadAll(io.LimitReader(tr, 64<<20))
			if err != nil {
				return m, refuse("%s is damaged or cut short (%v)", filepath.Base(file), err)
			}
			continue
		case name == dbName || name == keyName ||
			(strings.HasPrefix(name, filesPrefix) && validID(strings.TrimPrefix(name, filesPrefix))):
			out, err := os.OpenFile(filepath.Join(stage, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return m, fmt.Errorf("restore: %w", err)
			}
			_, err = io.Copy(out, io.TeeReader(tr, sum))
			if err == nil {
				err = out.Sync()
			}
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				var pe *fs.PathError
				if errors.As(err, &pe) {
					return m, fmt.Errorf("restore: %w", err)
				}
				return m, refuse("%s is damaged or cut short (%v)", filepath.Base(file), err)
			}
		default:
			return m, refuse("%s holds an unexpected entry %q", filepath.Base(file), name)
		}
		got[name] = hex.EncodeToString(sum.Sum(nil))
		order = append(order, name)
	}
	if sums == nil {
		return m, refuse("%s is cut short: its checksums are missing", filepath.Base(file))
	}
	want := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(sums)), "\n") {
		hexsum, name, ok := strings.Cut(line, "  ")
		if !ok {
			return m, refuse("its checksum list cannot be read")
		}
		want[name] = hexsum
	}
	if len(want) != len(got) {
		return m, refuse("its checksum list names %d entries but it holds %d", len(want), len(got))
	}
	for _, name := range order {
		if want[name] != got[name] {
			return m, refuse("%s does not match its checksum: the file was damaged or altered", name)
		}
	}
	if _, ok := got[dbName]; !ok {
		return m, refuse("it holds no database")
	}
	return m, nil
}
