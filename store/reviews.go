package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Answers to an access review.
const (
	ReviewKeep   = "keep"   // she still needs access, until the next review
	ReviewEnd    = "end"    // her access ends now
	ReviewLapsed = "lapsed" // nobody answered in time, and the company ends access then
)

// Review is one access review (docs/access-review.md): whether an external user still
// needs access, asked of the person responsible for her.
type Review struct {
	ID         string
	User       User  // the external user
	Reviewer   *User // who is asked; nil when the reader may not see them
	ReviewerID string
	CreatedAt  time.Time
	DueAt      time.Time
	Answer     string // "" while open
	AnsweredAt *time.Time
	AnsweredBy string
}

// ReviewFilter narrows a list of reviews: State is "open" (not yet past due), "overdue"
// (open and past due), "pending" (either), "answered", or "" for all.
type ReviewFilter struct {
	State  string
	Offset int
	Limit  int
}

// responsible is the condition under which the person whose id is the SQL expression
// person answers for the external user aliased u: an active employee who invited her (an
// invitation she accepted) or owns a group she is an active member of, and who still
// shares an active group with her.
func responsible(person string) string {
	return `EXISTS (SELECT 1 FROM users rp WHERE rp.id = ` + person + ` AND rp.active = 1 AND rp.kind = 'employee'
	AND (EXISTS (SELECT 1 FROM invitations iv WHERE iv.accepted_by = u.id AND iv.inviter_id = rp.id)
		OR EXISTS (SELECT 1 FROM memberships mo JOIN memberships mh ON mh.group_id = mo.group_id
			WHERE mo.user_id = rp.id AND mo.role = 'owner' AND mo.state = 'active' AND mh.user_id = u.id AND mh.state = 'active'))
	AND EXISTS (SELECT 1 FROM memberships ma JOIN memberships mb ON mb.group_id = ma.group_id
		WHERE ma.user_id = rp.id AND ma.state = 'active' AND mb.user_id = u.id AND mb.state = 'active'))`
}

// reviewSelect is the SELECT … FROM … WHERE of the reviews a reads: administrators all,
// anyone else those asked of them about a person they may still see; the reviewer is
// named only where a may see them.
func reviewSelect(a Actor) (string, []any) {
	ucond, uargs := a.visibleUserCond("u")
	rcond, rargs := a.visibleUserCond("rv")
	mine, margs := "1", []any(nil)
	if !a.administers() {
		mine, margs = "r.reviewer_id = ?", []any{a.UserID}
	}
	q := `SELECT ` + userCols + `, r.id, r.reviewer_id, r.created_at, r.due_at, coalesce(r.answer, ''), r.answered_at,
		coalesce(r.answered_by, ''), rv.id, rv.name, rv.email, rv.kind, rv.active, rv.photo_id
		FROM access_reviews r JOIN users u ON u.id = r.user_id LEFT JOIN users rv ON rv.id = r.reviewer_id AND ` + rcond + `
		WHERE ` + mine + ` AND ` + ucond
	return q, append(append(rargs, margs...), uargs...)
}

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var v Review
	var created, due int64
	var answered sql.NullInt64
	var reviewer personRef
	u, err := scanUser(row, append([]any{&v.ID, &v.ReviewerID, &created, &due, &v.Answer, &answered, &v.AnsweredBy},
		reviewer.dest()...)...)
	if err != nil {
		return v, err
	}
	v.User, v.Reviewer = u, reviewer.user()
	v.CreatedAt, v.DueAt, v.AnsweredAt = time.Unix(created, 0), time.Unix(due, 0), nullTime(answered)
	return v, nil
}

