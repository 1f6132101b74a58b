package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DeviceLife is how long a browser is remembered as one that has signed in to an account
// before (docs/security.md).
const DeviceLife = 365 * 24 * time.Hour

// Devices signs and checks the device cookie: proof that this browser has signed in to
// one account before, which lets it past a block of its address (never past the account's
// own block from that address), so that one person failing behind a shared address does
// not lock their colleagues out.
type Devices struct {
	key    []byte
	secure func() bool
}

// NewDevices returns the device cookie signer; key is secret (kept in the data folder),
// secure reports whether the base URL is https.
func NewDevices(key []byte, secure func() bool) *Devices {
	return &Devices{key: key, secure: secure}
}

// DeviceCookieNames are the cookie's names: with an https base URL it carries the
// __Host- prefix, as the session cookie does.
const (
	deviceCookie       = "annex_device"
	secureDeviceCookie = "__Host-annex_device"
)

func (d *Devices) mac(userID string, issued int64) string {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte("annex device\x00" + userID + "\x00" + strconv.FormatInt(issued, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Issue returns the cookie that remembers this browser for userID.
func (d *Devices) Issue(userID string, now time.Time) http.Cookie {
	issued := now.Unix()
	v := base64.RawURLEncoding.EncodeToString([]byte(userID)) + "." + strconv.FormatInt(issued, 10) + "." +
		d.mac(userID, issued)
	name := deviceCookie
	if d.secure() {
		name = secureDeviceCookie
	}
	return http.Cookie{Name: name, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: d.secure(), MaxAge: int(DeviceLife / time.Second)}
}

// Holds reports whether value is a cookie this server issued for userID within
// DeviceLife. Anything else, tampered or another account's, is ignored.
func (d *Devices) Holds(value, userID string, now time.Time) bool {
	parts := strings.Split(value, ".")
	if len(parts) != 3 || userID == "" {
		return false
	}
	id, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || string(id) != userID {
		return false
	}
	issued, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Sub(time.Unix(issued, 0)) > DeviceLife || time.Unix(issued, 0).After(now.Add(time.Minute)) {
		return false
	}
	return hmac.Equal([]byte(parts[2]), []byte(d.mac(userID, issued)))
}
