package tasks

import (
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/app/auth"
	"annex/app/i18n"
	"annex/store"
)

// Limits of a board.
const (
	maxStages    = 20
	maxStageName = 60
)

// Stage is a column of a board with its first cards.
type Stage struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Total int        `json:"total" doc:"How many cards you may see in it"`
	Cards []TaskItem `json:"cards" nullable:"false" doc:"The first of them, in order"`
}

// Board is a group's kanban board or your planner.
type Board struct {
	ID        string  `json:"id" doc:"The group's id, or your own for your planner"`
	Kind      string  `json:"kind" enum:"group,planner"`
	Name      string  `json:"name" doc:"The group's name; empty for your planner"`
	MayManage bool    `json:"mayManage" doc:"You may add, rename, reorder and delete its stages"`
	ReadOnly  bool    `json:"readOnly" doc:"The group is archived: nothing on the board can change"`
	Stages    []Stage `json:"stages" nullable:"false"`
}

type boardInput struct {
	Board    string `path:"board" maxLength:"32" doc:"A group's id, or me for your planner"`
	PerStage int    `query:"perStage" minimum:"1" maximum:"100" default:"50" doc:"Cards per stage (the rest: listStageCards)"`
}

type boardOutput struct{ Body Board }

type stageCardsInput struct {
	Board   string `path:"board" maxLength:"32"`
	StageID string `path:"stageId" maxLength:"32"`
	Page    int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"50"`
}

type stageCardsOutput struct{ Body TaskPage }

type addStageInput struct {
	Board string `path:"board" maxLength:"32"`
	Body  struct {
		Name string `json:"name" maxLength:"60"`
	}
}

type setStageInput struct {
	Board   string `path:"board" maxLength:"32"`
	StageID string `path:"stageId" maxLength:"32"`
	Body    struct {
		Name     *string `json:"name,omitempty" maxLength:"60"`
		Position *int    `json:"position,omitempty" minimum:"0" maximum:"100" doc:"Its new place, from 0"`
	}
}

type deleteStageInput struct {
	Board   string `path:"board" maxLength:"32"`
	StageID string `path:"stageId" maxLength:"32"`
	Target  string `query:"target" maxLength:"32" doc:"The stage its cards go to"`
}

type moveCardInput struct {
	Board  string `path:"board" maxLength:"32"`
	TaskID string `path:"taskId" maxLength:"32"`
	Body   struct {
		StageID string `json:"stageId" maxLength:"32"`
		AfterID string `json:"afterId,omitempty" maxLength:"32" doc:"The card it goes after; empty: the top of the stage"`
	}
}

func (s *Service) boardRoutes(api huma.API, tags []string) {
	huma.Register(api, huma.Operation{OperationID: "getBoard", Method: http.MethodGet, Path: "/boards/{board}",
		Summary: "A group's kanban board (its members), or your planner (me): its stages and their first cards",
		Tags:    tags}, s.board)
	huma.Register(api, huma.Operation{OperationID: "listStageCards", Method: http.MethodGet,
		Path: "/boards/{board}/stages/{stageId}/cards", Summary: "A page of a stage's cards, in order", Tags: tags}, s.stageCards)
	huma.Register(api, huma.Operation{OperationID: "addStage", Method: http.MethodPost, Path: "/boards/{board}/stages",
		Summary: "Add a stage at the end (the group's owner and moderators; your planner: you)", Tags: tags}, s.addStage)
	huma.Register(api, huma.Operation{OperationID: "setStage", Method: http.MethodPatch, Path: "/boards/{board}/stages/{stageId}",
		Summary: "Rename or move a stage", Tags: tags}, s.setStage)
	huma.Register(api, huma.Operation{OperationID: "deleteStage", Method: http.MethodDelete,
		Path: "/boards/{board}/stages/{stageId}", Summary: "Delete a stage, its cards going to another", Tags: tags}, s.deleteStage)
	huma.Register(api, huma.Operation{OperationID: "moveCard", Method: http.MethodPost, Path: "/boards/{board}/cards/{taskId}/move",
		Summary:     "Move a card within or between stages",
		Description: "A group's board: who may change the task's status. Your planner: you.", Tags: tags}, s.moveCard)
}

// openBoard checks that the actor may open the board: an active member of its group (or
// an administrator) whose Tasks tool is on; writes also need the group not archived.
func openBoard(b store.Board, write bool) error {
	switch {
	case !b.Member:
		return apperr.Forbidden("board_members_only")
	case !b.TasksOn:
		return apperr.New(http.StatusConflict, "tasks_off", nil)
	case write && b.Archived:
		return apperr.New(http.StatusConflict, "task_group_archived", nil)
	}
	return nil
}

// defaultStages are a new board's, in the words of whoever opens it first.
func defaultStages(locale string) []string {
	return []string{i18n.T(locale, "board.todo", nil), i18n.T(locale, "board.doing", nil), i18n.T(locale, "board.done", nil)}
}

func (s *Service) board(ctx context.Context, in *boardInput) (*boardOutput, error) {
	a := auth.ActorFrom(ctx)
	b, err := s.st.BoardOf(ctx, a, in.Board)
	if err != nil {
		return nil, err
	}
	if err := openBoard(b, false); err != nil {
		return nil, err
	}
	sts, err := s.st.Stages(ctx, a, b)
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		// A board is born with three stages the first time anyone opens it (an archived
		// group's too, or its tasks would have nowhere to be shown).
		err := s.st.Tx(ctx, func(tx *store.Tx) error {
			if sts, err = tx.StagesTx(ctx, b); err != nil || len(sts) > 0 {
				return err
			}
			for _, name := range defaultStages(i18n.From(ctx)) {
				st, err := tx.AddStage(ctx, b, name)
				if err != nil {
					return err
				}
				sts = append(sts, st)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := &boardOutput{Body: Board{ID: b.ID, Kind: "group", Name: b.Name, MayManage: b.Manages && !b.Archived,
		ReadOnly: b.Archived, Stages: make([]Stage, 0, len(sts))}}
	if b.GroupID == "" {
		out.Body.Kind = "planner"
	}
	for i, st := range sts {
		ts, total, err := s.st.StageCards(ctx, a, b, st.ID, i == 0, 0, in.PerStage)
		if err != nil {
			return nil, err
		}
		stage := Stage{ID: st.ID, Name: st.Name, Total: total, Cards: make([]TaskItem, 0, len(ts))}
		for _, v := range ts {
			stage.Cards = append(stage.Cards, itemOf(a, v))
		}
		out.Body.Stages = append(out.Body.Stages, stage)
	}
	return out, nil
}

// stageAt finds a board's stage by id.
func stageAt(sts []store.Stage, id string) int {
	return slices.IndexFunc(sts, func(st store.Stage) bool { return st.ID == id })
}

func (s *Service) stageCards(ctx context.Context, in *stageCardsInput) (*stageCardsOutput, error) {
	a := auth.ActorFrom(ctx)
	b, err := s.st.BoardOf(ctx, a, in.Board)
	if err != nil {
		return nil, err
	}
	if err := openBoard(b, false); err != nil {
		return nil, err
	}
	sts, err := s.st.Stages(ctx, a, b)
	if err != nil {
		return nil, err
	}
	i := stageAt(sts, in.StageID)
	if i < 0 {
		return nil, apperr.NotFound()
	}
	ts, total, err := s.st.StageCards(ctx, a, b, in.StageID, i == 0, (in.Page-1)*in.PerPage, in.PerPage)
	if err != nil {
		return nil, err
	}
	out := &stageCardsOutput{Body: TaskPage{Items: make([]TaskItem, 0, len(ts)), Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, v := range ts {
		out.Body.Items = append(out.Body.Items, itemOf(a, v))
	}
	return out, nil
}

// changeStages runs change on the stages of a board whose stages the actor may define,
// logs it under the stage's name change returns, and answers with the board as it then is.
func (s *Service) changeStages(ctx context.Context, board string,
	change func(tx *store.Tx, b store.Board, sts []store.Stage) (string, error)) (*boardOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		b, err := tx.BoardTx(ctx, a, board)
		if err != nil {
			return err
		}
		if err := openBoard(b, true); err != nil {
			return err
		}
		if !b.Manages {
			return apperr.Forbidden("board_manage_forbidden")
		}
		sts, err := tx.StagesTx(ctx, b)
		if err != nil {
			return err
		}
		name, err := change(tx, b, sts)
		if err != nil {
			return err
		}
		obj := store.Object{Type: "board", ID: b.ID, Label: b.Name, GroupID: b.GroupID}
		if b.GroupID == "" {
			obj.Label = name
		}
		return audit.Log(ctx, tx, a, audit.BoardChanged, obj, map[string]string{"stage": name})
	})
	if err != nil {
		return nil, err
	}
	return s.board(ctx, &boardInput{Board: board, PerStage: 50})
}

func (s *Service) addStage(ctx context.Context, in *addStageInput) (*boardOutput, error) {
	return s.changeStages(ctx, in.Board, func(tx *store.Tx, b store.Board, sts []store.Stage) (string, error) {
		var fields apperr.Fields
		name := cleanLine("body.name", in.Body.Name, maxStageName, &fields)
		if len(sts) >= maxStages {
			fields.Add("body.name", "too_many_stages", map[string]any{"max": maxStages})
		}
		if err := fields.Err(); err != nil {
			return "", err
		}
		_, err := tx.AddStage(ctx, b, name)
		return name, err
	})
}

func (s *Service) setStage(ctx context.Context, in *setStageInput) (*boardOutput, error) {
	return s.changeStages(ctx, in.Board, func(tx *store.Tx, b store.Board, sts []store.Stage) (string, error) {
		i := stageAt(sts, in.StageID)
		if i < 0 {
			return "", apperr.NotFound()
		}
		st := sts[i]
		if in.Body.Name != nil {
			var fields apperr.Fields
			if st.Name = cleanLine("body.name", *in.Body.Name, maxStageName, &fields); fields.Err() != nil {
				return "", fields.Err()
			}
			if err := tx.RenameStage(ctx, b, st.ID, st.Name); err != nil {
				return "", err
			}
		}
		if in.Body.Position != nil {
			// The first stage holds the cards never moved: they stay in it when it moves.
			if err := tx.PinUnmoved(ctx, b, sts[0].ID); err != nil {
				return "", err
			}
			ids := make([]string, 0, len(sts))
			for _, o := range slices.Delete(slices.Clone(sts), i, i+1) {
				ids = append(ids, o.ID)
			}
			if err := tx.OrderStages(ctx, b, slices.Insert(ids, min(*in.Body.Position, len(ids)), st.ID)); err != nil {
				return "", err
			}
		}
		return st.Name, nil
	})
}

func (s *Service) deleteStage(ctx context.Context, in *deleteStageInput) (*boardOutput, error) {
	return s.changeStages(ctx, in.Board, func(tx *store.Tx, b store.Board, sts []store.Stage) (string, error) {
		i := stageAt(sts, in.StageID)
		switch {
		case i < 0:
			return "", apperr.NotFound()
		case len(sts) == 1:
			return "", apperr.New(http.StatusConflict, "last_stage", nil)
		case in.Target == in.StageID || stageAt(sts, in.Target) < 0:
			return "", apperr.Invalid(apperr.FieldErr("query.target", "stage_unknown", nil))
		}
		return sts[i].Name, tx.DeleteStage(ctx, b, in.StageID, in.Target, i == 0)
	})
}

// onBoard reports whether a task is on the board as the actor sees it.
func onBoard(b store.Board, v store.Task) bool {
	if b.GroupID != "" {
		return v.GroupID == b.GroupID
	}
	return v.Works
}

func (s *Service) moveCard(ctx context.Context, in *moveCardInput) (*taskOutput, error) {
	a := auth.ActorFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		b, err := tx.BoardTx(ctx, a, in.Board)
		if err != nil {
			return err
		}
		if err := openBoard(b, true); err != nil {
			return err
		}
		v, err := tx.TaskTx(ctx, a, in.TaskID)
		if err != nil {
			return err
		}
		switch {
		case !onBoard(b, v):
			return apperr.NotFound()
		case b.GroupID != "" && !mayChangeStatus(a, v):
			return apperr.Forbidden("task_read_only")
		}
		sts, err := tx.StagesTx(ctx, b)
		if err != nil {
			return err
		}
		i := stageAt(sts, in.Body.StageID)
		if i < 0 {
			return apperr.Invalid(apperr.FieldErr("body.stageId", "stage_unknown", nil))
		}
		pos, err := s.place(ctx, tx, a, b, in.Body.StageID, i == 0, in.TaskID, in.Body.AfterID)
		if err != nil {
			return err
		}
		if err := tx.PlaceCard(ctx, b, in.TaskID, in.Body.StageID, pos); err != nil {
			return err
		}
		s.changed(ctx, tx, v.ID)
		return audit.Log(ctx, tx, a, audit.TaskMoved, audit.Task(v.ID, v.Title, v.GroupID), map[string]string{"stage": sts[i].Name})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, &idInput{ID: in.TaskID})
}

// place finds the place between the card after (or the top) and the next card the actor
// sees, spreading the stage first when the two are too close to tell apart.
func (s *Service) place(ctx context.Context, tx *store.Tx, a store.Actor, b store.Board, stage string, first bool,
	moving, after string) (float64, error) {
	for spread := false; ; spread = true {
		var prev float64
		top := after == ""
		if !top {
			p, ok, err := tx.CardPlace(ctx, a, b, stage, first, after)
			if err != nil {
				return 0, err
			}
			if !ok || after == moving {
				return 0, apperr.Invalid(apperr.FieldErr("body.afterId", "card_unknown", nil))
			}
			prev = p
		}
		next, ok, err := tx.NextPlace(ctx, a, b, stage, first, after, prev, moving)
		switch {
		case err != nil:
			return 0, err
		case !ok && top:
			return 0, nil
		case !ok:
			return prev + 1024, nil
		case top:
			return next - 1024, nil
		case next-prev > 1e-6 || spread:
			return prev + (next-prev)/2, nil
		}
		if err := tx.SpreadStage(ctx, b, stage, first); err != nil {
			return 0, err
		}
		first = false // every card of the stage now has its place
	}
}
