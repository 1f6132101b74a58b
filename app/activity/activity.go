// Package activity is Admin → Activity: the activity log read page by page, exported as
// CSV, and kept only as long as the configuration says.
package activity

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/config"
	"annex/app/i18n"
	"annex/app/jobs"
	"annex/store"
)

// Service serves the log to administrators.
type Service struct {
	st *store.Store
}

// New returns the service.
func New(st *store.Store) *Service { return &Service{st: st} }

// ActivityActor is who acted, as the log kept them.
type ActivityActor struct {
	ID   string `json:"id" doc:"Empty for the anonymous and the system"`
	Name string `json:"name" doc:"Their name when they acted"`
	Kind string `json:"kind" enum:"employee,external,anonymous,system"`
}

// ActivityTarget is what the action was done to, named as it was then.
type ActivityTarget struct {
	Type    string `json:"type" doc:"user, group, invitation, …; empty for none"`
	ID      string `json:"id"`
	Label   string `json:"label" doc:"Its name or address when the action happened"`
	GroupID string `json:"groupId" doc:"The group it belongs to, if any"`
}

// ActivityEntry is one row of the log.
type ActivityEntry struct {
	ID      int64             `json:"id"`
	At      time.Time         `json:"at"`
	Actor   ActivityActor     `json:"actor"`
	Action  string            `json:"action"`
	Object  ActivityTarget    `json:"object"`
	Address string            `json:"address" doc:"The client's address"`
	Details map[string]string `json:"details"`
}

func entryOf(a store.Activity) ActivityEntry {
	d := a.Details
	if d == nil {
		d = map[string]string{}
	}
	return ActivityEntry{ID: a.ID, At: a.At.UTC(), Actor: ActivityActor{ID: a.ActorID, Name: a.ActorName, Kind: a.ActorKind},
		Action: a.Action, Object: ActivityTarget(a.Object), Address: a.Address, Details: d}
}

// Filter is the query of both the list and the export.
type Filter struct {
	Person     string `query:"person" maxLength:"32" doc:"Only this person's actions"`
	Kind       string `query:"kind" enum:"employee,external,anonymous,system," doc:"Only actions of this kind of actor"`
	Action     string `query:"action" maxLength:"64" doc:"One action (auth.sign_in), or a family of them ending in a dot (auth.)"`
	Group      string `query:"group" maxLength:"32" doc:"Only actions on this group or on what belongs to it"`
	ObjectType string `query:"objectType" maxLength:"32"`
	ObjectID   string `query:"objectId" maxLength:"64"`
	From       string `query:"from" doc:"From this moment (RFC 3339), included"`
	To         string `query:"to" doc:"Until this moment (RFC 3339), excluded"`
}

// filter checks the input and turns it into the store's filter, refusing what would
// silently match nothing: an unknown action, a malformed or reversed range.
func (in Filter) filter() (store.ActivityFilter, error) {
	f := store.ActivityFilter{ActorID: in.Person, ActorKind: in.Kind, Action: in.Action, GroupID: in.Group,
		ObjectType: in.ObjectType, ObjectID: in.ObjectID}
	var fields apperr.Fields
	if in.Action != "" && !knownAction(in.Action) {
		fields.Add("query.action", "unknown_action", nil)
	}
	parse := func(s, location string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fields.Add(location, "date_time", nil)
		}
		return t
	}
	f.From, f.To = parse(in.From, "query.from"), parse(in.To, "query.to")
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		fields.Add("query.to", "range_reversed", nil)
	}
	return f, fields.Err()
}

func knownAction(a string) bool {
	if family, ok := strings.CutSuffix(a, "."); ok {
		return slices.ContainsFunc(audit.Actions, func(x string) bool { return strings.HasPrefix(x, family+".") })
	}
	return slices.Contains(audit.Actions, a)
}

