// Package system is Admin → System: a list of checks on the installation, each with a
// level and a message code the UI turns into words saying what to do.
package system

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"annex/app/backup"
	"annex/app/tlsauto"
	"annex/store"
)

// Levels of a check.
const (
	OK      = "ok"
	Warning = "warning"
	Error   = "error"
)

// BackupMaxAge is how long without a successful backup before the page warns.
const BackupMaxAge = 48 * time.Hour

// Check is one row of Admin → System. Only the value fields its key uses are set.
type Check struct {
	Key        string     `json:"key" doc:"what is checked: version, uptime, data, database, outbox, jobs, backup, …"`
	Level      string     `json:"level" enum:"ok,warning,error"`
	Message    string     `json:"message" doc:"the code of the sentence the UI shows, in the catalogue under system.message"`
	Text       string     `json:"text,omitempty" doc:"a version, or the names of failed jobs"`
	Bytes      *int64     `json:"bytes,omitempty" doc:"a size in bytes"`
	FreeBytes  *int64     `json:"freeBytes,omitempty" doc:"free space on the data folder's file system, for whoever runs Annex"`
	TotalBytes *int64     `json:"totalBytes,omitempty" doc:"the size of the data folder's file system"`
	Count      *int       `json:"count,omitempty"`
	Time       *time.Time `json:"time,omitempty" doc:"when: the start, or the newest backup"`
	Seconds    *int64     `json:"seconds,omitempty" doc:"an age or a duration in seconds"`
}

// Probe computes one check. A failing probe fails the whole page (a 500 is logged): the
// page is there to tell the truth, and a row that cannot be computed is a bug.
type Probe func(ctx context.Context) (Check, error)

// Service computes the checks, in the order the probes were added.
type Service struct {
	mu     sync.Mutex // probes may be added while the server already serves
	probes []Probe
}

// Deps are what the built-in checks read.
type Deps struct {
	Store   *store.Store
	Backups *backup.Runner
	DataDir string
	Version string
	Started time.Time
}

// New returns the service with the built-in checks.
func New(d Deps) *Service {
	s := &Service{}
	s.Add(func(context.Context) (Check, error) {
		return Check{Key: "version", Level: OK, Message: "version", Text: d.Version}, nil
	})
	s.Add(func(context.Context) (Check, error) {
		up := int64(time.Since(d.Started).Seconds())
		start := d.Started.UTC()
		return Check{Key: "uptime", Level: OK, Message: "uptime", Seconds: &up, Time: &start}, nil
	})
	s.Add(func(context.Context) (Check, error) { return dataCheck(d.DataDir) })
	s.Add(func(ctx context.Context) (Check, error) { return storeChecks(ctx, d.Store, "database") })
	s.Add(func(ctx context.Context) (Check, error) { return storeChecks(ctx, d.Store, "outbox") })
	s.Add(func(ctx context.Context) (Check, error) { return storeChecks(ctx, d.Store, "jobs") })
	s.Add(func(ctx context.Context) (Check, error) {
		sum, err := d.Backups.Last(ctx)
		if err != nil {
			return Check{}, err
		}
		return backupCheck(sum, d.Store.Now()), nil
	})
	return s
}

// Add appends a check, shown after the others.
func (s *Service) Add(p Probe) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.probes = append(s.probes, p)
}

