package form

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// CEL type names: a form's record is credo.form.<key>, a subtable row
// credo.form.<key>.<field>, the requesting user of a row scope credo.user.
const (
	recordTypePrefix = "credo.form."
	userTypeName     = "credo.user"
)

// Limits on expressions, so one tenant's expression cannot hog the server.
const (
	// MaxExprLength is the longest CEL expression accepted, in characters.
	MaxExprLength = 4096
	// ComputeCostLimit caps the evaluation cost of one computed field or row scope.
	ComputeCostLimit = 100_000
)

// celObject is a struct type declared from a JSON Schema object.
type celObject struct {
	fields map[string]*types.FieldType
	names  []string
}

// celProvider declares a form's record types to the CEL checker and reads their fields
// from plain map[string]any values at run time. Unknown names go to the standard registry.
type celProvider struct {
	base    *types.Registry
	objects map[string]*celObject
}

func newCELProvider() (*celProvider, error) {
	base, err := types.NewRegistry()
	if err != nil {
		return nil, fmt.Errorf("cel registry: %w", err)
	}
	return &celProvider{base: base, objects: map[string]*celObject{}}, nil
}

// EnumValue implements types.Provider.
func (p *celProvider) EnumValue(name string) ref.Val { return p.base.EnumValue(name) }

// FindIdent implements types.Provider.
func (p *celProvider) FindIdent(name string) (ref.Val, bool) {
	if _, ok := p.objects[name]; ok {
		return types.NewObjectType(name), true
	}
	return p.base.FindIdent(name)
}

// FindStructType implements types.Provider.
func (p *celProvider) FindStructType(name string) (*types.Type, bool) {
	if _, ok := p.objects[name]; ok {
		return types.NewTypeTypeWithParam(types.NewObjectType(name)), true
	}
	return p.base.FindStructType(name)
}

// FindStructFieldNames implements types.Provider.
func (p *celProvider) FindStructFieldNames(name string) ([]string, bool) {
	if o, ok := p.objects[name]; ok {
		return o.names, true
	}
	return p.base.FindStructFieldNames(name)
}

// FindStructFieldType implements types.Provider.
func (p *celProvider) FindStructFieldType(name, field string) (*types.FieldType, bool) {
	if o, ok := p.objects[name]; ok {
		ft, found := o.fields[field]
		return ft, found
	}
	return p.base.FindStructFieldType(name, field)
}

// NewValue implements types.Provider; records are read, never built, by expressions.
func (p *celProvider) NewValue(name string, fields map[string]ref.Val) ref.Val {
	if _, ok := p.objects[name]; ok {
		return types.NewErr("%s values cannot be constructed in an expression", name)
	}
	return p.base.NewValue(name, fields)
}

// declare registers an object type with the given field types and returns its CEL type.
func (p *celProvider) declare(name string, fields map[string]*types.Type, zero map[string]any) *types.Type {
	o := &celObject{fields: make(map[string]*types.FieldType, len(fields))}
	for _, f := range sortedKeys(fields) {
		o.names = append(o.names, f)
		o.fields[f] = &types.FieldType{Type: fields[f], IsSet: fieldIsSet(f), GetFrom: fieldGetter(f, zero[f])}
	}
	p.objects[name] = o
	return types.NewObjectType(name)
}

// celTypeOf maps a schema type to a CEL type, declaring sub-table row types on p.
func (p *celProvider) celTypeOf(name string, t *fieldType) (*types.Type, any) {
	switch t.kind {
	case kindString:
		return types.StringType, ""
	case kindNumber:
		return types.DoubleType, float64(0)
	case kindInteger:
		return types.IntType, int64(0)
	case kindBool:
		return types.BoolType, false
	case kindArray:
		if t.items == nil {
			return types.NewListType(types.DynType), []any{}
		}
		it, _ := p.celTypeOf(name, t.items)
		return types.NewListType(it), []any{}
	case kindObject:
		if t.props == nil {
			return types.NewMapType(types.StringType, types.DynType), map[string]any{}
		}
		fts := make(map[string]*types.Type, len(t.props))
		zero := make(map[string]any, len(t.props))
		for f, ft := range t.props {
			fts[f], zero[f] = p.celTypeOf(name+"."+f, ft)
		}
		return p.declare(name, fts, zero), map[string]any{}
	}
	return types.DynType, types.NullValue
}

// declareRecord declares the record type of a form from its fields.
func (p *celProvider) declareRecord(formKey string, fields map[string]*fieldInfo) *types.Type {
	name := recordTypePrefix + formKey
	fts := make(map[string]*types.Type, len(fields))
	zero := make(map[string]any, len(fields))
	for f, fi := range fields {
		fts[f], zero[f] = p.celTypeOf(name+"."+f, fi.typ)
	}
	return p.declare(name, fts, zero)
}

// declareUser declares the type of user in row scopes: id, roles and attrs.
func (p *celProvider) declareUser() *types.Type {
	return p.declare(userTypeName, map[string]*types.Type{
		"id":    types.StringType,
		"roles": types.NewListType(types.StringType),
		"attrs": types.NewMapType(types.StringType, types.StringType),
	}, map[string]any{"id": "", "roles": []string{}, "attrs": map[string]string{}})
}

func fieldIsSet(name string) ref.FieldTester {
	return func(target any) bool {
		v, ok := lookup(target, name)
		return ok && v != nil
	}
}

// fieldGetter reads a field; an absent field reads as its type's zero value, the way
// protobuf fields do in CEL, so computed fields over optional inputs need no has().
func fieldGetter(name string, zero any) ref.FieldGetter {
	return func(target any) (any, error) {
		v, ok := lookup(target, name)
		if !ok || v == nil || v == types.NullValue {
			return zero, nil
		}
		return v, nil
	}
}

func lookup(target any, name string) (any, bool) {
	switch m := target.(type) {
	case map[string]any:
		v, ok := m[name]
		return v, ok
	case traits.Mapper:
		v, ok := m.Find(types.String(name))
		return v, ok
	}
	return nil, false
}

// newCELEnv returns the environment of a form's expressions: record, and user when
// withUser (row scopes).
func newCELEnv(p *celProvider, record *types.Type, user *types.Type) (*cel.Env, error) {
	opts := []cel.EnvOption{
		cel.CustomTypeProvider(p),
		cel.Variable("record", record),
		cel.CrossTypeNumericComparisons(true),
		cel.ParserRecursionLimit(64),
		cel.ParserExpressionSizeLimit(MaxExprLength),
		cel.EnableMacroCallTracking(),
	}
	if user != nil {
		opts = append(opts, cel.Variable("user", user))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("cel environment: %w", err)
	}
	return env, nil
}

// issueMessage words CEL issues as one sentence with positions.
func issueMessage(iss *cel.Issues) string {
	var parts []string
	for _, e := range iss.Errors() {
		parts = append(parts, fmt.Sprintf("line %d, column %d: %s", e.Location.Line(), e.Location.Column()+1, e.Message))
	}
	return strings.Join(parts, "; ")
}

var _ types.Provider = (*celProvider)(nil)
