package main

// Streaming (issue 19): one file of -size MiB uploaded to My Drive and downloaded back,
// their throughput beside the disk's own (dd in the same folder), and the server's memory
// while they run. Neither side may hold the file in memory: the bench generates the bytes
// as it sends them and hashes what it receives as it reads it.
//
//	make build && go run -tags nomsgpack ./bench -bin bin/annex -drive -size 1024
//	go run -tags nomsgpack ./bench -bin bin/annex -drive -short    # 32 MiB, in make test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// flatMiB is how much the server's RSS may grow over its idle RSS while it receives or
// sends the file, whatever the file's size. Measured here (December 2026, 2 shared cores):
// the upload peaked 0.4 MiB over idle at 1024 MiB and 0.1–0.2 MiB at 32 MiB, the download
// 0.0–0.1 MiB at both: io.Copy's 32 KiB buffer, the socket's, the request's own state.
// 16 MiB leaves forty times that for the runtime's noise (a GC cycle that comes late over
// a live heap of a few MiB), and is still half of the -short run's 32 MiB, so that the
// short run in make test fails a server that holds the whole file, or any large part of
// it, in memory; at 1 GiB it fails one that holds more than a sixty-fourth of it. A bound
// of 64 MiB would let the short run's whole file through.
const flatMiB = 16

// block is the generator's unit: 1 MiB of pseudo-random bytes, the same for every run.
const block = 1 << 20

// payload produces size bytes, block after block, without holding more than one block:
// each block is the same random MiB with its index written in its first 8 bytes, so that
// a block lost, repeated or misplaced changes the hash.
type payload struct {
	base, cur []byte
	size, off int64
}

func newPayload(size int64) *payload {
	base := make([]byte, block)
	r := rand.New(rand.NewChaCha8([32]byte{'a', 'n', 'n', 'e', 'x'}))
	for i := 0; i < block; i += 8 {
		binary.LittleEndian.PutUint64(base[i:], r.Uint64())
	}
	return &payload{base: base, cur: make([]byte, block), size: size}
}

func (p *payload) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	in := p.off % block
	if in == 0 {
		copy(p.cur, p.base)
		binary.LittleEndian.PutUint64(p.cur, uint64(p.off/block))
	}
	n := copy(b, p.cur[in:min(int64(block), in+p.size-p.off)])
	p.off += int64(n)
	return n, nil
}

// WriteTo hands the transport whole blocks rather than io.Copy's 32 KiB pieces.
func (p *payload) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for p.off < p.size {
		if p.off%block == 0 {
			copy(p.cur, p.base)
			binary.LittleEndian.PutUint64(p.cur, uint64(p.off/block))
		}
		in := p.off % block
		n, err := w.Write(p.cur[in:min(int64(block), in+p.size-p.off)])
		p.off += int64(n)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// sampler follows a process's RSS every 50 ms, and its kernel-kept peak (VmHWM, reset at
// the start so that it covers only what is being measured: the sampling alone could miss
// a short peak between two samples).
type sampler struct {
	pid     int
	stop    chan struct{}
	done    sync.WaitGroup
	max     float64
	samples int
	hwm     bool // whether VmHWM could be reset, and so speaks of this interval
}

func sample(pid int) *sampler {
	s := &sampler{pid: pid, stop: make(chan struct{})}
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
	s.hwm = os.WriteFile(filepath.Join("/proc", strconv.Itoa(pid), "clear_refs"), []byte("5"), 0) == nil
	s.max = rss(pid)
	s.done.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.max = max(s.max, rss(pid))
				s.samples++
			}
		}
	})
	return s
}

// end stops sampling and returns the peak RSS in MiB.
func (s *sampler) end() float64 {
	close(s.stop)
	s.done.Wait()
	peak := max(s.max, rss(s.pid))
	if s.hwm {
		peak = max(peak, peakRSS(s.pid))
	}
	return peak
}

