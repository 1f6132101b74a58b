package main

// "My tasks" beside the floor (../shared/floor): the same data set seeded into both, the
// same people asking for their 50 newest tasks, at 1, 8 and 32 concurrent clients,
// interleaved, a few rounds, medians reported.
//
//	cd ../shared/floor && go build -o /tmp/floor . && /tmp/floor gen -out /tmp/floor-data.json
//	make build && go run ./bench -bin bin/annex -tasks /tmp/floor-data.json -floor /tmp/floor

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"annex/app/auth"
	"annex/app/config"
	"annex/store"
)

// dataSet is the floor's data file.
type dataSet struct {
	Users []struct {
		ID, Email, Name, Token string
	} `json:"users"`
	Groups []struct {
		ID, Name string
		Members  []string
	} `json:"groups"`
	Tasks []struct {
		ID, Title, Description, Status, Group, Created string
	} `json:"tasks"`
}

// askers is how many of the data set's people take turns asking, in both servers.
const askers = 32

func runTasks(bin, floorBin, data string, duration time.Duration, rounds int) error {
	var ds dataSet
	b, err := os.ReadFile(data)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &ds); err != nil {
		return err
	}
	floorURL, stopFloor, err := startFloor(floorBin, data)
	if err != nil {
		return err
	}
	defer stopFloor()

	a, err := startAnnex(bin)
	if err != nil {
		return err
	}
	defer a.stop()
	t0 := time.Now()
	if err := seedTasks(a.dir, &ds); err != nil {
		return err
	}
	fmt.Printf("seeded Annex with %d users, %d groups, %d tasks in %.1f s\n", len(ds.Users), len(ds.Groups), len(ds.Tasks),
		time.Since(t0).Seconds())

	var annexClients, floorClients []*client
	for _, u := range ds.Users[:askers] {
		c := newClient(a.base)
		if err := c.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": password}, nil, 200); err != nil {
			return err
		}
		annexClients = append(annexClients, c)
		f := newClient(floorURL)
		f.cookie = "session=" + u.Token
		floorClients = append(floorClients, f)
	}
	// Both answer the same question: the newest task of the first person is the same.
	var fa struct{ Items []struct{ Title string } }
	var aa struct{ Items []struct{ Title string } }
	if err := floorClients[0].get("/scoped", &fa); err != nil {
		return err
	}
	if err := annexClients[0].get("/api/v1/tasks?perPage=50", &aa); err != nil {
		return err
	}
	if len(fa.Items) != 50 || len(aa.Items) != 50 || fa.Items[0].Title != aa.Items[0].Title || fa.Items[49].Title != aa.Items[49].Title {
		return fmt.Errorf("the floor and Annex answer differently: %d/%d items", len(fa.Items), len(aa.Items))
	}

	type result struct{ rps, p50, p99 float64 }
	results := map[string][]result{}
	for round := range rounds + 1 { // round 0 warms both up and is not counted
		for _, conc := range []int{1, 8, 32} {
			for _, side := range []struct {
				name    string
				clients []*client
				path    string
			}{{"floor", floorClients, "/scoped"}, {"annex", annexClients, "/api/v1/tasks?perPage=50"}} {
				n, lat, el, err := drive(side.clients, side.path, conc, duration)
				if err != nil {
					return err
				}
				if round == 0 {
					continue
				}
				key := fmt.Sprintf("%s/%d", side.name, conc)
				results[key] = append(results[key], result{float64(n) / el.Seconds(), ms(lat[n/2]), ms(lat[n*99/100])})
			}
		}
	}
	median := func(rs []result, f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	fmt.Printf("\"my tasks\", 50 newest, %d people taking turns, median of %d interleaved rounds of %s:\n", askers, rounds, duration)
	fmt.Println("clients  floor req/s  p50 ms  p99 ms   annex req/s  p50 ms  p99 ms   annex/floor")
	for _, conc := range []int{1, 8, 32} {
		f, an := results[fmt.Sprintf("floor/%d", conc)], results[fmt.Sprintf("annex/%d", conc)]
		frps, arps := median(f, func(r result) float64 { return r.rps }), median(an, func(r result) float64 { return r.rps })
		fmt.Printf("%7d  %11.0f  %6.2f  %6.2f   %11.0f  %6.2f  %6.2f   %10.0f%%\n", conc,
			frps, median(f, func(r result) float64 { return r.p50 }), median(f, func(r result) float64 { return r.p99 }),
			arps, median(an, func(r result) float64 { return r.p50 }), median(an, func(r result) float64 { return r.p99 }),
			100*arps/frps)
	}
	return nil
}

