// Package tasks is tasks: personal and in groups, who is named on them and who may change
// them (docs/tasks.md). What an actor may see is decided by the fence (store/fence.go).
package tasks

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/live"
	"annex/app/notify"
	"annex/app/people"
	"annex/store"
)

// Service serves tasks.
type Service struct {
	st     *store.Store
	notify *notify.Service
	hub    *live.Hub
}

// New returns the tasks service.
func New(st *store.Store, n *notify.Service, hub *live.Hub) *Service {
	return &Service{st: st, notify: n, hub: hub}
}

// changed tells, once the write commits, the open pages of everyone who may see the task.
func (s *Service) changed(ctx context.Context, tx *store.Tx, id string) {
	tx.AfterCommit(func() { s.hub.TaskChanged(ctx, id) })
}

// involved is everyone named on a task, its creator included.
func involved(creator string, p store.TaskPeople) []string {
	return append(append([]string{creator, p.Responsible}, p.Participants...), p.Observers...)
}

// TaskItem is a task in a list or on a board, as the signed-in person sees it: all but
// its description, which only the task's own page shows (50 descriptions of up to 100,000
// characters made a page of megabytes).
type TaskItem struct {
	ID              string       `json:"id"`
	GroupID         string       `json:"groupId" doc:"Empty for a personal task"`
	GroupName       string       `json:"groupName"`
	Title           string       `json:"title"`
	Creator         *people.Ref  `json:"creator,omitempty" doc:"Left out when you may not see them (Hidden user)"`
	Responsible     *people.Ref  `json:"responsible,omitempty" doc:"Left out when you may not see them (Hidden user)"`
	Participants    []people.Ref `json:"participants" nullable:"false" doc:"Those you may see; the others are not shown"`
	Observers       []people.Ref `json:"observers" nullable:"false" doc:"Those you may see; the others are not shown"`
	Status          string       `json:"status" enum:"new,in_progress,waiting,done,deferred"`
	Priority        string       `json:"priority" enum:"low,normal,high"`
	Deadline        string       `json:"deadline" doc:"RFC 3339; empty when there is none"`
	CreatedAt       string       `json:"createdAt"`
	UpdatedAt       string       `json:"updatedAt"`
	CompletedAt     string       `json:"completedAt" doc:"When it was done; empty while it is not"`
	MayEdit         bool         `json:"mayEdit" doc:"You may change its fields and people, and delete it"`
	MayChangeStatus bool         `json:"mayChangeStatus" doc:"You may start, complete, defer or reopen it"`
}

