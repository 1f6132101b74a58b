package backup

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// BackupsPage is one page of the backups in the folder, newest first, with the running or
// last backup and where they go.
type BackupsPage struct {
	Items    []BackupFile  `json:"items"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	PerPage  int           `json:"perPage"`
	Status   BackupStatus  `json:"status" doc:"the running or last backup of this server since it started"`
	Summary  BackupSummary `json:"summary"`
	Dir      string        `json:"dir" doc:"the folder backups are written to, on the server"`
	Keep     int           `json:"keep" doc:"how many backups are kept; 0 keeps all"`
	Schedule string        `json:"schedule" doc:"when the scheduled backup runs (cron), or off"`
}

type listInput struct {
	Page    int `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage int `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

type pageOutput struct{ Body BackupsPage }

type statusOutput struct{ Body BackupStatus }

type nameInput struct {
	Name string `path:"name" maxLength:"80" doc:"The backup's file name, as listed"`
}

type infoOutput struct{ Body BackupFile }

// Routes registers Admin → Backups. schedule is shown to the administrator.
func (r *Runner) Routes(api huma.API, schedule string) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "listBackups", Method: http.MethodGet, Path: "/admin/backups",
		Summary: "The backups in the backup folder, newest first, and the running or last backup", Tags: tags},
		func(ctx context.Context, in *listInput) (*pageOutput, error) {
			if err := auth.RequireAdmin(ctx); err != nil {
				return nil, err
			}
			all, err := List(r.opt.Dir)
			if err != nil {
				return nil, err
			}
			sum, err := r.Last(ctx)
			if err != nil {
				return nil, err
			}
			from := min((in.Page-1)*in.PerPage, len(all))
			to := min(from+in.PerPage, len(all))
			items := all[from:to]
			if items == nil {
				items = []BackupFile{}
			}
			return &pageOutput{Body: BackupsPage{Items: items, Total: len(all), Page: in.Page, PerPage: in.PerPage,
				Status: r.Status(), Summary: sum, Dir: r.opt.Dir, Keep: r.opt.Keep, Schedule: schedule}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "startBackup", Method: http.MethodPost, Path: "/admin/backups",
		Summary:     "Back up now",
		Description: "Starts a backup in the background, unless one is running, and answers with its status; follow it with getBackupStatus.",
		Tags:        tags, DefaultStatus: http.StatusAccepted},
		func(ctx context.Context, _ *struct{}) (*statusOutput, error) {
			if err := auth.RequireAdmin(ctx); err != nil {
				return nil, err
			}
			if err := r.st.Tx(ctx, func(tx *store.Tx) error {
				return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.BackupStarted, store.Object{}, nil)
			}); err != nil {
				return nil, err
			}
			return &statusOutput{Body: r.Start()}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "getBackupStatus", Method: http.MethodGet, Path: "/admin/backup-status",
		Summary: "The running or last backup, with its progress", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*statusOutput, error) {
			if err := auth.RequireAdmin(ctx); err != nil {
				return nil, err
			}
			return &statusOutput{Body: r.Status()}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "getBackup", Method: http.MethodGet, Path: "/admin/backups/{name}",
		Summary:     "One backup, before it is downloaded",
		Description: "Needs the password entered recently, as the download does: the client asks for it here, then downloads.",
		Tags:        tags, Security: auth.SessionOnly},
		func(ctx context.Context, in *nameInput) (*infoOutput, error) {
			info, _, err := r.find(ctx, in.Name)
			if err != nil {
				return nil, err
			}
			return &infoOutput{Body: info}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "downloadBackup", Method: http.MethodGet, Path: "/admin/backups/{name}/download",
		Summary:     "Download a backup",
		Description: "Needs the password entered recently. The file holds the secret key and everyone's data.",
		Tags:        tags, Security: auth.SessionOnly,
		Responses: map[string]*huma.Response{"200": {Description: "The backup (a tar file)",
			Content: map[string]*huma.MediaType{"application/x-tar": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, func(ctx context.Context, in *nameInput) (*huma.StreamResponse, error) {
		info, path, err := r.find(ctx, in.Name)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, apperr.NotFound()
		}
		if err := r.st.Tx(ctx, func(tx *store.Tx) error {
			return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.BackupFetched, store.Object{Type: "backup", ID: info.Name, Label: info.Name}, nil)
		}); err != nil {
			f.Close()
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hc huma.Context) {
			defer f.Close()
			hc.SetHeader("Content-Type", "application/x-tar")
			hc.SetHeader("Content-Disposition", `attachment; filename="`+info.Name+`"`)
			hc.SetHeader("Content-Length", strconv.FormatInt(info.Size, 10))
			hc.SetStatus(http.StatusOK)
			_, _ = io.Copy(hc.BodyWriter(), f)
		}}, nil
	})
}

// find checks the caller may fetch a backup and returns it; the admin check comes
// first, so a non-administrator learns nothing about names.
func (r *Runner) find(ctx context.Context, name string) (BackupFile, string, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return BackupFile{}, "", err
	}
	if err := auth.RequireRecentAuth(ctx, r.st.Now()); err != nil {
		return BackupFile{}, "", err
	}
	if !ValidName(name) {
		return BackupFile{}, "", apperr.NotFound()
	}
	path := filepath.Join(r.opt.Dir, name)
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.Mode().IsRegular()) {
		return BackupFile{}, "", apperr.NotFound()
	}
	if err != nil {
		return BackupFile{}, "", err
	}
	t, _ := parseName(name)
	return BackupFile{Name: name, Size: fi.Size(), Created: t}, path, nil
}
