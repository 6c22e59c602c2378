package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testInvalid: malformed names, fields, values and documents are store.ErrInvalid and
// change nothing.
func testInvalid(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.scope(t)
	good := s.Collection("records:loan")
	existing := &store.Doc{Data: map[string]any{"name": "kept"}}
	require.NoError(t, good.Insert(ctx, existing))
	count := func() int64 {
		t.Helper()
		n, err := good.Count(ctx, nil)
		require.NoError(t, err)
		return n
	}
	before := count()

	t.Run("invalid collection names fail every method", func(t *testing.T) {
		for _, name := range []string{"", "Records", "records:", ":x", "1records", "re-cords", "a:b:c", "records:Loan", "records loan", "_records"} {
			c := s.Collection(name)
			ops := map[string]error{
				"insert":       c.Insert(ctx, &store.Doc{Data: map[string]any{"a": 1}}),
				"update":       c.Update(ctx, &store.Doc{ID: existing.ID, Version: 1}),
				"delete":       c.Delete(ctx, existing.ID, 0),
				"ensure index": c.EnsureIndex(ctx, store.Index{Name: "by_a", Fields: []string{"a"}}),
			}
			_, ops["get"] = c.Get(ctx, existing.ID)
			_, ops["find"] = c.Find(ctx, store.Query{})
			_, ops["count"] = c.Count(ctx, nil)
			_, ops["aggregate"] = c.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
			for op, err := range ops {
				assert.ErrorIs(t, err, store.ErrInvalid, "%s on collection %q", op, name)
			}
		}
	})

	badFilters := map[string]*store.Filter{
		"uppercase field":          store.Eq("Name", "x"),
		"empty segment":            store.Eq("a..b", "x"),
		"operator-like field":      store.Eq("$where", "x"),
		"unknown metadata":         store.Eq("_secret", "x"),
		"space in field":           store.Eq("a b", "x"),
		"unknown operator":         {Field: "name", Op: "regex", Value: "x"},
		"list for eq":              {Field: "name", Op: store.OpEq, Value: []any{"x"}},
		"scalar for in":            {Field: "name", Op: store.OpIn, Value: "x"},
		"object in list":           {Field: "name", Op: store.OpIn, Value: []any{map[string]any{}}},
		"number for contains":      {Field: "name", Op: store.OpContains, Value: 3},
		"string for exists":        {Field: "name", Op: store.OpExists, Value: "yes"},
		"nil value":                {Field: "name", Op: store.OpEq},
		"leaf and branch together": {Field: "name", Op: store.OpEq, Value: "x", Not: store.Eq("a", "b")},
		"empty node":               {},
		"bad field deep in a tree": store.And(store.Eq("name", "x"), store.Or(store.Eq("ok", 1), store.Not(store.Eq("Bad", 1)))),
	}

	t.Run("invalid filters in find count and aggregate", func(t *testing.T) {
		for name, f := range badFilters {
			_, err := good.Find(ctx, store.Query{Filter: f})
			assert.ErrorIs(t, err, store.ErrInvalid, "find: %s", name)
			_, err = good.Count(ctx, f)
			assert.ErrorIs(t, err, store.ErrInvalid, "count: %s", name)
			_, err = good.Aggregate(ctx, store.Aggregation{Filter: f, Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
			assert.ErrorIs(t, err, store.ErrInvalid, "aggregate: %s", name)
		}
	})

	t.Run("invalid queries", func(t *testing.T) {
		for name, q := range map[string]store.Query{
			"sort field":       {Sort: []store.Sort{{Field: "Bad"}}},
			"five sorts":       {Sort: []store.Sort{{Field: "a"}, {Field: "b"}, {Field: "c"}, {Field: "d"}, {Field: "e"}}},
			"negative limit":   {Limit: -1},
			"projection field": {Fields: []string{"ok", "$bad"}},
			"garbage cursor":   {Cursor: "!!not-a-cursor!!"},
			"foreign cursor":   {Cursor: "eyJ2IjpbXSwiaSI6IngifQ", Sort: []store.Sort{{Field: "name"}}},
		} {
			_, err := good.Find(ctx, q)
			assert.ErrorIs(t, err, store.ErrInvalid, name)
		}
	})

	t.Run("invalid aggregations", func(t *testing.T) {
		count := store.Measure{Name: "n", Op: store.MeasureCount}
		for name, a := range map[string]store.Aggregation{
			"no measures":           {},
			"unknown measure":       {Measures: []store.Measure{{Name: "m", Op: "median", Field: "a"}}},
			"measure without field": {Measures: []store.Measure{{Name: "s", Op: store.MeasureSum}}},
			"duplicate names":       {Measures: []store.Measure{count, count}},
			"unnamed measure":       {Measures: []store.Measure{{Op: store.MeasureCount}}},
			"bad measure filter":    {Measures: []store.Measure{{Name: "n", Op: store.MeasureCount, Filter: store.Eq("Bad", 1)}}},
			"too many measures":     {Measures: manyMeasures(store.MaxMeasures + 1)},
			"bad group field":       {GroupBy: []store.GroupKey{{Field: "Bad"}}, Measures: []store.Measure{count}},
			"unknown bucket":        {GroupBy: []store.GroupKey{{Field: "a", Bucket: "week"}}, Measures: []store.Measure{count}},
			"range without bounds":  {GroupBy: []store.GroupKey{{Field: "a", Bucket: store.BucketRange}}, Measures: []store.Measure{count}},
			"decreasing bounds":     {GroupBy: []store.GroupKey{{Field: "a", Bucket: store.BucketRange, Bounds: []float64{5, 1}}}, Measures: []store.Measure{count}},
		} {
			_, err := good.Aggregate(ctx, a)
			assert.ErrorIs(t, err, store.ErrInvalid, name)
		}
	})

	t.Run("invalid documents are refused and change nothing", func(t *testing.T) {
		for name, data := range map[string]map[string]any{
			"underscore key": {"_id": "x"},
			"metadata key":   {"_version": 3},
			"dollar key":     {"$set": map[string]any{"a": 1}},
			"dotted key":     {"a.b": 1},
			"empty key":      {"": 1},
		} {
			d := &store.Doc{Data: data}
			assert.ErrorIs(t, good.Insert(ctx, d), store.ErrInvalid, "insert: %s", name)
			assert.Empty(t, d.ID, "insert: %s leaves the doc", name)

			upd := &store.Doc{ID: existing.ID, Version: existing.Version, Data: data}
			assert.ErrorIs(t, good.Update(ctx, upd), store.ErrInvalid, "update: %s", name)
			assert.Equal(t, existing.Version, upd.Version, "update: %s leaves the version", name)
		}
		got, err := good.Get(ctx, existing.ID)
		require.NoError(t, err)
		assert.Equal(t, "kept", got.Data["name"])
		assert.Equal(t, int64(1), got.Version)
	})

	t.Run("negative delete version", func(t *testing.T) {
		assert.ErrorIs(t, good.Delete(ctx, existing.ID, -1), store.ErrInvalid)
		_, err := good.Get(ctx, existing.ID)
		require.NoError(t, err)
	})

	t.Run("invalid indexes", func(t *testing.T) {
		for name, idx := range map[string]store.Index{
			"empty name":     {Fields: []string{"a"}},
			"uppercase name": {Name: "ByA", Fields: []string{"a"}},
			"no fields":      {Name: "by_nothing"},
			"bad field":      {Name: "by_bad", Fields: []string{"$a"}},
			"repeated field": {Name: "by_a_a", Fields: []string{"a", "a"}},
			"five fields":    {Name: "by_five", Fields: []string{"a", "b", "c", "d", "e"}},
		} {
			assert.ErrorIs(t, good.EnsureIndex(ctx, idx), store.ErrInvalid, name)
		}
	})

	assert.Equal(t, before, count(), "nothing was stored by invalid calls")
}

func manyMeasures(n int) []store.Measure {
	out := make([]store.Measure, n)
	for i := range out {
		out[i] = store.Measure{Name: fmt.Sprintf("m%d", i), Op: store.MeasureCount}
	}
	return out
}
