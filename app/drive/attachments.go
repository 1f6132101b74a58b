package drive

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/tasks"
	"annex/store"
)

// Drive files attached to tasks (docs/drive.md, "Attached to tasks"): an attachment shows
// to those who see both the task and the file, and adds no sight of either.

// TaskAttachment is a drive file attached to a task.
type TaskAttachment struct {
	Item    DriveItem `json:"item"`
	AddedAt time.Time `json:"addedAt"`
	Mine    bool      `json:"mine" doc:"You attached it"`
}

type attachmentsOutput struct {
	Body struct {
		Items []TaskAttachment `json:"items" nullable:"false" doc:"The files you see, oldest first; those you do not see are left out"`
	}
}

type attachInput struct {
	ID     string `path:"id" maxLength:"32" doc:"The task's id"`
	ItemID string `path:"itemId" maxLength:"32" doc:"The drive file's id"`
}

func (s *Service) attachmentRoutes(api huma.API) {
	tags := []string{"Tasks"}
	huma.Register(api, huma.Operation{OperationID: "listTaskAttachments", Method: http.MethodGet, Path: "/tasks/{id}/attachments",
		Summary: "The drive files attached to a task that you see", Tags: tags}, s.attachments)
	huma.Register(api, huma.Operation{OperationID: "attachToTask", Method: http.MethodPut, Path: "/tasks/{id}/attachments/{itemId}",
		Summary: "Attach a drive file you see to a task you work on", DefaultStatus: http.StatusNoContent, Tags: tags}, s.attach)
	huma.Register(api, huma.Operation{OperationID: "detachFromTask", Method: http.MethodDelete, Path: "/tasks/{id}/attachments/{itemId}",
		Summary: "Take a file off a task", DefaultStatus: http.StatusNoContent, Tags: tags}, s.detach)
}

func (s *Service) attachments(ctx context.Context, in *itemInput) (*attachmentsOutput, error) {
	a := auth.ActorFrom(ctx)
	if _, err := s.st.Task(ctx, a, in.ID); err != nil {
		return nil, err
	}
	ats, err := s.st.TaskAttachments(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	items := make([]DriveItem, len(ats))
	from := make([]store.DriveItem, len(ats))
	for i, at := range ats {
		items[i], from[i] = itemOf(a, at.DriveItem), at.DriveItem
	}
	if err := s.withOwners(ctx, a, items, from); err != nil {
		return nil, err
	}
	out := &attachmentsOutput{}
	out.Body.Items = []TaskAttachment{}
	for i, at := range ats {
		out.Body.Items = append(out.Body.Items, TaskAttachment{Item: items[i], AddedAt: at.AddedAt, Mine: at.AddedBy == a.UserID})
	}
	return out, nil
}

// workOn loads task id through the fence and checks that a works on it and that it can
// change.
func workOn(ctx context.Context, tx *store.Tx, a store.Actor, id string) (store.Task, error) {
	v, err := tx.TaskTx(ctx, a, id)
	switch {
	case err != nil:
		return v, err
	case !tasks.MayWork(a, v):
		return v, apperr.Forbidden("task_attach_forbidden")
	case v.GroupArchived:
		return v, apperr.New(http.StatusConflict, "task_group_archived", nil)
	}
	return v, nil
}

func (s *Service) attach(ctx context.Context, in *attachInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := workOn(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		f, err := tx.DriveItemTx(ctx, a, in.ItemID)
		if err != nil || f.Kind != store.DriveFile {
			return apperr.Invalid(apperr.FieldErr("path.itemId", "task_attach_file_unknown", nil))
		}
		if err := tx.AttachToTask(ctx, v.ID, f.ID, a.UserID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.TaskFileAttached, audit.Task(v.ID, v.Title, v.GroupID), map[string]string{"file": f.Name})
	})
}

func (s *Service) detach(ctx context.Context, in *attachInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.TaskTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		if v.GroupArchived {
			return apperr.New(http.StatusConflict, "task_group_archived", nil)
		}
		// Only a file one sees is taken off: one that is not shown cannot be named.
		if _, err := tx.DriveItemTx(ctx, a, in.ItemID); err != nil {
			return err
		}
		by, err := tx.DetachFromTask(ctx, v.ID, in.ItemID)
		if err != nil {
			return err
		}
		// Whoever attached it, or may edit the task.
		if by != a.UserID && !tasks.MayEdit(a, v) {
			return apperr.Forbidden("task_attach_forbidden")
		}
		return audit.Log(ctx, tx, a, audit.TaskFileDetached, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
}
