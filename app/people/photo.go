package people

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"net/http"
	"runtime"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/sync/semaphore"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/files"
	"annex/app/picture"
	"annex/app/request"
	"annex/store"
)

// Photo limits. A photo is decoded whole, so what bounds the memory one upload takes is
// its decoded size: width × height × the bytes per pixel of its colour model, all read
// from the header before anything is decoded. A pixel count alone is not enough: a
// 16-bit RGBA PNG takes 8 bytes a pixel, twice what the count assumed.
const (
	photoSide          = 400 // stored square, in pixels
	photoMinSide       = 32
	photoMaxDecodeSize = 100 << 20 // bytes of decoded pixels for one photo (25 MP as 8-bit RGBA)
)

// Photos handles profile photos: upload, removal and serving through the fence.
type Photos struct {
	st       *store.Store
	dir      *files.Dir
	maxBytes int64
	uploads  *request.Uploads
	// decoding bounds the decoded bytes held at once across all uploads: many small
	// photos decode side by side, the largest ones one after another.
	decoding *semaphore.Weighted
}

// NewPhotos returns the photo service; maxBytes bounds an upload, and uploads bounds
// its reading (deadline, and bodies per person at once).
func NewPhotos(st *store.Store, dir *files.Dir, maxBytes int64, uploads *request.Uploads) *Photos {
	return &Photos{st: st, dir: dir, maxBytes: maxBytes, uploads: uploads,
		decoding: semaphore.NewWeighted(int64(max(runtime.NumCPU()/2, 1)) * photoMaxDecodeSize)}
}

// photoInput reads the body itself so that an oversized photo gets its own words
// rather than the framework's, through request.Uploads so that it has a deadline.
type photoInput struct {
	data     []byte
	tooLarge bool
}

func (in *photoInput) Resolve(ctx huma.Context) []error {
	lim, _ := ctx.Context().Value(photoLimitKey{}).(photoLimit)
	data, tooLarge, err := lim.uploads.ReadAll(ctx, lim.maxBytes)
	if err != nil {
		return []error{request.BodyError(err)}
	}
	in.data, in.tooLarge = data, tooLarge
	return nil
}

type photoLimitKey struct{}

type photoLimit struct {
	maxBytes int64
	uploads  *request.Uploads
}

type photoOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CSP                string `header:"Content-Security-Policy"`
	CacheControl       string `header:"Cache-Control"`
	ETag               string `header:"ETag"`
	Body               []byte
}

type photoGetInput struct {
	ID string `path:"id" maxLength:"32"`
	V  string `query:"v" maxLength:"32" doc:"The photo's version, from the person's photo address"`
}

