// Package drive serves My Drive and the groups' drives (docs/drive.md): folders and files,
// read and written through the store's fence.
package drive

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/sync/semaphore"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/files"
	"annex/app/people"
	"annex/app/request"
	"annex/app/settings"
	"annex/store"
)

// Service serves the drive operations.
type Service struct {
	st       *store.Store
	dir      *files.Dir
	maxBytes int64
	uploads  *request.Uploads
	pub      Links
	// decoding bounds the decoded pixels of the previews being made at once.
	decoding *semaphore.Weighted
}

// Links is what public links need: the settings (the policy, the base URL), the hasher
// of their passwords, and the key of the cookie a visitor's browser keeps.
type Links struct {
	Settings  func() settings.Values
	Hasher    *auth.Hasher
	CookieKey []byte
}

// New returns the drive service; maxBytes bounds one file, and uploads bounds the
// reading of bodies (deadline, bodies per person at once).
func New(st *store.Store, dir *files.Dir, maxBytes int64, uploads *request.Uploads, pub Links) *Service {
	return &Service{st: st, dir: dir, maxBytes: maxBytes, uploads: uploads, pub: pub,
		decoding: semaphore.NewWeighted(int64(max(runtime.NumCPU()/2, 1)) * previewMaxDecode)}
}

// DriveItem is a folder or a file of a drive.
type DriveItem struct {
	ID          string      `json:"id"`
	Drive       string      `json:"drive" doc:"me for your My Drive, shared for someone else's that they shared with you, or the group's id"`
	Owner       *people.Ref `json:"owner,omitempty" doc:"Whose My Drive it is in, when it is someone else's shared with you (in reads)"`
	ParentID    string      `json:"parentId" doc:"The folder it is in; empty at the drive's root"`
	Kind        string      `json:"kind" enum:"folder,file"`
	Name        string      `json:"name"`
	Size        int64       `json:"size" doc:"A file's size in bytes (its current version's); 0 for a folder"`
	ContentType string      `json:"contentType" doc:"A file's media type; empty for a folder"`
	Versions    int         `json:"versions" doc:"How many versions a file has; 0 for a folder"`
	Mine        bool        `json:"mine" doc:"You added it (upload rights let you add versions to what you added)"`
	CreatedAt   time.Time   `json:"createdAt"`
	UpdatedAt   time.Time   `json:"updatedAt"`
}

// DriveItemPage is a page of a folder's items, folders first, then by name.
type DriveItemPage struct {
	Items      []DriveItem `json:"items" nullable:"false"`
	Total      int         `json:"total"`
	Page       int         `json:"page"`
	PerPage    int         `json:"perPage"`
	Name       string      `json:"name" doc:"The group's name; empty for your My Drive"`
	ReadOnly   bool        `json:"readOnly" doc:"The group is archived: nothing in its drive can change"`
	Level      string      `json:"level" enum:"none,view,upload,edit,full" doc:"What you may do in this folder: upload adds files and folders; edit also renames, moves and deletes; full also changes its rights and deletes for good"`
	FileMaxMB  int64       `json:"fileMaxMB" doc:"The largest file the server accepts, in MiB"`
	UsedBytes  int64       `json:"usedBytes" doc:"What the drive holds, every version and the trash counted (0 in shared)"`
	QuotaBytes int64       `json:"quotaBytes" doc:"The most it may hold; 0: no bound"`
}

