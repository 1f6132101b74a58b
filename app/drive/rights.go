package drive

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// DriveRights are the levels a folder of a group's drive gives each role.
type DriveRights struct {
	Own        bool   `json:"own" doc:"The folder has rights of its own; false: they come from the folder above (or, at the root, are the defaults)"`
	Owner      string `json:"owner" enum:"none,view,upload,edit,full"`
	Moderators string `json:"moderators" enum:"none,view,upload,edit,full"`
	Employees  string `json:"employees" enum:"none,view,upload,edit,full" doc:"Employees who are members"`
	Externals  string `json:"externals" enum:"none,view,upload,edit,full" doc:"External members"`
	CanChange  bool   `json:"canChange" doc:"You may change them (full rights here)"`
}

type rightsInput struct {
	Drive  string `path:"drive" maxLength:"32" doc:"A group's id (My Drive has no rights: it is yours alone)"`
	Folder string `query:"folder" maxLength:"32" doc:"A folder's id; empty for the drive's root"`
}

type setRightsInput struct {
	Drive  string `path:"drive" maxLength:"32" doc:"A group's id"`
	Folder string `query:"folder" maxLength:"32" doc:"A folder's id; empty for the drive's root"`
	Body   struct {
		Inherit    bool   `json:"inherit,omitempty" doc:"Take the rights of the folder above again (at the root: the defaults)"`
		Owner      string `json:"owner,omitempty" enum:"none,view,upload,edit,full"`
		Moderators string `json:"moderators,omitempty" enum:"none,view,upload,edit,full"`
		Employees  string `json:"employees,omitempty" enum:"none,view,upload,edit,full"`
		Externals  string `json:"externals,omitempty" enum:"none,view,upload,edit,full"`
	}
}

type rightsOutput struct{ Body DriveRights }

func (s *Service) rightsRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "getDriveRights", Method: http.MethodGet, Path: "/drives/{drive}/rights",
		Summary: "The rights a folder of a group's drive gives each role", Tags: tags}, s.rights)
	huma.Register(api, huma.Operation{OperationID: "setDriveRights", Method: http.MethodPut, Path: "/drives/{drive}/rights",
		Summary: "Change the rights a folder gives each role, for it and what it holds", Tags: tags}, s.setRights)
}

// rightsFolder loads the group drive and folder of in as a sees them.
func rightsFolder(ctx context.Context, a store.Actor, in *rightsInput, write bool, l lookups) (store.DriveInfo, store.DriveItem, error) {
	var f store.DriveItem
	if in.Drive == "me" || in.Drive == "shared" {
		return store.DriveInfo{}, f, apperr.NotFound()
	}
	d, err := l.driveOf(ctx, a, in.Drive)
	if err != nil {
		return d, f, err
	}
	if err := open(d, write); err != nil {
		return d, f, err
	}
	if in.Folder != "" {
		f, err = l.item(ctx, a, in.Folder)
		if err := folderIn(a, f, err, d); err != nil {
			return d, f, err
		}
	}
	return d, f, nil
}

func (s *Service) rightsOf(ctx context.Context, a store.Actor, d store.DriveInfo, f store.DriveItem) (DriveRights, error) {
	r, own, err := s.st.DriveRightsOf(ctx, a, d.GroupID, f)
	if err != nil {
		return DriveRights{}, err
	}
	mine, err := s.st.DriveLevel(ctx, a, d.Drive, f.ID)
	if err != nil {
		return DriveRights{}, err
	}
	return DriveRights{Own: own, Owner: levels[r.Owner], Moderators: levels[r.Moderators], Employees: levels[r.Employees],
		Externals: levels[r.Externals], CanChange: mine >= store.LevelFull && !d.Archived}, nil
}

func (s *Service) rights(ctx context.Context, in *rightsInput) (*rightsOutput, error) {
	a := auth.ActorFrom(ctx)
	d, f, err := rightsFolder(ctx, a, in, false, storeLookups(s.st))
	if err != nil {
		return nil, err
	}
	out, err := s.rightsOf(ctx, a, d, f)
	if err != nil {
		return nil, err
	}
	return &rightsOutput{Body: out}, nil
}

func (s *Service) setRights(ctx context.Context, in *setRightsInput) (*rightsOutput, error) {
	a := auth.ActorFrom(ctx)
	b := in.Body
	var r *store.DriveRights
	if !b.Inherit {
		var missing apperr.Fields
		for field, v := range map[string]string{"owner": b.Owner, "moderators": b.Moderators, "employees": b.Employees, "externals": b.Externals} {
			if v == "" {
				missing.Add("body."+field, "required", nil)
			}
		}
		if err := missing.Err(); err != nil {
			return nil, err
		}
		r = &store.DriveRights{Owner: slices.Index(levels, b.Owner), Moderators: slices.Index(levels, b.Moderators),
			Employees: slices.Index(levels, b.Employees), Externals: slices.Index(levels, b.Externals)}
	}
	var d store.DriveInfo
	var f store.DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if d, f, err = rightsFolder(ctx, a, &rightsInput{Drive: in.Drive, Folder: in.Folder}, true, txLookups(tx)); err != nil {
			return err
		}
		if err := may(ctx, a, d.Drive, f.ID, store.LevelFull, tx.DriveLevel); err != nil {
			return err
		}
		if err := tx.SetDriveRights(ctx, d.GroupID, f.ID, r); err != nil {
			return err
		}
		obj := audit.DriveItem(f)
		if f.ID == "" {
			obj = audit.Group(d.GroupID, d.Name)
		}
		details := map[string]string{"inherit": "true"}
		if r != nil {
			details = map[string]string{"owner": b.Owner, "moderators": b.Moderators, "employees": b.Employees, "externals": b.Externals}
		}
		return audit.Log(ctx, tx, a, audit.DriveRightsChanged, obj, details)
	})
	if err != nil {
		return nil, err
	}
	out, err := s.rightsOf(ctx, a, d, f)
	if err != nil {
		return nil, err
	}
	return &rightsOutput{Body: out}, nil
}
