package form

import (
	"github.com/credolabs/credo/store"
)

// storeQuery maps a ListQuery on form fields to a store query on record documents. A
// field the actor cannot read is refused exactly like a name the form does not have;
// a field read masked cannot be filtered or sorted on, since comparisons would reveal
// what the mask hides.
func (f *Form) storeQuery(m *FieldMask, lq ListQuery) (store.Query, error) {
	var ps problems
	q := store.Query{Limit: lq.Limit, Cursor: lq.Cursor}
	q.Filter = f.mapFilter(m, lq.Filter, "/filter", &ps)
	for i, s := range lq.Sort {
		path := f.queryField(m, s.Field, ptr(ptrIndex("/sort", i), "field"), &ps)
		q.Sort = append(q.Sort, store.Sort{Field: path, Desc: s.Desc})
	}
	for i, name := range lq.Fields {
		if _, ok := f.fields[name]; !ok || m.View(name) == ViewNone {
			ps.add(ptrIndex("/fields", i), "unknown_field", "is not a field of this form")
		}
	}
	if len(ps) > 0 {
		return q, &ValidationError{Problems: ps}
	}
	return q, nil
}

func (f *Form) mapFilter(m *FieldMask, in *store.Filter, at string, ps *problems) *store.Filter {
	if in == nil {
		return nil
	}
	out := &store.Filter{Op: in.Op, Value: in.Value}
	for i, c := range in.And {
		out.And = append(out.And, f.mapFilter(m, c, ptrIndex(ptr(at, "and"), i), ps))
	}
	for i, c := range in.Or {
		out.Or = append(out.Or, f.mapFilter(m, c, ptrIndex(ptr(at, "or"), i), ps))
	}
	if in.Not != nil {
		out.Not = f.mapFilter(m, in.Not, ptr(at, "not"), ps)
	}
	if in.Field != "" {
		out.Field = f.queryField(m, in.Field, ptr(at, "field"), ps)
	}
	return out
}

// queryField resolves a field or metadata name used in a filter or sort to its store path.
func (f *Form) queryField(m *FieldMask, name, at string, ps *problems) string {
	if p, ok := metaPaths[name]; ok {
		return p
	}
	fi, ok := f.fields[name]
	switch {
	case !ok || m.View(name) == ViewNone:
		ps.add(at, "unknown_field", "is not a field of this form")
	case m.View(name) == ViewMasked:
		ps.add(at, "masked_field", "cannot be filtered or sorted on: you see it masked")
	case !fi.typ.kind.scalar():
		ps.add(at, "not_filterable", "a subtable or list cannot be filtered or sorted on")
	default:
		return dataPath(name)
	}
	return name
}

// project keeps the requested fields of data (all when fields is empty).
func project(data map[string]any, fields []string) map[string]any {
	if len(fields) == 0 {
		return data
	}
	out := make(map[string]any, len(fields))
	for _, k := range fields {
		if v, ok := data[k]; ok {
			out[k] = v
		}
	}
	return out
}