func runDrive(bin string, sizeMiB int) error {
	if sizeMiB < 1 {
		return fmt.Errorf("-size must be at least 1 MiB")
	}
	size := int64(sizeMiB) << 20
	a, err := startAnnex(bin, "ANNEX_UPLOADS_FILE_MAX_MB="+strconv.Itoa(max(sizeMiB, 1024)))
	if err != nil {
		return err
	}
	defer a.stop()
	pid := a.cmd.Process.Pid

	// The sum of what will be sent, worked out beforehand so that the upload's measure
	// holds the server's hashing, not the bench's too.
	sent := sha256.New()
	if _, err := io.Copy(sent, newPayload(size)); err != nil {
		return err
	}
	wantSum := hex.EncodeToString(sent.Sum(nil))

	c := newClient(a.base)
	c.hc.Transport = &http.Transport{WriteBufferSize: 256 << 10, ReadBufferSize: 256 << 10}
	if err := c.do("POST", "/api/v1/auth/login", map[string]any{"email": "admin@example.com", "password": password}, nil, 200); err != nil {
		return err
	}
	// The sign-in's password hash leaves memory that the server hands back after a
	// moment; idle is measured after that.
	time.Sleep(time.Second)
	idle := rss(pid)

	up := sample(pid)
	t0 := time.Now()
	req, _ := http.NewRequestWithContext(context.Background(), "PUT", a.base+"/api/v1/drives/me/files?name=big.bin", newPayload(size))
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Annex-Client", "1")
	res, err := c.hc.Do(req)
	if err != nil {
		up.end()
		return err
	}
	var item struct {
		ID   string `json:"id"`
		Size int64  `json:"size"`
	}
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	upTime := time.Since(t0)
	upPeak := up.end()
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT /api/v1/drives/me/files: %d %s", res.StatusCode, b)
	}
	if err := json.Unmarshal(b, &item); err != nil {
		return err
	}
	if item.Size != size {
		return fmt.Errorf("the server kept %d bytes of %d", item.Size, size)
	}
	var versions struct {
		Items []struct{ SHA256 string }
	}
	if err := c.get("/api/v1/drive/items/"+item.ID+"/versions", &versions); err != nil {
		return err
	}
	if len(versions.Items) != 1 || versions.Items[0].SHA256 != wantSum {
		return fmt.Errorf("the server's SHA-256 of the upload differs from what was sent (%s)", wantSum)
	}
	time.Sleep(500 * time.Millisecond)
	idleBetween := rss(pid)

	down := sample(pid)
	t0 = time.Now()
	req, _ = http.NewRequestWithContext(context.Background(), "GET", a.base+"/api/v1/drive/items/"+item.ID+"/content", nil)
	req.Header.Set("X-Annex-Client", "1")
	res, err = c.hc.Do(req)
	if err != nil {
		down.end()
		return err
	}
	got := sha256.New()
	n, err := io.CopyBuffer(got, res.Body, make([]byte, 256<<10))
	res.Body.Close()
	downTime := time.Since(t0)
	downPeak := down.end()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /api/v1/drive/items/%s/content: %d", item.ID, res.StatusCode)
	}
	if gotSum := hex.EncodeToString(got.Sum(nil)); n != size || gotSum != wantSum {
		return fmt.Errorf("the download differs from the upload: %d bytes, SHA-256 %s; sent %d bytes, %s", n, gotSum, size, wantSum)
	}

	// The disk's own speed, in the folder the server wrote to, once the server is idle.
	ddWrite, err := ddRun(sizeMiB, "if=/dev/zero", "of="+filepath.Join(a.dir, "dd.test"), "conv=fdatasync")
	if err != nil {
		return err
	}
	// Read back with O_DIRECT: the file was just written and sits in the page cache, and
	// dropping the cache would drop the whole machine's. Where O_DIRECT is refused there is
	// no honest figure.
	ddRead, rerr := ddRun(sizeMiB, "if="+filepath.Join(a.dir, "dd.test"), "of=/dev/null", "iflag=direct")
	os.Remove(filepath.Join(a.dir, "dd.test"))

	mbps := func(d time.Duration) float64 { return float64(size) / 1e6 / d.Seconds() }
	fmt.Printf("\nstreaming one file of %d MiB through My Drive (MB/s are 10^6 bytes a second, like dd's; RSS in MiB)\n", sizeMiB)
	fmt.Printf("  upload   PUT /api/v1/drives/me/files         %8.0f MB/s  (%.2f s, synced to disk before the answer)\n", mbps(upTime), upTime.Seconds())
	fmt.Printf("  download GET /api/v1/drive/items/{id}/content %7.0f MB/s  (%.2f s, from the page cache: the file was just written)\n",
		mbps(downTime), downTime.Seconds())
	fmt.Printf("  disk write  dd bs=1M conv=fdatasync           %8.0f MB/s\n", ddWrite)
	if rerr != nil {
		fmt.Printf("  disk read   dd bs=1M iflag=direct                   n/a (%v)\n", rerr)
	} else {
		fmt.Printf("  disk read   dd bs=1M iflag=direct             %8.0f MB/s  (past this machine's page cache; a virtual disk's host may cache)\n", ddRead)
	}
	fmt.Printf("  server RSS  idle %.1f, peak during upload %.1f (+%.1f), idle after %.1f, peak during download %.1f (+%.1f)\n",
		idle, upPeak, upPeak-idle, idleBetween, downPeak, downPeak-idleBetween)
	fmt.Printf("  RSS sampled every 50 ms (%d samples in the upload, %d in the download); VmHWM reset for each: %v\n",
		up.samples, down.samples, up.hwm && down.hwm)
	var over []string
	if g := upPeak - idle; g > flatMiB {
		over = append(over, fmt.Sprintf("the upload's peak RSS is %.1f MiB over idle", g))
	}
	if g := downPeak - idleBetween; g > flatMiB {
		over = append(over, fmt.Sprintf("the download's peak RSS is %.1f MiB over idle", g))
	}
	if over != nil {
		return fmt.Errorf("memory is not flat (bound %d MiB): %s", flatMiB, strings.Join(over, "; "))
	}
	return nil
}

// ddSummary is dd's last line: "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.1 s, 511 MB/s".
var ddSummary = regexp.MustCompile(`(\d+) bytes .* copied, ([0-9.,e+-]+) s`)

// ddRun runs dd over sizeMiB blocks of 1 MiB with the given operands and returns its speed
// in MB/s, from its own byte count and seconds (its printed rate is rounded and its unit
// varies).
func ddRun(sizeMiB int, args ...string) (float64, error) {
	args = append([]string{"bs=1M", "count=" + strconv.Itoa(sizeMiB)}, args...)
	out, err := exec.Command("dd", args...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("dd %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	m := ddSummary.FindStringSubmatch(string(out))
	if m == nil {
		return 0, fmt.Errorf("dd: no summary in %q", out)
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	secs, _ := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", "."), 64)
	if secs <= 0 {
		return 0, fmt.Errorf("dd: %q", out)
	}
	return n / 1e6 / secs, nil
}
