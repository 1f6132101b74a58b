package drive

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humagin"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/files"
	"annex/app/request"
	"annex/store"
)

// uploadInput streams the body itself (never held whole in memory), through
// request.Uploads so that a stalled upload is cut.
type uploadInput struct {
	Drive         string `path:"drive" maxLength:"32" doc:"me for your My Drive, or a group's id"`
	Parent        string `query:"parent" maxLength:"32" doc:"The folder to put it in; empty for the drive's root"`
	Name          string `query:"name" maxLength:"1000" required:"true" doc:"The file's name; a file of that name in the folder gets a new version"`
	Path          string `query:"path" maxLength:"4000" doc:"Folders under parent, separated by /, to put the file in; each is made when missing (uploading a whole folder)"`
	ContentType   string `header:"Content-Type"`
	ContentLength int64  `header:"Content-Length"`
	body          io.Reader
	done          func(complete bool)
}

type uploadsKey struct{}

func (in *uploadInput) Resolve(ctx huma.Context) []error {
	u, _ := ctx.Context().Value(uploadsKey{}).(*request.Uploads)
	r, done, err := u.Body(ctx)
	if err != nil {
		return []error{request.BodyError(err)}
	}
	in.body, in.done = r, done
	return nil
}

type contentInput struct {
	ID      string `path:"id" maxLength:"32"`
	Version string `query:"version" maxLength:"32" doc:"A version's id; empty for the current one"`
	Inline  bool   `query:"inline" doc:"Shown in the browser rather than saved, for the types a browser shows safely (pictures, PDF, plain text, audio, video)"`
}

// Version is one content of a file.
type Version struct {
	ID          string    `json:"id"`
	Size        int64     `json:"size"`
	ContentType string    `json:"contentType"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"createdAt"`
}

type versionsOutput struct {
	Body struct {
		Items []Version `json:"items" nullable:"false" doc:"Newest first: the first is the current one"`
	}
}

func (s *Service) contentRoutes(api huma.API, tags []string) {
	admit := s.uploads.Middleware(api, func(ctx huma.Context) string { return auth.ActorFrom(ctx.Context()).UserID })
	limit := func(ctx huma.Context, next func(huma.Context)) {
		next(huma.WithValue(ctx, uploadsKey{}, s.uploads))
	}
	binary := &huma.Schema{Type: "string", Format: "binary"}
	huma.Register(api, huma.Operation{OperationID: "uploadDriveFile", Method: http.MethodPut, Path: "/drives/{drive}/files",
		Summary:     "Upload a file",
		Description: "The body is the file's content, streamed to disk. A file already of that name in the folder keeps its earlier versions.",
		Tags:        tags, DefaultStatus: http.StatusCreated, Middlewares: huma.Middlewares{admit, limit},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"*/*": {Schema: binary}}}}, s.upload)
	huma.Register(api, huma.Operation{OperationID: "getDriveFileContent", Method: http.MethodGet, Path: "/drive/items/{id}/content",
		Summary:     "Download a file, or one of its versions",
		Description: "Served so that it cannot run in Annex's pages: as an attachment unless inline is asked for a safe type. Ranges and ETags are honoured.",
		Tags:        tags, Responses: map[string]*huma.Response{"200": {Description: "The content",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: binary}}}}}, s.content)
	huma.Register(api, huma.Operation{OperationID: "listDriveVersions", Method: http.MethodGet, Path: "/drive/items/{id}/versions",
		Summary: "A file's versions, newest first", Tags: tags}, s.versions)
}

// errReader remembers the error of the body it reads, to tell the client's failures (a
// cut or stalled upload) from the server's (a full disk).
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// lookups are the reads target makes, outside a write or inside one.
type lookups struct {
	driveOf func(context.Context, store.Actor, string) (store.DriveInfo, error)
	item    func(context.Context, store.Actor, string) (store.DriveItem, error)
	level   func(context.Context, store.Actor, store.Drive, string) (int, error)
}

func storeLookups(st *store.Store) lookups { return lookups{st.DriveOf, st.DriveItem, st.DriveLevel} }

func txLookups(tx *store.Tx) lookups { return lookups{tx.DriveOfTx, tx.DriveItemTx, tx.DriveLevel} }

// target checks that a may add to the folder parent of drive id (field names the parent
// in the request), before reading and again inside the write.
func target(ctx context.Context, a store.Actor, id, parent, field string, l lookups) (store.DriveInfo, error) {
	d, err := l.driveOf(ctx, a, id)
	if err != nil {
		return d, err
	}
	if err := open(d, true); err != nil {
		return d, err
	}
	if parent != "" {
		v, err := l.item(ctx, a, parent)
		if err := folderIn(a, v, err, d); err != nil {
			return d, apperr.Invalid(apperr.FieldErr(field, "drive_folder_unknown", nil))
		}
		// Inside a shared folder, what is added is its owner's.
		d.Drive = v.Drive
	}
	return d, may(ctx, a, d.Drive, parent, store.LevelUpload, l.level)
}

