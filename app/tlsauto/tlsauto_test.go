package tlsauto

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"annex/app/tlsauto/acmetest"
)

// These tests run a real ACME CA, Let's Encrypt's pebble, in process on 127.0.0.1: its
// directory over HTTPS with a test certificate, its validation authority resolving
// names through a loopback DNS server (challtestsrv, answering 127.0.0.1 for every
// name) and connecting to Annex's own HTTP-01 and TLS-ALPN-01 responders.

const domain = "intranet.annex.test"

type pebble = acmetest.CA

func startPebble(t *testing.T, httpPort, tlsPort int, validity uint64) *pebble {
	return acmetest.Start(t, httpPort, tlsPort, validity)
}

func freeAddr(t *testing.T) string { return acmetest.FreeAddr(t) }

func port(t *testing.T, addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// annex is the pair of listeners main.go runs: HTTPS with the manager's TLS config, and
// plain HTTP with its challenge-and-redirect handler.
type annex struct {
	m          *Manager
	httpsAddr  string
	httpAddr   string
	challenges atomic.Int32 // HTTP-01 requests answered
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func startAnnex(t *testing.T, m *Manager, tlsLn, httpLn net.Listener) *annex {
	t.Helper()
	a := &annex{m: m, httpsAddr: tlsLn.Addr().String(), httpAddr: httpLn.Addr().String()}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "annex over "+r.Proto) })
	hs := &http.Server{Handler: app, TLSConfig: m.TLSConfig()}
	go hs.ServeTLS(tlsLn, "", "")
	challenge := m.HTTPHandler()
	h := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
			a.challenges.Add(1)
		}
		challenge.ServeHTTP(w, r)
	})}
	go h.Serve(httpLn)
	t.Cleanup(func() { hs.Close(); h.Close() })
	return a
}

