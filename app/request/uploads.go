package request

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
)

// Uploads bounds the request bodies a handler reads itself (photos now, drive uploads
// later). The framework puts a deadline only on the bodies it decodes; a handler that
// reads ctx.BodyReader() gets none, so a client that sends most of a body and stalls
// would hold a connection and its buffer for ever. Every such handler goes through
// Uploads: each person may send at most PerPerson bodies at once, and a body that
// sends nothing for Stall is cut.
type Uploads struct {
	stall     time.Duration
	perPerson int

	mu   sync.Mutex
	busy map[string]int // person → bodies being received or processed
}

// NewUploads returns the bound: stall is the longest wait for the next bytes, perPerson
// how many bodies one person may send at once.
func NewUploads(stall time.Duration, perPerson int) *Uploads {
	return &Uploads{stall: stall, perPerson: perPerson, busy: map[string]int{}}
}

// Stall is the longest an upload may send nothing.
func (u *Uploads) Stall() time.Duration { return u.stall }

// Admit takes one of person's places, or answers 429 (uploads_busy) when all are
// taken. The caller must call release once it is done with the body and what it
// decoded from it: memory is held until then, not only while bytes arrive.
func (u *Uploads) Admit(person string) (release func(), err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.busy[person] >= u.perPerson {
		e := apperr.TooMany("uploads_busy", 5*time.Second)
		e.Params = map[string]any{"count": u.perPerson}
		return nil, e
	}
	u.busy[person]++
	var once sync.Once
	return func() {
		once.Do(func() {
			u.mu.Lock()
			defer u.mu.Unlock()
			if u.busy[person]--; u.busy[person] <= 0 {
				delete(u.busy, person) // the map holds only people uploading now
			}
		})
	}, nil
}

// Busy is how many bodies person is sending (or whose content is being processed).
func (u *Uploads) Busy(person string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.busy[person]
}

// Middleware admits the request's body for the person whom() names before the
// operation runs, and releases it when the operation has answered. whom returns ""
// for a request without a person (those are refused earlier by authentication).
func (u *Uploads) Middleware(api huma.API, whom func(huma.Context) string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		release, err := u.Admit(whom(ctx))
		if err != nil {
			apperr.Write(api, ctx, err)
			return
		}
		defer release()
		next(ctx)
	}
}

// ErrStalled is a body that sent nothing for longer than the stall timeout.
var ErrStalled = errors.New("request: upload stalled")

// Body returns the request's body with a read deadline that moves with progress: each
// read must bring bytes within the stall timeout. Call done once reading is over:
// done(true) when the body was read to its end clears the deadline, since a deadline
// left on the connection would also cancel the request while the handler works on what
// it read; done(false) (cut, stalled, too large) leaves the connection unreadable, so
// the server answers and closes it instead of waiting, with no deadline, for the rest
// of a body that may never come. The answer also says "Connection: close": a client
// that had sent the whole body would otherwise send its next request on a connection
// whose expired deadline cancels that request midway.
func (u *Uploads) Body(ctx huma.Context) (r io.Reader, done func(complete bool), err error) {
	if err := ctx.SetReadDeadline(time.Now().Add(u.stall)); err != nil {
		// No deadline can be set (not an HTTP/1 or HTTP/2 connection): refuse rather
		// than read without one.
		return nil, nil, fmt.Errorf("request: upload deadline: %w", err)
	}
	return &deadlineReader{ctx: ctx, r: ctx.BodyReader(), stall: u.stall}, func(complete bool) {
		if complete {
			_ = ctx.SetReadDeadline(time.Time{})
		} else {
			ctx.SetHeader("Connection", "close")
			_ = ctx.SetReadDeadline(time.Now())
		}
	}, nil
}

// ReadAll reads the whole body, at most limit bytes of it: tooLarge reports a body that
// has more. A stalled body is ErrStalled; a body cut by the client is another error.
func (u *Uploads) ReadAll(ctx huma.Context, limit int64) (data []byte, tooLarge bool, err error) {
	r, done, err := u.Body(ctx)
	if err != nil {
		return nil, false, err
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	tooLarge = int64(len(data)) > limit
	done(err == nil && !tooLarge)
	if err != nil {
		return nil, false, err
	}
	return data, tooLarge, nil
}

// BodyError turns a failed read into the problem to answer: 408 for a stalled body,
// 400 for one the client cut short.
func BodyError(err error) error {
	if errors.Is(err, ErrStalled) {
		return apperr.New(http.StatusRequestTimeout, "upload_stalled", nil)
	}
	return apperr.New(http.StatusBadRequest, "upload_incomplete", nil)
}

type deadlineReader struct {
	ctx   huma.Context
	r     io.Reader
	stall time.Duration
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	// Moved before each read, so a slow but steady upload is never cut, a silent one is.
	_ = d.ctx.SetReadDeadline(time.Now().Add(d.stall))
	n, err := d.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		var te interface{ Timeout() bool }
		if errors.As(err, &te) && te.Timeout() {
			return n, fmt.Errorf("%w: %w", ErrStalled, err)
		}
	}
	return n, err
}
