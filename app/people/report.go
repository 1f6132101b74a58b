package people

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/activity"
	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/store"
)

// The access report (PRODUCT.md §8, docs/access-report.md): for one external user, every
// group and person she can reach and why, read through the fence with her as the actor.

// ReportGroup is a group she can reach.
type ReportGroup struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind" enum:"internal,extranet"`
	Archived bool   `json:"archived"`
	Role     string `json:"role" enum:"owner,moderator,member," doc:"Her role in it: the reason she reaches it"`
	State    string `json:"state" enum:"active,invited," doc:"active: a member; invited: she sees it to answer an invitation"`
}

// ReportPerson is a person she can see.
type ReportPerson struct {
	Person
	Self   bool        `json:"self" doc:"She herself"`
	Shared []GroupName `json:"sharedGroups" doc:"The groups both are active members of: the reason she sees them"`
}

// GroupName names a group inside the report.
type GroupName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AccessReport is the report.
type AccessReport struct {
	Person      Person         `json:"person"`
	GeneratedAt time.Time      `json:"generatedAt"`
	Groups      []ReportGroup  `json:"groups"`
	People      []ReportPerson `json:"people"`
}

type reportOutput struct{ Body AccessReport }

func (s *Service) reportRoutes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "getAccessReport", Method: http.MethodGet, Path: "/admin/users/{id}/access-report",
		Summary:     "Everything an external user can reach, and why",
		Description: "Every group and person, each with the membership that opens it, computed by the same fence as her own requests.",
		Tags:        tags}, s.report)
	huma.Register(api, huma.Operation{OperationID: "exportAccessReport", Method: http.MethodGet, Path: "/admin/users/{id}/access-report/export",
		Summary:     "The access report as CSV",
		Description: "One row per group or person. Cells that a spreadsheet would read as a formula are quoted with a leading apostrophe.",
		Tags:        tags}, s.exportReport)
}

// buildReport reads the report of an external user for an administrator.
func (s *Service) buildReport(ctx context.Context, id string) (store.User, AccessReport, error) {
	var r AccessReport
	if err := auth.RequireAdmin(ctx); err != nil {
		return store.User{}, r, err
	}
	a := auth.ActorFrom(ctx)
	u, err := s.st.User(ctx, a, id)
	if err != nil {
		return u, r, err
	}
	if u.Kind != store.KindExternal {
		return u, r, apperr.New(http.StatusConflict, "access_report_external_only", nil)
	}
	groups, people, err := s.st.AccessReport(ctx, a, u)
	if err != nil {
		return u, r, err
	}
	r = AccessReport{Person: PersonOf(u), GeneratedAt: s.st.Now().UTC(), Groups: make([]ReportGroup, 0, len(groups)),
		People: make([]ReportPerson, 0, len(people))}
	for _, g := range groups {
		r.Groups = append(r.Groups, ReportGroup{ID: g.ID, Name: g.Name, Kind: g.Kind, Archived: g.Archived, Role: g.Role, State: g.State})
	}
	for _, p := range people {
		rp := ReportPerson{Person: PersonOf(p.User), Self: p.Self, Shared: make([]GroupName, 0, len(p.Shared))}
		for _, g := range p.Shared {
			rp.Shared = append(rp.Shared, GroupName{ID: g.ID, Name: g.Name})
		}
		r.People = append(r.People, rp)
	}
	return u, r, nil
}

func (s *Service) report(ctx context.Context, in *getInput) (*reportOutput, error) {
	_, r, err := s.buildReport(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &reportOutput{Body: r}, nil
}

func (s *Service) exportReport(ctx context.Context, in *getInput) (*huma.StreamResponse, error) {
	u, r, err := s.buildReport(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.AccessReportExported, audit.User(u.ID, u.Email), nil)
	})
	if err != nil {
		return nil, err
	}
	loc := i18n.From(ctx)
	t := func(key string, params map[string]any) string { return i18n.T(loc, "accessReport."+key, params) }
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "text/csv; charset=utf-8")
		hc.SetHeader("Content-Disposition", `attachment; filename="access-report-`+r.GeneratedAt.Format("2006-01-02")+`.csv"`)
		hc.SetStatus(http.StatusOK)
		w := csv.NewWriter(hc.BodyWriter())
		write := func(cells ...string) {
			for i := range cells {
				cells[i] = activity.Cell(cells[i])
			}
			_ = w.Write(cells)
		}
		write(t("what", nil), t("name", nil), t("id", nil), t("detail", nil), t("reason", nil))
		for _, g := range r.Groups {
			reason := t("role."+g.Role, nil)
			switch {
			case g.State == store.MemberInvited:
				reason = t("invited", nil)
			case g.Role == "": // an employee's open internal group; no external user has one
				reason = t("open", nil)
			}
			write(t("group", nil), g.Name, g.ID, t("kind."+g.Kind, nil), reason)
		}
		for _, p := range r.People {
			reason := t("self", nil)
			if !p.Self {
				names := make([]string, len(p.Shared))
				for i, g := range p.Shared {
					names[i] = g.Name
				}
				reason = t("shares", map[string]any{"groups": strings.Join(names, "; ")})
			}
			write(t("person", nil), p.Name, p.ID, p.Email, reason)
		}
		w.Flush()
	}}, nil
}
