package drive

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/people"
	"annex/app/settings"
	"annex/store"
)

// Public links (docs/drive.md, "Public links"): whoever holds a link's token opens that
// file or folder, and nothing else, while the link lasts and its maker could still make it.

// DriveLink is a public link as those who may manage it see it.
type DriveLink struct {
	ID          string      `json:"id"`
	CreatedAt   time.Time   `json:"createdAt"`
	ExpiresAt   *time.Time  `json:"expiresAt,omitempty" doc:"When it stops working; none: it does not expire"`
	HasPassword bool        `json:"hasPassword"`
	Visits      int         `json:"visits"`
	Downloads   int         `json:"downloads"`
	CreatedBy   *people.Ref `json:"createdBy,omitempty" doc:"Left out when you may not see them"`
}

type linksOutput struct {
	Body struct {
		Items []DriveLink `json:"items" nullable:"false" doc:"Links not withdrawn, newest first"`
	}
}

type createLinkInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		ExpiresAt *time.Time `json:"expiresAt,omitempty" doc:"When it stops working; none: it does not expire"`
		Password  string     `json:"password,omitempty" maxLength:"200" doc:"Asked of every visitor; none: the link is enough"`
	}
}

type createLinkOutput struct {
	Body struct {
		DriveLink
		URL string `json:"url" doc:"The link to send: shown this once, never again"`
	}
}

type linkInput struct {
	ID string `path:"linkId" maxLength:"32"`
}

// MinLinkPassword is the shortest password a link may have.
const MinLinkPassword = 6

func (s *Service) linkRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "listDriveLinks", Method: http.MethodGet, Path: "/drive/items/{id}/links",
		Summary: "The public links of a file or folder", Tags: tags}, s.links)
	huma.Register(api, huma.Operation{OperationID: "createDriveLink", Method: http.MethodPost, Path: "/drive/items/{id}/links",
		Summary: "Make a public link to a file or folder, when the administrators' policy allows", DefaultStatus: http.StatusCreated,
		Tags: tags}, s.createLink)
	huma.Register(api, huma.Operation{OperationID: "revokeDriveLink", Method: http.MethodDelete, Path: "/drive/links/{linkId}",
		Summary: "Withdraw a public link: it stops working at once", DefaultStatus: http.StatusNoContent, Tags: tags}, s.revokeLink)
	s.visitorRoutes(api)
}

// mayLink checks that a may make (and manage) public links to v: its owner in My Drive;
// in a group's drive, edit rights on it (a folder's own, a file's folder's).
func mayLink(ctx context.Context, a store.Actor, v store.DriveItem, levelOf func(context.Context, store.Actor, store.Drive, string) (int, error)) error {
	if v.Drive.OwnerID != "" {
		if v.Drive.OwnerID != a.UserID {
			return apperr.Forbidden("drive_owner_only")
		}
		return nil
	}
	folder := v.ParentID
	if v.Kind == store.DriveFolder {
		folder = v.ID
	}
	return may(ctx, a, v.Drive, folder, store.LevelEdit, levelOf)
}

// linksAllowed checks the administrators' policy for a person of kind.
func linksAllowed(policy, kind string) error {
	switch {
	case policy == settings.LinksOff:
		return apperr.Forbidden("links_off")
	case policy == settings.LinksEmployees && kind != store.KindEmployee:
		return apperr.Forbidden("links_employees_only")
	}
	return nil
}

func (s *Service) linkOf(ctx context.Context, a store.Actor, l store.DriveLink) DriveLink {
	out := DriveLink{ID: l.ID, CreatedAt: l.CreatedAt, HasPassword: l.PasswordHash != "", Visits: l.Visits, Downloads: l.Downloads}
	if !l.ExpiresAt.IsZero() {
		t := l.ExpiresAt
		out.ExpiresAt = &t
	}
	if u, err := s.st.User(ctx, a, l.CreatedBy); err == nil {
		out.CreatedBy = people.RefOf(&u)
	}
	return out
}

