package backup_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"annex/app/backup"
	"annex/app/files"
	"annex/store"
)

// BenchmarkBackupRestore seeds a data folder (a database of about DB bytes of user rows,
// and FILES bytes of uploaded files of 256 KiB each, every one referred to by a user's
// photo), then times one backup and one restore of it into a fresh folder. The size comes
// from ANNEX_BENCH_BACKUP ("db=200MB,files=1GB" for the figures in docs/backups.md); by
// default it is small, so `make bench` stays quick.
//
//	ANNEX_BENCH_BACKUP=db=200MB,files=1GB go test -tags nomsgpack -run '^$' -bench BackupRestore -benchtime 1x ./app/backup/
func BenchmarkBackupRestore(b *testing.B) {
	dbBytes, fileBytes := int64(4<<20), int64(16<<20)
	if v := os.Getenv("ANNEX_BENCH_BACKUP"); v != "" {
		for kv := range strings.SplitSeq(v, ",") {
			k, val, _ := strings.Cut(kv, "=")
			n, err := parseSize(val)
			if err != nil {
				b.Fatalf("ANNEX_BENCH_BACKUP: %v", err)
			}
			switch k {
			case "db":
				dbBytes = n
			case "files":
				fileBytes = n
			default:
				b.Fatalf("ANNEX_BENCH_BACKUP: unknown %q (want db=…,files=…)", k)
			}
		}
	}
	ctx := context.Background()
	data := b.TempDir()
	// ANNEX_BENCH_BACKUP_DATA=DIR seeds that folder instead, and leaves it, to measure the
	// binary's own `annex backup` and `annex restore` on it.
	if d := os.Getenv("ANNEX_BENCH_BACKUP_DATA"); d != "" {
		data = d
	}
	seedStart := time.Now()
	if err := seedFolder(ctx, data, dbBytes, fileBytes); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.Logf("seeded %s in %s", data, time.Since(seedStart).Round(time.Millisecond))
	target := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A writer goes on beside the backup, as people do, and its slowest commit is
		// reported: the snapshot must not hold writers up.
		wctx, stopWriter := context.WithCancel(ctx)
		var phase atomic.Value // where the backup was, for a slow write's log line
		phase.Store("start")
		t0 := time.Now()
		slowest := make(chan time.Duration)
		go func() {
			var worst time.Duration
			for n := 0; wctx.Err() == nil; n++ {
				w0 := time.Now()
				err := st.Tx(ctx, func(tx *store.Tx) error {
					u := store.User{Email: fmt.Sprintf("during%d-%d@example.com", i, n), Name: "During", Kind: "employee",
						Active: true, Locale: "en"}
					return tx.CreateUser(ctx, &u)
				})
				if err != nil {
					b.Error(err)
					break
				}
				d := time.Since(w0)
				if d > 100*time.Millisecond {
					b.Logf("slow write %s, %s into the backup, at %v", d, w0.Sub(t0), phase.Load())
				}
				worst = max(worst, d)
				time.Sleep(5 * time.Millisecond)
			}
			slowest <- worst
		}()
		info, err := backup.Create(ctx, backup.Options{DataDir: data, Dir: target, Version: "bench",
			Progress: func(p backup.BackupProgress) {
				phase.Store(fmt.Sprintf("%s, files %d/%d", p.Phase, p.FilesDone, p.FilesTotal))
			},
			Now: func() time.Time { return time.Now().Add(time.Duration(i) * time.Second) }})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		stopWriter()
		worst := <-slowest
		fresh := filepath.Join(b.TempDir(), "data")
		t1 := time.Now()
		res, err := backup.Restore(ctx, fresh, filepath.Join(target, info.Name), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		restored := time.Since(t1)
		b.ReportMetric(took.Seconds(), "backup-s")
		b.ReportMetric(restored.Seconds(), "restore-s")
		b.ReportMetric(float64(info.Size)/1e6, "backup-MB")
		b.ReportMetric(float64(worst.Microseconds())/1e3, "slowest-write-ms")
		b.Logf("database %.1f MB, %d files %.1f MB: backup %.1f MB in %s (%.0f MB/s), restore in %s; "+
			"slowest write beside the backup %s",
			float64(res.Manifest.DatabaseSize)/1e6, res.Manifest.Files, float64(res.Manifest.FileBytes)/1e6,
			float64(info.Size)/1e6, took.Round(time.Millisecond), float64(info.Size)/1e6/took.Seconds(),
			restored.Round(time.Millisecond), worst.Round(time.Microsecond))
		os.Remove(filepath.Join(target, info.Name))
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for suf, m := range map[string]int64{"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30} {
		if v, ok := strings.CutSuffix(strings.ToUpper(s), suf); ok {
			s, mult = v, m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: want a number with KB, MB or GB", s)
	}
	return n * mult, nil
}

// seedFolder fills a data folder: users in batches of a thousand per transaction, each
// with a kilobyte of profile text, until the database reaches dbBytes; files of 256 KiB
// of random (incompressible, like photos) bytes until fileBytes, each a user's photo.
func seedFolder(ctx context.Context, data string, dbBytes, fileBytes int64) error {
	st, err := store.Open(ctx, data, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	dir, err := files.Open(data)
	if err != nil {
		return err
	}
	src := rand.NewChaCha8([32]byte{1})
	rng := rand.New(src)
	const fileSize = 256 << 10
	nFiles := int(fileBytes / fileSize)
	buf := make([]byte, fileSize)
	var ids []string
	for range nFiles {
		_, _ = src.Read(buf)
		id, err := dir.Put(bytes.NewReader(buf))
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	pad := strings.Repeat("Senior engineer of the platform team, ", 24)
	dbPath := filepath.Join(data, "annex.db")
	size := func() int64 {
		var n int64
		for _, p := range []string{dbPath, dbPath + "-wal"} {
			if fi, err := os.Stat(p); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	for batch := 0; size() < dbBytes || len(ids) > 0; batch++ {
		err := st.Tx(ctx, func(tx *store.Tx) error {
			for i := range 1000 {
				u := store.User{Email: fmt.Sprintf("u%d-%d@example.com", batch, i), Name: fmt.Sprintf("User %d %d", batch, i),
					Kind: "employee", Active: true, Locale: "en", Position: pad[:len(pad)-rng.IntN(200)]}
				if err := tx.CreateUser(ctx, &u); err != nil {
					return err
				}
				if len(ids) > 0 {
					if _, err := tx.SetPhoto(ctx, u.ID, ids[0]); err != nil {
						return err
					}
					ids = ids[1:]
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
