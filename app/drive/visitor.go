package drive

import (
	"context"
	"crypto/hmac"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/request"
	"annex/store"
)

// What a public link's anonymous visitor sees: the link's item, and what a folder holds,
// as the link's maker sees it; nothing of the drive around it, nor of anyone.

// PublicItem is a file or folder as a link's visitor sees it.
type PublicItem struct {
	ID          string    `json:"id"`
	ParentID    string    `json:"parentId" doc:"The folder it is in; empty for the link's own item"`
	Kind        string    `json:"kind" enum:"folder,file"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"contentType"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// PublicLink is an opened link.
type PublicLink struct {
	ID        string     `json:"id" doc:"The link's id, for the next requests"`
	Item      PublicItem `json:"item"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}

type openLinkInput struct {
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"100" doc:"What follows # in the link"`
		Password string `json:"password,omitempty" maxLength:"200"`
	}
}

type openLinkOutput struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      PublicLink
}

type publicItemsInput struct {
	Link    string `path:"link" maxLength:"32"`
	Cookie  string `cookie:"annex_link" doc:"Set when the link was opened"`
	Parent  string `query:"parent" maxLength:"32" doc:"A folder under the link's; empty for the link's own"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

// PublicItemPage is a page of a linked folder.
type PublicItemPage struct {
	Folder  PublicItem   `json:"folder"`
	Items   []PublicItem `json:"items" nullable:"false"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
}

type publicItemsOutput struct{ Body PublicItemPage }

type publicContentInput struct {
	Link   string `path:"link" maxLength:"32"`
	Cookie string `cookie:"annex_link" doc:"Set when the link was opened"`
	Item   string `query:"item" maxLength:"32" doc:"A file under the link's folder; empty for the link's own file"`
	Inline bool   `query:"inline" doc:"Shown in the browser, for the types a browser shows safely"`
	Range  string `header:"Range"`
}

func (s *Service) visitorRoutes(api huma.API) {
	tags := []string{"Public links"}
	huma.Register(api, huma.Operation{OperationID: "openDriveLink", Method: http.MethodPost, Path: "/public/link/open",
		Summary: "Open a public link (with its password, if it has one)", Tags: tags, Security: auth.Public}, s.openLink)
	huma.Register(api, huma.Operation{OperationID: "listDriveLinkItems", Method: http.MethodGet, Path: "/public/link/{link}/items",
		Summary: "A page of a linked folder", Tags: tags, Security: auth.Public}, s.linkItems)
	binary := &huma.Schema{Type: "string", Format: "binary"}
	huma.Register(api, huma.Operation{OperationID: "getDriveLinkContent", Method: http.MethodGet, Path: "/public/link/{link}/content",
		Summary: "Download a linked file", Tags: tags, Security: auth.Public,
		Responses: map[string]*huma.Response{"200": {Description: "The content",
			Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: binary}}}}}, s.linkContent)
}

func publicItem(root, v store.DriveItem) PublicItem {
	parent := v.ParentID
	if v.ID == root.ID {
		parent = ""
	}
	return PublicItem{ID: v.ID, ParentID: parent, Kind: v.Kind, Name: v.Name, Size: v.Size, ContentType: v.ContentType,
		UpdatedAt: v.UpdatedAt}
}

func (s *Service) openLink(ctx context.Context, in *openLinkInput) (*openLinkOutput, error) {
	l, err := s.st.DriveLinkByToken(ctx, store.System(), hashToken(strings.TrimSpace(in.Body.Token)))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(http.StatusNotFound, "link_unknown", nil)
	}
	if err != nil {
		return nil, err
	}
	_, root, err := s.opened(ctx, l)
	if err != nil {
		return nil, err
	}
	if l.PasswordHash != "" {
		if err := s.checkLinkPassword(ctx, l, in.Body.Password); err != nil {
			return nil, err
		}
	}
	if err := s.linkLog(ctx, l, root, false); err != nil {
		return nil, err
	}
	out := &openLinkOutput{Body: PublicLink{ID: l.ID, Item: publicItem(root, root)}}
	if !l.ExpiresAt.IsZero() {
		t := l.ExpiresAt
		out.Body.ExpiresAt = &t
	}
	out.SetCookie = http.Cookie{Name: "annex_link", Value: l.ID + "." + s.linkMAC(l.ID), Path: "/api/v1/public/link/" + l.ID,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.pub.Settings().Secure()}
	return out, nil
}

// checkLinkPassword verifies a link's password under its throttle.
func (s *Service) checkLinkPassword(ctx context.Context, l store.DriveLink, password string) error {
	key := "link:" + l.ID
	until, err := s.st.ThrottleBlockedUntil(ctx, key)
	if err != nil {
		return err
	}
	if wait := until.Sub(s.st.Now()); wait > 0 {
		return &apperr.Error{Status: http.StatusTooManyRequests, Code: "link_password_blocked", RetryAfter: wait}
	}
	if password == "" {
		return apperr.New(http.StatusUnauthorized, "link_password_needed", nil)
	}
	ok, err := s.pub.Hasher.Verify(ctx, l.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.st.Tx(ctx, func(tx *store.Tx) error { return tx.RecordFailure(ctx, key, linkThrottle) }); err != nil {
			return err
		}
		return apperr.New(http.StatusForbidden, "link_password_wrong", nil)
	}
	return nil
}

// visit loads the link a visitor's browser opened: its cookie must prove it held the
// token (and the password).
func (s *Service) visit(ctx context.Context, link, cookie string) (store.DriveLink, store.Actor, store.DriveItem, error) {
	l, err := s.st.DriveLinkByID(ctx, store.System(), link)
	if err != nil || !hmac.Equal([]byte(cookie), []byte(l.ID+"."+s.linkMAC(l.ID))) {
		return l, store.Actor{}, store.DriveItem{}, apperr.New(http.StatusNotFound, "link_unknown", nil)
	}
	a, root, err := s.opened(ctx, l)
	return l, a, root, err
}

func (s *Service) linkItems(ctx context.Context, in *publicItemsInput) (*publicItemsOutput, error) {
	_, a, root, err := s.visit(ctx, in.Link, in.Cookie)
	if err != nil {
		return nil, err
	}
	p := PublicItemPage{Items: []PublicItem{}, Page: in.Page, PerPage: in.PerPage}
	if root.Kind == store.DriveFile {
		// A linked file is a folder of one.
		if in.Parent != "" {
			return nil, apperr.NotFound()
		}
		p.Folder, p.Items, p.Total = publicItem(root, root), []PublicItem{publicItem(root, root)}, 1
		return &publicItemsOutput{Body: p}, nil
	}
	f, err := s.within(ctx, a, root, in.Parent)
	if err != nil || f.Kind != store.DriveFolder {
		return nil, apperr.NotFound()
	}
	items, total, err := s.st.DriveItems(ctx, a, f.Drive, f.ID, "name", in.PerPage, (in.Page-1)*in.PerPage)
	if err != nil {
		return nil, err
	}
	p.Folder, p.Total = publicItem(root, f), total
	for _, v := range items {
		p.Items = append(p.Items, publicItem(root, v))
	}
	return &publicItemsOutput{Body: p}, nil
}

func (s *Service) linkContent(ctx context.Context, in *publicContentInput) (*huma.StreamResponse, error) {
	l, a, root, err := s.visit(ctx, in.Link, in.Cookie)
	if err != nil {
		return nil, err
	}
	v, err := s.within(ctx, a, root, in.Item)
	if err != nil || v.Kind != store.DriveFile {
		return nil, apperr.NotFound()
	}
	vs, err := s.st.DriveVersions(ctx, a, v.ID)
	if err != nil {
		return nil, err
	}
	ver, err := current(vs, "")
	if err != nil {
		return nil, err
	}
	f, err := s.dir.Open(ver.Body)
	if err != nil {
		return nil, err
	}
	// A download is counted once, not once per range of a video played.
	if in.Range == "" || strings.HasPrefix(in.Range, "bytes=0-") {
		if err := s.linkLog(ctx, l, v, true); err != nil {
			f.Close()
			request.From(ctx).Log.Warn("drive: link download not counted", "link", l.ID, "err", err)
			return nil, err
		}
	}
	return serve(v, ver, in.Inline, f), nil
}