// may checks that a has at least level in folder of drive d ("" for its root).
func may(ctx context.Context, a store.Actor, d store.Drive, folder string, level int,
	levelOf func(context.Context, store.Actor, store.Drive, string) (int, error)) error {
	got, err := levelOf(ctx, a, d, folder)
	if err == nil && got < level {
		err = apperr.New(http.StatusForbidden, "drive_no_right", map[string]any{"level": levels[got]})
	}
	return err
}

// levels name the levels of rights, in their order (store.LevelNone…LevelFull).
var levels = []string{"none", "view", "upload", "edit", "full"}

func (s *Service) upload(ctx context.Context, in *uploadInput) (*itemOutput, error) {
	a := auth.ActorFrom(ctx)
	name, why := store.CleanDriveName(in.Name)
	if why != "" {
		in.done(false)
		return nil, apperr.Invalid(apperr.FieldErr("query.name", "drive_"+why, map[string]any{"max": store.MaxDriveName}))
	}
	dirs, err := folderPath(in.Path)
	if err != nil {
		in.done(false)
		return nil, err
	}
	// Refused before a byte is stored.
	d, err := target(ctx, a, in.Drive, in.Parent, "query.parent", storeLookups(s.st))
	if err == nil && in.ContentLength > s.maxBytes {
		err = apperr.New(http.StatusRequestEntityTooLarge, "file_too_large", map[string]any{"maxMB": s.maxBytes >> 20})
	}
	if err == nil {
		err = s.room(ctx, a, d.Drive, max(in.ContentLength, 0))
	}
	if err != nil {
		in.done(false)
		return nil, err
	}
	body := &errReader{r: in.body}
	kept, err := s.dir.PutLimited(body, s.maxBytes)
	in.done(err == nil)
	switch {
	case errors.Is(err, files.ErrTooLarge):
		return nil, apperr.New(http.StatusRequestEntityTooLarge, "file_too_large", map[string]any{"maxMB": s.maxBytes >> 20})
	case body.err != nil:
		return nil, request.BodyError(body.err)
	case errors.Is(err, syscall.ENOSPC):
		return nil, &apperr.Error{Status: http.StatusInsufficientStorage, Code: "disk_full", Err: err}
	case err != nil:
		return nil, err
	}
	var out DriveItem
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		d, err := target(ctx, a, in.Drive, in.Parent, "query.parent", txLookups(tx))
		if err != nil {
			return err
		}
		parent, err := makeFolders(ctx, tx, a, d.Drive, in.Parent, dirs)
		if err != nil {
			return err
		}
		v, err := tx.DriveItemNamed(ctx, a, d.Drive, parent, name)
		switch {
		case err == nil && v.Kind != store.DriveFile:
			return apperr.Invalid(apperr.FieldErr("query.name", "drive_name_taken", map[string]any{"name": name}))
		case err == nil && v.CreatedBy != a.UserID:
			// Upload rights add new versions to one's own files only.
			if err := may(ctx, a, d.Drive, parent, store.LevelEdit, tx.DriveLevel); err != nil {
				return err
			}
		case errors.Is(err, store.ErrNotFound):
			v = store.DriveItem{Drive: d.Drive, ParentID: parent, Kind: store.DriveFile, Name: name, CreatedBy: a.UserID}
			if err := tx.CreateDriveItem(ctx, &v); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return apperr.Invalid(apperr.FieldErr("query.name", "drive_name_taken", map[string]any{"name": name}))
				}
				return err
			}
		case err != nil:
			return err
		}
		ver := store.DriveVersion{ItemID: v.ID, Body: kept.ID, Size: kept.Size, SHA256: kept.SHA256,
			ContentType: declaredType(in.ContentType), CreatedBy: a.UserID}
		if err := tx.AddDriveVersion(ctx, &ver); err != nil {
			return err
		}
		if err := s.withinQuota(ctx, tx, a, d.Drive); err != nil {
			return err
		}
		if v, err = tx.DriveItemTx(ctx, a, v.ID); err != nil {
			return err
		}
		out = itemOf(a, v)
		return audit.Log(ctx, tx, a, audit.DriveUploaded, audit.DriveItem(v),
			map[string]string{"size": strconv.FormatInt(kept.Size, 10), "version": strconv.Itoa(v.Versions)})
	})
	if err != nil {
		// Nothing refers to the content: it goes, so that a refused upload leaves nothing.
		_ = s.dir.Remove(kept.ID)
		return nil, err
	}
	return &itemOutput{Body: out}, nil
}

// folderPath splits an upload's path into folder names, each checked like any name.
func folderPath(p string) ([]string, error) {
	if strings.TrimSpace(p) == "" {
		return nil, nil
	}
	var dirs []string
	for _, seg := range strings.Split(p, "/") {
		name, why := store.CleanDriveName(seg)
		if why != "" {
			return nil, apperr.Invalid(apperr.FieldErr("query.path", "drive_"+why, map[string]any{"max": store.MaxDriveName}))
		}
		dirs = append(dirs, name)
	}
	return dirs, nil
}

