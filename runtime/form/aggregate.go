package form

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/credolabs/credo/store"
)

// AggregateQuery groups a form's records. Filter, GroupBy fields and Measure fields name
// form fields ("channel", "amount") or record metadata (MetaCreatedAt…), exactly as a
// ListQuery does, so a dashboard's drill-down filter and its aggregate filter are one
// language.
type AggregateQuery struct {
	Filter   *store.Filter
	GroupBy  []store.GroupKey
	Measures []store.Measure
}

// Aggregate groups the records the actor may see (their row scope applied) and computes
// the measures per group; Group.Values are keyed by measure name. It needs the read
// right, and every field grouped by, filtered on or measured must be one the actor
// reads in full: a masked or hidden field is refused with a *ValidationError naming its
// path ("/group_by/0/field", "/measures/1/field", "/filter/and/0/field",
// "/measures/2/filter/field"), since counts and sums over it would reveal what the mask
// hides. A measure's Filter narrows that measure alone (store.Measure), so one query
// computes many "count where …" figures.
func (s *Service) Aggregate(ctx context.Context, a Actor, form string, q AggregateQuery) ([]store.Group, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActRead)
	if err != nil {
		return nil, err
	}
	agg, err := f.storeAggregation(m, q)
	if err != nil {
		return nil, err
	}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return nil, fmt.Errorf("aggregate %s records: %w", form, err)
	}
	if sf.known && !sf.val {
		return emptyAggregate(agg), nil
	}
	agg.Filter = store.And(agg.Filter, sf.f)
	groups, err := sc.Collection(RecordsCollection(f.key)).Aggregate(ctx, agg)
	if err != nil {
		return nil, fmt.Errorf("aggregate %s records: %w", form, err)
	}
	return groups, nil
}

// AggregateIdentity names what the actor's aggregates over form depend on besides the
// data: the form version, the view of each field and the row scope. Two actors with
// the same identity get the same aggregates, so a cache of figures may be shared by
// them. It checks the read right like Aggregate, so a cache consulted with it still
// refuses an actor who lost the right.
func (s *Service) AggregateIdentity(ctx context.Context, a Actor, form string) (string, error) {
	f, m, _, err := s.begin(ctx, a, form, ActRead)
	if err != nil {
		return "", err
	}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return "", fmt.Errorf("aggregate identity on %s: %w", form, err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", f.key, f.version)
	for i := range m.fields {
		fmt.Fprintf(h, "%s=%d\x00", m.fields[i].name, m.fields[i].view)
	}
	fmt.Fprintf(h, "scope %t %t\x00", sf.known, sf.val)
	if sf.f != nil {
		b, err := json.Marshal(sf.f)
		if err != nil {
			return "", fmt.Errorf("aggregate identity on %s: %w", form, err)
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// storeAggregation maps an AggregateQuery on form fields to a store aggregation, with
// the same field rules as a list filter (queryField) plus: a measure other than count
// needs a number field.
func (f *Form) storeAggregation(m *FieldMask, q AggregateQuery) (store.Aggregation, error) {
	var ps problems
	agg := store.Aggregation{Filter: f.mapFilter(m, q.Filter, "/filter", &ps)}
	for i, k := range q.GroupBy {
		path := f.queryField(m, k.Field, ptr(ptrIndex("/group_by", i), "field"), &ps)
		agg.GroupBy = append(agg.GroupBy, store.GroupKey{Field: path, Bucket: k.Bucket, Bounds: k.Bounds})
	}
	for i, ms := range q.Measures {
		out := store.Measure{Name: ms.Name, Op: ms.Op}
		if ms.Filter != nil {
			// Counting where a hidden field has a value would reveal it as surely as
			// grouping by it: the same rules as the query's own filter.
			out.Filter = f.mapFilter(m, ms.Filter, ptr(ptrIndex("/measures", i), "filter"), &ps)
		}
		if ms.Op != store.MeasureCount {
			at := ptr(ptrIndex("/measures", i), "field")
			out.Field = f.queryField(m, ms.Field, at, &ps)
			if fi, ok := f.fields[ms.Field]; ok && fi.typ.kind.scalar() && fi.typ.kind != kindNumber && fi.typ.kind != kindInteger {
				ps.add(at, "not_numeric", "only number and integer fields can be summed or averaged")
			}
		}
		agg.Measures = append(agg.Measures, out)
	}
	if len(ps) > 0 {
		return agg, &ValidationError{Problems: ps}
	}
	if err := agg.Validate(); err != nil {
		return agg, &ValidationError{Problems: []Problem{{Code: "invalid_aggregate", Message: err.Error()}}}
	}
	return agg, nil
}

// emptyAggregate is what the store answers when nothing matches: no groups, or with
// no group keys the one group of zero counts and sums.
func emptyAggregate(agg store.Aggregation) []store.Group {
	if len(agg.GroupBy) > 0 {
		return []store.Group{}
	}
	g := store.Group{Key: []any{}, Values: map[string]float64{}}
	for _, m := range agg.Measures {
		if m.Op == store.MeasureCount || m.Op == store.MeasureSum {
			g.Values[m.Name] = 0
		}
	}
	return []store.Group{g}
}
