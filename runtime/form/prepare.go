package form

import (
	"reflect"

	"github.com/credolabs/credo/runtime/audit"
)

// Prepare turns data into the record to store: it checks the limits, normalises numbers,
// computes the computed fields (whatever data says of them) and validates the result.
// It returns the record or a *ValidationError; it checks no permissions.
func (f *Form) Prepare(data map[string]any) (map[string]any, error) {
	rec, _, err := f.prepare(data, nil)
	return rec, err
}

// prepareChange is Prepare for data that is prev, a record this very form version
// stored (and so found valid), with some fields changed: on a schema whose root judges
// each property by itself (Form.local), only the properties that differ from prev are
// validated, and the required ones checked present. Any doubt or problem takes the full
// validation, which says what is wrong. It returns the record and its diff from prev
// (Form.diff), which told it what changed.
func (f *Form) prepareChange(prev, data map[string]any) (map[string]any, map[string]audit.Change, error) {
	return f.prepare(data, prev)
}

func (f *Form) prepare(data, prev map[string]any) (map[string]any, map[string]audit.Change, error) {
	var ps problems
	count := 0
	jsonValue(data, "", 0, &count, &ps)
	if len(ps) > 0 {
		return nil, nil, &ValidationError{Problems: dedupe(ps)}
	}
	rec := f.normalize(data)
	for _, c := range f.computed {
		delete(rec, c.name)
	}

	values := make(map[string]any, len(f.computed))
	var computeProblems problems
	for _, c := range f.computed {
		v, err := c.eval(rec)
		if err != nil {
			computeProblems.add(ptr("", c.name), "computed", "could not be computed: %s", err.Error())
			continue
		}
		if v != nil {
			values[c.name] = v
		}
	}
	for k, v := range values {
		rec[k] = v
	}
	// Problems in the entered data explain a failed computation better than the
	// computation's own error, so they come first.
	var diff map[string]audit.Change
	if prev != nil {
		diff = f.diff(prev, rec)
	}
	if prev == nil || !f.changesValid(diff, rec) {
		if probs, _ := f.validate(rec); len(probs) > 0 {
			return nil, nil, &ValidationError{Problems: probs}
		}
	}
	if len(computeProblems) > 0 {
		return nil, nil, &ValidationError{Problems: computeProblems}
	}
	return rec, diff, nil
}

// changesValid reports whether rec is valid, judging only the fields diff names (see
// prepareChange); false means not known to be.
func (f *Form) changesValid(diff map[string]audit.Change, rec map[string]any) bool {
	if !f.local {
		return false
	}
	for _, k := range f.schema.Required {
		if _, ok := rec[k]; !ok {
			return false
		}
	}
	for k := range rec {
		if f.fields[k] == nil { // not a field, so in no diff: validate names it
			return false
		}
	}
	count := 0
	for k := range diff {
		v, ok := rec[k]
		if !ok {
			continue // dropped: only required could object
		}
		fi, sub := f.fields[k], f.schema.Properties[k]
		if fi == nil || sub == nil || fi.subByName != nil { // a subtable's columns: validate checks them
			return false
		}
		var ps problems
		inst := jsonValue(v, ptr("", k), 1, &count, &ps)
		if len(ps) > 0 || sub.Validate(inst) != nil {
			return false
		}
	}
	return true
}

// checkWrite refuses a key the actor may not write. A field the actor may not know of
// gets exactly the answer an unknown name gets.
func checkWrite(f *Form, m *FieldMask, key string, ps *problems) {
	fi, ok := f.fields[key]
	switch {
	case !ok || !m.Known(key):
		ps.add(ptr("", key), "additionalProperties", "is not a field of this form")
	case fi.computed:
		ps.add(ptr("", key), "read_only", "is computed and cannot be written")
	case fi.decision:
		ps.add(ptr("", key), "read_only", "is set by an automated decision and cannot be written")
	case !m.CanWrite(key):
		ps.add(ptr("", key), "forbidden", "you may not change this field")
	}
}

// visibleProblems keeps the problems of fields the actor knows; the others collapse into
// one unlocated problem that names no field.
func visibleProblems(m *FieldMask, ps []Problem) []Problem {
	out := make([]Problem, 0, len(ps))
	hidden, hiddenRequired := false, false
	for _, p := range ps {
		if knowsPath(m, p.Path) {
			out = append(out, p)
			continue
		}
		hidden = true
		hiddenRequired = hiddenRequired || p.Code == "required"
	}
	switch {
	case hiddenRequired:
		out = append(out, Problem{Code: "required", Message: "a required field you cannot see has no value; ask an administrator"})
	case hidden:
		out = append(out, Problem{Code: "invalid", Message: "a field you cannot see has an invalid value; ask an administrator"})
	}
	return sortProblems(out)
}

// knowsPath reports whether the actor may know what a problem's path names: its field
// and, inside a sub-table's row, its column.
func knowsPath(m *FieldMask, path string) bool {
	ts := ptrTokens(path)
	switch {
	case len(ts) == 0:
		return true
	case len(ts) >= 3:
		if r := m.byName[ts[0]]; r != nil && r.info.sub != nil {
			return r.info.subByName[ts[2]] == nil || r.col(ts[2]) != nil
		}
	}
	return m.Known(ts[0])
}

// mergePatch applies a JSON merge patch (RFC 7396) to a copy of doc.
func mergePatch(doc, patch map[string]any) map[string]any {
	out := make(map[string]any, len(doc)+len(patch))
	for k, v := range doc {
		out[k] = v
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(out, k)
		case map[string]any:
			cur, _ := out[k].(map[string]any)
			out[k] = mergePatch(cur, pv)
		default:
			out[k] = v
		}
	}
	return out
}

// withoutNulls drops null values: on create, null means "not given".
func withoutNulls(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

// known keeps the fields the form still has: a record written under an older version
// may hold fields since removed.
func (f *Form) known(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if _, ok := f.fields[k]; ok {
			out[k] = v
		}
	}
	return out
}

// diff lists the fields whose value changed, sensitive values masked.
func (f *Form) diff(old, next map[string]any) map[string]audit.Change {
	out := map[string]audit.Change{}
	for _, name := range f.order {
		o, n := old[name], next[name]
		if reflect.DeepEqual(o, n) {
			continue
		}
		fi := f.fields[name]
		out[name] = audit.Change{From: auditValue(fi, o), To: auditValue(fi, n)}
	}
	return out
}

// auditValue is how a value is kept in the audit log: sensitive values through their
// mask, so the log itself does not become a copy of the personal data.
func auditValue(fi *fieldInfo, v any) any {
	switch {
	case v == nil:
		return nil
	case fi.sub != nil && fi.sensitive():
		return rowMasker(fi)(v)
	case fi.meta.Sensitive:
		return fi.mask(v)
	}
	return v
}
