// Package backup writes and restores Annex's backups: one tar file holding a consistent
// copy of the database (VACUUM INTO, taken while the server serves), the uploaded files
// that copy refers to, the secret key, a manifest and the checksums of everything.
package backup

import (
	"archive/tar"
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
	"slices"
	"sort"
	"strings"
	"time"

	"annex/store"
)

// Format is the layout version of a backup file, in its manifest.
const Format = 1

const (
	prefix       = "annex-backup-"
	suffix       = ".tar"
	stamp        = "20060102T150405Z"
	manifestName = "manifest.json"
	sumsName     = "SHA256SUMS"
	dbName       = "annex.db"
	keyName      = "secret.key"
	filesPrefix  = "files/"
)

// Manifest is the first entry of a backup: what it is, from which version and schema,
// taken when. The checksums of every entry (this one included) are in SHA256SUMS, the
// last entry, written as `sha256sum` writes them.
type Manifest struct {
	Format       int       `json:"format"`
	AnnexVersion string    `json:"annex_version"`
	Schema       int       `json:"schema_version"`
	Created      time.Time `json:"created_at"`
	DatabaseSize int64     `json:"database_size"`
	Files        int       `json:"files"`
	FileBytes    int64     `json:"file_bytes"`
	SecretKey    bool      `json:"secret_key"`
	// MissingFiles are files the database refers to that were not in the data folder.
	MissingFiles []string `json:"missing_files,omitempty"`
}

// BackupProgress is how far a backup has come.
type BackupProgress struct {
	Phase      string `json:"phase" enum:"snapshot,files,done" doc:"snapshot: copying the database; files: writing the archive"`
	BytesDone  int64  `json:"bytesDone"`
	BytesTotal int64  `json:"bytesTotal"`
	FilesDone  int    `json:"filesDone"`
	FilesTotal int    `json:"filesTotal"`
}

// Options say what to back up and where.
type Options struct {
	DataDir  string // the data folder: annex.db, files/, secret.key
	Dir      string // where backups go
	Keep     int    // backups kept after a success, oldest removed first; 0 keeps all
	Version  string // Annex's version, for the manifest
	Now      func() time.Time
	Progress func(BackupProgress) // called as the backup goes; may be nil
}

// BackupFile is one backup in the folder.
type BackupFile struct {
	Name    string    `json:"name"`
	Size    int64     `json:"size"`
	Created time.Time `json:"createdAt"`
}

// Create writes one backup into opt.Dir and then removes the oldest beyond opt.Keep. The
// file is written under a temporary name and renamed when whole and synced; on any
// failure (a folder that is not writable, a full disk) the partial file is removed and
// the backups already there are left alone.
func Create(ctx context.Context, opt Options) (BackupFile, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Progress == nil {
		opt.Progress = func(BackupProgress) {}
	}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return BackupFile{}, fmt.Errorf("backup: folder %s: %w", opt.Dir, err)
	}
	removeStale(opt.Dir, ".partial-"+prefix, opt.Now())
	removeStale(opt.DataDir, ".backup-", opt.Now())
	var info BackupFile
	var err error
	// A file the snapshot refers to can be deleted before it is copied (a photo
	// replaced meanwhile): the backup then starts again from a newer snapshot. A file
	// still missing on the last attempt is really lost and is named in the manifest.
	for attempt := 1; ; attempt++ {
		info, err = create(ctx, opt, attempt == 5)
		if !errors.Is(err, errFileGone) {
			break
		}
	}
	if err != nil {
		return BackupFile{}, err
	}
	if opt.Keep > 0 {
		if err := Prune(opt.Dir, opt.Keep); err != nil {
			return info, err
		}
	}
	return info, nil
}

var errFileGone = errors.New("backup: a referenced file went away")

