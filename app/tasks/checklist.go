package tasks

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// Limits of a checklist: a pasted list of lines is added at once, up to a length a
// person can still work through on one page.
const (
	maxChecklist     = 200
	maxChecklistText = 500
)

// ChecklistItem is one line of a task's checklist.
type ChecklistItem struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Checklist is a task's checklist, in order.
type Checklist struct {
	Items []ChecklistItem `json:"items" nullable:"false"`
}

type checklistOutput struct{ Body Checklist }

type addChecklistInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Items []string `json:"items" minItems:"1" maxItems:"200" doc:"The lines to add at the end, in order"`
	}
}

type checklistItemInput struct {
	ID     string `path:"id" maxLength:"32"`
	ItemID string `path:"itemId" maxLength:"32"`
}

type setChecklistItemInput struct {
	ID     string `path:"id" maxLength:"32"`
	ItemID string `path:"itemId" maxLength:"32"`
	Body   struct {
		Text     *string `json:"text,omitempty" maxLength:"500"`
		Done     *bool   `json:"done,omitempty" doc:"Ticking: also the task's responsible person and participants"`
		Position *int    `json:"position,omitempty" minimum:"0" maximum:"10000" doc:"Its new place, from 0 (past the end: last)"`
	}
}

func (s *Service) checklistRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "getTaskChecklist", Method: http.MethodGet, Path: "/tasks/{id}/checklist",
		Summary: "A task's checklist", Tags: tags}, s.checklist)
	huma.Register(api, huma.Operation{OperationID: "addChecklistItems", Method: http.MethodPost, Path: "/tasks/{id}/checklist",
		Summary: "Add lines to a task's checklist (who may edit the task)", Tags: tags}, s.addChecklist)
	huma.Register(api, huma.Operation{OperationID: "setChecklistItem", Method: http.MethodPatch,
		Path: "/tasks/{id}/checklist/{itemId}", Summary: "Tick, untick, rename or move a line of a task's checklist",
		Description: "Ticking: whoever may change the task's status. Renaming and moving: whoever may edit the task.",
		Tags:        tags}, s.setChecklistItem)
	huma.Register(api, huma.Operation{OperationID: "deleteChecklistItem", Method: http.MethodDelete,
		Path: "/tasks/{id}/checklist/{itemId}", Summary: "Remove a line of a task's checklist (who may edit the task)",
		Tags: tags}, s.deleteChecklistItem)
}

func checklistOf(ks []store.ChecklistItem) *checklistOutput {
	out := &checklistOutput{Body: Checklist{Items: make([]ChecklistItem, 0, len(ks))}}
	for _, k := range ks {
		out.Body.Items = append(out.Body.Items, ChecklistItem{ID: k.ID, Text: k.Text, Done: k.Done})
	}
	return out
}

func (s *Service) checklist(ctx context.Context, in *idInput) (*checklistOutput, error) {
	a := auth.ActorFrom(ctx)
	if _, err := s.st.Task(ctx, a, in.ID); err != nil {
		return nil, err
	}
	ks, err := s.st.TaskChecklist(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return checklistOf(ks), nil
}

// changeChecklist runs change on the checklist of an open task the actor may see and
// answers with the checklist as it then is. edit says the change needs the right to edit
// the task; otherwise the right to change its status is enough.
func (s *Service) changeChecklist(ctx context.Context, id string, edit bool,
	change func(tx *store.Tx, a store.Actor, v store.Task, ks []store.ChecklistItem) error) (*checklistOutput, error) {
	a := auth.ActorFrom(ctx)
	var out *checklistOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := openTask(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case edit && !mayEdit(a, v):
			return apperr.Forbidden("task_edit_forbidden")
		case !mayChangeStatus(a, v):
			return apperr.Forbidden("task_read_only")
		}
		ks, err := tx.TaskChecklistTx(ctx, a, v.ID)
		if err != nil {
			return err
		}
		if err := change(tx, a, v, ks); err != nil {
			return err
		}
		if err := tx.TouchTask(ctx, v.ID); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		if err := audit.Log(ctx, tx, a, audit.TaskChecklistChanged, audit.Task(v.ID, v.Title, v.GroupID), nil); err != nil {
			return err
		}
		ks, err = tx.TaskChecklistTx(ctx, a, v.ID)
		out = checklistOf(ks)
		return err
	})
	return out, err
}

func (s *Service) addChecklist(ctx context.Context, in *addChecklistInput) (*checklistOutput, error) {
	return s.changeChecklist(ctx, in.ID, true, func(tx *store.Tx, _ store.Actor, v store.Task, ks []store.ChecklistItem) error {
		var fields apperr.Fields
		lines := make([]string, 0, len(in.Body.Items))
		for i, l := range in.Body.Items {
			lines = append(lines, cleanLine("body.items["+strconv.Itoa(i)+"]", l, maxChecklistText, &fields))
		}
		if len(ks)+len(lines) > maxChecklist {
			fields.Add("body.items", "checklist_full", map[string]any{"max": maxChecklist, "left": maxChecklist - len(ks)})
		}
		if err := fields.Err(); err != nil {
			return err
		}
		return tx.AddChecklistItems(ctx, v.ID, lines)
	})
}

// item finds a line of the checklist by id; a line of another task is not found.
func item(ks []store.ChecklistItem, id string) (int, error) {
	i := slices.IndexFunc(ks, func(k store.ChecklistItem) bool { return k.ID == id })
	if i < 0 {
		return i, apperr.NotFound()
	}
	return i, nil
}

func (s *Service) setChecklistItem(ctx context.Context, in *setChecklistItemInput) (*checklistOutput, error) {
	b := in.Body
	edit := b.Text != nil || b.Position != nil
	return s.changeChecklist(ctx, in.ID, edit, func(tx *store.Tx, _ store.Actor, v store.Task, ks []store.ChecklistItem) error {
		i, err := item(ks, in.ItemID)
		if err != nil {
			return err
		}
		k := ks[i]
		if b.Text != nil {
			var fields apperr.Fields
			if k.Text = cleanLine("body.text", *b.Text, maxChecklistText, &fields); fields.Err() != nil {
				return fields.Err()
			}
		}
		if b.Done != nil {
			k.Done = *b.Done
		}
		if err := tx.SetChecklistItem(ctx, v.ID, k); err != nil {
			return err
		}
		if b.Position == nil {
			return nil
		}
		ids := make([]string, 0, len(ks))
		for _, o := range slices.Delete(slices.Clone(ks), i, i+1) {
			ids = append(ids, o.ID)
		}
		ids = slices.Insert(ids, min(*b.Position, len(ids)), k.ID)
		return tx.OrderChecklist(ctx, v.ID, ids)
	})
}

func (s *Service) deleteChecklistItem(ctx context.Context, in *checklistItemInput) (*checklistOutput, error) {
	return s.changeChecklist(ctx, in.ID, true, func(tx *store.Tx, _ store.Actor, v store.Task, ks []store.ChecklistItem) error {
		if _, err := item(ks, in.ItemID); err != nil {
			return err
		}
		return tx.DeleteChecklistItem(ctx, v.ID, in.ItemID)
	})
}
