package account

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

type adminUserInput struct {
	ID string `path:"id" maxLength:"32"`
}

type adminResetOutput struct {
	Body struct {
		TemporaryPassword string `json:"temporaryPassword" doc:"Shown once: to be changed at the next sign-in, valid 3 days"`
	}
}

func (s *Service) adminRoutes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "resetUserPassword", Method: http.MethodPost, Path: "/admin/users/{id}/reset-password",
		Summary: "Give a person a temporary password, as `annex reset-password` does",
		Description: "The person must change it at the next sign-in; it expires after 3 days. Every session of the " +
			"person ends and their failed sign-ins are forgotten. Not for one's own account (change it instead).",
		Tags: tags, Security: auth.SessionOnly}, s.adminResetPassword)
	huma.Register(api, huma.Operation{OperationID: "endUserSessions", Method: http.MethodPost, Path: "/admin/users/{id}/end-sessions",
		Summary:     "Sign a person out everywhere",
		Description: "Not for one's own account: My account → Security signs out one's other sessions.",
		Tags:        tags, DefaultStatus: http.StatusNoContent}, s.adminEndSessions)
}

// onOther runs change on a person other than the administrator, in one transaction: an
// id the administrator cannot find is not found, their own is refused with self.
func (s *Service) onOther(ctx context.Context, id, self string, change func(tx *store.Tx, u store.User) error) error {
	if err := auth.RequireAdmin(ctx); err != nil {
		return err
	}
	a := auth.ActorFrom(ctx)
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserTx(ctx, a, id)
		if err != nil {
			return err
		}
		if u.ID == a.UserID {
			return apperr.New(http.StatusConflict, self, nil)
		}
		return change(tx, u)
	})
}

func (s *Service) adminResetPassword(ctx context.Context, in *adminUserInput) (*adminResetOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	pw := auth.TemporaryPassword()
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	err = s.onOther(ctx, in.ID, "cannot_reset_own_password", func(tx *store.Tx, u store.User) error {
		if err := auth.ResetPassword(ctx, tx, u, hash, true); err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.PasswordResetByAdmin, audit.User(u.ID, u.Email), nil)
	})
	if err != nil {
		return nil, err
	}
	out := &adminResetOutput{}
	out.Body.TemporaryPassword = pw
	return out, nil
}

func (s *Service) adminEndSessions(ctx context.Context, in *adminUserInput) (*struct{}, error) {
	return nil, s.onOther(ctx, in.ID, "cannot_end_own_sessions", func(tx *store.Tx, u store.User) error {
		if err := tx.DeleteUserSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.SessionsEndedByAdmin, audit.User(u.ID, u.Email), nil)
	})
}