// Reviews returns one page of the reviews a may read, newest first, and how many match.
func (s *Store) Reviews(ctx context.Context, a Actor, f ReviewFilter) ([]Review, int, error) {
	q, args := reviewSelect(a)
	now := unix(s.now())
	switch f.State {
	case "open":
		q, args = q+" AND r.answer IS NULL AND r.due_at > ?", append(args, now)
	case "overdue":
		q, args = q+" AND r.answer IS NULL AND r.due_at <= ?", append(args, now)
	case "pending":
		q += " AND r.answer IS NULL"
	case "answered":
		q += " AND r.answer IS NOT NULL"
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: reviews: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		v, err := scanReview(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// ReviewTx returns a review a may read, in the transaction, with whether a may answer it
// now: its reviewer while still responsible for the person, or an administrator.
func (t *Tx) ReviewTx(ctx context.Context, a Actor, id string) (Review, bool, error) {
	q, args := reviewSelect(a)
	v, err := scanReview(t.tx.QueryRowContext(ctx, q+` AND r.id = ?`, append(args, id)...))
	if err != nil {
		return v, false, err
	}
	if a.Admin {
		return v, true, nil
	}
	var may bool
	err = t.tx.QueryRowContext(ctx, `SELECT `+responsible("?1")+` FROM users u WHERE u.id = ?2`, a.UserID, v.User.ID).Scan(&may)
	return v, may && v.ReviewerID == a.UserID, err
}

// AnswerReview records an open review's answer; ErrConflict when it was answered already.
func (t *Tx) AnswerReview(ctx context.Context, id, answer, by string) error {
	res, err := t.exec(ctx, `UPDATE access_reviews SET answer = ?, answered_at = ?, answered_by = nullif(?, '')
		WHERE id = ? AND answer IS NULL`, answer, unix(t.now), by, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrConflict
	}
	return nil
}

// ReviewAsk is an external user due for review and the person to ask.
type ReviewAsk struct {
	User       User
	ReviewerID string
}

// ReviewsToAsk returns, for every active external user whose last review (or, with
// none, her account) is older than every, and who has no open review, the person to ask:
// her earliest inviter still responsible for her, else an owner of one of her groups. A
// user with nobody responsible is left out (administrators see her in the access report).
func (t *Tx) ReviewsToAsk(ctx context.Context, every time.Duration) ([]ReviewAsk, error) {
	since := unix(t.now.Add(-every))
	us, err := t.users(ctx, `WHERE u.kind = 'external' AND u.active = 1 AND u.created_at <= ?1
		AND NOT EXISTS (SELECT 1 FROM access_reviews r WHERE r.user_id = u.id AND (r.answer IS NULL OR r.created_at > ?1))
		ORDER BY u.id`, since)
	if err != nil {
		return nil, err
	}
	var out []ReviewAsk
	for _, u := range us {
		var reviewer string
		err := t.tx.QueryRowContext(ctx, `SELECT c.id FROM (
			SELECT iv.inviter_id AS id, 0 AS rank, min(iv.closed_at) AS at FROM invitations iv WHERE iv.accepted_by = ?1
				GROUP BY iv.inviter_id
			UNION ALL SELECT mo.user_id, 1, 0 FROM memberships mo JOIN memberships mh ON mh.group_id = mo.group_id
				WHERE mo.role = 'owner' AND mo.state = 'active' AND mh.user_id = ?1 AND mh.state = 'active') c
			JOIN users u ON u.id = ?1
			WHERE `+responsible("c.id")+`
			ORDER BY c.rank, c.at, c.id LIMIT 1`, u.ID).Scan(&reviewer)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: reviewer: %w", err)
		}
		out = append(out, ReviewAsk{User: u, ReviewerID: reviewer})
	}
	return out, nil
}

// CreateReview asks reviewerID about userID, due after grace.
func (t *Tx) CreateReview(ctx context.Context, userID, reviewerID string, grace time.Duration) (string, error) {
	id := NewID()
	_, err := t.exec(ctx, `INSERT INTO access_reviews (id, user_id, reviewer_id, created_at, due_at) VALUES (?, ?, ?, ?, ?)`,
		id, userID, reviewerID, unix(t.now), unix(t.now.Add(grace)))
	if err != nil {
		return "", fmt.Errorf("store: create review: %w", err)
	}
	return id, nil
}

// OverdueReviews returns the open reviews past due, oldest first.
func (t *Tx) OverdueReviews(ctx context.Context) ([]Review, error) {
	q, args := reviewSelect(System())
	rows, err := t.tx.QueryContext(ctx, q+` AND r.answer IS NULL AND r.due_at <= ? ORDER BY r.due_at, r.id`,
		append(args, unix(t.now))...)
	if err != nil {
		return nil, fmt.Errorf("store: overdue reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		v, err := scanReview(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
