// Package auth holds passwords (argon2id), sessions, the cross-origin guard's helpers,
// sign-in throttling and the sign-in, sign-out and re-authentication handlers.
package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Password length bounds (PRODUCT.md §6): long enough to matter, short enough that
// hashing stays cheap; no composition rules.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// commonPasswords is the lower-cased list of @zxcvbn-ts/language-common (MIT,
// © Dan Wheeler, Dropbox, Inc. and zxcvbn-ts), sorted bytewise and front-coded before
// gzip, which halves what it adds to the binary: each line is a digit, how many leading
// bytes the word shares with the one before (at most 9), then the rest of the word.
//
//go:embed common-passwords.gz
var commonPasswordsGz []byte

// commonPasswords is loaded at the first check rather than at start, which keeps a
// few megabytes out of an idle server.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic(err)
	}
	set := make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(zr)
	var prev string
	for sc.Scan() {
		line := sc.Text()
		word := prev[:line[0]-'0'] + line[1:]
		set[word] = struct{}{}
		prev = word
	}
	return set
})

var fold = cases.Fold()

// PasswordProblem returns the catalogue code of what is wrong with pw, or "" if it is
// acceptable: too short, too long, a common password, or one containing "annex" or the
// company's name (the first guesses of anyone who knows where the server is). A common
// password with digits or symbols appended, or repeated, is still common.
func PasswordProblem(pw, company string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return "password_too_short"
	case n > MaxPasswordLen:
		return "password_too_long"
	case isCommon(pw):
		return "password_common"
	case containsName(pw, company):
		return "password_has_name"
	}
	return ""
}

// legalForms are words of company names too general to refuse in a password.
var legalForms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("ltd llc inc corp gmbh co plc sa ag the and of group company " +
		"ооо зао оао пао ао ип ltd компания группа") {
		m[skeleton(w)] = true
	}
	return m
}()

// containsName reports whether pw, folded, contains "annex", the company's name or one
// of its words of three letters or more (other than a legal form such as "Ltd").
func containsName(pw, company string) bool {
	p := skeleton(pw)
	words := strings.FieldsFunc(company, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, n := range append(words, "annex", company) {
		if n := skeleton(n); utf8.RuneCountInString(n) >= 3 && !legalForms[n] && strings.Contains(p, n) {
			return true
		}
	}
	return false
}

// lookAlikes maps Cyrillic letters to the Latin ones they look like, so that "аnnех"
// typed with Cyrillic а and х is still "annex".
var lookAlikes = strings.NewReplacer("а", "a", "в", "b", "е", "e", "ё", "e", "к", "k", "м", "m", "н", "h",
	"о", "o", "р", "p", "с", "c", "т", "t", "у", "y", "х", "x", "і", "i", "ј", "j", "ѕ", "s")

// skeleton is s case-folded, compatibility-normalised (full-width letters become plain),
// with look-alike Cyrillic letters made Latin and everything but letters and digits left
// out, so that "ACME", "Acme-Corp" and "ａｃｍｅ" compare alike.
func skeleton(s string) string {
	s = lookAlikes.Replace(fold.String(norm.NFKC.String(s)))
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func isCommon(pw string) bool {
	p := fold.String(pw)
	list := commonPasswords()
	if _, ok := list[p]; ok {
		return true
	}
	base := strings.TrimRightFunc(p, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if _, ok := list[base]; ok && base != "" {
		return true
	}
	// A short unit repeated ("aaaaaaaaaaaa", "abcabcabcabc", "monkeymonkey").
	r := []rune(p)
	for size := 1; size <= len(r)/2; size++ {
		if len(r)%size != 0 {
			continue
		}
		unit := string(r[:size])
		if strings.Repeat(unit, len(r)/size) == p {
			return true
		}
	}
	return false
}

// Params is the argon2id cost.
type Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

// Hasher hashes and verifies passwords, bounding how many hashes run at once so that a
// burst of sign-ins queues instead of exhausting memory.
type Hasher struct {
	p   Params
	sem chan struct{}

	// Each hash allocates its whole memory cost afresh (argon2's API has no reuse), and
	// the Go runtime keeps freed heap for a while: after a burst of sign-ins the process
	// would hold hundreds of megabytes it no longer uses. Once no hash has run for
	// settle, that memory is handed back to the system.
	mu      sync.Mutex
	running int
	settle  time.Duration
	timer   *time.Timer
}

// NewHasher returns a Hasher with the given cost and concurrency.
func NewHasher(p Params, maxConcurrent int) *Hasher {
	return &Hasher{p: p, sem: make(chan struct{}, max(maxConcurrent, 1)), settle: 100 * time.Millisecond}
}

// Params returns the hasher's cost.
func (h *Hasher) Params() Params { return h.p }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	h.mu.Lock()
	h.running++
	h.mu.Unlock()
	return nil
}

func (h *Hasher) release() {
	// The hash's memory is garbage now: collected at once, the next hash reuses it instead
	// of the heap growing to twice the size of the hashes in flight.
	runtime.GC()
	<-h.sem
	h.mu.Lock()
	defer h.mu.Unlock()
	h.running--
	if h.running > 0 {
		return
	}
	if h.timer == nil {
		h.timer = time.AfterFunc(h.settle, h.giveBack)
	} else {
		h.timer.Reset(h.settle)
	}
}

// giveBack returns the memory of finished hashes to the system, unless hashing started
// again meanwhile (the next quiet moment will do it).
func (h *Hasher) giveBack() {
	h.mu.Lock()
	idle := h.running == 0
	h.mu.Unlock()
	if idle {
		debug.FreeOSMemory()
	}
}

// Outdated reports whether a stored hash was made with another cost than the hasher's,
// so that it is worth hashing the password again at a successful sign-in.
func (h *Hasher) Outdated(phc string) bool {
	p, _, _, err := decodePHC(phc)
	return err == nil && p != h.p
}

// Dummy returns a well-formed hash with the hasher's cost that no password matches:
// verifying against it takes as long as against a real one, so an unknown account
// answers in the same time as a wrong password.
func (h *Hasher) Dummy() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.MemoryKiB, h.p.Iterations,
		h.p.Parallelism, b64.EncodeToString(make([]byte, 16)), b64.EncodeToString(make([]byte, 32)))
}

// Hash returns the PHC string of pw: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, h.p.Iterations, h.p.MemoryKiB, h.p.Parallelism, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.p.MemoryKiB, h.p.Iterations, h.p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the PHC string, using the cost stored in it.
func (h *Hasher) Verify(ctx context.Context, phc, pw string) (bool, error) {
	p, salt, want, err := decodePHC(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, p.Iterations, p.MemoryKiB, p.Parallelism, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var errBadPHC = errors.New("auth: malformed password hash")

func decodePHC(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errBadPHC
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadPHC
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return p, nil, nil, errBadPHC
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) < 16 {
		return p, nil, nil, errBadPHC
	}
	return p, salt, key, nil
}

// TemporaryPasswordLife is how long a password set by an administrator (or the
// reset-password command) stays valid unchanged (PRODUCT.md §6).
const TemporaryPasswordLife = 3 * 24 * time.Hour

// TemporaryPassword is a password an administrator hands over: 16 characters from an
// alphabet without look-alikes (about 90 bits).
func TemporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for range 16 {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String()
}
