package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"annex/app/config"
	"annex/app/tlsauto"
)

// serveTLS runs automatic HTTPS when [tls] domain is set (docs/https.md): the HTTPS
// listener with the ACME certificate and the plain-HTTP one for challenges and redirects.
// The certificate is asked for in the background, so a CA that is down delays nothing:
// the loopback listener keeps serving and the log says why HTTPS has no certificate.
// It returns the manager (Status for Admin → System) and a graceful shutdown for both
// listeners; both are nil without a domain. A listener that ends unexpectedly sends
// its error to errc.
func serveTLS(ctx context.Context, cfg config.Config, log *slog.Logger, h http.Handler, errc chan<- error) (*tlsauto.Manager, func(context.Context) error, error) {
	t := cfg.TLS
	if !t.Enabled() {
		return nil, nil, nil
	}
	var roots bytes.Buffer
	for _, f := range t.CARoots {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("tls.ca_roots: %w", err)
		}
		roots.Write(b)
		roots.WriteByte('\n')
	}
	_, p, _ := net.SplitHostPort(t.HTTPSListen)
	port, _ := strconv.Atoi(p)
	m, err := tlsauto.New(tlsauto.Config{Domain: t.Domain, Email: t.Email, CAURL: t.CAURL, CARoots: roots.Bytes(),
		CacheDir: filepath.Join(cfg.DataDir, "certs"), HTTPSPort: port}, log)
	if err != nil {
		return nil, nil, err
	}
	hint := " (ports below 1024 need root or CAP_NET_BIND_SERVICE: see docs/https.md)"
	tln, err := net.Listen("tcp", t.HTTPSListen)
	if err != nil {
		return nil, nil, fmt.Errorf("tls.https_listen %s: %w%s", t.HTTPSListen, err, hint)
	}
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}
	servers := []*http.Server{newServer(h)}
	servers[0].TLSConfig = m.TLSConfig()
	go func() { errc <- servers[0].ServeTLS(tln, "", "") }()
	httpAddr := "off"
	if t.HTTPListen != "off" {
		hln, err := net.Listen("tcp", t.HTTPListen)
		if err != nil {
			servers[0].Close()
			return nil, nil, fmt.Errorf("tls.http_listen %s: %w%s", t.HTTPListen, err, hint)
		}
		httpAddr = hln.Addr().String()
		servers = append(servers, newServer(m.HTTPHandler()))
		go func() { errc <- servers[1].Serve(hln) }()
	}
	log.Info("HTTPS is on", "domain", t.Domain, "https", tln.Addr().String(), "http", httpAddr, "url", m.BaseURL(), "ca", m.Status().CAURL)
	go func() { _ = m.Start(ctx) }() // logs its outcome
	stop := func(sctx context.Context) error {
		var errs []error
		for _, s := range servers {
			errs = append(errs, s.Shutdown(sctx))
		}
		return errors.Join(errs...)
	}
	return m, stop, nil
}
