// Package people is the directory and profiles: who can see whom is the fence's
// (store/fence.go); this package only shapes the answers.
package people

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// Service serves the directory.
type Service struct {
	st     *store.Store
	policy AccessPolicy
}

// New returns the directory service; policy gives the company's access days.
func New(st *store.Store, policy AccessPolicy) *Service { return &Service{st: st, policy: policy} }

// Person is someone as others see them. External users are marked by Kind, which the UI
// renders in amber with a globe.
type Person struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	Kind     string  `json:"kind" enum:"employee,external"`
	Position string  `json:"position"`
	Company  string  `json:"company"`
	Phone    string  `json:"phone"`
	TimeZone string  `json:"timeZone" doc:"IANA name such as Europe/Berlin; empty when not set"`
	Photo    string  `json:"photo" doc:"Address of the profile photo; empty when there is none"`
	Admin    bool    `json:"admin"`
	Active   bool    `json:"active" doc:"false for a deactivated account"`
	Access   *Access `json:"access,omitempty" doc:"Her access date: external users only, for administrators and the people who invited her"`
}

// PersonOf renders a user.
func PersonOf(u store.User) Person {
	return Person{ID: u.ID, Name: u.Name, Email: u.Email, Kind: u.Kind, Position: u.Position, Company: u.Company,
		Phone: u.Phone, TimeZone: u.TimeZone, Photo: auth.PhotoURL(u), Admin: u.Admin, Active: u.Active}
}

type listInput struct {
	Q       string `query:"q" maxLength:"200" doc:"Matches name, e-mail address or position, in any letter case"`
	Kind    string `query:"kind" enum:"employee,external," doc:"Only employees or only external users"`
	Active  string `query:"active" enum:"true,false," doc:"Only active or only deactivated people"`
	Expires int    `query:"expiresWithin" minimum:"0" maximum:"3650" doc:"Only active people whose access ends within this many days (those the caller may see the date of); 0: no filter"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// PeoplePage is one page of the directory.
type PeoplePage struct {
	Items   []Person `json:"items"`
	Total   int      `json:"total" doc:"How many people match, on all pages"`
	Page    int      `json:"page"`
	PerPage int      `json:"perPage"`
}

type listOutput struct{ Body PeoplePage }

type getInput struct {
	ID string `path:"id" maxLength:"32"`
}

type personOutput struct{ Body Person }

// Routes registers the directory's operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"People"}
	huma.Register(api, huma.Operation{OperationID: "listPeople", Method: http.MethodGet, Path: "/people",
		Summary: "The people the signed-in person may see",
		Description: "Employees see every active employee and the people they share a group with; external users " +
			"see only the people they share a group with; administrators see everyone.", Tags: tags}, s.list)
	s.accessRoutes(api)
	s.viewAsRoutes(api)
	s.reportRoutes(api)
	huma.Register(api, huma.Operation{OperationID: "getPerson", Method: http.MethodGet, Path: "/people/{id}",
		Summary: "One person; not found if they are not visible", Tags: tags}, s.get)
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	f := store.PeopleFilter{Query: in.Q, Kind: in.Kind, Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage}
	if in.Active != "" {
		active := in.Active == "true"
		f.Active = &active
	}
	if in.Expires > 0 {
		before := s.st.Now().Add(time.Duration(in.Expires) * 24 * time.Hour)
		f.ExpiresBefore = &before
	}
	a := auth.ActorFrom(ctx)
	us, total, err := s.st.People(ctx, a, f)
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: PeoplePage{Items: make([]Person, 0, len(us)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, u := range us {
		out.Body.Items = append(out.Body.Items, PersonOf(u))
	}
	return out, s.withAccess(ctx, a, us, out.Body.Items)
}

func (s *Service) get(ctx context.Context, in *getInput) (*personOutput, error) {
	a := auth.ActorFrom(ctx)
	u, err := s.st.User(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	if u.ID != a.UserID {
		if err := audit.Viewed(ctx, s.st, a, audit.PersonViewed, audit.User(u.ID, u.Email)); err != nil {
			return nil, err
		}
	}
	ps := []Person{PersonOf(u)}
	if err := s.withAccess(ctx, a, []store.User{u}, ps); err != nil {
		return nil, err
	}
	return &personOutput{Body: ps[0]}, nil
}

// Ref is a person named inside another object (an invitation's inviter, who accepted it).
// It is left out of the answer when the viewer may not see the person: the UI then shows
// "Hidden user", with no id, link or photo (PRODUCT.md §1).
type Ref struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind" enum:"employee,external"`
	Photo  string `json:"photo" doc:"Address of the profile photo; empty when there is none"`
	Active bool   `json:"active" doc:"false for a deactivated account"`
}

// RefOf renders a person named inside another object; nil stays nil (hidden).
func RefOf(u *store.User) *Ref {
	if u == nil {
		return nil
	}
	return &Ref{ID: u.ID, Name: u.Name, Kind: u.Kind, Photo: auth.PhotoURL(*u), Active: u.Active}
}
