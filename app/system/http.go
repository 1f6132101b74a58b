package system

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/auth"
)

// Report is Admin → System.
type Report struct {
	Checks []Check `json:"checks"`
}

type reportOutput struct{ Body Report }

// Routes registers Admin → System.
func (s *Service) Routes(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "getSystem", Method: http.MethodGet, Path: "/admin/system",
		Summary: "The installation's checks: version, uptime, disk, database, outbox, jobs, backups", Tags: []string{"Admin"}},
		func(ctx context.Context, _ *struct{}) (*reportOutput, error) {
			if err := auth.RequireAdmin(ctx); err != nil {
				return nil, err
			}
			checks, err := s.Checks(ctx)
			if err != nil {
				return nil, err
			}
			return &reportOutput{Body: Report{Checks: checks}}, nil
		})
}
