package groups

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// Topic is a category of groups, managed by administrators.
type Topic struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Groups int    `json:"groups" doc:"Groups in this topic that you can see"`
}

type topicsOutput struct {
	Body struct {
		Items []Topic `json:"items"`
	}
}

type topicBody struct {
	Name string `json:"name" maxLength:"100"`
}

type topicInput struct {
	Body topicBody
}

type topicEditInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body topicBody
}

type topicIDInput struct {
	ID string `path:"id" maxLength:"32"`
}

type topicOutput struct{ Body Topic }

func (s *Service) topicRoutes(api huma.API) {
	tags := []string{"Groups"}
	huma.Register(api, huma.Operation{OperationID: "listTopics", Method: http.MethodGet, Path: "/topics",
		Summary: "The topics groups are filed under", Description: "For employees; a topic list is company structure.",
		Tags: tags}, s.listTopics)
	admin := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "createTopic", Method: http.MethodPost, Path: "/admin/topics",
		Summary: "Add a topic", Tags: admin, DefaultStatus: http.StatusCreated}, s.createTopic)
	huma.Register(api, huma.Operation{OperationID: "renameTopic", Method: http.MethodPatch, Path: "/admin/topics/{id}",
		Summary: "Rename a topic", Tags: admin}, s.renameTopic)
	huma.Register(api, huma.Operation{OperationID: "deleteTopic", Method: http.MethodDelete, Path: "/admin/topics/{id}",
		Summary: "Delete a topic; its groups stay, without a topic", Tags: admin,
		DefaultStatus: http.StatusNoContent}, s.deleteTopic)
}

func (s *Service) listTopics(ctx context.Context, _ *struct{}) (*topicsOutput, error) {
	a := auth.ActorFrom(ctx)
	if a.Kind != store.KindEmployee {
		return nil, apperr.Forbidden("employees_only")
	}
	ts, err := s.st.Topics(ctx, a)
	if err != nil {
		return nil, err
	}
	out := &topicsOutput{}
	out.Body.Items = make([]Topic, 0, len(ts))
	for _, t := range ts {
		out.Body.Items = append(out.Body.Items, Topic{ID: t.ID, Name: t.Name, Groups: t.Groups})
	}
	return out, nil
}

// putTopic creates (id "") or renames a topic.
func (s *Service) putTopic(ctx context.Context, id string, b topicBody) (*topicOutput, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	var fields apperr.Fields
	t := store.Topic{ID: id, Name: auth.CleanName(b.Name, "body.name", &fields)}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	verb := "renamed"
	if id == "" {
		verb = "created"
	}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.PutTopic(ctx, &t); err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.TopicChanged, store.Object{Type: "topic", ID: t.ID, Label: t.Name},
			map[string]string{"change": verb})
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, apperr.Invalid(apperr.FieldErr("body.name", "topic_taken", nil))
	}
	if err != nil {
		return nil, err
	}
	return &topicOutput{Body: Topic{ID: t.ID, Name: t.Name}}, nil
}

func (s *Service) createTopic(ctx context.Context, in *topicInput) (*topicOutput, error) {
	return s.putTopic(ctx, "", in.Body)
}

func (s *Service) renameTopic(ctx context.Context, in *topicEditInput) (*topicOutput, error) {
	return s.putTopic(ctx, in.ID, in.Body)
}

func (s *Service) deleteTopic(ctx context.Context, in *topicIDInput) (*struct{}, error) {
	if err := auth.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteTopic(ctx, in.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, auth.ActorFrom(ctx), audit.TopicChanged, store.Object{Type: "topic", ID: in.ID},
			map[string]string{"change": "deleted"})
	})
}
