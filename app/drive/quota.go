package drive

import (
	"context"
	"net/http"

	"annex/app/apperr"
	"annex/store"
)

// quota is how many bytes drive d may hold (settings, docs/drive.md "Quotas"); 0: no bound.
func (s *Service) quota(d store.Drive) int64 {
	q := s.pub.Settings().Quota
	mb := q.GroupMB
	if d.OwnerID != "" {
		mb = q.PersonMB
	}
	return int64(mb) << 20
}

func quotaExceeded(quota, used int64) error {
	return apperr.New(http.StatusRequestEntityTooLarge, "drive_quota_exceeded",
		map[string]any{"quotaMB": quota >> 20, "usedMB": (used + 1<<20 - 1) >> 20})
}

// room checks, before an upload is read, that add more bytes fit in drive d.
func (s *Service) room(ctx context.Context, a store.Actor, d store.Drive, add int64) error {
	q := s.quota(d)
	if q == 0 {
		return nil
	}
	used, err := s.st.DriveUsage(ctx, a, d)
	if err == nil && used+add > q {
		err = quotaExceeded(q, used)
	}
	return err
}

// withinQuota checks, at the end of a write that added to drive d, that it still fits:
// otherwise the write is undone.
func (s *Service) withinQuota(ctx context.Context, tx *store.Tx, a store.Actor, d store.Drive) error {
	q := s.quota(d)
	if q == 0 {
		return nil
	}
	used, err := tx.DriveUsage(ctx, a, d)
	if err == nil && used > q {
		err = quotaExceeded(q, used)
	}
	return err
}
