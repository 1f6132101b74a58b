package licence

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/audit"
	"annex/app/auth"
	"annex/app/settings"
	"annex/store"
)

// Service is Admin → Licence.
type Service struct {
	st  *store.Store
	set *settings.Service
}

// NewService returns the licence page's service.
func NewService(st *store.Store, set *settings.Service) *Service { return &Service{st: st, set: set} }

// Info is the licence in force and the seats in use.
type Info struct {
	Free      bool   `json:"free" doc:"No licence: the free edition"`
	Edition   string `json:"edition"`
	Licensee  string `json:"licensee"`
	Seats     int    `json:"seats"`
	Active    int    `json:"active" doc:"Active accounts, employees and external users together"`
	Invited   int    `json:"invited" doc:"Pending invitations for addresses without an active account"`
	Used      int    `json:"used"`
	Issued    string `json:"issued" doc:"RFC 3339; empty for the free edition"`
	Expires   string `json:"expires" doc:"RFC 3339; empty for the free edition"`
	Expired   bool   `json:"expired" doc:"Existing users keep working; no seat can be added"`
	OverLimit bool   `json:"overLimit" doc:"More seats are in use than the licence has: none can be added until enough are freed"`
}

type infoOutput struct{ Body Info }

type uploadInput struct {
	Body struct {
		Text string `json:"text" maxLength:"20000" doc:"The licence file's text; empty to return to the free edition"`
	}
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "getLicence", Method: http.MethodGet, Path: "/admin/licence",
		Summary: "The licence and the seats in use", Tags: tags}, s.get)
	huma.Register(api, huma.Operation{OperationID: "uploadLicence", Method: http.MethodPut, Path: "/admin/licence",
		Summary: "Install a licence file", Description: "Needs the password entered within the last 10 minutes. A licence " +
			"with fewer seats than are in use is accepted, with a warning: no seat can be added until enough are freed.",
		Tags: tags, Security: auth.SessionOnly}, s.upload)
}

func (s *Service) info(ctx context.Context) (*infoOutput, error) {
	seats, err := s.st.SeatCount(ctx, auth.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	l := Current(s.set.Get().Licence)
	out := &infoOutput{Body: Info{Free: l.Free, Edition: l.Edition, Licensee: l.Licensee, Seats: l.Seats,
		Active: seats.Active, Invited: seats.Invited, Used: seats.Used(), Expired: l.Expired(s.st.Now()),
		OverLimit: seats.Used() > l.Seats}}
	if !l.Free {
		out.Body.Issued, out.Body.Expires = l.Issued.Format(time.RFC3339), l.Expires.Format(time.RFC3339)
	}
	return out, nil
}

func (s *Service) get(ctx context.Context, _ *struct{}) (*infoOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.info(ctx)
}

func (s *Service) upload(ctx context.Context, in *uploadInput) (*infoOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(in.Body.Text)
	if err := CheckUpload(text, s.st.Now()); err != nil {
		return nil, err
	}
	err := s.set.Update(ctx, func(v *settings.Values) error {
		v.Licence = text
		return nil
	}, func(tx *store.Tx, _, _ settings.Values) error {
		l := Current(text)
		details := map[string]string{"edition": l.Edition, "seats": strconv.Itoa(l.Seats)}
		if !l.Free {
			details["licensee"], details["expires"] = l.Licensee, l.Expires.Format(time.DateOnly)
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.LicenceUploaded, store.Object{Type: "licence", Label: l.Licensee}, details)
	})
	if err != nil {
		return nil, err
	}
	return s.info(ctx)
}
