package report

import (
	"encoding/json"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// valueKind is what a dashboard may do with a field.
type valueKind uint8

const (
	kindNone   valueKind = iota // unknown, or not a single value (subtable, object)
	kindText                    // grouped by value, filtered
	kindNumber                  // measured, range-bucketed
	kindBool                    // grouped by value, filtered
	kindDate                    // a date or date-time string: day/week/month buckets, time ranges
	kindStamp                   // record timestamps (_created_at, _updated_at)
)

// metaKinds are the record metadata a dashboard may group by or filter on.
var metaKinds = map[string]valueKind{
	form.MetaCreatedAt: kindStamp, form.MetaUpdatedAt: kindStamp,
	form.MetaCreatedBy: kindText, form.MetaUpdatedBy: kindText,
}

// formInfo is a compiled form seen by the dashboard compiler and renderer.
type formInfo struct {
	f *form.Form
	// dates are the string fields holding dates or date-times (format or date widget).
	dates map[string]bool
}

func newFormInfo(f *form.Form) *formInfo {
	fi := &formInfo{f: f, dates: map[string]bool{}}
	def := f.Definition()
	var schema struct {
		Properties map[string]struct {
			Format string `json:"format"`
		} `json:"properties"`
	}
	_ = json.Unmarshal(def.Schema, &schema) // the form compiled, so its schema is JSON
	for name, p := range schema.Properties {
		if p.Format == "date" || p.Format == "date-time" {
			fi.dates[name] = true
		}
	}
	for name, meta := range def.Fields {
		if meta != nil && meta.Widget == "date" {
			fi.dates[name] = true
		}
	}
	return fi
}

// kind is what the field holds.
func (fi *formInfo) kind(name string) valueKind {
	if k, ok := metaKinds[name]; ok {
		return k
	}
	t, ok := fi.f.ValueType(name)
	if !ok {
		return kindNone
	}
	switch t.Kind {
	case "string":
		if fi.dates[name] {
			return kindDate
		}
		return kindText
	case "number", "integer":
		return kindNumber
	case "boolean":
		return kindBool
	}
	return kindNone
}

// has reports whether the form has the field (or it is usable metadata).
func (fi *formInfo) has(name string) bool { return fi.kind(name) != kindNone }

// fieldLabel is the field's label in locale, falling back to its name.
func (fi *formInfo) fieldLabel(name, locale string) string {
	if meta, ok := fi.f.Definition().Fields[name]; ok && meta != nil {
		if s := pick(meta.Label, locale); s != "" {
			return s
		}
	}
	return name
}

// optionLabel is the label of an option value of a select/radio field, "" when none.
func (fi *formInfo) optionLabel(name string, v any, locale string) string {
	meta, ok := fi.f.Definition().Fields[name]
	if !ok || meta == nil {
		return ""
	}
	for _, o := range meta.Options {
		if sameValue(o.Value, v) {
			return pick(o.Label, locale)
		}
	}
	return ""
}

// optionRank orders values of a field with options in option order; others after.
func (fi *formInfo) optionRank(name string, v any) int {
	meta, ok := fi.f.Definition().Fields[name]
	if !ok || meta == nil {
		return -1
	}
	for i, o := range meta.Options {
		if sameValue(o.Value, v) {
			return i
		}
	}
	return -1
}

// sameValue compares a definition value (json.Number) with a store value (float64).
func sameValue(a, b any) bool {
	fa, aNum := store.Numeric(a)
	fb, bNum := store.Numeric(b)
	if aNum || bNum {
		return aNum && bNum && fa == fb
	}
	return a == b
}

// pick is the text for locale: the locale, else zh-CN, en, then any.
func pick(l Localized, locale string) string {
	if len(l) == 0 {
		return ""
	}
	if s, ok := l[locale]; ok {
		return s
	}
	for _, k := range []string{"zh-CN", "en"} {
		if s, ok := l[k]; ok {
			return s
		}
	}
	for _, k := range sortedKeys(l) {
		return l[k]
	}
	return ""
}
