package form

import (
	"reflect"

	"github.com/credolabs/credo/store"
)

// A sub-table is written whole (a merge patch replaces arrays), yet its reader may be
// barred from some columns. Rows carry no identity of their own, so row i of a write is
// row i of the stored record: what the writer leaves out of a column they may not see,
// or sends back exactly as they read it, keeps its stored value; anything else in a
// column they may not write is refused, and so is dropping rows unless they read and
// write every column (a dropped row would shift the hidden values onto its neighbours).

// keepColumns checks data's sub-tables against the columns the actor may not write and
// returns data with their stored values put back where the actor left them out or sent
// them as read. old is the stored record, nil on create. data is not modified.
func keepColumns(m *FieldMask, old, data map[string]any) (map[string]any, error) {
	var ps problems
	var out map[string]any
	for _, r := range m.partRows {
		name := r.name
		v, given := data[name]
		rows, ok := v.([]any)
		if !given || !ok && v != nil {
			continue // not rows: validation says so
		}
		stored, _ := old[name].([]any)
		if len(rows) < len(stored) {
			ps.add(ptr("", name), "remove_rows_forbidden",
				"rows of this table cannot be removed or reordered: some of its columns are hidden from you or read-only")
			continue
		}
		kept, changed := keepRows(r, rows, stored, ptr("", name), &ps)
		if changed {
			if out == nil {
				out = make(map[string]any, len(data))
				for k, v := range data {
					out[k] = v
				}
			}
			out[name] = kept
		}
	}
	if len(ps) > 0 {
		return nil, &ValidationError{Problems: ps}
	}
	if out == nil {
		return data, nil
	}
	return out, nil
}

// keepRows applies keepColumns to one sub-table's rows; changed tells whether a value
// was put back or dropped.
func keepRows(r *fieldRight, rows, stored []any, at string, ps *problems) ([]any, bool) {
	out := make([]any, len(rows))
	changed := false
	for i, rv := range rows {
		out[i] = rv
		row, ok := rv.(map[string]any)
		if !ok {
			continue
		}
		var was map[string]any
		if i < len(stored) {
			was, _ = stored[i].(map[string]any)
		}
		var kept map[string]any
		set := func(col string, v any, keep bool) {
			if kept == nil {
				kept = make(map[string]any, len(row)+1)
				for k, v := range row {
					kept[k] = v
				}
			}
			if keep {
				kept[col] = v
			} else {
				delete(kept, col)
			}
		}
		for _, c := range r.info.sub {
			cr := r.col(c.name)
			view, write := ViewNone, false
			if cr != nil {
				view, write = cr.view, cr.write
			}
			if write && view == ViewFull {
				continue
			}
			v, given := row[c.name]
			sv, had := was[c.name]
			asRead := had && given && view != ViewNone && sameValue(v, cr.shown(sv))
			switch {
			case !given && had:
				// Left out of a column the writer may not write or cannot read in full: untouched.
				set(c.name, sv, true)
			case asRead && view == ViewMasked:
				set(c.name, sv, true)
			case write, asRead, !given:
			case v == nil && !had:
				set(c.name, nil, false)
			case view == ViewNone:
				// A column the writer may not know of is answered like one the table lacks.
				ps.add(ptr(ptrIndex(at, i), c.name), "additionalProperties", "is not a column of this subtable")
			default:
				ps.add(ptr(ptrIndex(at, i), c.name), "forbidden", "you may not change this column")
			}
		}
		if kept != nil {
			out[i], changed = kept, true
		}
	}
	return out, changed
}

// sameValue reports whether two decoded JSON values are equal, numbers by value
// whatever their Go type (a request's json.Number, a store's float64 or int64).
func sameValue(a, b any) bool {
	if x, ok := store.Numeric(a); ok {
		y, ok := store.Numeric(b)
		return ok && x == y
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
