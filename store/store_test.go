package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"annex/store"
	"annex/store/storetest"
)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	st, dir := storetest.New(t, nil)
	if n, err := st.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers = %d, %v", n, err)
	}
	st.Close()
	// Reopening applies nothing twice.
	st2, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	db, _ := sql.Open("sqlite", filepath.Join(dir, "annex.db"))
	defer db.Close()
	var n, max int
	if err := db.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != store.SchemaVersion() || max != store.SchemaVersion() {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d", n, max, store.SchemaVersion())
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	st, dir := storetest.New(t, nil)
	st.Close()
	db, _ := sql.Open("sqlite", filepath.Join(dir, "annex.db"))
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := store.Open(ctx, dir, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "newer than this Annex binary") {
		t.Fatalf("Open = %v, want a refusal naming the newer schema", err)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	boom := errors.New("boom")
	err := st.Tx(ctx, func(tx *store.Tx) error {
		u := store.User{Email: "a@example.com", Name: "A", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	if n, _ := st.CountUsers(ctx); n != 0 {
		t.Fatalf("a failed transaction left %d users", n)
	}
}

func TestEmailsAreNormalisedAndUnique(t *testing.T) {
	ctx := context.Background()
	st, _ := storetest.New(t, nil)
	create := func(email string) error {
		return st.Tx(ctx, func(tx *store.Tx) error {
			u := store.User{Email: email, Name: "A", Kind: store.KindEmployee, Active: true, PasswordHash: "x", Locale: "en"}
			return tx.CreateUser(ctx, &u)
		})
	}
	if err := create("  Анна@Example.COM "); err != nil {
		t.Fatal(err)
	}
	if err := create("анна@example.com"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate address after folding: %v, want ErrConflict", err)
	}
	u, err := st.UserForSignIn(ctx, "АННА@example.com")
	if err != nil || u.Email != "анна@example.com" {
		t.Fatalf("UserForSignIn = %+v, %v", u, err)
	}
}

func TestIDsAreOpaque(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := store.NewID()
		if len(id) != 16 || seen[id] || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
