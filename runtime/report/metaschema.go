package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
)

// MaxDefinitionSize is the largest dashboard body accepted, in bytes.
const MaxDefinitionSize = 1 << 20

var errRemoteRef = errors.New("the dashboard meta-schema is self-contained")

// loadMetaSchema compiles the embedded meta-schema once; it is immutable afterwards.
var loadMetaSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(string) (io.ReadCloser, error) { return nil, errRemoteRef }
	if err := c.AddResource(schemas.DashboardSchemaURL, bytes.NewReader(schemas.DashboardMetaSchema())); err != nil {
		return nil, fmt.Errorf("dashboard meta-schema: %w", err)
	}
	s, err := c.Compile(schemas.DashboardSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("dashboard meta-schema: %w", err)
	}
	return s, nil
})

// checkMeta validates a parsed dashboard against the meta-schema. Of the failures of
// alternatives (a filter is a leaf or a group) the deepest names the mistake, so a
// failure with a deeper failure below it is dropped.
func checkMeta(doc any) ([]Problem, error) {
	s, err := loadMetaSchema()
	if err != nil {
		return nil, err
	}
	verr := s.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return nil, fmt.Errorf("validate dashboard: %w", verr)
	}
	leaves := form.SchemaLeaves(ve)
	var out []Problem
	seen := map[string]bool{}
	for _, l := range leaves {
		at := l.InstanceLocation
		if seen[at] || hasDeeper(leaves, at) {
			continue
		}
		seen[at] = true
		kw := l.KeywordLocation
		if i := strings.LastIndexByte(kw, '/'); i >= 0 {
			kw = kw[i+1:]
		}
		out = append(out, Problem{Path: at, Code: kw, Message: l.Message})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func hasDeeper(leaves []*jsonschema.ValidationError, at string) bool {
	for _, l := range leaves {
		if strings.HasPrefix(l.InstanceLocation, at+"/") {
			return true
		}
	}
	return false
}

// parseJSON decodes one JSON document with numbers as json.Number, for the meta-schema.
func parseJSON(b []byte) (any, []Problem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("unexpected data after the top-level value")
		}
	}
	if err != nil {
		return nil, []Problem{{Code: "syntax", Message: fmt.Sprintf("the dashboard is not valid JSON: %s (near byte offset %d)", err.Error(), dec.InputOffset())}}
	}
	return v, nil
}
