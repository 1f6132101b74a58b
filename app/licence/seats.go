package licence

import (
	"context"
	"errors"
	"net/http"
	"time"

	"annex/app/apperr"
	"annex/store"
)

// Current is the licence the stored text carries. Text that no longer verifies (it was
// checked when uploaded, so it was changed behind Annex's back) counts as no licence.
func Current(text string) Licence {
	l, err := Parse(text)
	if err != nil {
		return Free()
	}
	return l
}

// Claim is the one check every path that adds a person makes (the wizard's first
// administrator, an employee added by an administrator, an invitation, a reactivation),
// inside the transaction that adds them, which holds the database's write lock: a burst
// of concurrent claims can never exceed the licence. An address that already holds a
// seat needs no new one. Refusals give administrators the numbers and everyone else
// only what to do.
func Claim(ctx context.Context, tx *store.Tx, l Licence, email string, admin bool) error {
	seats, holds, err := tx.SeatsInUse(ctx, email)
	if err != nil || holds {
		return err
	}
	now := tx.Now()
	switch {
	case l.Expired(now) && admin:
		return apperr.New(http.StatusConflict, "licence_expired", map[string]any{"date": l.Expires.Format(time.DateOnly)})
	case l.Expired(now):
		return apperr.New(http.StatusConflict, "seats_ask_admin", nil)
	case seats.Used() < l.Seats:
		return nil
	case admin:
		return apperr.New(http.StatusConflict, "seats_full", map[string]any{"seats": l.Seats, "active": seats.Active,
			"invited": seats.Invited})
	}
	return apperr.New(http.StatusConflict, "seats_ask_admin", nil)
}

// ClaimBlind is Claim for an inviter who is not an administrator. With no seat free it
// refuses every address alike, even one that already holds a seat, so the answer never
// tells whether an address has an account (PRODUCT.md §4).
func ClaimBlind(ctx context.Context, tx *store.Tx, l Licence, email string) error {
	seats, _, err := tx.SeatsInUse(ctx, email)
	if err != nil {
		return err
	}
	if l.Expired(tx.Now()) || seats.Used() >= l.Seats {
		return apperr.New(http.StatusConflict, "seats_ask_admin", nil)
	}
	return Claim(ctx, tx, l, email, false)
}

// CheckUpload verifies an uploaded licence file ("" for the free edition) and returns a
// field error a person can act on: a broken file, another vendor's signature, or a
// licence that has already expired.
func CheckUpload(text string, now time.Time) error {
	l, err := Parse(text)
	switch {
	case errors.Is(err, ErrSignature):
		return apperr.Invalid(apperr.FieldErr("body.text", "licence_signature", nil))
	case errors.Is(err, ErrContent):
		return apperr.Invalid(apperr.FieldErr("body.text", "licence_content", nil))
	case errors.Is(err, ErrDates):
		return apperr.Invalid(apperr.FieldErr("body.text", "licence_dates", nil))
	case err != nil:
		return apperr.Invalid(apperr.FieldErr("body.text", "licence_malformed", nil))
	case l.Expired(now):
		return apperr.Invalid(apperr.FieldErr("body.text", "licence_expired_file",
			map[string]any{"date": l.Expires.Format(time.DateOnly)}))
	}
	return nil
}
