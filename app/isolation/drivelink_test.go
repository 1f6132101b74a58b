package isolation_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"annex/app/apptest"
	"annex/app/auth"
	"annex/store"
)

// The oracle of public links (docs/drive.md, "Public links"). The world's policy is the
// default: employees make links.

func init() {
	exercises["listDriveLinks"] = exerciseListDriveLinks
	exercises["createDriveLink"] = exerciseCreateDriveLink
	exercises["revokeDriveLink"] = exerciseRevokeDriveLink
	exercises["openDriveLink"] = exerciseVisitLink
	exercises["listDriveLinkItems"] = exerciseVisitLink
	exercises["getDriveLinkContent"] = exerciseVisitLink
	exercises["getDriveLinkZip"] = exerciseVisitLink
	exercises["getDriveFolderZip"] = exerciseGetDriveFolderZip
	exercises["getDrivePreview"] = exerciseGetDrivePreview
}

// driveLink is a public link as the oracle knows it: its token, maker, password (none:
// ""), and how many wrong passwords it was given (ten block it; the test clock stands
// still, so it stays blocked).
type driveLink struct {
	id, token, item, maker, password string
	revoked                          bool
	wrong                            int
}

const linkPassword = "open sesame"

// linkHasher hashes the world's link passwords cheaply: the server reads the cost from
// the hash.
var linkHasher = auth.NewHasher(auth.Params{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1}, 2)

func (w *world) seedLink(ctx context.Context, tx *store.Tx, rng *rand.Rand, item, maker string) error {
	l := driveLink{token: fmt.Sprintf("token-%d-%s", len(w.links), store.NewID()), item: item, maker: maker}
	sl := store.DriveLink{ItemID: item, CreatedBy: maker}
	if rng.IntN(2) == 0 {
		h, err := linkHasher.Hash(ctx, linkPassword)
		if err != nil {
			return err
		}
		l.password, sl.PasswordHash = linkPassword, h
	}
	if err := tx.CreateDriveLink(ctx, &sl, tokenHash(l.token)); err != nil {
		return err
	}
	l.id = sl.ID
	w.links = append(w.links, l)
	return nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// mayLink: who may make and manage links to an item they see (employees, by the policy):
// its owner in My Drive; in a group's drive, edit rights on it.
func (w *world) mayLink(u store.User, it driveItem) bool {
	if it.owner != "" {
		return it.owner == u.ID
	}
	return w.itemLevel(u, it) >= 3
}

// linkState is the oracle's answer to opening link l, 0 when it works: withdrawn; its
// maker no longer active, nor an employee, nor seeing its item live, nor allowed to make it.
func (w *world) linkState(l driveLink) int {
	if l.revoked {
		return 410
	}
	maker, it := w.user(l.maker), w.driveItem(l.item)
	if !maker.Active || maker.Kind != store.KindEmployee || it.kind == "" || !it.live() || !w.seesDriveItem(maker, it) ||
		!w.mayLink(maker, it) {
		return 410
	}
	return 0
}

func (r *run) randomLink() int {
	if n := r.rng.IntN(len(r.w.links) + 1); n < len(r.w.links) {
		return n
	}
	return -1
}

func exerciseListDriveLinks(r *run, a actor) {
	it := r.itemAt(r.randomSeenIndex(a, false))
	path := "/api/v1/drive/items/" + it.id + "/links"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	want := 200
	switch {
	case it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it):
		want = 404
	case !r.w.mayLink(a.user, it):
		want = 403
	}
	if res.Status != want {
		r.leak(a, "GET", path, "status %d, oracle %d: %s", res.Status, want, res.Body)
		return
	}
	if want != 200 {
		return
	}
	var got struct{ Items []struct{ ID string } }
	_ = json.Unmarshal(res.Body, &got)
	var ids, oracle []string
	for _, l := range got.Items {
		ids = append(ids, l.ID)
	}
	for _, l := range r.w.links {
		if l.item == it.id && !l.revoked {
			oracle = append(oracle, l.id)
		}
	}
	slices.Sort(ids)
	slices.Sort(oracle)
	if !slices.Equal(ids, oracle) {
		r.leak(a, "GET", path, "links %v, oracle %v", ids, oracle)
	}
}

