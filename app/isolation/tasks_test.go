package isolation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"annex/store"
)

// task is a task as the oracle knows it.
type task struct {
	id, group, title     string
	creator, responsible string
	participants         []string
	observers            []string
	deadline             *time.Time
}

func init() {
	exercises["listTasks"] = exerciseListTasks
	exercises["getTask"] = exerciseGetTask
	exercises["createTask"] = exerciseCreateTask
	exercises["updateTask"] = exerciseUpdateTask
	exercises["deleteTask"] = exerciseDeleteTask
	exercises["countTasks"] = exerciseCountTasks
}

// exerciseCountTasks: the menu's counters count the open tasks the actor works on and
// may see: past their deadline, and due later today (UTC). No exercise closes a task.
func exerciseCountTasks(r *run, a actor) {
	path := "/api/v1/tasks/counts?timeZone=UTC"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	now := r.env.Clock.Now()
	y, m, d := now.UTC().Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	var want struct{ Overdue, Today int }
	for _, t := range r.w.tasks {
		works := t.responsible == a.user.ID || slices.Contains(t.participants, a.user.ID)
		if t.deadline == nil || !works || !r.w.seesTask(a.user, t) {
			continue
		}
		switch {
		case t.deadline.Before(now):
			want.Overdue++
		case t.deadline.Before(end):
			want.Today++
		}
	}
	var got struct{ Overdue, Today int }
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil || got != want {
		r.leak(a, "GET", path, "status %d %s, oracle %+v", res.Status, res.Body, want)
	}
}

// buildTasks adds random tasks to the world: in groups, named among anyone (members or
// not, since people leave), and personal ones naming people across groups, so that
// observers hidden from an external user are there to be leaked.
func buildTasks(ctx context.Context, tx *store.Tx, rng *rand.Rand, w *world) error {
	pick := func() string { return w.users[rng.IntN(len(w.users))].ID }
	some := func() []string {
		var ids []string
		for range rng.IntN(3) {
			if id := pick(); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	groups := append([]string{""}, func() []string {
		var ids []string
		for _, g := range w.groups {
			ids = append(ids, g.ID)
		}
		return ids
	}()...)
	for i := range 4 + rng.IntN(14) {
		t := task{group: groups[rng.IntN(len(groups))], title: fmt.Sprintf("Task %d", i), creator: pick(),
			responsible: pick(), participants: some(), observers: some()}
		if rng.IntN(2) == 0 {
			d := tx.Now().Add(time.Duration(rng.IntN(96)-48) * time.Hour)
			t.deadline = &d
		}
		v := store.Task{GroupID: t.group, Title: t.title, CreatorID: t.creator, Status: store.TaskNew, Priority: "normal",
			Deadline: t.deadline}
		if err := tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: t.responsible, Participants: t.participants,
			Observers: t.observers}); err != nil {
			return err
		}
		t.id = v.ID
		w.tasks = append(w.tasks, t)
	}
	return buildTaskWork(ctx, tx, rng, w)
}

// involved: named on the task in any way.
func (t task) involved(user string) bool {
	return t.creator == user || t.responsible == user || slices.Contains(t.participants, user) ||
		slices.Contains(t.observers, user)
}

// seesTask is the oracle for tasks (PRODUCT.md §2, §3): administrators see all; a
// personal task is seen by the people named on it; a group's task by the group's active
// members, external ones only where the group shows them all its tasks or where they are
// named on it.
func (w *world) seesTask(viewer store.User, t task) bool {
	if viewer.Admin {
		return true
	}
	if t.group == "" {
		return t.involved(viewer.ID)
	}
	m := w.membership(t.group, viewer.ID)
	if m == nil || m.state != store.MemberActive {
		return false
	}
	return viewer.Kind == store.KindEmployee || w.group(t.group).ExternalTasks == "all" || t.involved(viewer.ID)
}

// editsTask: administrators, the creator, and the group's active owner and moderators.
func (w *world) editsTask(viewer store.User, t task) bool {
	return viewer.Admin || t.creator == viewer.ID || (t.group != "" && w.manages(viewer, w.group(t.group)))
}

// movesTask: who edits it, its responsible person and its participants change its status.
func (w *world) movesTask(viewer store.User, t task) bool {
	return w.editsTask(viewer, t) || t.responsible == viewer.ID || slices.Contains(t.participants, viewer.ID)
}

type taskJSON struct {
	ID              string `json:"id"`
	Creator         *struct{ ID string }
	Responsible     *struct{ ID string }
	Participants    []struct{ ID string }
	Observers       []struct{ ID string }
	MayEdit         bool `json:"mayEdit"`
	MayChangeStatus bool `json:"mayChangeStatus"`
}

