package people_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annex/app/apptest"
	"annex/app/config"
	"annex/store"
)

func encodePNG(t *testing.T, img image.Image) string {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// halves is a w×h picture, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 255, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 255, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// withExif puts an APP1 segment (orientation and a GPS pointer, as phones write) after
// the JPEG's start marker.
func withExif(jpg []byte, orientation uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	ifd := make([]byte, 2+2*12+4)
	binary.BigEndian.PutUint16(ifd, 2)
	binary.BigEndian.PutUint16(ifd[2:], 0x0112)
	binary.BigEndian.PutUint16(ifd[4:], 3)
	binary.BigEndian.PutUint32(ifd[6:], 1)
	binary.BigEndian.PutUint16(ifd[10:], orientation)
	binary.BigEndian.PutUint16(ifd[14:], 0x8825) // GPS IFD pointer
	binary.BigEndian.PutUint16(ifd[16:], 4)
	binary.BigEndian.PutUint32(ifd[18:], 1)
	seg := append([]byte("Exif\x00\x00"), append(tiff, ifd...)...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	return img
}

func near(c color.Color, r, b uint32) bool {
	cr, _, cb, _ := c.RGBA()
	return (cr>>8 > 200) == (r > 200) && (cb>>8 > 200) == (b > 200)
}

func TestPhotoUploadIsReencodedAndServedSafely(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()

	// A phone picture: JPEG, stored sideways with orientation 6 and a GPS entry.
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, halves(200, 100), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	upload := withExif(jb.Bytes(), 6)
	res := admin.Do("PUT", "/api/v1/me/photo", string(upload), "Content-Type", "image/jpeg").Must(t, 200)
	photo, _ := res.JSON()["photo"].(string)
	if !strings.HasPrefix(photo, "/api/v1/people/") {
		t.Fatalf("no photo address: %s", res.Body)
	}
	got := admin.Do("GET", photo, nil).Must(t, 200)
	h := got.Header
	if h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Security-Policy") != "sandbox; frame-ancestors 'none'" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Disposition") != "inline" {
		t.Errorf("photo headers: %v", h)
	}
	if bytes.Contains(got.Body, []byte("Exif")) {
		t.Error("the stored photo keeps its EXIF metadata")
	}
	img := decodeJPEG(t, got.Body)
	if b := img.Bounds(); b.Dx() != 100 || b.Dy() != 100 {
		t.Errorf("photo is %v, want the 100×100 centre square", b)
	}
	// Turned upright: the left (red) half of the sideways picture is now on top.
	if !near(img.At(50, 15), 255, 0) || !near(img.At(50, 85), 0, 255) {
		t.Errorf("photo not turned upright: top %v, bottom %v", img.At(50, 15), img.At(50, 85))
	}

	// A large PNG with transparency: scaled to 400×400, transparent becomes white.
	big := image.NewNRGBA(image.Rect(0, 0, 1000, 800))
	res = admin.Do("PUT", "/api/v1/me/photo", encodePNG(t, big), "Content-Type", "image/png").Must(t, 200)
	newPhoto := res.JSON()["photo"].(string)
	if newPhoto == photo {
		t.Error("a new photo must have a new address")
	}
	img = decodeJPEG(t, admin.Do("GET", newPhoto, nil).Must(t, 200).Body)
	if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 400 || !near(img.At(10, 10), 255, 255) {
		t.Errorf("large photo: %v, corner %v", img.Bounds(), img.At(10, 10))
	}
	// The replaced file is gone from disk; one file remains.
	entries, _ := os.ReadDir(filepath.Join(env.Config.DataDir, "files"))
	if len(entries) != 1 {
		t.Errorf("%d files on disk after replacing the photo, want 1", len(entries))
	}

	admin.Do("DELETE", "/api/v1/me/photo", nil).Must(t, 204)
	admin.Do("GET", newPhoto, nil).Must(t, 404)
	if me := admin.Do("GET", "/api/v1/me", nil).JSON(); me["photo"] != "" {
		t.Errorf("photo after removal: %v", me["photo"])
	}
	entries, _ = os.ReadDir(filepath.Join(env.Config.DataDir, "files"))
	if len(entries) != 0 {
		t.Errorf("%d files on disk after removing the photo", len(entries))
	}
}

// pngHeaderClaiming is a PNG whose header claims w×h pixels: the dimensions must be
// refused before anything is decoded.
func pngHeaderClaiming(t *testing.T, w, h uint32) string {
	b := []byte(encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1))))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return string(b)
}

