package isolation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"

	"annex/app/files"
	"annex/store"
)

func init() {
	exercises["listDriveItems"] = exerciseListDriveItems
	exercises["createDriveFolder"] = exerciseCreateDriveFolder
	exercises["getDriveItem"] = exerciseGetDriveItem
	exercises["uploadDriveFile"] = exerciseUploadDriveFile
	exercises["getDriveFileContent"] = exerciseGetDriveFileContent
	exercises["listDriveVersions"] = exerciseListDriveVersions
	exercises["renameDriveItem"] = exerciseRenameDriveItem
	exercises["moveDriveItem"] = exerciseMoveDriveItem
	exercises["copyDriveItem"] = exerciseCopyDriveItem
	exercises["trashDriveItem"] = exerciseTrashDriveItem
	exercises["listDriveTrash"] = exerciseListDriveTrash
	exercises["restoreDriveItem"] = exerciseRestoreDriveItem
	exercises["purgeDriveItem"] = exercisePurgeDriveItem
	exercises["restoreDriveVersion"] = exerciseRestoreDriveVersion
	exercises["searchDrive"] = exerciseSearchDrive
	exercises["getDriveRights"] = exerciseGetDriveRights
	exercises["setDriveRights"] = exerciseSetDriveRights
}

// driveItem is a folder or file as the oracle knows it: in someone's My Drive (owner) or
// a group's drive. A file has versions, content being the current one's; the ids of the
// versions the oracle made itself are in known (version id → content). An item in the
// trash went there with trashRoot, the item whose deletion took it.
type driveItem struct {
	id, owner, group, parent, kind, name string
	creator                              string
	versions                             int
	content                              string
	known                                map[string]string
	trashRoot                            string
}

// live: the item is not in the trash.
func (it driveItem) live() bool { return it.trashRoot == "" }

