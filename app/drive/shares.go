package drive

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/people"
	"annex/store"
)

// DriveShare is one person an item of your My Drive is shared with.
type DriveShare struct {
	Person people.Ref `json:"person"`
	Level  string     `json:"level" enum:"view,edit"`
}

type sharesOutput struct {
	Body struct {
		Items []DriveShare `json:"items" nullable:"false" doc:"By name"`
	}
}

type shareInput struct {
	ID     string `path:"id" maxLength:"32"`
	UserID string `path:"userId" maxLength:"32"`
	Body   struct {
		Level string `json:"level" enum:"view,edit" doc:"view: they may see and download it; edit: also add, rename and delete in it"`
	}
}

type unshareInput struct {
	ID     string `path:"id" maxLength:"32"`
	UserID string `path:"userId" maxLength:"32"`
}

type shareOutput struct{ Body DriveShare }

// SharedItem is an item someone shared with you.
type SharedItem struct {
	DriveItem
	Level    string    `json:"level" enum:"view,edit"`
	SharedAt time.Time `json:"sharedAt"`
}

// SharedPage is a page of what others shared with you, newest first.
type SharedPage struct {
	Items   []SharedItem `json:"items" nullable:"false"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
}

type sharedInput struct {
	Page    int `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

type sharedOutput struct{ Body SharedPage }

func (s *Service) shareRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "listDriveShares", Method: http.MethodGet, Path: "/drive/items/{id}/shares",
		Summary: "Who an item of your My Drive is shared with", Tags: tags}, s.shares)
	huma.Register(api, huma.Operation{OperationID: "shareDriveItem", Method: http.MethodPut, Path: "/drive/items/{id}/shares/{userId}",
		Summary: "Share an item of your My Drive with one of your contacts, or change how", Tags: tags}, s.share)
	huma.Register(api, huma.Operation{OperationID: "unshareDriveItem", Method: http.MethodDelete, Path: "/drive/items/{id}/shares/{userId}",
		Summary: "Stop sharing an item with someone", DefaultStatus: http.StatusNoContent, Tags: tags}, s.unshare)
	huma.Register(api, huma.Operation{OperationID: "listSharedWithMe", Method: http.MethodGet, Path: "/drive/shared",
		Summary: "What others shared with you from their My Drive, newest first", Tags: tags}, s.sharedWithMe)
}

// owned checks that v, loaded through the fence, is in a's own My Drive: only its owner
// shares it.
func owned(a store.Actor, v store.DriveItem, err error) (store.DriveItem, error) {
	if err == nil && v.Drive.OwnerID != a.UserID {
		err = apperr.Forbidden("drive_owner_only")
	}
	return v, err
}

func shareLevel(level int) string {
	if level >= store.LevelEdit {
		return "edit"
	}
	return "view"
}

func (s *Service) shares(ctx context.Context, in *itemInput) (*sharesOutput, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if v, err = owned(a, v, err); err != nil {
		return nil, err
	}
	shares, err := s.st.DriveShares(ctx, a, v.ID)
	if err != nil {
		return nil, err
	}
	out := &sharesOutput{}
	out.Body.Items = []DriveShare{}
	for _, sh := range shares {
		out.Body.Items = append(out.Body.Items, DriveShare{Person: *people.RefOf(&sh.User), Level: shareLevel(sh.Level)})
	}
	return out, nil
}

func (s *Service) share(ctx context.Context, in *shareInput) (*shareOutput, error) {
	a := auth.ActorFrom(ctx)
	if in.Body.Level == "" {
		return nil, apperr.Invalid(apperr.FieldErr("body.level", "required", nil))
	}
	level := store.LevelView
	if in.Body.Level == "edit" {
		level = store.LevelEdit
	}
	var out DriveShare
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.DriveItemTx(ctx, a, in.ID)
		if v, err = owned(a, v, err); err != nil {
			return err
		}
		// One's contacts: the people one sees, active, oneself aside.
		u, err := tx.UserTx(ctx, a, in.UserID)
		switch {
		case errors.Is(err, store.ErrNotFound) || err == nil && u.ID == a.UserID:
			return apperr.Invalid(apperr.FieldErr("path.userId", "drive_share_person_unknown", nil))
		case err != nil:
			return err
		case !u.Active:
			return apperr.Invalid(apperr.FieldErr("path.userId", "drive_share_person_inactive", map[string]any{"name": u.Name}))
		}
		if err := tx.ShareDriveItem(ctx, v.ID, u.ID, level, a.UserID); err != nil {
			return err
		}
		out = DriveShare{Person: *people.RefOf(&u), Level: in.Body.Level}
		return audit.Log(ctx, tx, a, audit.DriveShared, audit.DriveItem(v), map[string]string{"with": u.Email, "level": in.Body.Level})
	})
	if err != nil {
		return nil, err
	}
	return &shareOutput{Body: out}, nil
}

func (s *Service) unshare(ctx context.Context, in *unshareInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.DriveItemTx(ctx, a, in.ID)
		if v, err = owned(a, v, err); err != nil {
			return err
		}
		if err := tx.UnshareDriveItem(ctx, v.ID, in.UserID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.DriveUnshared, audit.DriveItem(v), nil)
	})
	return nil, err
}

func (s *Service) sharedWithMe(ctx context.Context, in *sharedInput) (*sharedOutput, error) {
	a := auth.ActorFrom(ctx)
	shared, total, err := s.st.SharedWithMe(ctx, a, in.PerPage, (in.Page-1)*in.PerPage)
	if err != nil {
		return nil, err
	}
	p := SharedPage{Items: []SharedItem{}, Total: total, Page: in.Page, PerPage: in.PerPage}
	items := make([]DriveItem, len(shared))
	from := make([]store.DriveItem, len(shared))
	for i, v := range shared {
		items[i], from[i] = itemOf(a, v.DriveItem), v.DriveItem
	}
	if err := s.withOwners(ctx, a, items, from); err != nil {
		return nil, err
	}
	for i, v := range shared {
		p.Items = append(p.Items, SharedItem{DriveItem: items[i], Level: shareLevel(v.Level), SharedAt: v.SharedAt})
	}
	return &sharedOutput{Body: p}, nil
}