func (s *Service) links(ctx context.Context, in *itemInput) (*linksOutput, error) {
	a := auth.ActorFrom(ctx)
	v, err := s.st.DriveItem(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	if err := mayLink(ctx, a, v, s.st.DriveLevel); err != nil {
		return nil, err
	}
	ls, err := s.st.DriveLinks(ctx, a, v.ID)
	if err != nil {
		return nil, err
	}
	out := &linksOutput{}
	out.Body.Items = []DriveLink{}
	for _, l := range ls {
		out.Body.Items = append(out.Body.Items, s.linkOf(ctx, a, l))
	}
	return out, nil
}

func (s *Service) createLink(ctx context.Context, in *createLinkInput) (*createLinkOutput, error) {
	a := auth.ActorFrom(ctx)
	if err := linksAllowed(s.pub.Settings().PublicLinks, a.Kind); err != nil {
		return nil, err
	}
	var fields apperr.Fields
	if e := in.Body.ExpiresAt; e != nil && !e.After(s.st.Now()) {
		fields.Add("body.expiresAt", "link_expiry_past", nil)
	}
	if p := in.Body.Password; p != "" && len([]rune(p)) < MinLinkPassword {
		fields.Add("body.password", "link_password_short", map[string]any{"min": MinLinkPassword})
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	l := store.DriveLink{CreatedBy: a.UserID}
	if in.Body.ExpiresAt != nil {
		l.ExpiresAt = *in.Body.ExpiresAt
	}
	if in.Body.Password != "" {
		h, err := s.pub.Hasher.Hash(ctx, in.Body.Password)
		if err != nil {
			return nil, err
		}
		l.PasswordHash = h
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := tx.DriveItemTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		if err := writable(ctx, tx, a, v); err != nil {
			return err
		}
		if err := mayLink(ctx, a, v, tx.DriveLevel); err != nil {
			return err
		}
		l.ItemID = v.ID
		if err := tx.CreateDriveLink(ctx, &l, hashToken(token)); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.DriveLinkCreated, audit.DriveItem(v), map[string]string{"link": l.ID})
	})
	if err != nil {
		return nil, err
	}
	out := &createLinkOutput{}
	out.Body.DriveLink = s.linkOf(ctx, a, l)
	out.Body.URL = strings.TrimRight(s.pub.Settings().BaseURL, "/") + "/s#" + token
	return out, nil
}

func (s *Service) revokeLink(ctx context.Context, in *linkInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		l, err := tx.DriveLinkTx(ctx, a, in.ID)
		if err != nil {
			return err
		}
		v, err := tx.DriveItemTx(ctx, a, l.ItemID)
		if err != nil {
			return err
		}
		// Its maker withdraws it whatever they may do now; others need the right to make one.
		if l.CreatedBy != a.UserID {
			if err := mayLink(ctx, a, v, tx.DriveLevel); err != nil {
				return err
			}
		}
		if err := tx.RevokeDriveLink(ctx, l.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.DriveLinkRevoked, audit.DriveItem(v), map[string]string{"link": l.ID})
	})
	return nil, err
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// linkMAC is what the cookie of an opened link holds: proof that this browser held its
// token (and its password).
func (s *Service) linkMAC(id string) string {
	m := hmac.New(sha256.New, s.pub.CookieKey)
	m.Write([]byte("link:" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// errLinkGone is a link that no longer leads anywhere: its item was removed, or its maker
// may no longer make it.
var errLinkGone = apperr.New(http.StatusGone, "link_gone", nil)

// opened checks that link l still works, and returns the person it shows what they see
// as, and its item.
func (s *Service) opened(ctx context.Context, l store.DriveLink) (store.Actor, store.DriveItem, error) {
	var none store.DriveItem
	set := s.pub.Settings()
	switch {
	case !l.RevokedAt.IsZero():
		return store.Actor{}, none, apperr.New(http.StatusGone, "link_revoked", nil)
	case !l.ExpiresAt.IsZero() && !l.ExpiresAt.After(s.st.Now()):
		return store.Actor{}, none, apperr.New(http.StatusGone, "link_expired", map[string]any{"date": l.ExpiresAt.UTC().Format("2006-01-02")})
	case set.PublicLinks == settings.LinksOff:
		return store.Actor{}, none, apperr.New(http.StatusGone, "link_off", nil)
	}
	maker, err := s.st.User(ctx, store.System(), l.CreatedBy)
	if err != nil || !maker.Active || linksAllowed(set.PublicLinks, maker.Kind) != nil {
		return store.Actor{}, none, errLinkGone
	}
	a := store.ActorFor(maker)
	v, err := s.st.DriveItem(ctx, a, l.ItemID)
	if err == nil {
		err = mayLink(ctx, a, v, s.st.DriveLevel)
	}
	if err != nil {
		return store.Actor{}, none, errLinkGone
	}
	return a, v, nil
}

// within loads item id as the link's maker sees it, if it is the link's item or under it.
func (s *Service) within(ctx context.Context, a store.Actor, root store.DriveItem, id string) (store.DriveItem, error) {
	if id == "" || id == root.ID {
		return root, nil
	}
	v, err := s.st.DriveItem(ctx, a, id)
	if err != nil || !strings.Contains(v.Path, "/"+root.ID+"/") {
		return store.DriveItem{}, apperr.NotFound()
	}
	return v, nil
}

// linkLog writes the visitor's row in the activity log and counts it on the link.
func (s *Service) linkLog(ctx context.Context, l store.DriveLink, v store.DriveItem, download bool) error {
	action := audit.DriveLinkVisited
	if download {
		action = audit.DriveLinkDownloaded
	}
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CountDriveLink(ctx, l.ID, download); err != nil {
			return err
		}
		return audit.Log(ctx, tx, store.Actor{}, action, audit.DriveItem(v), map[string]string{"link": l.ID})
	})
}

// linkThrottle slows the guessing of a link's password: ten tries, then a wait that
// doubles, up to an hour.
var linkThrottle = store.ThrottlePolicy{Forget: time.Hour, Block: func(n int) time.Duration {
	if n < 10 {
		return 0
	}
	return min(time.Minute<<min(n-10, 6), time.Hour)
}}
