package form

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// Limits on one record, so hostile input is refused before the schema sees it.
const (
	// MaxRecordDepth is the deepest nesting of objects and arrays in a record.
	MaxRecordDepth = 8
	// MaxArrayItems is the longest array (subtable) in a record.
	MaxArrayItems = 1000
	// MaxStringLength is the longest string value, in bytes.
	MaxStringLength = 64 << 10
	// MaxRecordValues is the most values (of any kind, nested included) in a record.
	MaxRecordValues = 20000
)

// Validate checks a record's data against the form: limits, unknown fields (top level
// and subtable rows) and the JSON Schema. It returns nil or a *ValidationError with one
// problem per failing field. It does not compute fields or check permissions.
func (f *Form) Validate(data map[string]any) error {
	ps, _ := f.validate(data)
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// validate returns the problems and, when limits hold, the value in validation form.
func (f *Form) validate(data map[string]any) ([]Problem, map[string]any) {
	var ps problems
	count := 0
	inst, _ := jsonValue(data, "", 0, &count, &ps).(map[string]any)
	if len(ps) > 0 {
		return dedupe(ps), nil
	}
	f.unknownKeys(inst, &ps)
	if err := f.schema.Validate(inst); err != nil {
		x := &explainer{docs: f.docs, instance: inst, widget: f.widgetAt}
		ps = append(ps, x.explain(err)...)
	}
	return dedupe(ps), inst
}

// unknownKeys refuses keys that name no field, whatever additionalProperties says: a
// key outside the form would escape field permissions.
func (f *Form) unknownKeys(data map[string]any, ps *problems) {
	for _, k := range sortedKeys(data) {
		fi, ok := f.fields[k]
		if !ok {
			ps.add(ptr("", k), "additionalProperties", "is not a field of this form")
			continue
		}
		if fi.subByName == nil {
			continue
		}
		rows, _ := data[k].([]any)
		for i, r := range rows {
			row, _ := r.(map[string]any)
			for _, col := range sortedKeys(row) {
				if _, ok := fi.subByName[col]; !ok {
					ps.add(ptr(ptrIndex(ptr("", k), i), col), "additionalProperties", "is not a column of this subtable")
				}
			}
		}
	}
}

// widgetAt names the widget of the field an instance path points into.
func (f *Form) widgetAt(path string) string {
	ts := ptrTokens(path)
	if len(ts) == 0 {
		return ""
	}
	fi, ok := f.fields[ts[0]]
	if !ok {
		return ""
	}
	if len(ts) >= 3 && fi.subByName != nil {
		if col, ok := fi.subByName[ts[2]]; ok {
			return col.meta.Widget
		}
	}
	return fi.meta.Widget
}

// jsonValue converts a caller's value to the form the schema validator reads (numbers as
// json.Number, so multipleOf 0.01 is exact), enforcing the record limits.
func jsonValue(v any, at string, depth int, count *int, ps *problems) any {
	*count++
	if *count > MaxRecordValues {
		if *count == MaxRecordValues+1 {
			ps.addParams("", "max_size", map[string]any{"limit": MaxRecordValues}, "the record holds more than %d values", MaxRecordValues)
		}
		return nil
	}
	switch t := v.(type) {
	case nil, bool, json.Number:
		return t
	case string:
		if len(t) > MaxStringLength {
			ps.addParams(at, "max_length", map[string]any{"limit": MaxStringLength}, "is longer than %d bytes", MaxStringLength)
		} else if !utf8.ValidString(t) {
			ps.add(at, "encoding", "is not valid UTF-8 text")
		}
		return t
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			ps.add(at, "type", "must be a finite number")
			return nil
		}
		return json.Number(strconv.FormatFloat(t, 'f', -1, 64))
	case float32:
		return jsonValue(float64(t), at, depth, count, ps)
	case int:
		return json.Number(strconv.Itoa(t))
	case int32:
		return json.Number(strconv.FormatInt(int64(t), 10))
	case int64:
		return json.Number(strconv.FormatInt(t, 10))
	case []string:
		arr := make([]any, len(t))
		for i, s := range t {
			arr[i] = s
		}
		return jsonValue(arr, at, depth, count, ps)
	case []any:
		if depth >= MaxRecordDepth {
			ps.addParams(at, "max_depth", map[string]any{"limit": MaxRecordDepth}, "is nested deeper than %d levels", MaxRecordDepth)
			return nil
		}
		if len(t) > MaxArrayItems {
			ps.addParams(at, "max_items", map[string]any{"limit": MaxArrayItems}, "has more than %d entries", MaxArrayItems)
			return nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonValue(e, ptrIndex(at, i), depth+1, count, ps)
		}
		return out
	case map[string]any:
		if depth >= MaxRecordDepth {
			ps.addParams(at, "max_depth", map[string]any{"limit": MaxRecordDepth}, "is nested deeper than %d levels", MaxRecordDepth)
			return nil
		}
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = jsonValue(e, ptr(at, k), depth+1, count, ps)
		}
		return out
	}
	ps.add(at, "type", "is not a JSON value")
	return nil
}

// normalize converts data to the runtime form: numbers as float64, integers as int64,
// following the schema; it is what records store and what expressions read.
func (f *Form) normalize(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if fi, ok := f.fields[k]; ok {
			out[k] = normalizeValue(v, fi.typ)
		} else {
			out[k] = normalizeValue(v, nil)
		}
	}
	return out
}

func normalizeValue(v any, t *fieldType) any {
	k := kindDyn
	if t != nil {
		k = t.kind
	}
	switch val := v.(type) {
	case json.Number:
		if k == kindInteger {
			if i, err := val.Int64(); err == nil {
				return i
			}
		}
		if fl, err := val.Float64(); err == nil {
			return fl
		}
		return val.String()
	case float64:
		if k == kindInteger && val == math.Trunc(val) && math.Abs(val) < 1<<53 {
			return int64(val)
		}
		return val
	case int:
		return numberOfKind(int64(val), k)
	case int32:
		return numberOfKind(int64(val), k)
	case int64:
		return numberOfKind(val, k)
	case []any:
		var items *fieldType
		if t != nil {
			items = t.items
		}
		out := make([]any, len(val))
		for i, e := range val {
			out[i] = normalizeValue(e, items)
		}
		return out
	case []string:
		out := make([]any, len(val))
		for i, e := range val {
			out[i] = e
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(val))
		for pk, e := range val {
			var pt *fieldType
			if t != nil && t.props != nil {
				pt = t.props[pk]
			}
			out[pk] = normalizeValue(e, pt)
		}
		return out
	}
	return v
}

func numberOfKind(i int64, k kind) any {
	if k == kindInteger {
		return i
	}
	return float64(i)
}
