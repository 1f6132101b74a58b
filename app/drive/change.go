package drive

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/request"
	"annex/store"
)

// TrashDays is how long an item stays in the trash before the job removes it for good.
const TrashDays = 30

type renameInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Name string `json:"name" maxLength:"1000"`
	}
}

type placeBody struct {
	Drive    string `json:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
	ParentID string `json:"parentId,omitempty" maxLength:"32" doc:"The folder; empty for the drive's root"`
}

type moveInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body placeBody
}

type copyInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Drive    string `json:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
		ParentID string `json:"parentId,omitempty" maxLength:"32" doc:"The folder; empty for the drive's root"`
		Name     string `json:"name,omitempty" maxLength:"1000" doc:"The copy's name; the item's own when empty"`
	}
}

// TrashedDriveItem is an item in a drive's trash.
type TrashedDriveItem struct {
	DriveItem
	TrashedAt time.Time `json:"trashedAt"`
	PurgeAt   time.Time `json:"purgeAt" doc:"When it will be removed for good"`
}

// DriveTrashPage is a page of a drive's trash, newest first.
type DriveTrashPage struct {
	Items   []TrashedDriveItem `json:"items" nullable:"false"`
	Total   int                `json:"total"`
	Page    int                `json:"page"`
	PerPage int                `json:"perPage"`
}

