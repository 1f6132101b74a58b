// Package request carries what the middleware learns about a request (its id and the
// client's address) to the handlers.
package request

import (
	"context"
	"log/slog"
)

// Info is what the middleware learned about the request.
type Info struct {
	ID       string
	ClientIP string
	// UserAgent is the request's User-Agent header, cut to MaxUserAgent bytes: a
	// session keeps it to tell its owner which browser it is.
	UserAgent string
	Log       *slog.Logger
	// Outcome is filled in when the answer is an error, so that the request's end can
	// tell what was refused (nil outside the server's pipeline).
	Outcome *Outcome
}

// Outcome is what a request's error answer said.
type Outcome struct {
	Code string // the problem's stable code, such as not_found
}

type ctxKey struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info Info) context.Context {
	return context.WithValue(ctx, ctxKey{}, info)
}

// From returns the request's info; outside a request, a zero Info with the default logger.
func From(ctx context.Context) Info {
	if i, ok := ctx.Value(ctxKey{}).(Info); ok {
		return i
	}
	return Info{Log: slog.Default()}
}

// MaxUserAgent is how much of a User-Agent header is kept.
const MaxUserAgent = 512

type viewerKey struct{}

// WithViewer marks the request as an administrator's view as another person (the
// signed-in person is then the one viewed): what that person does is not logged as hers.
func WithViewer(ctx context.Context, adminID string) context.Context {
	return context.WithValue(ctx, viewerKey{}, adminID)
}

// Viewer is the administrator viewing as the request's person, or "".
func Viewer(ctx context.Context) string {
	v, _ := ctx.Value(viewerKey{}).(string)
	return v
}
