package store

import (
	"context"
	"fmt"
)

// Seats is what holds a seat (PRODUCT.md §5): active accounts, and pending invitations
// for addresses that have no active account, each address counted once.
type Seats struct {
	Active  int
	Invited int
}

// Used is the number of seats taken.
func (s Seats) Used() int { return s.Active + s.Invited }

// invitedSeats counts the addresses with a live invitation and no active account; ?1
// is the time of the request.
const invitedSeats = `SELECT count(DISTINCT i.email) FROM invitations i WHERE i.state = 'pending' AND i.expires_at > ?1
	AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = i.email AND u.active = 1)`

// SeatsInUse counts the seats taken, and whether email already holds one (an active
// account with that address), inside the transaction that is about to add a person:
// the write transaction is exclusive, so two claims can never both see the last seat.
func (t *Tx) SeatsInUse(ctx context.Context, email string) (s Seats, holds bool, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM users WHERE active = 1), (`+invitedSeats+`),
		EXISTS (SELECT 1 FROM users WHERE active = 1 AND email = ?2)
		OR EXISTS (SELECT 1 FROM invitations WHERE state = 'pending' AND expires_at > ?1 AND email = ?2)`,
		unix(t.now), NormalizeEmail(email)).Scan(&s.Active, &s.Invited, &holds)
	if err != nil {
		return s, false, fmt.Errorf("store: seats: %w", err)
	}
	return s, holds, nil
}

// SeatCount counts the seats taken, for the licence page.
func (s *Store) SeatCount(ctx context.Context, a Actor) (Seats, error) {
	var n Seats
	if !a.administers() {
		return n, ErrNotFound
	}
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM users WHERE active = 1), (`+invitedSeats+`)`,
		unix(s.now())).Scan(&n.Active, &n.Invited)
	if err != nil {
		return n, fmt.Errorf("store: seats: %w", err)
	}
	return n, nil
}
