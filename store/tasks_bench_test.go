package store_test

import (
	"context"
	"testing"

	"annex/store"
	"annex/store/storetest"
)

// BenchmarkMyTasks is the store's part of "my tasks": the 50 newest tasks a person may
// see, with their people, as the list endpoint asks for them, on the floor's data set.
func BenchmarkMyTasks(b *testing.B) {
	st, _ := storetest.New(b, nil)
	a := store.ActorFor(storetest.FloorTasks(b, st))
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
