package report

import (
	"strconv"
	"strings"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// A widget's parts (one per distinct measure filter or funnel stage) are asked for in
// one aggregate: each part's measures carry the part's filter as their own measure
// filter, so the store reads the widget's records once rather than once per part.

// presence names the count that says whether a filtered part has records in a group.
const presence = "#"

// combinedQuery folds the parts of w into one aggregate query over base. Measure names
// become "<part>.<name>"; each filtered part of a grouped widget also counts its
// records, so split can leave out the groups the part alone would not have had.
func (w *Widget) combinedQuery(base *store.Filter, keys []store.GroupKey) form.AggregateQuery {
	q := form.AggregateQuery{Filter: base, GroupBy: keys}
	for pi, pt := range w.parts {
		prefix := strconv.Itoa(pi) + "."
		for _, m := range pt.measures {
			q.Measures = append(q.Measures, store.Measure{Name: prefix + m.Name, Op: m.Op, Field: m.Field, Filter: pt.filter})
		}
		if pt.filter != nil && len(keys) > 0 {
			q.Measures = append(q.Measures, store.Measure{Name: prefix + presence, Op: store.MeasureCount, Filter: pt.filter})
		}
	}
	return q
}

// split turns the combined query's groups back into each part's, as a query of that
// part alone would have answered: its own measure names, and only the groups holding
// records of the part (without group keys, the one group always).
func (w *Widget) split(groups []store.Group, grouped bool) [][]store.Group {
	out := make([][]store.Group, len(w.parts))
	for pi, pt := range w.parts {
		prefix := strconv.Itoa(pi) + "."
		out[pi] = make([]store.Group, 0, len(groups))
		for _, g := range groups {
			if grouped && pt.filter != nil && g.Values[prefix+presence] == 0 {
				continue
			}
			vals := make(map[string]float64, len(pt.measures))
			for name, v := range g.Values {
				if rest, ok := strings.CutPrefix(name, prefix); ok && rest != presence {
					vals[rest] = v
				}
			}
			out[pi] = append(out[pi], store.Group{Key: g.Key, Values: vals})
		}
	}
	return out
}
