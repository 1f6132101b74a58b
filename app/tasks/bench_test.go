package tasks_test

import (
	"context"
	"testing"

	"annex/app/apptest"
	"annex/store/storetest"
)

// BenchmarkMyTasks is "my tasks" through the whole server (session, middleware, fence,
// JSON) on the floor's data set. bench/ measures the same beside the floor, over HTTP.
func BenchmarkMyTasks(b *testing.B) {
	env := apptest.New(b)
	env.Setup()
	who := storetest.FloorTasks(b, env.Store)
	ck, err := env.Server.MintSession(context.Background(), who)
	if err != nil {
		b.Fatal(err)
	}
	c := env.Client()
	c.Headers["Cookie"] = ck.Name + "=" + ck.Value
	for b.Loop() {
		c.Do("GET", "/api/v1/tasks?perPage=50", nil).Must(b, 200)
	}
}
