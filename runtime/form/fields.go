package form

import (
	"fmt"
	"sort"
)

// fieldInfo is one compiled field: its metadata, type and mask.
type fieldInfo struct {
	name     string
	meta     *Field
	typ      *fieldType
	computed bool
	// decision is set by an automated decision step, never by clients.
	decision bool
	mask     masker
	// sub are a subtable's columns, in name order; subByName indexes them.
	sub       []*fieldInfo
	subByName map[string]*fieldInfo
}

// sensitive reports whether reading the field in full is worth an audit note: the field
// or one of its subtable columns holds personal data.
func (fi *fieldInfo) sensitive() bool {
	if fi.meta.Sensitive {
		return true
	}
	for _, s := range fi.sub {
		if s.meta.Sensitive {
			return true
		}
	}
	return false
}

// Widgets the meta-schema allows.
const (
	widgetSubtable = "subtable"
	// widgetDecision shows an automated decision (score, fraud verdict) read-only.
	widgetDecision = "decision"
)

// widgetAccepts reports whether a widget can edit values of type t.
func widgetAccepts(widget string, t *fieldType) bool {
	switch widget {
	case "text", "textarea", "date", "id_number", "phone", "bank_card", "email", "region":
		return t.kind == kindString
	case "number", "money":
		return t.kind == kindNumber || t.kind == kindInteger
	case "select", "radio":
		return t.kind.scalar()
	case "checkbox":
		return t.kind == kindBool || t.kind == kindArray && t.items != nil && (t.items.kind == kindString || t.items.kind == kindInteger)
	case "tags":
		return t.kind == kindArray && t.items != nil && t.items.kind == kindString
	case "attachment":
		return t.kind == kindString || t.kind == kindArray && t.items != nil && t.items.kind == kindString
	case widgetSubtable:
		return t.kind == kindArray && t.items != nil && t.items.kind == kindObject && t.items.props != nil
	case widgetDecision:
		return t.kind == kindObject
	}
	return false
}

// checkFields matches the field metadata against the schema's properties (both ways)
// and checks each entry; it returns the compiled fields by name.
func checkFields(def *Definition, schemaRoot map[string]any, ps *problems) map[string]*fieldInfo {
	props, _ := schemaRoot["properties"].(map[string]any)
	types := make(map[string]*fieldType, len(props))
	for name, p := range props {
		types[name] = typeOf(schemaRoot, p)
	}
	return matchFields(def.Fields, types, "/fields", "/schema/properties", true, ps)
}

func matchFields(metas map[string]*Field, types map[string]*fieldType, metaPath, propPath string, top bool, ps *problems) map[string]*fieldInfo {
	out := make(map[string]*fieldInfo, len(types))
	for _, name := range sortedKeys(types) {
		if _, ok := metas[name]; !ok {
			ps.add(ptr(propPath, name), "missing_field", "has no entry in fields: every property needs a label and a widget")
		}
	}
	for _, name := range sortedKeys(metas) {
		t, ok := types[name]
		if !ok {
			ps.add(ptr(metaPath, name), "unknown_property", "names no property of the schema")
			continue
		}
		fi := checkField(name, metas[name], t, ptr(metaPath, name), ptr(propPath, name), top, ps)
		if fi != nil {
			out[name] = fi
		}
	}
	return out
}

