package form

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// entryOnce holds a mask's entry view, made on first use: most masks serve record reads
// and never need one.
type entryOnce struct {
	once sync.Once
	view *entryView
	err  error
}

// entryView is what an entry form needs of one form version for one reader, beyond the
// fields' rights: the schema and layout reduced to the fields they may know, and each
// sub-table's columns. It is shared by every access answer of the mask: read only.
type entryView struct {
	schema  json.RawMessage
	layout  *Layout
	columns map[string][]FieldAccess
}

// entryView returns the reader's entry view of f, the version the mask was resolved for.
func (m *FieldMask) entryView(f *Form) (*entryView, error) {
	m.entry.once.Do(func() { m.entry.view, m.entry.err = newEntryView(m, f) })
	return m.entry.view, m.entry.err
}

func newEntryView(m *FieldMask, f *Form) (*entryView, error) {
	doc, err := decodeOrdered(f.def.Schema)
	if err != nil {
		return nil, fmt.Errorf("entry view of %s: %w", f.key, err)
	}
	root, ok := doc.(*jsonObject)
	if !ok {
		return nil, fmt.Errorf("entry view of %s: the schema is not an object", f.key)
	}
	reduced := reduceSchema(root, &nameScope{known: m.Known, below: func(name string) *nameScope {
		r := m.byName[name]
		if r == nil || r.info.sub == nil || len(r.cols) == len(r.info.sub) {
			return nil
		}
		return &nameScope{known: func(col string) bool { return r.col(col) != nil }}
	}})
	var raw bytes.Buffer
	if err := writeOrdered(&raw, reduced); err != nil {
		return nil, fmt.Errorf("entry view of %s: %w", f.key, err)
	}
	ev := &entryView{schema: raw.Bytes(), layout: readableLayout(f.def.Layout, m.Known), columns: map[string][]FieldAccess{}}
	r := &schemaReducer{root: reduced}
	for i := range m.fields {
		if fr := &m.fields[i]; fr.info.sub != nil {
			ev.columns[fr.name] = columnsOf(fr, r.columnOrder(fr.name))
		}
	}
	return ev, nil
}

// columnOrder lists a sub-table's column names as its schema writes them.
func (r *schemaReducer) columnOrder(field string) []string {
	props := r.root.object("properties")
	if props == nil {
		return nil
	}
	node := r.deref(props.vals[field])
	if node == nil {
		return nil
	}
	items := r.deref(node.vals["items"])
	if items == nil {
		return nil
	}
	if cols := items.object("properties"); cols != nil {
		return cols.keys
	}
	return nil
}

// deref follows node's local references to the subschema that says what it is.
func (r *schemaReducer) deref(node any) *jsonObject {
	o, _ := node.(*jsonObject)
	for hops := 0; o != nil && hops < maxRefHops; hops++ {
		ref, ok := o.vals["$ref"].(string)
		if !ok || o.object("properties") != nil || o.vals["items"] != nil {
			return o
		}
		target, ok := r.resolve(ref)
		if !ok {
			return o
		}
		o = target
	}
	return o
}

// columnsOf describes a sub-table's columns to its reader in order (columns the schema
// does not list last, by name), each with the reader's own view and write right.
func columnsOf(fr *fieldRight, order []string) []FieldAccess {
	out := make([]FieldAccess, 0, len(fr.cols))
	seen := make(map[string]bool, len(fr.cols))
	add := func(c *fieldRight) {
		seen[c.name] = true
		meta := c.info.meta
		out = append(out, FieldAccess{Name: c.name, View: c.view, Write: c.write, Sensitive: meta.Sensitive,
			Label: meta.Label, Widget: meta.Widget, Options: meta.Options,
			Help: meta.Help, Placeholder: meta.Placeholder})
	}
	for _, name := range order {
		if c := fr.col(name); c != nil && !seen[name] {
			add(c)
		}
	}
	for i := range fr.cols {
		if c := &fr.cols[i]; !seen[c.name] {
			add(c)
		}
	}
	return out
}