// Checks computes every check.
func (s *Service) Checks(ctx context.Context) ([]Check, error) {
	s.mu.Lock()
	probes := s.probes[:len(s.probes):len(s.probes)]
	s.mu.Unlock()
	out := make([]Check, 0, len(probes))
	for _, p := range probes {
		c, err := p(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Free space below these fractions of the file system warns, then errs: SQLite, the
// uploads and the backups all need room, and a full disk stops writes.
const (
	diskWarn  = 0.10
	diskError = 0.02
)

func dataCheck(dir string) (Check, error) {
	var size int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while walking, or unreadable: not this page's business
		}
		if e.Type().IsRegular() {
			if info, err := e.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return Check{}, err
	}
	c := Check{Key: "data", Level: OK, Message: "data", Bytes: &size}
	if free, total, ok := diskSpace(dir); ok {
		c.FreeBytes, c.TotalBytes = &free, &total
		switch frac := float64(free) / float64(max(total, 1)); {
		case frac < diskError:
			c.Level, c.Message = Error, "disk_full"
		case frac < diskWarn:
			c.Level, c.Message = Warning, "disk_low"
		}
	}
	return c, nil
}

func storeChecks(ctx context.Context, st *store.Store, key string) (Check, error) {
	h, err := st.Health(ctx, store.System())
	if err != nil {
		return Check{}, err
	}
	switch key {
	case "database":
		return Check{Key: key, Level: OK, Message: "database", Bytes: &h.SizeBytes}, nil
	case "outbox":
		c := Check{Key: key, Level: OK, Message: "outbox_ok", Count: &h.OutboxFailed}
		if h.OutboxFailed > 0 {
			c.Level, c.Message = Warning, "outbox_failed"
		}
		return c, nil
	default:
		var failed []string
		for _, j := range h.Jobs {
			if j.Error != "" {
				failed = append(failed, j.Name)
			}
		}
		n := len(failed)
		c := Check{Key: key, Level: OK, Message: "jobs_ok", Count: &n}
		if n > 0 {
			c.Level, c.Message, c.Text = Warning, "jobs_failed", strings.Join(failed, ", ")
		}
		return c, nil
	}
}

// backupCheck warns when there is no backup, when the newest is older than BackupMaxAge,
// or when the last backup failed; the failure is said first, as it is the likely cause.
func backupCheck(sum backup.BackupSummary, now time.Time) Check {
	c := Check{Key: "backup", Level: OK, Message: "backup_ok", Count: &sum.Count}
	if sum.Latest != nil {
		t := sum.Latest.Created.UTC()
		age := int64(max(now.Sub(t), 0).Seconds())
		c.Time, c.Seconds = &t, &age
	}
	switch {
	case sum.LastError != "":
		c.Level, c.Message = Warning, "backup_failed"
	case sum.Latest == nil:
		c.Level, c.Message = Warning, "backup_none"
	case now.Sub(sum.Latest.Created) > BackupMaxAge:
		c.Level, c.Message = Warning, "backup_old"
	}
	return c
}

// CertificateRenewBefore is how close to its expiry a certificate must be for the page to
// warn: the ACME client renews a month ahead, so by then renewing has been failing.
const CertificateRenewBefore = 14 * 24 * time.Hour

// CertificateProbe is the HTTPS certificate's row when Annex obtains it by ACME
// (docs/https.md): its expiry, and the certificate authority's last refusal in its words.
func CertificateProbe(status func() tlsauto.Status, now func() time.Time) Probe {
	return func(context.Context) (Check, error) {
		st := status()
		c := Check{Key: "certificate", Level: OK, Message: "certificate_ok", Text: st.Domain}
		if st.HasCert && !st.NotAfter.IsZero() {
			t := st.NotAfter.UTC()
			left := int64(max(t.Sub(now()), 0).Seconds())
			c.Time, c.Seconds = &t, &left
		}
		failing := st.LastError != "" && !st.LastErrorAt.Before(st.ObtainedAt)
		switch {
		case !st.HasCert && failing:
			c.Level, c.Message, c.Text = Error, "certificate_missing", st.LastError
		case !st.HasCert:
			c.Level, c.Message = Warning, "certificate_pending"
		case st.NotAfter.Sub(now()) < CertificateRenewBefore:
			c.Level, c.Message = Warning, "certificate_expiring"
		case failing:
			c.Level, c.Message, c.Text = Warning, "certificate_renewal_failed", st.LastError
		}
		return c, nil
	}
}
