package isolation_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"annex/app/apptest"
	"annex/store"
)

// The oracle of renaming, moving, copying, the trash and versions (docs/drive.md).

// randomDriveIndex is the index of any item the world holds (live or in the trash), or -1
// for an id that names nothing.
func (r *run) randomDriveIndex() int {
	if n := r.rng.IntN(len(r.w.drive) + 1); n < len(r.w.drive) {
		return n
	}
	return -1
}

// randomSeenIndex is, most of the time, the index of an item the actor sees that is live (or,
// when trashed, one of the trash that can be restored); otherwise randomDriveIndex.
func (r *run) randomSeenIndex(a actor, trashed bool) int {
	var seen, holding []int
	for i, it := range r.w.drive {
		if r.w.seesDriveItem(a.user, it) && (trashed && it.trashRoot == it.id || !trashed && it.live()) {
			seen = append(seen, i)
			// What happens to what a folder holds is where mistakes hide: such folders
			// are chosen more often.
			if len(r.w.under(it.id)) > 0 {
				holding = append(holding, i)
			}
		}
	}
	switch n := r.rng.IntN(4); {
	case n == 0 && len(holding) > 0:
		return holding[r.rng.IntN(len(holding))]
	case n < 3 && len(seen) > 0:
		return seen[r.rng.IntN(len(seen))]
	}
	return r.randomDriveIndex()
}

// randomPlace is, half the time, a drive and folder the actor may add to; otherwise any
// drive and any folder.
func (r *run) randomPlace(a actor) (drive, parent string) {
	if r.rng.IntN(2) == 0 {
		drives := []string{"me"}
		for _, g := range r.w.groups {
			if r.driveState(a, g.ID, true) == 0 {
				drives = append(drives, g.ID)
			}
		}
		drive = drives[r.rng.IntN(len(drives))]
		folders := []string{""}
		for _, it := range r.w.drive {
			if it.kind == store.DriveFolder && r.folderOK(a, drive, it.id) {
				folders = append(folders, it.id)
			}
		}
		return drive, folders[r.rng.IntN(len(folders))]
	}
	return r.randomDrive(), r.randomDriveParent()
}

// itemAt is the item at index i, or one that does not exist.
func (r *run) itemAt(i int) driveItem {
	if i < 0 {
		return driveItem{id: store.NewID()}
	}
	return r.w.drive[i]
}

// randomDriveName is a new name, one an item has (in other capitals), or one refused.
func (r *run) randomDriveName() string {
	switch r.rng.IntN(4) {
	case 0:
		return "../x"
	case 1:
		if len(r.w.drive) > 0 {
			return strings.ToUpper(r.w.drive[r.rng.IntN(len(r.w.drive))].name)
		}
	}
	return fmt.Sprintf("Renamed %d", r.requests)
}

// changing is the oracle's answer to changing a live item, 0 when the actor may: an item
// hidden or in the trash is missing; an archived group's drive cannot change; the item's
// folder must give the actor at least level need.
func (r *run) changing(a actor, it driveItem, need int) int {
	if it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it) {
		return 404
	}
	if s := r.driveState(a, driveOf(a, it), true); s != 0 {
		return s
	}
	if r.w.level(a.user, driveOf(a, it), it.parent) < need {
		return 403
	}
	return 0
}

// restoredTo is the folder an item of the trash goes back to: its own, or the root when
// that folder is in the trash too.
func (w *world) restoredTo(it driveItem) string {
	if it.parent != "" && !w.driveItem(it.parent).live() {
		return ""
	}
	return it.parent
}

// changingTrashed is changing for an item of the trash that can be restored, the level
// needed where it would go back to.
func (r *run) changingTrashed(a actor, it driveItem, need int) int {
	if it.kind == "" || it.trashRoot != it.id || !r.w.seesDriveItem(a.user, it) {
		return 404
	}
	if s := r.driveState(a, driveOf(a, it), true); s != 0 {
		return s
	}
	if r.w.level(a.user, driveOf(a, it), r.w.restoredTo(it)) < need {
		return 403
	}
	return 0
}

// within: item id is folder, or somewhere under it.
func (w *world) within(folder, id string) bool {
	for id != "" {
		if id == folder {
			return true
		}
		id = w.driveItem(id).parent
	}
	return false
}

// under lists the indexes of the items somewhere under folder, in any state.
func (w *world) under(folder string) []int {
	var out []int
	for i, it := range w.drive {
		if it.id != folder && w.within(folder, it.id) {
			out = append(out, i)
		}
	}
	return out
}

// place puts item i of the world in drive, in a folder of it (parent, or under it).
func (w *world) place(a actor, i int, drive, parent string) {
	w.drive[i].owner, w.drive[i].group = w.home(a, drive, parent)
}

