package notify_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/store"
)

const pw = "correct horse battery staple"

type company struct {
	env              *apptest.Env
	smtp             *apptest.SMTPServer
	admin, anna, gin *apptest.Client
	annaU, gina      store.User
	group            string
}

// newCompany: Anna owns the extranet group Client project, where Gina (external, who
// reads Russian) is a member; mail goes to a real SMTP server.
func newCompany(t *testing.T) company {
	env := apptest.New(t)
	c := company{env: env, admin: env.Setup(), smtp: apptest.NewSMTP(t)}
	env.UseSMTP(c.admin, c.smtp)
	c.annaU = env.CreateUser("anna@example.com", pw, store.KindEmployee, false)
	c.gina = env.CreateUser("gina@client.example", pw, store.KindExternal, false)
	c.anna, c.gin = env.SignIn("anna@example.com", pw), env.SignIn("gina@client.example", pw)
	c.gin.Do("PATCH", "/api/v1/me", map[string]any{"locale": "ru"}).Must(t, 200)
	c.group = c.anna.Do("POST", "/api/v1/groups", map[string]any{"name": "Client project", "kind": "extranet"}).Must(t, 201).JSON()["id"].(string)
	err := env.Store.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutMembership(context.Background(), c.group, c.gina.ID, store.RoleMember, store.MemberActive)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func kinds(t *testing.T, c *apptest.Client) (out []string, unread float64) {
	t.Helper()
	page := c.Do("GET", "/api/v1/notifications", nil).Must(t, 200).JSON()
	for _, it := range page["items"].([]any) {
		out = append(out, it.(map[string]any)["kind"].(string))
	}
	return out, page["unread"].(float64)
}

// stream opens the events stream as c and returns its events, one "type data" line each.
func stream(t *testing.T, env *apptest.Env, c *apptest.Client) (<-chan string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", env.HTTP.URL+"/api/v1/events", nil)
	res, err := (&http.Client{Jar: c.Jar}).Do(req)
	if err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %v %v", err, res)
	}
	out := make(chan string, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var event string
		for sc.Scan() {
			line := sc.Text()
			if e, ok := strings.CutPrefix(line, "event: "); ok {
				event = e
			}
			if d, ok := strings.CutPrefix(line, "data: "); ok {
				out <- event + " " + d
			}
		}
		close(out)
	}()
	return out, cancel
}

func next(t *testing.T, events <-chan string, prefix string) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e := <-events:
			if strings.HasPrefix(e, prefix) {
				return e
			}
		case <-timeout:
			t.Fatalf("no %q event", prefix)
		}
	}
}

