package system_test

import (
	"context"
	"testing"
	"time"

	"annex/app/system"
	"annex/app/tlsauto"
)

// The certificate's row says what the ACME client knows, a refusal in the CA's words.
func TestCertificateRow(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	later := func(d time.Duration) time.Time { return now.Add(d) }
	for _, tc := range []struct {
		name         string
		st           tlsauto.Status
		level, msg   string
		text         string
		secondsShown bool
	}{
		{"valid", tlsauto.Status{Domain: "a.example", HasCert: true, NotAfter: later(60 * 24 * time.Hour),
			ObtainedAt: later(-time.Hour)}, system.OK, "certificate_ok", "a.example", true},
		{"not yet", tlsauto.Status{Domain: "a.example"}, system.Warning, "certificate_pending", "a.example", false},
		{"refused, none held", tlsauto.Status{Domain: "a.example", LastError: "rejectedIdentifier", LastErrorAt: later(-time.Minute)},
			system.Error, "certificate_missing", "rejectedIdentifier", false},
		{"renewal failing", tlsauto.Status{Domain: "a.example", HasCert: true, NotAfter: later(40 * 24 * time.Hour),
			ObtainedAt: later(-50 * 24 * time.Hour), LastError: "cannot be reached", LastErrorAt: later(-time.Minute)},
			system.Warning, "certificate_renewal_failed", "cannot be reached", true},
		{"an old failure since overcome", tlsauto.Status{Domain: "a.example", HasCert: true, NotAfter: later(80 * 24 * time.Hour),
			ObtainedAt: later(-time.Hour), LastError: "cannot be reached", LastErrorAt: later(-2 * time.Hour)},
			system.OK, "certificate_ok", "a.example", true},
		{"about to expire", tlsauto.Status{Domain: "a.example", HasCert: true, NotAfter: later(5 * 24 * time.Hour),
			ObtainedAt: later(-85 * 24 * time.Hour), LastError: "cannot be reached", LastErrorAt: later(-time.Minute)},
			system.Warning, "certificate_expiring", "a.example", true},
	} {
		c, err := system.CertificateProbe(func() tlsauto.Status { return tc.st }, func() time.Time { return now })(context.Background())
		if err != nil || c.Key != "certificate" || c.Level != tc.level || c.Message != tc.msg || c.Text != tc.text ||
			(c.Seconds != nil) != tc.secondsShown {
			t.Errorf("%s: %+v %v, want %s %s %q", tc.name, c, err, tc.level, tc.msg, tc.text)
		}
	}
}
