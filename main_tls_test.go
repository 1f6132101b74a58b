package main

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"annex/app/tlsauto/acmetest"
)

const tlsDomain = "intranet.annex.test"

// serveUntil runs serve with the environment set by the caller until the log matches
// want (or a generous deadline passes), and returns the log and a stop function that
// checks the graceful shutdown.
func serveUntil(t *testing.T, want *regexp.Regexp) (*syncBuffer, func()) {
	t.Helper()
	t.Setenv("ANNEX_DATA_DIR", t.TempDir())
	t.Setenv("ANNEX_LOG_FORMAT", "text")
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, options{listen: "127.0.0.1:0"}, logs) }()
	for deadline := time.Now().Add(30 * time.Second); !want.MatchString(logs.String()); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("log never matched %s:\n%s", want, logs.String())
		}
	}
	return logs, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		if !strings.Contains(logs.String(), "stopped") {
			t.Errorf("no stop logged:\n%s", logs.String())
		}
	}
}

func TestServeHTTPSWithACME(t *testing.T) {
	httpsAddr, httpAddr := acmetest.FreeAddr(t), acmetest.FreeAddr(t)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	ca := acmetest.Start(t, atoi(httpPort), atoi(httpsPort), 0)
	roots := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(roots, ca.DirRootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANNEX_TLS_DOMAIN", tlsDomain)
	t.Setenv("ANNEX_TLS_EMAIL", "it@annex.test")
	t.Setenv("ANNEX_TLS_CA_URL", ca.DirURL())
	t.Setenv("ANNEX_TLS_CA_ROOTS", roots)
	t.Setenv("ANNEX_TLS_HTTPS_LISTEN", httpsAddr)
	t.Setenv("ANNEX_TLS_HTTP_LISTEN", httpAddr)
	logs, stop := serveUntil(t, regexp.MustCompile(`HTTPS: certificate ready|no certificate could be obtained`))
	defer stop()
	if !strings.Contains(logs.String(), "certificate ready") {
		t.Fatalf("no certificate:\n%s", logs.String())
	}

	// Annex itself over HTTPS, with the certificate pebble issued.
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: tlsDomain, RootCAs: ca.Issuer},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, httpsAddr)
		},
	}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get("https://" + tlsDomain + ":" + httpsPort + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Errorf("HTTPS /healthz: %d", resp.StatusCode)
	}
	// The base URL became https: the server says so with HSTS.
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security over HTTPS: the base URL is not https")
	}

	// Plain HTTP on the challenge port redirects to HTTPS.
	plain := &http.Client{CheckRedirect: client.CheckRedirect}
	resp, err = plain.Get("http://" + httpAddr + "/people?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := "https://" + tlsDomain + ":" + httpsPort + "/people?x=1"; resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Errorf("redirect %d %q, want 308 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if fi, err := os.Stat(filepath.Join(os.Getenv("ANNEX_DATA_DIR"), "certs")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("certs folder: %v %v", fi, err)
	}
}

func TestServeKeepsRunningWhenTheCAIsUnreachable(t *testing.T) {
	t.Setenv("ANNEX_TLS_DOMAIN", tlsDomain)
	t.Setenv("ANNEX_TLS_CA_URL", "https://"+acmetest.FreeAddr(t)+"/dir")
	t.Setenv("ANNEX_TLS_HTTPS_LISTEN", "127.0.0.1:0")
	t.Setenv("ANNEX_TLS_HTTP_LISTEN", "off")
	logs, stop := serveUntil(t, regexp.MustCompile(`no certificate could be obtained`))
	defer stop()
	if !strings.Contains(logs.String(), "cannot be reached") {
		t.Errorf("the log does not say why:\n%s", logs.String())
	}
	// The plain listener still answers.
	m := regexp.MustCompile(`Annex is listening".*address=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no listening address logged:\n%s", logs.String())
	}
	resp, err := http.Get("http://" + m[1] + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz on the plain listener: %d", resp.StatusCode)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
