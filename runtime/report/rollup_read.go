package report

import (
	"context"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// fromRollup answers a widget's combined query from its rollup when that is allowed
// and possible; ok is false when the live query must run. A rollup holds tenant-wide
// figures, so only a viewer who could compute them from the records may read it: one
// with the read right, no row scope on the form, and a full view of every field the
// widget reads with these parameters. Anyone else gets the live query, with their row
// scope and field rights applied as always.
func (e *Engine) fromRollup(ctx context.Context, a form.Actor, d *Dashboard, w *Widget, p Params, base *store.Filter) (groups []store.Group, ok bool, err error) {
	if e.rollups == nil {
		return nil, false, nil
	}
	plan := d.rollups()
	bindings := plan.widgets[w.def.ID]
	if len(bindings) == 0 || !e.mayReadRollup(ctx, a, w, bindings[0], base) {
		return nil, false, nil
	}
	if err := e.rollups.ensure(ctx, a.Tenant, plan, d.Version()); err != nil {
		// The registry could not be written: the widget is answered live this time.
		e.rollups.log.Warn("ensure rollups", "tenant", a.Tenant, "dashboard", d.Key(), "error", err)
		return nil, false, nil
	}
	parts, err := d.paramFilters(w, p)
	if err != nil {
		return nil, false, err
	}
	for _, wr := range bindings {
		dims, mapped := renameFields(store.And(parts...), wr.dims)
		if !mapped {
			continue // a filter in use selects on a field this rollup does not keep
		}
		groups, ok, err = e.rollups.answer(ctx, a.Tenant, wr, dims)
		if err != nil || ok {
			return groups, ok, err
		}
	}
	return nil, false, nil
}

// mayReadRollup reports whether the actor may see tenant-wide figures of the widget: read
// right, no row scope, and every field read (base holds the parameters' filters) in full.
func (e *Engine) mayReadRollup(ctx context.Context, a form.Actor, w *Widget, wr *widgetRollup, base *store.Filter) bool {
	acc, err := e.access.Access(ctx, a, w.def.Form)
	if err != nil || !acc.Read || acc.RowScoped || a.UserID == "" {
		return false
	}
	views := make(map[string]form.View, len(acc.Fields))
	for _, f := range acc.Fields {
		views[f.Name] = f.View
	}
	for _, fields := range [][]string{wr.fields, base.Fields()} {
		for _, f := range fields {
			if views[f] != form.ViewFull {
				return false
			}
		}
	}
	return true
}

// renameFields copies f with every field replaced by its dimension; false when a field
// has none.
func renameFields(f *store.Filter, dims map[string]string) (*store.Filter, bool) {
	if f == nil {
		return nil, true
	}
	out := &store.Filter{Op: f.Op, Value: f.Value}
	for _, c := range f.And {
		k, ok := renameFields(c, dims)
		if !ok {
			return nil, false
		}
		out.And = append(out.And, k)
	}
	for _, c := range f.Or {
		k, ok := renameFields(c, dims)
		if !ok {
			return nil, false
		}
		out.Or = append(out.Or, k)
	}
	if f.Not != nil {
		k, ok := renameFields(f.Not, dims)
		if !ok {
			return nil, false
		}
		out.Not = k
	}
	if f.Field != "" {
		name, ok := dims[f.Field]
		if !ok {
			return nil, false
		}
		out.Field = name
	}
	return out, true
}
