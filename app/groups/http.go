// Package groups is workgroups: lists, pages, members and creation. What an actor may
// see is decided by the fence (store/fence.go); this package holds the rules of change.
package groups

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
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
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Kind        string   `json:"kind" enum:"internal,extranet"`
	Visibility  string   `json:"visibility" enum:"open,closed,secret" doc:"Extranet groups are always secret: visible to members only"`
	Archived    bool     `json:"archived"`
	MyRole      string   `json:"myRole" enum:"owner,moderator,member," doc:"Empty when not a member"`
	MyState     string   `json:"myState" enum:"active,invited,requested," doc:"Empty when not a member"`
	MemberCount int      `json:"memberCount" doc:"Active members you can see"`
	TopicID     string   `json:"topicId" doc:"Empty when the group has no topic"`
	TopicName   string   `json:"topicName"`
	MayInvite   bool     `json:"mayInvite" doc:"Whether the group's settings let you invite people into it"`
	NeedsOwner  bool     `json:"needsOwner" doc:"The owner's account is deactivated: an administrator chooses a new owner"`
	Settings    Settings `json:"settings"`
}

// Settings are a group's own rules (PRODUCT.md §3), set by its owner and administrators.
type Settings struct {
	Tools         []string `json:"tools" nullable:"false" enum:"feed,tasks,drive,calendar,chat" doc:"The tools switched on"`
	InvitePolicy  string   `json:"invitePolicy" enum:"owner,moderators,members" doc:"Who may invite: the owner; the owner and moderators; or every member"`
	ExternalTasks string   `json:"externalTasks" enum:"all,involved" doc:"Which of the group's tasks its external members see"`
}

func groupOf(a store.Actor, g store.GroupView) Group {
	return Group{ID: g.ID, Name: g.Name, Description: g.Description, Kind: g.Kind, Visibility: g.Visibility,
		Archived: g.Archived, MyRole: g.MyRole, MyState: g.MyState, MemberCount: g.MemberCount, TopicID: g.TopicID,
		TopicName: g.TopicName, MayInvite: MayInvite(a, g.Group, g.MyRole, g.MyState), NeedsOwner: g.NeedsOwner,
		Settings: Settings{Tools: g.Tools, InvitePolicy: g.InvitePolicy, ExternalTasks: g.ExternalTasks}}
}

// MayInvite: administrators, and employees whose active role the group's invite policy
// names. External users never invite employees; they are invited.
func MayInvite(a store.Actor, g store.Group, role, state string) bool {
	if a.Admin {
		return true
	}
	if a.Kind != store.KindEmployee || state != store.MemberActive {
		return false
	}
	switch g.InvitePolicy {
	case store.InviteMembers:
		return true
	case store.InviteModerators:
		return role == store.RoleOwner || role == store.RoleModerator
	default:
		return role == store.RoleOwner
	}
}

type listInput struct {
	Scope      string `query:"scope" enum:"mine,all" default:"all" doc:"mine: groups you belong to or are invited to"`
	Kind       string `query:"kind" enum:"internal,extranet,"`
	Topic      string `query:"topic" maxLength:"32" doc:"Only groups with this topic"`
	NeedsOwner bool   `query:"needsOwner" doc:"Only groups whose owner is deactivated"`
	Q          string `query:"q" maxLength:"200"`
	Page       int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
	PerPage    int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
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
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1" doc:"Page number, from 1 (at most 100000, so an offset cannot overflow)"`
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
		TopicID     string `json:"topicId,omitempty" maxLength:"32"`
	}
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "listGroups", Method: http.MethodGet, Path: "/groups",
		Summary: "The groups the signed-in person may see", Tags: tags}, s.list)
	huma.Register(api, huma.Operation{OperationID: "getGroup", Method: http.MethodGet, Path: "/groups/{id}",
		Summary: "One group; not found if it is not visible", Tags: tags}, s.view)
	huma.Register(api, huma.Operation{OperationID: "listGroupMembers", Method: http.MethodGet, Path: "/groups/{id}/members",
		Summary: "A group's members", Tags: tags}, s.members)
	huma.Register(api, huma.Operation{OperationID: "createGroup", Method: http.MethodPost, Path: "/groups",
		Summary: "Create a group; its creator becomes its owner", Tags: tags, DefaultStatus: http.StatusCreated}, s.create)
	s.memberRoutes(api)
	s.editRoutes(api)
	s.inviteRoutes(api)
	s.topicRoutes(api)
}

// topicErr puts an unknown topic next to the field that named it.
func topicErr(err error) error {
	if errors.Is(err, store.ErrTopicUnknown) {
		return apperr.Invalid(apperr.FieldErr("body.topicId", "topic_unknown", nil))
	}
	return err
}

func (s *Service) list(ctx context.Context, in *listInput) (*listOutput, error) {
	a := auth.ActorFrom(ctx)
	gs, total, err := s.st.Groups(ctx, a, store.GroupFilter{Mine: in.Scope == "mine", Kind: in.Kind, TopicID: in.Topic,
		NeedsOwner: in.NeedsOwner, Query: in.Q, Offset: (in.Page - 1) * in.PerPage, Limit: in.PerPage})
	if err != nil {
		return nil, err
	}
	out := &listOutput{Body: GroupPage{Items: make([]Group, 0, len(gs)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, g := range gs {
		out.Body.Items = append(out.Body.Items, groupOf(a, g))
	}
	return out, nil
}

func (s *Service) get(ctx context.Context, in *idInput) (*groupOutput, error) {
	a := auth.ActorFrom(ctx)
	g, err := s.st.GroupByID(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &groupOutput{Body: groupOf(a, g)}, nil
}

// view is get for the group's page: an external user opening it leaves a row.
func (s *Service) view(ctx context.Context, in *idInput) (*groupOutput, error) {
	out, err := s.get(ctx, in)
	if err != nil {
		return nil, err
	}
	a := auth.ActorFrom(ctx)
	if err := audit.Viewed(ctx, s.st, a, audit.GroupViewed, audit.Group(out.Body.ID, out.Body.Name)); err != nil {
		return nil, err
	}
	return out, nil
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
	g := store.Group{Name: name, Description: strings.TrimSpace(in.Body.Description), Kind: in.Body.Kind, Visibility: vis,
		TopicID: in.Body.TopicID}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return topicErr(err)
		}
		if err := tx.PutMembership(ctx, g.ID, a.UserID, store.RoleOwner, store.MemberActive); err != nil {
			return err
		}
		return audit.Log(ctx, tx, a, audit.GroupCreated, audit.Group(g.ID, g.Name), map[string]string{"kind": g.Kind})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, &idInput{ID: g.ID})
}
