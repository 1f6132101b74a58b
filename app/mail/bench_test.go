package mail_test

import (
	"context"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/mail"
	"annex/store"
	"annex/store/storetest"
)

// BenchmarkOutboxThroughput: mails queued, then sent by the worker to a real SMTP
// server on loopback, one connection per mail.
func BenchmarkOutboxThroughput(b *testing.B) {
	st, _ := storetest.New(b, nil)
	srv := apptest.NewSMTP(b)
	smtp := mail.SMTP{Enabled: true, Host: srv.Host, Port: srv.Port, Security: "none", From: "annex@example.com"}
	o := mail.NewOutbox(st, func() mail.SMTP { return smtp }, quiet())
	ctx := context.Background()
	err := st.Tx(ctx, func(tx *store.Tx) error {
		for range b.N {
			m := store.Mail{Kind: "bench", To: "a@example.com", Subject: "Hello", Text: "Open http://127.0.0.1/x", HTML: "<p>Hi</p>"}
			if err := tx.EnqueueMail(ctx, &m, "annex.test"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	b.ResetTimer()
	n, err := o.Flush(ctx)
	if err != nil || n != b.N {
		b.Fatalf("sent %d of %d: %v", n, b.N, err)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "mails/s")
}
