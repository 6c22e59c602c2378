package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"cel.dev/cel-go/cel"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Form is a compiled, immutable form definition: what validates is what runs.
type Form struct {
	key      string
	version  int
	def      *Definition
	body     []byte
	schema   *jsonschema.Schema
	docs     map[string]any // raw schema by URL, for messages
	fields   map[string]*fieldInfo
	order    []string
	computed []*computedField
	// decisions run on create, in order: score, then fraud.
	decisions []decisionStep
	// local says the schema's root judges each property on its own (propertyLocal), so
	// a change to a valid record need only have its changed properties validated.
	local    bool
	env      *cel.Env // record only: computed fields
	scopeEnv *cel.Env // record and user: row scopes
}

// Compile decodes a definition strictly, validates it against the meta-schema, compiles
// its JSON Schema, checks the field metadata against the schema's properties and
// type-checks the computed expressions. Every problem found is returned in one
// *DefinitionError, each located by a JSON pointer into def.
func Compile(def []byte) (*Form, error) {
	var ps problems
	if len(def) > MaxDefinitionSize {
		ps.addParams("", "max_size", map[string]any{"limit": MaxDefinitionSize}, "the definition is larger than %d bytes", MaxDefinitionSize)
		return nil, &DefinitionError{Problems: ps}
	}
	doc, parseProblems := parseJSON(def, MaxDefinitionDepth)
	ps = append(ps, parseProblems...)
	if doc == nil {
		return nil, &DefinitionError{Problems: ps}
	}
	metaProblems, err := checkMeta(doc)
	if err != nil {
		return nil, fmt.Errorf("compile form: %w", err)
	}
	ps = append(ps, metaProblems...)
	if len(ps) > 0 {
		return nil, &DefinitionError{Problems: sortProblems(ps)}
	}
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(def))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		ps.add("", "decode", "the definition does not decode: %s", err.Error())
		return nil, &DefinitionError{Problems: ps}
	}
	schemaRoot, _ := doc.(map[string]any)["schema"].(map[string]any)
	f := &Form{key: d.Key, def: &d, body: append([]byte(nil), def...)}
	f.schema, f.docs = compileSchema(d.Key, d.Schema, schemaRoot, &ps)
	checkRequired(schemaRoot, &ps)
	f.fields = checkFields(&d, schemaRoot, &ps)
	checkLayout(&d, d.Fields, &ps)
	f.decisions = checkDecisions(&d, f.fields, &ps)
	if err := f.compileExpressions(&ps); err != nil {
		return nil, fmt.Errorf("compile form %s: %w", d.Key, err)
	}
	if len(ps) > 0 {
		return nil, &DefinitionError{Problems: sortProblems(ps)}
	}
	f.order = fieldOrder(&d, f.fields)
	f.local = propertyLocal(f.schema)
	return f, nil
}

// propertyLocal reports whether s, a record schema's root, holds only keywords that judge
// each property by itself (its type, the properties' schemas, which are required, no
// others): nothing that relates one field to another (if/then, dependentRequired, allOf,
// a $ref whose target could…).
func propertyLocal(s *jsonschema.Schema) bool {
	if s == nil || !slices.Equal(s.Types, []string{"object"}) {
		return false
	}
	if extra, ok := s.AdditionalProperties.(bool); s.AdditionalProperties != nil && (!ok || extra) {
		return false
	}
	return s.Always == nil && s.Ref == nil && s.RecursiveRef == nil && s.DynamicRef == nil &&
		s.Constant == nil && s.Enum == nil && s.Not == nil && s.AllOf == nil && s.AnyOf == nil &&
		s.OneOf == nil && s.If == nil && s.MinProperties == -1 && s.MaxProperties == -1 &&
		s.PropertyNames == nil && s.PatternProperties == nil && s.Dependencies == nil &&
		s.DependentRequired == nil && s.DependentSchemas == nil && s.UnevaluatedProperties == nil &&
		s.Format == "" && len(s.Extensions) == 0
}

func (f *Form) compileExpressions(ps *problems) error {
	p, err := newCELProvider()
	if err != nil {
		return err
	}
	record := p.declareRecord(f.key, f.fields)
	user := p.declareUser()
	if f.env, err = newCELEnv(p, record, nil); err != nil {
		return err
	}
	if f.scopeEnv, err = newCELEnv(p, record, user); err != nil {
		return err
	}
	f.computed = compileComputed(f.def, f.fields, f.env, ps)
	for _, c := range f.computed {
		f.fields[c.name].computed = true
	}
	return nil
}

