package people

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/jobs"
	"annex/app/mail"
	"annex/app/settings"
	"annex/store"
)

// Access review (PRODUCT.md §8, docs/access-review.md): every so often the person
// responsible for each external user (her inviter, else an owner of one of her groups) is
// asked whether she still needs access: keep it until the next review, or end it now.

// ReviewJob is the access review's scheduled job.
const ReviewJob = "access_review"

const day = 24 * time.Hour

// ReviewView is one review as its reader sees it.
type ReviewView struct {
	ID         string     `json:"id"`
	Person     Person     `json:"person" doc:"The external user in question"`
	Reviewer   *Ref       `json:"reviewer,omitempty" doc:"Who is asked; left out when you may not see them"`
	CreatedAt  time.Time  `json:"createdAt"`
	DueAt      time.Time  `json:"dueAt"`
	State      string     `json:"state" enum:"open,overdue,answered"`
	Answer     string     `json:"answer" enum:"keep,end,lapsed," doc:"Empty while open"`
	AnsweredAt *time.Time `json:"answeredAt,omitempty"`
	MayAnswer  bool       `json:"mayAnswer" doc:"Whether you may answer it now"`
}

type reviewsInput struct {
	State   string `query:"state" enum:"open,overdue,pending,answered," doc:"Open (not yet due), overdue (open past due), pending (either), answered; all when left out"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

type reviewsOutput struct {
	Body struct {
		Items   []ReviewView `json:"items"`
		Total   int          `json:"total"`
		Page    int          `json:"page"`
		PerPage int          `json:"perPage"`
	}
}

type answerInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body struct {
		Answer string `json:"answer" enum:"keep,end" doc:"keep: she still needs access, until the next review; end: her access ends now"`
	}
}

type reviewOutput struct{ Body ReviewView }

// Reviews serves the access review; policy gives the company's settings.
type Reviews struct {
	st  *store.Store
	set *settings.Service
}

// NewReviews returns the access review's service.
func NewReviews(st *store.Store, set *settings.Service) *Reviews { return &Reviews{st: st, set: set} }

// Routes registers its operations.
func (s *Reviews) Routes(api huma.API) {
	tags := []string{"People"}
	huma.Register(api, huma.Operation{OperationID: "listAccessReviews", Method: http.MethodGet, Path: "/access-reviews",
		Summary:     "Access reviews: those asked of you, or all of them for administrators",
		Description: "Whether each external user still needs access, asked every so often of the person responsible for her.",
		Tags:        tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "answerAccessReview", Method: http.MethodPost, Path: "/access-reviews/{id}/answer",
		Summary:     "Answer an access review: keep her access until the next review, or end it now",
		Description: "By the person asked, while still responsible for her, or an administrator; once.", Tags: tags}, s.answer)
}

func (s *Reviews) viewOf(v store.Review, may bool) ReviewView {
	out := ReviewView{ID: v.ID, Person: PersonOf(v.User), Reviewer: RefOf(v.Reviewer), CreatedAt: v.CreatedAt.UTC(),
		DueAt: v.DueAt.UTC(), Answer: v.Answer, AnsweredAt: v.AnsweredAt, State: "open", MayAnswer: may && v.Answer == ""}
	switch {
	case v.Answer != "":
		out.State = "answered"
	case !s.st.Now().Before(v.DueAt):
		out.State = "overdue"
	}
	return out
}

func (s *Reviews) list(ctx context.Context, in *reviewsInput) (*reviewsOutput, error) {
	a := auth.ActorFrom(ctx)
	vs, total, err := s.st.Reviews(ctx, a, store.ReviewFilter{State: in.State, Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage})
	if err != nil {
		return nil, err
	}
	out := &reviewsOutput{}
	out.Body.Items, out.Body.Total, out.Body.Page, out.Body.PerPage = make([]ReviewView, 0, len(vs)), total, in.Page, in.PerPage
	for _, v := range vs {
		// Whether she may answer is the reviewer's and the administrators' (answer checks
		// it again, whole): an administrator may always.
		out.Body.Items = append(out.Body.Items, s.viewOf(v, a.Admin || v.ReviewerID == a.UserID))
	}
	return out, nil
}

func (s *Reviews) answer(ctx context.Context, in *answerInput) (*reviewOutput, error) {
	a := auth.ActorFrom(ctx)
	var view ReviewView
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, may, err := tx.ReviewTx(ctx, a, in.ID)
		switch {
		case err != nil:
			return err
		case v.Answer != "":
			return apperr.New(http.StatusConflict, "review_answered", nil)
		case !may:
			return apperr.Forbidden("review_not_yours")
		}
		if err := tx.AnswerReview(ctx, v.ID, in.Body.Answer, a.UserID); errors.Is(err, store.ErrConflict) {
			return apperr.New(http.StatusConflict, "review_answered", nil)
		} else if err != nil {
			return err
		}
		if in.Body.Answer == store.ReviewEnd && v.User.Active {
			if err := tx.SetActive(ctx, v.User.ID, false); err != nil {
				return err
			}
			v.User.Active = false
		}
		now := tx.Now()
		v.Answer, v.AnsweredAt = in.Body.Answer, &now
		view = s.viewOf(v, false)
		return audit.Log(ctx, tx, a, audit.ReviewAnswered, audit.User(v.User.ID, v.User.Email),
			map[string]string{"answer": in.Body.Answer})
	})
	if err != nil {
		return nil, err
	}
	return &reviewOutput{Body: view}, nil
}

// Job is the access review's scheduled job: it asks the reviews that are due, and settles
// the ones nobody answered in time.
func (s *Reviews) Job() jobs.Job {
	return jobs.Job{Name: ReviewJob, Schedule: "@every 1h", RunAtStart: true, Run: s.Run}
}

// Run asks every review that is due and settles the overdue ones, in one transaction.
func (s *Reviews) Run(ctx context.Context) error {
	v := s.set.Get()
	p := v.Review
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		if p.Days > 0 {
			asks, err := tx.ReviewsToAsk(ctx, time.Duration(p.Days)*day)
			if err != nil {
				return err
			}
			for _, ask := range asks {
				if err := s.ask(ctx, tx, v, ask); err != nil {
					return err
				}
			}
		}
		if !p.Lapse {
			return nil // open past due: listed as overdue until someone answers
		}
		overdue, err := tx.OverdueReviews(ctx)
		if err != nil {
			return err
		}
		for _, r := range overdue {
			if err := tx.AnswerReview(ctx, r.ID, store.ReviewLapsed, ""); err != nil {
				return err
			}
			if r.User.Active {
				if err := tx.SetActive(ctx, r.User.ID, false); err != nil {
					return err
				}
			}
			if err := audit.Log(ctx, tx, store.System(), audit.ReviewLapsed, audit.User(r.User.ID, r.User.Email), nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// ask opens one review and mails its reviewer.
func (s *Reviews) ask(ctx context.Context, tx *store.Tx, v settings.Values, ask store.ReviewAsk) error {
	grace := time.Duration(v.Review.GraceDays) * day
	if _, err := tx.CreateReview(ctx, ask.User.ID, ask.ReviewerID, grace); err != nil {
		return err
	}
	r, err := tx.UserTx(ctx, store.System(), ask.ReviewerID)
	if err != nil {
		return err
	}
	kind := "access_review"
	if v.Review.Lapse {
		kind = "access_review_lapse"
	}
	subject, text, html := mail.Compose(mail.Letter{Kind: kind, Locale: r.Locale, Company: v.CompanyName,
		Params: map[string]any{"name": ask.User.Name, "email": ask.User.Email, "due": mail.Date(tx.Now().Add(grace), r.TimeZone)},
		Link:   strings.TrimRight(v.BaseURL, "/") + "/reviews"})
	if err := tx.EnqueueMail(ctx, &store.Mail{Kind: kind, To: r.MailTo, Subject: subject, Text: text, HTML: html}, v.MailDomain()); err != nil {
		return err
	}
	return audit.Log(ctx, tx, store.System(), audit.ReviewRequested, audit.User(ask.User.ID, ask.User.Email),
		map[string]string{"reviewer": r.Email})
}
