// Command smtpsink is a real SMTP server (emersion/go-smtp) on a loopback port for the
// browser journeys: it keeps every message it receives as a file in a folder, so a
// journey can follow the link in the mail Annex sent. It prints its port, then serves
// until killed.
//
//	go run -tags nomsgpack ./app/apptest/smtpsink -dir DIR
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

func main() {
	dir := flag.String("dir", "", "where to write each message received, one file per message")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "smtpsink: -dir is required")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "smtpsink:", err)
		os.Exit(1)
	}
	srv := smtp.NewServer(backend{dir: *dir, n: new(atomic.Int64)})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	fmt.Printf("smtpsink listening on port %d\n", ln.Addr().(*net.TCPAddr).Port)
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "smtpsink:", err)
		os.Exit(1)
	}
}

type backend struct {
	dir string
	n   *atomic.Int64
}

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b  backend
	to []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data writes the message as "<n>.eml", its envelope recipients on a first line, in
// the order of arrival; written aside and renamed, so a reader never sees half a mail.
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	name := filepath.Join(s.b.dir, fmt.Sprintf("%06d.eml", s.b.n.Add(1)))
	body := "X-Envelope-To: " + strings.Join(s.to, ", ") + "\r\n" + string(b)
	if err := os.WriteFile(name+".tmp", []byte(body), 0o600); err != nil {
		return err
	}
	return os.Rename(name+".tmp", name)
}

func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }
