package main

import (
	"database/sql"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// slowBody is an upload's content sent in pieces, so that a kill lands in the middle of
// some uploads.
type slowBody struct{ left int }

func (b *slowBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.left, 64<<10)
	for i := range p[:n] {
		p[i] = byte('a' + i%26)
	}
	b.left -= n
	time.Sleep(2 * time.Millisecond)
	return n, nil
}

// Killing the process at random points while files are uploaded leaves no file row
// without its content, and, once Annex has started again, no content without its row nor
// any half-written upload; every upload the server confirmed is there.
func TestCrashesDuringUploadsLeaveNothingHalfDone(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ANNEX_CRASH_CHILD=1", "ANNEX_DATA_DIR=" + dir, "ANNEX_LOG_FORMAT=text", "ANNEX_TWO_FACTOR_ADMINS=false",
		"ANNEX_BASE_URL=http://127.0.0.1", "ANNEX_UPLOADS_PER_PERSON=8"}
	c := startChild(t, env)
	h := []string{"X-Setup-Token", c.token}
	c.call(t, "", "PUT", "/setup/company", map[string]any{"name": "Example Ltd", "baseUrl": "http://127.0.0.1"}, h...)
	c.call(t, "", "PUT", "/setup/admin", map[string]any{"name": "Ada", "email": "ada@example.com", "password": "correct horse battery staple"}, h...)
	_, _, cookie := c.call(t, "", "POST", "/setup/finish", nil, h...)

	const kills = 6
	var mu sync.Mutex
	confirmed := map[string]bool{} // item ids the server answered 201 for
	tried := 0
	for k := 0; k <= kills; k++ {
		if k > 0 {
			c = startChild(t, env)
			_, _, cookie = c.call(t, "", "POST", "/auth/login", map[string]any{"email": "ada@example.com", "password": "correct horse battery staple"})
		}
		if k == kills {
			break // the last run is the one after the last crash
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/drives/me/files?name=run%d-w%d-%d.bin", c.url, k, w, i),
						&slowBody{left: (1 + mrand.IntN(8)) << 18})
					req.Header.Set("X-Annex-Client", "1")
					req.Header.Set("Cookie", cookie)
					res, err := http.DefaultClient.Do(req)
					mu.Lock()
					tried++
					mu.Unlock()
					if err != nil {
						continue
					}
					var id string
					if b, _ := io.ReadAll(res.Body); res.StatusCode == 201 {
						id = strings.SplitN(strings.SplitN(string(b), `"id":"`, 2)[1], `"`, 2)[0]
					}
					res.Body.Close()
					if id != "" {
						mu.Lock()
						confirmed[id] = true
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(100+mrand.IntN(400)) * time.Millisecond)
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		_ = c.cmd.Wait()
		close(stop)
		wg.Wait()
	}
	defer func() {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		_ = c.cmd.Wait()
	}()

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "annex.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bodies := map[string]bool{}
	rows, err := db.Query(`SELECT v.body, i.id FROM drive_versions v JOIN drive_items i ON i.id = v.item_id`)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]bool{}
	for rows.Next() {
		var body, item string
		if err := rows.Scan(&body, &item); err != nil {
			t.Fatal(err)
		}
		bodies[body], recorded[item] = true, true
	}
	rows.Close()
	for id := range confirmed {
		if !recorded[id] {
			t.Errorf("upload %s was confirmed but is not recorded", id)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		onDisk[e.Name()] = true
		if !bodies[e.Name()] {
			t.Errorf("%s is in the files folder, and nothing refers to it", e.Name())
		}
	}
	for b := range bodies {
		if !onDisk[b] {
			t.Errorf("a version refers to %s, which is not in the files folder", b)
		}
	}
	t.Logf("%d kills, %d uploads tried, %d confirmed, %d contents kept", kills, tried, len(confirmed), len(bodies))
	if len(confirmed) == 0 || tried <= len(confirmed) {
		t.Errorf("the test made too little to prove anything: %d tried, %d confirmed", tried, len(confirmed))
	}
}
