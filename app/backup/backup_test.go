package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"annex/app/backup"
	"annex/app/files"
	"annex/store"
	"annex/store/storetest"
)

type written struct {
	userID, fileID string
	sum            [32]byte
}

// writer adds a user with a photo, or replaces the photo of one it added (deleting the
// old file after the commit, as the photo handler does), and reports each write once it
// has committed.
func writer(ctx context.Context, st *store.Store, dir *files.Dir, n int, ack func(written)) error {
	var mine []string
	for i := 0; ctx.Err() == nil; i++ {
		content := make([]byte, 512+i%2048)
		rand.Read(content)
		fid, err := dir.Put(bytes.NewReader(content))
		if err != nil {
			return err
		}
		w := written{fileID: fid, sum: sha256.Sum256(content)}
		var old string
		err = st.Tx(context.Background(), func(tx *store.Tx) error {
			if i%4 == 3 && len(mine) > 0 {
				w.userID = mine[i%len(mine)]
			} else {
				u := store.User{Email: fmt.Sprintf("w%d-%d@example.com", n, i), Name: "Writer", Kind: "employee",
					Active: true, Locale: "en"}
				if err := tx.CreateUser(context.Background(), &u); err != nil {
					return err
				}
				w.userID = u.ID
			}
			var err error
			old, err = tx.SetPhoto(context.Background(), w.userID, fid)
			return err
		})
		if err != nil {
			return err
		}
		if old == "" {
			mine = append(mine, w.userID)
		}
		_ = dir.Remove(old)
		ack(w)
	}
	return nil
}