func TestBadPhotosAreRefusedInWords(t *testing.T) {
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.Uploads.PhotoMaxMB = 1 }})
	admin := env.Setup()
	for _, tc := range []struct {
		name, body, code string
		status           int
	}{
		{"text", "hello, I am not a picture", "photo_not_image", 422},
		{"empty", "", "photo_not_image", 422},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "photo_not_image", 422},
		{"decompression bomb", pngHeaderClaiming(t, 30000, 30000), "photo_too_many_pixels", 422},
		{"tiny", encodePNG(t, image.NewGray(image.Rect(0, 0, 8, 8))), "photo_too_small", 422},
		{"over the size limit", strings.Repeat("x", 1<<20+1), "photo_too_large", 413},
		{"truncated", encodePNG(t, halves(300, 300))[:200], "photo_not_image", 422},
	} {
		res := admin.Do("PUT", "/api/v1/me/photo", tc.body, "Content-Type", "image/png")
		if res.Status != tc.status || res.Code() != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, res.Status, res.Body, tc.status, tc.code)
		}
		if d, _ := res.JSON()["detail"].(string); d == "" || strings.Contains(d, "photo_") {
			t.Errorf("%s: no words for people: %s", tc.name, res.Body)
		}
	}
	if me := admin.Do("GET", "/api/v1/me", nil).JSON(); me["photo"] != "" {
		t.Errorf("a refused upload left a photo: %v", me["photo"])
	}
	entries, _ := os.ReadDir(filepath.Join(env.Config.DataDir, "files"))
	if len(entries) != 0 {
		t.Errorf("refused uploads left %d files", len(entries))
	}
}

func TestPhotosFollowTheFence(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	emp := env.CreateUser("emp@example.com", pw, store.KindEmployee, false)
	env.CreateUser("ext@example.com", pw, store.KindExternal, false)
	ce := env.SignIn("emp@example.com", pw)
	photo := ce.Do("PUT", "/api/v1/me/photo", encodePNG(t, halves(64, 64)), "Content-Type", "image/png").Must(t, 200).JSON()["photo"].(string)
	cx := env.SignIn("ext@example.com", pw)
	// The external user shares no group with the employee: their photo does not exist for them.
	if res := cx.Do("GET", photo, nil); res.Status != 404 || bytes.Contains(res.Body, []byte(emp.ID)) {
		t.Errorf("a stranger's photo: %d %s", res.Status, res.Body)
	}
	env.Client().Do("GET", photo, nil).Must(t, 401)
}

func TestProfileIsCompletedByItsOwner(t *testing.T) {
	env := apptest.New(t)
	admin := env.Setup()
	res := admin.Do("PATCH", "/api/v1/me", map[string]any{"position": "  Head   of sales ", "company": "Example Ltd",
		"phone": "+44 (20) 7946-0958", "timeZone": "Europe/Berlin"}).Must(t, 200)
	me := res.JSON()
	if me["position"] != "Head of sales" || me["company"] != "Example Ltd" || me["phone"] != "+44 (20) 7946-0958" ||
		me["timeZone"] != "Europe/Berlin" || me["name"] != "Ada Admin" {
		t.Errorf("profile: %s", res.Body)
	}
	// The directory finds the new position, in any letter case.
	if page := admin.Do("GET", "/api/v1/people?q=HEAD+OF", nil).JSON(); page["total"] != float64(1) {
		t.Errorf("search by the new position: %v", page)
	}
	res = admin.Do("PATCH", "/api/v1/me", map[string]any{"phone": "call me", "timeZone": "Mars/Olympus", "name": " "}).Must(t, 422)
	f := res.FieldCodes()
	if f["body.phone"] != "phone_invalid" || f["body.timeZone"] != "time_zone_unknown" || f["body.name"] != "required" {
		t.Errorf("bad profile: %s", res.Body)
	}
	if me := admin.Do("GET", "/api/v1/me", nil).JSON(); me["phone"] != "+44 (20) 7946-0958" || me["timeZone"] != "Europe/Berlin" {
		t.Errorf("a refused change was partly saved: %v", me)
	}
	admin.Do("PATCH", "/api/v1/me", map[string]any{"timeZone": "", "phone": ""}).Must(t, 200)
}
