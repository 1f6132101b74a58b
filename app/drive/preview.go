package drive

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/picture"
	"annex/store"
)

// Previews (docs/drive.md, "Previews"): a picture's is a small JPEG made from its pixels
// alone, once, when first asked for.
const (
	previewSide = 256
	// previewMaxFile and previewMaxDecode bound the memory one preview takes: the file
	// read whole, and its pixels decoded (read from its header first).
	previewMaxFile   = 32 << 20
	previewMaxDecode = 100 << 20
)

// previewTypes are the pictures a preview is made of.
var previewTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

type previewOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CSP                string `header:"Content-Security-Policy"`
	CacheControl       string `header:"Cache-Control"`
	ETag               string `header:"ETag"`
	Body               []byte
}

func (s *Service) previewRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "getDrivePreview", Method: http.MethodGet, Path: "/drive/items/{id}/preview",
		Summary:     "A small picture of a picture file (PNG, JPEG, GIF, WebP)",
		Description: "At most 256 pixels a side, made once from the current version's pixels. Not found for anything else.",
		Tags:        tags, Responses: map[string]*huma.Response{"200": {Description: "The preview",
			Content: map[string]*huma.MediaType{"image/jpeg": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}}, s.preview)
}

var errNoPreview = apperr.New(http.StatusNotFound, "drive_no_preview", nil)

func (s *Service) preview(ctx context.Context, in *itemInput) (*previewOutput, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	vs, err := s.st.DriveVersions(ctx, a, v.ID)
	if err != nil {
		return nil, err
	}
	ver, err := current(vs, "")
	if err != nil || v.Kind != store.DriveFile || !previewTypes[ver.ContentType] || ver.Size > previewMaxFile {
		return nil, errNoPreview
	}
	thumb, err := s.st.DriveThumb(ctx, a, ver.ID)
	if err != nil {
		return nil, err
	}
	if thumb == "" {
		if thumb, err = s.makePreview(ctx, ver); err != nil {
			return nil, err
		}
	}
	if thumb == "-" {
		return nil, errNoPreview
	}
	f, err := s.dir.Open(thumb)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &previewOutput{ContentType: "image/jpeg", ContentDisposition: "inline", NoSniff: "nosniff", CSP: "sandbox",
		CacheControl: "private, max-age=300", ETag: `"` + thumb + `"`, Body: data}, nil
}

// makePreview makes and records a version's preview, or records that none can be made.
func (s *Service) makePreview(ctx context.Context, ver store.DriveVersion) (string, error) {
	thumb := "-"
	jpg, err := s.previewOf(ctx, ver)
	switch {
	case errors.Is(err, picture.ErrNotPicture) || errors.Is(err, errNoPreview):
	case err != nil:
		return "", err
	default:
		if thumb, err = s.dir.Put(bytes.NewReader(jpg)); err != nil {
			return "", err
		}
	}
	var kept string
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		kept, err = tx.SetDriveThumb(ctx, ver.ID, thumb)
		return err
	})
	if kept != thumb && thumb != "-" {
		_ = s.dir.Remove(thumb) // made twice at once: the other one stands
	}
	return kept, err
}

func (s *Service) previewOf(ctx context.Context, ver store.DriveVersion) ([]byte, error) {
	f, err := s.dir.Open(ver.Body)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, previewMaxFile+1))
	f.Close()
	if err != nil {
		return nil, err
	}
	cfg, err := picture.Header(data)
	if err != nil {
		return nil, err
	}
	weight := picture.DecodeSize(cfg)
	if weight > previewMaxDecode {
		return nil, errNoPreview
	}
	// Pictures decode side by side within one budget: the largest wait for each other.
	if err := s.decoding.Acquire(ctx, weight); err != nil {
		return nil, err
	}
	defer s.decoding.Release(weight)
	return picture.Fit(data, previewSide)
}