func checkField(name string, meta *Field, t *fieldType, at, propAt string, top bool, ps *problems) *fieldInfo {
	if meta == nil {
		ps.add(at, "type", "must be an object")
		return nil
	}
	fi := &fieldInfo{name: name, meta: meta, typ: t, mask: newMasker(meta.Mask)}
	if t.kind == kindDyn {
		ps.add(propAt, "type_required", "must declare one type: string, number, integer, boolean, array or object")
		return fi
	}
	if !widgetAccepts(meta.Widget, t) {
		ps.addParams(ptr(at, "widget"), "widget_type", map[string]any{"widget": meta.Widget, "type": t.kind.String()},
			"a %s widget cannot edit a property of type %s", meta.Widget, describeType(t))
	}
	if meta.Mask != nil && t.kind == kindArray && meta.Widget == widgetSubtable {
		ps.add(ptr(at, "mask"), "mask_scalar_only", "a subtable has no mask of its own; set masks on its columns")
	}
	if meta.Indexed && !t.kind.scalar() {
		ps.add(ptr(at, "indexed"), "index_scalar_only", "only text, number, integer and boolean fields can be indexed")
	} else if meta.Indexed && !top {
		ps.add(ptr(at, "indexed"), "index_top_level_only", "subtable columns cannot be indexed")
	}
	checkOptions(meta, t, at, ps)
	switch {
	case meta.Widget == widgetSubtable && !top:
		ps.add(ptr(at, "widget"), "nested_subtable", "a subtable cannot contain another subtable")
	case meta.Widget == widgetSubtable && t.kind == kindArray && t.items != nil && t.items.props != nil:
		if meta.Fields == nil {
			ps.add(at, "missing_fields", "a subtable needs the metadata of its columns in fields")
			break
		}
		fi.subByName = matchFields(meta.Fields, t.items.props, ptr(at, "fields"), ptr(propAt, "items", "properties"), false, ps)
		for _, n := range sortedKeys(fi.subByName) {
			fi.sub = append(fi.sub, fi.subByName[n])
		}
	case meta.Fields != nil:
		ps.add(ptr(at, "fields"), "unexpected_fields", "only a subtable has column metadata")
	}
	return fi
}

func checkOptions(meta *Field, t *fieldType, at string, ps *problems) {
	if meta.Options == nil {
		return
	}
	switch meta.Widget {
	case "select", "radio", "checkbox":
	default:
		ps.add(ptr(at, "options"), "options_widget", "only select, radio and checkbox fields have options")
		return
	}
	enum := t.enum
	if t.kind == kindArray && t.items != nil {
		enum = t.items.enum
	}
	if enum == nil {
		return
	}
	want := map[string]bool{}
	for _, v := range enum {
		want[fmt.Sprint(number(v))] = true
	}
	got := map[string]bool{}
	for _, o := range meta.Options {
		got[fmt.Sprint(number(o.Value))] = true
	}
	same := len(want) == len(got)
	for k := range got {
		same = same && want[k]
	}
	if !same {
		ps.add(ptr(at, "options"), "options_enum", "option values must be exactly the values the schema's enum allows")
	}
}

func describeType(t *fieldType) string {
	if t.kind == kindArray && t.items != nil {
		return "array of " + t.items.kind.String()
	}
	return t.kind.String()
}

// checkLayout checks that sections name existing fields, each at most once.
func checkLayout(def *Definition, fields map[string]*Field, ps *problems) {
	if def.Layout == nil {
		return
	}
	seenField := map[string]string{}
	seenSection := map[string]bool{}
	for i, s := range def.Layout.Sections {
		at := ptrIndex("/layout/sections", i)
		if seenSection[s.Key] {
			ps.add(ptr(at, "key"), "duplicate_section", "another section already uses the key %q", s.Key)
		}
		seenSection[s.Key] = true
		for j, f := range s.Fields {
			fat := ptrIndex(ptr(at, "fields"), j)
			if _, ok := fields[f]; !ok {
				ps.add(fat, "unknown_field", "names no field of the form")
				continue
			}
			if prev, dup := seenField[f]; dup {
				ps.add(fat, "duplicate_field", "the field %q is already placed at %s", f, prev)
				continue
			}
			seenField[f] = fat
		}
	}
}

// checkRequired checks that the schema's required names are properties: a required
// name nobody can fill would make every record invalid.
func checkRequired(schemaRoot map[string]any, ps *problems) {
	req, _ := schemaRoot["required"].([]any)
	props, _ := schemaRoot["properties"].(map[string]any)
	for i, r := range req {
		name, _ := r.(string)
		if _, ok := props[name]; !ok {
			ps.add(ptrIndex("/schema/required", i), "unknown_field", "names no property of the schema")
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
