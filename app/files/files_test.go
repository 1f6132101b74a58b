package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The sweep keeps what is referred to and what is younger than its grace (written, not yet
// recorded), and removes the rest, half-written uploads included.
func TestSweepRemovesOnlyWhatNothingRefersTo(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put := func(age time.Duration) string {
		id, err := d.Put(strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(d.name(id), old, old); err != nil {
			t.Fatal(err)
		}
		return id
	}
	used, orphan, young := put(2*time.Hour), put(2*time.Hour), put(time.Minute)
	half := filepath.Join(d.path, ".upload-123")
	if err := os.WriteFile(half, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	_ = os.Chtimes(half, old, old)
	n, err := d.Sweep(time.Hour, func(ids []string) (map[string]bool, error) {
		return map[string]bool{used: true}, nil
	})
	if err != nil || n != 2 {
		t.Fatalf("swept %d, %v; want the orphan and the half-written upload", n, err)
	}
	for id, want := range map[string]bool{used: true, orphan: false, young: true, ".upload-123": false} {
		if _, err := os.Stat(d.name(id)); (err == nil) != want {
			t.Errorf("%s kept: %v, want %v", id, err == nil, want)
		}
	}
}
