package store_test

import (
	"testing"

	"annex/store"
)

// The identity key merges the forms of one address that look alike, and never two
// mailboxes: docs/people.md, "E-mail addresses".
func TestEmailKey(t *testing.T) {
	same := [][2]string{
		{" Anna@Example.COM ", "anna@example.com"},
		{"ＡＤＭＩＮ@acme.test", "admin@acme.test"}, // full-width letters
		{"admin@ＡＣＭＥ.test", "admin@acme.test"},
		{"ﬁnance@acme.test", "finance@acme.test"},       // a ligature
		{"ſam@acme.test", "sam@acme.test"},              // the long s looks like f or s: one identity
		{"anna@xn--strae-oqa.test", "anna@straße.test"}, // an IDNA domain in either spelling
		{"anna@STRAßE.test", "anna@straße.test"},        // upper-case domain, ß kept
		{"ivan@ПРИМЕР.рф", "ivan@пример.рф"},
	}
	for _, p := range same {
		if a, b := store.EmailKey(p[0]), store.EmailKey(p[1]); a != b {
			t.Errorf("%q and %q are one address, but their keys are %q and %q", p[0], p[1], a, b)
		}
	}
	different := [][2]string{
		{"anna@straße.test", "anna@strasse.test"}, // two domains
		{"straße@acme.test", "strasse@acme.test"}, // two mailboxes: ß is not folded to ss
		{"anna@acme.test", "anna@acme.test.ru"},
	}
	for _, p := range different {
		if a, b := store.EmailKey(p[0]), store.EmailKey(p[1]); a == b {
			t.Errorf("%q and %q are different mailboxes, but share the key %q", p[0], p[1], a)
		}
	}
	// The key is stable: a key is its own key.
	for _, p := range append(same, different...) {
		for _, s := range p {
			if k := store.EmailKey(s); store.EmailKey(k) != k {
				t.Errorf("EmailKey(%q) = %q, whose own key is %q", s, k, store.EmailKey(k))
			}
		}
	}
	if got := store.EmailKey("anna@straße.test"); got != "anna@straße.test" {
		t.Errorf("the key is for reading too: %q", got)
	}
}
