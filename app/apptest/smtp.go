package apptest

import (
	"io"
	"log"
	"mime/quotedprintable"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message received by the test SMTP server.
type Mail struct {
	From string
	To   []string
	Data string
}

// SMTPServer is a real SMTP server (emersion/go-smtp) on a loopback port that keeps
// what it receives.
type SMTPServer struct {
	Host string
	Port int
	// Refuse is a recipient the server refuses with 550, as for an unknown mailbox.
	Refuse string
	mu     sync.Mutex
	got    []Mail
}

// NewSMTP starts an SMTP server for the test.
func NewSMTP(t testing.TB) *SMTPServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients killed mid-session are expected in tests
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Messages returns what has arrived so far.
func (s *SMTPServer) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.got...)
}

// Wait returns once n messages have arrived, or fails the test after timeout.
func (s *SMTPServer) Wait(t testing.TB, n int, timeout time.Duration) []Mail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("SMTP server received %d messages, want %d", len(s.Messages()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// To returns the n-th message (from 1) that arrived for the address, waiting for it up
// to timeout, or fails the test.
func (s *SMTPServer) To(t testing.TB, addr string, n int, timeout time.Duration) Mail {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var got []Mail
		for _, m := range s.Messages() {
			if slices.Contains(m.To, addr) {
				got = append(got, m)
			}
		}
		if len(got) >= n {
			return got[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("SMTP server received %d messages for %s, want %d", len(got), addr, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type backend struct{ s *SMTPServer }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s *SMTPServer
	m Mail
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.m.From = from; return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == x.s.Refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox: " + to}
	}
	x.m.To = append(x.m.To, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.m.Data = string(b)
	x.s.mu.Lock()
	x.s.got = append(x.s.got, x.m)
	x.s.mu.Unlock()
	x.m = Mail{}
	return nil
}
func (x *session) Reset()        { x.m = Mail{} }
func (x *session) Logout() error { return nil }

// Text returns the message decoded from quoted-printable, as a reader would see it.
func (m Mail) Text() string {
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Data)))
	if err != nil {
		return m.Data
	}
	return string(b)
}

// Link returns the first address in the message that starts with prefix.
func (m Mail) Link(prefix string) string {
	text := m.Text()
	i := strings.Index(text, prefix)
	if i < 0 {
		return ""
	}
	end := strings.IndexAny(text[i:], " \r\n\"<>")
	if end < 0 {
		return text[i:]
	}
	return text[i : i+end]
}

// UseSMTP points Annex's mail settings at the test SMTP server.
func (e *Env) UseSMTP(admin *Client, s *SMTPServer) {
	e.T.Helper()
	admin.Do("PUT", "/api/v1/admin/settings/smtp", map[string]any{"enabled": true, "host": s.Host, "port": s.Port,
		"security": "none", "from": "annex@example.com"}).Must(e.T, 200)
}
