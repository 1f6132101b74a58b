// Package tlsauto obtains and renews Annex's HTTPS certificate by ACME (RFC 8555), with
// golang.org/x/crypto/acme/autocert: TLS-ALPN-01 on the HTTPS listener, HTTP-01 on the
// plain one, which otherwise redirects to https. Certificates and the ACME account key
// live in one folder (0700). When the CA refuses or cannot be reached, the certificate
// already held keeps being served; Status tells what went wrong and when, for the log
// and Admin → System.
package tlsauto

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// LetsEncrypt is the default ACME directory, Let's Encrypt's production CA.
const LetsEncrypt = autocert.DefaultACMEDirectory

// retryAfter is how long a failed attempt to obtain a certificate is remembered: TLS
// handshakes in that time fail at once instead of each asking the CA again (a CA that
// refuses would otherwise be asked once per visitor, and rate-limit us).
const retryAfter = time.Minute

// Config says what certificate to obtain, from where, and where to keep it.
type Config struct {
	Domain   string // the one name the certificate is for, such as intranet.example.com
	Email    string // the ACME account's contact, told of expiry problems by the CA
	CAURL    string // the ACME directory URL; LetsEncrypt when empty
	CARoots  []byte // PEM certificates trusted, besides the system's, for the CA's own HTTPS (a private CA)
	CacheDir string // where certificates and the account key are kept, created 0700
	// HTTPSPort is the port the HTTPS listener is reached on from outside; plain HTTP
	// requests are redirected there (443, the default, is left out of the URL).
	HTTPSPort   int
	RenewBefore time.Duration // renew this long before expiry; autocert's default (a third of the lifetime, at most 30 days) when 0
}

// Status is what Admin → System shows of automatic HTTPS.
type Status struct {
	Domain      string    `json:"domain"`
	CAURL       string    `json:"caUrl"`
	HasCert     bool      `json:"hasCert"`              // a certificate is held, in memory or in the folder
	NotAfter    time.Time `json:"notAfter,omitzero"`    // when the held certificate expires
	Issuer      string    `json:"issuer,omitempty"`     // who issued it
	LastError   string    `json:"lastError,omitempty"`  // the last failure to obtain or renew, or to reach the CA
	LastErrorAt time.Time `json:"lastErrorAt,omitzero"` // when it happened
	ObtainedAt  time.Time `json:"obtainedAt,omitzero"`  // when this process last stored a new certificate
}

// Manager serves the certificate and answers the ACME challenges.
type Manager struct {
	cfg   Config
	log   *slog.Logger
	am    *autocert.Manager
	cache autocert.Cache

	mu          sync.Mutex
	lastErr     string
	lastErrAt   time.Time
	obtainedAt  time.Time
	failedUntil time.Time // no new attempt before this, unless a certificate is held
}

// New prepares the manager; nothing is asked of the CA until Start or a handshake.
func New(cfg Config, log *slog.Logger) (*Manager, error) {
	if cfg.Domain == "" {
		return nil, errors.New("tls: no domain")
	}
	if cfg.CAURL == "" {
		cfg.CAURL = LetsEncrypt
	}
	if cfg.HTTPSPort == 0 {
		cfg.HTTPSPort = 443
	}
	if err := os.MkdirAll(cfg.CacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("tls: certificate folder: %w", err)
	}
	// MkdirAll leaves an existing folder's mode alone: certificates' keys are secrets.
	if err := os.Chmod(cfg.CacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("tls: certificate folder: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if len(cfg.CARoots) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.CARoots) {
			return nil, errors.New("tls: ca_roots holds no PEM certificate")
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	m := &Manager{cfg: cfg, log: log}
	m.cache = &watchCache{Cache: autocert.DirCache(cfg.CacheDir), m: m}
	m.am = &autocert.Manager{
		Prompt:      autocert.AcceptTOS,
		HostPolicy:  autocert.HostWhitelist(cfg.Domain),
		Cache:       m.cache,
		Email:       cfg.Email,
		RenewBefore: cfg.RenewBefore,
		Client: &acme.Client{
			DirectoryURL: cfg.CAURL,
			UserAgent:    "Annex",
			HTTPClient:   &http.Client{Transport: &watchTransport{next: tr, m: m}, Timeout: 2 * time.Minute},
		},
	}
	return m, nil
}

// TLSConfig is for the HTTPS listener: it serves the certificate (obtaining it on the
// first handshake if need be) and answers TLS-ALPN-01 challenges.
func (m *Manager) TLSConfig() *tls.Config {
	c := m.am.TLSConfig()
	c.MinVersion = tls.VersionTLS12
	c.NextProtos = []string{"h2", "http/1.1", acme.ALPNProto}
	c.GetCertificate = m.getCertificate
	return c
}

// HTTPHandler is for the plain-HTTP listener (port 80): it answers HTTP-01 challenges
// and redirects every other request to the same path over https.
func (m *Manager) HTTPHandler() http.Handler {
	h := m.am.HTTPHandler(http.HandlerFunc(m.redirect))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// autocert checks the Host header, port included, against the domain: a CA
		// validating on another port than 80 (a private CA, a port mapping) would be refused.
		if host, _, err := net.SplitHostPort(r.Host); err == nil {
			r.Host = host
		}
		h.ServeHTTP(w, r)
	})
}

