package backup_test

import (
	"os/signal"
	"syscall"
	"testing"
)

// withFileSizeLimit runs fn with RLIMIT_FSIZE set to limit bytes: a write past it fails
// with EFBIG, as a write to a full disk fails with ENOSPC.
func withFileSizeLimit(t *testing.T, limit uint64, fn func() error) error {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
	return fn()
}
