package tasks_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"annex/app/apptest"
	"annex/store"
)

const pw = "correct horse battery staple"

// company: Anna owns the extranet group Client project, where Gina (external) is a
// member; Bob is an employee outside it.
type company struct {
	env              *apptest.Env
	admin, anna, gin *apptest.Client
	annaU, bob, gina store.User
	group            string
}

func newCompany(t *testing.T) company {
	env := apptest.New(t)
	c := company{env: env, admin: env.Setup()}
	c.annaU = env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c.bob = env.CreateUser("bob@example.com", pw, store.KindEmployee, false)
	c.gina = env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	c.anna, c.gin = env.SignIn("anna@example.com", pw), env.SignIn("gina@client.example", pw)
	c.group = c.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	c.member(t, c.gina.ID, store.MemberActive)
	return c
}

func (c company) member(t *testing.T, user, state string) {
	t.Helper()
	err := c.env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutMembership(context.Background(), c.group, user, store.RoleMember, state)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ids(items any) []string {
	var out []string
	for _, it := range items.([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

func TestAnExternalUserSeesTheTasksSheIsNamedOnAndMayNameOnlyHerContacts(t *testing.T) {
	c := newCompany(t)
	hers := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID, "deadline": "2027-01-15T17:00:00+03:00", "priority": "high"}).Must(t, 201).JSON()
	if hers["deadline"] != "2027-01-15T14:00:00Z" || hers["responsible"].(map[string]any)["id"] != c.gina.ID || hers["mayEdit"] != true {
		t.Errorf("a new task: %v", hers)
	}
	internal := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Check the invoice", "groupId": c.group}).Must(t, 201).JSON()

	// The group shows its external members only the tasks they are named on …
	if got := ids(c.gin.Do("GET", "/api/v1/tasks", nil).Must(t, 200).JSON()["items"]); len(got) != 1 || got[0] != hers["id"] {
		t.Errorf("Gina's tasks: %v", got)
	}
	c.gin.Do("GET", "/api/v1/tasks/"+internal["id"].(string), nil).Must(t, 404)
	// … or all of them, once its owner says so.
	c.anna.Do("PATCH", "/api/v1/groups/"+c.group, map[string]any{"settings": map[string]any{"tools": []string{"tasks"},
		"invitePolicy": "moderators", "externalTasks": "all"}}).Must(t, 200)
	c.gin.Do("GET", "/api/v1/tasks/"+internal["id"].(string), nil).Must(t, 200)

	// Her own task: she works on it, but does not edit it.
	got := c.gin.Do("PATCH", "/api/v1/tasks/"+hers["id"].(string), map[string]any{"status": "in_progress"}).Must(t, 200).JSON()
	if got["status"] != "in_progress" || got["mayEdit"] != false || got["mayChangeStatus"] != true {
		t.Errorf("Gina starts her task: %v", got)
	}
	if res := c.gin.Do("PATCH", "/api/v1/tasks/"+hers["id"].(string), map[string]any{"title": "Mine now"}).Must(t, 403); res.Code() != "task_edit_forbidden" {
		t.Errorf("Gina renames: %s", res.Body)
	}
	c.gin.Do("PATCH", "/api/v1/tasks/"+internal["id"].(string), map[string]any{"status": "done"}).Must(t, 403)
	c.gin.Do("DELETE", "/api/v1/tasks/"+hers["id"].(string), nil).Must(t, 403)

	// She names her contacts only: Anna, not Bob (whom she cannot see), and nobody
	// outside the group on its tasks.
	mine := c.gin.Do("POST", "/api/v1/tasks", map[string]any{"title": "Question for Anna", "groupId": c.group,
		"responsibleId": c.annaU.ID}).Must(t, 201).JSON()
	for _, body := range []map[string]any{
		{"title": "For Bob", "responsibleId": c.bob.ID},
		{"title": "For Bob", "groupId": c.group, "observerIds": []string{c.bob.ID}},
		{"title": "For nobody", "responsibleId": store.NewID()},
	} {
		res := c.gin.Do("POST", "/api/v1/tasks", body).Must(t, 422)
		for _, code := range res.FieldCodes() {
			if code != "person_unknown" {
				t.Errorf("%v: %s", body, res.Body)
			}
		}
	}
	// Anna may name Bob on a personal task, but not on the group's.
	if res := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "x", "groupId": c.group, "responsibleId": c.bob.ID}).Must(t, 422); res.FieldCodes()["body.responsibleId"] != "not_group_member" {
		t.Errorf("Bob on the group's task: %s", res.Body)
	}
	c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Lunch", "participantIds": []string{c.bob.ID}}).Must(t, 201)

	// Every task action of hers is in the activity log.
	rows, _ := c.admin.Activity(t, "action=task.")
	var seen []string
	for _, r := range rows {
		if r.Actor.ID == c.gina.ID {
			seen = append(seen, r.Action+" "+r.Object.Type+" "+r.Object.ID)
		}
	}
	want := []string{"task.created task " + mine["id"].(string), "task.status_changed task " + hers["id"].(string)}
	if strings.Join(seen, "|") != strings.Join(want, "|") {
		t.Errorf("Gina's task actions in the log: %v, want %v", seen, want)
	}

	// Removed from the group, she sees none of its tasks, named or not.
	c.anna.Do("DELETE", "/api/v1/groups/"+c.group+"/members/"+c.gina.ID, nil).Must(t, 204)
	c.gin.Do("GET", "/api/v1/tasks/"+hers["id"].(string), nil).Must(t, 404)
	c.gin.Do("PATCH", "/api/v1/tasks/"+hers["id"].(string), map[string]any{"status": "done"}).Must(t, 404)
	if page := c.gin.Do("GET", "/api/v1/tasks", nil).Must(t, 200).JSON(); page["total"] != float64(0) {
		t.Errorf("Gina's tasks after leaving: %v", page)
	}
}