// buildDrive fills some people's My Drive and some groups' drives with folders, files and
// folders in folders, some with rights of their own.
func buildDrive(ctx context.Context, tx *store.Tx, dir *files.Dir, rng *rand.Rand, w *world) error {
	var drives []store.Drive
	for _, u := range w.users {
		drives = append(drives, store.Drive{OwnerID: u.ID})
	}
	for _, g := range w.groups {
		drives = append(drives, store.Drive{GroupID: g.ID})
	}
	for i := range 3 + rng.IntN(8) {
		d := drives[rng.IntN(len(drives))]
		folder := store.DriveItem{Drive: d, Kind: store.DriveFolder, Name: fmt.Sprintf("Folder %d", i), CreatedBy: w.users[0].ID}
		if err := tx.CreateDriveItem(ctx, &folder); err != nil {
			return err
		}
		w.drive = append(w.drive, driveItem{id: folder.ID, owner: d.OwnerID, group: d.GroupID, kind: folder.Kind, name: folder.Name,
			creator: folder.CreatedBy})
		if d.GroupID != "" && rng.IntN(2) == 0 {
			if err := w.seedRights(ctx, tx, rng, d.GroupID, folder.ID); err != nil {
				return err
			}
		}
		if d.OwnerID != "" && rng.IntN(2) == 0 {
			u := w.users[rng.IntN(len(w.users))]
			level := []int{store.LevelView, store.LevelEdit}[rng.IntN(2)]
			if u.ID != d.OwnerID {
				if err := tx.ShareDriveItem(ctx, folder.ID, u.ID, level, d.OwnerID); err != nil {
					return err
				}
				w.share(folder.ID, u.ID, level)
			}
		}
		if rng.IntN(3) == 0 {
			// A group's link is made by one of its employees, whose rights then say whether
			// it works.
			maker := d.OwnerID
			var makers []string
			for _, m := range w.members {
				if m.group == d.GroupID && w.user(m.user).Kind == store.KindEmployee {
					makers = append(makers, m.user)
				}
			}
			if maker == "" && len(makers) > 0 {
				maker = makers[rng.IntN(len(makers))]
			} else if maker == "" {
				maker = w.users[rng.IntN(len(w.users))].ID
			}
			if err := w.seedLink(ctx, tx, rng, folder.ID, maker); err != nil {
				return err
			}
		}
		// A folder inside, sometimes with rights of its own: what happens to what a person
		// does not see inside what they do is where mistakes hide.
		if rng.IntN(2) == 0 {
			inner := store.DriveItem{Drive: d, ParentID: folder.ID, Kind: store.DriveFolder, Name: "Inner", CreatedBy: w.users[0].ID}
			if err := tx.CreateDriveItem(ctx, &inner); err != nil {
				return err
			}
			w.drive = append(w.drive, driveItem{id: inner.ID, owner: d.OwnerID, group: d.GroupID, parent: folder.ID, kind: inner.Kind,
				name: inner.Name, creator: inner.CreatedBy})
			if d.GroupID != "" && rng.IntN(2) == 0 {
				if err := w.seedRights(ctx, tx, rng, d.GroupID, inner.ID); err != nil {
					return err
				}
			}
		}
		for j := range rng.IntN(3) {
			f := store.DriveItem{Drive: d, ParentID: folder.ID, Kind: store.DriveFile, Name: fmt.Sprintf("File %d.txt", j),
				CreatedBy: w.users[0].ID}
			if err := tx.CreateDriveItem(ctx, &f); err != nil {
				return err
			}
			content := fmt.Sprintf("content of %s", f.ID)
			body, err := dir.Put(strings.NewReader(content))
			if err != nil {
				return err
			}
			v := store.DriveVersion{ItemID: f.ID, Body: body, Size: int64(len(content)),
				SHA256: strings.Repeat("0", 64), ContentType: "text/plain", CreatedBy: w.users[0].ID}
			if err := tx.AddDriveVersion(ctx, &v); err != nil {
				return err
			}
			w.drive = append(w.drive, driveItem{id: f.ID, owner: d.OwnerID, group: d.GroupID, parent: folder.ID, kind: f.Kind,
				name: f.Name, versions: 1, content: content, known: map[string]string{v.ID: content}, creator: f.CreatedBy})
		}
	}
	for _, g := range w.groups {
		if rng.IntN(3) == 0 {
			if err := w.seedRights(ctx, tx, rng, g.ID, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// share records that item is shared with user at level (0: no longer).
func (w *world) share(item, user string, level int) {
	if w.driveShares == nil {
		w.driveShares = map[string]map[string]int{}
	}
	if w.driveShares[item] == nil {
		w.driveShares[item] = map[string]int{}
	}
	if level == 0 {
		delete(w.driveShares[item], user)
		return
	}
	w.driveShares[item][user] = level
}

// seedRights gives a folder of a group's drive (or its root) random rights of its own.
func (w *world) seedRights(ctx context.Context, tx *store.Tx, rng *rand.Rand, group, folder string) error {
	r := randomRights(rng)
	if w.rights == nil {
		w.rights = map[string]store.DriveRights{}
	}
	w.rights[group+"/"+folder] = r
	return tx.SetDriveRights(ctx, group, folder, &r)
}

func randomRights(rng *rand.Rand) store.DriveRights {
	return store.DriveRights{Owner: rng.IntN(5), Moderators: rng.IntN(5), Employees: rng.IntN(5), Externals: rng.IntN(5)}
}

// rightsAt are the rights of a folder of a group's drive ("" for its root): its own, or
// the nearest folder's above it with rights of its own, or the root's, or the defaults.
func (w *world) rightsAt(group, folder string) (store.DriveRights, bool) {
	for f := folder; f != ""; f = w.driveItem(f).parent {
		if r, ok := w.rights[group+"/"+f]; ok {
			return r, f == folder
		}
	}
	if r, ok := w.rights[group+"/"]; ok {
		return r, folder == ""
	}
	return store.DriveRights{Owner: 4, Moderators: 4, Employees: 3, Externals: 2}, false
}

// level is what viewer may do in a folder of a drive ("me" is the viewer's own, "shared"
// others' My Drives; "" the root): everything in one's My Drive and, for administrators,
// in groups' drives; in others' My Drives, what their shares give; in a group's drive, what
// its rights give the viewer's role; nothing without a membership.
func (w *world) level(viewer store.User, drive, folder string) int {
	switch {
	case drive == "me":
		return 4
	case drive == "shared":
		if folder == "" {
			return 0
		}
		return w.shareLevel(viewer, folder)
	case viewer.Admin:
		return 4
	}
	m := w.membership(drive, viewer.ID)
	if m == nil || m.state != store.MemberActive {
		return 0
	}
	r, _ := w.rightsAt(drive, folder)
	switch {
	case m.role == store.RoleOwner:
		return r.Owner
	case m.role == store.RoleModerator:
		return r.Moderators
	case viewer.Kind == store.KindExternal:
		return r.Externals
	}
	return r.Employees
}

var levelNames = []string{"none", "view", "upload", "edit", "full"}

// shareLevel is what shares let viewer do with item id of someone else's My Drive (shared
// itself, or a folder it is in), while the viewer sees its owner, active.
func (w *world) shareLevel(viewer store.User, id string) int {
	it := w.driveItem(id)
	if it.owner == "" || it.owner == viewer.ID {
		return 0
	}
	if owner := w.user(it.owner); !owner.Active || !w.sees(viewer, owner) {
		return 0
	}
	best := 0
	for f := id; f != ""; f = w.driveItem(f).parent {
		best = max(best, w.driveShares[f][viewer.ID])
	}
	return best
}

// itemLevel is the viewer's level on an item: a folder's own, a file's folder's.
func (w *world) itemLevel(viewer store.User, it driveItem) int {
	if it.owner != "" {
		return 4
	}
	if it.kind == store.DriveFolder {
		return w.level(viewer, it.group, it.id)
	}
	return w.level(viewer, it.group, it.parent)
}

// seesDriveItem (docs/drive.md): a My Drive item by its owner, and by those it (or a folder
// it is in) is shared with while they see the owner, active; a group's drive item,
// while its Drive tool is on, by administrators and by the group's active members whose
// role its rights give at least "view".
func (w *world) seesDriveItem(viewer store.User, it driveItem) bool {
	if it.owner != "" {
		return it.owner == viewer.ID || w.shareLevel(viewer, it.id) >= 1
	}
	g := w.group(it.group)
	if !slices.Contains(g.Tools, "drive") {
		return false
	}
	return w.itemLevel(viewer, it) >= 1
}

func (w *world) driveItem(id string) driveItem {
	for _, it := range w.drive {
		if it.id == id {
			return it
		}
	}
	return driveItem{}
}

// inDrive: the item is in drive ("me", "shared" or a group's id) as a names it.
func inDrive(a actor, it driveItem, drive string) bool {
	return driveOf(a, it) == drive
}

// driveOf names the drive of an item as the actor does: "me" for theirs, "shared" for
// someone else's My Drive, or the group's id.
func driveOf(a actor, it driveItem) string {
	switch it.owner {
	case "":
		return it.group
	case a.user.ID:
		return "me"
	}
	return "shared"
}

// home is the owner or group of what is added to a folder (parent) of drive: in "shared",
// the folder's owner's.
func (w *world) home(a actor, drive, parent string) (owner, group string) {
	switch drive {
	case "me":
		return a.user.ID, ""
	case "shared":
		return w.driveItem(parent).owner, ""
	}
	return "", drive
}

// randomDrive is a group's drive (maybe one the actor cannot see), "me", "shared", or none
// that exists.
func (r *run) randomDrive() string {
	switch n := r.rng.IntN(len(r.w.groups) + 3); {
	case n < len(r.w.groups):
		return r.w.groups[n].ID
	case n == len(r.w.groups):
		return "me"
	case n == len(r.w.groups)+1:
		return "shared"
	}
	return store.NewID()
}

// randomDriveParent is "" (the root), any item's id (of any drive, a file or a folder),
// or an id that names nothing.
func (r *run) randomDriveParent() string {
	switch n := r.rng.IntN(len(r.w.drive) + 3); {
	case n < len(r.w.drive):
		return r.w.drive[n].id
	case n == len(r.w.drive):
		return store.NewID()
	}
	return ""
}

// driveState is the oracle's answer to opening a drive, 0 when the actor may: a group the
// actor cannot see is missing; its drive is for its active members (and administrators),
// while its Drive tool is on; a write also needs it not archived.
func (r *run) driveState(a actor, drive string, write bool) int {
	if drive == "me" || drive == "shared" {
		return 0
	}
	g := r.w.group(drive)
	m := r.w.membership(drive, a.user.ID)
	switch {
	case g.ID == "" || !r.w.seesGroup(a.user, g):
		return 404
	case !a.user.Admin && (m == nil || m.state != store.MemberActive):
		return 403
	case !slices.Contains(g.Tools, "drive"):
		return 409
	case write && g.Archived:
		return 409
	}
	return 0
}

// folderOK: parent is "" or a folder of the drive the actor sees.
func (r *run) folderOK(a actor, drive, parent string) bool {
	if parent == "" {
		return true
	}
	it := r.w.driveItem(parent)
	return it.id != "" && it.live() && it.kind == store.DriveFolder && inDrive(a, it, drive) && r.w.seesDriveItem(a.user, it)
}

// adding is the oracle's answer to adding an item named name to a folder, before what
// the folder already holds: 201 when the actor may; and same, the item already live
// under that name (in any capitals) there, or -1.
func (r *run) adding(a actor, drive, parent, name string) (want, same int) {
	if _, why := store.CleanDriveName(name); why != "" {
		return 422, -1
	}
	if state := r.driveState(a, drive, true); state != 0 {
		return state, -1
	}
	if !r.folderOK(a, drive, parent) {
		return 422, -1
	}
	if r.w.level(a.user, drive, parent) < 2 {
		return 403, -1
	}
	return 201, r.w.named(a, drive, parent, name)
}

// named is the index of the live item named name (in any capitals) in a folder, or -1.
func (w *world) named(a actor, drive, parent, name string) int {
	for i, it := range w.drive {
		if it.live() && it.parent == parent && inDrive(a, it, drive) && strings.EqualFold(it.name, name) {
			return i
		}
	}
	return -1
}

type driveItemJSON struct {
	ID, Drive, ParentID, Kind, Name string
}

func (r *run) checkDriveItem(a actor, method, path string, got driveItemJSON, it driveItem) {
	if got.ID != it.id || got.Drive != driveOf(a, it) || got.ParentID != it.parent || got.Kind != it.kind || got.Name != it.name {
		r.leak(a, method, path, "item %+v, oracle %+v", got, it)
	}
}

func exerciseListDriveItems(r *run, a actor) {
	drive, parent := r.randomDrive(), r.randomDriveParent()
	perPage := []int{1, 2, 100}[r.rng.IntN(3)]
	sort := []string{"name", "-updated", "size"}[r.rng.IntN(3)]
	var got []string
	for page := 1; ; page++ {
		path := fmt.Sprintf("/api/v1/drives/%s/items?parent=%s&page=%d&perPage=%d&sort=%s", drive, url.QueryEscape(parent), page, perPage, sort)
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		want := r.driveState(a, drive, false)
		if want == 0 && !r.folderOK(a, drive, parent) {
			want = 404
		}
		if want != 0 {
			if res.Status != want {
				r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
			}
			return
		}
		var p struct {
			Items []driveItemJSON
			Total int
			Level string
		}
		if res.Status != 200 || json.Unmarshal(res.Body, &p) != nil {
			r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
			return
		}
		if want := levelNames[r.w.level(a.user, drive, parent)]; p.Level != want {
			r.leak(a, "GET", path, "level %q, oracle %q", p.Level, want)
		}
		var oracle []string
		for _, it := range r.w.drive {
			if it.live() && inDrive(a, it, drive) && r.w.seesDriveItem(a.user, it) &&
				(drive == "shared" && parent == "" && r.w.driveShares[it.id][a.user.ID] > 0 || it.parent == parent && (drive != "shared" || parent != "")) {
				oracle = append(oracle, it.id)
			}
		}
		if p.Total != len(oracle) {
			r.leak(a, "GET", path, "total %d, oracle %d", p.Total, len(oracle))
		}
		for _, it := range p.Items {
			o := r.w.driveItem(it.ID)
			if !slices.Contains(oracle, it.ID) {
				r.leak(a, "GET", path, "lists %s (%+v), which the oracle hides", it.ID, o)
				continue
			}
			r.checkDriveItem(a, "GET", path, it, o)
			got = append(got, it.ID)
		}
		if len(p.Items) < perPage || page*perPage >= len(oracle) {
			slices.Sort(got)
			slices.Sort(oracle)
			if !slices.Equal(got, oracle) {
				r.leak(a, "GET", path, "pages hold %v, oracle %v", got, oracle)
			}
			return
		}
	}
}

// exerciseCreateDriveFolder: a folder in a random drive and folder, named anew, named like
// an item already there (in other capitals), or with a name that is refused.
func exerciseCreateDriveFolder(r *run, a actor) {
	drive, parent := r.randomDrive(), r.randomDriveParent()
	path := "/api/v1/drives/" + drive + "/folders"
	name := fmt.Sprintf("New folder %d", len(r.w.drive))
	switch r.rng.IntN(4) {
	case 0:
		name = "../" + name
	case 1:
		if len(r.w.drive) > 0 {
			name = strings.ToUpper(r.w.drive[r.rng.IntN(len(r.w.drive))].name)
		}
	}
	want, same := r.adding(a, drive, parent, name)
	if same >= 0 {
		want = 422
	}
	before := r.digest()
	res := r.do(a, "POST", path, map[string]any{"parentId": parent, "name": name})
	if r.anonymousRefused(a, "POST", path, res) {
		return
	}
	if res.Status != want {
		r.leak(a, "POST", path, "status %d, oracle %d (parent %q, name %q): %s", res.Status, want, parent, name, res.Body)
		return
	}
	if want != 201 {
		if r.digest() != before {
			r.leak(a, "POST", path, "a refused request changed the database")
		}
		return
	}
	var got driveItemJSON
	if json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "POST", path, "answer %s", res.Body)
		return
	}
	it := driveItem{id: got.ID, parent: parent, kind: store.DriveFolder, name: name, creator: a.user.ID}
	it.owner, it.group = r.w.home(a, drive, parent)
	r.checkDriveItem(a, "POST", path, got, it)
	r.w.drive = append(r.w.drive, it)
}

func exerciseGetDriveItem(r *run, a actor) {
	for _, it := range append(slices.Clone(r.w.drive), driveItem{id: store.NewID()}) {
		path := "/api/v1/drive/items/" + it.id
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		if it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it) {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden item, want 404", res.Status)
			}
			continue
		}
		var got driveItemJSON
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
			r.leak(a, "GET", path, "status %d for a visible item: %s", res.Status, res.Body)
			continue
		}
		r.checkDriveItem(a, "GET", path, got, it)
	}
}

