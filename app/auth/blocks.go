package auth

import (
	"cmp"
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/audit"
	"annex/store"
)

// SignInBlock is one sign-in block in force, as Admin → Sign-in blocks lists it.
type SignInBlock struct {
	ID           string `json:"id" doc:"Names the block for clearing it"`
	Kind         string `json:"kind" enum:"account,address" doc:"account: one account from one address; address: an address that failed on many accounts"`
	Email        string `json:"email" doc:"For an account block, the address typed at sign-in (whether or not an account has it); empty for an address block"`
	Address      string `json:"address" doc:"The client's IP address (for IPv6, its /64)"`
	Failures     int    `json:"failures" doc:"For an account block, failed passwords; for an address block, accounts failed on within the hour"`
	LastFailure  string `json:"lastFailure"`
	BlockedUntil string `json:"blockedUntil"`
}

type blocksInput struct {
	Page    int `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	PerPage int `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

// SignInBlocksPage is one page of the blocks in force.
type SignInBlocksPage struct {
	Items   []SignInBlock `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"perPage"`
}

type blocksOutput struct{ Body SignInBlocksPage }

type blockIDInput struct {
	ID string `path:"id" maxLength:"400"`
}

// blockObject names a block in the activity log: the account and address, or the address.
func blockObject(key string) store.Object {
	b := blockOf(store.ThrottleBlock{Key: key})
	label := b.Address
	if b.Email != "" {
		label = b.Email + " (" + b.Address + ")"
	}
	return store.Object{Type: "sign_in_block", Label: label}
}

func blockOf(b store.ThrottleBlock) SignInBlock {
	out := SignInBlock{ID: base64.RawURLEncoding.EncodeToString([]byte(b.Key)), Failures: b.Failures,
		LastFailure: b.LastFailure.UTC().Format(time.RFC3339), BlockedUntil: b.BlockedUntil.UTC().Format(time.RFC3339)}
	if rest, ok := strings.CutPrefix(b.Key, pairPrefix); ok {
		i := strings.LastIndex(rest, "|")
		out.Kind, out.Email, out.Address = "account", rest[:i], rest[i+1:]
	} else {
		out.Kind, out.Address = "address", strings.TrimPrefix(b.Key, addressPrefix)
	}
	return out
}

func (s *Service) blockRoutes(api huma.API) {
	tags := []string{"Admin"}
	huma.Register(api, huma.Operation{OperationID: "listSignInBlocks", Method: http.MethodGet, Path: "/admin/sign-in-blocks",
		Summary: "Sign-in blocks in force, the longest first: of an account from one address, or of an address", Tags: tags}, s.listBlocks)
	huma.Register(api, huma.Operation{OperationID: "clearSignInBlock", Method: http.MethodDelete, Path: "/admin/sign-in-blocks/{id}",
		Summary:     "Lift a sign-in block",
		Description: "Lifting an address's block also forgets which accounts it failed on; an account's failures from other addresses stay.",
		Tags:        tags, DefaultStatus: http.StatusNoContent}, s.clearBlock)
}

func (s *Service) listBlocks(ctx context.Context, in *blocksInput) (*blocksOutput, error) {
	if err := RequireAdmin(ctx); err != nil {
		return nil, err
	}
	bs, total, err := s.st.ThrottleBlocks(ctx, ActorFrom(ctx), []string{pairPrefix, addressPrefix},
		(in.Page-1)*in.PerPage, in.PerPage)
	if err != nil {
		return nil, err
	}
	out := &blocksOutput{Body: SignInBlocksPage{Items: make([]SignInBlock, 0, len(bs)), Total: total, Page: in.Page,
		PerPage: in.PerPage}}
	for _, b := range bs {
		out.Body.Items = append(out.Body.Items, blockOf(b))
	}
	return out, nil
}

func (s *Service) clearBlock(ctx context.Context, in *blockIDInput) (*struct{}, error) {
	if err := RequireAdmin(ctx); err != nil {
		return nil, err
	}
	raw, err := base64.RawURLEncoding.DecodeString(in.ID)
	key := string(raw)
	if err != nil || !(strings.HasPrefix(key, pairPrefix) || strings.HasPrefix(key, addressPrefix)) {
		return nil, apperr.NotFound()
	}
	err = s.st.Tx(ctx, func(tx *store.Tx) error {
		if ok, err := tx.ThrottleExists(ctx, key); err != nil || !ok {
			return cmp.Or(err, error(apperr.NotFound()))
		}
		if err := tx.ClearThrottle(ctx, key); err != nil {
			return err
		}
		if err := audit.Log(ctx, tx, ActorFrom(ctx), audit.BlockCleared, blockObject(key), nil); err != nil {
			return err
		}
		if ck, ok := strings.CutPrefix(key, addressPrefix); ok {
			// Otherwise the next failure would count the same accounts again and block at once.
			return tx.ClearThrottleUnblocked(ctx, pairPrefix, "|"+ck)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nil, nil
}
