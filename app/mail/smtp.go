// Package mail sends Annex's e-mail: the SMTP and log transports, and the direct test
// send the administrator uses to check settings. (The outbox arrives with invitations.)
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP is the outgoing mail server. Enabled false means mail is written to the log.
type SMTP struct {
	Enabled  bool   `json:"enabled"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"` // starttls, tls (implicit) or none
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
	From     string `json:"from"`
}

// Message is one mail to send.
type Message struct {
	To        string
	Subject   string
	Text      string
	HTML      string // optional alternative
	MessageID string // stable across retries; empty lets the library choose
}

// TestTimeout bounds the administrator's test send, so a silent host answers in time.
const TestTimeout = 10 * time.Second

// Send delivers one message through s.
func Send(ctx context.Context, s SMTP, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("sender address %q: %w", s.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient address %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(TestTimeout)}
	switch s.Security {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// TestSend sends m directly, within TestTimeout, and returns a short reason a person
// can act on when it fails.
func TestSend(ctx context.Context, s SMTP, m Message) (reason string, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, TestTimeout)
	defer cancel()
	err := Send(ctx, s, m)
	if err == nil {
		return "", true
	}
	return Reason(err), false
}

// Reason shortens a test send's error to its useful part.
func Reason(err error) string { return reason(err, TestTimeout) }

func reason(err error, timeout time.Duration) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return fmt.Sprintf("no answer within %d seconds", int(timeout/time.Second))
	}
	// A refusal by the server: its own words, without the Message-ID the library appends.
	var se *gomail.SendError
	if errors.As(err, &se) {
		msg, _, _ := strings.Cut(se.Error(), ", affected message ID: ")
		return msg
	}
	msg := err.Error()
	// go-mail wraps the interesting cause in a few layers of context.
	if i := strings.LastIndex(msg, ": "); i > 0 && len(msg)-i > 12 {
		msg = msg[i+2:]
	}
	return msg
}