// Routes registers the operations.
func (p *Photos) Routes(api huma.API) {
	tags := []string{"People"}
	body := &huma.RequestBody{Required: true, Description: "A JPEG, PNG, GIF or WebP picture",
		Content: map[string]*huma.MediaType{"image/*": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}
	admit := p.uploads.Middleware(api, func(ctx huma.Context) string { return auth.ActorFrom(ctx.Context()).UserID })
	limit := func(ctx huma.Context, next func(huma.Context)) {
		next(huma.WithValue(ctx, photoLimitKey{}, photoLimit{maxBytes: p.maxBytes, uploads: p.uploads}))
	}
	huma.Register(api, huma.Operation{OperationID: "setMyPhoto", Method: http.MethodPut, Path: "/me/photo",
		Summary:     "Upload one's profile photo",
		Description: "The picture is cropped to a square, scaled down and stored as JPEG; its metadata (such as the place it was taken) is dropped.",
		Tags:        []string{"Account"}, RequestBody: body, Middlewares: huma.Middlewares{admit, limit}}, p.put)
	huma.Register(api, huma.Operation{OperationID: "deleteMyPhoto", Method: http.MethodDelete, Path: "/me/photo",
		Summary: "Remove one's profile photo", Tags: []string{"Account"}, DefaultStatus: http.StatusNoContent}, p.delete)
	huma.Register(api, huma.Operation{OperationID: "getPersonPhoto", Method: http.MethodGet, Path: "/people/{id}/photo",
		Summary: "A person's photo; not found if they are not visible or have none", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The photo",
			Content: map[string]*huma.MediaType{"image/jpeg": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, p.get)
}

func (p *Photos) put(ctx context.Context, in *photoInput) (*meOutput, error) {
	if in.tooLarge {
		return nil, apperr.New(http.StatusRequestEntityTooLarge, "photo_too_large", map[string]any{"maxMB": p.maxBytes >> 20})
	}
	cfg, err := photoHeader(in.data)
	if err != nil {
		return nil, err
	}
	// Waits while the photos being decoded hold the budget; a request that gives up
	// (the client went away) stops waiting.
	weight := decodeSize(cfg)
	if err := p.decoding.Acquire(ctx, weight); err != nil {
		return nil, err
	}
	jpg, err := squarePhoto(in.data)
	p.decoding.Release(weight)
	if err != nil {
		return nil, err
	}
	id, err := p.dir.Put(bytes.NewReader(jpg))
	if err != nil {
		return nil, err
	}
	return p.replace(ctx, id)
}

func (p *Photos) delete(ctx context.Context, _ *struct{}) (*struct{}, error) {
	_, err := p.replace(ctx, "")
	return nil, err
}

// replace points the signed-in person's photo at id and deletes the file it replaces
// once that has committed (or id's own file, if it did not).
func (p *Photos) replace(ctx context.Context, id string) (*meOutput, error) {
	u := auth.CurrentFrom(ctx).User
	var old string
	err := p.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if old, err = tx.SetPhoto(ctx, u.ID, id); err != nil || old == "" && id == "" {
			return err // removing no photo changes nothing: no row
		}
		details := map[string]string{"fields": "photo", "photo": "set"}
		if id == "" {
			details["photo"] = "removed"
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.ProfileChanged, audit.User(u.ID, u.Email), details)
	})
	if err != nil {
		_ = p.dir.Remove(id)
		return nil, err
	}
	_ = p.dir.Remove(old)
	u.PhotoID = id
	return &meOutput{Body: auth.MeOf(ctx, u)}, nil
}

type meOutput struct{ Body auth.Me }

func (p *Photos) get(ctx context.Context, in *photoGetInput) (*photoOutput, error) {
	u, err := p.st.User(ctx, auth.ActorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	if u.PhotoID == "" {
		return nil, apperr.NotFound()
	}
	f, err := p.dir.Open(u.PhotoID)
	if errors.Is(err, files.ErrNotFound) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	// Served as an inline image that can run nothing and cannot be framed (sandbox alone
	// would drop the site-wide frame-ancestors), cached privately for a short
	// while: a person who stops being visible stops being shown soon, not at once.
	return &photoOutput{ContentType: "image/jpeg", ContentDisposition: "inline", CSP: "sandbox; frame-ancestors 'none'",
		CacheControl: "private, max-age=300", ETag: `"` + u.PhotoID + `"`, Body: data}, nil
}

// photoHeader checks an uploaded picture's format and dimensions from its header, and
// that decoding it stays within photoMaxDecodeSize.
func photoHeader(data []byte) (image.Config, error) {
	cfg, err := picture.Header(data)
	if err != nil {
		return cfg, apperr.New(http.StatusUnprocessableEntity, "photo_not_image", nil)
	}
	if cfg.Width < photoMinSide || cfg.Height < photoMinSide {
		return cfg, apperr.New(http.StatusUnprocessableEntity, "photo_too_small", map[string]any{"min": photoMinSide})
	}
	if decodeSize(cfg) > photoMaxDecodeSize {
		// Told in megapixels of this picture's kind, which is what a person can change.
		return cfg, apperr.New(http.StatusUnprocessableEntity, "photo_too_many_pixels",
			map[string]any{"megapixels": photoMaxDecodeSize / picture.BytesPerPixel(cfg.ColorModel) / 1_000_000})
	}
	return cfg, nil
}

// decodeSize is the memory decoding a picture takes, plus the small square it is scaled
// into.
func decodeSize(cfg image.Config) int64 { return picture.DecodeSize(cfg) + 4*photoSide*photoSide }

// squarePhoto decodes a picture that photoHeader accepted into the stored square: nothing
// of the upload but its pixels survives.
func squarePhoto(data []byte) ([]byte, error) {
	if _, err := photoHeader(data); err != nil {
		return nil, err
	}
	jpg, err := picture.Square(data, photoSide)
	if errors.Is(err, picture.ErrNotPicture) {
		return nil, apperr.New(http.StatusUnprocessableEntity, "photo_not_image", nil)
	}
	return jpg, err
}
