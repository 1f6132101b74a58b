// Package live carries news of changes to the pages people have open, over one
// Server-Sent Events stream per page (docs/notifications.md). The news says only what
// changed (a task's id, "a notification"): the page then reads it through the fence as
// always, so the stream can leak nothing a request could not.
package live

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/sse"

	"annex/app/auth"
	"annex/store"
)

// How long one stream lasts before the browser opens the next (which signs it in
// afresh, so a session that ended stops getting news), and how often an idle one pings.
const (
	streamFor = 5 * time.Minute
	pingEvery = 25 * time.Second
)

// news is what a stream is told: a task changed (id), or a notification came (id "").
type news struct{ task string }

// Hub knows the open streams by person.
type Hub struct {
	st   *store.Store
	done <-chan struct{} // closed when the server stops: every stream ends
	log  *slog.Logger
	mu   sync.Mutex
	subs map[string]map[chan news]struct{}
}

// New returns a hub whose streams end when ctx does.
func New(ctx context.Context, st *store.Store, log *slog.Logger) *Hub {
	return &Hub{st: st, done: ctx.Done(), log: log, subs: map[string]map[chan news]struct{}{}}
}

func (h *Hub) subscribe(user string) (chan news, func()) {
	ch := make(chan news, 32)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[user] == nil {
		h.subs[user] = map[chan news]struct{}{}
	}
	h.subs[user][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[user], ch)
		if len(h.subs[user]) == 0 {
			delete(h.subs, user)
		}
	}
}

// send tells each of users' streams; a stream too far behind misses it (its page
// reads everything again when it reconnects).
func (h *Hub) send(users []string, n news) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range users {
		for ch := range h.subs[u] {
			select {
			case ch <- n:
			default:
			}
		}
	}
}

// Notified tells users' open pages that they have a new notification.
func (h *Hub) Notified(users []string) { h.send(users, news{}) }

// TaskChanged tells the open pages of everyone who may see the task that it changed.
func (h *Hub) TaskChanged(ctx context.Context, taskID string) {
	h.mu.Lock()
	users := make([]string, 0, len(h.subs))
	for u := range h.subs {
		users = append(users, u)
	}
	h.mu.Unlock()
	if len(users) == 0 {
		return
	}
	viewers, err := h.st.TaskViewers(context.WithoutCancel(ctx), taskID, users)
	if err != nil {
		h.log.Warn("live: task viewers", "task", taskID, "err", err)
		return
	}
	h.send(viewers, news{task: taskID})
}

// Hello opens a stream: the unread notifications now.
type Hello struct {
	Unread int `json:"unread"`
}

// Notice says a notification came, with the unread count now.
type Notice struct {
	Unread int `json:"unread"`
}

// TaskNews says a task the reader may see changed: read it again.
type TaskNews struct {
	ID string `json:"id"`
}

// Ping keeps an idle stream open through proxies.
type Ping struct{}

// Routes registers the stream.
func (h *Hub) Routes(api huma.API) {
	sse.Register(api, huma.Operation{OperationID: "events", Method: http.MethodGet, Path: "/events",
		Summary: "News of changes for the pages you have open (Server-Sent Events)",
		Description: "hello first (your unread notifications), then notification (with the new count) and task (a task " +
			"you may see changed: read it again) as they happen, ping when idle. A stream ends after a few minutes; " +
			"the browser's EventSource opens the next one by itself.",
		Tags: []string{"Notifications"}},
		map[string]any{"hello": Hello{}, "notification": Notice{}, "task": TaskNews{}, "ping": Ping{}},
		h.stream)
}

func (h *Hub) stream(ctx context.Context, _ *struct{}, send sse.Sender) {
	a := auth.ActorFrom(ctx)
	ch, cancel := h.subscribe(a.UserID)
	defer cancel()
	unread, err := h.st.UnreadNotifications(ctx, a)
	if err != nil || send(sse.Message{Data: Hello{Unread: unread}, Retry: 2000}) != nil {
		return
	}
	end := time.NewTimer(streamFor)
	defer end.Stop()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		var msg any
		select {
		case <-ctx.Done():
			return
		case <-h.done:
			return
		case <-end.C:
			return
		case <-ping.C:
			msg = Ping{}
		case n := <-ch:
			if n.task != "" {
				msg = TaskNews{ID: n.task}
				break
			}
			if unread, err = h.st.UnreadNotifications(ctx, a); err != nil {
				return
			}
			msg = Notice{Unread: unread}
		}
		if send.Data(msg) != nil {
			return
		}
	}
}
