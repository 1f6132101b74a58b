package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/store"
)

// API tokens (PRODUCT.md §6, docs/api-tokens.md): a person's named token for scripts,
// sent as "Authorization: Bearer annex_…". A request with one acts as its owner through
// the same fence; operations whose security does not list the bearer scheme (sign-in
// and sign-out, password operations, token management, anything that needs a recent
// password) refuse it.

// TokenPrefix starts every API token, so that secret scanners can recognise one.
const TokenPrefix = "annex_"

// tokenLen is the length of a token: the prefix and 256 random bits in base64url.
const tokenLen = len(TokenPrefix) + 43

// Token limits.
const (
	MaxTokenName       = 100
	MaxTokenDays       = 365 // a token lasts at most a year
	MaxTokensPerPerson = 50  // live tokens one person may hold
	// tokenTouchEvery limits how often a token's last use is written.
	tokenTouchEvery = time.Minute
)

// SessionOnly is the security requirement of an operation open to the session cookie
// but never to an API token. The server's authentication check reads it from the
// document, and so do the tests.
var SessionOnly = []map[string][]string{{"session": {}}}

// SessionOrToken is the security requirement of every other signed-in operation (the
// document's default): the session cookie or an API token.
var SessionOrToken = []map[string][]string{{"session": {}}, {"bearer": {}}}

// TokensAllowed reports whether op accepts an API token: it inherits the document's
// default or lists the bearer scheme. Anonymous operations (an empty list) do not.
func TokensAllowed(op *huma.Operation) bool {
	if op.Security == nil {
		return true
	}
	for _, req := range op.Security {
		if _, ok := req["bearer"]; ok {
			return true
		}
	}
	return false
}

// NewToken returns a new API token and the hash that is stored in its place.
func NewToken() (string, []byte) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	return tok, hashToken(tok)
}

// looksLikeToken reports whether s has an API token's shape.
func looksLikeToken(s string) bool {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenPrefix) {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s[len(TokenPrefix):])
	return err == nil
}

// BearerToken returns the token of the request's "Authorization: Bearer" header, and
// whether it has one (the scheme's name is case-insensitive, RFC 9110 §11.1).
func BearerToken(r *http.Request) (string, bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if strings.EqualFold(h, "Bearer") { // the scheme with nothing after it
		return "", true
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// ResolveToken returns the signed-in state of a request carrying the API token raw,
// checked at request time: a malformed, unknown, revoked or expired token, or one whose
// owner is deactivated, is a 401 that says which. It records the token's use at most
// once a minute.
func ResolveToken(ctx context.Context, st *store.Store, raw string) (*Current, error) {
	if !looksLikeToken(raw) {
		return nil, apperr.New(http.StatusUnauthorized, "token_invalid", nil)
	}
	tok, u, state, err := st.APITokenUser(ctx, hashToken(raw))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(http.StatusUnauthorized, "token_invalid", nil)
	}
	if err != nil {
		return nil, err
	}
	switch state {
	case store.TokenRevoked:
		return nil, apperr.New(http.StatusUnauthorized, "token_revoked", nil)
	case store.TokenExpired:
		return nil, apperr.New(http.StatusUnauthorized, "token_expired", nil)
	case store.TokenOwnerInactive:
		return nil, apperr.New(http.StatusUnauthorized, "account_inactive", nil)
	}
	now := st.Now()
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= tokenTouchEvery {
		// Its use is logged as often as it is noted: at most once a minute per token.
		if err := st.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.TouchAPIToken(ctx, tok.ID, tokenTouchEvery); err != nil {
				return err
			}
			return audit.Log(ctx, tx, store.ActorFor(u), audit.TokenUsed, store.Object{Type: "api_token", ID: tok.ID, Label: tok.Name}, nil)
		}); err != nil {
			return nil, err
		}
	}
	return &Current{User: u, Token: &tok}, nil
}

// APITokenView is one token as its owner's list shows it; the token itself is never
// shown again after its creation.
type APITokenView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Scope      string `json:"scope" enum:"read-only,read-write" doc:"read-only: GET requests only; read-write: everything the person may do, but what tokens never reach"`
	CreatedAt  string `json:"createdAt"`
	ExpiresAt  string `json:"expiresAt"`
	LastUsedAt string `json:"lastUsedAt" doc:"When a request last came with it (to the minute); empty when never used"`
	Expired    bool   `json:"expired" doc:"Its expiry has passed: it no longer works"`
}

func tokenView(t store.APIToken, now time.Time) APITokenView {
	v := APITokenView{ID: t.ID, Name: t.Name, Scope: t.Scope, CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339),
		ExpiresAt: t.ExpiresAt.UTC().Format(time.RFC3339), Expired: t.Expired(now)}
	if t.LastUsedAt != nil {
		v.LastUsedAt = t.LastUsedAt.UTC().Format(time.RFC3339)
	}
	return v
}