// exerciseUploadDriveFile: a file into a random drive and folder, named anew, named like
// an item already there (a file: a new version of it; a folder: refused), or refused.
func exerciseUploadDriveFile(r *run, a actor) {
	drive, parent := r.randomDrive(), r.randomDriveParent()
	name := fmt.Sprintf("Upload %d.txt", len(r.w.drive))
	switch r.rng.IntN(4) {
	case 0:
		name = "a/b"
	case 1, 2:
		if len(r.w.drive) > 0 {
			name = strings.ToUpper(r.w.drive[r.rng.IntN(len(r.w.drive))].name)
		}
	}
	content := fmt.Sprintf("uploaded by %s as %q", a.user.Email, name)
	want, same := r.adding(a, drive, parent, name)
	switch {
	case same >= 0 && r.w.drive[same].kind != store.DriveFile:
		want = 422
	case same >= 0 && r.w.drive[same].creator != a.user.ID && r.w.level(a.user, drive, parent) < 3:
		want = 403 // upload rights add versions to one's own files only
	}
	path := "/api/v1/drives/" + drive + "/files?parent=" + url.QueryEscape(parent) + "&name=" + url.QueryEscape(name)
	before := r.digest()
	res := r.do(a, "PUT", path, content)
	if r.anonymousRefused(a, "PUT", path, res) {
		return
	}
	if res.Status != want {
		r.leak(a, "PUT", path, "status %d, oracle %d: %s", res.Status, want, res.Body)
		return
	}
	if want != 201 {
		if r.digest() != before {
			r.leak(a, "PUT", path, "a refused request changed the database")
		}
		return
	}
	var got driveItemJSON
	if json.Unmarshal(res.Body, &got) != nil {
		r.leak(a, "PUT", path, "answer %s", res.Body)
		return
	}
	if same >= 0 {
		r.w.drive[same].versions++
		r.w.drive[same].content = content
		r.checkDriveItem(a, "PUT", path, got, r.w.drive[same])
		return
	}
	it := driveItem{id: got.ID, parent: parent, kind: store.DriveFile, name: name, versions: 1, content: content, creator: a.user.ID}
	it.owner, it.group = r.w.home(a, drive, parent)
	r.checkDriveItem(a, "PUT", path, got, it)
	r.w.drive = append(r.w.drive, it)
}

