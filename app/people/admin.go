package people

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/licence"
	"annex/store"
)

// Admin is the users admin page's API: add an employee, deactivate and reactivate,
// the admin flag, and moving an external user into the intranet.
type Admin struct {
	st      *store.Store
	hasher  *auth.Hasher
	licence func() licence.Licence
}

// NewAdmin returns the users admin service; lic gives the licence in force.
func NewAdmin(st *store.Store, h *auth.Hasher, lic func() licence.Licence) *Admin {
	return &Admin{st: st, hasher: h, licence: lic}
}

type addEmployeeInput struct {
	Body struct {
		Name     string `json:"name" maxLength:"200"`
		Email    string `json:"email" maxLength:"254"`
		Position string `json:"position,omitempty" maxLength:"200"`
		Admin    bool   `json:"admin,omitempty"`
	}
}

type addEmployeeOutput struct {
	Body struct {
		Person            Person `json:"person"`
		TemporaryPassword string `json:"temporaryPassword" doc:"Shown once: to be changed at first sign-in, valid 3 days"`
	}
}

type userIDInput struct {
	ID string `path:"id" maxLength:"32"`
}

type setAdminInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Admin bool `json:"admin"`
	}
}

// Routes registers the operations.
func (s *Admin) Routes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "addEmployee", Method: http.MethodPost, Path: "/admin/users",
		Summary: "Add an employee with a temporary password", Tags: tags, DefaultStatus: http.StatusCreated}, s.add)
	huma.Register(api, huma.Operation{OperationID: "deactivateUser", Method: http.MethodPost, Path: "/admin/users/{id}/deactivate",
		Summary: "Deactivate an account; its sessions end at once", Tags: tags}, s.deactivate)
	huma.Register(api, huma.Operation{OperationID: "reactivateUser", Method: http.MethodPost, Path: "/admin/users/{id}/reactivate",
		Summary: "Reactivate an account", Tags: tags}, s.reactivate)
	huma.Register(api, huma.Operation{OperationID: "setUserAdmin", Method: http.MethodPut, Path: "/admin/users/{id}/admin",
		Summary: "Grant or remove the admin flag", Description: "Needs the password entered within the last 10 minutes.",
		Tags: tags, Security: auth.SessionOnly}, s.setAdmin)
	huma.Register(api, huma.Operation{OperationID: "moveToIntranet", Method: http.MethodPost, Path: "/admin/users/{id}/move-to-intranet",
		Summary:     "Make an external user an employee: same account, same content",
		Description: "Needs the password entered within the last 10 minutes.", Tags: tags, Security: auth.SessionOnly}, s.moveToIntranet)
}

func (s *Admin) add(ctx context.Context, in *addEmployeeInput) (*addEmployeeOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if in.Body.Admin { // granting the admin flag is a sensitive action, whichever way
		if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
			return nil, err
		}
	}
	var fields apperr.Fields
	u := store.User{
		Name:     auth.CleanName(in.Body.Name, "body.name", &fields),
		Email:    auth.CleanEmail(in.Body.Email, "body.email", &fields),
		Position: auth.CleanText(in.Body.Position, "body.position", auth.MaxProfileText, &fields),
		Kind:     store.KindEmployee, Admin: in.Body.Admin, Active: true, MustChangePassword: true, Locale: "en",
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	pw := auth.TemporaryPassword()
	hash, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		exp := tx.Now().Add(auth.TemporaryPasswordLife)
		u.PasswordExpiresAt = &exp
		if err := licence.Claim(ctx, tx, s.licence(), u.Email, true); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &u); err == store.ErrConflict {
			return apperr.Invalid(apperr.FieldErr("body.email", "email_taken", nil))
		} else if err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.UserAdded, audit.User(u.ID, u.Email),
			map[string]string{"kind": u.Kind, "admin": strconv.FormatBool(u.Admin)})
	})
	if err != nil {
		return nil, err
	}
	out := &addEmployeeOutput{}
	out.Body.Person, out.Body.TemporaryPassword = PersonOf(u), pw
	return out, nil
}

