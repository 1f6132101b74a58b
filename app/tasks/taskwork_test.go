package tasks_test

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCommentsMentionOnlyWhoMaySeeTheTask(t *testing.T) {
	c := newCompany(t)
	task := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID}).Must(t, 201).JSON()["id"].(string)
	internal := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Check the invoice", "groupId": c.group}).Must(t, 201).JSON()["id"].(string)

	// Gina may mention Anna (her contact, who sees the task); Bob is hidden from her and
	// outside the group, so the picker does not offer him and the server refuses him.
	if got := ids(c.gin.Do("GET", "/api/v1/tasks/"+task+"/mentionable", nil).Must(t, 200).JSON()["items"]); !slices.Contains(got, c.annaU.ID) || slices.Contains(got, c.bob.ID) {
		t.Errorf("Gina's mentionable: %v", got)
	}
	res := c.gin.Do("POST", "/api/v1/tasks/"+task+"/comments", map[string]any{"body": "Done, see **here**",
		"mentionIds": []string{c.bob.ID}}).Must(t, 422)
	if res.FieldCodes()["body.mentionIds[0]"] != "mention_not_allowed" {
		t.Errorf("mention of Bob: %s", res.Body)
	}
	// Anna sees Bob, but he cannot see the group's task: not offered, refused.
	if got := ids(c.anna.Do("GET", "/api/v1/tasks/"+task+"/mentionable?q=BOB", nil).Must(t, 200).JSON()["items"]); len(got) != 0 {
		t.Errorf("Anna's mentionable for bob: %v", got)
	}
	c.anna.Do("POST", "/api/v1/tasks/"+task+"/comments", map[string]any{"body": "@Bob", "mentionIds": []string{c.bob.ID}}).Must(t, 422)
	// Gina cannot see the internal task: she is not offered on it, and cannot comment on it.
	if got := ids(c.anna.Do("GET", "/api/v1/tasks/"+internal+"/mentionable", nil).Must(t, 200).JSON()["items"]); slices.Contains(got, c.gina.ID) {
		t.Errorf("Gina offered on a task she cannot see: %v", got)
	}
	c.gin.Do("POST", "/api/v1/tasks/"+internal+"/comments", map[string]any{"body": "hi"}).Must(t, 404)
	c.gin.Do("GET", "/api/v1/tasks/"+internal+"/comments", nil).Must(t, 404)

	mine := c.gin.Do("POST", "/api/v1/tasks/"+task+"/comments", map[string]any{"body": "Done, @Anna",
		"mentionIds": []string{c.annaU.ID}}).Must(t, 201).JSON()
	if mine["mine"] != true || mine["author"].(map[string]any)["id"] != c.gina.ID {
		t.Errorf("a new comment: %v", mine)
	}
	for _, body := range []map[string]any{{"body": "  "}, {"body": strings.Repeat("x", 20_001)}} {
		c.gin.Do("POST", "/api/v1/tasks/"+task+"/comments", body).Must(t, 422)
	}
	id := mine["id"].(string)
	// Only its author edits it; Anna may not, nor delete it; an administrator may delete.
	c.anna.Do("PATCH", "/api/v1/tasks/"+task+"/comments/"+id, map[string]any{"body": "mine"}).Must(t, 403)
	c.anna.Do("DELETE", "/api/v1/tasks/"+task+"/comments/"+id, nil).Must(t, 403)
	// A comment is reached through its task: under another task's id it is not found.
	c.anna.Do("GET", "/api/v1/tasks/"+internal+"/comments", nil).Must(t, 200)
	c.gin.Do("PATCH", "/api/v1/tasks/"+internal+"/comments/"+id, map[string]any{"body": "x"}).Must(t, 404)
	edited := c.gin.Do("PATCH", "/api/v1/tasks/"+task+"/comments/"+id, map[string]any{"body": "Done."}).Must(t, 200).JSON()
	if edited["body"] != "Done." || edited["editedAt"] == "" {
		t.Errorf("edited: %v", edited)
	}
	page := c.anna.Do("GET", "/api/v1/tasks/"+task+"/comments", nil).Must(t, 200).JSON()
	if page["total"].(float64) != 1 || page["items"].([]any)[0].(map[string]any)["mine"] != false {
		t.Errorf("Anna reads the comments: %v", page)
	}

	// Removed from the group, Gina sees none of it. Her comment stays; Anna, who no longer
	// shares a group with her, reads it as a hidden user's, an administrator with her name.
	c.anna.Do("DELETE", "/api/v1/groups/"+c.group+"/members/"+c.gina.ID, nil).Must(t, 204)
	c.gin.Do("GET", "/api/v1/tasks/"+task+"/comments", nil).Must(t, 404)
	c.gin.Do("PATCH", "/api/v1/tasks/"+task+"/comments/"+id, map[string]any{"body": "x"}).Must(t, 404)
	kept := c.anna.Do("GET", "/api/v1/tasks/"+task+"/comments", nil).Must(t, 200).JSON()["items"].([]any)
	if _, shown := kept[0].(map[string]any)["author"]; shown || len(kept) != 1 {
		t.Errorf("Gina's comment after she left, for Anna: %v", kept)
	}
	kept = c.admin.Do("GET", "/api/v1/tasks/"+task+"/comments", nil).Must(t, 200).JSON()["items"].([]any)
	if a, _ := kept[0].(map[string]any)["author"].(map[string]any); a["id"] != c.gina.ID {
		t.Errorf("Gina's comment after she left, for an administrator: %v", kept)
	}
	c.admin.Do("DELETE", "/api/v1/tasks/"+task+"/comments/"+id, nil).Must(t, 204)
}