// changed checks the answer to a change against the oracle's status; a refused change
// must change nothing. It says whether the change was made.
func (r *run) changed(a actor, method, path string, res apptest.Response, want int, before int64) bool {
	if res.Status != want {
		r.leak(a, method, path, "status %d, oracle %d: %s", res.Status, want, res.Body)
		return false
	}
	if want >= 300 && r.digest() != before {
		r.leak(a, method, path, "a refused request changed the database")
	}
	return want < 300
}

func exerciseRenameDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	it, name := r.itemAt(i), r.randomDriveName()
	path := "/api/v1/drive/items/" + it.id
	want := 200
	if _, why := store.CleanDriveName(name); why != "" {
		want = 422
	} else if s := r.changing(a, it, 3); s != 0 {
		want = s
	} else if j := r.w.named(a, driveOf(a, it), it.parent, name); j >= 0 && j != i {
		want = 422
	}
	before := r.digest()
	res := r.do(a, "PATCH", path, map[string]any{"name": name})
	if r.anonymousRefused(a, "PATCH", path, res) || !r.changed(a, "PATCH", path, res, want, before) {
		return
	}
	r.w.drive[i].name = name
	var got driveItemJSON
	_ = json.Unmarshal(res.Body, &got)
	r.checkDriveItem(a, "PATCH", path, got, r.w.drive[i])
}

func exerciseMoveDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	drive, parent := r.randomPlace(a)
	it := r.itemAt(i)
	path := "/api/v1/drive/items/" + it.id + "/move"
	want := 200
	if s := r.changing(a, it, 3); s != 0 {
		want = s
	} else if s := r.driveState(a, drive, true); s != 0 {
		want = s
	} else if !r.folderOK(a, drive, parent) {
		want = 422
	} else if r.w.level(a.user, drive, parent) < 2 {
		want = 403
	} else if parent != "" && r.w.within(it.id, parent) {
		want = 422
	} else if j := r.w.named(a, drive, parent, it.name); j >= 0 && j != i {
		want = 422
	}
	before := r.digest()
	res := r.do(a, "POST", path, map[string]any{"drive": drive, "parentId": parent})
	if r.anonymousRefused(a, "POST", path, res) || !r.changed(a, "POST", path, res, want, before) {
		return
	}
	// Rights belong to their drive, shares to their owner's: what is taken to another
	// drive leaves its own behind.
	owner, group := r.w.home(a, drive, parent)
	elsewhere := owner != it.owner || group != it.group
	for _, j := range append(r.w.under(it.id), i) {
		if elsewhere {
			delete(r.w.rights, r.w.drive[j].group+"/"+r.w.drive[j].id)
			delete(r.w.driveShares, r.w.drive[j].id)
		}
		r.w.place(a, j, drive, parent)
	}
	r.w.drive[i].parent = parent
	var got driveItemJSON
	_ = json.Unmarshal(res.Body, &got)
	r.checkDriveItem(a, "POST", path, got, r.w.drive[i])
}

func exerciseCopyDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	drive, parent := r.randomPlace(a)
	it := r.itemAt(i)
	name := ""
	if r.rng.IntN(2) == 0 {
		name = r.randomDriveName()
	}
	path := "/api/v1/drive/items/" + it.id + "/copy"
	as := name
	if as == "" {
		as = it.name
	}
	want := 201
	if _, why := store.CleanDriveName(name); name != "" && why != "" {
		want = 422
	} else if it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it) {
		want = 404
	} else if s := r.driveState(a, drive, true); s != 0 {
		want = s
	} else if !r.folderOK(a, drive, parent) {
		want = 422
	} else if r.w.level(a.user, drive, parent) < 2 {
		want = 403
	} else if parent != "" && r.w.within(it.id, parent) || r.w.named(a, drive, parent, as) >= 0 {
		want = 422
	}
	before := r.digest()
	res := r.do(a, "POST", path, map[string]any{"drive": drive, "parentId": parent, "name": name})
	if r.anonymousRefused(a, "POST", path, res) || !r.changed(a, "POST", path, res, want, before) {
		return
	}
	var got driveItemJSON
	_ = json.Unmarshal(res.Body, &got)
	root := it
	root.id, root.parent, root.name, root.known, root.versions, root.creator = got.ID, parent, as, nil, min(it.versions, 1), a.user.ID
	r.w.drive = append(r.w.drive, root)
	r.w.place(a, len(r.w.drive)-1, drive, parent)
	r.checkDriveItem(a, "POST", path, got, r.w.drive[len(r.w.drive)-1])
	r.copied(a, path, it.id, got.ID, drive)
}