// APITokensPage is one page of a person's tokens.
type APITokensPage struct {
	Items   []APITokenView `json:"items"`
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"perPage"`
}

type tokensInput struct {
	Page    int `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	PerPage int `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

type tokensOutput struct{ Body APITokensPage }

type createTokenInput struct {
	Body struct {
		Name          string `json:"name" maxLength:"400" doc:"What the token is for, such as \"CRM sync\": 1 to 100 characters, unique among one's tokens"`
		Scope         string `json:"scope" enum:"read-only,read-write"`
		ExpiresInDays int    `json:"expiresInDays" doc:"How many days the token works, from now: 1 to 365"`
	}
}

// CreatedToken is a token just made: the only answer that carries the token itself.
type CreatedToken struct {
	Token string       `json:"token" doc:"The token, to send as \"Authorization: Bearer <token>\". It is shown this once and stored only as a hash."`
	Item  APITokenView `json:"item"`
}

type createTokenOutput struct {
	Body CreatedToken
}

type tokenIDInput struct {
	ID string `path:"id" maxLength:"40"`
}

func (s *Service) tokenRoutes(api huma.API) {
	tags := []string{"API tokens"}
	huma.Register(api, huma.Operation{OperationID: "listMyTokens", Method: http.MethodGet, Path: "/me/tokens",
		Summary: "One's API tokens", Description: "Revoked tokens are not listed; expired ones are, marked so.",
		Tags: tags, Security: SessionOnly}, s.listTokens)
	huma.Register(api, huma.Operation{OperationID: "createMyToken", Method: http.MethodPost, Path: "/me/tokens",
		Summary:     "Create an API token",
		Description: "Needs the password entered within the last 10 minutes. External users cannot create tokens. The answer is the only time the token is shown.",
		Tags:        tags, Security: SessionOnly, DefaultStatus: http.StatusCreated}, s.createToken)
	huma.Register(api, huma.Operation{OperationID: "revokeMyToken", Method: http.MethodDelete, Path: "/me/tokens/{id}",
		Summary: "Revoke one of one's API tokens", Description: "It stops working at once.",
		Tags: tags, Security: SessionOnly, DefaultStatus: http.StatusNoContent}, s.revokeToken)
}

func (s *Service) listTokens(ctx context.Context, in *tokensInput) (*tokensOutput, error) {
	toks, total, err := s.st.APITokens(ctx, ActorFrom(ctx), in.PerPage, (in.Page-1)*in.PerPage)
	if err != nil {
		return nil, err
	}
	now := s.st.Now()
	out := &tokensOutput{Body: APITokensPage{Items: []APITokenView{}, Total: total, Page: in.Page, PerPage: in.PerPage}}
	for _, t := range toks {
		out.Body.Items = append(out.Body.Items, tokenView(t, now))
	}
	return out, nil
}

func (s *Service) createToken(ctx context.Context, in *createTokenInput) (*createTokenOutput, error) {
	cur := CurrentFrom(ctx)
	if cur.User.Kind != store.KindEmployee {
		return nil, apperr.Forbidden("token_external")
	}
	b := in.Body
	var fields apperr.Fields
	name := strings.Join(strings.Fields(b.Name), " ")
	switch {
	case name == "":
		fields.Add("body.name", "required", nil)
	case utf8.RuneCountInString(name) > MaxTokenName:
		fields.Add("body.name", "too_long", map[string]any{"max": MaxTokenName})
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		fields.Add("body.name", "invalid_characters", nil)
	}
	switch {
	case b.ExpiresInDays < 1:
		fields.Add("body.expiresInDays", "token_expiry_too_short", nil)
	case b.ExpiresInDays > MaxTokenDays:
		fields.Add("body.expiresInDays", "token_expiry_too_long", nil)
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	if err := RequireRecentAuth(ctx, s.st.Now()); err != nil {
		return nil, err
	}
	raw, hash := NewToken()
	var out createTokenOutput
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		named, live, err := tx.APITokenCounts(ctx, cur.User.ID, name)
		if err != nil {
			return err
		}
		if named > 0 {
			return apperr.Invalid(apperr.FieldErr("body.name", "token_name_taken", nil))
		}
		if live >= MaxTokensPerPerson {
			return apperr.New(http.StatusConflict, "token_limit", map[string]any{"max": MaxTokensPerPerson})
		}
		tok := store.APIToken{UserID: cur.User.ID, Name: name, Scope: b.Scope,
			ExpiresAt: tx.Now().Add(time.Duration(b.ExpiresInDays) * 24 * time.Hour)}
		if err := tx.CreateAPIToken(ctx, &tok, hash); err != nil {
			return err
		}
		out.Body = CreatedToken{Token: raw, Item: tokenView(tok, tx.Now())}
		return audit.Log(ctx, tx, cur.Actor(), audit.TokenCreated, store.Object{Type: "api_token", ID: tok.ID, Label: name},
			map[string]string{"scope": b.Scope})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) revokeToken(ctx context.Context, in *tokenIDInput) (*struct{}, error) {
	err := s.st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeAPIToken(ctx, ActorFrom(ctx), in.ID); err != nil {
			return err
		}
		return audit.Log(ctx, tx, ActorFrom(ctx), audit.TokenRevoked, store.Object{Type: "api_token", ID: in.ID}, nil)
	})
	return nil, err
}
