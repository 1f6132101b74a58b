package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Lock is the hold of one process on a data folder: `annex serve` keeps it while it
// runs, `annex restore` takes it for the time it replaces the data, and a second process
// asking for it is refused with InUseError.
type Lock struct{ f *os.File }

// InUseError is a data folder another process holds.
type InUseError struct {
	Dir string
	PID int // 0 when unknown
}

func (e *InUseError) Error() string {
	who := "another Annex process"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("the data folder %s is in use by %s: a data folder is used by one process at a time; "+
		"stop that one first, or give this one another folder (--config, ANNEX_DATA_DIR)", e.Dir, who)
}

// LockFolder takes the data folder's lock (<dir>/annex.lock, an flock released by the
// kernel when the process ends, however it ends), creating the folder if needed.
func LockFolder(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	abs, _ := filepath.Abs(dir)
	f, err := os.OpenFile(filepath.Join(dir, "annex.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data folder lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:n])))
			return nil, &InUseError{Dir: abs, PID: pid}
		}
		return nil, fmt.Errorf("data folder lock: %w", err)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Release gives the folder back.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = l.f.Close() // closing the last descriptor drops the flock
	l.f = nil
}