// copied learns the copies of what is live under folder src, made under folder dst, from
// the database (their ids are new), checking that they are what was copied.
func (r *run) copied(a actor, path, src, dst, drive string) {
	rows, err := r.db.Query(`SELECT id, kind, name FROM drive_items WHERE parent_id = ?`, dst)
	if err != nil {
		r.t.Fatal(err)
	}
	copies := map[string][2]string{} // name → id, kind
	for rows.Next() {
		var id, kind, name string
		if err := rows.Scan(&id, &kind, &name); err != nil {
			r.t.Fatal(err)
		}
		copies[name] = [2]string{id, kind}
	}
	rows.Close()
	var sources []driveItem
	for _, it := range r.w.drive {
		// What the actor does not see is not copied.
		if it.parent == src && it.live() && r.w.seesDriveItem(a.user, it) {
			sources = append(sources, it)
		}
	}
	if len(copies) != len(sources) {
		r.leak(a, "POST", path, "the copy of %s holds %v, the oracle %d items", src, copies, len(sources))
		return
	}
	for _, it := range sources {
		c, ok := copies[it.name]
		if !ok || c[1] != it.kind {
			r.leak(a, "POST", path, "the copy of %s holds %v, not %q", src, copies, it.name)
			return
		}
		from := it.id
		it.id, it.parent, it.known, it.versions, it.creator = c[0], dst, nil, min(it.versions, 1), a.user.ID
		r.w.drive = append(r.w.drive, it)
		r.w.place(a, len(r.w.drive)-1, drive, dst)
		if it.kind == store.DriveFolder {
			r.copied(a, path, from, c[0], drive)
		}
	}
}

func exerciseTrashDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	it := r.itemAt(i)
	path := "/api/v1/drive/items/" + it.id
	want := 204
	if s := r.changing(a, it, 3); s != 0 {
		want = s
	}
	before := r.digest()
	res := r.do(a, "DELETE", path, nil)
	if r.anonymousRefused(a, "DELETE", path, res) || !r.changed(a, "DELETE", path, res, want, before) {
		return
	}
	for _, j := range append(r.w.under(it.id), i) {
		if r.w.drive[j].live() {
			r.w.drive[j].trashRoot = it.id
		}
	}
}

func exerciseListDriveTrash(r *run, a actor) {
	drive := r.randomDrive()
	path := "/api/v1/drives/" + drive + "/trash?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if want := r.driveState(a, drive, false); want != 0 {
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
		}
		return
	}
	var p struct {
		Items []driveItemJSON
		Total int
	}
	if res.Status != 200 || json.Unmarshal(res.Body, &p) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var oracle, got []string
	for _, it := range r.w.drive {
		// "shared" has no trash: each owner keeps theirs.
		if it.trashRoot == it.id && drive != "shared" && inDrive(a, it, drive) && r.w.seesDriveItem(a.user, it) {
			oracle = append(oracle, it.id)
		}
	}
	for _, it := range p.Items {
		got = append(got, it.ID)
		if o := r.w.driveItem(it.ID); slices.Contains(oracle, it.ID) {
			r.checkDriveItem(a, "GET", path, it, o)
		}
	}
	slices.Sort(got)
	slices.Sort(oracle)
	if p.Total != len(oracle) || !slices.Equal(got, oracle) {
		r.leak(a, "GET", path, "the trash holds %v (total %d), oracle %v", got, p.Total, oracle)
	}
}

func exerciseRestoreDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, true)
	it := r.itemAt(i)
	path := "/api/v1/drive/trash/" + it.id + "/restore"
	to := r.w.restoredTo(it)
	want := 200
	if s := r.changingTrashed(a, it, 3); s != 0 {
		want = s
	} else if r.w.named(a, driveOf(a, it), to, it.name) >= 0 {
		want = 409
	}
	before := r.digest()
	res := r.do(a, "POST", path, nil)
	if r.anonymousRefused(a, "POST", path, res) || !r.changed(a, "POST", path, res, want, before) {
		return
	}
	for j := range r.w.drive {
		if r.w.drive[j].trashRoot == it.id {
			r.w.drive[j].trashRoot = ""
		}
	}
	r.w.drive[i].parent = to
	var got driveItemJSON
	_ = json.Unmarshal(res.Body, &got)
	r.checkDriveItem(a, "POST", path, got, r.w.drive[i])
}

func exercisePurgeDriveItem(r *run, a actor) {
	i := r.randomSeenIndex(a, true)
	it := r.itemAt(i)
	path := "/api/v1/drive/trash/" + it.id
	want := 204
	if s := r.changingTrashed(a, it, 4); s != 0 {
		want = s
	}
	before := r.digest()
	res := r.do(a, "DELETE", path, nil)
	if r.anonymousRefused(a, "DELETE", path, res) || !r.changed(a, "DELETE", path, res, want, before) {
		return
	}
	gone := map[string]bool{}
	for _, j := range append(r.w.under(it.id), i) {
		gone[r.w.drive[j].id] = true
	}
	r.w.drive = slices.DeleteFunc(r.w.drive, func(x driveItem) bool { return gone[x.id] })
}