// checkTask compares one task's answer with the oracle: the people named on it whom the
// viewer may see, and what the viewer may do with it.
func (r *run) checkTask(a actor, method, path string, got taskJSON, t task) {
	shown := func(id string) bool { return r.w.sees(a.user, r.w.user(id)) }
	if (got.Creator != nil) != shown(t.creator) || (got.Responsible != nil) != shown(t.responsible) {
		r.leak(a, method, path, "task %s: creator/responsible shown %v/%v, oracle %v/%v", t.id, got.Creator != nil,
			got.Responsible != nil, shown(t.creator), shown(t.responsible))
	}
	for _, list := range []struct {
		got  []struct{ ID string }
		want []string
	}{{got.Participants, t.participants}, {got.Observers, t.observers}} {
		var ids, want []string
		for _, p := range list.got {
			ids = append(ids, p.ID)
		}
		for _, id := range list.want {
			if shown(id) {
				want = append(want, id)
			}
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			r.leak(a, method, path, "task %s: names %v, oracle %v", t.id, ids, want)
		}
	}
	if got.MayEdit != r.w.editsTask(a.user, t) || got.MayChangeStatus != r.w.movesTask(a.user, t) {
		r.leak(a, method, path, "task %s: mayEdit/mayChangeStatus %v/%v, oracle %v/%v", t.id, got.MayEdit,
			got.MayChangeStatus, r.w.editsTask(a.user, t), r.w.movesTask(a.user, t))
	}
}

// namedAs: named on the task in that role.
func (t task) namedAs(user, role string) bool {
	switch role {
	case store.TaskCreator:
		return t.creator == user
	case store.TaskResponsible:
		return t.responsible == user
	case store.TaskParticipant:
		return slices.Contains(t.participants, user)
	}
	return slices.Contains(t.observers, user)
}

// exerciseListTasks reads a view of the list (every task, those the actor is named on one
// way, or one group's; newest first or in another order) page by page to its end, in pages of 1, 2 or 100: newest first, a
// page is read shelf by shelf only as deep as it goes, so small pages walked to the end
// must give what one whole page gives.
func exerciseListTasks(r *run, a actor) {
	query, keep := "", func(task) bool { return true }
	switch r.trng.IntN(3) {
	case 1:
		role := []string{store.TaskCreator, store.TaskResponsible, store.TaskParticipant, store.TaskObserver}[r.trng.IntN(4)]
		query, keep = "&role="+role, func(t task) bool { return t.namedAs(a.user.ID, role) }
	case 2:
		if len(r.w.groups) > 0 {
			g := r.w.groups[r.trng.IntN(len(r.w.groups))].ID
			query, keep = "&groupId="+g, func(t task) bool { return t.group == g }
		}
	}
	if r.trng.IntN(3) == 0 {
		query += "&sort=" + []string{"deadline", "updated", "priority"}[r.trng.IntN(3)]
	}
	perPage := []int{1, 1, 2, 100}[r.trng.IntN(4)]
	var items []taskJSON
	total := -1
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/tasks?perPage=%d&page=%d%s", perPage, page, query)
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		var got struct {
			Items []taskJSON `json:"items"`
			Total int        `json:"total"`
		}
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
			r.leak(a, "GET", path, "status %d %s", res.Status, res.Body)
			return
		}
		if total >= 0 && got.Total != total {
			r.leak(a, "GET", path, "total %d, the first page said %d", got.Total, total)
		}
		total = got.Total
		items = append(items, got.Items...)
		if len(got.Items) < perPage || len(items) >= total || page == 40 {
			break
		}
	}
	path := "/api/v1/tasks?" + query
	want := map[string]task{}
	for _, t := range r.w.tasks {
		if r.w.seesTask(a.user, t) && keep(t) {
			want[t.id] = t
		}
	}
	seen := map[string]bool{}
	for _, it := range items {
		t, ok := want[it.ID]
		switch {
		case seen[it.ID]:
			r.leak(a, "GET", path, "lists task %s twice in pages of %d", it.ID, perPage)
		case !ok:
			r.leak(a, "GET", path, "lists task %s, which the oracle hides", it.ID)
		default:
			r.checkTask(a, "GET", path, it, t)
		}
		seen[it.ID] = true
	}
	if len(items) < 40*perPage {
		for id := range want {
			if !seen[id] {
				r.leak(a, "GET", path, "misses task %s in pages of %d", id, perPage)
			}
		}
	}
	if total != len(want) {
		r.leak(a, "GET", path, "total %d, oracle %d", total, len(want))
	}
}

