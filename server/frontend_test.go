package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var appJS = []byte(strings.Repeat("export const greeting = 'hello';\n", 200))

// newUIApp mounts the frontend handler the way routes() does: after an API route,
// before the JSON 404.
func newUIApp(t *testing.T) *fiber.App {
	t.Helper()
	dist := fstest.MapFS{
		"index.html":            {Data: []byte(`<!doctype html><html><body><div id="root"></div></body></html>`)},
		"assets/index-Ab12.js":  {Data: appJS},
		"assets/_chunk-Cd34.js": {Data: []byte("export {}")},
		"assets/index-Ef56.css": {Data: []byte("body{margin:0}")},
	}
	h, err := frontendHandler(dist)
	require.NoError(t, err)
	app := fiber.New(fiber.Config{ErrorHandler: errorHandler(slog.New(slog.DiscardHandler))})
	app.Get("/api/v1/ping", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"pong": true}) })
	app.Use(h)
	app.Use(func(c *fiber.Ctx) error { return errNotFound })
	return app
}

func get(t *testing.T, app *fiber.App, method, target string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req, -1)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	return res, body
}

func TestFrontendRoutes(t *testing.T) {
	app := newUIApp(t)
	cases := []struct {
		name, method, target string
		status               int
		contentType          string
		bodyHas              string
	}{
		{"the app at /", "GET", "/", 200, "text/html", `<div id="root">`},
		{"a page URL gets the app", "GET", "/forms/loan_application/records", 200, "text/html", `<div id="root">`},
		{"an asset", "GET", "/assets/index-Ab12.js", 200, "javascript", "greeting"},
		{"an underscore chunk", "GET", "/assets/_chunk-Cd34.js", 200, "javascript", "export {}"},
		{"a stylesheet", "GET", "/assets/index-Ef56.css", 200, "text/css", "margin:0"},
		{"a missing asset is not the app", "GET", "/assets/gone-0000.js", 404, "application/json", "not_found"},
		{"a missing file is not the app", "GET", "/favicon.ico", 404, "application/json", "not_found"},
		{"the API keeps its routes", "GET", "/api/v1/ping", 200, "application/json", "pong"},
		{"an unknown API path stays a JSON 404", "GET", "/api/v1/nope", 404, "application/json", "not_found"},
		{"/api itself is not a page", "GET", "/api", 404, "application/json", "not_found"},
		{"only GET and HEAD reach the app", "POST", "/forms", 404, "application/json", "not_found"},
		{"a dot-dot path cannot leave the build", "GET", "/assets/../../embed.go", 404, "application/json", "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, app, tc.method, tc.target, nil)
			assert.Equal(t, tc.status, res.StatusCode)
			assert.Contains(t, res.Header.Get("Content-Type"), tc.contentType)
			assert.Contains(t, string(body), tc.bodyHas)
		})
	}
}

func TestFrontendHeaders(t *testing.T) {
	app := newUIApp(t)

	t.Run("the page is revalidated and locked down", func(t *testing.T) {
		res, _ := get(t, app, "GET", "/tenants", nil)
		assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
		assert.Equal(t, frontendCSP, res.Header.Get("Content-Security-Policy"))
		assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	})
	t.Run("hashed assets are cached for good", func(t *testing.T) {
		res, _ := get(t, app, "GET", "/assets/index-Ab12.js", nil)
		assert.Equal(t, immutableCache, res.Header.Get("Cache-Control"))
		assert.Empty(t, res.Header.Get("Content-Security-Policy"))
	})
	t.Run("gzip when the browser takes it", func(t *testing.T) {
		res, body := get(t, app, "GET", "/assets/index-Ab12.js", map[string]string{"Accept-Encoding": "gzip, br"})
		require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
		assert.Less(t, len(body), len(appJS)/4)
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		plain, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, appJS, plain)
		assert.Contains(t, res.Header.Get("Vary"), "Accept-Encoding")
	})
	t.Run("plain when it does not", func(t *testing.T) {
		for _, ae := range []string{"", "br", "gzip;q=0"} {
			res, body := get(t, app, "GET", "/assets/index-Ab12.js", map[string]string{"Accept-Encoding": ae})
			assert.Empty(t, res.Header.Get("Content-Encoding"), ae)
			assert.Equal(t, appJS, body, ae)
		}
	})
	t.Run("an unchanged file is not sent again", func(t *testing.T) {
		res, _ := get(t, app, "GET", "/assets/index-Ab12.js", nil)
		etag := res.Header.Get("ETag")
		require.NotEmpty(t, etag)
		res, body := get(t, app, "GET", "/assets/index-Ab12.js", map[string]string{"If-None-Match": etag})
		assert.Equal(t, http.StatusNotModified, res.StatusCode)
		assert.Empty(t, body)
	})
	t.Run("HEAD answers headers only", func(t *testing.T) {
		res, body := get(t, app, "HEAD", "/", nil)
		assert.Equal(t, 200, res.StatusCode)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
		assert.Empty(t, body)
	})
}

func TestFrontendRefusesABuildWithoutIndex(t *testing.T) {
	_, err := frontendHandler(fstest.MapFS{"assets/a.js": {Data: []byte("x")}})
	require.ErrorContains(t, err, "no index.html")
}

// A binary built without the UI (every untagged build, as in these tests) still answers
// its page URLs, with how to build the UI, and leaves the API alone.
func TestServerWithoutUIBuild(t *testing.T) {
	app := New(Config{}, Deps{Logger: slog.New(slog.DiscardHandler)}).App()

	res, body := get(t, app, "GET", "/", nil)
	assert.Equal(t, 200, res.StatusCode)
	assert.Contains(t, string(body), "built without the browser app")
	assert.Contains(t, string(body), "make build")

	res, body = get(t, app, "GET", "/login", nil)
	assert.Equal(t, 200, res.StatusCode)
	assert.Contains(t, string(body), "built without the browser app")

	res, body = get(t, app, "GET", "/api/v1/nope", nil)
	assert.Equal(t, 404, res.StatusCode)
	var eb ErrorBody
	require.NoError(t, json.Unmarshal(body, &eb))
	assert.Equal(t, "not_found", eb.Error.Code)

	res, body = get(t, app, "GET", "/api/v1/auth/me", nil)
	assert.Equal(t, 401, res.StatusCode)
	assert.Contains(t, string(body), "unauthenticated")

	res, _ = get(t, app, "GET", "/healthz", nil)
	assert.Equal(t, 200, res.StatusCode)
}
