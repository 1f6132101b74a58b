package tasks

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/notify"
	"annex/app/people"
	"annex/store"
)

// Comment is a comment on a task.
type Comment struct {
	ID        string      `json:"id"`
	Author    *people.Ref `json:"author,omitempty" doc:"Left out when you may not see them (Hidden user)"`
	Body      string      `json:"body" doc:"Markdown"`
	CreatedAt string      `json:"createdAt"`
	EditedAt  string      `json:"editedAt" doc:"When it was last edited; empty if never"`
	Mine      bool        `json:"mine" doc:"You wrote it: you may edit and delete it"`
	MayDelete bool        `json:"mayDelete" doc:"Its author and administrators may delete it"`
}

func commentOf(a store.Actor, c store.TaskComment) Comment {
	return Comment{ID: c.ID, Author: people.RefOf(c.Author), Body: c.Body, CreatedAt: stamp(&c.CreatedAt),
		EditedAt: stamp(c.EditedAt), Mine: c.AuthorID == a.UserID, MayDelete: c.AuthorID == a.UserID || a.Admin}
}

// CommentPage is one page of a task's comments, oldest first.
type CommentPage struct {
	Items   []Comment `json:"items"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"perPage"`
}

type commentsInput struct {
	ID      string `path:"id" maxLength:"32"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

type commentsOutput struct{ Body CommentPage }

const maxComment = 20_000

type commentBody struct {
	Body       string   `json:"body" maxLength:"20000" doc:"Markdown"`
	MentionIDs []string `json:"mentionIds,omitempty" maxItems:"50" doc:"The people it mentions (see listMentionable); each is told"`
}

type addCommentInput struct {
	ID   string `path:"id" maxLength:"32"`
	Body commentBody
}

type commentIDInput struct {
	ID        string `path:"id" maxLength:"32"`
	CommentID string `path:"commentId" maxLength:"32"`
}

type editCommentInput struct {
	ID        string `path:"id" maxLength:"32"`
	CommentID string `path:"commentId" maxLength:"32"`
	Body      commentBody
}

type commentOutput struct{ Body Comment }

type mentionableInput struct {
	ID string `path:"id" maxLength:"32"`
	Q  string `query:"q" maxLength:"100" doc:"Words of a name, address or position"`
}

type mentionableOutput struct {
	Body struct {
		Items []people.Ref `json:"items" nullable:"false"`
	}
}

func (s *Service) commentRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "listTaskComments", Method: http.MethodGet, Path: "/tasks/{id}/comments",
		Summary: "The comments on a task, oldest first", Tags: tags}, s.comments)
	huma.Register(api, huma.Operation{OperationID: "addTaskComment", Method: http.MethodPost, Path: "/tasks/{id}/comments",
		Summary: "Comment on a task you may see", Tags: tags, DefaultStatus: http.StatusCreated}, s.addComment)
	huma.Register(api, huma.Operation{OperationID: "editTaskComment", Method: http.MethodPatch,
		Path: "/tasks/{id}/comments/{commentId}", Summary: "Edit your own comment", Tags: tags}, s.editComment)
	huma.Register(api, huma.Operation{OperationID: "deleteTaskComment", Method: http.MethodDelete,
		Path: "/tasks/{id}/comments/{commentId}", Summary: "Delete your own comment (administrators: any)", Tags: tags,
		DefaultStatus: http.StatusNoContent}, s.deleteComment)
	huma.Register(api, huma.Operation{OperationID: "listMentionable", Method: http.MethodGet, Path: "/tasks/{id}/mentionable",
		Summary: "Whom a comment on the task may mention: people you may see who may see the task (at most 20)",
		Tags:    tags}, s.mentionable)
}

func (s *Service) comments(ctx context.Context, in *commentsInput) (*commentsOutput, error) {
	a := auth.ActorFrom(ctx)
	if _, err := s.st.Task(ctx, a, in.ID); err != nil {
		return nil, err
	}
	cs, total, err := s.st.TaskComments(ctx, a, in.ID, (in.Page-1)*in.PerPage, in.PerPage)
	if err != nil {
		return nil, err
	}
	out := &commentsOutput{Body: CommentPage{Items: make([]Comment, 0, len(cs)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, c := range cs {
		out.Body.Items = append(out.Body.Items, commentOf(a, c))
	}
	return out, nil
}

// cleanComment trims a comment and records what is wrong with it.
func cleanComment(s string, fields *apperr.Fields) string {
	body := strings.TrimSpace(s)
	switch {
	case body == "":
		fields.Add("body.body", "required", nil)
	case len([]rune(body)) > maxComment:
		fields.Add("body.body", "too_long", map[string]any{"max": maxComment})
	}
	return body
}

// mentions checks, inside a write, whom a comment mentions: people the author may see
// who may see the task, each once; anyone else is refused in the same words.
func mentions(ctx context.Context, tx *store.Tx, a store.Actor, taskID string, ids []string, fields *apperr.Fields) ([]string, error) {
	var out []string
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if slices.Contains(out, id) {
			continue
		}
		ok, err := tx.MayMention(ctx, a, taskID, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			fields.Add("body.mentionIds["+strconv.Itoa(i)+"]", "mention_not_allowed", nil)
			continue
		}
		out = append(out, id)
	}
	return out, nil
}

// openTask loads, inside a write, a task the actor may see and whose group is not archived.
func openTask(ctx context.Context, tx *store.Tx, a store.Actor, id string) (store.Task, error) {
	v, err := tx.TaskTx(ctx, a, id)
	if err != nil {
		return v, err
	}
	if v.GroupArchived {
		return v, apperr.New(http.StatusConflict, "task_group_archived", nil)
	}
	return v, nil
}

func (s *Service) addComment(ctx context.Context, in *addCommentInput) (*commentOutput, error) {
	a := auth.ActorFrom(ctx)
	var fields apperr.Fields
	c := store.TaskComment{TaskID: in.ID, AuthorID: a.UserID, Body: cleanComment(in.Body.Body, &fields)}
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, err := openTask(ctx, tx, a, in.ID)
		if err != nil {
			return err
		}
		if c.Mentions, err = mentions(ctx, tx, a, v.ID, in.Body.MentionIDs, &fields); err != nil {
			return err
		}
		if err := fields.Err(); err != nil {
			return err
		}
		if err := tx.AddTaskComment(ctx, &c); err != nil {
			return err
		}
		if err := tx.TouchTask(ctx, v.ID); err != nil {
			return err
		}
		p, err := tx.TaskPeopleIDs(ctx, v.ID)
		if err != nil {
			return err
		}
		if err := s.mentioned(ctx, tx, a, v, c, nil); err != nil {
			return err
		}
		others := slices.DeleteFunc(involved(v.CreatorID, p), func(id string) bool { return slices.Contains(c.Mentions, id) })
		if err := s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskCommented, Actor: a, Task: v, To: others,
			Note: c.Body}); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		return audit.Log(ctx, tx, a, audit.TaskCommented, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
	if err != nil {
		return nil, err
	}
	return s.comment(ctx, a, in.ID, c.ID)
}

// comment answers with one comment as the actor sees it now.
func (s *Service) comment(ctx context.Context, a store.Actor, taskID, id string) (*commentOutput, error) {
	c, err := s.st.TaskComment(ctx, a, taskID, id)
	if err != nil {
		return nil, err
	}
	return &commentOutput{Body: commentOf(a, c)}, nil
}

// mentioned tells the people a comment mentions, but not those it mentioned before.
func (s *Service) mentioned(ctx context.Context, tx *store.Tx, a store.Actor, v store.Task, c store.TaskComment, was []string) error {
	to := slices.DeleteFunc(slices.Clone(c.Mentions), func(id string) bool { return slices.Contains(was, id) })
	return s.notify.Task(ctx, tx, notify.TaskEvent{Kind: notify.TaskMentioned, Actor: a, Task: v, To: to, Note: c.Body})
}

// ownComment loads, inside a write, a comment on an open task the actor may see, and
// checks they may change it: its author, or (deleting) an administrator.
func ownComment(ctx context.Context, tx *store.Tx, a store.Actor, in commentIDInput, deleting bool) (store.Task, store.TaskComment, error) {
	v, err := openTask(ctx, tx, a, in.ID)
	if err != nil {
		return v, store.TaskComment{}, err
	}
	c, err := tx.TaskCommentTx(ctx, a, v.ID, in.CommentID)
	if err != nil {
		return v, c, err
	}
	if c.AuthorID != a.UserID && !(deleting && a.Admin) {
		return v, c, apperr.Forbidden("comment_not_yours")
	}
	return v, c, nil
}

func (s *Service) editComment(ctx context.Context, in *editCommentInput) (*commentOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		v, c, err := ownComment(ctx, tx, a, commentIDInput{ID: in.ID, CommentID: in.CommentID}, false)
		if err != nil {
			return err
		}
		var fields apperr.Fields
		c.Body = cleanComment(in.Body.Body, &fields)
		if c.Mentions, err = mentions(ctx, tx, a, v.ID, in.Body.MentionIDs, &fields); err != nil {
			return err
		}
		if err := fields.Err(); err != nil {
			return err
		}
		was := c.Mentions
		if err := tx.EditTaskComment(ctx, &c); err != nil {
			return err
		}
		if err := s.mentioned(ctx, tx, a, v, c, was); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		return audit.Log(ctx, tx, a, audit.TaskCommentEdited, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
	if err != nil {
		return nil, err
	}
	return s.comment(ctx, a, in.ID, in.CommentID)
}

func (s *Service) deleteComment(ctx context.Context, in *commentIDInput) (*struct{}, error) {
	a := auth.ActorFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		v, c, err := ownComment(ctx, tx, a, *in, true)
		if err != nil {
			return err
		}
		if err := tx.DeleteTaskComment(ctx, c.ID); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		return audit.Log(ctx, tx, a, audit.TaskCommentDeleted, audit.Task(v.ID, v.Title, v.GroupID), nil)
	})
}

func (s *Service) mentionable(ctx context.Context, in *mentionableInput) (*mentionableOutput, error) {
	a := auth.ActorFrom(ctx)
	if _, err := s.st.Task(ctx, a, in.ID); err != nil {
		return nil, err
	}
	us, err := s.st.Mentionable(ctx, a, in.ID, in.Q, 20)
	if err != nil {
		return nil, err
	}
	out := &mentionableOutput{}
	out.Body.Items = make([]people.Ref, 0, len(us))
	for _, u := range us {
		out.Body.Items = append(out.Body.Items, *people.RefOf(&u))
	}
	return out, nil
}