func TestAChecklistIsBoundedAndTickedByWhoWorksOnTheTask(t *testing.T) {
	c := newCompany(t)
	task := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID}).Must(t, 201).JSON()["id"].(string)
	path := "/api/v1/tasks/" + task + "/checklist"

	// 10,000 lines at once, a blank line, a line too long, or more than fits: refused
	// whole, nothing written.
	many := make([]string, 10_000)
	for i := range many {
		many[i] = "line"
	}
	c.anna.Do("POST", path, map[string]any{"items": many}).Must(t, 422)
	res := c.anna.Do("POST", path, map[string]any{"items": []string{"Plans", " ", strings.Repeat("x", 501)}}).Must(t, 422)
	if codes := res.FieldCodes(); codes["body.items[1]"] != "required" || codes["body.items[2]"] != "too_long" {
		t.Errorf("bad lines: %s", res.Body)
	}
	c.anna.Do("POST", path, map[string]any{"items": many[:150]}).Must(t, 200)
	if res := c.anna.Do("POST", path, map[string]any{"items": many[:51]}).Must(t, 422); res.FieldCodes()["body.items"] != "checklist_full" {
		t.Errorf("over the limit: %s", res.Body)
	}
	list := c.anna.Do("GET", path, nil).Must(t, 200).JSON()["items"].([]any)
	if len(list) != 150 {
		t.Fatalf("%d lines", len(list))
	}
	first := list[0].(map[string]any)["id"].(string)

	// Gina works on it: she ticks; she neither renames, moves nor removes.
	got := c.gin.Do("PATCH", path+"/"+first, map[string]any{"done": true}).Must(t, 200).JSON()["items"].([]any)
	if got[0].(map[string]any)["done"] != true {
		t.Errorf("ticked: %v", got[0])
	}
	c.gin.Do("PATCH", path+"/"+first, map[string]any{"text": "Mine"}).Must(t, 403)
	c.gin.Do("PATCH", path+"/"+first, map[string]any{"position": 3}).Must(t, 403)
	c.gin.Do("DELETE", path+"/"+first, nil).Must(t, 403)
	c.gin.Do("POST", path, map[string]any{"items": []string{"more"}}).Must(t, 403)

	// Anna moves the first line to third place, renames it, removes the second.
	got = c.anna.Do("PATCH", path+"/"+first, map[string]any{"position": 2, "text": "  Plans,   signed "}).Must(t, 200).JSON()["items"].([]any)
	if k := got[2].(map[string]any); k["id"] != first || k["text"] != "Plans, signed" || k["done"] != true {
		t.Errorf("moved: %v", got[:3])
	}
	second := got[0].(map[string]any)["id"].(string)
	if n := len(c.anna.Do("DELETE", path+"/"+second, nil).Must(t, 200).JSON()["items"].([]any)); n != 149 {
		t.Errorf("%d lines after removing one", n)
	}
	// A line reached through another task is not found; a hidden task has no checklist.
	other := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Other", "groupId": c.group}).Must(t, 201).JSON()["id"].(string)
	c.anna.Do("PATCH", "/api/v1/tasks/"+other+"/checklist/"+first, map[string]any{"done": false}).Must(t, 404)
	c.gin.Do("GET", "/api/v1/tasks/"+other+"/checklist", nil).Must(t, 404)
}

func TestTasksFilterByDeadlineAndPersonAndTheMenuCountsThem(t *testing.T) {
	c := newCompany(t)
	now := c.env.Clock.Now() // 09:00 UTC, 12:00 in Moscow
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	for _, v := range []struct {
		title, deadline, responsible string
	}{
		{"Late", at(-time.Hour), c.annaU.ID},
		{"Tonight", at(10 * time.Hour), c.annaU.ID}, // 19:00 UTC, 22:00 in Moscow
		{"Past midnight in Moscow", at(14 * time.Hour), c.annaU.ID},
		{"Gina's", at(2 * time.Hour), c.gina.ID},
		{"Next month", at(30 * 24 * time.Hour), c.annaU.ID},
	} {
		c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": v.title, "groupId": c.group, "deadline": v.deadline,
			"responsibleId": v.responsible}).Must(t, 201)
	}
	titles := func(query string) string {
		var out []string
		for _, it := range c.anna.Do("GET", "/api/v1/tasks?"+query, nil).Must(t, 200).JSON()["items"].([]any) {
			out = append(out, it.(map[string]any)["title"].(string))
		}
		return strings.Join(out, ",")
	}
	for query, want := range map[string]string{
		"due=overdue":            "Late",
		"due=today&timeZone=UTC": "Gina's,Past midnight in Moscow,Tonight,Late",
		"due=today&timeZone=Europe/Moscow&sort=deadline": "Late,Gina's,Tonight",
		"personId=" + c.gina.ID:                          "Gina's",
		"sort=deadline&status=open":                      "Late,Gina's,Tonight,Past midnight in Moscow,Next month",
	} {
		if got := titles(query); got != want {
			t.Errorf("%s: %s, want %s", query, got, want)
		}
	}
	// A person the reader cannot see filters like one who does not exist.
	if got := c.gin.Do("GET", "/api/v1/tasks?personId="+c.bob.ID, nil).Must(t, 200).JSON()["total"]; got != 0.0 {
		t.Errorf("Gina filters by Bob: %v", got)
	}
	c.anna.Do("GET", "/api/v1/tasks?due=today&timeZone=Mars/Olympus", nil).Must(t, 422)
	counts := c.anna.Do("GET", "/api/v1/tasks/counts?timeZone=Europe/Moscow", nil).Must(t, 200).JSON()
	if counts["overdue"] != 1.0 || counts["today"] != 1.0 {
		t.Errorf("Anna's counts in Moscow: %v", counts)
	}
}
