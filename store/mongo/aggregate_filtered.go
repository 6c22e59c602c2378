package mongo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/credolabs/credo/store"
)

// hasMeasureFilters reports whether a measure of a carries a filter of its own.
func hasMeasureFilters(a store.Aggregation) bool {
	for _, m := range a.Measures {
		if m.Filter != nil {
			return true
		}
	}
	return false
}

// filteredPart is one aggregation of aggregateFiltered: the measures that share a
// measure filter, renamed m0, m1… (names of the caller's choosing may be anything).
type filteredPart struct {
	agg   store.Aggregation
	names []string // the caller's measure names, by position
}

// aggregateFiltered computes measures that carry filters of their own as one aggregation
// per distinct measure filter (the aggregation's filter and the measure's together),
// merged by group key into the groups of the unfiltered aggregation, which alone says
// which groups exist. It runs on every engine of the wire protocol, FerretDB included,
// since each part is an ordinary aggregation with its own probed formulation.
func (c *collection) aggregateFiltered(ctx context.Context, a store.Aggregation) ([]store.Group, error) {
	// The first part has no measure filter and always counts, so it names every group.
	parts := []*filteredPart{{agg: store.Aggregation{Filter: a.Filter, GroupBy: a.GroupBy,
		Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}}, names: []string{""}}}
	byFilter := map[string]*filteredPart{"null": parts[0]}
	for _, m := range a.Measures {
		fj, err := json.Marshal(m.Filter)
		if err != nil {
			return nil, fmt.Errorf("measure %s filter: %w", m.Name, err)
		}
		p, ok := byFilter[string(fj)]
		if !ok {
			p = &filteredPart{agg: store.Aggregation{Filter: store.And(a.Filter, m.Filter), GroupBy: a.GroupBy}}
			byFilter[string(fj)] = p
			parts = append(parts, p)
		}
		p.agg.Measures = append(p.agg.Measures, store.Measure{Name: "m" + strconv.Itoa(len(p.names)), Op: m.Op, Field: m.Field})
		p.names = append(p.names, m.Name)
	}
	var out []store.Group
	index := map[string]int{}
	for pi, p := range parts {
		groups, err := c.aggregate(ctx, p.agg)
		if err != nil {
			return nil, err
		}
		if pi == 0 {
			out = make([]store.Group, len(groups))
			for i, g := range groups {
				out[i] = store.Group{Key: g.Key, Values: zeroValues(a.Measures)}
				index[groupIndexKey(g.Key)] = i
			}
		}
		for _, g := range groups {
			i, ok := index[groupIndexKey(g.Key)]
			if !ok {
				continue // cannot happen: a part's documents are a subset of the first's
			}
			for j, name := range p.names {
				if name == "" {
					continue
				}
				if v, ok := g.Values["m"+strconv.Itoa(j)]; ok {
					out[i].Values[name] = v
				}
			}
		}
	}
	return out, nil
}

// zeroValues is a group's figures before any document counted: counts and sums are 0,
// averages and extremes absent.
func zeroValues(ms []store.Measure) map[string]float64 {
	vals := make(map[string]float64, len(ms))
	for _, m := range ms {
		if m.Op == store.MeasureCount || m.Op == store.MeasureSum {
			vals[m.Name] = 0
		}
	}
	return vals
}

// groupIndexKey identifies a group key; keys come normalised from groupSet.
func groupIndexKey(key []any) string {
	b, _ := json.Marshal(key)
	return string(b)
}
