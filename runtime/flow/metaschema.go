package flow

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

// Size limits keep a hostile flow from exhausting the compiler.
const (
	// MaxDefinitionSize is the largest flow body accepted, in bytes.
	MaxDefinitionSize = 1 << 20
	// MaxDefinitionDepth is the deepest nesting of objects and arrays in a flow.
	MaxDefinitionDepth = 32
)

var errRemoteRef = errors.New("the flow meta-schema is self-contained")

// loadMetaSchema compiles the embedded meta-schema once; it is immutable afterwards.
var loadMetaSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(string) (io.ReadCloser, error) { return nil, errRemoteRef }
	if err := c.AddResource(schemas.FlowSchemaURL, bytes.NewReader(schemas.FlowMetaSchema())); err != nil {
		return nil, fmt.Errorf("flow meta-schema: %w", err)
	}
	s, err := c.Compile(schemas.FlowSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("flow meta-schema: %w", err)
	}
	return s, nil
})

// checkMeta validates a parsed flow against the meta-schema, one problem per location:
// of the failures of alternatives (the if/then branches of node types) the deepest
// names the mistake, so a location with a deeper failure below it is dropped.
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
		return nil, fmt.Errorf("validate flow: %w", verr)
	}
	leaves := form.SchemaLeaves(ve)
	var out []Problem
	seen := map[string]bool{}
	for _, l := range leaves {
		at := l.InstanceLocation
		if seen[at] || deeper(leaves, at) {
			continue
		}
		seen[at] = true
		kw := l.KeywordLocation[strings.LastIndexByte(l.KeywordLocation, '/')+1:]
		out = append(out, Problem{Path: at, Code: kw, Message: l.Message})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func deeper(leaves []*jsonschema.ValidationError, at string) bool {
	for _, l := range leaves {
		if strings.HasPrefix(l.InstanceLocation, at+"/") {
			return true
		}
	}
	return false
}

// parseJSON decodes one JSON value with numbers as json.Number, reporting duplicate
// object keys (json.Unmarshal would silently keep the last) and stopping at
// MaxDefinitionDepth.
func parseJSON(b []byte) (any, []Problem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var ps problems
	v, err := parseValue(dec, "", 0, &ps)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("unexpected data after the top-level value")
		}
	}
	if err != nil {
		return nil, []Problem{{Code: "syntax", Message: fmt.Sprintf("the flow is not valid JSON: %s (near byte offset %d)", err.Error(), dec.InputOffset())}}
	}
	return v, ps
}

func parseValue(dec *json.Decoder, path string, depth int, ps *problems) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, isDelim := tok.(json.Delim)
	if !isDelim {
		return tok, nil
	}
	if depth >= MaxDefinitionDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels at %q", MaxDefinitionDepth, path)
	}
	if d == '[' {
		a := []any{}
		for dec.More() {
			v, err := parseValue(dec, ptr(path, len(a)), depth+1, ps)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	m := map[string]any{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := kt.(string)
		at := ptr(path, k)
		v, err := parseValue(dec, at, depth+1, ps)
		if err != nil {
			return nil, err
		}
		if _, dup := m[k]; dup {
			ps.add(at, "duplicate_key", "appears twice in the same object")
		}
		m[k] = v
	}
	_, err = dec.Token()
	return m, err
}
