package isolation_test

import (
	"encoding/json"
	"slices"

	"annex/store"
)

// The oracle of sharing items of My Drive (docs/drive.md, "Sharing").

func init() {
	exercises["listDriveShares"] = exerciseListDriveShares
	exercises["shareDriveItem"] = exerciseShareDriveItem
	exercises["unshareDriveItem"] = exerciseUnshareDriveItem
	exercises["listSharedWithMe"] = exerciseListSharedWithMe
}

// sharing is the oracle's answer to reading or changing an item's shares, 0 when the
// actor may: an item hidden is missing; only its owner, in their My Drive, shares it.
func (r *run) sharing(a actor, it driveItem) int {
	switch {
	case it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it):
		return 404
	case it.owner != a.user.ID:
		return 403
	}
	return 0
}

// randomPerson is anyone of the world (seen or not), or someone who does not exist.
func (r *run) randomPerson() store.User {
	if n := r.rng.IntN(len(r.w.users) + 1); n < len(r.w.users) {
		return r.w.users[n]
	}
	return store.User{ID: store.NewID()}
}

func exerciseListDriveShares(r *run, a actor) {
	it := r.itemAt(r.randomSeenIndex(a, false))
	path := "/api/v1/drive/items/" + it.id + "/shares"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if want := r.sharing(a, it); want != 0 {
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
		}
		return
	}
	var got struct {
		Items []struct {
			Person struct{ ID string }
			Level  string
		}
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var ids, oracle []string
	for _, sh := range got.Items {
		ids = append(ids, sh.Person.ID)
		if want := map[int]string{1: "view", 3: "edit"}[r.w.driveShares[it.id][sh.Person.ID]]; sh.Level != want {
			r.leak(a, "GET", path, "%s's level %q, oracle %q", sh.Person.ID, sh.Level, want)
		}
	}
	for user := range r.w.driveShares[it.id] {
		if r.w.sees(a.user, r.w.user(user)) {
			oracle = append(oracle, user)
		}
	}
	slices.Sort(ids)
	slices.Sort(oracle)
	if !slices.Equal(ids, oracle) {
		r.leak(a, "GET", path, "shared with %v, oracle %v", ids, oracle)
	}
}

func exerciseShareDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	it, u := r.itemAt(i), r.randomPerson()
	level := []string{"view", "edit"}[r.rng.IntN(2)]
	path := "/api/v1/drive/items/" + it.id + "/shares/" + u.ID
	want := 200
	if s := r.sharing(a, it); s != 0 {
		want = s
	} else if u.Email == "" || u.ID == a.user.ID || !r.w.sees(a.user, r.w.user(u.ID)) || !r.w.user(u.ID).Active {
		want = 422
	}
	before := r.digest()
	res := r.do(a, "PUT", path, map[string]any{"level": level})
	if r.anonymousRefused(a, "PUT", path, res) || !r.changed(a, "PUT", path, res, want, before) {
		return
	}
	r.w.share(it.id, u.ID, map[string]int{"view": store.LevelView, "edit": store.LevelEdit}[level])
}

func exerciseUnshareDriveItem(r *run, a actor) {
	it := r.itemAt(r.randomSeenIndex(a, false))
	u := r.randomPerson()
	// Half the time, someone it is shared with.
	for user := range r.w.driveShares[it.id] {
		if r.rng.IntN(2) == 0 {
			u = r.w.user(user)
		}
		break
	}
	path := "/api/v1/drive/items/" + it.id + "/shares/" + u.ID
	want := 204
	if s := r.sharing(a, it); s != 0 {
		want = s
	} else if r.w.driveShares[it.id][u.ID] == 0 {
		want = 404
	}
	before := r.digest()
	res := r.do(a, "DELETE", path, nil)
	if r.anonymousRefused(a, "DELETE", path, res) || !r.changed(a, "DELETE", path, res, want, before) {
		return
	}
	r.w.share(it.id, u.ID, 0)
}

func exerciseListSharedWithMe(r *run, a actor) {
	path := "/api/v1/drive/shared?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	var got struct {
		Items []struct {
			driveItemJSON
			Owner *struct{ ID string }
			Level string
		}
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var ids, oracle []string
	for _, it := range got.Items {
		ids = append(ids, it.ID)
		o := r.w.driveItem(it.ID)
		if it.Owner == nil || it.Owner.ID != o.owner || !r.w.sees(a.user, r.w.user(it.Owner.ID)) {
			r.leak(a, "GET", path, "%s names its owner %+v, oracle %s", it.ID, it.Owner, o.owner)
		}
		if want := map[int]string{1: "view", 3: "edit"}[r.w.driveShares[it.ID][a.user.ID]]; it.Level != want {
			r.leak(a, "GET", path, "%s shared at %q, oracle %q", it.ID, it.Level, want)
		}
	}
	for _, it := range r.w.drive {
		if it.live() && it.owner != a.user.ID && r.w.driveShares[it.id][a.user.ID] > 0 && r.w.seesDriveItem(a.user, it) {
			oracle = append(oracle, it.id)
		}
	}
	slices.Sort(ids)
	slices.Sort(oracle)
	if !slices.Equal(ids, oracle) {
		r.leak(a, "GET", path, "shared with me: %v, oracle %v", ids, oracle)
	}
}