// People named on a task whom the editor cannot see stay named when she changes the
// names she can see; the responsible person left out of a list she sees is refused.
func TestHiddenPeopleStayNamed(t *testing.T) {
	c := newCompany(t)
	v := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Visit", "participantIds": []string{c.gina.ID}}).Must(t, 201).JSON()
	id := v["id"].(string)
	c.anna.Do("DELETE", "/api/v1/groups/"+c.group+"/members/"+c.gina.ID, nil).Must(t, 204)
	// Gina is hidden from Anna now: not shown, not counted.
	if got := c.anna.Do("GET", "/api/v1/tasks/"+id, nil).Must(t, 200).JSON(); len(got["participants"].([]any)) != 0 {
		t.Errorf("a hidden participant is shown: %v", got)
	}
	c.anna.Do("PATCH", "/api/v1/tasks/"+id, map[string]any{"participantIds": []string{c.bob.ID}}).Must(t, 200)
	got := ids(c.admin.Do("GET", "/api/v1/tasks/"+id, nil).Must(t, 200).JSON()["participants"])
	if strings.Join(got, ",") != c.bob.ID+","+c.gina.ID { // by name: bob, gina
		t.Errorf("participants: %v, want Bob and Gina", got)
	}
	// She still sees her personal task: she is named on it.
	c.gin.Do("GET", "/api/v1/tasks/"+id, nil).Must(t, 200)
}

