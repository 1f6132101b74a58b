// Command agesessions moves back the time every session of a running Annex last had its
// password entered, for the browser journeys: the journey of a sensitive action (a
// backup's download) must meet the "enter your password again" step, and cannot wait
// out the ten-minute window. Test tooling, beside the running server (SQLite WAL).
//
//	go run -tags nomsgpack ./app/apptest/agesessions -data DIR -by 1h
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	data := flag.String("data", "", "the server's data folder")
	by := flag.Duration("by", time.Hour, "how far back")
	flag.Parse()
	path := filepath.Join(*data, "annex.db")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(5000)")
	if err == nil {
		_, err = db.Exec(`UPDATE sessions SET auth_at = auth_at - ?`, int64(by.Seconds()))
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "agesessions:", err)
		os.Exit(1)
	}
}
