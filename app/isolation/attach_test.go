package isolation_test

import (
	"encoding/json"
	"slices"

	"annex/store"
)

// The oracle of drive files attached to tasks (docs/drive.md, "Attached to tasks").

func init() {
	exercises["listTaskAttachments"] = exerciseListTaskAttachments
	exercises["attachToTask"] = exerciseAttachToTask
	exercises["detachFromTask"] = exerciseDetachFromTask
}

func exerciseListTaskAttachments(r *run, a actor) {
	t := r.randomTask()
	path := "/api/v1/tasks/" + t.id + "/attachments"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if t.title == "" || !r.w.seesTask(a.user, t) {
		if res.Status != 404 {
			r.leak(a, "GET", path, "status %d for a task hidden or missing, want 404", res.Status)
		}
		return
	}
	var got struct {
		Items []struct{ Item driveItemJSON }
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var ids, oracle []string
	for _, at := range got.Items {
		ids = append(ids, at.Item.ID)
		if it := r.w.driveItem(at.Item.ID); r.w.seesDriveItem(a.user, it) {
			r.checkDriveItem(a, "GET", path, at.Item, it)
		}
	}
	for item := range r.w.attached[t.id] {
		if it := r.w.driveItem(item); it.kind != "" && it.live() && r.w.seesDriveItem(a.user, it) {
			oracle = append(oracle, item)
		}
	}
	slices.Sort(ids)
	slices.Sort(oracle)
	if !slices.Equal(ids, oracle) {
		r.leak(a, "GET", path, "attachments %v, oracle %v", ids, oracle)
	}
}

func exerciseAttachToTask(r *run, a actor) {
	t := r.randomTask()
	it := r.itemAt(r.randomSeenIndex(a, false))
	// Mostly a file the actor sees, in their own drive or a group's.
	var files []driveItem
	for _, x := range r.w.drive {
		if x.kind == store.DriveFile && x.live() && r.w.seesDriveItem(a.user, x) {
			files = append(files, x)
		}
	}
	if len(files) > 0 && r.rng.IntN(3) > 0 {
		it = files[r.rng.IntN(len(files))]
	}
	path := "/api/v1/tasks/" + t.id + "/attachments/" + it.id
	want := 204
	switch {
	case (t.title == "" || !r.w.seesTask(a.user, t)):
		want = 404
	case !r.w.movesTask(a.user, t):
		want = 403
	case t.group != "" && r.w.group(t.group).Archived:
		want = 409
	case it.kind != store.DriveFile || !it.live() || !r.w.seesDriveItem(a.user, it):
		want = 422
	}
	before := r.digest()
	res := r.do(a, "PUT", path, nil)
	if r.anonymousRefused(a, "PUT", path, res) || !r.changed(a, "PUT", path, res, want, before) {
		return
	}
	if r.w.attached == nil {
		r.w.attached = map[string]map[string]string{}
	}
	if r.w.attached[t.id] == nil {
		r.w.attached[t.id] = map[string]string{}
	}
	if _, ok := r.w.attached[t.id][it.id]; !ok {
		r.w.attached[t.id][it.id] = a.user.ID
	}
}

func exerciseDetachFromTask(r *run, a actor) {
	t := r.randomTask()
	it := r.itemAt(r.randomSeenIndex(a, false))
	for item := range r.w.attached[t.id] {
		if r.rng.IntN(2) == 0 {
			it = driveItem{id: item} // the item may be gone for good since
			if found := r.w.driveItem(item); found.kind != "" {
				it = found
			}
		}
		break
	}
	path := "/api/v1/tasks/" + t.id + "/attachments/" + it.id
	by, attached := r.w.attached[t.id][it.id]
	want := 204
	switch {
	case (t.title == "" || !r.w.seesTask(a.user, t)):
		want = 404
	case t.group != "" && r.w.group(t.group).Archived:
		want = 409
	case it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it) || !attached:
		want = 404
	case by != a.user.ID && !r.w.editsTask(a.user, t):
		want = 403
	}
	before := r.digest()
	res := r.do(a, "DELETE", path, nil)
	if r.anonymousRefused(a, "DELETE", path, res) || !r.changed(a, "DELETE", path, res, want, before) {
		return
	}
	delete(r.w.attached[t.id], it.id)
}