// changeUser runs change on a user the administrator can see (all of them), in one
// transaction, and answers with the person.
func (s *Admin) changeUser(ctx context.Context, id string, sensitive bool,
	change func(tx *store.Tx, u *store.User) error) (*personOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if sensitive {
		if err := auth.RequireRecentAuth(ctx, s.st.Now()); err != nil {
			return nil, err
		}
	}
	var u store.User
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserTx(ctx, auth.ActorFrom(ctx), id); err != nil {
			return err
		}
		return change(tx, &u)
	})
	if err != nil {
		return nil, err
	}
	return &personOutput{Body: PersonOf(u)}, nil
}

// lastAdmin refuses a change that would leave no active administrator.
func lastAdmin(ctx context.Context, tx *store.Tx, u store.User) error {
	if !u.Admin || !u.Active {
		return nil
	}
	n, err := tx.CountActiveAdmins(ctx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return apperr.New(http.StatusConflict, "last_admin", nil)
	}
	return nil
}

func (s *Admin) deactivate(ctx context.Context, in *userIDInput) (*personOutput, error) {
	return s.changeUser(ctx, in.ID, false, func(tx *store.Tx, u *store.User) error {
		if u.ID == auth.ActorFrom(ctx).UserID {
			return apperr.New(http.StatusConflict, "cannot_deactivate_self", nil)
		}
		if err := lastAdmin(ctx, tx, *u); err != nil {
			return err
		}
		u.Active = false
		if err := tx.SetActive(ctx, u.ID, false); err != nil {
			return err
		}
		return logUser(ctx, tx, audit.UserDeactivated, *u, nil)
	})
}

func (s *Admin) reactivate(ctx context.Context, in *userIDInput) (*personOutput, error) {
	return s.changeUser(ctx, in.ID, false, func(tx *store.Tx, u *store.User) error {
		if u.Active {
			return nil
		}
		if err := licence.Claim(ctx, tx, s.licence(), u.Email, true); err != nil {
			return err
		}
		u.Active = true
		if err := tx.SetActive(ctx, u.ID, true); err != nil {
			return err
		}
		// An access date that has passed would end the account again at once: reactivating
		// removes it, and the administrator sets a new one if she wants.
		var details map[string]string
		if u.AccessEnded(tx.Now()) {
			if err := tx.SetAccessExpiry(ctx, u.ID, nil); err != nil {
				return err
			}
			details = map[string]string{"accessExpiresAt": "removed", "was": dateOrNone(u.AccessExpiresAt)}
			u.AccessExpiresAt = nil
		}
		return logUser(ctx, tx, audit.UserReactivated, *u, details)
	})
}

func (s *Admin) setAdmin(ctx context.Context, in *setAdminInput) (*personOutput, error) {
	return s.changeUser(ctx, in.ID, true, func(tx *store.Tx, u *store.User) error {
		if in.Body.Admin == u.Admin {
			return nil
		}
		if in.Body.Admin && u.Kind != store.KindEmployee {
			return apperr.New(http.StatusConflict, "external_cannot_be_admin", nil)
		}
		if !in.Body.Admin {
			if err := lastAdmin(ctx, tx, *u); err != nil {
				return err
			}
		}
		u.Admin = in.Body.Admin
		if err := tx.SetAdmin(ctx, u.ID, in.Body.Admin); err != nil {
			return err
		}
		// A change of privilege ends the person's sessions: they sign in anew.
		if err := tx.DeleteUserSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		return logUser(ctx, tx, audit.UserChanged, *u, map[string]string{"fields": "admin", "admin": strconv.FormatBool(u.Admin)})
	})
}

func (s *Admin) moveToIntranet(ctx context.Context, in *userIDInput) (*personOutput, error) {
	return s.changeUser(ctx, in.ID, true, func(tx *store.Tx, u *store.User) error {
		if u.Kind != store.KindExternal {
			return apperr.New(http.StatusConflict, "already_employee", nil)
		}
		u.Kind = store.KindEmployee
		if err := tx.MakeEmployee(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		return logUser(ctx, tx, audit.UserChanged, *u, map[string]string{"fields": "kind", "kind": store.KindEmployee,
			"was": store.KindExternal})
	})
}

// logUser records the administrator's action on u, in the change's transaction. A
// request that changes nothing (reactivating an active account) returns before it and
// writes no row.
func logUser(ctx context.Context, tx *store.Tx, action string, u store.User, details map[string]string) error {
	return audit.Log(ctx, tx, auth.ActorFrom(ctx), action, audit.User(u.ID, u.Email), details)
}
