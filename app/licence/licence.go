// Package licence verifies seat licences (Ed25519, format in shared/licence/README.md)
// against the vendor's public key compiled in here, and says what a licence allows.
package licence

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// vendorKey is the one key the product trusts. No setting, flag or variable adds one.
var vendorKey = mustKey("velspy5CX8MQQYsUrDGi7dAw762ekCHNWbfPmOM/WN8=")

// trusted is vendorKey, except in a test binary that called TrustForTest.
var trusted atomic.Pointer[ed25519.PublicKey]

func init() { trusted.Store(&vendorKey) }

func mustKey(b64 string) ed25519.PublicKey {
	k, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(k) != ed25519.PublicKeySize {
		panic("licence: bad vendor key")
	}
	return ed25519.PublicKey(k)
}

// TrustForTest makes tests verify against their own key pair, generated at test time.
// It panics outside a test binary, so production trusts the vendor's key only.
func TrustForTest(k ed25519.PublicKey) (restore func()) {
	if !testing.Testing() {
		panic("licence: TrustForTest outside a test")
	}
	old := trusted.Swap(&k)
	return func() { trusted.Store(old) }
}

// FreeSeats is the seat count of the free edition, which runs without a licence.
const FreeSeats = 10

// Licence is a verified licence. The zero value, with Free set, is the free edition.
type Licence struct {
	Licensee string    `json:"licensee"`
	Edition  string    `json:"edition"`
	Seats    int       `json:"seats"`
	Issued   time.Time `json:"issued"`
	Expires  time.Time `json:"expires"`
	Free     bool      `json:"-"`
}

// Free is the free edition.
func Free() Licence { return Licence{Edition: "free", Seats: FreeSeats, Free: true} }

// Expired reports whether the licence has run out at now (the free edition never does).
func (l Licence) Expired(now time.Time) bool { return !l.Free && !now.Before(l.Expires) }

// Problems a licence file can have, each with words in the catalogue.
var (
	ErrMalformed = errors.New("licence_malformed") // not the licence format at all, or truncated
	ErrSignature = errors.New("licence_signature") // tampered with, or signed by another key
	ErrContent   = errors.New("licence_content")   // signed, but a member is missing or wrong
	ErrDates     = errors.New("licence_dates")     // signed and whole, but it expires before it was issued
)

// Parse verifies text and returns the licence it carries. Empty text is the free
// edition. The signature is checked over the exact payload bytes before any parsing.
func Parse(text string) (Licence, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Free(), nil
	}
	p64, s64, ok := strings.Cut(text, ".")
	if !ok || strings.Contains(s64, ".") {
		return Licence{}, ErrMalformed
	}
	enc := base64.RawURLEncoding.Strict()
	payload, err1 := enc.DecodeString(p64)
	sig, err2 := enc.DecodeString(s64)
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize || len(payload) == 0 {
		return Licence{}, ErrMalformed
	}
	if !ed25519.Verify(*trusted.Load(), payload, sig) {
		return Licence{}, ErrSignature
	}
	var raw struct {
		Licensee *string `json:"licensee"`
		Edition  *string `json:"edition"`
		Seats    *int    `json:"seats"`
		Issued   *string `json:"issued"`
		Expires  *string `json:"expires"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&raw); err != nil || raw.Licensee == nil || raw.Edition == nil || raw.Seats == nil ||
		raw.Issued == nil || raw.Expires == nil || *raw.Seats < 1 {
		return Licence{}, ErrContent
	}
	issued, err1 := time.Parse(time.RFC3339, *raw.Issued)
	expires, err2 := time.Parse(time.RFC3339, *raw.Expires)
	if err1 != nil || err2 != nil {
		return Licence{}, ErrContent
	}
	// A vendor's mistake rather than a damaged file: its own words, so the admin asks
	// for a corrected licence instead of a "complete" one.
	if !expires.After(issued) {
		return Licence{}, ErrDates
	}
	return Licence{Licensee: *raw.Licensee, Edition: *raw.Edition, Seats: *raw.Seats, Issued: issued.UTC(),
		Expires: expires.UTC()}, nil
}
