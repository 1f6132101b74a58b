// Command bench is Annex's load tool. It starts the real binary on an empty data folder
// on loopback, sets it up through the API, seeds accounts, and measures: cold start to
// the first served request, idle memory, memory after a burst of concurrent sign-ins,
// and the throughput and latency of an authenticated request.
//
//	make build && go run ./bench -bin bin/annex
//
// With -short it sends a few hundred requests instead, in a few seconds: make test runs
// it so, so that the tool itself cannot silently stop working.
//
// With -drive it measures streaming instead (drive.go): one large upload to My Drive and
// its download, their throughput beside the disk's own, and the server's memory meanwhile.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/annex", "the Annex binary to measure")
	signins := flag.Int("signins", 20, "concurrent sign-ins in the burst")
	requests := flag.Int("requests", 20000, "authenticated requests to send")
	conc := flag.Int("concurrency", 32, "concurrent clients for the authenticated requests")
	short := flag.Bool("short", false, "a quick run (500 requests, 8 clients) to check that the tool still works")
	tasks := flag.String("tasks", "", "the floor's data file (../shared/floor gen): measure \"my tasks\" beside the floor instead")
	floor := flag.String("floor", "/tmp/floor", "the floor's binary, for -tasks")
	duration := flag.Duration("duration", 3*time.Second, "how long each measurement of -tasks lasts")
	rounds := flag.Int("rounds", 3, "interleaved rounds of -tasks")
	driveMode := flag.Bool("drive", false, "measure a large upload and download (-size MiB) instead: throughput, the disk's own, memory")
	size := flag.Int("size", 1024, "the file's size in MiB, for -drive (-short: 32)")
	flag.Parse()
	if *driveMode {
		if *short {
			*size = 32
		}
		if err := runDrive(*bin, *size); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *tasks != "" {
		if err := runTasks(*bin, *floor, *tasks, *duration, *rounds); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *short {
		*requests, *conc = 500, 8
		settleTimes = settleTimes[:1]
	}
	if err := run(*bin, *signins, *requests, *conc); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

const password = "correct horse battery staple"

// settleTimes are when memory is measured again after the burst of sign-ins.
var settleTimes = []time.Duration{time.Second, 60 * time.Second}

// annex is the binary under test, running on a data folder of its own.
type annex struct {
	cmd   *exec.Cmd
	dir   string
	base  string
	admin *client
}

// startAnnex starts the binary on an empty data folder, reports its cold start and idle
// memory, and sets the company up through the wizard's API. env adds ANNEX_* variables.
func startAnnex(bin string, env ...string) (*annex, error) {
	dir, err := os.MkdirTemp("", "annex-bench-")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0")
	// The administrator signs in with a password alone: two-factor has its own benchmark
	// (BenchmarkSignInWithTwoFactor in app/server).
	cmd.Env = append(os.Environ(), "ANNEX_DATA_DIR="+dir, "ANNEX_LOG_FORMAT=text", "ANNEX_LOG_LEVEL=warn",
		"ANNEX_TWO_FACTOR_ADMINS=false")
	cmd.Env = append(cmd.Env, env...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	a := &annex{cmd: cmd, dir: dir}
	setupURL, err := waitForSetupLink(stderr)
	if err != nil {
		a.stop()
		return nil, err
	}
	a.base = setupURL[:strings.Index(setupURL, "/setup#")]
	token := setupURL[strings.Index(setupURL, "#token=")+7:]
	if _, err := http.Get(a.base + "/healthz"); err != nil {
		a.stop()
		return nil, err
	}
	fmt.Printf("cold start to first served request: %d ms\n", time.Since(start).Milliseconds())
	time.Sleep(time.Second)
	fmt.Printf("idle RSS: %.1f MB\n", rss(cmd.Process.Pid))

	a.admin = newClient(a.base)
	h := map[string]string{"X-Setup-Token": token}
	for _, step := range []struct {
		path string
		body any
	}{
		{"/api/v1/setup/company", map[string]any{"name": "Bench Ltd", "baseUrl": a.base}},
		{"/api/v1/setup/admin", map[string]any{"name": "Admin", "email": "admin@example.com", "password": password}},
	} {
		if err := a.admin.do("PUT", step.path, step.body, h, 200); err != nil {
			a.stop()
			return nil, err
		}
	}
	if err := a.admin.do("POST", "/api/v1/setup/finish", nil, h, 200); err != nil {
		a.stop()
		return nil, err
	}
	return a, nil
}

func (a *annex) stop() {
	_ = a.cmd.Process.Signal(os.Interrupt)
	_ = a.cmd.Wait()
	os.RemoveAll(a.dir)
}

func run(bin string, signins, requests, conc int) error {
	a, err := startAnnex(bin)
	if err != nil {
		return err
	}
	defer a.stop()
	cmd, base, admin := a.cmd, a.base, a.admin

	// A burst of concurrent sign-ins: argon2 memory is the risk, bounded by the semaphore.
	var wg sync.WaitGroup
	errs := make(chan error, signins)
	t0 := time.Now()
	for range signins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- newClient(base).do("POST", "/api/v1/auth/login",
				map[string]any{"email": "admin@example.com", "password": password}, nil, 200)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	fmt.Printf("burst of %d concurrent sign-ins: %d ms; RSS right after: %.1f MB (peak %.1f MB)\n", signins,
		time.Since(t0).Milliseconds(), rss(cmd.Process.Pid), peakRSS(cmd.Process.Pid))
	// The hasher hands its memory back once sign-ins have paused for a moment.
	for _, after := range settleTimes {
		time.Sleep(after - time.Since(t0))
		fmt.Printf("RSS %d s after the burst: %.1f MB\n", after/time.Second, rss(cmd.Process.Pid))
	}

	// Authenticated requests through the whole middleware chain.
	lat := make([]time.Duration, requests)
	var next int
	var mu sync.Mutex
	t0 = time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= requests {
					return
				}
				s := time.Now()
				if err := admin.do("GET", "/api/v1/me", nil, nil, 200); err != nil {
					fmt.Fprintln(os.Stderr, err)
					return
				}
				lat[i] = time.Since(s)
			}
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("GET /api/v1/me, %d requests, %d concurrent: %.0f req/s, p50 %.2f ms, p99 %.2f ms\n", requests, conc,
		float64(requests)/el.Seconds(), ms(lat[requests/2]), ms(lat[requests*99/100]))
	fmt.Printf("RSS after load: %.1f MB\n", rss(cmd.Process.Pid))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var linkRe = regexp.MustCompile(`(http://\S+/setup#token=\S+)`)

func waitForSetupLink(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := linkRe.FindString(sc.Text()); m != "" {
			go func() { _, _ = io.Copy(io.Discard, r) }()
			return m, nil
		}
	}
	return "", fmt.Errorf("annex exited without printing its setup link")
}

func procStatus(pid int, field string) float64 {
	b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	for _, line := range strings.Split(string(b), "\n") {
		if f, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(f), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func rss(pid int) float64     { return procStatus(pid, "VmRSS") }
func peakRSS(pid int) float64 { return procStatus(pid, "VmHWM") }

type client struct {
	base string
	hc   *http.Client
	// cookie, when set, is sent as it is (the floor's session), beside the jar's.
	cookie string
}

// get reads a JSON answer into v.
func (c *client) get(path string, v any) error {
	req, _ := http.NewRequestWithContext(context.Background(), "GET", c.base+path, nil)
	req.Header.Set("X-Annex-Client", "1")
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d", path, res.StatusCode)
	}
	return json.NewDecoder(res.Body).Decode(v)
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, hc: &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

func (c *client) do(method, path string, body any, headers map[string]string, want int) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Annex-Client", "1")
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return nil
}