// compileSchema compiles the record schema. Bad patterns and external references are
// located precisely first; the compiler's own complaints come after.
func compileSchema(key string, raw json.RawMessage, root map[string]any, ps *problems) (*jsonschema.Schema, map[string]any) {
	before := len(*ps)
	checkSchemaWalk(root, "/schema", ps)
	if len(*ps) > before {
		return nil, nil
	}
	url := "https://credo.dev/forms/" + key + ".schema.json"
	c := newSchemaCompiler()
	if err := c.AddResource(url, bytes.NewReader(raw)); err != nil {
		ps.add("/schema", "schema", "the schema does not load: %s", err.Error())
		return nil, nil
	}
	s, err := c.Compile(url)
	if err != nil {
		schemaCompileProblems(err, ps)
		return nil, nil
	}
	docs := map[string]any{url: root}
	if loc, _, _ := strings.Cut(s.Location, "#"); loc != url {
		docs[loc] = root // the schema set its own $id
	}
	return s, docs
}

func schemaCompileProblems(err error, ps *problems) {
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		leaves := SchemaLeaves(ve)
		seen := map[string]bool{}
		for _, l := range leaves {
			at := "/schema" + cleanPointer(l.InstanceLocation)
			if seen[at] {
				continue // alternatives of one anyOf: the first names the usual mistake
			}
			seen[at] = true
			ps.add(at, lastToken(l.KeywordLocation), "does not follow JSON Schema 2020-12: %s", l.Message)
		}
		return
	}
	msg := strings.TrimPrefix(err.Error(), "jsonschema: ")
	ps.add("/schema", "schema", "the schema does not compile: %s", msg)
}

// valueKeywords hold data, not subschemas, so the walk does not look inside them.
var valueKeywords = map[string]bool{"const": true, "enum": true, "default": true, "examples": true}

// checkSchemaWalk reports patterns Go cannot compile and any $ref outside the document.
func checkSchemaWalk(node any, at string, ps *problems) {
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			v := n[k]
			child := ptr(at, k)
			switch {
			case valueKeywords[k]:
				continue
			case k == "pattern":
				if s, ok := v.(string); ok {
					if _, err := regexp.Compile(s); err != nil {
						ps.add(child, "pattern_syntax", "is not a regular expression this server understands: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
					}
					continue
				}
			case k == "patternProperties":
				if m, ok := v.(map[string]any); ok {
					for _, pat := range sortedKeys(m) {
						if _, err := regexp.Compile(pat); err != nil {
							ps.add(ptr(child, pat), "pattern_syntax", "is not a regular expression this server understands")
						}
					}
				}
			case k == "$ref" || k == "$dynamicRef":
				if s, ok := v.(string); ok && !strings.HasPrefix(s, "#") {
					ps.add(child, "ref_external", "must point inside this schema (start with #); external references are not allowed")
				}
				continue
			}
			checkSchemaWalk(v, child, ps)
		}
	case []any:
		for i, v := range n {
			checkSchemaWalk(v, ptrIndex(at, i), ps)
		}
	}
}

func sortProblems(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
	return ps
}

// fieldOrder is the layout's order, then the fields no section places, by name.
func fieldOrder(d *Definition, fields map[string]*fieldInfo) []string {
	var out []string
	seen := map[string]bool{}
	if d.Layout != nil {
		for _, s := range d.Layout.Sections {
			for _, name := range s.Fields {
				if _, ok := fields[name]; ok && !seen[name] {
					out = append(out, name)
					seen[name] = true
				}
			}
		}
	}
	for _, name := range sortedKeys(fields) {
		if !seen[name] {
			out = append(out, name)
		}
	}
	return out
}

// Key is the form's key.
func (f *Form) Key() string { return f.key }

// Version is the published version this form was loaded as; 0 for a form compiled
// from a draft.
func (f *Form) Version() int { return f.version }

// AtVersion returns a copy of f stamped as published version n. The compiled parts are
// shared: they are immutable.
func (f *Form) AtVersion(n int) *Form {
	c := *f
	c.version = n
	return &c
}

// Definition returns the decoded definition; callers must not modify it.
func (f *Form) Definition() *Definition { return f.def }

// Body returns a copy of the definition JSON the form was compiled from.
func (f *Form) Body() []byte { return append([]byte(nil), f.body...) }

// Fields lists the form's fields in layout order.
func (f *Form) Fields() []string { return append([]string(nil), f.order...) }

// IndexedFields lists the fields marked indexed, by name.
func (f *Form) IndexedFields() []string {
	var out []string
	for _, name := range sortedKeys(f.fields) {
		if f.fields[name].meta.Indexed {
			out = append(out, name)
		}
	}
	return out
}

// Computed reports whether a field is computed (clients may not write it).
func (f *Form) Computed(field string) bool {
	fi, ok := f.fields[field]
	return ok && fi.computed
}

// SchemaLeaves returns the innermost causes of a JSON Schema validation error: the
// failures a person can act on, each at its own location.
func SchemaLeaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, SchemaLeaves(c)...)
	}
	return out
}