func itemOf(a store.Actor, v store.DriveItem) DriveItem {
	return DriveItem{ID: v.ID, Drive: driveID(a, v), Mine: v.CreatedBy == a.UserID, ParentID: v.ParentID, Kind: v.Kind, Name: v.Name, Size: v.Size,
		ContentType: v.ContentType, Versions: v.Versions, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

type listInput struct {
	Drive   string `path:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
	Parent  string `query:"parent" maxLength:"32" doc:"A folder's id; empty for the drive's root"`
	Sort    string `query:"sort" enum:"name,-name,updated,-updated,size,-size" default:"name" doc:"Folders first, then by name, by when they last changed or by size; - reverses"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

type listOutput struct{ Body DriveItemPage }

type searchInput struct {
	Query   string `query:"q" minLength:"1" maxLength:"200" required:"true" doc:"Part of a name, in any case"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

// DriveSearchPage is a page of the items whose name matched, by name.
type DriveSearchPage struct {
	Items   []DriveItem `json:"items" nullable:"false"`
	Total   int         `json:"total"`
	Page    int         `json:"page"`
	PerPage int         `json:"perPage"`
}

type searchOutput struct{ Body DriveSearchPage }

type createFolderInput struct {
	Drive string `path:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
	Body  struct {
		ParentID string `json:"parentId,omitempty" maxLength:"32" doc:"The folder to add it to; empty for the drive's root"`
		Name     string `json:"name" maxLength:"1000"`
	}
}

type itemInput struct {
	ID string `path:"id" maxLength:"32"`
}

type itemOutput struct{ Body DriveItem }

// answer is a write's answer: the item it made or changed, unless it failed.
func answer(out DriveItem, err error) (*itemOutput, error) {
	if err != nil {
		return nil, err
	}
	return &itemOutput{Body: out}, nil
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Drive"}
	huma.Register(api, huma.Operation{OperationID: "listDriveItems", Method: http.MethodGet, Path: "/drives/{drive}/items",
		Summary: "A page of a folder of your My Drive (me) or of a group's drive (its members)", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "searchDrive", Method: http.MethodGet, Path: "/drive/search",
		Summary: "Folders and files by name, in your My Drive and your groups' drives", Tags: tags}, s.search)
	huma.Register(api, huma.Operation{OperationID: "createDriveFolder", Method: http.MethodPost, Path: "/drives/{drive}/folders",
		Summary: "Add a folder", DefaultStatus: http.StatusCreated, Tags: tags}, s.createFolder)
	huma.Register(api, huma.Operation{OperationID: "getDriveItem", Method: http.MethodGet, Path: "/drive/items/{id}",
		Summary: "A folder or a file you may see", Tags: tags}, s.item)
	s.contentRoutes(api, tags)
	s.changeRoutes(api, tags)
	s.rightsRoutes(api, tags)
	s.shareRoutes(api, tags)
	s.linkRoutes(api, tags)
	s.zipRoutes(api, tags)
	s.previewRoutes(api, tags)
	s.attachmentRoutes(api)
}

// open checks that the actor may open the drive: its owner, or an active member of its
// group (or an administrator) whose Drive tool is on; writes also need the group not
// archived.
func open(d store.DriveInfo, write bool) error {
	switch {
	case !d.Member:
		return apperr.Forbidden("drive_members_only")
	case !d.On:
		return apperr.New(http.StatusConflict, "drive_off", nil)
	case write && d.Archived:
		return apperr.New(http.StatusConflict, "drive_group_archived", nil)
	}
	return nil
}

// folderIn checks that v, loaded as a sees it, is a folder of drive d: ErrNotFound for
// anything else.
func folderIn(a store.Actor, v store.DriveItem, err error, d store.DriveInfo) error {
	if err == nil && (v.Kind != store.DriveFolder || driveID(a, v) == "shared" != d.Shared || !d.Shared && v.Drive != d.Drive) {
		err = store.ErrNotFound
	}
	return err
}

// driveID names v's drive as a names it: "me" for a's My Drive, "shared" for someone
// else's, or the group's id.
func driveID(a store.Actor, v store.DriveItem) string {
	switch v.Drive.OwnerID {
	case "":
		return v.Drive.GroupID
	case a.UserID:
		return "me"
	}
	return "shared"
}

// withOwners names, in items read by a, whose My Drive each shared item is in.
func (s *Service) withOwners(ctx context.Context, a store.Actor, items []DriveItem, from []store.DriveItem) error {
	owners := map[string]*people.Ref{}
	for i, v := range from {
		if items[i].Drive != "shared" {
			continue
		}
		ref, ok := owners[v.Drive.OwnerID]
		if !ok {
			// Seen by construction: a share is seen only while its owner is.
			u, err := s.st.User(ctx, a, v.Drive.OwnerID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil {
				ref = people.RefOf(&u)
			}
			owners[v.Drive.OwnerID] = ref
		}
		items[i].Owner = ref
	}
	return nil
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	a := auth.ActorFrom(ctx)
	d, err := s.st.DriveOf(ctx, a, in.Drive)
	if err != nil {
		return nil, err
	}
	if err := open(d, false); err != nil {
		return nil, err
	}
	var items []store.DriveItem
	var total int
	switch {
	case in.Parent != "":
		v, err := s.st.DriveItem(ctx, a, in.Parent)
		if err := folderIn(a, v, err, d); err != nil {
			return nil, err
		}
		// Inside a shared folder, its owner's drive.
		d.Drive = v.Drive
		items, total, err = s.st.DriveItems(ctx, a, d.Drive, in.Parent, in.Sort, in.PerPage, (in.Page-1)*in.PerPage)
		if err != nil {
			return nil, err
		}
	case d.Shared:
		shared, n, err := s.st.SharedWithMe(ctx, a, in.PerPage, (in.Page-1)*in.PerPage)
		if err != nil {
			return nil, err
		}
		for _, v := range shared {
			items = append(items, v.DriveItem)
		}
		total = n
	default:
		if items, total, err = s.st.DriveItems(ctx, a, d.Drive, "", in.Sort, in.PerPage, (in.Page-1)*in.PerPage); err != nil {
			return nil, err
		}
	}
	level, err := s.st.DriveLevel(ctx, a, d.Drive, in.Parent)
	if err != nil {
		return nil, err
	}
	p := DriveItemPage{Items: []DriveItem{}, Total: total, Page: in.Page, PerPage: in.PerPage, Name: d.Name, ReadOnly: d.Archived,
		Level: levels[level], FileMaxMB: s.maxBytes >> 20}
	if !d.Shared {
		if p.UsedBytes, err = s.st.DriveUsage(ctx, a, d.Drive); err != nil {
			return nil, err
		}
		p.QuotaBytes = s.quota(d.Drive)
	}
	for _, v := range items {
		p.Items = append(p.Items, itemOf(a, v))
	}
	if err := s.withOwners(ctx, a, p.Items, items); err != nil {
		return nil, err
	}
	return &listOutput{Body: p}, nil
}

func (s *Service) search(ctx context.Context, in *searchInput) (*searchOutput, error) {
	a := auth.ActorFrom(ctx)
	items, total, err := s.st.SearchDrive(ctx, a, in.Query, in.PerPage, (in.Page-1)*in.PerPage)
	if err != nil {
		return nil, err
	}
	p := DriveSearchPage{Items: []DriveItem{}, Total: total, Page: in.Page, PerPage: in.PerPage}
	for _, v := range items {
		p.Items = append(p.Items, itemOf(a, v))
	}
	if err := s.withOwners(ctx, a, p.Items, items); err != nil {
		return nil, err
	}
	return &searchOutput{Body: p}, nil
}

func (s *Service) createFolder(ctx context.Context, in *createFolderInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	name, why := store.CleanDriveName(in.Body.Name)
	if why != "" {
		return nil, apperr.Invalid(apperr.FieldErr("body.name", "drive_"+why, map[string]any{"max": store.MaxDriveName}))
	}
	var out DriveItem
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		d, err := target(ctx, a, in.Drive, in.Body.ParentID, "body.parentId", txLookups(tx))
		if err != nil {
			return err
		}
		v := store.DriveItem{Drive: d.Drive, ParentID: in.Body.ParentID, Kind: store.DriveFolder, Name: name, CreatedBy: a.UserID}
		if err := tx.CreateDriveItem(ctx, &v); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return apperr.Invalid(apperr.FieldErr("body.name", "drive_name_taken", map[string]any{"name": name}))
			}
			return err
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveFolderCreated, audit.DriveItem(v), nil)
	})
	return answer(out, err)
}

func (s *Service) item(ctx context.Context, in *itemInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	out := []DriveItem{itemOf(a, v)}
	if err := s.withOwners(ctx, a, out, []store.DriveItem{v}); err != nil {
		return nil, err
	}
	return &itemOutput{Body: out[0]}, nil
}
