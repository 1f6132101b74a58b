package config

import (
	"net"
	"net/url"
	"strings"
)

// TLS switches on automatic HTTPS (docs/https.md): with a domain, Annex obtains and renews
// its certificate by ACME, serves HTTPS on HTTPSListen and, on HTTPListen, answers the CA's
// HTTP-01 challenges and redirects everything else to https. Listen keeps serving plain
// HTTP (on loopback by default) whatever happens to the certificate.
type TLS struct {
	Domain      string   `toml:"domain"`
	Email       string   `toml:"email"`
	CAURL       string   `toml:"ca_url"`       // ACME directory; Let's Encrypt's production CA when empty
	CARoots     []string `toml:"ca_roots"`     // PEM files trusted for a private ACME CA's own HTTPS
	HTTPSListen string   `toml:"https_listen"` // default :443
	HTTPListen  string   `toml:"http_listen"`  // default :80; "off" to do without (TLS-ALPN-01 only, no redirect)
}

// Enabled reports whether automatic HTTPS is on.
func (t TLS) Enabled() bool { return t.Domain != "" }

func (t TLS) validate(bad func(string, ...any)) {
	if !t.Enabled() {
		return
	}
	if strings.ContainsAny(t.Domain, "/:* ") || !strings.Contains(t.Domain, ".") {
		bad("tls.domain %q: want a full host name, such as intranet.example.com", t.Domain)
	}
	if t.CAURL != "" {
		if u, err := url.Parse(t.CAURL); err != nil || u.Scheme != "https" || u.Host == "" {
			bad("tls.ca_url %q: want the https URL of an ACME directory", t.CAURL)
		}
	}
	if _, _, err := net.SplitHostPort(t.HTTPSListen); err != nil {
		bad("tls.https_listen %q: want host:port, such as :443", t.HTTPSListen)
	}
	if _, _, err := net.SplitHostPort(t.HTTPListen); err != nil && t.HTTPListen != "off" {
		bad("tls.http_listen %q: want host:port, such as :80, or off", t.HTTPListen)
	}
}

// tlsBaseURL makes the HTTPS address the base URL (links in mail, Secure cookies) unless
// base_url says otherwise.
func (c *Config) tlsBaseURL() {
	if !c.TLS.Enabled() || c.Settings.BaseURL != nil {
		return
	}
	u := "https://" + c.TLS.Domain
	if _, port, err := net.SplitHostPort(c.TLS.HTTPSListen); err == nil && port != "443" {
		u = "https://" + net.JoinHostPort(c.TLS.Domain, port)
	}
	c.Settings.BaseURL = &u
}