// Task is a whole task as the signed-in person sees it.
type Task struct {
	TaskItem
	Description string `json:"description" doc:"Markdown"`
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func refs(us []store.User) []people.Ref {
	out := make([]people.Ref, 0, len(us))
	for _, u := range us {
		out = append(out, *people.RefOf(&u))
	}
	return out
}

// mayEdit: administrators, the creator, and the group's owner and moderators.
func mayEdit(a store.Actor, v store.Task) bool {
	return a.Admin || v.CreatorID == a.UserID || v.Manages
}

// mayChangeStatus: whoever may edit, the responsible person and the participants.
func mayChangeStatus(a store.Actor, v store.Task) bool { return mayEdit(a, v) || v.Works }

// MayWork says whether a works on task v — may change its status, and attach files to it:
// whoever may edit it, its responsible person and its participants.
func MayWork(a store.Actor, v store.Task) bool { return mayChangeStatus(a, v) }

// MayEdit says whether a may change task v's fields and people, and delete it.
func MayEdit(a store.Actor, v store.Task) bool { return mayEdit(a, v) }

func taskOf(a store.Actor, v store.Task) Task {
	return Task{TaskItem: itemOf(a, v), Description: v.Description}
}

func itemOf(a store.Actor, v store.Task) TaskItem {
	return TaskItem{ID: v.ID, GroupID: v.GroupID, GroupName: v.GroupName, Title: v.Title,
		Creator: people.RefOf(v.Creator), Responsible: people.RefOf(v.Responsible), Participants: refs(v.Participants),
		Observers: refs(v.Observers), Status: v.Status, Priority: v.Priority, Deadline: stamp(v.Deadline),
		CreatedAt: stamp(&v.CreatedAt), UpdatedAt: stamp(&v.UpdatedAt), CompletedAt: stamp(v.CompletedAt),
		MayEdit: mayEdit(a, v), MayChangeStatus: mayChangeStatus(a, v)}
}

type listInput struct {
	Role     string `query:"role" enum:"responsible,creator,participant,observer," doc:"Only the tasks you are named on this way"`
	GroupID  string `query:"groupId" maxLength:"32" doc:"Only this group's tasks"`
	PersonID string `query:"personId" maxLength:"32" doc:"Only the tasks this person is named on, in any way"`
	Due      string `query:"due" enum:"overdue,today,week," doc:"Only open tasks: past their deadline, due today, or due this week (in timeZone)"`
	Sort     string `query:"sort" enum:"created,deadline,updated,priority," doc:"created (newest first, the default), deadline (soonest first), updated, priority"`
	TimeZone string `query:"timeZone" maxLength:"64" doc:"The IANA time zone of today and this week; default your profile's, else UTC"`
	Status   string `query:"status" enum:"open,new,in_progress,waiting,done,deferred," doc:"open: neither done nor deferred"`
	Q        string `query:"q" maxLength:"200" doc:"Words in the title or the description, in any letter case"`
	Page     int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage  int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

// TaskPage is one page of tasks, newest first.
type TaskPage struct {
	Items   []TaskItem `json:"items"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	PerPage int        `json:"perPage"`
}

type listOutput struct{ Body TaskPage }

type countsInput struct {
	TimeZone string `query:"timeZone" maxLength:"64" doc:"The IANA time zone of today; default your profile's, else UTC"`
}

type countsOutput struct {
	Body struct {
		Overdue int `json:"overdue" doc:"Open tasks you work on whose deadline has passed"`
		Today   int `json:"today" doc:"Open tasks you work on due later today"`
	}
}

type idInput struct {
	ID string `path:"id" maxLength:"32"`
}

type taskOutput struct{ Body Task }

// Limits of a task's text and people.
const (
	maxTitle       = 250
	maxDescription = 100_000
)

type createBody struct {
	Title          string   `json:"title" maxLength:"250"`
	Description    string   `json:"description,omitempty" maxLength:"100000" doc:"Markdown"`
	GroupID        string   `json:"groupId,omitempty" maxLength:"32" doc:"The group; empty for a personal task"`
	ResponsibleID  string   `json:"responsibleId,omitempty" maxLength:"32" doc:"Empty: you"`
	ParticipantIDs []string `json:"participantIds,omitempty" maxItems:"100"`
	ObserverIDs    []string `json:"observerIds,omitempty" maxItems:"100"`
	Deadline       string   `json:"deadline,omitempty" maxLength:"40" doc:"RFC 3339 with its offset; empty for none"`
	Priority       string   `json:"priority,omitempty" enum:"low,normal,high,"`
}

type createInput struct{ Body createBody }

type updateInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Title          *string   `json:"title,omitempty" maxLength:"250"`
		Description    *string   `json:"description,omitempty" maxLength:"100000"`
		ResponsibleID  *string   `json:"responsibleId,omitempty" maxLength:"32"`
		ParticipantIDs *[]string `json:"participantIds,omitempty" maxItems:"100" doc:"Those you may see; people hidden from you stay named"`
		ObserverIDs    *[]string `json:"observerIds,omitempty" maxItems:"100" doc:"Those you may see; people hidden from you stay named"`
		Deadline       *string   `json:"deadline,omitempty" maxLength:"40" doc:"RFC 3339; empty to remove it"`
		Priority       *string   `json:"priority,omitempty" enum:"low,normal,high"`
		Status         *string   `json:"status,omitempty" enum:"new,in_progress,waiting,done,deferred"`
	}
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Tasks"}
	huma.Register(api, huma.Operation{OperationID: "listTasks", Method: http.MethodGet, Path: "/tasks",
		Summary: "The tasks you may see, newest first", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "countTasks", Method: http.MethodGet, Path: "/tasks/counts",
		Summary: "How many of the tasks you work on are overdue, and due today: the menu's counters", Tags: tags}, s.counts)
	huma.Register(api, huma.Operation{OperationID: "getTask", Method: http.MethodGet, Path: "/tasks/{id}",
		Summary: "One task; not found if you may not see it", Tags: tags}, s.get)
	huma.Register(api, huma.Operation{OperationID: "createTask", Method: http.MethodPost, Path: "/tasks",
		Summary: "Create a task, personal or in a group you are a member of", Tags: tags, DefaultStatus: http.StatusCreated}, s.create)
	huma.Register(api, huma.Operation{OperationID: "updateTask", Method: http.MethodPatch, Path: "/tasks/{id}",
		Summary:     "Change a task",
		Description: "Its fields and people: its creator, the group's owner and moderators, administrators. Its status alone: also its responsible person and participants.",
		Tags:        tags}, s.update)
	huma.Register(api, huma.Operation{OperationID: "deleteTask", Method: http.MethodDelete, Path: "/tasks/{id}",
		Summary: "Delete a task: its creator, the group's owner and moderators, administrators", Tags: tags,
		DefaultStatus: http.StatusNoContent}, s.remove)
	s.commentRoutes(api, tags)
	s.checklistRoutes(api, tags)
	s.boardRoutes(api, tags)
}

// zone is the time zone of "today": the one asked for, else the person's profile's, else UTC.
func zone(ctx context.Context, asked string) (*time.Location, error) {
	if asked == "" {
		if c := auth.CurrentFrom(ctx); c != nil {
			asked = c.User.TimeZone
		}
	}
	if asked == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(asked)
	if err != nil {
		return nil, apperr.Invalid(apperr.FieldErr("query.timeZone", "time_zone_unknown", nil))
	}
	return loc, nil
}

// day is the start of the day of now in loc, and of the next.
func day(now time.Time, loc *time.Location) (time.Time, time.Time) {
	y, m, d := now.In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 1)
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	a := auth.ActorFrom(ctx)
	f := store.TaskFilter{Role: in.Role, GroupID: in.GroupID, PersonID: in.PersonID, Status: in.Status, Query: in.Q,
		Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage}
	if in.Sort != "created" {
		f.Sort = in.Sort
	}
	if in.Due != "" {
		loc, err := zone(ctx, in.TimeZone)
		if err != nil {
			return nil, err
		}
		now := s.st.Now()
		start, end := day(now, loc)
		switch in.Due {
		case "overdue":
			f.DueTo = &now
		case "today":
			f.DueFrom, f.DueTo = &start, &end
		case "week":
			monday := start.AddDate(0, 0, -(int(start.Weekday())+6)%7)
			next := monday.AddDate(0, 0, 7)
			f.DueFrom, f.DueTo = &monday, &next
		}
	}
	ts, total, err := s.st.Tasks(ctx, a, f)
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: TaskPage{Items: make([]TaskItem, 0, len(ts)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, v := range ts {
		out.Body.Items = append(out.Body.Items, itemOf(a, v))
	}
	return out, nil
}

func (s *Service) counts(ctx context.Context, in *countsInput) (*countsOutput, error) {
	loc, err := zone(ctx, in.TimeZone)
	if err != nil {
		return nil, err
	}
	start, end := day(s.st.Now(), loc)
	out := &countsOutput{}
	out.Body.Overdue, out.Body.Today, err = s.st.TaskCounts(ctx, auth.ActorFrom(ctx), start, end)
	return out, err
}

func (s *Service) get(ctx context.Context, in *idInput) (*taskOutput, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.Task(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: taskOf(a, v)}, nil
}

// cleanLine trims one line of text (a title, a checklist line, a stage's name), its inner
// spaces folded, and records at location what is wrong with it.
func cleanLine(location, s string, max int, fields *apperr.Fields) string {
	line := strings.Join(strings.Fields(s), " ")
	switch {
	case line == "":
		fields.Add(location, "required", nil)
	case utf8.RuneCountInString(line) > max:
		fields.Add(location, "too_long", map[string]any{"max": max})
	case strings.IndexFunc(line, unicode.IsControl) >= 0:
		fields.Add(location, "invalid_characters", nil)
	}
	return line
}

// parseDeadline reads an RFC 3339 moment; "" is none.
func parseDeadline(s string, fields *apperr.Fields) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < 2000 || t.Year() > 9999 {
		fields.Add("body.deadline", "date_time", nil)
		return nil
	}
	t = t.Truncate(time.Second)
	return &t
}

// naming checks, inside a write, the people a task names: each must be someone the
// author may see (for an external user: their contacts), active, and, on a group's task,
// an active member of the group. Anyone else is refused next to the field, in the same
// words whether they exist or not.
type naming struct {
	ctx   context.Context
	tx    *store.Tx
	a     store.Actor
	group string
	seen  map[string]bool // ids already found namable
}

func (n *naming) check(location, id string, fields *apperr.Fields) error {
	if n.seen[id] {
		return nil
	}
	u, err := n.tx.UserTx(n.ctx, n.a, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fields.Add(location, "person_unknown", nil)
		return nil
	case err != nil:
		return err
	case !u.Active:
		fields.Add(location, "person_inactive", nil)
		return nil
	}
	if n.group != "" {
		_, state, err := n.tx.MembershipOf(n.ctx, n.group, id)
		if err != nil {
			return err
		}
		if state != store.MemberActive {
			fields.Add(location, "not_group_member", nil)
			return nil
		}
	}
	n.seen[id] = true
	return nil
}

// list checks a list of people, each once, and returns it without repeats.
func (n *naming) list(location string, ids []string, fields *apperr.Fields) ([]string, error) {
	out := make([]string, 0, len(ids))
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if slices.Contains(out, id) {
			continue
		}
		if err := n.check(location+"["+strconv.Itoa(i)+"]", id, fields); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// taskGroup loads, inside a write, the group a new task goes into: one the actor may see
// (else unknown, as for a missing id), of which they are an active member (administrators
// need not be), not archived, with its Tasks tool on.
func taskGroup(ctx context.Context, tx *store.Tx, a store.Actor, id string) error {
	g, err := tx.VisibleGroup(ctx, a, id)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Invalid(apperr.FieldErr("body.groupId", "group_unknown", nil))
	}
	if err != nil {
		return err
	}
	if !a.Admin {
		if _, state, err := tx.MembershipOf(ctx, g.ID, a.UserID); err != nil {
			return err
		} else if state != store.MemberActive {
			return apperr.Invalid(apperr.FieldErr("body.groupId", "not_group_member", nil))
		}
	}
	switch {
	case g.Archived:
		return apperr.New(http.StatusConflict, "task_group_archived", nil)
	case !slices.Contains(g.Tools, "tasks"):
		return apperr.New(http.StatusConflict, "tasks_off", nil)
	}
	return nil
}

func (s *Service) create(ctx context.Context, in *createInput) (*taskOutput, error) {
	a := auth.ActorFrom(ctx)
	b := in.Body
	var fields apperr.Fields
	v := store.Task{Title: cleanLine("body.title", b.Title, maxTitle, &fields), Description: strings.TrimSpace(b.Description), GroupID: b.GroupID,
		CreatorID: a.UserID, Status: store.TaskNew, Priority: b.Priority, Deadline: parseDeadline(b.Deadline, &fields)}
	if v.Priority == "" {
		v.Priority = "normal"
	}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if v.GroupID != "" {
			if err := taskGroup(ctx, tx, a, v.GroupID); err != nil {
				return err
			}
		}
		n := naming{ctx: ctx, tx: tx, a: a, group: v.GroupID, seen: map[string]bool{}}
		p := store.TaskPeople{Responsible: strings.TrimSpace(b.ResponsibleID)}
		if p.Responsible == "" {
			p.Responsible = a.UserID
		}
		var err error
		if err = n.check("body.responsibleId", p.Responsible, &fields); err != nil {
			return err
		}
		if p.Participants, err = n.list("body.participantIds", b.ParticipantIDs, &fields); err != nil {
			return err
		}
		if p.Observers, err = n.list("body.observerIds", b.ObserverIDs, &fields); err != nil {
			return err
		}
		if err := fields.Err(); err != nil {
			return err
		}
		if err := tx.CreateTask(ctx, &v, p); err != nil {
			return err
		}
		if err := s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskAssigned, Actor: a, Task: v,
			To: involved("", p)}); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		return audit.Log(ctx, tx, a, audit.TaskCreated, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, &idInput{ID: v.ID})
}

func (s *Service) update(ctx context.Context, in *updateInput) (*taskOutput, error) {
	a := auth.ActorFrom(ctx)
	b := in.Body
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.TaskTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		statusOnly := b.Title == nil && b.Description == nil && b.ResponsibleID == nil && b.ParticipantIDs == nil &&
			b.ObserverIDs == nil && b.Deadline == nil && b.Priority == nil
		switch {
		case statusOnly && !mayChangeStatus(a, v):
			return apperr.Forbidden("task_read_only")
		case !statusOnly && !mayEdit(a, v):
			return apperr.Forbidden("task_edit_forbidden")
		case v.GroupArchived:
			return apperr.New(http.StatusConflict, "task_group_archived", nil)
		}
		var fields apperr.Fields
		changed := map[string]string{}
		before, err := tx.TaskPeopleIDs(ctx, v.ID)
		if err != nil {
			return err
		}
		if b.Title != nil {
			v.Title, changed["title"] = cleanLine("body.title", *b.Title, maxTitle, &fields), "yes"
		}
		if b.Description != nil {
			v.Description, changed["description"] = strings.TrimSpace(*b.Description), "yes"
		}
		if b.Deadline != nil {
			old := stamp(v.Deadline)
			if v.Deadline = parseDeadline(*b.Deadline, &fields); stamp(v.Deadline) != old {
				changed["deadline"] = stamp(v.Deadline)
			}
		}
		if b.Priority != nil {
			v.Priority, changed["priority"] = *b.Priority, *b.Priority
		}
		if b.Status != nil && *b.Status != v.Status {
			// Sent for control, a task is accepted by who set it (docs/tasks.md): the
			// person who did the work does not close their own check.
			if v.Status == store.TaskWaiting && *b.Status == store.TaskDone && !mayEdit(a, v) {
				return apperr.Forbidden("task_control")
			}
			v.Status, changed["status"] = *b.Status, *b.Status
		}
		if b.ResponsibleID != nil || b.ParticipantIDs != nil || b.ObserverIDs != nil {
			if err := s.rename(ctx, tx, a, v, b.ResponsibleID, b.ParticipantIDs, b.ObserverIDs, &fields); err != nil {
				return err
			}
			changed["people"] = "yes"
		}
		if err := fields.Err(); err != nil {
			return err
		}
		if err := tx.UpdateTask(ctx, v); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, a, v, before, changed); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		action := audit.TaskChanged
		if _, ok := changed["status"]; ok && len(changed) == 1 {
			action = audit.TaskStatusChanged
		}
		return audit.Log(ctx, tx, a, action, audit.Task(v.ID, v.Title, v.GroupID), changed)
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, &idInput{ID: in.ID})
}

// tell notifies of a change to a task: those newly named on it that they are, everyone
// else named on it of a new status or deadline.
func (s *Service) tell(ctx context.Context, tx *store.Tx, a store.Actor, v store.Task, before store.TaskPeople,
	changed map[string]string) error {
	after, err := tx.TaskPeopleIDs(ctx, v.ID)
	if err != nil {
		return err
	}
	was := involved(v.CreatorID, before)
	var added []string
	for _, id := range involved(v.CreatorID, after) {
		if !slices.Contains(was, id) {
			added = append(added, id)
		}
	}
	if err := s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskAssigned, Actor: a, Task: v, To: added}); err != nil {
		return err
	}
	everyone := slices.DeleteFunc(involved(v.CreatorID, after), func(id string) bool { return slices.Contains(added, id) })
	if status, ok := changed["status"]; ok {
		if err := s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskStatus, Actor: a, Task: v, To: everyone,
			Detail: status}); err != nil {
			return err
		}
	}
	if deadline, ok := changed["deadline"]; ok {
		return s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskDeadline, Actor: a, Task: v, To: everyone,
			Detail: deadline})
	}
	return nil
}

// rename names a task's people anew. The lists are those the actor may see: people named
// on it who are hidden from the actor stay named, since the actor could not have meant them.
func (*Service) rename(ctx context.Context, tx *store.Tx, a store.Actor, v store.Task, responsible *string,
	participants, observers *[]string, fields *apperr.Fields) error {
	p, err := tx.TaskPeopleIDs(ctx, v.ID)
	if err != nil {
		return err
	}
	n := naming{ctx: ctx, tx: tx, a: a, group: v.GroupID, seen: map[string]bool{}}
	hidden := func(id string) bool {
		_, err := tx.UserTx(ctx, a, id)
		return errors.Is(err, store.ErrNotFound)
	}
	keep := func(old []string, location string, ids []string) ([]string, error) {
		next, err := n.list(location, ids, fields)
		if err != nil {
			return nil, err
		}
		for _, id := range old {
			if !slices.Contains(next, id) && hidden(id) {
				next = append(next, id)
			}
		}
		return next, nil
	}
	if responsible != nil {
		id := strings.TrimSpace(*responsible)
		if id != p.Responsible {
			if err := n.check("body.responsibleId", id, fields); err != nil {
				return err
			}
		}
		p.Responsible = id
	}
	if participants != nil {
		if p.Participants, err = keep(p.Participants, "body.participantIds", *participants); err != nil {
			return err
		}
	}
	if observers != nil {
		if p.Observers, err = keep(p.Observers, "body.observerIds", *observers); err != nil {
			return err
		}
	}
	if len(*fields) > 0 {
		return nil
	}
	return tx.SetTaskPeople(ctx, v.ID, p)
}

func (s *Service) remove(ctx context.Context, in *idInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.TaskTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		switch {
		case !mayEdit(a, v):
			return apperr.Forbidden("task_edit_forbidden")
		case v.GroupArchived:
			return apperr.New(http.StatusConflict, "task_group_archived", nil)
		}
		if err := tx.DeleteTask(ctx, v.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.TaskDeleted, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
}
