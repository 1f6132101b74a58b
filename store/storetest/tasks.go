package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"annex/store"
)

// FloorTasks seeds st with the floor's data set (../shared/floor): 500 employees, 50
// secret groups, each person in 3, and 50,000 tasks spread over the groups, a minute
// apart, with a title of 33 words and a description of 200. It returns the first person.
func FloorTasks(tb testing.TB, st *store.Store) store.User {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 42))
	words := strings.Fields("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore")
	sentence := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	var who store.User
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var groups []string
		for i := range 50 {
			g := store.Group{Name: fmt.Sprintf("Group %d", i), Kind: store.GroupInternal, Visibility: store.VisibilitySecret}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			groups = append(groups, g.ID)
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
				if err := tx.PutMembership(ctx, groups[gi], u.ID, store.RoleMember, store.MemberActive); err != nil {
					return err
				}
				if first[groups[gi]] == "" {
					first[groups[gi]] = u.ID
				}
			}
		}
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 50_000 {
			g := groups[rng.IntN(50)]
			v := store.Task{GroupID: g, Title: fmt.Sprintf("#%05d %s", i, sentence(33)), Description: sentence(200),
				CreatorID: first[g], Status: store.TaskNew, Priority: "normal", CreatedAt: base.Add(time.Duration(i) * time.Minute)}
			if err := tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: first[g]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return who
}