// A backup taken while 8 writers add data holds every write acknowledged before it
// started, passes integrity_check, and every file its database refers to comes back
// with its content.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	st, data := storetest.New(t, nil)
	dir, err := files.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "secret.key"), bytes.Repeat([]byte{7}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var acked []written
	sums := map[string][32]byte{}
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for n := range 8 {
		wg.Go(func() {
			errs <- writer(wctx, st, dir, n, func(w written) {
				mu.Lock()
				acked = append(acked, w)
				sums[w.fileID] = w.sum
				mu.Unlock()
			})
		})
	}
	// Let the writers get going, so the backup starts in the middle of their work.
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	before := append([]written(nil), acked...)
	mu.Unlock()
	target := filepath.Join(t.TempDir(), "backups")
	var progressed atomic.Int32
	info, err := backup.Create(ctx, backup.Options{DataDir: data, Dir: target, Version: "test",
		Progress: func(backup.BackupProgress) { progressed.Add(1) }})
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if progressed.Load() == 0 {
		t.Error("no progress reported")
	}
	fi, err := os.Stat(filepath.Join(target, info.Name))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v, want 0600: it holds the secret key", fi.Mode().Perm())
	}
	t.Logf("%d writes acknowledged before the backup, %d in all; backup %d bytes", len(before), len(acked), info.Size)

	fresh := t.TempDir()
	res, err := backup.Restore(ctx, fresh, filepath.Join(target, info.Name), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if res.Aside != "" {
		t.Errorf("a fresh folder had nothing to move aside, got %s", res.Aside)
	}
	if k, _ := os.ReadFile(filepath.Join(fresh, "secret.key")); !bytes.Equal(k, bytes.Repeat([]byte{7}, 32)) {
		t.Error("the secret key did not come back")
	}
	dbi, err := store.Inspect(ctx, filepath.Join(fresh, "annex.db"))
	if err != nil || dbi.Integrity != "ok" {
		t.Fatalf("integrity: %q %v", dbi.Integrity, err)
	}
	if len(dbi.FileIDs) == 0 {
		t.Fatal("the restored database refers to no files")
	}
	for _, id := range dbi.FileIDs {
		b, err := os.ReadFile(filepath.Join(fresh, "files", id))
		if err != nil {
			t.Errorf("file %s referenced but not restored: %v", id, err)
			continue
		}
		if sha256.Sum256(b) != sums[id] {
			t.Errorf("file %s restored with other content", id)
		}
	}
	rst, err := store.Open(ctx, fresh, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rst.Close()
	for _, w := range before {
		u, err := rst.User(ctx, store.System(), w.userID)
		if err != nil {
			t.Fatalf("user %s acknowledged before the backup is missing: %v", w.userID, err)
		}
		if u.PhotoID == "" {
			t.Errorf("user %s lost their photo", w.userID)
		}
	}
}

func seeded(t *testing.T) (data string, backupFile string) {
	t.Helper()
	ctx := context.Background()
	st, data := storetest.New(t, nil)
	dir, _ := files.Open(data)
	if err := writer(ctxAfter(3), st, dir, 0, func(written) {}); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	info, err := backup.Create(ctx, backup.Options{DataDir: data, Dir: target, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return data, filepath.Join(target, info.Name)
}

// ctxAfter is a context that ends after n checks, so a writer makes n writes.
func ctxAfter(n int) context.Context { return &countdown{Context: context.Background(), left: n} }

type countdown struct {
	context.Context
	left int
}

func (c *countdown) Err() error {
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

// rewrite copies a backup, changing it with edit (entry name, content) → new content.
func rewrite(t *testing.T, src string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := filepath.Join(t.TempDir(), filepath.Base(src))
	var buf bytes.Buffer
	tr, tw := tar.NewReader(f), tar.NewWriter(&buf)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		b = edit(h.Name, b)
		h.Size = int64(len(b))
		tw.WriteHeader(h)
		tw.Write(b)
	}
	tw.Close()
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	_, file := seeded(t)
	whole, _ := os.ReadFile(file)

	truncated := filepath.Join(t.TempDir(), "t.tar")
	os.WriteFile(truncated, whole[:len(whole)*2/3], 0o600)

	tampered := rewrite(t, file, func(name string, b []byte) []byte {
		if name == "annex.db" {
			b[len(b)/2] ^= 0xff
		}
		return b
	})
	newer := rewrite(t, file, func(name string, b []byte) []byte {
		if name == "manifest.json" {
			var m map[string]any
			json.Unmarshal(b, &m)
			m["schema_version"] = store.SchemaVersion() + 1
			b, _ = json.Marshal(m)
		}
		return b
	})
	// A backup whose checksums agree but which lacks a file its database refers to (made
	// by hand, or by a broken Annex): the checksum list is rewritten to match.
	var dropped string
	lacking := rewrite(t, file, func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "files/") && dropped == "" {
			dropped = name
		}
		return b
	})
	lacking = rewriteDropping(t, lacking, dropped)
	cases := []struct{ name, file, want string }{
		{"a referenced file missing", lacking, "which is not in the backup"},
		{"truncated", truncated, "cut short"},
		{"tampered database", tampered, "does not match its checksum"},
		{"newer schema", newer, "newer Annex"},
		{"not a backup", func() string {
			p := filepath.Join(t.TempDir(), "x.tar")
			os.WriteFile(p, []byte("hello"), 0o600)
			return p
		}(), "damaged or cut short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target, _ := seeded(t)
			before := snapshotDir(t, target)
			_, err := backup.Restore(ctx, target, c.file, time.Now())
			var re *backup.RefusedError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a refusal saying %q", err, c.want)
			}
			if after := snapshotDir(t, target); after != before {
				t.Errorf("the data folder changed after a refused restore:\n%s\n---\n%s", before, after)
			}
		})
	}

	t.Run("server running", func(t *testing.T) {
		target, _ := seeded(t)
		lock, err := backup.LockFolder(target)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		_, err = backup.Restore(ctx, target, file, time.Now())
		var iu *backup.InUseError
		if !errors.As(err, &iu) || !strings.Contains(err.Error(), target) {
			t.Fatalf("got %v, want the folder in use", err)
		}
	})

	t.Run("replaced data kept aside", func(t *testing.T) {
		target, _ := seeded(t)
		oldDB, _ := os.ReadFile(filepath.Join(target, "annex.db"))
		res, err := backup.Restore(ctx, target, file, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		aside, err := os.ReadFile(filepath.Join(res.Aside, "annex.db"))
		if err != nil || !bytes.Equal(aside, oldDB) {
			t.Errorf("the replaced database is not kept aside in %s: %v", res.Aside, err)
		}
	})
}

// rewriteDropping copies a backup without the entry named drop, with SHA256SUMS
// rewritten to match what is left.
func rewriteDropping(t *testing.T, src, drop string) string {
	t.Helper()
	var sums []string
	out := rewrite(t, src, func(name string, b []byte) []byte {
		if name == "SHA256SUMS" {
			for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
				if !strings.HasSuffix(line, "  "+drop) {
					sums = append(sums, line)
				}
			}
			return []byte(strings.Join(sums, "\n") + "\n")
		}
		return b
	})
	f, _ := os.Open(out)
	defer f.Close()
	var buf bytes.Buffer
	tr, tw := tar.NewReader(f), tar.NewWriter(&buf)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == drop {
			continue
		}
		tw.WriteHeader(h)
		io.Copy(tw, tr)
	}
	tw.Close()
	os.WriteFile(out, buf.Bytes(), 0o600)
	return out
}

