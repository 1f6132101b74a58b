package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"annex/store"
	"annex/store/storetest"
)

// seedTasks makes the floor's data set (../shared/floor): 500 employees, 50 groups, each
// person in 3, and 50,000 tasks spread over the groups, a minute apart. It returns the
// store and a person of it.
func seedTasks(b *testing.B) (*store.Store, store.User, string) {
	ctx := context.Background()
	st, dir := storetest.New(b, nil)
	var who store.User
	rng := rand.New(rand.NewPCG(1, 42))
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var groups []store.Group
		for i := range 50 {
			g := store.Group{Name: fmt.Sprintf("Group %d", i), Kind: store.GroupInternal, Visibility: store.VisibilitySecret}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			groups = append(groups, g)
		}
		first := map[string]string{}
		for i := range 500 {
			u := store.User{Name: fmt.Sprintf("User %03d", i), Email: fmt.Sprintf("user%03d@example.com", i),
				Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			if i == 0 {
				who = u
			}
			for _, gi := range rng.Perm(50)[:3] {
				if err := tx.PutMembership(ctx, groups[gi].ID, u.ID, store.RoleMember, store.MemberActive); err != nil {
					return err
				}
				if first[groups[gi].ID] == "" {
					first[groups[gi].ID] = u.ID
				}
			}
		}
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 50_000 {
			g := groups[rng.IntN(50)].ID
			v := store.Task{GroupID: g, Title: fmt.Sprintf("#%05d", i), CreatorID: first[g], Status: store.TaskNew,
				Priority: "normal", CreatedAt: base.Add(time.Duration(i) * time.Minute)}
			if err := tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: first[g]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return st, who, dir
}

// BenchmarkMyTasks is the store's part of "my tasks": the 50 newest tasks a person may
// see, with their people, as the list endpoint asks for them.
func BenchmarkMyTasks(b *testing.B) {
	st, who, _ := seedTasks(b)
	a := store.ActorFor(who)
	ctx := context.Background()
	for _, f := range []struct {
		name string
		f    store.TaskFilter
	}{
		{"first page", store.TaskFilter{Limit: 50}},
		{"page 20", store.TaskFilter{Limit: 50, Offset: 950}},
		{"open", store.TaskFilter{Limit: 50, Status: "open"}},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				ts, _, err := st.Tasks(ctx, a, f.f)
				if err != nil || len(ts) != 50 {
					b.Fatal(err, len(ts))
				}
			}
		})
	}
}
