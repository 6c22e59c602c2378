// Package definition checks the JSON documents that define a tenant's rule sets, flows
// and dashboards against their meta-schemas the same way: one located problem per
// place. (They are parsed with form.ParseDefinition, as strictly as forms.)
package definition

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/credolabs/credo/runtime/form"
)

// MetaSchema is a definition kind's embedded meta-schema, compiled on first use.
type MetaSchema struct {
	what string
	load func() (*jsonschema.Schema, error)
}

var errRemoteRef = errors.New("a meta-schema is self-contained")

// NewMetaSchema returns the meta-schema published at url with body; what names the
// definition kind in errors ("flow").
func NewMetaSchema(what, url string, body func() []byte) *MetaSchema {
	return &MetaSchema{what: what, load: sync.OnceValues(func() (*jsonschema.Schema, error) {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.LoadURL = func(string) (io.ReadCloser, error) { return nil, errRemoteRef }
		if err := c.AddResource(url, bytes.NewReader(body())); err != nil {
			return nil, fmt.Errorf("%s meta-schema: %w", what, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("%s meta-schema: %w", what, err)
		}
		return s, nil
	})}
}

// Load compiles the meta-schema (once); an error means the embedded schema is broken.
func (m *MetaSchema) Load() error {
	_, err := m.load()
	return err
}

// Check validates a parsed document. Of the failures of alternatives (a condition is a
// string or a group; the if/then branches of node types) the deepest names the mistake,
// so a location with a deeper failure below it is dropped: one problem per place.
func (m *MetaSchema) Check(doc any) ([]form.Problem, error) {
	s, err := m.load()
	if err != nil {
		return nil, err
	}
	verr := s.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return nil, fmt.Errorf("validate %s: %w", m.what, verr)
	}
	leaves := form.SchemaLeaves(ve)
	var out []form.Problem
	seen := map[string]bool{}
	for _, l := range leaves {
		at := l.InstanceLocation
		if seen[at] || deeper(leaves, at) {
			continue
		}
		seen[at] = true
		kw := l.KeywordLocation[strings.LastIndexByte(l.KeywordLocation, '/')+1:]
		out = append(out, form.Problem{Path: at, Code: kw, Message: l.Message})
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

// Problems collects located problems; the zero value is ready to use.
type Problems []form.Problem

// Add records a problem at path with a message made from format.
func (ps *Problems) Add(path, code, format string, args ...any) {
	*ps = append(*ps, form.Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// AddParams records a problem with parameters a client can use (a limit, the allowed values).
func (ps *Problems) AddParams(path, code string, params map[string]any, format string, args ...any) {
	*ps = append(*ps, form.Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...), Params: params})
}

// pointerEscaper escapes one JSON pointer reference token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// Pointer appends reference tokens (keys or indexes) to a JSON pointer.
func Pointer(base string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		if s, ok := t.(string); ok {
			b.WriteString(pointerEscaper.Replace(s))
		} else {
			fmt.Fprint(&b, t)
		}
	}
	return b.String()
}
