package form

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/credolabs/credo/schemas"
)

// errRemoteRef refuses every schema load the compiler attempts: a definition is
// self-contained, and following $ref to a URL or a file would let a tenant make the
// server fetch or read things.
var errRemoteRef = errors.New("external $ref is not allowed; a form schema must be self-contained")

// newSchemaCompiler returns a draft 2020-12 compiler that asserts formats and loads nothing.
func newSchemaCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(string) (io.ReadCloser, error) { return nil, errRemoteRef }
	return c
}

// metaSchema is the compiled form meta-schema and its raw document (for messages).
type metaSchema struct {
	schema *jsonschema.Schema
	doc    any
}

// loadMetaSchema compiles the embedded meta-schema once; it is immutable afterwards.
var loadMetaSchema = sync.OnceValues(func() (*metaSchema, error) {
	url, body, err := schemas.MetaSchema(schemas.KindForm)
	if err != nil {
		return nil, err
	}
	doc, probs := parseJSON(body, MaxDefinitionDepth)
	if len(probs) > 0 {
		return nil, fmt.Errorf("form meta-schema: %s", probs[0].Message)
	}
	c := newSchemaCompiler()
	if err := c.AddResource(url, bytes.NewReader(body)); err != nil {
		return nil, fmt.Errorf("form meta-schema: %w", err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("form meta-schema: %w", err)
	}
	return &metaSchema{schema: s, doc: doc}, nil
})

// checkMeta validates a parsed definition against the meta-schema.
func checkMeta(doc any) ([]Problem, error) {
	m, err := loadMetaSchema()
	if err != nil {
		return nil, err
	}
	verr := m.schema.Validate(doc)
	if verr == nil {
		return nil, nil
	}
	x := &explainer{docs: map[string]any{schemas.FormSchemaURL: m.doc}, instance: doc}
	return x.explain(verr), nil
}
