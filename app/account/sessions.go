package account

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/audit"
	"annex/app/auth"
	"annex/store"
)

// MySession is one of the signed-in person's sessions.
type MySession struct {
	ID         string `json:"id" doc:"Names the session for signing it out"`
	Browser    string `json:"browser" doc:"Read from the User-Agent at sign-in; empty when it did not say"`
	OS         string `json:"os" doc:"Read from the User-Agent at sign-in; empty when it did not say"`
	UserAgent  string `json:"userAgent" doc:"The browser's User-Agent at sign-in, as sent"`
	Address    string `json:"address" doc:"The client's IP address at sign-in"`
	CreatedAt  string `json:"createdAt" doc:"When it was signed in"`
	LastSeenAt string `json:"lastSeenAt" doc:"Its latest request, to the minute"`
	Remember   bool   `json:"remember" doc:"Signed in with \"remember me\""`
	Current    bool   `json:"current" doc:"The session of this request: this device"`
}

type mySessionsOutput struct {
	Body struct {
		Items []MySession `json:"items"`
	}
}

type sessionIDInput struct {
	ID string `path:"id" maxLength:"32"`
}

type endSessionOutput struct {
	SetCookie []http.Cookie `header:"Set-Cookie" doc:"Clears the session cookie when the session ended is this one"`
}

func (s *Service) sessionRoutes(api huma.API) {
	tags := []string{"Account"}
	huma.Register(api, huma.Operation{OperationID: "listMySessions", Method: http.MethodGet, Path: "/me/sessions",
		Summary: "My sessions: every browser signed in to my account, the most recently used first", Tags: tags, Security: auth.SessionOnly}, s.listSessions)
	huma.Register(api, huma.Operation{OperationID: "endMySession", Method: http.MethodDelete, Path: "/me/sessions/{id}",
		Summary:     "Sign one of my sessions out",
		Description: "Another person's session answers 404, as an unknown one does. Ending this very session signs out.",
		Tags:        tags, DefaultStatus: http.StatusNoContent, Security: auth.SessionOnly}, s.endSession)
	huma.Register(api, huma.Operation{OperationID: "endMyOtherSessions", Method: http.MethodPost, Path: "/me/sessions/end-others",
		Summary: "Sign out every session of mine but this one", Tags: tags, DefaultStatus: http.StatusNoContent, Security: auth.SessionOnly}, s.endOthers)
}

func (s *Service) listSessions(ctx context.Context, _ *struct{}) (*mySessionsOutput, error) {
	cur := auth.CurrentFrom(ctx)
	ss, err := s.st.MySessions(ctx, cur.Actor())
	if err != nil {
		return nil, err
	}
	out := &mySessionsOutput{}
	out.Body.Items = make([]MySession, 0, len(ss))
	for _, x := range ss {
		d := ParseUserAgent(x.UserAgent)
		out.Body.Items = append(out.Body.Items, MySession{ID: x.ID, Browser: d.Browser, OS: d.OS, UserAgent: x.UserAgent,
			Address: x.Address, CreatedAt: stamp(x.CreatedAt), LastSeenAt: stamp(x.SeenAt), Remember: x.Remember,
			Current: x.ID == cur.Session.ID})
	}
	return out, nil
}

func (s *Service) endSession(ctx context.Context, in *sessionIDInput) (*endSessionOutput, error) {
	cur := auth.CurrentFrom(ctx)
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteMySession(ctx, cur.Actor(), in.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, cur.Actor(), audit.SessionsEnded, audit.User(cur.User.ID, cur.User.Email), map[string]string{"which": "one"})
	})
	if err != nil {
		return nil, err
	}
	out := &endSessionOutput{}
	if in.ID == cur.Session.ID {
		out.SetCookie = []http.Cookie{s.sessions.Clear()}
	}
	return out, nil
}

func (s *Service) endOthers(ctx context.Context, _ *struct{}) (*struct{}, error) {
	cur := auth.CurrentFrom(ctx)
	return nil, s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.EndOtherSessions(ctx, cur.Actor(), cur.Session.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, cur.Actor(), audit.SessionsEnded, audit.User(cur.User.ID, cur.User.Email), map[string]string{"which": "others"})
	})
}
