package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"annex/store"
	"annex/store/storetest"
)

// A page of tasks is the same whichever plan reads it: shelf by shelf, each only as deep
// as the page (newest first, for someone who sees some tasks), or gathered and sorted (a
// deep page), or every task newest first (an administrator). The shelves are a group's
// whole tasks, the tasks one is named on in a group that shows external members only
// those, and one's personal tasks; people named several ways on a task, and tasks of the
// same second, must still come once each and in order.
func TestTaskPagesAreNewestFirstWhateverThePlan(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	person := func(name, kind string, admin bool) store.User {
		return store.User{Name: name, Email: name + "@example.com", Kind: kind, Admin: admin, Active: true, PasswordHash: "x",
			Locale: "en"}
	}
	dense, sparse := person("dense", store.KindEmployee, false), person("sparse", store.KindEmployee, false)
	ext, admin := person("ext", store.KindExternal, false), person("admin", store.KindEmployee, true)
	want := map[string][]string{} // by user id: titles, oldest first
	err := st.Tx(ctx, func(tx *store.Tx) error {
		for _, u := range []*store.User{&dense, &sparse, &ext, &admin} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		var gs []string
		for i := range 4 {
			g := store.Group{Name: fmt.Sprintf("G%d", i), Kind: store.GroupExtranet, Visibility: store.VisibilitySecret,
				ExternalTasks: store.ExternalTasksInvolved}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			gs = append(gs, g.ID)
			if err := tx.PutMembership(ctx, g.ID, dense.ID, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		for _, u := range []string{sparse.ID, ext.ID} {
			if err := tx.PutMembership(ctx, gs[3], u, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 400 {
			g := gs[i%4]
			if i%7 == 0 {
				g = "" // personal
			}
			// ext is named on some, several ways on some, and also in groups they are not
			// a member of, where they must not see them.
			p := store.TaskPeople{Responsible: dense.ID}
			if i%5 == 0 {
				p.Responsible, p.Participants = ext.ID, []string{ext.ID, sparse.ID}
			}
			if i%9 == 0 || i%10 == 5 {
				p.Observers = []string{ext.ID}
			}
			// Several tasks share a second: the order must still be total.
			v := store.Task{GroupID: g, Title: fmt.Sprintf("T%03d", i), CreatorID: dense.ID, Status: store.TaskNew,
				Priority: "normal", CreatedAt: base.Add(time.Duration(i/3) * time.Second)}
			if err := tx.CreateTask(ctx, &v, p); err != nil {
				return err
			}
			want[dense.ID] = append(want[dense.ID], v.Title)
			want[admin.ID] = append(want[admin.ID], v.Title)
			if g == gs[3] || (g == "" && slices.Contains(p.Participants, sparse.ID)) {
				want[sparse.ID] = append(want[sparse.ID], v.Title)
			}
			if (p.Responsible == ext.ID || slices.Contains(p.Observers, ext.ID)) && (g == "" || g == gs[3]) {
				want[ext.ID] = append(want[ext.ID], v.Title)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{dense, sparse, ext, admin} {
		titles := slices.Clone(want[u.ID])
		slices.Reverse(titles) // newest first; within a second, the latest written first
		for _, page := range []struct{ offset, limit int }{{0, 25}, {0, 1}, {1, 1}, {2, 3}, {25, 25}, {50, 25}, {75, 25},
			{300, 50}} {
			ts, total, err := st.Tasks(ctx, store.ActorFor(u), store.TaskFilter{Offset: page.offset, Limit: page.limit})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range ts {
				got = append(got, v.Title)
			}
			end := min(page.offset+page.limit, len(titles))
			wantPage := titles[min(page.offset, end):end]
			if total != len(titles) || !slices.Equal(got, wantPage) {
				t.Errorf("%s, offset %d limit %d: %d in all, %v; want %d, %v", u.Name, page.offset, page.limit, total, got,
					len(titles), wantPage)
			}
		}
	}
}

// A list's count is kept between writes and never outlives one: leaving a group, or a
// new task, shows in the next count.
func TestATaskCountKeptBetweenWritesFollowsTheNextWrite(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	u := store.User{Name: "Ann", Email: "a@example.com", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
	g := store.Group{Name: "G", Kind: store.GroupInternal, Visibility: store.VisibilitySecret}
	write := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := st.Tx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	total := func() int {
		t.Helper()
		_, n, err := st.Tasks(ctx, store.ActorFor(u), store.TaskFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	write(func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		return tx.PutMembership(ctx, g.ID, u.ID, store.RoleMember, store.MemberActive)
	})
	add := func() {
		write(func(tx *store.Tx) error {
			v := store.Task{GroupID: g.ID, Title: "T", CreatorID: u.ID, Status: store.TaskNew, Priority: "normal"}
			return tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: u.ID})
		})
	}
	add()
	if n := total(); n != 1 || total() != 1 {
		t.Fatalf("count %d, want 1", n)
	}
	add()
	if n := total(); n != 2 {
		t.Errorf("after a new task: %d, want 2", n)
	}
	write(func(tx *store.Tx) error { return tx.DeleteMembership(ctx, g.ID, u.ID) })
	if n := total(); n != 0 {
		t.Errorf("after leaving the group: %d, want 0", n)
	}
}
