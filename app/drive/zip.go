package drive

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/request"
	"annex/store"
)

// A folder downloads as one zip, streamed as it is written: what is in it is never held
// whole, on disk or in memory.

type publicZipInput struct {
	Link   string `path:"link" maxLength:"32"`
	Cookie string `cookie:"annex_link" doc:"Set when the link was opened"`
	Folder string `query:"folder" maxLength:"32" doc:"A folder under the link's; empty for the link's own"`
}

func (s *Service) zipRoutes(api huma.API, tags []string) {
	zipped := map[string]*huma.Response{"200": {Description: "The folder as a zip file",
		Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	huma.Register(api, huma.Operation{OperationID: "getDriveFolderZip", Method: http.MethodGet, Path: "/drive/items/{id}/zip",
		Summary: "Download a folder, with what you see in it, as one zip file", Tags: tags, Responses: zipped}, s.folderZip)
	huma.Register(api, huma.Operation{OperationID: "getDriveLinkZip", Method: http.MethodGet, Path: "/public/link/{link}/zip",
		Summary: "Download a linked folder as one zip file", Tags: []string{"Public links"}, Security: auth.Public,
		Responses: zipped}, s.linkZip)
}

// tree lists folder v as a sees it, for a zip.
func (s *Service) tree(ctx context.Context, a store.Actor, v store.DriveItem) ([]store.DriveTreeItem, error) {
	if v.Kind != store.DriveFolder {
		return nil, apperr.NotFound()
	}
	tree, err := s.st.DriveTree(ctx, a, v)
	if errors.Is(err, store.ErrTooMany) {
		return nil, apperr.New(http.StatusUnprocessableEntity, "drive_zip_too_large", map[string]any{"max": store.MaxDriveCopy})
	}
	return tree, err
}

func (s *Service) folderZip(ctx context.Context, in *itemInput) (*huma.StreamResponse, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	tree, err := s.tree(ctx, a, v)
	if err != nil {
		return nil, err
	}
	if err := audit.Viewed(ctx, s.st, a, audit.DriveDownloaded, audit.DriveItem(v)); err != nil {
		return nil, err
	}
	return s.zipStream(ctx, v, tree), nil
}

func (s *Service) linkZip(ctx context.Context, in *publicZipInput) (*huma.StreamResponse, error) {
	l, a, root, err := s.visit(ctx, in.Link, in.Cookie)
	if err != nil {
		return nil, err
	}
	f, err := s.within(ctx, a, root, in.Folder)
	if err != nil {
		return nil, err
	}
	tree, err := s.tree(ctx, a, f)
	if err != nil {
		return nil, err
	}
	if err := s.linkLog(ctx, l, f, true); err != nil {
		return nil, err
	}
	return s.zipStream(ctx, f, tree), nil
}

// zipStream writes root's tree (root first, each folder before what it holds) as a zip
// named after root. Names cannot climb out of the archive: a drive name holds no / nor \,
// and is never "." or "..".
func (s *Service) zipStream(ctx context.Context, root store.DriveItem, tree []store.DriveTreeItem) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "application/zip")
		hc.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": root.Name + ".zip"}))
		hc.SetHeader("X-Content-Type-Options", "nosniff")
		hc.SetHeader("Content-Security-Policy", "sandbox")
		hc.SetHeader("Cache-Control", "private, no-store")
		zw := zip.NewWriter(hc.BodyWriter())
		dirs := map[string]string{root.ID: ""}
		for _, t := range tree {
			dir, ok := dirs[t.ParentID]
			if t.ID == root.ID || !ok {
				continue // the root itself, or under a folder that was not listed
			}
			name := dir + t.Name
			if t.Kind == store.DriveFolder {
				dirs[t.ID] = name + "/"
				if _, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/", Modified: t.UpdatedAt}); err != nil {
					return
				}
				continue
			}
			if err := s.zipFile(zw, name, t); err != nil {
				// The client went away, or a content is missing: the archive ends here.
				request.From(ctx).Log.Warn("drive: zip cut", "folder", root.ID, "item", t.ID, "err", err)
				return
			}
		}
		_ = zw.Close()
	}}
}

func (s *Service) zipFile(zw *zip.Writer, name string, t store.DriveTreeItem) error {
	f, err := s.dir.Open(t.Body)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: t.UpdatedAt})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}
