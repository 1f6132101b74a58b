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
	Log      *slog.Logger
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
