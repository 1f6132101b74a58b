package people_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

// stalledUpload starts a photo upload as c that announces size bytes, sends sent of
// them and then sends nothing more, as a hostile (or broken) client does. It returns
// the open connection.
func stalledUpload(t *testing.T, env *apptest.Env, c *apptest.Client, size, sent int) net.Conn {
	t.Helper()
	u, _ := url.Parse(env.HTTP.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var cookies []string
	for _, ck := range c.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	head := fmt.Sprintf("PUT /api/v1/me/photo HTTP/1.1\r\nHost: %s\r\nContent-Type: image/png\r\nContent-Length: %d\r\n"+
		"X-Annex-Client: 1\r\nAccept-Language: en\r\nCookie: %s\r\n\r\n", u.Host, size, strings.Join(cookies, "; "))
	if _, err := conn.Write(append([]byte(head), bytes.Repeat([]byte{0x89}, sent)...)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// A client that sends part of a photo and stalls is answered and cut after the stall
// timeout, instead of holding its connection and buffer for ever: whether much of the
// body is missing, or only its last bytes (then the server would otherwise wait for
// them, with no deadline, before answering).
func TestAStalledUploadIsCut(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.Uploads.StallTimeout = config.Duration(time.Second)
	}})
	admin := env.Setup()
	for _, tc := range []struct {
		name       string
		size, sent int
	}{
		{"most of the body missing", 9 << 20, 512 << 10},
		{"only the last bytes missing", 1<<20 + 1024, 1 << 20},
	} {
		start := time.Now()
		conn := stalledUpload(t, env, admin, tc.size, tc.sent)
		_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: no answer to a stalled upload after %v: %v", tc.name, time.Since(start), err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(res.Body)
		if res.StatusCode != http.StatusRequestTimeout || !strings.Contains(body.String(), `"upload_stalled"`) {
			t.Errorf("%s: %d %s, want 408 upload_stalled", tc.name, res.StatusCode, body.String())
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s: cut after %v, want about 1 s", tc.name, took)
		}
		// The connection is closed by the server, not left open.
		if _, err := conn.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s: the connection of a stalled upload stays open", tc.name)
		}
	}
	// A photo sent at once still arrives, and the person's places are free again.
	admin.Do("PUT", "/api/v1/me/photo", encodePNG(t, halves(64, 64)), "Content-Type", "image/png").Must(t, 200)
}

// One person may send two large bodies at once; a third is refused with a 429 that
// says when to try again, while other people upload as usual.
func TestAThirdConcurrentUploadOfOnePersonIsRefused(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.Uploads.StallTimeout = config.Duration(20 * time.Second) // the two held uploads outlive the test's steps
	}})
	admin := env.Setup()
	env.CreateUser("emp@example.com", pw, store.KindEmployee, false)
	other := env.SignIn("emp@example.com", pw)
	photo := encodePNG(t, halves(64, 64))

	adminID := admin.Do("GET", "/api/v1/me", nil).Must(t, 200).JSON()["id"].(string)
	held := []net.Conn{stalledUpload(t, env, admin, 5<<20, 1<<10), stalledUpload(t, env, admin, 5<<20, 1<<10)}
	// The held uploads are admitted once the server has read their headers.
	for deadline := time.Now().Add(10 * time.Second); env.Server.Uploads.Busy(adminID) < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the two held uploads were not admitted: %d", env.Server.Uploads.Busy(adminID))
		}
	}
	res := admin.Do("PUT", "/api/v1/me/photo", photo, "Content-Type", "image/png")
	if res.Status != http.StatusTooManyRequests || res.Code() != "uploads_busy" || res.Header.Get("Retry-After") == "" {
		t.Fatalf("third upload at once: %d %s (Retry-After %q), want 429 uploads_busy", res.Status, res.Body, res.Header.Get("Retry-After"))
	}
	if d, _ := res.JSON()["detail"].(string); !strings.Contains(d, "2 files") || !strings.Contains(d, "5 seconds") {
		t.Errorf("429 detail: %q", d)
	}
	// The bound is per person.
	other.Do("PUT", "/api/v1/me/photo", photo, "Content-Type", "image/png").Must(t, 200)

	// Once the held uploads end (here, their clients hang up), the places are free.
	for _, c := range held {
		c.Close()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res = admin.Do("PUT", "/api/v1/me/photo", photo, "Content-Type", "image/png")
		if res.Status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("places not released after the held uploads ended: %d %s", res.Status, res.Body)
		}
	}
}

// pngHeaderWithDepth is a PNG whose header claims w×h pixels of the given bit depth and
// colour type: what decoding it would cost is known from the header alone.
func pngHeaderWithDepth(t *testing.T, w, h uint32, depth, colourType byte) string {
	b := []byte(encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1))))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	b[24], b[25] = depth, colourType
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return string(b)
}

// A picture is bounded by the memory its decoding takes, not by its pixel count alone:
// 5000×5000 at 16-bit RGBA is 200 MB of pixels from a file of a few hundred KB.
func TestPhotosAreBoundedByDecodedMemory(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	for _, tc := range []struct {
		name              string
		w, h              uint32
		depth, colourType byte
		code              string
	}{
		{"16-bit RGBA, 25 MP (200 MB)", 5000, 5000, 16, 6, "photo_too_many_pixels"},
		{"16-bit RGB, 16 MP (128 MB)", 4000, 4000, 16, 2, "photo_too_many_pixels"},
		// Within the bound by memory: refused only because the body holds no pixels.
		{"8-bit RGBA, 25 MP (100 MB)", 5000, 5000, 8, 6, "photo_not_image"},
		{"8-bit grey, 25 MP (25 MB)", 5000, 5000, 8, 0, "photo_not_image"},
		{"16-bit grey, 25 MP (50 MB)", 5000, 5000, 16, 0, "photo_not_image"},
	} {
		res := admin.Do("PUT", "/api/v1/me/photo", pngHeaderWithDepth(t, tc.w, tc.h, tc.depth, tc.colourType), "Content-Type", "image/png")
		if res.Status != 422 || res.Code() != tc.code {
			t.Errorf("%s: %d %s, want 422 %s", tc.name, res.Status, res.Body, tc.code)
		}
		if tc.code == "photo_too_many_pixels" {
			if d, _ := res.JSON()["detail"].(string); !strings.Contains(d, "13 megapixels") {
				t.Errorf("%s: the limit is told for this kind of picture (100 MiB at 8 bytes a pixel: 13 MP): %q", tc.name, d)
			}
		}
	}
}
