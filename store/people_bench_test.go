package store_test

import (
	"context"
	"fmt"
	"testing"

	"annex/store"
	"annex/store/storetest"
)

// seedDirectory makes a company of n people (a tenth external) in 50 groups, with one
// precomputed password hash for all, and returns an employee and an external user.
func seedDirectory(b *testing.B, n int) (*store.Store, store.User, store.User) {
	ctx := context.Background()
	st, _ := storetest.New(b, nil)
	var emp, ext store.User
	names := []string{"Анна", "Борис", "Claire", "Dmitri", "Elena", "Фёдор", "George", "Ирина"}
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var groups []store.Group
		for i := range 50 {
			g := store.Group{Name: fmt.Sprintf("Group %d", i), Kind: store.GroupInternal, Visibility: store.VisibilityOpen}
			if i%5 == 0 {
				g.Kind, g.Visibility = store.GroupExtranet, store.VisibilitySecret
			}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			groups = append(groups, g)
		}
		for i := range n {
			u := store.User{Name: fmt.Sprintf("%s %d", names[i%len(names)], i), Email: fmt.Sprintf("u%d@example.com", i),
				Kind: store.KindEmployee, Active: true, PasswordHash: "$argon2id$v=19$m=47104,t=1,p=1$AAAA$AAAA", Locale: "en",
				Position: "Engineer"}
			g := groups[i%len(groups)]
			if i%10 == 0 {
				u.Kind = store.KindExternal
				g = groups[(i/10%10)*5] // an extranet group
			}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			if err := tx.PutMembership(ctx, g.ID, u.ID, store.RoleMember, store.MemberActive); err != nil {
				return err
			}
			if i == 1 {
				emp = u
			}
			if i == 10 {
				ext = u
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return st, emp, ext
}

// BenchmarkDirectorySearch: one page of a case-folded search in a directory of 10,000
// people, through the fence, as an employee and as an external user.
func BenchmarkDirectorySearch(b *testing.B) {
	st, emp, ext := seedDirectory(b, 10000)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		actor store.Actor
	}{{"employee", store.ActorFor(emp)}, {"external", store.ActorFor(ext)}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := st.People(ctx, tc.actor, store.PeopleFilter{Query: "анна", Limit: 25}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