type trashInput struct {
	Drive   string `path:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

type trashOutput struct{ Body DriveTrashPage }

type versionInput struct {
	ID      string `path:"id" maxLength:"32"`
	Version string `path:"version" maxLength:"32"`
}

func (s *Service) changeRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "renameDriveItem", Method: http.MethodPatch, Path: "/drive/items/{id}",
		Summary: "Rename a folder or a file", Tags: tags}, s.rename)
	huma.Register(api, huma.Operation{OperationID: "moveDriveItem", Method: http.MethodPost, Path: "/drive/items/{id}/move",
		Summary: "Move a folder or a file, with what it holds, to another folder or drive", Tags: tags}, s.move)
	huma.Register(api, huma.Operation{OperationID: "copyDriveItem", Method: http.MethodPost, Path: "/drive/items/{id}/copy",
		Summary: "Copy a folder or a file, with what it holds", DefaultStatus: http.StatusCreated, Tags: tags}, s.copy)
	huma.Register(api, huma.Operation{OperationID: "trashDriveItem", Method: http.MethodDelete, Path: "/drive/items/{id}",
		Summary: "Delete a folder or a file to its drive's trash", DefaultStatus: http.StatusNoContent, Tags: tags}, s.trash)
	huma.Register(api, huma.Operation{OperationID: "listDriveTrash", Method: http.MethodGet, Path: "/drives/{drive}/trash",
		Summary: "A page of a drive's trash, newest first", Tags: tags}, s.trashList)
	huma.Register(api, huma.Operation{OperationID: "restoreDriveItem", Method: http.MethodPost, Path: "/drive/trash/{id}/restore",
		Summary: "Bring an item back from the trash, with what was deleted with it", Tags: tags}, s.restore)
	huma.Register(api, huma.Operation{OperationID: "purgeDriveItem", Method: http.MethodDelete, Path: "/drive/trash/{id}",
		Summary: "Remove an item of the trash for good", DefaultStatus: http.StatusNoContent, Tags: tags}, s.purge)
	huma.Register(api, huma.Operation{OperationID: "restoreDriveVersion", Method: http.MethodPost,
		Path: "/drive/items/{id}/versions/{version}/restore", Summary: "Make an earlier version of a file the current one again",
		Tags: tags}, s.restoreVersion)
}

// change loads item id through the fence and checks that a may change its drive and has
// at least level in its folder.
func change(ctx context.Context, tx *store.Tx, a store.Actor, id string, level int) (store.DriveItem, error) {
	v, err := tx.DriveItemTx(ctx, a, id)
	if err != nil {
		return v, err
	}
	if err := writable(ctx, tx, a, v); err != nil {
		return v, err
	}
	return v, may(ctx, a, v.Drive, v.ParentID, level, tx.DriveLevel)
}

// writable checks that v's drive can change: on, and not an archived group's.
func writable(ctx context.Context, tx *store.Tx, a store.Actor, v store.DriveItem) error {
	d, err := tx.DriveOfTx(ctx, a, driveID(a, v))
	if err != nil {
		return err
	}
	return open(d, true)
}

// place checks that a may add to the folder of the body, and loads that folder (nil at
// the root).
func place(ctx context.Context, tx *store.Tx, a store.Actor, b placeBody) (store.DriveInfo, *store.DriveItem, error) {
	d, err := target(ctx, a, b.Drive, b.ParentID, "body.parentId", txLookups(tx))
	if err != nil || b.ParentID == "" {
		return d, nil, err
	}
	p, err := tx.DriveItemTx(ctx, a, b.ParentID)
	return d, &p, err
}

func nameTaken(field, name string) error {
	return apperr.Invalid(apperr.FieldErr(field, "drive_name_taken", map[string]any{"name": name}))
}

func (s *Service) rename(ctx context.Context, in *renameInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	name, why := store.CleanDriveName(in.Body.Name)
	if why != "" {
		return nil, apperr.Invalid(apperr.FieldErr("body.name", "drive_"+why, map[string]any{"max": store.MaxDriveName}))
	}
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := change(ctx, tx, a, in.ID, store.LevelEdit)
		if err != nil {
			return err
		}
		from := v.Name
		if err := tx.RenameDriveItem(ctx, &v, name); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return nameTaken("body.name", name)
			}
			return err
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveRenamed, audit.DriveItem(v), map[string]string{"from": from})
	})
	return answer(out, err)
}

func (s *Service) move(ctx context.Context, in *moveInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := change(ctx, tx, a, in.ID, store.LevelEdit)
		if err != nil {
			return err
		}
		d, parent, err := place(ctx, tx, a, in.Body)
		if err != nil {
			return err
		}
		if parent != nil && (parent.ID == v.ID || strings.HasPrefix(parent.Path, v.Path+v.ID+"/")) {
			return apperr.Invalid(apperr.FieldErr("body.parentId", "drive_move_into_itself", nil))
		}
		from := v.Drive
		if err := tx.MoveDriveItem(ctx, &v, d.Drive, parent); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return apperr.Invalid(apperr.FieldErr("body.parentId", "drive_name_taken_there", map[string]any{"name": v.Name}))
			}
			return err
		}
		if from != d.Drive {
			if err := s.withinQuota(ctx, tx, a, d.Drive); err != nil {
				return err
			}
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveMoved, audit.DriveItem(v), nil)
	})
	return answer(out, err)
}

func (s *Service) copy(ctx context.Context, in *copyInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	name, why := "", ""
	if in.Body.Name != "" {
		if name, why = store.CleanDriveName(in.Body.Name); why != "" {
			return nil, apperr.Invalid(apperr.FieldErr("body.name", "drive_"+why, map[string]any{"max": store.MaxDriveName}))
		}
	}
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		// Copying takes nothing from where the item is: seeing it is enough.
		v, err := tx.DriveItemTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		d, parent, err := place(ctx, tx, a, placeBody{Drive: in.Body.Drive, ParentID: in.Body.ParentID})
		if err != nil {
			return err
		}
		if parent != nil && (parent.ID == v.ID || strings.HasPrefix(parent.Path, v.Path+v.ID+"/")) {
			return apperr.Invalid(apperr.FieldErr("body.parentId", "drive_move_into_itself", nil))
		}
		if name == "" {
			name = v.Name
		}
		c, err := tx.CopyDriveItem(ctx, a, v, d.Drive, parent, name)
		switch {
		case errors.Is(err, store.ErrConflict):
			return nameTaken("body.name", name)
		case errors.Is(err, store.ErrTooMany):
			return apperr.New(http.StatusUnprocessableEntity, "drive_copy_too_large", map[string]any{"max": store.MaxDriveCopy})
		case err != nil:
			return err
		}
		if err := s.withinQuota(ctx, tx, a, d.Drive); err != nil {
			return err
		}
		if c, err = tx.DriveItemTx(ctx, a, c.ID); err != nil {
			return err
		}
		out = itemOf(a, c)
		return audit.Log(ctx, tx, a, audit.DriveCopied, audit.DriveItem(c), nil)
	})
	return answer(out, err)
}

func (s *Service) trash(ctx context.Context, in *itemInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := change(ctx, tx, a, in.ID, store.LevelEdit)
		if err != nil {
			return err
		}
		if err := tx.TrashDriveItem(ctx, v, a.UserID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.DriveTrashed, audit.DriveItem(v), nil)
	})
	return nil, err
}

func (s *Service) trashList(ctx context.Context, in *trashInput) (*trashOutput, error) {
	a := auth.ActorFrom(ctx)
	d, err := s.st.DriveOf(ctx, a, in.Drive)
	if err != nil {
		return nil, err
	}
	if err := open(d, false); err != nil {
		return nil, err
	}
	items, total, err := s.st.DriveTrash(ctx, a, d.Drive, in.PerPage, (in.Page-1)*in.PerPage)
	if err != nil {
		return nil, err
	}
	p := DriveTrashPage{Items: []TrashedDriveItem{}, Total: total, Page: in.Page, PerPage: in.PerPage}
	for _, v := range items {
		p.Items = append(p.Items, TrashedDriveItem{DriveItem: itemOf(a, v), TrashedAt: v.TrashedAt,
			PurgeAt: v.TrashedAt.AddDate(0, 0, TrashDays)})
	}
	return &trashOutput{Body: p}, nil
}

// trashed loads an item of the trash through the fence and checks that a may change its
// drive and has at least level where it would go back to.
func trashed(ctx context.Context, tx *store.Tx, a store.Actor, id string, level int) (store.DriveItem, error) {
	v, err := tx.TrashedDriveItem(ctx, a, id)
	if err != nil {
		return v, err
	}
	if err := writable(ctx, tx, a, v); err != nil {
		return v, err
	}
	to, err := tx.RestoreDestination(ctx, v)
	if err != nil {
		return v, err
	}
	return v, may(ctx, a, v.Drive, to, level, tx.DriveLevel)
}

func (s *Service) restore(ctx context.Context, in *itemInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := trashed(ctx, tx, a, in.ID, store.LevelEdit)
		if err != nil {
			return err
		}
		if err := tx.RestoreDriveItem(ctx, &v); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return apperr.New(http.StatusConflict, "drive_restore_name_taken", map[string]any{"name": v.Name})
			}
			return err
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveRestored, audit.DriveItem(v), nil)
	})
	return answer(out, err)
}

func (s *Service) purge(ctx context.Context, in *itemInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	var gone []string
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := trashed(ctx, tx, a, in.ID, store.LevelFull)
		if err != nil {
			return err
		}
		if gone, err = tx.PurgeDriveItem(ctx, v); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.DrivePurged, audit.DriveItem(v), nil)
	})
	if err != nil {
		return nil, err
	}
	s.removeBodies(ctx, gone)
	return nil, nil
}

// removeBodies removes contents nothing refers to any more; one left behind (the process
// stopped, the disk failed) is an orphan the files job removes later.
func (s *Service) removeBodies(ctx context.Context, bodies []string) {
	for _, b := range bodies {
		if err := s.dir.Remove(b); err != nil {
			request.From(ctx).Log.Warn("drive: content not removed", "body", b, "err", err)
		}
	}
}

func (s *Service) restoreVersion(ctx context.Context, in *versionInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.DriveItemTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		if v.Kind != store.DriveFile {
			return apperr.NotFound()
		}
		if err := writable(ctx, tx, a, v); err != nil {
			return err
		}
		// Like an upload: upload rights bring back versions of one's own files only.
		level := store.LevelEdit
		if v.CreatedBy == a.UserID {
			level = store.LevelUpload
		}
		if err := may(ctx, a, v.Drive, v.ParentID, level, tx.DriveLevel); err != nil {
			return err
		}
		ver, err := tx.RestoreDriveVersion(ctx, v.ID, in.Version, a.UserID)
		if err != nil {
			return err
		}
		if err := s.withinQuota(ctx, tx, a, v.Drive); err != nil {
			return err
		}
		if v, err = tx.DriveItemTx(ctx, a, v.ID); err != nil {
			return err
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveVersionRestored, audit.DriveItem(v), map[string]string{"version": ver.ID})
	})
	return answer(out, err)
}

// TrashJob is the job that removes for good what has been in a trash for TrashDays.
const TrashJob = "drive_trash"

// EmptyTrash removes what was deleted TrashDays ago or more, each item in its own write,
// with its contents.
func (s *Service) EmptyTrash(ctx context.Context) error {
	for {
		items, err := s.st.ExpiredDriveTrash(ctx, store.System(), s.st.Now().AddDate(0, 0, -TrashDays), 100)
		if err != nil || len(items) == 0 {
			return err
		}
		for _, v := range items {
			var gone []string
			err := s.st.Tx(ctx, func(tx *store.Tx) error {
				var err error
				if gone, err = tx.PurgeDriveItem(ctx, v); err != nil {
					return err
				}
				return audit.Log(ctx, tx, store.System(), audit.DriveTrashEmptied, audit.DriveItem(v), nil)
			})
			if err != nil {
				return err
			}
			s.removeBodies(ctx, gone)
		}
	}
}
