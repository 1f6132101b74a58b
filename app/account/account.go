// Package account is what guards a person's account beyond signing in
// (docs/account-security.md): their own sessions and a change of e-mail address on My
// account → Security, the password reset by e-mail, and an administrator's help for
// someone else (a temporary password, ending all their sessions).
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"annex/app/apperr"
	"annex/app/auth"
	"annex/app/mail"
	"annex/app/request"
	"annex/app/settings"
	"annex/store"
)

// Lifetimes of the links mailed to a person.
const (
	ResetLinkLife       = time.Hour
	EmailChangeLinkLife = 24 * time.Hour
)

// Throttles (docs/account-security.md). Each counts requests, not failures: every
// request passes through store.RecordFailure, and the policy blocks from its free-th.
var (
	// Reset mails for one address, that is one account: the third within an hour of the
	// one before blocks the address for an hour. The key is the typed address's identity
	// key, whether or not an account has it, so the answer tells nobody which exist.
	resetAddressPolicy = store.ThrottlePolicy{Block: auth.Exponential(3, time.Hour, time.Hour), Forget: time.Hour}
	// Reset requests from one client address (IPv6: its /64), whichever addresses they name.
	resetClientPolicy = store.ThrottlePolicy{Block: auth.Exponential(10, time.Hour, time.Hour), Forget: time.Hour}
	// Tries of reset and e-mail-change links from one client address: as for invitation
	// links (PRODUCT.md §4), a few a minute.
	linkPolicy = store.ThrottlePolicy{Block: auth.Exponential(10, time.Minute, 15*time.Minute), Forget: time.Minute}
	// Changes of address one person asks for, each a mail to an address of their choice.
	emailChangePolicy = store.ThrottlePolicy{Block: auth.Exponential(5, time.Hour, time.Hour), Forget: time.Hour}
)

// Service serves the operations of this package.
type Service struct {
	st       *store.Store
	set      *settings.Service
	hasher   *auth.Hasher
	sessions *auth.Sessions
	auth     *auth.Service
}

// New returns the service.
func New(st *store.Store, set *settings.Service, h *auth.Hasher, s *auth.Sessions, a *auth.Service) *Service {
	return &Service{st: st, set: set, hasher: h, sessions: s, auth: a}
}

// Routes registers the operations.
func (s *Service) Routes(api huma.API) {
	s.sessionRoutes(api)
	s.emailRoutes(api)
	s.resetRoutes(api)
	s.adminRoutes(api)
}

// newToken returns a link's secret (256 random bits) and the hash that is stored.
func newToken() (string, []byte) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return h[:]
}

// link is the address a mail carries, built from the configured base URL only. The
// token rides in the fragment, which browsers never send, so it stays out of server
// and proxy logs (as for invitations).
func (s *Service) link(page, tok string) string {
	return strings.TrimRight(s.set.Get().BaseURL, "/") + "/" + page + "#token=" + tok
}

func (s *Service) mailDomain() string { return s.set.Get().MailDomain() }

// enqueue composes a letter from the catalogue and writes it to the outbox in tx.
func (s *Service) enqueue(ctx context.Context, tx *store.Tx, kind, to, locale, link string, params map[string]any) error {
	subject, text, html := mail.Compose(mail.Letter{Kind: kind, Locale: locale, Company: s.set.Get().CompanyName,
		Params: params, Link: link})
	return tx.EnqueueMail(ctx, &store.Mail{Kind: kind, To: to, Subject: subject, Text: text, HTML: html}, s.mailDomain())
}

// limit is one throttle key and its policy.
type limit struct {
	key    string
	policy store.ThrottlePolicy
}

// count refuses with a 429 (code, saying when to try again) while any of the keys is
// blocked, and otherwise counts the request under each, in a transaction of its own so
// that it stays counted whatever follows.
func (s *Service) count(ctx context.Context, code string, limits ...limit) error {
	return s.st.Tx(ctx, func(tx *store.Tx) error {
		keys := make([]string, len(limits))
		for i, l := range limits {
			keys[i] = l.key
		}
		until, err := tx.ThrottleBlockedUntil(ctx, keys...)
		if err != nil {
			return err
		}
		if wait := until.Sub(tx.Now()); wait > 0 {
			return apperr.TooMany(code, wait)
		}
		for _, l := range limits {
			if err := tx.RecordFailure(ctx, l.key, l.policy); err != nil {
				return err
			}
		}
		return nil
	})
}

// countLinkTry counts one try of a mailed link from the client's address.
func (s *Service) countLinkTry(ctx context.Context) error {
	return s.count(ctx, "link_tries", limit{"link:" + auth.ClientKey(request.From(ctx).ClientIP), linkPolicy})
}

// stamp is a time as the API gives it.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// mailTime is a time as a letter gives it.
func mailTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }
