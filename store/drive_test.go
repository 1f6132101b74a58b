package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"annex/store"
	"annex/store/storetest"
)

// My Drive is its owner's alone, administrators included; a group's drive is its active
// members' and the administrators' while its Drive tool is on; leaving the group ends the
// sight of it at once, and a name is one name in a folder whatever its case.
func TestDriveItemsAreSeenByTheirDrivesPeopleOnly(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	person := func(name, kind string, admin bool) store.User {
		return store.User{Name: name, Email: name + "@example.com", Kind: kind, Admin: admin, Active: true, PasswordHash: "x",
			Locale: "en"}
	}
	ann, bob, ext, admin := person("ann", store.KindEmployee, false), person("bob", store.KindEmployee, false),
		person("ext", store.KindExternal, false), person("admin", store.KindEmployee, true)
	g := store.Group{Name: "Project", Kind: store.GroupExtranet, Visibility: store.VisibilitySecret}
	var mine, report, shared store.DriveItem
	err := st.Tx(ctx, func(tx *store.Tx) error {
		for _, u := range []*store.User{&ann, &bob, &ext, &admin} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		for _, u := range []string{ann.ID, ext.ID} {
			if err := tx.PutMembership(ctx, g.ID, u, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		mine = store.DriveItem{Drive: store.Drive{OwnerID: bob.ID}, Kind: store.DriveFolder, Name: "Private", CreatedBy: bob.ID}
		shared = store.DriveItem{Drive: store.Drive{GroupID: g.ID}, Kind: store.DriveFolder, Name: "Отчёты", CreatedBy: ann.ID}
		for _, v := range []*store.DriveItem{&mine, &shared} {
			if err := tx.CreateDriveItem(ctx, v); err != nil {
				return err
			}
		}
		report = store.DriveItem{Drive: shared.Drive, ParentID: shared.ID, Kind: store.DriveFile, Name: "Q1.pdf", CreatedBy: ext.ID}
		if err := tx.CreateDriveItem(ctx, &report); err != nil {
			return err
		}
		for _, body := range []string{"b1", "b2"} {
			v := store.DriveVersion{ItemID: report.ID, Body: body, Size: int64(len(body)) * 100, SHA256: strings.Repeat("0", 64),
				ContentType: "application/pdf", CreatedBy: ext.ID}
			if err := tx.AddDriveVersion(ctx, &v); err != nil {
				return err
			}
		}
		// Another case of a live name in the same folder is the same name.
		dup := store.DriveItem{Drive: shared.Drive, Kind: store.DriveFolder, Name: "ОТЧЁТЫ", CreatedBy: ann.ID}
		if err := tx.CreateDriveItem(ctx, &dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a second folder named ОТЧЁТЫ beside Отчёты: %v, want a conflict", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	sees := func(u store.User, id string) bool {
		t.Helper()
		_, err := st.DriveItem(ctx, store.ActorFor(u), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	for _, c := range []struct {
		who  store.User
		item store.DriveItem
		want bool
	}{
		{bob, mine, true}, {ann, mine, false}, {admin, mine, false}, {ext, mine, false},
		{ann, report, true}, {ext, report, true}, {admin, report, true}, {bob, report, false},
	} {
		if got := sees(c.who, c.item.ID); got != c.want {
			t.Errorf("%s sees %s: %v, want %v", c.who.Name, c.item.Name, got, c.want)
		}
	}
	got, err := st.DriveItem(ctx, store.ActorFor(ann), report.ID)
	if err != nil || got.Versions != 2 || got.Size != 200 || got.ParentID != shared.ID {
		t.Errorf("the report as Ann reads it: %+v, %v; want 2 versions, the newest's size 200, in Отчёты", got, err)
	}
	items, total, err := st.DriveItems(ctx, store.ActorFor(ext), shared.Drive, shared.ID, "name", 50, 0)
	if err != nil || total != 1 || len(items) != 1 || items[0].ID != report.ID {
		t.Errorf("Отчёты as ext lists it: %v (%d), %v; want the report", items, total, err)
	}
	if _, total, _ := st.DriveItems(ctx, store.ActorFor(bob), shared.Drive, shared.ID, "name", 50, 0); total != 0 {
		t.Errorf("Bob, not a member, lists %d items of the group's drive", total)
	}

	// The Drive tool switched off hides the drive, from administrators too; leaving the
	// group ends the sight of it.
	err = st.Tx(ctx, func(tx *store.Tx) error {
		g.Tools = []string{"feed", "tasks"}
		if err := tx.UpdateGroup(ctx, g); err != nil {
			return err
		}
		return tx.DeleteMembership(ctx, g.ID, ann.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{ext, admin} {
		if sees(u, report.ID) {
			t.Errorf("%s sees the report with the group's Drive tool off", u.Name)
		}
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		g.Tools = store.Tools
		return tx.UpdateGroup(ctx, g)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sees(ext, report.ID) || sees(ann, report.ID) {
		t.Errorf("with the tool on again: ext sees %v (want true), Ann, who left, sees %v (want false)",
			sees(ext, report.ID), sees(ann, report.ID))
	}
}

func TestDriveNamesCannotNameAPathOrHideCharacters(t *testing.T) {
	for name, want := range map[string]string{
		"  Report 2026.pdf ":         "",
		"Отчёт.pdf":                  "",
		"👩‍💻 notes.txt":              "",
		"":                           store.DriveNameEmpty,
		"   ":                        store.DriveNameEmpty,
		".":                          store.DriveNameDots,
		"..":                         store.DriveNameDots,
		"../etc/passwd":              store.DriveNameCharacters,
		`a\b`:                        store.DriveNameCharacters,
		"line\nbreak":                store.DriveNameCharacters,
		"invoice\u202Efdp.exe":       store.DriveNameCharacters,
		strings.Repeat("я", 255):     "",
		strings.Repeat("я", 256):     store.DriveNameTooLong,
		"bad\xffutf8":                store.DriveNameCharacters,
		"...":                        "",
		"nul\x00":                    store.DriveNameCharacters,
		"tab\tname":                  store.DriveNameCharacters,
		"name.with.many.dots.tar.gz": "",
	} {
		if _, got := store.CleanDriveName(name); got != want {
			t.Errorf("CleanDriveName(%q) refuses it for %q, want %q", name, got, want)
		}
	}
	if got, _ := store.CleanDriveName("  a b  "); got != "a b" {
		t.Errorf("CleanDriveName trims to %q, want %q", got, "a b")
	}
}