func create(ctx context.Context, opt Options, tolerateMissing bool) (_ BackupFile, err error) {
	created := opt.Now().UTC().Truncate(time.Second)
	opt.Progress(BackupProgress{Phase: "snapshot"})
	tmp, err := os.CreateTemp(opt.Dir, ".partial-"+prefix+"*")
	if err != nil {
		return BackupFile{}, fmt.Errorf("backup: cannot write in %s: %w", opt.Dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// The snapshot and the links that pin the files go in a private (0700) folder in the
	// data folder: links must be on the files' file system, and the snapshot is as
	// secret as the database.
	work, err := os.MkdirTemp(opt.DataDir, ".backup-")
	if err != nil {
		return BackupFile{}, fmt.Errorf("backup: cannot write in the data folder: %w", err)
	}
	defer os.RemoveAll(work)
	dbTmp := filepath.Join(work, dbName)
	pins := filepath.Join(work, "files")
	filesDir := filepath.Join(opt.DataDir, "files")
	// Hard links pin the files: one taken before the snapshot for every file there,
	// one right after it for a file the snapshot refers to that came meanwhile. A file
	// deleted later (a photo replaced) keeps its content for this backup, so only a file
	// both created and deleted within the moment of the snapshot forces another
	// attempt. Where links cannot be made, the files are read in place.
	perr := os.Mkdir(pins, 0o700)
	if perr == nil {
		if entries, err := os.ReadDir(filesDir); err == nil {
			for _, e := range entries {
				if validID(e.Name()) {
					_ = os.Link(filepath.Join(filesDir, e.Name()), filepath.Join(pins, e.Name()))
				}
			}
		}
	}
	if err := store.Snapshot(ctx, opt.DataDir, dbTmp); err != nil {
		return BackupFile{}, fmt.Errorf("backup: %w", err)
	}
	dbInfo, err := store.Inspect(ctx, dbTmp)
	if err != nil {
		return BackupFile{}, fmt.Errorf("backup: %w", err)
	}
	if dbInfo.Integrity != "ok" {
		return BackupFile{}, fmt.Errorf("backup: the database fails its integrity check: %s", dbInfo.Integrity)
	}
	m := Manifest{Format: Format, AnnexVersion: opt.Version, Schema: dbInfo.Schema, Created: created}
	st, err := os.Stat(dbTmp)
	if err != nil {
		return BackupFile{}, err
	}
	m.DatabaseSize = st.Size()
	ids := slices.Compact(slices.Sorted(slices.Values(dbInfo.FileIDs)))
	path := map[string]string{}
	var present []string
	for _, id := range ids {
		src := filepath.Join(filesDir, id)
		if !validID(id) {
			m.MissingFiles = append(m.MissingFiles, id)
			continue
		}
		if perr == nil {
			pin := filepath.Join(pins, id)
			if _, err := os.Lstat(pin); err == nil || os.Link(src, pin) == nil {
				src = pin
			}
		}
		fi, err := os.Stat(src)
		if err != nil {
			if !tolerateMissing {
				return BackupFile{}, errFileGone
			}
			m.MissingFiles = append(m.MissingFiles, id)
			continue
		}
		path[id] = src
		present = append(present, id)
		m.FileBytes += fi.Size()
	}
	m.Files = len(present)
	key, err := os.ReadFile(filepath.Join(opt.DataDir, keyName))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return BackupFile{}, fmt.Errorf("backup: secret key: %w", err)
	}
	m.SecretKey = err == nil

	p := BackupProgress{Phase: "files", BytesTotal: m.DatabaseSize + m.FileBytes, FilesTotal: m.Files}
	opt.Progress(p)
	w := &archiveWriter{tw: tar.NewWriter(&syncingWriter{f: tmp}), created: created}
	mj, _ := json.MarshalIndent(m, "", "  ")
	if err := w.add(manifestName, int64(len(mj)), strings.NewReader(string(mj))); err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	if m.SecretKey {
		if err := w.add(keyName, int64(len(key)), strings.NewReader(string(key))); err != nil {
			return BackupFile{}, writeErr(opt.Dir, err)
		}
	}
	db, err := os.Open(dbTmp)
	if err != nil {
		return BackupFile{}, err
	}
	err = w.add(dbName, m.DatabaseSize, &counting{r: ctxReader{ctx, db}, n: func(n int) {
		p.BytesDone += int64(n)
		if p.BytesDone%(8<<20) < int64(n) {
			opt.Progress(p)
		}
	}})
	db.Close()
	if err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	for _, id := range present {
		f, err := os.Open(path[id])
		if err != nil {
			if tolerateMissing {
				return BackupFile{}, fmt.Errorf("backup: file %s: %w", id, err)
			}
			return BackupFile{}, errFileGone
		}
		fi, err := f.Stat()
		if err == nil {
			// Files are written once under a new id and never changed, so the size seen
			// now is the size of the whole file.
			err = w.add(filesPrefix+id, fi.Size(), ctxReader{ctx, f})
		}
		f.Close()
		if err != nil {
			return BackupFile{}, writeErr(opt.Dir, err)
		}
		p.BytesDone += fi.Size()
		p.FilesDone++
		opt.Progress(p)
	}
	if err := w.finish(); err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	if err := tmp.Sync(); err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	if err := tmp.Close(); err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	name := prefix + created.Format(stamp) + suffix
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(opt.Dir, name)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = fmt.Sprintf("%s%s-%d%s", prefix, created.Format(stamp), i, suffix)
	}
	final := filepath.Join(opt.Dir, name)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return BackupFile{}, writeErr(opt.Dir, err)
	}
	syncDir(opt.Dir)
	fi, err := os.Stat(final)
	if err != nil {
		return BackupFile{}, err
	}
	p.Phase = "done"
	opt.Progress(p)
	return BackupFile{Name: name, Size: fi.Size(), Created: created}, nil
}

