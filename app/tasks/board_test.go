package tasks_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

// stage is a board's stage as the API gives it.
type stage struct {
	id    string
	name  string
	total int
	cards []string
}

func board(t *testing.T, c *apptest.Client, id string) []stage {
	t.Helper()
	var out []stage
	for _, s := range c.Do("GET", "/api/v1/boards/"+id, nil).Must(t, 200).JSON()["stages"].([]any) {
		s := s.(map[string]any)
		st := stage{id: s["id"].(string), name: s["name"].(string), total: int(s["total"].(float64))}
		for _, card := range s["cards"].([]any) {
			st.cards = append(st.cards, card.(map[string]any)["title"].(string))
		}
		out = append(out, st)
	}
	return out
}

func TestTheBoardKeepsEachCardWhereItWasPutAndShowsEachPersonOnlyTheirs(t *testing.T) {
	c := newCompany(t)
	task := func(title, responsible string) string {
		return c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": title, "groupId": c.group,
			"responsibleId": responsible}).Must(t, 201).JSON()["id"].(string)
	}
	a, b := task("A", c.annaU.ID), task("B", c.annaU.ID)
	g := task("Gina's", c.gina.ID)
	c.env.Clock.Advance(time.Second)
	d := task("D", c.annaU.ID)

	// Born with three stages; every task in the first, newest first.
	sts := board(t, c.anna, c.group)
	if len(sts) != 3 || sts[0].name != "To do" || sts[0].total != 4 || sts[0].cards[0] != "D" {
		t.Fatalf("a new board: %+v", sts)
	}
	// Gina sees her card only; Bob, outside the group, cannot see it, nor open the board of
	// an open group he sees but is not in.
	if got := board(t, c.gin, c.group); got[0].total != 1 || got[0].cards[0] != "Gina's" {
		t.Errorf("Gina's board: %+v", got)
	}
	bob := c.env.SignIn("bob@example.com", pw)
	bob.Do("GET", "/api/v1/boards/"+c.group, nil).Must(t, 404)
	open := c.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Everyone", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	if res := bob.Do("GET", "/api/v1/boards/"+open, nil).Must(t, 403); res.Code() != "board_members_only" {
		t.Errorf("Bob: %s", res.Body)
	}
	c.env.Client().Do("GET", "/api/v1/boards/"+c.group, nil).Must(t, 401)
	bob.Do("GET", "/api/v1/boards/"+store.NewID(), nil).Must(t, 404)

	move := func(cl *apptest.Client, id, stage, after string, want int) {
		t.Helper()
		cl.Do("POST", "/api/v1/boards/"+c.group+"/cards/"+id+"/move", map[string]any{"stageId": stage, "afterId": after}).Must(t, want)
	}
	// Gina moves her card; not Anna's, which she cannot see; she defines no stages.
	move(c.gin, g, sts[1].id, "", 200)
	move(c.gin, a, sts[1].id, "", 404)
	c.gin.Do("POST", "/api/v1/boards/"+c.group+"/stages", map[string]any{"name": "Mine"}).Must(t, 403)
	// Anna puts A after Gina's card, then B between the two, then D at the top.
	move(c.anna, a, sts[1].id, g, 200)
	move(c.anna, b, sts[1].id, g, 200)
	move(c.anna, d, sts[1].id, "", 200)
	if got := board(t, c.anna, c.group); fmt.Sprint(got[1].cards) != "[D Gina's B A]" || got[0].total != 0 {
		t.Errorf("after the moves: %+v", got)
	}
	// Bad input: a stage of another board, a card not in the stage, a card after itself.
	res := c.anna.Do("POST", "/api/v1/boards/"+c.group+"/cards/"+a+"/move", map[string]any{"stageId": store.NewID()}).Must(t, 422)
	if res.FieldCodes()["body.stageId"] != "stage_unknown" {
		t.Errorf("unknown stage: %s", res.Body)
	}
	move(c.anna, a, sts[2].id, d, 422)
	move(c.anna, a, sts[1].id, a, 422)

	// Fifty moves into the one gap after D, halving it each time: the stage is spread
	// when the gap is spent, and the order holds.
	for i := range 50 {
		x := a
		if i%2 == 1 {
			x = b
		}
		move(c.anna, x, sts[1].id, d, 200)
	}
	if got := board(t, c.anna, c.group); fmt.Sprint(got[1].cards) != "[D B A Gina's]" {
		t.Errorf("after fifty moves into one gap: %v", got[1].cards)
	}

	// Stages: added, renamed, moved, deleted with a target (the first takes the never-moved).
	e := task("E", c.annaU.ID)
	sts = board(t, c.anna, c.group)
	c.anna.Do("POST", "/api/v1/boards/"+c.group+"/stages", map[string]any{"name": "  Review  "}).Must(t, 200)
	c.anna.Do("POST", "/api/v1/boards/"+c.group+"/stages", map[string]any{"name": ""}).Must(t, 422)
	c.anna.Do("PATCH", "/api/v1/boards/"+c.group+"/stages/"+sts[2].id, map[string]any{"name": "Shipped", "position": 0}).Must(t, 200)
	got := board(t, c.anna, c.group)
	if names := []string{got[0].name, got[1].name, got[2].name, got[3].name}; fmt.Sprint(names) != "[Shipped To do In progress Review]" ||
		fmt.Sprint(got[1].cards) != "[E]" {
		t.Errorf("after adding and moving stages: %+v", got)
	}
	c.anna.Do("DELETE", "/api/v1/boards/"+c.group+"/stages/"+sts[0].id+"?target="+sts[0].id, nil).Must(t, 422)
	c.anna.Do("DELETE", "/api/v1/boards/"+c.group+"/stages/"+sts[0].id+"?target="+sts[1].id, nil).Must(t, 200)
	got = board(t, c.anna, c.group)
	if len(got) != 3 || !slices.Contains(got[1].cards, "E") || got[1].total != 5 {
		t.Errorf("after deleting a stage: %+v", got)
	}
	_ = e

	// Gina's planner holds the tasks she works on, on stages of her own.
	planner := c.gin.Do("GET", "/api/v1/boards/me", nil).Must(t, 200).JSON()
	ps := planner["stages"].([]any)
	if planner["kind"] != "planner" || len(ps) != 3 || ps[0].(map[string]any)["total"].(float64) != 1 {
		t.Errorf("Gina's planner: %v", planner)
	}
	second := ps[1].(map[string]any)["id"].(string)
	c.gin.Do("POST", "/api/v1/boards/me/cards/"+g+"/move", map[string]any{"stageId": second}).Must(t, 200)
	c.gin.Do("POST", "/api/v1/boards/me/cards/"+a+"/move", map[string]any{"stageId": second}).Must(t, 404)
	// Her planner's stage is not the group board's, nor Anna's planner's.
	c.anna.Do("POST", "/api/v1/boards/me/cards/"+a+"/move", map[string]any{"stageId": second}).Must(t, 422)
	c.anna.Do("POST", "/api/v1/boards/"+c.group+"/cards/"+a+"/move", map[string]any{"stageId": second}).Must(t, 422)
}
