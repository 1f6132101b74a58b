package people

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// View as (PRODUCT.md §8, docs/view-as.md): an administrator's session shows the whole
// application as one external user sees it, computed by the same fence, read-only. The
// session itself is the state (auth.Sessions resolves it into the person viewed, with the
// administrator as Viewer); the server's middleware refuses every write but these.

type pageInput struct {
	Body struct {
		Path string `json:"path" maxLength:"300" doc:"The page of the application opened, such as /groups/abc"`
	}
}

func (s *Service) viewAsRoutes(api huma.API) {
	tags := []string{"People"}
	huma.Register(api, huma.Operation{OperationID: "startViewAs", Method: http.MethodPost, Path: "/people/{id}/view-as",
		Summary: "View the application as an external user sees it, read-only",
		Description: "Administrators only, from a browser session. Until it ends, every read of this session is hers, " +
			"computed by the same fence, and every write is refused (403 view_as_read_only). Her own sessions are not touched.",
		Tags: tags, Security: auth.SessionOnly, DefaultStatus: http.StatusNoContent}, s.startViewAs)
	huma.Register(api, huma.Operation{OperationID: "endViewAs", Method: http.MethodDelete, Path: "/me/view-as",
		Summary: "Stop viewing as someone else", Tags: tags, Security: auth.SessionOnly,
		DefaultStatus: http.StatusNoContent}, s.endViewAs)
	huma.Register(api, huma.Operation{OperationID: "viewAsPage", Method: http.MethodPost, Path: "/me/view-as/pages",
		Summary: "Record a page opened while viewing as someone else", Description: "For the activity log.",
		Tags: tags, Security: auth.SessionOnly, DefaultStatus: http.StatusNoContent}, s.viewAsPage)
}

func (s *Service) startViewAs(ctx context.Context, in *getInput) (*struct{}, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	a, cur := auth.ActorFrom(ctx), auth.CurrentFrom(ctx)
	u, err := s.st.User(ctx, a, in.ID)
	switch {
	case err != nil:
		return nil, err
	case u.Kind != store.KindExternal:
		return nil, apperr.New(http.StatusConflict, "view_as_external_only", nil)
	case !u.Active || u.AccessEnded(s.st.Now()):
		return nil, apperr.New(http.StatusConflict, "view_as_inactive", nil)
	}
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := cur.SetViewAs(ctx, tx, u.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.ViewAsStarted, audit.User(u.ID, u.Email), nil)
	})
}

// viewing is the request's view as someone, refused when there is none.
func viewing(ctx context.Context) (*auth.Current, error) {
	cur := auth.CurrentFrom(ctx)
	if cur == nil || cur.Viewer == nil {
		return nil, apperr.New(http.StatusConflict, "not_viewing_as", nil)
	}
	return cur, nil
}

func (s *Service) endViewAs(ctx context.Context, _ *struct{}) (*struct{}, error) {
	cur, err := viewing(ctx)
	if err != nil {
		return nil, err
	}
	secs := int(s.st.Now().Sub(cur.Session.ViewAsSince).Seconds())
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := cur.SetViewAs(ctx, tx, ""); err != nil {
			return err
		}
		return audit.Log(ctx, tx, store.ActorFor(*cur.Viewer), audit.ViewAsEnded, audit.User(cur.User.ID, cur.User.Email),
			map[string]string{"seconds": strconv.Itoa(secs)})
	})
}

func (s *Service) viewAsPage(ctx context.Context, in *pageInput) (*struct{}, error) {
	cur, err := viewing(ctx)
	if err != nil {
		return nil, err
	}
	path := in.Body.Path
	if !strings.HasPrefix(path, "/") || strings.IndexFunc(path, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		return nil, apperr.Invalid(apperr.FieldErr("body.path", "page_path_invalid", nil))
	}
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		return audit.Log(ctx, tx, store.ActorFor(*cur.Viewer), audit.ViewAsPage, audit.User(cur.User.ID, cur.User.Email),
			map[string]string{"path": path})
	})
}
