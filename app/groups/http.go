// Package groups is workgroups: lists, pages, members and creation. What an actor may
// see is decided by the fence (store/fence.go); this package holds the rules of change.
package groups

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/people"
	"annex/store"
)

// Service serves workgroups.
type Service struct{ st *store.Store }

// New returns the groups service.
func New(st *store.Store) *Service { return &Service{st: st} }

// Group is a workgroup as the signed-in person sees it.
type Group struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Kind        string `json:"kind" enum:"internal,extranet"`
	Visibility  string `json:"visibility" enum:"open,closed,secret" doc:"Extranet groups are always secret: visible to members only"`
	Archived    bool   `json:"archived"`
	MyRole      string `json:"myRole" enum:"owner,moderator,member," doc:"Empty when not a member"`
	MyState     string `json:"myState" enum:"active,invited,requested," doc:"Empty when not a member"`
	MemberCount int    `json:"memberCount" doc:"Active members you can see"`
}

func groupOf(g store.GroupView) Group {
	return Group{ID: g.ID, Name: g.Name, Description: g.Description, Kind: g.Kind, Visibility: g.Visibility,
		Archived: g.Archived, MyRole: g.MyRole, MyState: g.MyState, MemberCount: g.MemberCount}
}

type listInput struct {
	Scope   string `query:"scope" enum:"mine,all" default:"all" doc:"mine: groups you belong to or are invited to"`
	Kind    string `query:"kind" enum:"internal,extranet,"`
	Q       string `query:"q" maxLength:"200"`
	Page    int    `query:"page" minimum:"1" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// GroupPage is one page of groups.
type GroupPage struct {
	Items   []Group `json:"items"`
	Total   int     `json:"total"`
	Page    int     `json:"page"`
	PerPage int     `json:"perPage"`
}

type listOutput struct{ Body GroupPage }

type idInput struct {
	ID string `path:"id" maxLength:"32"`
}

type groupOutput struct{ Body Group }

type membersInput struct {
	ID      string `path:"id" maxLength:"32"`
	Page    int    `query:"page" minimum:"1" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

// Member is a person in a group.
type Member struct {
	Person people.Person `json:"person"`
	Role   string        `json:"role" enum:"owner,moderator,member"`
	State  string        `json:"state" enum:"active,invited,requested" doc:"Pending states are shown to the group's managers only"`
}

// MemberPage is one page of a group's members.
type MemberPage struct {
	Items   []Member `json:"items"`
	Total   int      `json:"total"`
	Page    int      `json:"page"`
	PerPage int      `json:"perPage"`
}

type membersOutput struct{ Body MemberPage }

type createInput struct {
	Body struct {
		Name        string `json:"name" maxLength:"200"`
		Description string `json:"description,omitempty" maxLength:"5000"`
		Kind        string `json:"kind" enum:"internal,extranet"`
		Visibility  string `json:"visibility,omitempty" enum:"open,closed,secret," doc:"For internal groups; extranet groups are always secret"`
	}
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "listGroups", Method: http.MethodGet, Path: "/groups",
		Summary: "The groups the signed-in person may see", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "getGroup", Method: http.MethodGet, Path: "/groups/{id}",
		Summary: "One group; not found if it is not visible", Tags: tags}, s.get)
	huma.Register(api, huma.Operation{OperationID: "listGroupMembers", Method: http.MethodGet, Path: "/groups/{id}/members",
		Summary: "A group's members", Tags: tags}, s.members)
	huma.Register(api, huma.Operation{OperationID: "createGroup", Method: http.MethodPost, Path: "/groups",
		Summary: "Create a group; its creator becomes its owner", Tags: tags, DefaultStatus: http.StatusCreated}, s.create)
	s.memberRoutes(api)
	s.editRoutes(api)
	s.inviteRoutes(api)
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	gs, total, err := s.st.Groups(ctx, auth.ActorFrom(ctx), store.GroupFilter{Mine: in.Scope == "mine", Kind: in.Kind,
		Query: in.Q, Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage})
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: GroupPage{Items: make([]Group, 0, len(gs)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, g := range gs {
		out.Body.Items = append(out.Body.Items, groupOf(g))
	}
	return out, nil
}

func (s *Service) get(ctx context.Context, in *idInput) (*groupOutput, error) {
	g, err := s.st.GroupByID(ctx, auth.ActorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &groupOutput{Body: groupOf(g)}, nil
}

func (s *Service) members(ctx context.Context, in *membersInput) (*membersOutput, error) {
	ms, total, err := s.st.GroupMembers(ctx, auth.ActorFrom(ctx), in.ID, (in.Page-1)*in.PerPage, in.PerPage)
	if err != nil {
		return nil, err
	}
	out := &membersOutput{Body: MemberPage{Items: make([]Member, 0, len(ms)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, m := range ms {
		out.Body.Items = append(out.Body.Items, Member{Person: people.PersonOf(m.User), Role: m.Role, State: m.State})
	}
	return out, nil
}

func (s *Service) create(ctx context.Context, in *createInput) (*groupOutput, error) {
	a := auth.ActorFrom(ctx)
	if a.Kind != store.KindEmployee {
		return nil, apperr.Forbidden("external_cannot_create_group")
	}
	var fields apperr.Fields
	name := auth.CleanName(in.Body.Name, "body.name", &fields)
	vis := in.Body.Visibility
	switch {
	case in.Body.Kind == store.GroupExtranet:
		vis = store.VisibilitySecret
	case vis == "":
		vis = store.VisibilityOpen
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	g := store.Group{Name: name, Description: strings.TrimSpace(in.Body.Description), Kind: in.Body.Kind, Visibility: vis}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		return tx.PutMembership(ctx, g.ID, a.UserID, store.RoleOwner, store.MemberActive)
	})
	if err != nil {
		return nil, err
	}
	v, err := s.st.GroupByID(ctx, a, g.ID)
	if err != nil {
		return nil, err
	}
	return &groupOutput{Body: groupOf(v)}, nil
}
