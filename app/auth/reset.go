package auth

import (
	"context"
	"time"

	"annex/store"
)

// ResetPassword gives u a new password, inside tx, and makes it the only way in: every
// session of u ends, their failed sign-ins are forgotten (a locked-out person is the
// usual reason for a reset) and reset links still in their mailbox stop working. A
// temporary password (set by an administrator or the command line) must be changed at
// the next sign-in and expires after TemporaryPasswordLife; a password the person chose
// (a reset by e-mail) is an ordinary one. The command line, Admin → Users and the
// reset by e-mail all come through here.
func ResetPassword(ctx context.Context, tx *store.Tx, u store.User, hash string, temporary bool) error {
	var expires *time.Time
	if temporary {
		t := tx.Now().Add(TemporaryPasswordLife)
		expires = &t
	}
	if err := tx.SetPassword(ctx, u.ID, hash, temporary, expires); err != nil {
		return err
	}
	if err := tx.DeleteUserSessions(ctx, u.ID, nil); err != nil {
		return err
	}
	if err := tx.UsePasswordResets(ctx, u.ID); err != nil {
		return err
	}
	return tx.ClearThrottlePrefix(ctx, AccountThrottlePrefix(u.Email))
}