func exerciseGetTask(r *run, a actor) {
	for _, t := range append(slices.Clone(r.w.tasks), task{id: store.NewID()}) {
		path := "/api/v1/tasks/" + t.id
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		if t.title == "" || !r.w.seesTask(a.user, t) {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden task, want 404", res.Status)
			}
			continue
		}
		var got taskJSON
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil || got.ID != t.id {
			r.leak(a, "GET", path, "status %d for a visible task: %s", res.Status, res.Body)
			continue
		}
		r.checkTask(a, "GET", path, got, t)
	}
}

// exerciseCreateTask: every actor creates a task in a random group (or an unknown one, or
// none) naming a random person responsible.
func exerciseCreateTask(r *run, a actor) {
	if a.user.ID == "" {
		r.anonymousRefused(a, "POST", "/api/v1/tasks", r.do(a, "POST", "/api/v1/tasks", map[string]any{"title": "x"}))
		return
	}
	var g store.Group
	switch n := r.rng.IntN(len(r.w.groups) + 2); {
	case n < len(r.w.groups):
		g = r.w.groups[n]
	case n == len(r.w.groups):
		g = store.Group{ID: store.NewID()}
	}
	who := r.w.users[r.rng.IntN(len(r.w.users))]
	want := 201
	if g.ID != "" {
		m := r.w.membership(g.ID, a.user.ID)
		switch {
		case g.Name == "" || !r.w.seesGroup(a.user, g):
			want = 422
		case !a.user.Admin && (m == nil || m.state != store.MemberActive):
			want = 422
		case g.Archived:
			want = 409
		case !slices.Contains(g.Tools, "tasks"):
			want = 409
		}
	}
	if want == 201 {
		m := r.w.membership(g.ID, who.ID)
		if !r.w.sees(a.user, who) || !who.Active || (g.ID != "" && (m == nil || m.state != store.MemberActive)) {
			want = 422
		}
	}
	t := task{group: g.ID, title: fmt.Sprintf("Task by %s, #%d", a.user.Email, len(r.w.tasks)), creator: a.user.ID,
		responsible: who.ID}
	body := map[string]any{"title": t.title, "groupId": g.ID, "responsibleId": who.ID}
	before := r.digest()
	res := r.do(a, "POST", "/api/v1/tasks", body)
	if res.Status != want {
		r.leak(a, "POST", "/api/v1/tasks", "status %d, oracle %d: %s", res.Status, want, res.Body)
		return
	}
	if want != 201 {
		if r.digest() != before {
			r.leak(a, "POST", "/api/v1/tasks", "a refused request changed the database")
		}
		return
	}
	var got taskJSON
	if json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "POST", "/api/v1/tasks", "answer %s", res.Body)
		return
	}
	t.id = got.ID
	r.w.tasks = append(r.w.tasks, t)
	r.checkTask(a, "POST", "/api/v1/tasks", got, t)
}

// exerciseUpdateTask: every actor tries to change every task: its status alone (who
// works on it may) or its title (who edits it may).
func exerciseUpdateTask(r *run, a actor) {
	for i, t := range append(slices.Clone(r.w.tasks), task{id: store.NewID()}) {
		status := (i+len(a.user.ID))%2 == 0
		body := map[string]any{"title": fmt.Sprintf("Task %d, edited", i)}
		if status {
			body = map[string]any{"status": store.TaskInProgress}
		}
		want := 200
		switch {
		case t.title == "" || !r.w.seesTask(a.user, t):
			want = 404
		case status && !r.w.movesTask(a.user, t), !status && !r.w.editsTask(a.user, t):
			want = 403
		case t.group != "" && r.w.group(t.group).Archived:
			want = 409
		}
		r.expectWrite(a, "PATCH", "/api/v1/tasks/"+t.id, body, want)
	}
}

// exerciseDeleteTask: every actor tries to delete one random task (or an unknown one).
func exerciseDeleteTask(r *run, a actor) {
	i := r.rng.IntN(len(r.w.tasks) + 1)
	t := task{id: store.NewID()}
	if i < len(r.w.tasks) {
		t = r.w.tasks[i]
	}
	want := 204
	switch {
	case t.title == "" || !r.w.seesTask(a.user, t):
		want = 404
	case !r.w.editsTask(a.user, t):
		want = 403
	case t.group != "" && r.w.group(t.group).Archived:
		want = 409
	}
	if r.expectWrite(a, "DELETE", "/api/v1/tasks/"+t.id, nil, want) {
		r.w.tasks = slices.Delete(r.w.tasks, i, i+1)
		r.w.forgetTask(t.id)
	}
}
