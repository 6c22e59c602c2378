package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/frontend"
)

// The browser app is a single-page app: index.html for every page URL, hashed files
// under assets/ for the code. Its CSP allows nothing but this origin, since the build
// has no inline scripts or styles.
const (
	frontendCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; " +
		"frame-ancestors 'none'; form-action 'self'"
	immutableCache = "public, max-age=31536000, immutable"
)

// mountFrontend serves the embedded browser app for GET and HEAD requests no route
// answered. It is mounted after the API, so /api/* keeps priority and its unknown paths
// stay JSON 404s.
func (s *Server) mountFrontend() {
	h, err := frontendHandler(frontend.Dist())
	if err != nil {
		// A broken embedded build is a packaging fault: say so and serve the hint page.
		s.log.Error("frontend build unusable", "error", err.Error())
		h, _ = frontendHandler(nil)
	}
	s.app.Use(h)
}

// uiFile is one file of the build, read once at start with its gzip form when that is smaller.
type uiFile struct {
	body, gzipped []byte
	contentType   string
	etag          string
	cacheControl  string
}

// frontendHandler serves dist; with a nil dist (a binary built without the UI) it
// answers page URLs with a page saying how to build the UI.
func frontendHandler(dist fs.FS) (fiber.Handler, error) {
	files := map[string]*uiFile{"index.html": placeholderPage()}
	if dist != nil {
		var err error
		if files, err = loadUI(dist); err != nil {
			return nil, err
		}
	}
	index := files["index.html"]
	return func(c *fiber.Ctx) error {
		p := c.Path()
		if (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) || p == "/api" || strings.HasPrefix(p, "/api/") {
			return c.Next()
		}
		name := strings.TrimPrefix(path.Clean("/"+p), "/")
		if name == "" {
			name = "index.html"
		}
		f, ok := files[name]
		if !ok {
			// A missing file (a stale asset, a typo) is a 404; any other path is a page of the app.
			if strings.HasPrefix(name, "assets/") || strings.Contains(path.Base(name), ".") {
				return c.Next()
			}
			f = index
		}
		return sendUIFile(c, f)
	}, nil
}

func sendUIFile(c *fiber.Ctx, f *uiFile) error {
	c.Set(fiber.HeaderContentType, f.contentType)
	c.Set(fiber.HeaderCacheControl, f.cacheControl)
	c.Set(fiber.HeaderETag, f.etag)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	if strings.HasPrefix(f.contentType, "text/html") {
		c.Set(fiber.HeaderContentSecurityPolicy, frontendCSP)
		c.Set(fiber.HeaderXFrameOptions, "DENY")
	}
	if f.gzipped != nil {
		c.Vary(fiber.HeaderAcceptEncoding)
	}
	if c.Get(fiber.HeaderIfNoneMatch) == f.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if f.gzipped != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gzipped)
	}
	return c.Send(f.body)
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// loadUI reads every file of the build into memory (a few hundred kilobytes), so a
// request never touches the file system and never resolves a path outside the build.
func loadUI(dist fs.FS) (map[string]*uiFile, error) {
	files := map[string]*uiFile{}
	err := fs.WalkDir(dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(dist, name)
		if err != nil {
			return err
		}
		cache := "no-cache"
		if strings.HasPrefix(name, "assets/") {
			cache = immutableCache // Vite puts a content hash in every asset name
		}
		files[name] = newUIFile(body, contentTypeOf(name, body), cache)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read frontend build: %w", err)
	}
	if files["index.html"] == nil {
		return nil, fmt.Errorf("read frontend build: no index.html")
	}
	return files, nil
}

func newUIFile(body []byte, contentType, cacheControl string) *uiFile {
	sum := sha256.Sum256(body)
	f := &uiFile{body: body, contentType: contentType, cacheControl: cacheControl,
		etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	if compressible(contentType) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
		_, _ = zw.Write(body)                                    // a bytes.Buffer does not fail
		_ = zw.Close()
		if buf.Len() < len(body) {
			f.gzipped = buf.Bytes()
		}
	}
	return f
}

func contentTypeOf(name string, body []byte) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "javascript") ||
		strings.Contains(contentType, "json") || strings.Contains(contentType, "svg")
}

// placeholderPage is what a binary built without the UI shows at its page URLs.
func placeholderPage() *uiFile {
	const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Credo</title></head>
<body>
<h1>Credo</h1>
<p>This binary was built without the browser app. The API is running: see
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<p>To include the app, build it with Node.js 20.19 or newer: run <code>make build</code>
(or <code>make frontend</code>, then <code>go build -tags embedui ./cmd/credo</code>).</p>
<p lang="zh-CN">此程序构建时未包含浏览器界面。请使用 <code>make build</code> 重新构建。</p>
</body></html>
`
	return newUIFile([]byte(page), "text/html; charset=utf-8", "no-cache")
}