// removeStale removes what a backup that was killed (power cut, kill -9) left behind: a
// partial file, or a folder of pinning links that holds on to deleted files' space. A
// day old at least, so a backup running beside (`annex backup` next to the server's
// scheduled one) keeps its own.
func removeStale(dir, namePrefix string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), namePrefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > 24*time.Hour {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func writeErr(dir string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("backup: stopped: %w", err)
	}
	return fmt.Errorf("backup: writing to %s: %w (the partial file was removed; earlier backups are kept)", dir, err)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// archiveWriter writes tar entries and collects their checksums.
type archiveWriter struct {
	tw      *tar.Writer
	created time.Time
	sums    []string
}

func (w *archiveWriter) add(name string, size int64, r io.Reader) error {
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: w.created,
		Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(w.tw, io.TeeReader(r, h))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("%s changed while it was copied", name)
	}
	w.sums = append(w.sums, hex.EncodeToString(h.Sum(nil))+"  "+name+"\n")
	return nil
}

func (w *archiveWriter) finish() error {
	s := strings.Join(w.sums, "")
	if err := w.add(sumsName, int64(len(s)), strings.NewReader(s)); err != nil {
		return err
	}
	return w.tw.Close()
}

// syncingWriter flushes the archive to disk every syncEvery bytes as it is written. A
// gigabyte left dirty and synced at the end stalled the server's own commits for over
// half a second behind it (the file system's journal orders the flushes); flushed in
// slices, a commit beside it waits for one slice at most.
type syncingWriter struct {
	f       *os.File
	pending int64
}

const syncEvery = 16 << 20

func (w *syncingWriter) Write(b []byte) (int, error) {
	n, err := w.f.Write(b)
	w.pending += int64(n)
	if err == nil && w.pending >= syncEvery {
		w.pending = 0
		err = w.f.Sync()
	}
	return n, err
}

type counting struct {
	r io.Reader
	n func(int)
}

func (c *counting) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n(n)
	return n, err
}

// ctxReader stops a long copy when the server shuts down.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// List returns the backups in dir, newest first. A folder that does not exist yet
// holds none.
func List(dir string) ([]BackupFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var out []BackupFile
	for _, e := range entries {
		t, ok := parseName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupFile{Name: e.Name(), Size: fi.Size(), Created: t})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// parseName reads the time out of a backup's file name; ok is false for any other file.
func parseName(name string) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return time.Time{}, false
	}
	if s, ok = strings.CutSuffix(s, suffix); !ok || len(s) < len(stamp) {
		return time.Time{}, false
	}
	if rest := s[len(stamp):]; rest != "" {
		if rest[0] != '-' || strings.Trim(rest[1:], "0123456789") != "" || len(rest) < 2 {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(stamp, s[:len(stamp)])
	return t, err == nil
}

// ValidName reports whether name is a backup's file name (and so names no other path).
func ValidName(name string) bool {
	_, ok := parseName(name)
	return ok && filepath.Base(name) == name
}

// Prune removes the oldest backups in dir beyond the newest keep.
func Prune(dir string, keep int) error {
	all, err := List(dir)
	if err != nil || len(all) <= keep {
		return err
	}
	var errs []error
	for _, b := range all[keep:] {
		if err := os.Remove(filepath.Join(dir, b.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("backup: removing old backups: %w", errors.Join(errs...))
	}
	return nil
}

// validID accepts the ids store.NewID makes, so no id in a database names a path.
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
