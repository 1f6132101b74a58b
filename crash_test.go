package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/licence"
	"annex/store"
)

// TestMain lets the crash test run this very test binary as the server it kills.
func TestMain(m *testing.M) {
	if os.Getenv("ANNEX_CRASH_CHILD") == "1" {
		if k, err := base64.StdEncoding.DecodeString(os.Getenv("ANNEX_CRASH_LICENCE_KEY")); err == nil && len(k) > 0 {
			licence.TrustForTest(ed25519.PublicKey(k))
		}
		if err := serve(context.Background(), options{listen: "127.0.0.1:0"}, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is one run of the server in its own process.
type child struct {
	cmd   *exec.Cmd
	url   string
	token string // the setup token, on a first start
}

func startChild(t *testing.T, env []string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	urlRe := regexp.MustCompile(`url=(http://\S+)`)
	tokRe := regexp.MustCompile(`/setup#token=(\S+)`)
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := tokRe.FindStringSubmatch(line); m != nil {
				c.token = m[1]
			}
			if m := urlRe.FindStringSubmatch(line); m != nil && c.url == "" {
				c.url = m[1]
				// The setup link follows the listening line on a first start.
				go func() { time.Sleep(100 * time.Millisecond); close(ready) }()
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not start")
	}
	return c
}

func (c *child) call(t *testing.T, cookie, method, path string, body any, headers ...string) (int, map[string]any, string) {
	var rd *strings.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, c.url+"/api/v1"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Annex-Client", "1")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, ""
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	set := ""
	if ck := res.Header.Get("Set-Cookie"); ck != "" {
		set = strings.Split(ck, ";")[0]
	}
	return res.StatusCode, m, set
}

// Killing the process at random points while invitations are made and sent loses no
// mail and invents none: after each restart every committed mail reaches the SMTP
// server, none twice except the one whose send a kill interrupted (sent again with the
// same Message-ID), and no mail exists for a change that did not commit.
func TestCrashesLoseNoMail(t *testing.T) {
	smtp := apptest.NewSMTP(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	dir := t.TempDir()
	env := []string{"ANNEX_CRASH_CHILD=1", "ANNEX_DATA_DIR=" + dir, "ANNEX_LOG_FORMAT=text",
		"ANNEX_INVITATIONS_ADMIN_PER_HOUR=1000000",
		// The administrator signs in with a password alone: two-factor is not what this tests.
		"ANNEX_TWO_FACTOR_ADMINS=false",
		"ANNEX_BASE_URL=http://127.0.0.1", "ANNEX_SMTP_HOST=" + smtp.Host,
		"ANNEX_SMTP_PORT=" + strconv.Itoa(smtp.Port), "ANNEX_SMTP_SECURITY=none", "ANNEX_SMTP_FROM=annex@example.com",
		"ANNEX_CRASH_LICENCE_KEY=" + base64.StdEncoding.EncodeToString(pub)}

	c := startChild(t, env)
	h := []string{"X-Setup-Token", c.token}
	c.call(t, "", "PUT", "/setup/company", map[string]any{"name": "Example Ltd", "baseUrl": "http://127.0.0.1"}, h...)
	c.call(t, "", "PUT", "/setup/admin", map[string]any{"name": "Ada", "email": "ada@example.com", "password": "correct horse battery staple"}, h...)
	_, _, cookie := c.call(t, "", "POST", "/setup/finish", nil, h...)
	payload := `{"licensee":"Example Ltd","edition":"business","seats":100000,"issued":"2026-01-01T00:00:00Z","expires":"2099-01-01T00:00:00Z"}`
	enc := base64.RawURLEncoding
	lic := enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(ed25519.Sign(priv, []byte(payload)))
	if st, m, _ := c.call(t, cookie, "PUT", "/admin/licence", map[string]any{"text": lic}); st != 200 {
		t.Fatalf("licence: %d %v", st, m)
	}
	_, g, _ := c.call(t, cookie, "POST", "/groups", map[string]any{"name": "Client", "kind": "extranet"})
	group := g["id"].(string)

	const kills = 12
	confirmed := map[string]bool{} // addresses whose invitation the server confirmed
	var mu sync.Mutex
	n := 0
	for k := 0; k <= kills; k++ {
		if k > 0 {
			c = startChild(t, env)
			_, _, cookie = c.call(t, "", "POST", "/auth/login", map[string]any{"email": "ada@example.com", "password": "correct horse battery staple"})
		}
		if k == kills {
			break // the last run only delivers what is left
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					n++
					email := fmt.Sprintf("g%d@client.example", n)
					mu.Unlock()
					st, m, _ := c.call(t, cookie, "POST", "/groups/"+group+"/invitations", map[string]any{"kind": "external",
						"invitees": []map[string]any{{"email": email}}})
					if st == 200 && m["results"].([]any)[0].(map[string]any)["invited"] == true {
						mu.Lock()
						confirmed[email] = true
						mu.Unlock()
					}
				}
			})
		}
		time.Sleep(time.Duration(50+mrand.IntN(400)) * time.Millisecond)
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		_ = c.cmd.Wait()
		close(stop)
		wg.Wait()
	}

	// The last run delivers everything pending, then stops cleanly.
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, m, _ := c.call(t, cookie, "GET", "/admin/outbox?state=pending", nil)
		if m != nil && m["total"] == float64(0) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail still pending after a minute: %v", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()

	st, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, total, err := st.Mails(context.Background(), store.System(), store.MailFilter{Limit: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	committed := map[string]store.Mail{}
	to := map[string]bool{}
	for _, r := range rows {
		committed[r.MessageID] = r
		to[r.To] = true
		if r.State != store.MailSent {
			t.Errorf("mail %s is %s after the last run", r.MessageID, r.State)
		}
	}
	idRe := regexp.MustCompile(`(?m)^Message-ID: <([^>]+)>`)
	received := map[string]int{}
	for _, m := range smtp.Messages() {
		id := idRe.FindStringSubmatch(m.Data)
		if id == nil {
			t.Fatalf("a mail without Message-ID:\n%s", m.Data)
		}
		received[id[1]]++
	}
	twice := 0
	for id, n := range received {
		if _, ok := committed[id]; !ok {
			t.Errorf("mail %s was sent but no committed change made it", id)
		}
		twice += n - 1
	}
	for id := range committed {
		if received[id] == 0 {
			t.Errorf("committed mail %s never reached the SMTP server", id)
		}
	}
	for email := range confirmed {
		if !to[email] {
			t.Errorf("the invitation of %s was confirmed but has no mail", email)
		}
	}
	if twice > kills {
		t.Errorf("%d mails went twice over %d kills; at most one per kill may", twice, kills)
	}
	t.Logf("%d kills, %d invitations tried, %d confirmed, %d mails committed, %d received (%d again after a kill)",
		kills, n, len(confirmed), total, len(smtp.Messages()), twice)
	if len(confirmed) == 0 || total < len(confirmed) {
		t.Errorf("the test made too little to prove anything: %d confirmed, %d mails", len(confirmed), total)
	}
}
