package mail

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// OutboxMail is one outbox row as Admin → Mail lists it.
type OutboxMail struct {
	ID            string `json:"id"`
	Kind          string `json:"kind" doc:"Which letter: invitation, accepted, …"`
	To            string `json:"to"`
	Subject       string `json:"subject"`
	State         string `json:"state" enum:"pending,sent,failed"`
	Attempts      int    `json:"attempts"`
	NextAttemptAt string `json:"nextAttemptAt" doc:"For pending mail: when it is tried next"`
	LastError     string `json:"lastError" doc:"What the mail server answered at the last failed attempt"`
	CreatedAt     string `json:"createdAt"`
	SentAt        string `json:"sentAt"`
	Logged        bool   `json:"logged" doc:"Sent while no SMTP server was set: the mail, with its links, was written to the server log and nobody received it; an administrator has to pass it on"`
}

func outboxMailOf(m store.Mail) OutboxMail {
	o := OutboxMail{ID: m.ID, Kind: m.Kind, To: m.To, Subject: m.Subject, State: m.State, Attempts: m.Attempts,
		LastError: m.LastError, CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339), Logged: m.Logged}
	if m.State == store.MailPending {
		o.NextAttemptAt = m.NextAttemptAt.UTC().Format(time.RFC3339)
	}
	if m.SentAt != nil {
		o.SentAt = m.SentAt.UTC().Format(time.RFC3339)
	}
	return o
}

type outboxInput struct {
	State   string `query:"state" enum:"pending,sent,failed,"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// OutboxPage is one page of the outbox.
type OutboxPage struct {
	Items   []OutboxMail `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
}

type outboxOutput struct{ Body OutboxPage }

type mailIDInput struct {
	ID string `path:"id" maxLength:"32"`
}

// Routes registers Admin → Mail's outbox operations.
func (o *Outbox) Routes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "listOutbox", Method: http.MethodGet, Path: "/admin/outbox",
		Summary: "Outgoing mail, newest first: pending, sent or failed, with the mail server's answer", Tags: tags}, o.list)
	huma.Register(api, huma.Operation{OperationID: "retryMail", Method: http.MethodPost, Path: "/admin/outbox/{id}/retry",
		Summary: "Send a pending or failed mail now", Tags: tags, DefaultStatus: http.StatusNoContent}, o.retry)
}

func (o *Outbox) list(ctx context.Context, in *outboxInput) (*outboxOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	ms, total, err := o.st.Mails(ctx, auth.ActorFrom(ctx), store.MailFilter{State: in.State,
		Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage})
	if err != nil {
		return nil, err
	}
	out := &outboxOutput{Body: OutboxPage{Items: make([]OutboxMail, 0, len(ms)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, m := range ms {
		out.Body.Items = append(out.Body.Items, outboxMailOf(m))
	}
	return out, nil
}

func (o *Outbox) retry(ctx context.Context, in *mailIDInput) (*struct{}, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return nil, o.st.Tx(ctx, func(tx *store.Tx) error {
		// A failed mail whose secret link was removed would arrive with a dead link: the
		// invitation is to be resent instead, which makes a fresh one.
		if text, err := tx.MailText(ctx, in.ID); err != nil {
			return err
		} else if strings.Contains(text, RedactedLink) {
			return apperr.New(http.StatusConflict, "mail_link_removed", nil)
		}
		if err := tx.RetryMail(ctx, in.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.MailRetried, store.Object{Type: "mail", ID: in.ID}, nil)
	})
}
