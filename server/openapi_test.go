package server_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPICoversEveryRoute fails when a route is added without documenting it.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newTestEnv(t)
	res := e.anon().do("GET", "/api/v1/openapi.json", nil).must(200)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(res.raw, &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	param := regexp.MustCompile(`:([a-z_]+)`)
	documented := 0
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Path == "/" || strings.HasSuffix(r.Path, "*") || r.Path == "" {
			continue
		}
		path := strings.TrimSuffix(param.ReplaceAllString(r.Path, "{$1}"), "/")
		ops, ok := doc.Paths[path]
		if assert.True(t, ok, "route %s %s is not in openapi.json", r.Method, path) {
			_, ok = ops[strings.ToLower(r.Method)]
			assert.True(t, ok, "route %s %s is not in openapi.json", r.Method, path)
			documented++
		}
	}
	assert.Greater(t, documented, 30)
}

// TestOpenAPIIsValid checks the document against the OpenAPI 3.1 schema, so a client
// generator or a viewer can read it.
func TestOpenAPIIsValid(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	schema, err := os.ReadFile("testdata/oas-3.1-schema.json")
	require.NoError(t, err)
	require.NoError(t, c.AddResource("oas.json", bytes.NewReader(schema)))
	sch, err := c.Compile("oas.json")
	require.NoError(t, err)
	doc, err := os.ReadFile("openapi.json")
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(doc, &v))
	assert.NoError(t, sch.Validate(v))
}
