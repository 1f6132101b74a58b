//go:build pprof

package main

// Built only with -tags pprof (never in a release): the Go profiler on 127.0.0.1:6060,
// for profiling the server under the load of bench/.

import (
	"net/http"
	_ "net/http/pprof"
)

func init() {
	go func() { _ = http.ListenAndServe("127.0.0.1:6060", nil) }()
}
