package licence_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"annex/app/apperr"
	"annex/app/i18n"
	"annex/app/licence"
)

func sign(key ed25519.PrivateKey, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(ed25519.Sign(key, []byte(payload)))
}

const good = `{"licensee":"Example Ltd","edition":"business","seats":50,"issued":"2026-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z","extra":1}`

func TestTheVendorKeyIsTheOnlyOneTrusted(t *testing.T) {
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := licence.Parse(sign(other, good)); !errors.Is(err, licence.ErrSignature) {
		t.Fatalf("a licence signed by another key: %v", err)
	}
}

func TestLicenceFiles(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	defer licence.TrustForTest(pub)()
	l, err := licence.Parse("  " + sign(priv, good) + "\n")
	if err != nil || l.Seats != 50 || l.Licensee != "Example Ltd" || l.Edition != "business" ||
		!l.Expires.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("good licence: %+v, %v", l, err)
	}
	if l.Expired(time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)) || !l.Expired(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("expiry")
	}
	if f, err := licence.Parse(""); err != nil || !f.Free || f.Seats != licence.FreeSeats || f.Expired(time.Now()) {
		t.Errorf("no licence: %+v %v", f, err)
	}
	signed := sign(priv, good)
	p64, s64, _ := strings.Cut(signed, ".")
	tampered := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(good, "50", "500", 1))) + "." + s64
	_, wrongKey, _ := ed25519.GenerateKey(rand.Reader)
	for name, tc := range map[string]struct {
		text string
		want error
	}{
		"tampered":                    {tampered, licence.ErrSignature},
		"wrong key":                   {sign(wrongKey, good), licence.ErrSignature},
		"truncated":                   {signed[:len(signed)-10], licence.ErrMalformed},
		"no signature":                {p64, licence.ErrMalformed},
		"padded base64":               {p64 + "=." + s64, licence.ErrMalformed},
		"not base64":                  {"hello world.this is not", licence.ErrMalformed},
		"missing seats":               {sign(priv, `{"licensee":"A","edition":"b","issued":"2026-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z"}`), licence.ErrContent},
		"seats as a string":           {sign(priv, `{"licensee":"A","edition":"b","seats":"5","issued":"2026-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z"}`), licence.ErrContent},
		"zero seats":                  {sign(priv, `{"licensee":"A","edition":"b","seats":0,"issued":"2026-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z"}`), licence.ErrContent},
		"bad date":                    {sign(priv, `{"licensee":"A","edition":"b","seats":5,"issued":"yesterday","expires":"2027-01-01T00:00:00Z"}`), licence.ErrContent},
		"not JSON":                    {sign(priv, `seats=5`), licence.ErrContent},
		"expires before it is issued": {sign(priv, `{"licensee":"A","edition":"b","seats":5,"issued":"2027-01-01T00:00:00Z","expires":"2026-01-01T00:00:00Z"}`), licence.ErrDates},
		"expires when it is issued":   {sign(priv, `{"licensee":"A","edition":"b","seats":5,"issued":"2027-01-01T00:00:00Z","expires":"2027-01-01T00:00:00Z"}`), licence.ErrDates},
	} {
		if _, err := licence.Parse(tc.text); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

// A licence that expires before it was issued is refused in its own words, not as an
// incomplete file.
func TestLicenceDatesOutOfOrderHaveTheirOwnWords(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	defer licence.TrustForTest(pub)()
	text := sign(priv, `{"licensee":"A","edition":"b","seats":5,"issued":"2027-01-01T00:00:00Z","expires":"2026-01-01T00:00:00Z"}`)
	var e *apperr.Error
	if err := licence.CheckUpload(text, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)); !errors.As(err, &e) ||
		len(e.Fields) != 1 || e.Fields[0].Code != "licence_dates" {
		t.Fatalf("CheckUpload = %v, want the field code licence_dates", err)
	}
	for _, loc := range i18n.Locales {
		dates, incomplete := i18n.T(loc, "field.licence_dates", nil), i18n.T(loc, "field.licence_content", nil)
		if dates == incomplete || dates == "field.licence_dates" {
			t.Errorf("%s: %q has no words of its own", loc, dates)
		}
	}
}
