package isolation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"annex/app/apptest"
	"annex/store"
)

// comment and checkItem are a task's comments and checklist lines as the oracle knows them.
type comment struct{ id, task, author string }

type checkItem struct{ id, task string }

func init() {
	exercises["listTaskComments"] = exerciseListComments
	exercises["addTaskComment"] = exerciseAddComment
	exercises["editTaskComment"] = exerciseChangeComment("PATCH")
	exercises["deleteTaskComment"] = exerciseChangeComment("DELETE")
	exercises["listMentionable"] = exerciseMentionable
	exercises["getTaskChecklist"] = exerciseGetChecklist
	exercises["addChecklistItems"] = exerciseAddChecklist
	exercises["setChecklistItem"] = exerciseChangeChecklist("PATCH")
	exercises["deleteChecklistItem"] = exerciseChangeChecklist("DELETE")
}

// buildTaskWork gives the world's tasks comments by anyone (people who left, people the
// reader cannot see) and checklist lines.
func buildTaskWork(ctx context.Context, tx *store.Tx, rng *rand.Rand, w *world) error {
	for _, t := range w.tasks {
		for range rng.IntN(3) {
			c := store.TaskComment{TaskID: t.id, AuthorID: w.users[rng.IntN(len(w.users))].ID, Body: "A comment"}
			if err := tx.AddTaskComment(ctx, &c); err != nil {
				return err
			}
			w.comments = append(w.comments, comment{id: c.ID, task: t.id, author: c.AuthorID})
		}
		if n := rng.IntN(3); n > 0 {
			if err := tx.AddChecklistItems(ctx, t.id, make([]string, n)); err != nil {
				return err
			}
		}
	}
	if err := w.readChecklists(ctx, tx); err != nil {
		return err
	}
	return buildNotices(ctx, tx, rng, w)
}

// readChecklists learns the ids of the lines buildTaskWork wrote.
func (w *world) readChecklists(ctx context.Context, tx *store.Tx) error {
	for _, t := range w.tasks {
		ks, err := tx.TaskChecklistTx(ctx, store.System(), t.id)
		if err != nil {
			return err
		}
		for _, k := range ks {
			w.checklist = append(w.checklist, checkItem{id: k.ID, task: t.id})
		}
	}
	return nil
}

// forgetTask drops what went with a deleted task.
func (w *world) forgetTask(id string) {
	w.comments = slices.DeleteFunc(w.comments, func(c comment) bool { return c.task == id })
	w.checklist = slices.DeleteFunc(w.checklist, func(k checkItem) bool { return k.task == id })
	w.notices = slices.DeleteFunc(w.notices, func(n notice) bool { return n.task == id })
}

func (w *world) task(id string) (task, bool) {
	i := slices.IndexFunc(w.tasks, func(t task) bool { return t.id == id })
	if i < 0 {
		return task{}, false
	}
	return w.tasks[i], true
}

// eachTask reads suffix under every task and under one that does not exist, checks that
// the hidden and the missing answer 404, and hands each visible one's answer to check.
func (r *run) eachTask(a actor, suffix string, check func(t task, path string, res apptest.Response)) {
	for _, t := range append(slices.Clone(r.w.tasks), task{id: store.NewID()}) {
		path := "/api/v1/tasks/" + t.id + suffix
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
		check(t, path, res)
	}
}

// randomTask is one of the world's tasks, or now and then one that does not exist.
func (r *run) randomTask() task {
	if i := r.rng.IntN(len(r.w.tasks) + 1); i < len(r.w.tasks) {
		return r.w.tasks[i]
	}
	return task{id: store.NewID()}
}

// taskWrite is the oracle's answer to a write on a task's comments or checklist, before
// the write's own rule: hidden or missing, then archived.
func (r *run) taskWrite(a actor, t task) int {
	switch {
	case t.title == "" || !r.w.seesTask(a.user, t):
		return 404
	case t.group != "" && r.w.group(t.group).Archived:
		return 409
	}
	return 0
}

// mentionable is the oracle for whom a comment on t by viewer may mention: people the
// viewer may see who are active and may see the task.
func (w *world) mentionable(viewer store.User, t task) []string {
	var ids []string
	for _, u := range w.users {
		if u.Active && w.sees(viewer, u) && w.seesTask(u, t) {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

func exerciseListComments(r *run, a actor) {
	r.eachTask(a, "/comments?perPage=100", func(t task, path string, res apptest.Response) {
		var page struct {
			Items []struct {
				ID        string
				Author    *struct{ ID string }
				Mine      bool
				MayDelete bool
			}
			Total int
		}
		if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
			r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
			return
		}
		var want []comment
		for _, c := range r.w.comments {
			if c.task == t.id {
				want = append(want, c)
			}
		}
		if len(page.Items) != len(want) || page.Total != len(want) {
			r.leak(a, "GET", path, "%d comments (total %d), oracle %d", len(page.Items), page.Total, len(want))
			return
		}
		for i, got := range page.Items {
			c := want[i]
			shown := r.w.sees(a.user, r.w.user(c.author))
			if got.ID != c.id || (got.Author != nil) != shown || got.Mine != (c.author == a.user.ID) ||
				got.MayDelete != (c.author == a.user.ID || a.user.Admin) {
				r.leak(a, "GET", path, "comment %s: %+v, oracle author %s shown %v", c.id, got, c.author, shown)
			}
		}
	})
}

// exerciseAddComment: every actor comments on a random task, mentioning a random person.
func exerciseAddComment(r *run, a actor) {
	t := r.randomTask()
	who := r.w.users[r.rng.IntN(len(r.w.users))]
	want := r.taskWrite(a, t)
	if want == 0 {
		want = 201
		if !slices.Contains(r.w.mentionable(a.user, t), who.ID) {
			want = 422
		}
	}
	path := "/api/v1/tasks/" + t.id + "/comments"
	before := r.digest()
	res := r.do(a, "POST", path, map[string]any{"body": "Noted", "mentionIds": []string{who.ID}})
	if r.anonymousRefused(a, "POST", path, res) {
		return
	}
	if res.Status != want {
		r.leak(a, "POST", path, "status %d, oracle %d: %s", res.Status, want, res.Body)
		return
	}
	if want != 201 {
		if r.digest() != before {
			r.leak(a, "POST", path, "a refused request changed the database")
		}
		return
	}
	var got struct{ ID string }
	if json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "POST", path, "answer %s", res.Body)
		return
	}
	r.w.comments = append(r.w.comments, comment{id: got.ID, task: t.id, author: a.user.ID})
}

