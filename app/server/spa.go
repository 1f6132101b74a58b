package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// asset is one file of the built SPA, held in memory with its compressed form.
type asset struct {
	body  []byte
	ctype string
	etag  string

	gzOnce sync.Once
	gzBody []byte // nil when compression does not pay
}

// gz compresses the asset the first time it is asked for, so start-up stays quick and
// no request after the first pays for compression.
func (f *asset) gz() []byte {
	f.gzOnce.Do(func() {
		if !compressible(f.ctype) || len(f.body) <= 512 {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(f.body)
		_ = zw.Close()
		if buf.Len() < len(f.body)*9/10 {
			f.gzBody = buf.Bytes()
		}
	})
	return f.gzBody
}

type assets struct{ files map[string]*asset }

// loadAssets reads the SPA once; text files are compressed in memory on first use, so
// nothing compressed needs committing.
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
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(body)
		}
		sum := sha256.Sum256(body)
		a.files["/"+p] = &asset{body: body, ctype: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return a, err
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "svg") || strings.Contains(ct, "xml")
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
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if strings.HasPrefix(name, "assets/") {
		// File names carry a content hash: cache them for good.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	if c.GetHeader("If-None-Match") == f.etag {
		c.Status(http.StatusNotModified)
		return
	}
	body := f.body
	if strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
		if gz := f.gz(); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	c.Data(http.StatusOK, f.ctype, body)
}