// drive sends GET path from conc clients at once for d, each request by the next person
// in turn, and returns how many were answered and their latencies, sorted.
func drive(clients []*client, path string, conc int, d time.Duration) (int, []time.Duration, time.Duration, error) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		next int
		wg   sync.WaitGroup
		fail error
	)
	t0 := time.Now()
	for range conc {
		wg.Go(func() {
			for time.Since(t0) < d {
				mu.Lock()
				c := clients[next%len(clients)]
				next++
				mu.Unlock()
				s := time.Now()
				err := c.do("GET", path, nil, nil, 200)
				took := time.Since(s)
				mu.Lock()
				if err != nil && fail == nil {
					fail = err
				}
				lat = append(lat, took)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(lat)
	return len(lat), lat, time.Since(t0), fail
}

// startFloor seeds the floor's own database from the data file and serves it on a free
// loopback port.
func startFloor(bin, data string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "floor-bench-")
	if err != nil {
		return "", nil, err
	}
	db := filepath.Join(dir, "floor.db")
	if out, err := exec.Command(bin, "seed", "-data", data, "-db", db).CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("floor seed: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "-db", db, "-addr", addr, "-pool", "4")
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); os.RemoveAll(dir) }
	for range 100 {
		if res, err := http.Get("http://" + addr + "/bare"); err == nil {
			res.Body.Close()
			return "http://" + addr, stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", nil, fmt.Errorf("the floor did not start on %s", addr)
}

// seedTasks writes the data set into the running Annex's database through the store:
// the people as employees (one password), each group an internal secret group with its
// members, each task in its group, created by its first member, with its date.
func seedTasks(dir string, ds *dataSet) error {
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	a := config.Default().Argon2
	hash, err := auth.NewHasher(auth.Params{MemoryKiB: a.MemoryKiB, Iterations: a.Iterations, Parallelism: a.Parallelism}, 1).
		Hash(ctx, password)
	if err != nil {
		return err
	}
	return st.Tx(ctx, func(tx *store.Tx) error {
		ids := map[string]string{} // the data set's ids to Annex's
		for _, u := range ds.Users {
			nu := store.User{Email: u.Email, Name: u.Name, Kind: store.KindEmployee, Active: true, PasswordHash: hash, Locale: "en"}
			if err := tx.CreateUser(ctx, &nu); err != nil {
				return err
			}
			ids[u.ID] = nu.ID
		}
		first := map[string]string{}
		for _, g := range ds.Groups {
			ng := store.Group{Name: g.Name, Kind: store.GroupInternal, Visibility: store.VisibilitySecret}
			if err := tx.CreateGroup(ctx, &ng); err != nil {
				return err
			}
			ids[g.ID] = ng.ID
			for i, m := range g.Members {
				role := store.RoleMember
				if i == 0 {
					role, first[ng.ID] = store.RoleOwner, ids[m]
				}
				if err := tx.PutMembership(ctx, ng.ID, ids[m], role, store.MemberActive); err != nil {
					return err
				}
			}
		}
		statuses := map[string]string{"todo": store.TaskNew, "doing": store.TaskInProgress, "done": store.TaskDone}
		for _, t := range ds.Tasks {
			created, err := time.Parse("2006-01-02 15:04:05.000Z", t.Created)
			if err != nil {
				return err
			}
			group := ids[t.Group]
			v := store.Task{GroupID: group, Title: t.Title, Description: t.Description, CreatorID: first[group],
				Status: statuses[t.Status], Priority: "normal", CreatedAt: created}
			if err := tx.CreateTask(ctx, &v, store.TaskPeople{Responsible: first[group]}); err != nil {
				return err
			}
		}
		return nil
	})
}