func TestBadTaskInputIsRefusedInWordsAndWritesNothing(t *testing.T) {
	c := newCompany(t)
	archived := c.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Old", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	c.admin.Do("PATCH", "/api/v1/groups/"+archived, map[string]any{"archived": true}).Must(t, 200)
	noTasks := c.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Chat only", "kind": "internal"}).Must(t, 201).JSON()["id"].(string)
	c.anna.Do("PATCH", "/api/v1/groups/"+noTasks, map[string]any{"settings": map[string]any{"tools": []string{"chat"},
		"invitePolicy": "owner", "externalTasks": "involved"}}).Must(t, 200)
	secret := c.admin.Do("POST", "/api/v1/groups", map[string]any{"name": "Board", "kind": "internal", "visibility": "secret"}).Must(t, 201).JSON()["id"].(string)
	gone := c.env.CreateUser("gone@example.com", pw, store.KindEmployee, false)
	c.member(t, gone.ID, store.MemberActive) // a co-member: Anna still sees her once deactivated
	c.admin.Do("POST", "/api/v1/admin/users/"+gone.ID+"/deactivate", nil).Must(t, 200)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("id%d", i)
	}
	for _, tc := range []struct {
		body   map[string]any
		status int
		field  string
		code   string
	}{
		{map[string]any{"title": "  "}, 422, "body.title", "required"},
		{map[string]any{"title": strings.Repeat("й", 251)}, 422, "body.title", ""},
		{map[string]any{"title": "x", "description": strings.Repeat("a", 100_001)}, 422, "body.description", ""},
		{map[string]any{"title": "x", "deadline": "tomorrow"}, 422, "body.deadline", "date_time"},
		{map[string]any{"title": "x", "deadline": "2027-02-30T10:00:00Z"}, 422, "body.deadline", "date_time"},
		{map[string]any{"title": "x", "responsibleId": gone.ID}, 422, "body.responsibleId", "person_inactive"},
		{map[string]any{"title": "x", "participantIds": many}, 422, "body.participantIds", ""},
		{map[string]any{"title": "x", "groupId": secret}, 422, "body.groupId", "group_unknown"},
		{map[string]any{"title": "x", "groupId": store.NewID()}, 422, "body.groupId", "group_unknown"},
		{map[string]any{"title": "x", "groupId": archived}, 409, "", "task_group_archived"},
		{map[string]any{"title": "x", "groupId": noTasks}, 409, "", "tasks_off"},
	} {
		res := c.anna.Do("POST", "/api/v1/tasks", tc.body).Must(t, tc.status)
		switch {
		case tc.field != "" && tc.code != "" && res.FieldCodes()[tc.field] != tc.code,
			tc.field != "" && res.FieldCodes()[tc.field] == "",
			tc.field == "" && res.Code() != tc.code:
			t.Errorf("%.80v: %s, want %s %s", tc.body, res.Body, tc.field, tc.code)
		}
	}
	if page := c.admin.Do("GET", "/api/v1/tasks", nil).Must(t, 200).JSON(); page["total"] != float64(0) {
		t.Errorf("refused tasks were written: %v", page)
	}
	// A change refused on one field changes nothing at all.
	id := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Keep me"}).Must(t, 201).JSON()["id"].(string)
	c.anna.Do("PATCH", "/api/v1/tasks/"+id, map[string]any{"title": "Changed", "deadline": "soon"}).Must(t, 422)
	if got := c.anna.Do("GET", "/api/v1/tasks/"+id, nil).Must(t, 200).JSON(); got["title"] != "Keep me" {
		t.Errorf("a refused change was half written: %v", got)
	}
	// Search finds any script, in any letter case.
	c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Проверить СЧЁТ"}).Must(t, 201)
	if page := c.anna.Do("GET", "/api/v1/tasks?q=счёт", nil).Must(t, 200).JSON(); page["total"] != float64(1) {
		t.Errorf("search: %v", page)
	}
}

// Sent for control, a task is completed by who set it: its responsible person sends it and
// may take it back, not close it; its creator accepts it or returns it.
func TestATaskSentForControlIsCompletedByItsCreator(t *testing.T) {
	c := newCompany(t)
	task := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID}).Must(t, 201).JSON()["id"].(string)
	path := "/api/v1/tasks/" + task
	status := func(cl *apptest.Client, s string, want int) apptest.Response {
		t.Helper()
		return cl.Do("PATCH", path, map[string]any{"status": s}).Must(t, want)
	}
	status(c.gin, store.TaskWaiting, 200)
	if res := status(c.gin, store.TaskDone, 403); res.Code() != "task_control" {
		t.Errorf("the responsible person closed their own check: %s", res.Body)
	}
	status(c.gin, store.TaskInProgress, 200)
	status(c.gin, store.TaskWaiting, 200)
	if got := status(c.anna, store.TaskDone, 200).JSON()["status"]; got != store.TaskDone {
		t.Errorf("the creator accepted it: status %v", got)
	}
}