func TestPeopleAreToldOfWhatHappensToTheirTasksOnceEachAndNeverOfTheirOwnActions(t *testing.T) {
	c := newCompany(t)
	annaEvents, stop := stream(t, c.env, c.anna)
	defer stop()
	if e := next(t, annaEvents, "hello"); e != `hello {"unread":0}` {
		t.Errorf("hello: %s", e)
	}

	// Anna assigns Gina: Gina is told in the app and by mail, in Russian; Anna is not.
	task := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID}).Must(t, 201).JSON()["id"].(string)
	if got, unread := kinds(t, c.gin); strings.Join(got, ",") != "task_assigned" || unread != 1 {
		t.Errorf("Gina's notifications: %v, %v unread", got, unread)
	}
	if got, _ := kinds(t, c.anna); len(got) != 0 {
		t.Errorf("Anna told of her own action: %v", got)
	}
	m := c.smtp.To(t, "gina@client.example", 1, 10*time.Second)
	if text := m.Text(); !strings.Contains(text, "добавил(а) вас в задачу «Send the drawings»") ||
		!strings.Contains(text, "Открыть задачу") || !strings.Contains(text, "/tasks/"+task) {
		t.Errorf("Gina's mail: %s", text)
	}

	// Gina comments and mentions Anna: Anna is told once, of the mention, live.
	c.gin.Do("POST", "/api/v1/tasks/"+task+"/comments", map[string]any{"body": "Сделано, @Anna",
		"mentionIds": []string{c.annaU.ID}}).Must(t, 201)
	next(t, annaEvents, "task {\"id\":\""+task)
	if e := next(t, annaEvents, "notification"); e != `notification {"unread":1}` {
		t.Errorf("Anna's live notice: %s", e)
	}
	if got, _ := kinds(t, c.anna); strings.Join(got, ",") != "task_mentioned" {
		t.Errorf("Anna's notifications: %v", got)
	}
	m = c.smtp.To(t, "anna@example.com", 1, 10*time.Second)
	if text := m.Text(); !strings.Contains(text, "mentioned you in a comment") || !strings.Contains(text, "Сделано") {
		t.Errorf("Anna's mail: %s", text)
	}

	// Anna wants status changes in the app only; Gina completes the task.
	c.anna.Do("PUT", "/api/v1/notifications/preferences", map[string]any{"items": []map[string]any{
		{"kind": "task_status", "inApp": true, "mail": false}}}).Must(t, 200)
	c.anna.Do("PUT", "/api/v1/notifications/preferences", map[string]any{"items": []map[string]any{
		{"kind": "task_status", "inApp": true, "mail": false}, {"kind": "task_status", "inApp": false, "mail": false}}}).Must(t, 422)
	c.gin.Do("PATCH", "/api/v1/tasks/"+task, map[string]any{"status": "done"}).Must(t, 200)
	if got, unread := kinds(t, c.anna); strings.Join(got, ",") != "task_status,task_mentioned" || unread != 2 {
		t.Errorf("Anna's notifications: %v, %v unread", got, unread)
	}
	before := len(c.smtp.Messages())

	// She reads one, then all; someone else's notification is not found.
	page := c.anna.Do("GET", "/api/v1/notifications?unread=true", nil).Must(t, 200).JSON()
	first := page["items"].([]any)[0].(map[string]any)
	if first["subject"].(map[string]any)["title"] != "Send the drawings" || first["actor"].(map[string]any)["id"] != c.gina.ID ||
		first["detail"] != "done" {
		t.Errorf("a notification: %v", first)
	}
	c.gin.Do("POST", "/api/v1/notifications/"+first["id"].(string)+"/read", nil).Must(t, 404)
	c.anna.Do("POST", "/api/v1/notifications/"+first["id"].(string)+"/read", nil).Must(t, 204)
	if _, unread := kinds(t, c.anna); unread != 1 {
		t.Errorf("unread after reading one: %v", unread)
	}
	c.anna.Do("POST", "/api/v1/notifications/read", nil).Must(t, 204)
	if _, unread := kinds(t, c.anna); unread != 0 {
		t.Errorf("unread after reading all: %v", unread)
	}

	// Removed from the group, Gina no longer reads of its task.
	c.anna.Do("DELETE", "/api/v1/groups/"+c.group+"/members/"+c.gina.ID, nil).Must(t, 204)
	if got, unread := kinds(t, c.gin); len(got) != 0 || unread != 0 {
		t.Errorf("Gina after leaving: %v, %v unread", got, unread)
	}
	time.Sleep(300 * time.Millisecond) // the outbox had its chance: the status change sent Anna no mail
	if n := len(c.smtp.Messages()); n != before {
		t.Errorf("%d mails after the status change Anna wanted in the app only", n-before)
	}
}

func TestADeadlineADayAwayIsRemindedOncePerDeadline(t *testing.T) {
	c := newCompany(t)
	soon := c.env.Clock.Now().Add(20 * time.Hour).Format(time.RFC3339)
	task := c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Send the drawings", "groupId": c.group,
		"responsibleId": c.gina.ID, "deadline": soon}).Must(t, 201).JSON()["id"].(string)
	c.anna.Do("POST", "/api/v1/tasks", map[string]any{"title": "Later", "groupId": c.group, "responsibleId": c.gina.ID,
		"deadline": c.env.Clock.Now().Add(50 * time.Hour).Format(time.RFC3339)}).Must(t, 201)
	runs := 0
	run := func() {
		t.Helper()
		c.admin.Do("POST", "/api/v1/admin/jobs/task_reminders/run", nil).Must(t, 202)
		runs++
		for range 200 {
			for _, j := range c.admin.Do("GET", "/api/v1/admin/jobs", nil).Must(t, 200).JSON()["items"].([]any) {
				j := j.(map[string]any)
				if last, _ := j["lastRun"].(map[string]any); j["name"] == "task_reminders" && j["running"] == false && last != nil {
					if last["error"] != "" {
						t.Fatalf("the job failed: %v", last)
					}
					if runs == 1 || last["finishedAt"] != "" {
						return
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the job did not finish")
	}
	run()
	run()
	got, _ := kinds(t, c.gin)
	if strings.Join(got, ",") != "task_due,task_assigned,task_assigned" {
		t.Errorf("Gina's notifications: %v", got)
	}
	// A new deadline is reminded of again.
	c.anna.Do("PATCH", "/api/v1/tasks/"+task, map[string]any{"deadline": c.env.Clock.Now().Add(10 * time.Hour).Format(time.RFC3339)}).Must(t, 200)
	run()
	if got, _ := kinds(t, c.gin); strings.Join(got, ",") != "task_due,task_deadline,task_due,task_assigned,task_assigned" {
		t.Errorf("Gina's notifications after a new deadline: %v", got)
	}
}