func exerciseCreateDriveLink(r *run, a actor) {
	i := r.randomSeenIndex(a, false)
	it := r.itemAt(i)
	path := "/api/v1/drive/items/" + it.id + "/links"
	body := map[string]any{}
	password := ""
	switch r.rng.IntN(3) {
	case 0:
		password = linkPassword
	case 1:
		password = "abc"
	}
	if password != "" {
		body["password"] = password
	}
	want := 201
	switch {
	case a.user.Kind != store.KindEmployee:
		want = 403
	case password == "abc":
		want = 422
	case it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it):
		want = 404
	case r.driveState(a, driveOf(a, it), true) != 0:
		want = r.driveState(a, driveOf(a, it), true)
	case !r.w.mayLink(a.user, it):
		want = 403
	}
	before := r.digest()
	res := r.do(a, "POST", path, body)
	if r.anonymousRefused(a, "POST", path, res) || !r.changed(a, "POST", path, res, want, before) {
		return
	}
	var got struct{ ID, URL string }
	_ = json.Unmarshal(res.Body, &got)
	_, token, ok := strings.Cut(got.URL, "/s#")
	if !ok {
		r.leak(a, "POST", path, "a link without its token: %s", res.Body)
		return
	}
	r.w.links = append(r.w.links, driveLink{id: got.ID, token: token, item: it.id, maker: a.user.ID, password: password})
}

func exerciseRevokeDriveLink(r *run, a actor) {
	n := r.randomLink()
	l := driveLink{id: store.NewID()}
	if n >= 0 {
		l = r.w.links[n]
	}
	it := r.w.driveItem(l.item)
	path := "/api/v1/drive/links/" + l.id
	want := 204
	switch {
	case n < 0 || l.revoked || it.kind == "" || !it.live() || !r.w.seesDriveItem(a.user, it):
		want = 404
	case l.maker != a.user.ID && !r.w.mayLink(a.user, it):
		want = 403
	}
	before := r.digest()
	res := r.do(a, "DELETE", path, nil)
	if r.anonymousRefused(a, "DELETE", path, res) || !r.changed(a, "DELETE", path, res, want, before) {
		return
	}
	r.w.links[n].revoked = true
}

// exerciseVisitLink: a visitor (in a browser of their own, whoever the actor) opens a link
// (or a token that is none), with its password, a wrong one or none; then lists a folder
// and downloads a file, under the link's item or not.
func exerciseVisitLink(r *run, a actor) {
	c := r.env.Client()
	n := r.randomLink()
	l := driveLink{id: store.NewID(), token: "no-such-token"}
	if n >= 0 {
		l = r.w.links[n]
	}
	password := l.password
	switch r.rng.IntN(8) {
	case 0:
		password = ""
	case 1:
		password = "wrong guess"
	}
	path := "/api/v1/public/link/open"
	r.requests++
	res := c.Do("POST", path, map[string]any{"token": l.token, "password": password})
	want := 200
	switch {
	case n < 0 || r.w.driveItem(l.item).kind == "":
		want = 404 // none, or its item removed for good, and the link with it
	case r.w.linkState(l) != 0:
		want = 410
	case l.password != "" && l.wrong >= 10:
		want = 429
	case l.password != "" && password == "":
		want = 401
	case l.password != "" && password != l.password:
		want = 403
		r.w.links[n].wrong++
	}
	if res.Status != want {
		r.leak(a, "POST", path, "visitor: status %d, oracle %d: %s", res.Status, want, res.Body)
		return
	}
	if want == 200 {
		r.visitLinked(a, c, l)
	}
	// Without having opened it, nothing.
	if n >= 0 {
		r.requests++
		if res := r.env.Client().Do("GET", "/api/v1/public/link/"+l.id+"/items", nil); res.Status != 404 && res.Status != 410 {
			r.leak(a, "GET", "/api/v1/public/link/"+l.id+"/items", "a browser that never opened it: status %d", res.Status)
		}
	}
}

