package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// asset is one file of the built SPA, held as it is embedded: text assets arrive
// gzipped (the build stores app.js as app.js.gz), everything else as it is.
type asset struct {
	body    []byte
	gzipped bool
	ctype   string
	etag    string
}

type assets struct{ files map[string]*asset }

// loadAssets indexes the SPA under the names the browser asks for: a gzipped file is
// sent as stored to every client that accepts gzip (all browsers), so the binary holds
// each text asset once, compressed, and no request pays for compression.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name, gzipped := strings.CutSuffix(p, ".gz")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		sum := sha256.Sum256(body)
		a.files["/"+name] = &asset{body: body, gzipped: gzipped, ctype: ct, etag: hex.EncodeToString(sum[:8])}
		return nil
	})
	return a, err
}

// handle serves a file of the SPA, or index.html for any other path (history fallback).
// A missing hashed asset is a plain 404, not the page.
func (a *assets) handle(c *gin.Context) {
	p := path.Clean("/" + c.Request.URL.Path)
	if _, ok := a.files[p]; ok && p != "/index.html" {
		a.serve(c, p[1:])
		return
	}
	if strings.HasPrefix(p, "/assets/") {
		c.String(http.StatusNotFound, "not found")
		return
	}
	a.serve(c, "index.html")
}

func (a *assets) serve(c *gin.Context, name string) {
	f, ok := a.files["/"+name]
	if !ok {
		c.String(http.StatusNotFound, "The web interface is missing from this build.")
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	if strings.HasPrefix(name, "assets/") {
		// File names carry a content hash: cache them for good.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	// The two encodings of one file are two representations, each with its own tag.
	decompress := f.gzipped && !acceptsGzip(c.GetHeader("Accept-Encoding"))
	etag := `"` + f.etag + `"`
	if decompress {
		etag = `"` + f.etag + `-identity"`
	}
	h.Set("ETag", etag)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	if !f.gzipped || !decompress {
		if f.gzipped {
			h.Set("Content-Encoding", "gzip")
		}
		c.Data(http.StatusOK, f.ctype, f.body)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(f.body))
	if err != nil {
		panic(err) // the build wrote it: an unreadable one is a broken binary
	}
	c.Status(http.StatusOK)
	_, _ = io.Copy(c.Writer, zr)
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip: named (or "*")
// without q=0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.TrimSpace(coding)
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
