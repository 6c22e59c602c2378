package form

import (
	"strings"
)

// kind is the JSON type a schema property holds.
type kind uint8

const (
	kindDyn kind = iota // no single type: several types, or none declared
	kindString
	kindNumber
	kindInteger
	kindBool
	kindArray
	kindObject
)

// String is the JSON Schema type name.
func (k kind) String() string {
	return [...]string{"any", "string", "number", "integer", "boolean", "array", "object"}[k]
}

// scalar reports whether values of k are single values (indexable, filterable).
func (k kind) scalar() bool {
	return k == kindString || k == kindNumber || k == kindInteger || k == kindBool
}

// fieldType is what the runtime needs to know of a property's schema: its JSON type,
// item type, object properties and enum. It drives CEL typing and value normalisation.
type fieldType struct {
	kind  kind
	items *fieldType
	// props are an object's declared properties (sub-table rows).
	props map[string]*fieldType
	enum  []any
}

// maxRefHops bounds local $ref chains so a cyclic schema cannot loop.
const maxRefHops = 16

// typeOf derives the fieldType of a schema node, following local "#/…" refs into root.
func typeOf(root, node any) *fieldType {
	return typeOfDepth(root, node, 0)
}

func typeOfDepth(root, node any, depth int) *fieldType {
	m, _ := node.(map[string]any)
	if m == nil || depth > maxRefHops {
		return &fieldType{kind: kindDyn}
	}
	if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
		if target, ok := ptrGet(root, strings.TrimPrefix(ref, "#")); ok {
			return typeOfDepth(root, target, depth+1)
		}
	}
	t := &fieldType{kind: kindOfTypeKeyword(m["type"])}
	if e, ok := m["enum"].([]any); ok {
		t.enum = e
	}
	switch t.kind {
	case kindArray:
		t.items = typeOfDepth(root, m["items"], depth+1)
	case kindObject:
		if props, ok := m["properties"].(map[string]any); ok {
			t.props = make(map[string]*fieldType, len(props))
			for name, p := range props {
				t.props[name] = typeOfDepth(root, p, depth+1)
			}
		}
	}
	return t
}

// kindOfTypeKeyword reads "type": "string" or ["string", "null"] (null allowed: the
// value may be absent, which the runtime treats like a missing value).
func kindOfTypeKeyword(v any) kind {
	var names []string
	switch t := v.(type) {
	case string:
		names = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && s != "null" {
				names = append(names, s)
			}
		}
	}
	if len(names) == 2 && (names[0] == "number" && names[1] == "integer" || names[0] == "integer" && names[1] == "number") {
		return kindNumber
	}
	if len(names) != 1 {
		return kindDyn
	}
	switch names[0] {
	case "string":
		return kindString
	case "number":
		return kindNumber
	case "integer":
		return kindInteger
	case "boolean":
		return kindBool
	case "array":
		return kindArray
	case "object":
		return kindObject
	}
	return kindDyn
}
