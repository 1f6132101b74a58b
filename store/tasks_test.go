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

// A page of tasks is the same whichever plan reads it: walking all tasks newest first (a
// person who sees most of them) or gathering and sorting what they see (one who sees few).
func TestTaskPagesAreNewestFirstWhateverThePlan(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	var dense, sparse store.User
	want := map[string][]string{} // by user id: titles newest first
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var gs []string
		for i := range 4 {
			g := store.Group{Name: fmt.Sprintf("G%d", i), Kind: store.GroupInternal, Visibility: store.VisibilitySecret}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			gs = append(gs, g.ID)
		}
		dense = store.User{Name: "Dense", Email: "d@example.com", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
		sparse = store.User{Name: "Sparse", Email: "s@example.com", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
		for _, u := range []*store.User{&dense, &sparse} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		for _, g := range gs {
			if err := tx.PutMembership(ctx, g, dense.ID, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
		}
		if err := tx.PutMembership(ctx, gs[3], sparse.ID, store.RoleMember, store.MemberActive); err != nil {
			return err
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 400 {
			g := gs[i%4]
			// Several tasks share a second: the order must still be total.
			v := store.Task{GroupID: g, Title: fmt.Sprintf("T%03d", i), CreatorID: dense.ID, Status: store.TaskNew,
				Priority: "normal", CreatedAt: base.Add(time.Duration(i/3) * time.Second)}
			if err := tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: dense.ID}); err != nil {
				return err
			}
			want[dense.ID] = append(want[dense.ID], v.Title)
			if g == gs[3] {
				want[sparse.ID] = append(want[sparse.ID], v.Title)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.User{dense, sparse} {
		titles := slices.Clone(want[u.ID])
		slices.Reverse(titles) // newest first; within a second, the latest written first
		for _, offset := range []int{0, 50, 75} {
			ts, total, err := st.Tasks(ctx, store.ActorFor(u), store.TaskFilter{Offset: offset, Limit: 25})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range ts {
				got = append(got, v.Title)
			}
			if total != len(titles) || !slices.Equal(got, titles[offset:offset+25]) {
				t.Errorf("%s, offset %d: %d in all, %v; want %d, %v", u.Name, offset, total, got, len(titles), titles[offset:offset+25])
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
