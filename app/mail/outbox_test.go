package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/mail"
	"annex/store"
	"annex/store/storetest"
)

func enqueue(t *testing.T, st *store.Store, to string, fail error) error {
	t.Helper()
	return st.Tx(context.Background(), func(tx *store.Tx) error {
		m := store.Mail{Kind: "test", To: to, Subject: "Hello " + to, Text: "Open http://127.0.0.1/x", HTML: "<p>Hi</p>"}
		if err := tx.EnqueueMail(context.Background(), &m, "annex.test"); err != nil {
			return err
		}
		return fail
	})
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestOutboxSendsWhatCommittedOnly(t *testing.T) {
	st, _ := storetest.New(t, nil)
	srv := apptest.NewSMTP(t)
	smtp := mail.SMTP{Enabled: true, Host: srv.Host, Port: srv.Port, Security: "none", From: "annex@example.com"}
	for _, to := range []string{"a@example.com", "b@example.com"} {
		if err := enqueue(t, st, to, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := enqueue(t, st, "never@example.com", errors.New("the change failed")); err == nil {
		t.Fatal("want the failing change's error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { mail.NewOutbox(st, func() mail.SMTP { return smtp }, quiet()).Run(ctx); close(done) }()
	srv.Wait(t, 2, 10*time.Second)
	// A mail queued while the worker waits wakes it at once (well before its minute's poll).
	if err := enqueue(t, st, "c@example.com", nil); err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 3, 10*time.Second)
	// The server has the third mail a moment before the worker marks its row: wait for
	// the marks before stopping the worker, or a stop in between leaves the row pending
	// (by design: it goes again at the next start, with the same Message-ID).
	var rows []store.Mail
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var err error
		if rows, _, err = st.Mails(context.Background(), store.System(), store.MailFilter{State: store.MailSent, Limit: 10}); err != nil {
			t.Fatal(err)
		}
		if len(rows) == 3 || time.Now().After(deadline) {
			break
		}
	}
	cancel()
	<-done
	rows, _, err := st.Mails(context.Background(), store.System(), store.MailFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range rows {
		if r.State != store.MailSent || r.SentAt == nil || r.Attempts != 1 || r.Logged {
			t.Errorf("row after sending: %+v", r)
		}
		ids[r.MessageID] = true
	}
	for _, m := range got {
		if strings.Contains(m.Data, "never@example.com") {
			t.Error("a mail of a change that did not commit was sent")
		}
		var found bool
		for id := range ids {
			found = found || strings.Contains(m.Data, "Message-ID: <"+id+">")
		}
		if !found {
			t.Errorf("received mail without its row's Message-ID:\n%s", m.Data)
		}
	}
	if len(rows) != 3 || len(srv.Messages()) != 3 {
		t.Errorf("%d rows, %d received; want 3 each", len(rows), len(srv.Messages()))
	}
}

func TestOutboxRetriesWithBackoffThenGivesUp(t *testing.T) {
	clock := &storetest.Clock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, _ := storetest.New(t, clock)
	// A port where nobody listens: every attempt fails at once.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	smtp := mail.SMTP{Enabled: true, Host: "127.0.0.1", Port: port, Security: "none", From: "annex@example.com"}
	o := mail.NewOutbox(st, func() mail.SMTP { return smtp }, quiet())
	if err := enqueue(t, st, "a@example.com", nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	row := func() store.Mail {
		rows, _, err := st.Mails(ctx, store.System(), store.MailFilter{Limit: 1})
		if err != nil || len(rows) != 1 {
			t.Fatal(rows, err)
		}
		return rows[0]
	}
	var waited time.Duration
	for attempt := 1; attempt <= mail.MaxAttempts; attempt++ {
		if n, err := o.Flush(ctx); err != nil || n != 1 {
			t.Fatalf("attempt %d: flushed %d, %v", attempt, n, err)
		}
		r := row()
		if r.Attempts != attempt || r.LastError == "" {
			t.Fatalf("after attempt %d: %+v", attempt, r)
		}
		if attempt == mail.MaxAttempts {
			if r.State != store.MailFailed {
				t.Fatalf("after %d attempts the mail is %s, want failed", attempt, r.State)
			}
			break
		}
		// Not due before its time…
		if n, _ := o.Flush(ctx); n != 0 {
			t.Fatalf("attempt %d: retried before the backoff ran out", attempt)
		}
		wait := r.NextAttemptAt.Sub(clock.T)
		if wait != mail.Backoff(attempt) {
			t.Fatalf("wait after attempt %d: %v, want %v", attempt, wait, mail.Backoff(attempt))
		}
		waited += wait
		clock.Advance(wait) // …and due once it has.
	}
	if waited < 20*time.Hour || waited > 28*time.Hour {
		t.Errorf("ten attempts span %v; want about a day", waited)
	}

	// "Retry now" brings a failed mail back, and with a server that answers it goes.
	srv := apptest.NewSMTP(t)
	smtp.Port = srv.Port
	if err := st.Tx(ctx, func(tx *store.Tx) error { return tx.RetryMail(ctx, row().ID) }); err != nil {
		t.Fatal(err)
	}
	if n, err := o.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("retry now: %d, %v", n, err)
	}
	if r := row(); r.State != store.MailSent || r.Logged || len(srv.Messages()) != 1 {
		t.Errorf("after retry: %+v, %d received", r, len(srv.Messages()))
	}
}

func TestWithoutSMTPMailGoesToTheLog(t *testing.T) {
	st, _ := storetest.New(t, nil)
	var logged strings.Builder
	o := mail.NewOutbox(st, func() mail.SMTP { return mail.SMTP{} }, slog.New(slog.NewTextHandler(&logged, nil)))
	if err := enqueue(t, st, "a@example.com", nil); err != nil {
		t.Fatal(err)
	}
	if n, err := o.Flush(context.Background()); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if !strings.Contains(logged.String(), "http://127.0.0.1/x") || !strings.Contains(logged.String(), "a@example.com") {
		t.Errorf("the log does not show the mail and its link: %s", logged.String())
	}
	// The row says where it went: Admin → Mail must not claim the recipient got it.
	rows, _, err := st.Mails(context.Background(), store.System(), store.MailFilter{Limit: 1})
	if err != nil || len(rows) != 1 || rows[0].State != store.MailSent || !rows[0].Logged {
		t.Errorf("a mail written to the log: %+v, %v", rows, err)
	}
}

func TestAdministratorsSeeTheOutboxAndRetry(t *testing.T) {
	env := apptest.New(t, apptest.Options{NoMailWorker: true})
	admin := env.Setup()
	if err := enqueue(t, env.Store, "a@example.com", nil); err != nil {
		t.Fatal(err)
	}
	page := admin.Do("GET", "/api/v1/admin/outbox?state=pending", nil).Must(t, 200).JSON()
	items := page["items"].([]any)
	if page["total"] != float64(1) || items[0].(map[string]any)["to"] != "a@example.com" {
		t.Fatalf("outbox: %v", page)
	}
	id := items[0].(map[string]any)["id"].(string)
	if items[0].(map[string]any)["logged"] != false {
		t.Errorf("a pending mail is not logged: %v", items[0])
	}
	admin.Do("POST", "/api/v1/admin/outbox/"+id+"/retry", nil).Must(t, 204)
	// Setup chose no mail server: the worker writes the mail to the log, and the outbox says so.
	if _, err := mail.NewOutbox(env.Store, func() mail.SMTP { return mail.SMTP{} }, quiet()).Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	items = admin.Do("GET", "/api/v1/admin/outbox?state=sent", nil).Must(t, 200).JSON()["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["logged"] != true {
		t.Errorf("a mail written to the log, as the API lists it: %v", items)
	}
	admin.Do("POST", "/api/v1/admin/outbox/nosuchmail/retry", nil).Must(t, 404)
	env.CreateUser("e@example.com", "correct horse battery staple", store.KindEmployee, false)
	env.SignIn("e@example.com", "correct horse battery staple").Do("GET", "/api/v1/admin/outbox", nil).Must(t, 403)
}

// A server that refuses the recipient: the row keeps the server's own answer.
func TestTheServersAnswerIsKept(t *testing.T) {
	st, _ := storetest.New(t, nil)
	srv := apptest.NewSMTP(t)
	srv.Refuse = "nobody@example.com"
	smtp := mail.SMTP{Enabled: true, Host: srv.Host, Port: srv.Port, Security: "none", From: "annex@example.com"}
	if err := enqueue(t, st, "nobody@example.com", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := mail.NewOutbox(st, func() mail.SMTP { return smtp }, quiet()).Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := st.Mails(context.Background(), store.System(), store.MailFilter{Limit: 1})
	if r := rows[0]; r.State != store.MailPending || !strings.Contains(r.LastError, "550") || strings.Contains(r.LastError, "message ID") {
		t.Errorf("after a refusal: %+v", r)
	}
}

// An invitation's link reaches the recipient, and then leaves the outbox: the stored
// copy of a mail that was sent, or failed for good, no longer holds its token.
func TestSecretLinksLeaveTheOutboxOnceTheMailHasGone(t *testing.T) {
	clock := &storetest.Clock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	st, _ := storetest.New(t, clock)
	ctx := context.Background()
	const secret = "Zm9vYmFyLWJhei1xdXV4_-0123456789abcdefghij"
	link := "http://127.0.0.1/invite#token=" + secret
	put := func(to string) string {
		m := store.Mail{Kind: "invitation", To: to, Subject: "Join us", Text: "Open " + link + "\n",
			HTML: `<p><a href="` + link + `">` + link + `</a></p>`}
		if err := st.Tx(ctx, func(tx *store.Tx) error { return tx.EnqueueMail(ctx, &m, "annex.test") }); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	stored := func(id string) store.Mail {
		rows, _, err := st.Mails(ctx, store.System(), store.MailFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("mail %s is gone", id)
		return store.Mail{}
	}

	srv := apptest.NewSMTP(t)
	smtp := mail.SMTP{Enabled: true, Host: srv.Host, Port: srv.Port, Security: "none", From: "annex@example.com"}
	o := mail.NewOutbox(st, func() mail.SMTP { return smtp }, quiet())
	sent := put("gina@client.test")
	if n, err := o.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("flush: %d %v", n, err)
	}
	if got := srv.Wait(t, 1, 10*time.Second)[0]; !strings.Contains(got.Text(), secret) {
		t.Fatalf("the recipient did not get the link:\n%s", got.Data)
	}
	r := stored(sent)
	if r.State != store.MailSent || strings.Contains(r.Text+r.HTML, secret) {
		t.Errorf("a sent invitation keeps its link in the outbox (%s): %q %q", r.State, r.Text, r.HTML)
	}
	if !strings.Contains(r.Text, mail.RedactedLink) || !strings.Contains(r.HTML, mail.RedactedLink) {
		t.Errorf("the stored copy should say the link was removed: %q %q", r.Text, r.HTML)
	}

	// Failed for good: nobody will ever send it, so its link goes too.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	smtp.Port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	failed := put("hugo@client.test")
	for attempt := 1; attempt <= mail.MaxAttempts; attempt++ {
		if _, err := o.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if r := stored(failed); attempt < mail.MaxAttempts && !strings.Contains(r.Text, secret) {
			t.Fatalf("attempt %d: the link was removed while the mail may still go", attempt)
		}
		clock.Advance(mail.Backoff(attempt))
	}
	if r := stored(failed); r.State != store.MailFailed || strings.Contains(r.Text+r.HTML, secret) {
		t.Errorf("a mail failed for good keeps its link (%s): %q", r.State, r.Text)
	}
}

// "Retry now" refuses a failed mail whose link was removed: it would arrive dead. The
// invitation is resent instead, which makes a fresh link.
func TestARedactedMailIsNotRetried(t *testing.T) {
	env := apptest.New(t, apptest.Options{NoMailWorker: true})
	admin := env.Setup()
	ctx := context.Background()
	m := store.Mail{Kind: "invitation", To: "gina@client.test", Subject: "Join us",
		Text: "Open http://127.0.0.1/invite" + mail.RedactedLink}
	err := env.Store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.EnqueueMail(ctx, &m, "annex.test"); err != nil {
			return err
		}
		return tx.MailAttemptFailed(ctx, m.ID, "550 no such user", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	res := admin.Do("POST", "/api/v1/admin/outbox/"+m.ID+"/retry", nil)
	if res.Status != 409 || res.Code() != "mail_link_removed" {
		t.Errorf("retry of a redacted mail: %d %s", res.Status, res.Body)
	}
	items := admin.Do("GET", "/api/v1/admin/outbox", nil).Must(t, 200).JSON()["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["to"] != "gina@client.test" || items[0].(map[string]any)["subject"] != "Join us" {
		t.Errorf("the outbox still shows the mail: %v", items)
	}
}
