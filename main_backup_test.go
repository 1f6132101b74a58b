package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One data folder, one process: a second server and a restore are refused while a
// server runs, naming the folder; `annex backup` works beside the running server, and
// `annex restore` then brings its content back into another folder.
func TestDataFolderLockBackupAndRestore(t *testing.T) {
	data := t.TempDir()
	t.Setenv("ANNEX_DATA_DIR", data)
	t.Setenv("ANNEX_LOG_FORMAT", "text")
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, options{listen: "127.0.0.1:0"}, &logs) }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "Annex is listening"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", logs.String())
		}
	}

	err := serve(ctx, options{listen: "127.0.0.1:0"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "is in use by another Annex process (pid") || !strings.Contains(err.Error(), data) {
		t.Errorf("a second server on the same folder: %v", err)
	}
	to := t.TempDir()
	var out bytes.Buffer
	if err := runBackup(ctx, options{}, to, &out); err != nil {
		t.Fatalf("backup beside the running server: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(to, "annex-backup-*.tar"))
	if len(files) != 1 || !strings.Contains(out.String(), files[0]) {
		t.Fatalf("backup wrote %v, said %q", files, out.String())
	}
	err = runRestore(ctx, options{}, files[0], &out)
	if err == nil || !strings.Contains(err.Error(), "is in use") {
		t.Errorf("restore while the server runs: %v", err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Stopped: the restore goes through and says what it did.
	out.Reset()
	if err := runRestore(context.Background(), options{}, files[0], &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Restored", "schema", "moved to " + filepath.Join(data, "replaced-")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("restore said %q, want %q in it", out.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "secret.key")); err != nil {
		t.Errorf("secret key not restored: %v", err)
	}
}
