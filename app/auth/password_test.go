package auth_test

import (
	"context"
	"strings"
	"testing"

	"annex/app/apptest"
	"annex/app/auth"
	"annex/store"
)

func TestPasswordRule(t *testing.T) {
	for pw, want := range map[string]string{
		"":                             "password_too_short",
		"elevenchars":                  "password_too_short",
		"пароль-коротк":                "", // 13 runes, though more bytes
		"correct horse battery staple": "",
		strings.Repeat("x", 128) + "y": "password_too_long",
		"password1234":                 "password_common",
		"PASSWORD1234!!":               "password_common",
		"qwertyuiopasdfgh":             "", // not in the list as a whole
		"1qaz2wsx3edc":                 "password_common",
		"aaaaaaaaaaaaaaa":              "password_common",
		"abcabcabcabcabc":              "password_common",
		"monkeymonkeymonkey":           "password_common",
		"Trombone-Lantern-Quiet-41":    "",
		"ЖёлтыйТрамвайНаЗакате": "",
	} {
		if got := auth.PasswordProblem(pw, ""); got != want {
			t.Errorf("PasswordProblem(%q) = %q, want %q", pw, got, want)
		}
	}
}

// The company's name and "annex" are the first guesses: refused in any case, in
// full-width forms, with Cyrillic look-alikes, and in Cyrillic names too.
func TestPasswordMayNotContainTheCompanysName(t *testing.T) {
	for _, c := range []struct{ pw, company, want string }{
		{"myacmepassword123", "ACME", "password_has_name"},
		{"my-Acme-Corp-password", "Acme Corp", "password_has_name"},
		{"ｍｙａｃｍｅｐａｓｓｗｏｒｄ", "Acme", "password_has_name"},
		{"мой-асме-пароль-1", "ACME", "password_has_name"},              // Cyrillic а, с, м, е
		{"ромашка-навсегда-2024", "ООО «Ромашка»", "password_has_name"}, // a Cyrillic name
		{"my corp is the best one", "Acme Corp", ""},                    // a legal form alone is no guess
		{"Trombone-Lantern-Quiet-41", "Acme", ""},
		{"myANNEXpassword1", "", "password_has_name"},
		{"мойаnnехпароль1", "", "password_has_name"}, // Cyrillic а and е, х
		{"ab-ab-xy-quiet-lantern", "AB", ""},         // a name under three letters is not refused
	} {
		if got := auth.PasswordProblem(c.pw, c.company); got != c.want {
			t.Errorf("PasswordProblem(%q, %q) = %q, want %q", c.pw, c.company, got, c.want)
		}
	}
}

func TestHashAndVerify(t *testing.T) {
	ctx := context.Background()
	h := auth.NewHasher(auth.Params{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1}, 2)
	a, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Hash(ctx, "correct horse battery staple")
	if a == b {
		t.Error("two hashes of one password are equal: salt missing")
	}
	if !strings.HasPrefix(a, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Errorf("not a PHC argon2id string: %s", a)
	}
	if ok, err := h.Verify(ctx, a, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("Verify(right) = %v, %v", ok, err)
	}
	if ok, _ := h.Verify(ctx, a, "correct horse battery stapler"); ok {
		t.Error("Verify(wrong) = true")
	}
	// A hash made with other parameters still verifies: the cost is read from the hash.
	h2 := auth.NewHasher(auth.Params{MemoryKiB: 16 * 1024, Iterations: 2, Parallelism: 1}, 1)
	if ok, _ := h2.Verify(ctx, a, "correct horse battery staple"); !ok {
		t.Error("a hash made with other parameters no longer verifies")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := h.Verify(ctx, bad, "x"); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", bad)
		}
	}
}

// A password hashed with an older cost is hashed again with today's at its owner's next
// successful sign-in (and only then: a wrong password changes nothing).
func TestSignInUpgradesAnOutdatedHash(t *testing.T) {
	env := apptest.New(t)
	env.Setup()
	ctx := context.Background()
	old := auth.NewHasher(auth.Params{MemoryKiB: 16 * 1024, Iterations: 3, Parallelism: 1}, 1)
	hash, err := old.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	u := env.CreateUser("olga@example.com", pw, "employee", false)
	setHash := func(h string) {
		if err := env.Store.Tx(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, h, false, nil) }); err != nil {
			t.Fatal(err)
		}
	}
	stored := func() string {
		got, err := env.Store.UserForSignIn(ctx, "olga@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return got.PasswordHash
	}
	setHash(hash)
	if !env.Server.Hasher.Outdated(hash) {
		t.Fatal("a hash with another cost is not outdated")
	}
	env.Client().Do("POST", "/api/v1/auth/login", map[string]any{"email": "olga@example.com", "password": pw + "x"}).Must(t, 401)
	if stored() != hash {
		t.Fatal("a failed sign-in changed the hash")
	}
	env.SignIn("olga@example.com", pw)
	now := stored()
	if now == hash || env.Server.Hasher.Outdated(now) {
		t.Fatalf("the hash was not upgraded: %s", now)
	}
	env.SignIn("olga@example.com", pw)
	if stored() != now {
		t.Error("an up-to-date hash was made again")
	}
}
