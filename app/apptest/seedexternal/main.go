// Command seedexternal adds an external user to a running Annex's database, as an
// active member of one group, for the browser journeys: external users arrive by
// e-mail invitation in the product, and a journey about the fence should not depend on
// that path. It writes through the store, beside the running server (SQLite WAL).
//
//	go run -tags nomsgpack ./app/apptest/seedexternal -data DIR -email E -name N -password P -group ID [-age DAYS]
//
// -age makes the account that many days old, for journeys about what comes with time
// (the access review).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"annex/app/auth"
	"annex/app/config"
	"annex/store"
)

func main() {
	data := flag.String("data", "", "the server's data folder")
	email := flag.String("email", "", "the external user's address")
	name := flag.String("name", "", "their name")
	password := flag.String("password", "", "their password")
	group := flag.String("group", "", "the id of the group they are an active member of")
	age := flag.Int("age", 0, "how many days old the account is")
	flag.Parse()
	if err := run(*data, *email, *name, *password, *group, *age); err != nil {
		fmt.Fprintln(os.Stderr, "seedexternal:", err)
		os.Exit(1)
	}
}

func run(data, email, name, password, group string, age int) error {
	if data == "" || email == "" || name == "" || password == "" || group == "" {
		return fmt.Errorf("every flag is required")
	}
	ctx := context.Background()
	then := func() time.Time { return time.Now().Add(-time.Duration(age) * 24 * time.Hour) }
	st, err := store.Open(ctx, data, store.Options{Readers: 1, Now: then})
	if err != nil {
		return err
	}
	defer st.Close()
	a := config.Default().Argon2
	hash, err := auth.NewHasher(auth.Params{MemoryKiB: a.MemoryKiB, Iterations: a.Iterations, Parallelism: a.Parallelism}, 1).
		Hash(ctx, password)
	if err != nil {
		return err
	}
	u := store.User{Email: email, Name: name, Kind: store.KindExternal, Active: true, PasswordHash: hash, Locale: "en"}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return tx.PutMembership(ctx, group, u.ID, store.RoleMember, store.MemberActive)
	})
	if err != nil {
		return err
	}
	fmt.Println(u.ID)
	return nil
}