func newManager(t *testing.T, p *pebble, caURL, dir string, httpsPort int, renewBefore time.Duration) *Manager {
	t.Helper()
	var roots []byte
	if p != nil {
		roots = p.DirRootPEM()
	}
	var lw io.Writer = io.Discard
	if testing.Verbose() {
		lw = &testWriter{t}
	}
	m, err := New(Config{Domain: domain, Email: "it@annex.test", CAURL: caURL, CARoots: roots, CacheDir: dir,
		HTTPSPort: httpsPort, RenewBefore: renewBefore}, slog.New(slog.NewTextHandler(lw, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fetch makes an HTTPS request to the listener as a browser visiting the domain would,
// verifying the served chain against pebble's root, and returns the leaf and the body.
func fetch(t *testing.T, addr string, roots *x509.CertPool) (*x509.Certificate, string) {
	t.Helper()
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: domain, RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2: true,
	}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("https://" + domain + "/hello")
	if err != nil {
		t.Fatalf("HTTPS request: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.TLS.PeerCertificates[0], string(b)
}

func TestObtainsAndServesCertificate(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	p := startPebble(t, port(t, httpLn.Addr().String()), port(t, tlsLn.Addr().String()), 0)
	dir := t.TempDir() + "/certs"
	m := newManager(t, p, p.DirURL(), dir, port(t, tlsLn.Addr().String()), 0)
	a := startAnnex(t, m, tlsLn, httpLn)

	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	leaf, body := fetch(t, a.httpsAddr, p.Issuer)
	if body != "annex over HTTP/2.0" {
		t.Errorf("body %q", body)
	}
	if err := leaf.VerifyHostname(domain); err != nil {
		t.Error(err)
	}
	st := m.Status()
	if !st.HasCert || !st.NotAfter.Equal(leaf.NotAfter) || st.Domain != domain || st.ObtainedAt.IsZero() {
		t.Errorf("status %+v, served NotAfter %v", st, leaf.NotAfter)
	}
	// TLS-ALPN-01 is autocert's first choice: the plain listener was not needed.
	if n := a.challenges.Load(); n != 0 {
		t.Errorf("%d HTTP-01 requests, want TLS-ALPN-01 only", n)
	}
	if fi, err := statMode(dir); err != nil || fi != 0o700 {
		t.Errorf("certificate folder mode %o, %v; want 700", fi, err)
	}

	// Plain HTTP redirects to the same path over https, keeping the method.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Post("http://"+a.httpAddr+"/api/v1/x?y=1", "text/plain", strings.NewReader("z"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "https://" + domain + ":" + strconv.Itoa(port(t, a.httpsAddr)) + "/api/v1/x?y=1"
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Errorf("redirect %d to %q, want 308 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if m.BaseURL() != "https://"+domain+":"+strconv.Itoa(port(t, a.httpsAddr)) {
		t.Errorf("BaseURL %q", m.BaseURL())
	}
}

func TestHTTP01WhenTLSALPNCannotBeReached(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	// The CA validates TLS-ALPN-01 on a port where nothing listens, as behind a proxy
	// that passes port 80 only: autocert falls back to HTTP-01.
	closed := port(t, freeAddr(t))
	p := startPebble(t, port(t, httpLn.Addr().String()), closed, 0)
	m := newManager(t, p, p.DirURL(), t.TempDir(), port(t, tlsLn.Addr().String()), 0)
	a := startAnnex(t, m, tlsLn, httpLn)
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if a.challenges.Load() == 0 {
		t.Error("no HTTP-01 request was answered")
	}
	if _, body := fetch(t, a.httpsAddr, p.Issuer); !strings.HasPrefix(body, "annex over") {
		t.Errorf("body %q", body)
	}
}

func TestRenewsBeforeExpiry(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	// Certificates valid for an hour, renewed two hours before expiry: every certificate
	// is inside its renewal window as soon as it is issued, so autocert's background
	// renewal replaces it at once and again; the served serial must change.
	p := startPebble(t, port(t, httpLn.Addr().String()), port(t, tlsLn.Addr().String()), 3600)
	m := newManager(t, p, p.DirURL(), t.TempDir(), port(t, tlsLn.Addr().String()), 2*time.Hour)
	a := startAnnex(t, m, tlsLn, httpLn)
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	first, _ := fetch(t, a.httpsAddr, p.Issuer)
	for i := 0; ; i++ {
		leaf, _ := fetch(t, a.httpsAddr, p.Issuer)
		if leaf.SerialNumber.Cmp(first.SerialNumber) != 0 {
			if leaf.NotAfter.Before(first.NotAfter) {
				t.Errorf("renewed certificate expires %v, before the first %v", leaf.NotAfter, first.NotAfter)
			}
			break
		}
		if i == 600 {
			t.Fatal("the certificate was not renewed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Stop the CA before the test ends: the renewal loop then backs off for half an hour.
	p.Server.Close()
}

func TestUnreachableCA(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	caURL := "https://" + freeAddr(t) + "/dir" // nothing listens there
	m := newManager(t, nil, caURL, t.TempDir(), port(t, tlsLn.Addr().String()), 0)
	a := startAnnex(t, m, tlsLn, httpLn)
	err := m.Start(context.Background())
	if err == nil {
		t.Fatal("Start succeeded with no CA")
	}
	st := m.Status()
	if st.HasCert || !strings.Contains(st.LastError, "cannot be reached") || st.LastErrorAt.IsZero() {
		t.Errorf("status %+v", st)
	}
	// A visitor's handshake fails at once with the reason, rather than asking the CA again.
	_, err = tls.Dial("tcp", a.httpsAddr, &tls.Config{ServerName: domain, InsecureSkipVerify: true})
	if err == nil {
		t.Error("handshake succeeded without a certificate")
	}
}

func TestKeepsServingHeldCertificateWhenCAIsGone(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	p := startPebble(t, port(t, httpLn.Addr().String()), port(t, tlsLn.Addr().String()), 0)
	dir := t.TempDir()
	m := newManager(t, p, p.DirURL(), dir, port(t, tlsLn.Addr().String()), 0)
	a := startAnnex(t, m, tlsLn, httpLn)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	held, _ := fetch(t, a.httpsAddr, p.Issuer)
	p.Server.Close()

	// A restart with the CA gone: the certificate in the folder is served.
	tlsLn2, httpLn2 := listen(t), listen(t)
	m2 := newManager(t, p, p.DirURL(), dir, port(t, tlsLn2.Addr().String()), 0)
	a2 := startAnnex(t, m2, tlsLn2, httpLn2)
	if err := m2.Start(context.Background()); err != nil {
		t.Fatalf("Start with a held certificate: %v", err)
	}
	leaf, _ := fetch(t, a2.httpsAddr, p.Issuer)
	if leaf.SerialNumber.Cmp(held.SerialNumber) != 0 {
		t.Error("a different certificate is served after the restart")
	}
}

func TestRefusingCA(t *testing.T) {
	tlsLn, httpLn := listen(t), listen(t)
	p := startPebble(t, port(t, httpLn.Addr().String()), port(t, tlsLn.Addr().String()), 0)
	if err := p.DB.AddBlockedDomain("annex.test"); err != nil {
		t.Fatal(err)
	}
	m := newManager(t, p, p.DirURL(), t.TempDir(), port(t, tlsLn.Addr().String()), 0)
	startAnnex(t, m, tlsLn, httpLn)
	if err := m.Start(context.Background()); err == nil {
		t.Fatal("Start succeeded for a blocked domain")
	}
	st := m.Status()
	if st.HasCert || !strings.Contains(st.LastError, "rejectedIdentifier") {
		t.Errorf("status %+v", st)
	}
}

func statMode(dir string) (uint32, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return 0, err
	}
	return uint32(fi.Mode().Perm()), nil
}
