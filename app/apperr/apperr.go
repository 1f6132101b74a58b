// Package apperr is the typed error every handler returns for a failure a person can
// act on. The server renders it, translated, as problem details; its cause stays private.
package apperr

import (
	"errors"

	"github.com/danielgtaylor/huma/v2"

	"net/http"
	"strconv"
	"time"
)

// Error is an expected failure: its Code is the stable key the UI translates, and
// Fields name the inputs at fault.
type Error struct {
	Status     int
	Code       string
	Params     map[string]any
	Fields     []Field
	RetryAfter time.Duration
	Headers    http.Header // sent with the problem (such as a cookie set by a step that is not over)
	Err        error       // the cause, logged, never sent
}

// Field is one input at fault: Location like "body.email", Code a catalogue key
// under "field.".
type Field struct {
	Location string
	Code     string
	Params   map[string]any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Err.Error()
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Err }

// GetHeaders lets the framework send Retry-After with a throttling error, and Headers.
func (e *Error) GetHeaders() http.Header {
	h := e.Headers.Clone()
	if e.RetryAfter > 0 {
		if h == nil {
			h = http.Header{}
		}
		secs := int((e.RetryAfter + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.Itoa(secs))
	}
	return h
}

// New returns an error with a status and a code.
func New(status int, code string, params map[string]any) *Error {
	return &Error{Status: status, Code: code, Params: params}
}

// Invalid is a 422 naming the fields at fault.
func Invalid(fields ...Field) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Fields: fields}
}

// FieldErr names one field at fault.
func FieldErr(location, code string, params map[string]any) Field {
	return Field{Location: location, Code: code, Params: params}
}

// Fields collects field errors; Err returns nil when there are none.
type Fields []Field

// Add records a field error.
func (f *Fields) Add(location, code string, params map[string]any) {
	*f = append(*f, FieldErr(location, code, params))
}

// Err is the Invalid error for the collected fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f...)
}

// NotFound is the answer for missing and invisible alike.
func NotFound() *Error { return New(http.StatusNotFound, "not_found", nil) }

// Unauthenticated asks the person to sign in.
func Unauthenticated() *Error { return New(http.StatusUnauthorized, "unauthenticated", nil) }

// Forbidden refuses a visible object's action.
func Forbidden(code string) *Error { return New(http.StatusForbidden, code, nil) }

// TooMany is a 429 that says when to try again.
func TooMany(code string, retryAfter time.Duration) *Error {
	e := New(http.StatusTooManyRequests, code, nil)
	e.RetryAfter = retryAfter
	return e
}

// Write sends err from a framework middleware (outside a handler), with its headers.
func Write(api huma.API, ctx huma.Context, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Code: "internal", Err: err}
	}
	for k, v := range e.GetHeaders() {
		for _, x := range v {
			ctx.AppendHeader(k, x)
		}
	}
	_ = huma.WriteErr(api, ctx, e.Status, "", e)
}