func (m *Manager) redirect(w http.ResponseWriter, r *http.Request) {
	host := m.cfg.Domain
	if m.cfg.HTTPSPort != 443 {
		host = net.JoinHostPort(host, fmt.Sprint(m.cfg.HTTPSPort))
	}
	// 308 keeps the method and body, so a form posted to http:// is not turned into a GET.
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
}

// BaseURL is the address people reach Annex at over HTTPS.
func (m *Manager) BaseURL() string {
	if m.cfg.HTTPSPort == 443 {
		return "https://" + m.cfg.Domain
	}
	return "https://" + net.JoinHostPort(m.cfg.Domain, fmt.Sprint(m.cfg.HTTPSPort))
}

// Start makes sure a certificate is held, asking the CA for one if the folder has none
// (or only an expired one). A failure is logged and returned, but is no reason to stop:
// the listeners keep running, on the held certificate if any, and the next handshake
// after a minute tries again. Call it once the listeners accept connections, since the
// CA validates through them.
func (m *Manager) Start(ctx context.Context) error {
	_, err := m.obtain(ctx)
	if err != nil {
		m.log.Error("HTTPS: no certificate could be obtained; Annex keeps serving plain HTTP on its listen address, and tries again on the next HTTPS visit",
			"domain", m.cfg.Domain, "ca", m.cfg.CAURL, "error", err)
		return err
	}
	st := m.Status()
	m.log.Info("HTTPS: certificate ready", "domain", st.Domain, "expires", st.NotAfter.Format(time.RFC3339), "issuer", st.Issuer)
	return nil
}

func (m *Manager) obtain(_ context.Context) (*tls.Certificate, error) {
	// autocert bounds an issuance by its own 5-minute timeout.
	hello := &tls.ClientHelloInfo{ServerName: m.cfg.Domain, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}
	return m.getCertificate(hello)
}

func (m *Manager) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	ours := hello.ServerName == m.cfg.Domain && !isChallenge(hello)
	m.mu.Lock()
	recent, last := time.Now().Before(m.failedUntil), m.lastErr
	m.mu.Unlock()
	// The folder is read only in the minute after a failure, not on every handshake.
	if ours && recent && !m.held() {
		return nil, fmt.Errorf("no certificate yet (last attempt failed: %s)", last)
	}
	c, err := m.am.GetCertificate(hello)
	if err != nil && ours {
		m.fail(err)
		m.mu.Lock()
		m.failedUntil = time.Now().Add(retryAfter)
		m.mu.Unlock()
	}
	return c, err
}

func isChallenge(hello *tls.ClientHelloInfo) bool {
	return len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acme.ALPNProto
}

func (m *Manager) fail(err error) {
	m.mu.Lock()
	m.lastErr, m.lastErrAt = err.Error(), time.Now()
	m.mu.Unlock()
}

// held reports whether the folder holds an unexpired certificate for the domain.
func (m *Manager) held() bool {
	leaf := m.leaf()
	return leaf != nil && time.Now().Before(leaf.NotAfter)
}

// leaf reads the held certificate from the folder (autocert keeps the ECDSA one under
// the bare domain name: the key first, then the chain).
func (m *Manager) leaf() *x509.Certificate {
	b, err := m.cache.Get(context.Background(), m.cfg.Domain)
	if err != nil {
		return nil
	}
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return nil
		}
		if blk.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil
			}
			return c
		}
	}
}

// Status is for Admin → System and the log.
func (m *Manager) Status() Status {
	s := Status{Domain: m.cfg.Domain, CAURL: m.cfg.CAURL}
	if leaf := m.leaf(); leaf != nil {
		s.HasCert, s.NotAfter, s.Issuer = true, leaf.NotAfter, leaf.Issuer.String()
	}
	m.mu.Lock()
	s.LastError, s.LastErrorAt, s.ObtainedAt = m.lastErr, m.lastErrAt, m.obtainedAt
	m.mu.Unlock()
	return s
}

// watchCache notes when a new certificate is stored (an issue or a renewal).
type watchCache struct {
	autocert.Cache
	m *Manager
}

func (c *watchCache) Put(ctx context.Context, key string, data []byte) error {
	err := c.Cache.Put(ctx, key, data)
	if err == nil && key == c.m.cfg.Domain {
		c.m.mu.Lock()
		c.m.obtainedAt = time.Now()
		c.m.failedUntil = time.Time{}
		c.m.mu.Unlock()
		c.m.log.Info("HTTPS: new certificate stored", "domain", key)
	}
	return err
}

// watchTransport records failures to reach the CA and its refusals (problem documents
// other than the routine bad-nonce retry), which autocert's background renewal
// otherwise keeps to itself.
type watchTransport struct {
	next http.RoundTripper
	m    *Manager
}

func (t *watchTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		err = fmt.Errorf("the ACME server %s cannot be reached: %w", r.URL.Host, err)
		t.m.fail(err)
		t.m.log.Warn("HTTPS: the ACME server cannot be reached", "url", r.URL.String(), "error", err)
		return resp, err
	}
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		if !strings.Contains(string(body), "badNonce") {
			msg := fmt.Sprintf("the ACME server answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
			t.m.fail(errors.New(msg))
			t.m.log.Warn("HTTPS: the ACME server refused a request", "url", r.URL.String(), "status", resp.StatusCode, "body", strings.TrimSpace(string(body)))
		}
	}
	return resp, nil
}