// snapshotDir lists a folder's files with their sizes and checksums, skipping the
// lock file.
func snapshotDir(t *testing.T, dir string) string {
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "annex.lock" {
			return err
		}
		b, _ := os.ReadFile(p)
		fmt.Fprintf(&sb, "%s %d %x\n", strings.TrimPrefix(p, dir), len(b), sha256.Sum256(b))
		return nil
	})
	return sb.String()
}

// A target that cannot be written, or a disk that fills, fails with a clear error,
// leaves no partial file and keeps the backups already there; keep N removes the oldest
// after a success.
func TestBackupFaultsAndKeep(t *testing.T) {
	ctx := context.Background()
	st, data := storetest.New(t, nil)
	dir, _ := files.Open(data)
	// Files large enough that the archive outgrows the database by far.
	for i := range 4 {
		id, _ := dir.Put(bytes.NewReader(make([]byte, 256<<10)))
		err := st.Tx(ctx, func(tx *store.Tx) error {
			u := store.User{Email: fmt.Sprintf("f%d@example.com", i), Name: "F", Kind: "employee", Active: true, Locale: "en"}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			_, err := tx.SetPhoto(ctx, u.ID, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	target := t.TempDir()
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	for i := range 4 {
		_, err := backup.Create(ctx, backup.Options{DataDir: data, Dir: target, Keep: 3,
			Now: func() time.Time { return now.Add(time.Duration(i) * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
	}
	list, err := backup.List(target)
	if err != nil || len(list) != 3 || !list[0].Created.Equal(now.Add(3*time.Hour)) {
		t.Fatalf("keep 3: %+v %v", list, err)
	}
	before := snapshotDir(t, target)

	// Not writable: a "folder" below a regular file (a permission bit would not stop
	// root, which the tests may run as).
	blocked := filepath.Join(target, list[0].Name, "backups")
	_, err = backup.Create(ctx, backup.Options{DataDir: data, Dir: blocked, Keep: 3})
	if err == nil || !strings.Contains(err.Error(), blocked) {
		t.Errorf("an unwritable folder: got %v", err)
	}

	// A disk that fills midway: a limit on the size of any file this process writes
	// (RLIMIT_FSIZE, with SIGXFSZ ignored so the write fails instead of killing the
	// test) lets the database snapshot through and stops the archive, which also holds
	// the files.
	dbSize := fileSize(t, filepath.Join(data, "annex.db")) + fileSize(t, filepath.Join(data, "annex.db-wal"))
	err = withFileSizeLimit(t, uint64(dbSize+128<<10), func() error {
		_, err := backup.Create(ctx, backup.Options{DataDir: data, Dir: target, Keep: 3,
			Now: func() time.Time { return now.Add(10 * time.Hour) }})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "partial file was removed") {
		t.Errorf("a full disk: got %v", err)
	}
	// A shutdown midway (the context ends while the files are written).
	stopping, stop := context.WithCancel(ctx)
	_, err = backup.Create(stopping, backup.Options{DataDir: data, Dir: target, Keep: 3,
		Now: func() time.Time { return now.Add(11 * time.Hour) },
		Progress: func(p backup.BackupProgress) {
			if p.Phase == "files" {
				stop()
			}
		}})
	if err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("a backup stopped midway: got %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(data, ".backup-*")); len(left) > 0 {
		t.Errorf("failed backups left their work in the data folder: %v", left)
	}
	if after := snapshotDir(t, target); after != before {
		t.Errorf("the backups folder changed after failed backups:\n%s\n---\n%s", before, after)
	}
}

func fileSize(t *testing.T, p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// The scheduled job's run reports a failure, Last keeps it (from the record of job
// runs, so it outlives a restart) until a backup succeeds, and then names the latest.
func TestRunnerLast(t *testing.T) {
	ctx := context.Background()
	st, data := storetest.New(t, nil)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	bad := backup.NewRunner(ctx, st, slog.New(slog.DiscardHandler), backup.Options{DataDir: data, Dir: filepath.Join(blocker, "b")})
	if err := bad.Run(ctx); err == nil {
		t.Fatal("a backup into a folder under a file succeeded")
	}
	good := backup.NewRunner(ctx, st, slog.New(slog.DiscardHandler), backup.Options{DataDir: data, Dir: t.TempDir(), Keep: 2})
	sum, err := good.Last(ctx)
	if err != nil || sum.LastError == "" || sum.LastErrorAt == nil || sum.Latest != nil {
		t.Fatalf("after a failure: %+v %v", sum, err)
	}
	if err := good.Run(ctx); err != nil {
		t.Fatal(err)
	}
	sum, err = good.Last(ctx)
	if err != nil || sum.LastError != "" || sum.Latest == nil || sum.Latest.Size == 0 || sum.Count != 1 {
		t.Fatalf("after a success: %+v %v", sum, err)
	}
}