// visitLinked lists a folder and downloads a file through link l, opened in c: only the
// link's item and what is under it, as its maker sees them.
func (r *run) visitLinked(a actor, c *apptest.Client, l driveLink) {
	root, maker := r.w.driveItem(l.item), r.w.user(l.maker)
	reaches := func(id string) (driveItem, bool) {
		if id == "" {
			return root, true
		}
		it := r.w.driveItem(id)
		return it, it.kind != "" && it.live() && r.w.within(root.id, id) && r.w.seesDriveItem(maker, it)
	}
	parent := ""
	if j := r.randomDriveIndex(); j >= 0 && r.rng.IntN(2) == 0 {
		parent = r.w.drive[j].id
	}
	path := "/api/v1/public/link/" + l.id + "/items?perPage=100&parent=" + parent
	r.requests++
	res := c.Do("GET", path, nil)
	f, ok := reaches(parent)
	switch {
	case root.kind == store.DriveFile && parent != "" || root.kind == store.DriveFolder && (!ok || f.kind != store.DriveFolder):
		if res.Status != 404 {
			r.leak(a, "GET", path, "visitor: status %d for a folder out of reach, want 404", res.Status)
		}
	default:
		var got struct{ Items []struct{ ID string } }
		if res.Status != 200 || json.Unmarshal(res.Body, &got) != nil {
			r.leak(a, "GET", path, "visitor: status %d: %s", res.Status, res.Body)
			break
		}
		var ids, oracle []string
		for _, it := range got.Items {
			ids = append(ids, it.ID)
		}
		if root.kind == store.DriveFile {
			oracle = []string{root.id}
		}
		for _, it := range r.w.drive {
			if root.kind == store.DriveFolder && it.parent == f.id && it.live() && r.w.seesDriveItem(maker, it) {
				oracle = append(oracle, it.id)
			}
		}
		slices.Sort(ids)
		slices.Sort(oracle)
		if !slices.Equal(ids, oracle) {
			r.leak(a, "GET", path, "visitor lists %v, oracle %v", ids, oracle)
		}
	}
	if root.kind == store.DriveFolder {
		path := "/api/v1/public/link/" + l.id + "/zip?folder=" + parent
		r.requests++
		res := c.Do("GET", path, nil)
		if f, ok := reaches(parent); ok && f.kind == store.DriveFolder {
			got, err := zipNames(res.Body)
			if want := r.w.zipOracle(maker, f.id); res.Status != 200 || err != nil || !maps.Equal(got, want) {
				r.leak(a, "GET", path, "visitor: status %d, zip %v (%v), oracle %v", res.Status, got, err, want)
			}
		} else if res.Status != 404 {
			r.leak(a, "GET", path, "visitor: status %d for a folder out of reach, want 404", res.Status)
		}
	}
	item := ""
	if j := r.randomDriveIndex(); j >= 0 && r.rng.IntN(3) > 0 {
		item = r.w.drive[j].id
	}
	path = "/api/v1/public/link/" + l.id + "/content?item=" + item
	r.requests++
	res = c.Do("GET", path, nil)
	if f, ok := reaches(item); ok && f.kind == store.DriveFile {
		if res.Status != 200 || string(res.Body) != f.content {
			r.leak(a, "GET", path, "visitor: status %d, %q for a file holding %q", res.Status, res.Body, f.content)
		}
	} else if res.Status != 404 {
		r.leak(a, "GET", path, "visitor: status %d for a file out of reach, want 404", res.Status)
	}
}

// zipNames reads a zip's entries (name → content), or says why it is none.
func zipNames(body []byte) (map[string]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, err
	}
	got := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		got[f.Name] = string(b)
	}
	return got, nil
}

// zipOracle is what a zip of folder holds as viewer sees it: each live item under it the
// viewer sees, under folders the viewer sees, by its path in the folder.
func (w *world) zipOracle(viewer store.User, folder string) map[string]string {
	out := map[string]string{}
	var walk func(id, prefix string)
	walk = func(id, prefix string) {
		for _, it := range w.drive {
			if it.parent != id || !it.live() || !w.seesDriveItem(viewer, it) {
				continue
			}
			if it.kind == store.DriveFolder {
				out[prefix+it.name+"/"] = ""
				walk(it.id, prefix+it.name+"/")
			} else {
				out[prefix+it.name] = it.content
			}
		}
	}
	walk(folder, "")
	return out
}

func exerciseGetDriveFolderZip(r *run, a actor) {
	it := r.itemAt(r.randomSeenIndex(a, false))
	path := "/api/v1/drive/items/" + it.id + "/zip"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	if it.kind != store.DriveFolder || !it.live() || !r.w.seesDriveItem(a.user, it) {
		if res.Status != 404 {
			r.leak(a, "GET", path, "status %d for a hidden item or a file, want 404", res.Status)
		}
		return
	}
	got, err := zipNames(res.Body)
	if res.Status != 200 || err != nil {
		r.leak(a, "GET", path, "status %d, %v", res.Status, err)
		return
	}
	if want := r.w.zipOracle(a.user, it.id); !maps.Equal(got, want) {
		r.leak(a, "GET", path, "the zip holds %v, oracle %v", got, want)
	}
}

// exerciseGetDrivePreview: the world's files are no pictures: a file one sees has no
// preview, said so; anything one does not see is missing.
func exerciseGetDrivePreview(r *run, a actor) {
	it := r.itemAt(r.randomSeenIndex(a, false))
	path := "/api/v1/drive/items/" + it.id + "/preview"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	want := "not_found"
	if it.kind != "" && it.live() && r.w.seesDriveItem(a.user, it) {
		want = "drive_no_preview"
	}
	if res.Status != 404 || res.Code() != want {
		r.leak(a, "GET", path, "status %d %s, oracle 404 %s", res.Status, res.Code(), want)
	}
}
