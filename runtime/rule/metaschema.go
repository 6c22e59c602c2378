package rule

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

// Size limits keep a hostile rule set from exhausting the compiler.
const (
	// MaxDefinitionSize is the largest rule set body accepted, in bytes.
	MaxDefinitionSize = 1 << 20
	// MaxDefinitionDepth is the deepest nesting of objects and arrays in a rule set.
	MaxDefinitionDepth = 48
)

var errRemoteRef = errors.New("the rule meta-schema is self-contained")

// loadMetaSchema compiles the embedded meta-schema once; it is immutable afterwards.
var loadMetaSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(string) (io.ReadCloser, error) { return nil, errRemoteRef }
	if err := c.AddResource(schemas.RuleSchemaURL, bytes.NewReader(schemas.RuleMetaSchema())); err != nil {
		return nil, fmt.Errorf("rule meta-schema: %w", err)
	}
	s, err := c.Compile(schemas.RuleSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("rule meta-schema: %w", err)
	}
	return s, nil
})

// checkMeta validates a parsed rule set against the meta-schema. Of the failures of
// alternatives (a condition is a string or a group) the deepest is the one that names
// the mistake, so a failure at a location with a deeper failure below it is dropped.
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
		return nil, fmt.Errorf("validate rule set: %w", verr)
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

// parseJSON decodes one JSON value with numbers as json.Number. Unlike json.Unmarshal it
// reports duplicate object keys (the first value would silently vanish) and stops at
// MaxDefinitionDepth.
func parseJSON(b []byte) (any, []Problem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	p := &jsonParser{dec: dec}
	v, err := p.value("", 0)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("unexpected data after the top-level value at byte offset %d", dec.InputOffset())
		}
	}
	if err != nil {
		return nil, []Problem{{Code: "syntax", Message: fmt.Sprintf("the rule set is not valid JSON: %s (near byte offset %d)", err.Error(), dec.InputOffset())}}
	}
	return v, p.problems
}

type jsonParser struct {
	dec      *json.Decoder
	problems problems
}

func (p *jsonParser) value(path string, depth int) (any, error) {
	tok, err := p.dec.Token()
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
	switch d {
	case '{':
		m := map[string]any{}
		for p.dec.More() {
			kt, err := p.dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			at := ptr(path, k)
			v, err := p.value(at, depth+1)
			if err != nil {
				return nil, err
			}
			if _, dup := m[k]; dup {
				p.problems.add(at, "duplicate_key", "appears twice in the same object")
			}
			m[k] = v
		}
		_, err := p.dec.Token()
		return m, err
	case '[':
		var a []any
		for p.dec.More() {
			v, err := p.value(ptr(path, len(a)), depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := p.dec.Token()
		if a == nil {
			a = []any{}
		}
		return a, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}