// exerciseChangeComment: every actor edits or deletes a random comment, reached through
// its own task, through another task, or unknown.
func exerciseChangeComment(method string) exercise {
	return func(r *run, a actor) {
		c := comment{id: store.NewID(), task: r.randomTask().id}
		if i := r.rng.IntN(len(r.w.comments) + 1); i < len(r.w.comments) {
			c = r.w.comments[i]
		}
		through := c.task
		if r.rng.IntN(4) == 0 {
			through = r.randomTask().id
		}
		t, _ := r.w.task(through)
		want := r.taskWrite(a, t)
		switch {
		case want != 0:
		case through != c.task || !slices.ContainsFunc(r.w.comments, func(o comment) bool { return o.id == c.id }):
			want = 404
		case c.author != a.user.ID && !(method == "DELETE" && a.user.Admin):
			want = 403
		case method == "DELETE":
			want = 204
		default:
			want = 200
		}
		if r.expectWrite(a, method, "/api/v1/tasks/"+through+"/comments/"+c.id, map[string]any{"body": "Edited"}, want) &&
			method == "DELETE" {
			r.w.comments = slices.DeleteFunc(r.w.comments, func(o comment) bool { return o.id == c.id })
		}
	}
}

func exerciseMentionable(r *run, a actor) {
	r.eachTask(a, "/mentionable", func(t task, path string, res apptest.Response) {
		var page struct{ Items []struct{ ID string } }
		if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
			r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
			return
		}
		var got []string
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		want := r.w.mentionable(a.user, t)
		slices.Sort(got)
		slices.Sort(want)
		if len(want) > 20 && len(got) == 20 && !slices.ContainsFunc(got, func(id string) bool { return !slices.Contains(want, id) }) {
			return // the first 20 of more
		}
		if !slices.Equal(got, want) {
			r.leak(a, "GET", path, "offers %v, oracle %v", got, want)
		}
	})
}

func exerciseGetChecklist(r *run, a actor) {
	r.eachTask(a, "/checklist", func(t task, path string, res apptest.Response) {
		var list struct{ Items []struct{ ID string } }
		if res.Status != 200 || json.Unmarshal(res.Body, &list) != nil {
			r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
			return
		}
		var got, want []string
		for _, it := range list.Items {
			got = append(got, it.ID)
		}
		for _, k := range r.w.checklist {
			if k.task == t.id {
				want = append(want, k.id)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			r.leak(a, "GET", path, "lines %v, oracle %v", got, want)
		}
	})
}

// exerciseAddChecklist: every actor adds a line to a random task's checklist.
func exerciseAddChecklist(r *run, a actor) {
	t := r.randomTask()
	want := r.taskWrite(a, t)
	if want == 0 {
		want = 200
		if !r.w.editsTask(a.user, t) {
			want = 403
		}
	}
	path := "/api/v1/tasks/" + t.id + "/checklist"
	if r.expectWrite(a, "POST", path, map[string]any{"items": []string{fmt.Sprintf("Line by %s", a.user.Email)}}, want) {
		var list struct{ Items []struct{ ID string } }
		res := r.do(a, "GET", path, nil)
		if json.Unmarshal(res.Body, &list) != nil || len(list.Items) == 0 {
			r.leak(a, "GET", path, "after adding a line: %s", res.Body)
			return
		}
		r.w.checklist = append(r.w.checklist, checkItem{id: list.Items[len(list.Items)-1].ID, task: t.id})
	}
}

// exerciseChangeChecklist: every actor ticks (PATCH: who works on the task may) or
// removes (DELETE: who edits it may) a random line, through its task or another.
func exerciseChangeChecklist(method string) exercise {
	return func(r *run, a actor) {
		k := checkItem{id: store.NewID(), task: r.randomTask().id}
		if i := r.rng.IntN(len(r.w.checklist) + 1); i < len(r.w.checklist) {
			k = r.w.checklist[i]
		}
		through := k.task
		if r.rng.IntN(4) == 0 {
			through = r.randomTask().id
		}
		t, _ := r.w.task(through)
		want := r.taskWrite(a, t)
		switch {
		case want != 0:
		case method == "PATCH" && !r.w.movesTask(a.user, t), method == "DELETE" && !r.w.editsTask(a.user, t):
			want = 403
		case through != k.task || !slices.ContainsFunc(r.w.checklist, func(o checkItem) bool { return o.id == k.id }):
			want = 404
		default:
			want = 200
		}
		if r.expectWrite(a, method, "/api/v1/tasks/"+through+"/checklist/"+k.id, map[string]any{"done": true}, want) &&
			method == "DELETE" {
			r.w.checklist = slices.DeleteFunc(r.w.checklist, func(o checkItem) bool { return o.id == k.id })
		}
	}
}
