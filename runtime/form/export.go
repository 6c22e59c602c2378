package form

import (
	"context"
	"fmt"
	"slices"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
)

// Columns lists the fields the actor may read, in form order: the columns of an export.
func (m *FieldMask) Columns() []string {
	out := make([]string, 0, len(m.fields))
	for i := range m.fields {
		if m.fields[i].view != ViewNone {
			out = append(out, m.fields[i].name)
		}
	}
	return out
}

// exportPage is how many records an export reads per store round trip.
const exportPage = 500

// Export streams every record matching q (its Limit and Cursor are ignored) within the actor's row scope to emit, page by
// page, as the actor may see them (the same masks as any list), so memory does not grow
// with the export's size; the next page is read while this one is emitted. It needs the
// export right and is audited before the first record leaves: who, which filter, which
// columns, which sensitive fields in full.
func (s *Service) Export(ctx context.Context, a Actor, form string, q ListQuery, emit func(*Record) error) (int, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActExport)
	if err != nil {
		return 0, err
	}
	if !m.Can(ActRead) {
		return 0, fmt.Errorf("export %s records: %w", form, ErrForbidden)
	}
	q.Limit, q.Cursor = exportPage, ""
	sq, err := f.storeQuery(m, q)
	if err != nil {
		return 0, err
	}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return 0, fmt.Errorf("export %s records: %w", form, err)
	}
	e := s.entry(a, audit.ActionExport, FormObject(f.key))
	e.Detail = map[string]any{"form_version": f.version, "columns": exportColumns(m, q.Fields)}
	if names := filterNames(q.Filter); len(names) > 0 {
		e.Detail["filter_fields"] = names
	}
	if u := unmaskedOf(m, q.Fields); len(u) > 0 {
		e.Detail["unmasked"] = u
	}
	if _, err := s.log.Append(ctx, sc, e); err != nil {
		return 0, fmt.Errorf("export %s records: %w", form, err)
	}
	if sf.known && !sf.val {
		return 0, nil
	}
	sq.Filter = store.And(sq.Filter, sf.f)
	coll := sc.Collection(RecordsCollection(f.key))
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	pages := readPages(readCtx, coll, sq)
	defer func() {
		for range pages { // let the reader see the cancel and end
		}
	}()
	n := 0
	for p := range pages {
		if p.err != nil {
			return n, fmt.Errorf("export %s records: %w", form, p.err)
		}
		for _, d := range p.docs {
			r := f.recordOf(d, f.storedData(d), m)
			r.Data = project(r.Data, q.Fields)
			if err := emit(r); err != nil {
				stop()
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// exportPages is how many pages the reader of an export may be ahead of its writer.
const exportPages = 1

// exportRead is a page of an export, or why the reading stopped.
type exportRead struct {
	docs []*store.Doc
	err  error
}

// readPages reads the pages of q on a goroutine of its own, so the store's work on the
// next page overlaps the masking and writing of this one. The channel closes after the
// last page, after an error, or when ctx ends.
func readPages(ctx context.Context, coll store.Collection, q store.Query) <-chan exportRead {
	out := make(chan exportRead, exportPages)
	go func() {
		defer close(out)
		for {
			page, err := coll.Find(ctx, q)
			var r exportRead
			if err != nil {
				r.err = err
			} else {
				r.docs = page.Docs
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
			if err != nil || page.Next == "" {
				return
			}
			q.Cursor = page.Next
		}
	}()
	return out
}

// exportColumns is the projection if any, else every readable field.
func exportColumns(m *FieldMask, fields []string) []string {
	if len(fields) > 0 {
		return fields
	}
	return m.Columns()
}

func unmaskedOf(m *FieldMask, fields []string) []string {
	if len(fields) == 0 {
		return m.Unmasked()
	}
	var out []string
	for _, u := range m.unmasked {
		if slices.Contains(fields, u) {
			out = append(out, u)
		}
	}
	return out
}
