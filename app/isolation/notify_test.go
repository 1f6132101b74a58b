package isolation_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"

	"annex/store"
)

// notice is a notification the world was built with. The exercises add more (every
// task write tells people); the oracle holds those to the fence, not to a list.
type notice struct{ id, user, task, actor string }

func init() {
	exercises["listNotifications"] = exerciseListNotifications
	exercises["readNotification"] = exerciseReadNotification
	exercises["readAllNotifications"] = exerciseOwn("POST", "/api/v1/notifications/read", 204)
	exercises["getNotificationPrefs"] = exerciseOwn("GET", "/api/v1/notifications/preferences", 200)
	exercises["setNotificationPrefs"] = exerciseSetPrefs
	exercises["events"] = exerciseEvents
}

// buildNotices tells random people of random tasks, whether or not they may see them
// (they may have lost sight since), by random actors.
func buildNotices(ctx context.Context, tx *store.Tx, rng *rand.Rand, w *world) error {
	for range rng.IntN(2 * len(w.tasks)) {
		t := w.tasks[rng.IntN(len(w.tasks))]
		n := store.Notification{UserID: w.users[rng.IntN(len(w.users))].ID, Kind: "task_commented",
			ActorID: w.users[rng.IntN(len(w.users))].ID, SubjectType: store.SubjectTask, SubjectID: t.id}
		if err := tx.Notify(ctx, &n); err != nil {
			return err
		}
		w.notices = append(w.notices, notice{id: n.ID, user: n.UserID, task: t.id, actor: n.ActorID})
	}
	return nil
}

func exerciseListNotifications(r *run, a actor) {
	path := "/api/v1/notifications?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	var page struct {
		Items []struct {
			ID      string
			Actor   *struct{ ID string }
			Subject struct{ Type, ID, Title string }
			Read    bool
		}
		Total, Unread int
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	listed := map[string]bool{}
	unread := 0
	for _, it := range page.Items {
		listed[it.ID] = true
		if !it.Read {
			unread++
		}
		t, ok := r.w.task(it.Subject.ID)
		if it.Subject.Type != "task" || !ok || !r.w.seesTask(a.user, t) {
			r.leak(a, "GET", path, "notification %s about task %s, which the oracle hides", it.ID, it.Subject.ID)
		}
		if it.Actor != nil && !r.w.sees(a.user, r.w.user(it.Actor.ID)) {
			r.leak(a, "GET", path, "notification %s names %s, whom the oracle hides", it.ID, it.Actor.ID)
		}
	}
	if page.Total > len(page.Items) {
		return // more than a page: the misses cannot be told
	}
	if page.Unread != unread || page.Total != len(page.Items) {
		r.leak(a, "GET", path, "total %d, unread %d for %d items, %d unread", page.Total, page.Unread, len(page.Items), unread)
	}
	for _, n := range r.w.notices {
		if t, ok := r.w.task(n.task); ok && n.user == a.user.ID && r.w.seesTask(a.user, t) && !listed[n.id] {
			r.leak(a, "GET", path, "misses notification %s about task %s", n.id, n.task)
		}
	}
}

// exerciseReadNotification: every actor marks read one of anyone's notifications, or an
// unknown one: only their own, about a task they may still see, is found.
func exerciseReadNotification(r *run, a actor) {
	n := notice{id: store.NewID()}
	if i := r.rng.IntN(len(r.w.notices) + 1); i < len(r.w.notices) {
		n = r.w.notices[i]
	}
	want := 404
	if t, ok := r.w.task(n.task); ok && n.user == a.user.ID && r.w.seesTask(a.user, t) {
		want = 204
	}
	r.expectWrite(a, "POST", "/api/v1/notifications/"+n.id+"/read", nil, want)
}

// exerciseOwn: an operation on the actor's own things answers want to anyone signed in.
func exerciseOwn(method, path string, want int) exercise {
	return func(r *run, a actor) {
		res := r.do(a, method, path, nil)
		if !r.anonymousRefused(a, method, path, res) && res.Status != want {
			r.leak(a, method, path, "status %d, want %d: %s", res.Status, want, res.Body)
		}
	}
}

func exerciseSetPrefs(r *run, a actor) {
	kind := []string{"task_assigned", "task_commented", "task_mentioned", "task_status", "task_deadline", "task_due"}[r.rng.IntN(6)]
	body := map[string]any{"items": []map[string]any{{"kind": kind, "inApp": r.rng.IntN(2) == 0, "mail": r.rng.IntN(2) == 0}}}
	want := 200
	if a.user.ID == "" {
		want = 401
	}
	r.expectWrite(a, "PUT", "/api/v1/notifications/preferences", body, want)
}

// exerciseEvents: the stream opens with the actor's unread count, the same as the list's.
func exerciseEvents(r *run, a actor) {
	path := "/api/v1/events"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	_, data, ok := strings.Cut(string(res.Body), "event: hello\n")
	if res.Status != 200 || !ok {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var hello struct{ Unread int }
	var page struct{ Unread int }
	_, data, _ = strings.Cut(data, "data: ")
	if json.Unmarshal([]byte(strings.TrimSpace(data)), &hello) != nil ||
		json.Unmarshal(r.do(a, "GET", "/api/v1/notifications", nil).Body, &page) != nil || hello.Unread != page.Unread {
		r.leak(a, "GET", path, "hello %s, the list's unread %d", res.Body, page.Unread)
	}
}