type listInput struct {
	Filter
	Page    int `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage int `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// ActivityPage is one page of the log.
type ActivityPage struct {
	Items   []ActivityEntry `json:"items"`
	Total   int             `json:"total"`
	Page    int             `json:"page"`
	PerPage int             `json:"perPage"`
	Actions []string        `json:"actions" doc:"Every action the log can hold, for a filter"`
}

type listOutput struct{ Body ActivityPage }

// Routes registers Admin → Activity's operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "listActivity", Method: http.MethodGet, Path: "/admin/activity",
		Summary:     "The activity log, newest first, filtered",
		Description: "Every action of an external user, every administrative action, and security events for everyone.",
		Tags:        tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "exportActivity", Method: http.MethodGet, Path: "/admin/activity/export",
		Summary:     "The filtered activity log as CSV",
		Description: "Streamed, newest first, with the same filters as the list. Cells that a spreadsheet would read as a formula are quoted with a leading apostrophe.",
		Tags:        tags,
		Responses: map[string]*huma.Response{"200": {Description: "CSV (RFC 4180), UTF-8",
			Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}},
	}, s.export)
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	f.Offset, f.Limit = (in.Page-1)*in.PerPage, in.PerPage
	rows, total, err := s.st.Activities(ctx, auth.ActorFrom(ctx), f)
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: ActivityPage{Items: make([]ActivityEntry, 0, len(rows)), Total: total, Page: in.Page, PerPage: in.PerPage,
		Actions: audit.Actions}}
	for _, r := range rows {
		out.Body.Items = append(out.Body.Items, entryOf(r))
	}
	return out, nil
}

func (s *Service) export(ctx context.Context, in *Filter) (*huma.StreamResponse, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(ctx)
	// The export itself is an administrative action worth a row (before it streams: the
	// rows it writes are read from a snapshot that includes this one).
	if err := s.st.Tx(ctx, func(tx *store.Tx) error {
		return audit.Log(ctx, tx, actor, audit.ActivityExport, store.Object{}, exportDetails(in))
	}); err != nil {
		return nil, err
	}
	loc := i18n.From(ctx)
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "text/csv; charset=utf-8")
		hc.SetHeader("Content-Disposition", `attachment; filename="activity-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
		hc.SetStatus(http.StatusOK)
		w := csv.NewWriter(hc.BodyWriter())
		_ = w.Write(header(loc))
		// Headers are sent: a failure now can only cut the file short, which the client
		// sees as a row count below what the list said.
		_ = s.st.EachActivity(ctx, actor, f, func(a store.Activity) error {
			if err := w.Write(record(a)); err != nil {
				return err
			}
			w.Flush()
			return w.Error()
		})
		w.Flush()
	}}, nil
}

func exportDetails(in *Filter) map[string]string {
	d := map[string]string{}
	for k, v := range map[string]string{"person": in.Person, "kind": in.Kind, "action": in.Action, "group": in.Group,
		"objectType": in.ObjectType, "objectId": in.ObjectID, "from": in.From, "to": in.To} {
		if v != "" {
			d[k] = v
		}
	}
	return d
}

var columns = []string{"time", "actor", "actorKind", "actorId", "action", "objectType", "object", "objectId", "groupId", "address", "details"}

func header(loc string) []string {
	h := make([]string, len(columns))
	for i, c := range columns {
		h[i] = i18n.T(loc, "activity.csv."+c, nil)
	}
	return h
}

func record(a store.Activity) []string {
	keys := make([]string, 0, len(a.Details))
	for k := range a.Details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var det strings.Builder
	for i, k := range keys {
		if i > 0 {
			det.WriteString("; ")
		}
		fmt.Fprintf(&det, "%s=%s", k, a.Details[k])
	}
	r := []string{a.At.UTC().Format(time.RFC3339Nano), a.ActorName, a.ActorKind, a.ActorID, a.Action, a.Object.Type,
		a.Object.Label, a.Object.ID, a.Object.GroupID, a.Address, det.String()}
	for i := range r {
		r[i] = Cell(r[i])
	}
	return r
}

// Cell defuses a value that a spreadsheet would run as a formula (OWASP's advice for CSV
// injection): a leading = + - @, tab or carriage return gets an apostrophe before it.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// RetentionJob removes the rows the configuration no longer keeps, once a day.
func RetentionJob(st *store.Store, c config.Activity) jobs.Job {
	day := 24 * time.Hour
	return jobs.Job{Name: "activity_retention", Schedule: "@daily", RunAtStart: true, Run: func(ctx context.Context) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.DeleteOldActivity(ctx, time.Duration(c.RetentionDays)*day, time.Duration(c.ExternalRetentionDays)*day)
			return err
		})
	}}
}
