// Package acmetest runs a real ACME CA for tests, Let's Encrypt's pebble, in process on
// 127.0.0.1: its directory over HTTPS with a test certificate, and its validation
// authority resolving every name to 127.0.0.1 through a loopback DNS server
// (challtestsrv) and checking HTTP-01 and TLS-ALPN-01 on the ports it is given. Only
// tests import it, so none of it enters the binary.
package acmetest

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/letsencrypt/challtestsrv"
	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
)

// CA is a running pebble.
type CA struct {
	Server *httptest.Server
	Issuer *x509.CertPool // pebble's issuing root, to verify the certificates it issues
	DB     *db.MemoryStore
}

// DirURL is the ACME directory.
func (c *CA) DirURL() string { return c.Server.URL + wfe.DirectoryPath }

// DirRootPEM is the certificate the directory is served with, to trust for talking to it.
func (c *CA) DirRootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Server.Certificate().Raw})
}

// Start runs pebble until the test ends. It validates HTTP-01 on httpPort and TLS-ALPN-01
// on tlsPort of 127.0.0.1, and issues certificates valid for validity seconds (0: 90 days).
func Start(t testing.TB, httpPort, tlsPort int, validity uint64) *CA {
	t.Helper()
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0")
	dnsAddr := startDNS(t)
	lg := log.New(io.Discard, "", 0)
	if testing.Verbose() {
		lg = log.New(&testWriter{t}, "pebble ", 0)
	}
	store := db.NewMemoryStore()
	authority := ca.New(lg, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "test", ValidityPeriod: validity}})
	vauth := va.New(lg, httpPort, tlsPort, false, dnsAddr, store)
	front := wfe.New(lg, store, vauth, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	srv := httptest.NewTLSServer(front.Handler())
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(authority.GetRootCert(0).Cert)
	return &CA{Server: srv, Issuer: roots, DB: store}
}

// startDNS runs challtestsrv's DNS server on a loopback port: every A query is answered
// 127.0.0.1, and AAAA queries get nothing, so validation goes to IPv4 listeners.
func startDNS(t testing.TB) string {
	t.Helper()
	addr := FreeAddr(t)
	cs, err := challtestsrv.New(challtestsrv.Config{DNSAddrs: []string{addr}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	cs.SetDefaultDNSIPv6("")
	go cs.Run()
	t.Cleanup(cs.Shutdown)
	for i := 0; ; i++ { // wait for the TCP listener (pebble queries over TCP)
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if i == 500 {
			t.Fatalf("DNS server did not start: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// FreeAddr is a loopback address nothing listens on (a moment ago).
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
