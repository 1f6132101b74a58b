package jobs

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// JobView is one job as Admin → Jobs shows it.
type JobView struct {
	Name     string   `json:"name" doc:"The job's name, as in the configuration's [jobs.<name>]"`
	Schedule string   `json:"schedule" doc:"A cron spec or @every …, in UTC"`
	Enabled  bool     `json:"enabled" doc:"false when switched off in the configuration"`
	Running  bool     `json:"running"`
	NextRun  string   `json:"nextRun" doc:"RFC 3339; empty when disabled or not scheduled yet"`
	LastRun  *LastRun `json:"lastRun,omitempty" doc:"Left out when it has never run"`
}

// LastRun is the outcome of a job's latest run.
type LastRun struct {
	StartedAt   string `json:"startedAt"`
	FinishedAt  string `json:"finishedAt"`
	DurationMS  int64  `json:"durationMs"`
	Error       string `json:"error" doc:"Why it failed; empty when it succeeded"`
	SucceededAt string `json:"succeededAt" doc:"When it last succeeded; empty if never"`
}

type listOutput struct {
	Body struct {
		Items []JobView `json:"items"`
	}
}

type runInput struct {
	Name string `path:"name" maxLength:"64"`
}

type runOutput struct {
	Body struct {
		Name string `json:"name"`
	}
}

// Routes registers Admin → Jobs.
func (s *Scheduler) Routes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "listJobs", Method: http.MethodGet, Path: "/admin/jobs",
		Summary: "The scheduled jobs: schedule, last run, its result and duration, next run", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "runJob", Method: http.MethodPost, Path: "/admin/jobs/{name}/run",
		Summary:     "Run a job now, in the background",
		Description: "Refused for a job switched off in the configuration or already running. Its result shows in the list once it ends.",
		Tags:        tags, DefaultStatus: http.StatusAccepted}, s.runNow)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Scheduler) list(ctx context.Context, _ *struct{}) (*listOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	runs, err := s.st.JobRuns(ctx, auth.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	last := map[string]store.JobStatus{}
	for _, r := range runs {
		last[r.Name] = r
	}
	out := &listOutput{}
	out.Body.Items = []JobView{}
	for _, in := range s.List() {
		v := JobView{Name: in.Name, Schedule: in.Schedule, Enabled: in.Enabled, Running: in.Running, NextRun: stamp(in.Next)}
		if r, ok := last[in.Name]; ok {
			v.LastRun = &LastRun{StartedAt: stamp(r.Started), FinishedAt: stamp(r.Finished), DurationMS: r.Took.Milliseconds(),
				Error: r.Error}
			if r.Succeeded != nil {
				v.LastRun.SucceededAt = stamp(*r.Succeeded)
			}
		}
		out.Body.Items = append(out.Body.Items, v)
	}
	return out, nil
}

func (s *Scheduler) runNow(ctx context.Context, in *runInput) (*runOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	switch err := s.RunNow(in.Name); {
	case errors.Is(err, ErrUnknown):
		return nil, apperr.New(http.StatusNotFound, "job_unknown", nil)
	case errors.Is(err, ErrDisabled):
		return nil, apperr.New(http.StatusConflict, "job_disabled", nil)
	case errors.Is(err, ErrRunning):
		return nil, apperr.New(http.StatusConflict, "job_running", nil)
	case err != nil:
		return nil, err
	}
	// The row once the run has started, in a transaction of its own: the run may be long.
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.JobRunNow, store.Object{Type: "job", ID: in.Name, Label: in.Name}, nil)
	})
	out := &runOutput{}
	out.Body.Name = in.Name
	return out, err
}
