package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/i18n"
	"annex/app/request"
	"annex/store"
)

// Problem is an RFC 9457 problem details body plus our code (the stable key the UI
// translates) and per-field errors. Every error response, the framework's included, has
// this shape.
type Problem struct {
	Status int            `json:"status" doc:"HTTP status code"`
	Title  string         `json:"title" doc:"Short summary of the status"`
	Detail string         `json:"detail" doc:"What happened, in the request's language"`
	Code   string         `json:"code" doc:"Stable key of the error, for programs and translations"`
	Errors []ProblemField `json:"errors,omitempty" doc:"The inputs at fault"`
}

// ProblemField is one input at fault.
type ProblemField struct {
	Location string `json:"location" doc:"Where, such as body.email"`
	Code     string `json:"code" doc:"Stable key of the problem"`
	Message  string `json:"message" doc:"What to do, in the request's language"`
}

// Error implements error.
func (p *Problem) Error() string { return p.Code + ": " + p.Detail }

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType implements huma.ContentTypeFilter.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

func init() {
	// The framework builds every error through these, its own validation failures
	// included, so one function renders them all.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return render(context.Background(), status, errs...)
	}
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		ctx := context.Background()
		if hctx != nil {
			ctx = hctx.Context()
		}
		return render(ctx, status, errs...)
	}
}

// render builds the Problem of an error answer and notes its code for the request's end.
func render(ctx context.Context, status int, errs ...error) *Problem {
	p := problemOf(ctx, status, errs...)
	noteOutcome(ctx, p.Code)
	return p
}

// noteOutcome keeps the code of the request's error answer for the request's end.
func noteOutcome(ctx context.Context, code string) {
	if o := request.From(ctx).Outcome; o != nil {
		o.Code = code
	}
}

// problemOf turns an error into a translated Problem: ours (*apperr.Error), the store's
// not-found, the framework's validation details, or, for anything else, a 500 whose
// cause is logged with the request id and never sent.
func problemOf(ctx context.Context, status int, errs ...error) *Problem {
	loc := i18n.From(ctx)
	var ae *apperr.Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if errors.As(err, &ae) {
			return fromAppErr(loc, ae)
		}
		if errors.Is(err, store.ErrNotFound) {
			return fromAppErr(loc, apperr.NotFound())
		}
		if errors.Is(err, store.ErrConflict) {
			return fromAppErr(loc, apperr.New(http.StatusConflict, "conflict", nil))
		}
	}
	switch {
	case status == 0: // huma's schema example
		return &Problem{}
	case status >= 500:
		info := request.From(ctx)
		info.Log.ErrorContext(ctx, "request failed", "request_id", info.ID, "err", errors.Join(errs...))
		return fromAppErr(loc, apperr.New(http.StatusInternalServerError, "internal", map[string]any{"requestId": info.ID}))
	case status == http.StatusRequestEntityTooLarge:
		return fromAppErr(loc, apperr.New(status, "payload_too_large", nil))
	case status == http.StatusUnsupportedMediaType:
		return fromAppErr(loc, apperr.New(status, "unsupported_media_type", nil))
	}
	var fields []apperr.Field
	var other []string
	for _, err := range errs {
		var d *huma.ErrorDetail
		if errors.As(err, &d) {
			if f, ok := frameworkField(d); ok {
				fields = append(fields, f)
				continue
			}
		}
		if err != nil {
			other = append(other, err.Error())
		}
	}
	if len(fields) > 0 && len(other) == 0 {
		e := apperr.Invalid(fields...)
		e.Status = status
		return fromAppErr(loc, e)
	}
	if len(other) > 0 && (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity) {
		// The parser's own words stay in the log: they are English and technical.
		info := request.From(ctx)
		info.Log.DebugContext(ctx, "malformed request body", "request_id", info.ID, "reason", strings.Join(other, "; "))
		return fromAppErr(loc, apperr.New(status, "malformed_body", nil))
	}
	code := "bad_request"
	if status == http.StatusMethodNotAllowed {
		code = "method_not_allowed"
	}
	return fromAppErr(loc, apperr.New(status, code, nil))
}

func fromAppErr(loc string, e *apperr.Error) *Problem {
	params := e.Params
	if e.RetryAfter > 0 {
		params = map[string]any{"wait": waitText(loc, e.RetryAfter)}
		for k, v := range e.Params {
			params[k] = v
		}
	}
	p := &Problem{Status: e.Status, Title: http.StatusText(e.Status), Code: e.Code,
		Detail: i18n.T(loc, "error."+e.Code, params)}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Location: f.Location, Code: f.Code,
			Message: i18n.T(loc, "field."+f.Code, f.Params)})
	}
	return p
}

func waitText(loc string, d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 120 {
		return i18n.T(loc, "wait.seconds", map[string]any{"n": secs})
	}
	return i18n.T(loc, "wait.minutes", map[string]any{"n": (secs + 59) / 60})
}

// The framework's validation messages, mapped to our field codes.
var (
	reRequired = regexp.MustCompile(`^expected required property (\S+) to be present`)
	reMaxLen   = regexp.MustCompile(`^expected length <= (\d+)`)
	reMinLen   = regexp.MustCompile(`^expected length >= (\d+)`)
	reOneOf    = regexp.MustCompile(`^expected value to be one of "(.*)"`)
	reMin      = regexp.MustCompile(`^expected number >= (\S+)`)
	reMax      = regexp.MustCompile(`^expected number <= (\S+)`)
)

func frameworkField(d *huma.ErrorDetail) (apperr.Field, bool) {
	msg, loc := d.Message, d.Location
	// A body that is not JSON at all is reported at "body" with the parser's message.
	if loc == "" || (loc == "body" && !strings.HasPrefix(msg, "expected ") && msg != "unexpected property") {
		return apperr.Field{}, false
	}
	f := apperr.Field{Location: loc}
	switch {
	case reRequired.MatchString(msg):
		f.Code = "required"
		f.Location = strings.TrimSuffix(loc, ".") + "." + reRequired.FindStringSubmatch(msg)[1]
	case reMaxLen.MatchString(msg):
		f.Code, f.Params = "too_long", map[string]any{"max": reMaxLen.FindStringSubmatch(msg)[1]}
	case reMinLen.MatchString(msg):
		f.Code, f.Params = "too_short", map[string]any{"min": reMinLen.FindStringSubmatch(msg)[1]}
	case reOneOf.MatchString(msg):
		f.Code, f.Params = "one_of", map[string]any{"values": strings.ReplaceAll(reOneOf.FindStringSubmatch(msg)[1], ",", ", ")}
	case reMin.MatchString(msg), reMax.MatchString(msg):
		f.Code = "invalid_value"
	case msg == "unexpected property":
		f.Code = "unknown_field"
	case strings.HasPrefix(msg, "expected string to be RFC 5322 email"):
		f.Code = "invalid_email"
	case strings.HasPrefix(msg, "expected "):
		f.Code = "wrong_type"
	default:
		f.Code = "invalid_value"
	}
	return f, true
}

// writeProblem writes a problem outside huma (middleware, unknown routes).
func writeProblem(w http.ResponseWriter, ctx context.Context, e *apperr.Error) {
	p := fromAppErr(i18n.From(ctx), e)
	noteOutcome(ctx, p.Code)
	for k, v := range e.GetHeaders() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
