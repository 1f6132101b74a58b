// Package embed holds the built SPA (dist/, committed; rebuilt and compared by make
// test) so that go build and go install need no Node.
package embed

import (
	goembed "embed"
	"io/fs"
)

//go:embed all:dist
var dist goembed.FS

// Dist returns the built SPA's files, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}