func exerciseRestoreDriveVersion(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	it := r.itemAt(i)
	// One of its versions, another file's, or none.
	version := store.NewID()
	if j := r.randomDriveIndex(); r.rng.IntN(3) > 0 && j >= 0 && len(r.w.drive[j].known) > 0 {
		if r.rng.IntN(2) == 0 && len(it.known) > 0 {
			j = i
		}
		ids := slices.Sorted(maps.Keys(r.w.drive[j].known))
		version = ids[r.rng.IntN(len(ids))]
	}
	path := "/api/v1/drive/items/" + url.PathEscape(it.id) + "/versions/" + version + "/restore"
	// Upload rights bring back versions of one's own files only.
	need := 3
	if it.creator == a.user.ID {
		need = 2
	}
	want := 200
	if it.kind != store.DriveFile {
		want = 404
	} else if s := r.changing(a, it, need); s != 0 {
		want = s
	} else if _, ok := it.known[version]; !ok {
		want = 404
	}
	before := r.digest()
	res := r.do(a, "POST", path, nil)
	if r.anonymousRefused(a, "POST", path, res) || !r.changed(a, "POST", path, res, want, before) {
		return
	}
	r.w.drive[i].versions++
	r.w.drive[i].content = it.known[version]
	var got driveItemJSON
	_ = json.Unmarshal(res.Body, &got)
	r.checkDriveItem(a, "POST", path, got, r.w.drive[i])
}

type rightsJSON struct {
	Own                                     bool
	Owner, Moderators, Employees, Externals string
	CanChange                               bool
}

// rightsState is the oracle's answer to reading (or changing) a folder's rights, 0 when
// the actor may: only groups' drives have them; the group's drive must open to the actor;
// the folder must be one of its folders the actor sees.
func (r *run) rightsState(a actor, drive, folder string, write bool) int {
	if drive == "me" || drive == "shared" {
		return 404
	}
	if s := r.driveState(a, drive, write); s != 0 {
		return s
	}
	if folder != "" && !r.folderOK(a, drive, folder) {
		return 404
	}
	return 0
}

func exerciseGetDriveRights(r *run, a actor) {
	drive, folder := r.randomPlace(a)
	path := "/api/v1/drives/" + drive + "/rights?folder=" + url.QueryEscape(folder)
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if want := r.rightsState(a, drive, folder, false); want != 0 {
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
		}
		return
	}
	var got rightsJSON
	if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	rights, own := r.w.rightsAt(drive, folder)
	want := rightsJSON{Own: own, Owner: levelNames[rights.Owner], Moderators: levelNames[rights.Moderators],
		Employees: levelNames[rights.Employees], Externals: levelNames[rights.Externals],
		CanChange: r.w.level(a.user, drive, folder) == 4 && !r.w.group(drive).Archived}
	if got != want {
		r.leak(a, "GET", path, "rights %+v, oracle %+v", got, want)
	}
}

// exerciseSetDriveRights: random rights (or inherited again, or half given) on a folder or
// a root, by anyone: only full rights there change them.
func exerciseSetDriveRights(r *run, a actor) {
	drive, folder := r.randomPlace(a)
	path := "/api/v1/drives/" + drive + "/rights?folder=" + url.QueryEscape(folder)
	rights := randomRights(r.rng)
	body := map[string]any{"owner": levelNames[rights.Owner], "moderators": levelNames[rights.Moderators],
		"employees": levelNames[rights.Employees], "externals": levelNames[rights.Externals]}
	want := 200
	switch r.rng.IntN(4) {
	case 0:
		body = map[string]any{"inherit": true}
	case 1:
		delete(body, "employees")
		want = 422
	}
	if want == 200 {
		if s := r.rightsState(a, drive, folder, true); s != 0 {
			want = s
		} else if r.w.level(a.user, drive, folder) < 4 {
			want = 403
		}
	}
	before := r.digest()
	res := r.do(a, "PUT", path, body)
	if r.anonymousRefused(a, "PUT", path, res) || !r.changed(a, "PUT", path, res, want, before) {
		return
	}
	if body["inherit"] == true {
		delete(r.w.rights, drive+"/"+folder)
	} else {
		if r.w.rights == nil {
			r.w.rights = map[string]store.DriveRights{}
		}
		r.w.rights[drive+"/"+folder] = rights
	}
}