// makeFolders walks down dirs from folder parent of drive d, making each folder that is
// missing, and returns the last one's id. Writes are serialised, so two uploads into one new
// folder find it made by whichever came first.
func makeFolders(ctx context.Context, tx *store.Tx, a store.Actor, d store.Drive, parent string, dirs []string) (string, error) {
	for _, name := range dirs {
		v, err := tx.DriveItemNamed(ctx, a, d, parent, name)
		switch {
		case err == nil && v.Kind != store.DriveFolder:
			return "", apperr.Invalid(apperr.FieldErr("query.path", "drive_name_taken", map[string]any{"name": name}))
		case err == nil:
			// A folder found may have rights of its own.
			if err := may(ctx, a, d, v.ID, store.LevelUpload, tx.DriveLevel); err != nil {
				return "", err
			}
		case errors.Is(err, store.ErrNotFound):
			v = store.DriveItem{Drive: d, ParentID: parent, Kind: store.DriveFolder, Name: name, CreatedBy: a.UserID}
			if err := tx.CreateDriveItem(ctx, &v); err != nil {
				if errors.Is(err, store.ErrConflict) {
					// Taken by a folder the uploader does not see.
					return "", apperr.Invalid(apperr.FieldErr("query.path", "drive_name_taken", map[string]any{"name": name}))
				}
				return "", err
			}
			if err := audit.Log(ctx, tx, a, audit.DriveFolderCreated, audit.DriveItem(v), nil); err != nil {
				return "", err
			}
		case err != nil:
			return "", err
		}
		parent = v.ID
	}
	return parent, nil
}

// declaredType is the media type the uploader gave, kept only to tell how to serve the
// file: never trusted to be what the bytes are.
func declaredType(h string) string {
	t, _, err := mime.ParseMediaType(h)
	if err != nil {
		return "application/octet-stream"
	}
	return t
}

// inlineTypes are shown by browsers without running anything (docs/drive.md, "Serving").
// SVG is left out: it can hold script.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "application/pdf": true,
	"text/plain": true, "audio/mpeg": true, "audio/ogg": true, "audio/wav": true, "audio/webm": true,
	"video/mp4": true, "video/webm": true, "video/ogg": true,
}

func (s *Service) content(ctx context.Context, in *contentInput) (*huma.StreamResponse, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	if v.Kind != store.DriveFile {
		return nil, apperr.NotFound()
	}
	vs, err := s.st.DriveVersions(ctx, a, v.ID)
	if err != nil {
		return nil, err
	}
	ver, err := current(vs, in.Version)
	if err != nil {
		return nil, err
	}
	f, err := s.dir.Open(ver.Body)
	if err != nil {
		return nil, err
	}
	if err := audit.Viewed(ctx, s.st, a, audit.DriveDownloaded, audit.DriveItem(v)); err != nil {
		f.Close()
		return nil, err
	}
	return serve(v, ver, in.Inline, f), nil
}

// current is the version of file v to serve: the one named, or the current one.
func current(vs []store.DriveVersion, id string) (store.DriveVersion, error) {
	for _, x := range vs {
		if id == "" || x.ID == id {
			return x, nil
		}
	}
	return store.DriveVersion{}, apperr.NotFound()
}

// serve streams a version of file v so that it cannot run in Annex's origin (docs/drive.md,
// "Downloads"), in ranges, revalidated by content; it closes f.
func serve(v store.DriveItem, ver store.DriveVersion, inline bool, f *os.File) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		defer f.Close()
		// Only a type browsers show safely is named as it is; anything else is bytes.
		typ, disposition := "application/octet-stream", "attachment"
		if inlineTypes[ver.ContentType] {
			typ = ver.ContentType
			if inline {
				disposition = "inline"
			}
		}
		if typ == "text/plain" {
			typ += "; charset=utf-8"
		}
		hc.SetHeader("Content-Type", typ)
		hc.SetHeader("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": v.Name}))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetHeader("Content-Security-Policy", "sandbox")
		hc.SetHeader("Cache-Control", "private, no-cache")
		hc.SetHeader("ETag", `"`+ver.SHA256+`"`)
		g := humagin.Unwrap(hc)
		http.ServeContent(g.Writer, g.Request, "", ver.CreatedAt, f)
	}}
}

func (s *Service) versions(ctx context.Context, in *itemInput) (*versionsOutput, error) {
	a := auth.ActorFrom(ctx)
	vs, err := s.st.DriveVersions(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	out := &versionsOutput{}
	out.Body.Items = []Version{}
	for _, v := range vs {
		out.Body.Items = append(out.Body.Items, Version{ID: v.ID, Size: v.Size, ContentType: v.ContentType, SHA256: v.SHA256,
			CreatedAt: v.CreatedAt})
	}
	return out, nil
}