func exerciseGetDriveFileContent(r *run, a actor) {
	for _, it := range append(slices.Clone(r.w.drive), driveItem{id: store.NewID()}) {
		path := "/api/v1/drive/items/" + it.id + "/content"
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		if it.kind != store.DriveFile || !it.live() || !r.w.seesDriveItem(a.user, it) {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden item or a folder, want 404", res.Status)
			}
			continue
		}
		if res.Status != 200 || string(res.Body) != it.content {
			r.leak(a, "GET", path, "status %d, %q for a visible file holding %q", res.Status, res.Body, it.content)
		}
	}
}

func exerciseListDriveVersions(r *run, a actor) {
	for _, it := range append(slices.Clone(r.w.drive), driveItem{id: store.NewID()}) {
		path := "/api/v1/drive/items/" + it.id + "/versions"
		res := r.do(a, "GET", path, nil)
		if r.anonymousRefused(a, "GET", path, res) {
			return
		}
		if it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it) {
			if res.Status != 404 {
				r.leak(a, "GET", path, "status %d for a hidden item, want 404", res.Status)
			}
			continue
		}
		var got struct{ Items []struct{ ID string } }
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil || len(got.Items) != it.versions {
			r.leak(a, "GET", path, "status %d, %s for an item of %d versions", res.Status, res.Body, it.versions)
		}
	}
}

// exerciseSearchDrive: a part of a name some item has (or none has) finds, in every drive
// at once, exactly the live items the actor sees whose name holds it.
func exerciseSearchDrive(r *run, a actor) {
	q := "zzz"
	if len(r.w.drive) > 0 {
		name := r.w.drive[r.rng.IntN(len(r.w.drive))].name
		q = strings.ToUpper(name[:1+r.rng.IntN(len(name))])
	}
	path := "/api/v1/drive/search?perPage=100&q=" + url.QueryEscape(q)
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
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
		if it.live() && r.w.seesDriveItem(a.user, it) && strings.Contains(strings.ToLower(it.name), strings.ToLower(strings.TrimSpace(q))) {
			oracle = append(oracle, it.id)
		}
	}
	for _, it := range p.Items {
		got = append(got, it.ID)
		if slices.Contains(oracle, it.ID) {
			r.checkDriveItem(a, "GET", path, it, r.w.driveItem(it.ID))
		}
	}
	slices.Sort(got)
	slices.Sort(oracle)
	if len(oracle) <= 100 && (p.Total != len(oracle) || !slices.Equal(got, oracle)) {
		r.leak(a, "GET", path, "found %v (total %d), oracle %v", got, p.Total, oracle)
	}
}
