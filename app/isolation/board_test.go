package isolation_test

import (
	"context"
	"encoding/json"
	"slices"

	"annex/store"
)

func init() {
	exercises["getBoard"] = exerciseGetBoard
	exercises["listStageCards"] = exerciseStageCards
	exercises["addStage"] = exerciseStageWrite("POST")
	exercises["setStage"] = exerciseStageWrite("PATCH")
	exercises["deleteStage"] = exerciseStageWrite("DELETE")
	exercises["moveCard"] = exerciseMoveCard
}

// randomBoard is a group's board (maybe one the actor cannot see, or none that exists)
// or "me", the actor's planner.
func (r *run) randomBoard() string {
	switch n := r.rng.IntN(len(r.w.groups) + 2); {
	case n < len(r.w.groups):
		return r.w.groups[n].ID
	case n == len(r.w.groups):
		return "me"
	}
	return store.NewID()
}

// boardState is the oracle's answer to opening a board, 0 when the actor may: a group
// the actor cannot see is missing; its board is for its active members (and
// administrators), while its Tasks tool is on; a write also needs it not archived.
func (r *run) boardState(a actor, board string, write bool) int {
	if board == "me" {
		return 0
	}
	g := r.w.group(board)
	m := r.w.membership(board, a.user.ID)
	switch {
	case g.ID == "" || !r.w.seesGroup(a.user, g):
		return 404
	case !a.user.Admin && (m == nil || m.state != store.MemberActive):
		return 403
	case !slices.Contains(g.Tools, "tasks"):
		return 409
	case write && g.Archived:
		return 409
	}
	return 0
}

// onBoard: a group's board holds the group's tasks; a planner those its owner works on.
func (r *run) onBoard(a actor, board string, t task) bool {
	if board == "me" {
		return t.responsible == a.user.ID || slices.Contains(t.participants, a.user.ID)
	}
	return t.group == board
}

type boardJSON struct {
	Stages []struct {
		ID    string
		Total int
		Cards []struct{ ID string }
	}
}

// stagesOf are the board's stages, read straight from the store: the ones it has if
// anyone opened it (exerciseGetBoard does).
func (r *run) stagesOf(a actor, board string) []string {
	b := store.Board{ID: board, GroupID: board}
	if board == "me" {
		b = store.Board{ID: a.user.ID, UserID: a.user.ID}
	}
	sts, err := r.env.Store.Stages(context.Background(), store.System(), b)
	if err != nil {
		r.t.Fatal(err)
	}
	var ids []string
	for _, st := range sts {
		ids = append(ids, st.ID)
	}
	return ids
}

func exerciseGetBoard(r *run, a actor) {
	board := r.randomBoard()
	path := "/api/v1/boards/" + board + "?perStage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	want := r.boardState(a, board, false)
	if want != 0 {
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
		}
		return
	}
	var b boardJSON
	if res.Status != 200 || json.Unmarshal(res.Body, &b) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	var got, oracle []string
	for _, st := range b.Stages {
		for _, c := range st.Cards {
			got = append(got, c.ID)
		}
		if st.Total != len(st.Cards) {
			r.leak(a, "GET", path, "stage %s: total %d for %d cards", st.ID, st.Total, len(st.Cards))
		}
	}
	for _, t := range r.w.tasks {
		if r.onBoard(a, board, t) && r.w.seesTask(a.user, t) {
			oracle = append(oracle, t.id)
		}
	}
	slices.Sort(got)
	slices.Sort(oracle)
	if !slices.Equal(got, oracle) {
		r.leak(a, "GET", path, "cards %v, oracle %v", got, oracle)
	}
}

func exerciseStageCards(r *run, a actor) {
	board := r.randomBoard()
	stage, ours := store.NewID(), false
	if ids := r.stagesOf(a, board); len(ids) > 0 && r.rng.IntN(5) > 0 {
		stage, ours = ids[r.rng.IntN(len(ids))], true
	}
	path := "/api/v1/boards/" + board + "/stages/" + stage + "/cards?perPage=100"
	res := r.do(a, "GET", path, nil)
	if r.anonymousRefused(a, "GET", path, res) {
		return
	}
	want := r.boardState(a, board, false)
	if want == 0 && !ours {
		want = 404
	}
	if want != 0 {
		if res.Status != want {
			r.leak(a, "GET", path, "status %d, oracle %d", res.Status, want)
		}
		return
	}
	var page struct{ Items []struct{ ID string } }
	if res.Status != 200 || json.Unmarshal(res.Body, &page) != nil {
		r.leak(a, "GET", path, "status %d: %s", res.Status, res.Body)
		return
	}
	for _, it := range page.Items {
		if t, ok := r.w.task(it.ID); !ok || !r.onBoard(a, board, t) || !r.w.seesTask(a.user, t) {
			r.leak(a, "GET", path, "card %s, which the oracle hides or is not on the board", it.ID)
		}
	}
}

// exerciseStageWrite: every actor adds, renames or deletes a stage of a random board:
// who manages it may (a group's owner and moderators, administrators; a planner's owner).
func exerciseStageWrite(method string) exercise {
	return func(r *run, a actor) {
		board := r.randomBoard()
		var stages []string
		if a.user.ID != "" {
			stages = r.stagesOf(a, board)
		}
		path, body := "/api/v1/boards/"+board+"/stages", map[string]any{"name": "Stage by " + a.user.Email}
		stage := store.NewID()
		if len(stages) > 0 && r.rng.IntN(5) > 0 {
			stage = stages[r.rng.IntN(len(stages))]
		}
		target := ""
		if method != "POST" {
			path += "/" + stage
			for _, id := range stages {
				if id != stage {
					target = id
				}
			}
			if method == "DELETE" {
				path += "?target=" + target
			}
		}
		want := r.boardState(a, board, true)
		switch {
		case want != 0:
		case board != "me" && !r.w.manages(a.user, r.w.group(board)):
			want = 403
		case method == "POST" && len(stages) >= 20:
			want = 422
		case method != "POST" && !slices.Contains(stages, stage):
			want = 404
		case method == "DELETE" && len(stages) == 1:
			want = 409
		default:
			want = 200
		}
		r.expectWrite(a, method, path, body, want)
	}
}

// exerciseMoveCard: every actor moves a random task's card on a random board, to one of
// the board's stages or to a stage that is not the board's.
func exerciseMoveCard(r *run, a actor) {
	t := r.randomTask()
	board := r.randomBoard()
	if r.rng.IntN(2) == 0 && t.group != "" {
		board = t.group
	}
	var stages []string
	if a.user.ID != "" {
		stages = r.stagesOf(a, board)
	}
	stage, ours := store.NewID(), false
	if len(stages) > 0 && r.rng.IntN(4) > 0 {
		stage, ours = stages[r.rng.IntN(len(stages))], true
	}
	want := r.boardState(a, board, true)
	switch {
	case want != 0:
	case t.title == "" || !r.w.seesTask(a.user, t) || !r.onBoard(a, board, t):
		want = 404
	case board != "me" && !r.w.movesTask(a.user, t):
		want = 403
	case !ours:
		want = 422
	default:
		want = 200
	}
	r.expectWrite(a, "POST", "/api/v1/boards/"+board+"/cards/"+t.id+"/move", map[string]any{"stageId": stage}, want)
}
