package storetest

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testAggregate checks group keys and measures against figures computed in Go over
// generated documents.
func testAggregate(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("records:agg")
	docs := insertData(t, ctx, c, aggFixtures(200))
	// Reference figures read the documents as stored (metadata included).
	for i, d := range docs {
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		got.Data = d.Data
		docs[i] = got
	}
	all := []store.Measure{
		{Name: "n", Op: store.MeasureCount},
		{Name: "total", Op: store.MeasureSum, Field: "amount"},
		{Name: "mean", Op: store.MeasureAvg, Field: "amount"},
		{Name: "low", Op: store.MeasureMin, Field: "amount"},
		{Name: "high", Op: store.MeasureMax, Field: "amount"},
	}
	// Measures with filters of their own, repeated and distinct, beside unfiltered ones.
	filtered := []store.Measure{
		{Name: "n", Op: store.MeasureCount},
		{Name: "approved", Op: store.MeasureCount, Filter: store.In("status", "approved", "disbursed")},
		{Name: "approved_total", Op: store.MeasureSum, Field: "amount", Filter: store.In("status", "approved", "disbursed")},
		{Name: "flagged_mean", Op: store.MeasureAvg, Field: "score", Filter: store.Eq("flag", true)},
		{Name: "high_low", Op: store.MeasureMin, Field: "amount", Filter: store.Gte("score", 700)},
		{Name: "no_flag", Op: store.MeasureCount, Filter: store.Not(store.Eq("flag", true))},
		{Name: "long_high", Op: store.MeasureMax, Field: "term", Filter: store.And(store.Gt("term", 12), store.Exists("channel", true))},
		{Name: "total", Op: store.MeasureSum, Field: "amount"},
	}
	cases := []struct {
		name      string
		agg       store.Aggregation
		minGroups int
	}{
		{"no group keys: one overall group", store.Aggregation{Measures: all}, 1},
		{"by string value with nulls", store.Aggregation{GroupBy: []store.GroupKey{{Field: "status"}}, Measures: all}, 5},
		{"by two values", store.Aggregation{GroupBy: []store.GroupKey{{Field: "status"}, {Field: "channel"}}, Measures: all}, 12},
		{"by boolean", store.Aggregation{GroupBy: []store.GroupKey{{Field: "flag"}}, Measures: all}, 3},
		{"by number", store.Aggregation{GroupBy: []store.GroupKey{{Field: "term"}}, Measures: all}, 4},
		{"by day as written", store.Aggregation{GroupBy: []store.GroupKey{{Field: "applied_at", Bucket: store.BucketDay}}, Measures: all}, 40},
		{"by month", store.Aggregation{GroupBy: []store.GroupKey{{Field: "applied_at", Bucket: store.BucketMonth}}, Measures: all}, 4},
		{"by month and channel", store.Aggregation{GroupBy: []store.GroupKey{{Field: "applied_at", Bucket: store.BucketMonth}, {Field: "channel"}}, Measures: all}, 12},
		{"by score range", store.Aggregation{GroupBy: []store.GroupKey{{Field: "score", Bucket: store.BucketRange, Bounds: []float64{500, 600, 700}}}, Measures: all}, 5},
		{"by one bound", store.Aggregation{GroupBy: []store.GroupKey{{Field: "amount", Bucket: store.BucketRange, Bounds: []float64{10000}}}, Measures: all}, 3},
		{"by creation day", store.Aggregation{GroupBy: []store.GroupKey{{Field: store.FieldCreatedAt, Bucket: store.BucketDay}}, Measures: all}, 1},
		{"by version", store.Aggregation{GroupBy: []store.GroupKey{{Field: store.FieldVersion}}, Measures: all}, 1},
		{"filtered", store.Aggregation{Filter: store.Eq("status", "approved"), GroupBy: []store.GroupKey{{Field: "channel"}}, Measures: all}, 3},
		{"filtered overall", store.Aggregation{Filter: store.Gte("score", 600), Measures: all}, 1},
		{"measures of another field", store.Aggregation{GroupBy: []store.GroupKey{{Field: "channel"}}, Measures: []store.Measure{
			{Name: "avg_score", Op: store.MeasureAvg, Field: "score"}, {Name: "max_term", Op: store.MeasureMax, Field: "term"}, {Name: "docs", Op: store.MeasureCount},
		}}, 3},
		{"measure of a nested missing field", store.Aggregation{Measures: []store.Measure{
			{Name: "s", Op: store.MeasureSum, Field: "nothing.here"}, {Name: "a", Op: store.MeasureAvg, Field: "nothing.here"}, {Name: "n", Op: store.MeasureCount},
		}}, 1},
		{"measure filters: counts and sums where, in one aggregation", store.Aggregation{GroupBy: []store.GroupKey{{Field: "channel"}}, Measures: filtered}, 3},
		{"measure filters without keys", store.Aggregation{Measures: filtered}, 1},
		{"measure filters under an aggregation filter", store.Aggregation{Filter: store.Gte("score", 600),
			GroupBy: []store.GroupKey{{Field: "status"}, {Field: "applied_at", Bucket: store.BucketMonth}}, Measures: filtered}, 6},
		{"measure filters that match nothing in some groups", store.Aggregation{GroupBy: []store.GroupKey{{Field: "status"}}, Measures: []store.Measure{
			{Name: "approved", Op: store.MeasureCount, Filter: store.Eq("status", "approved")},
			{Name: "approved_total", Op: store.MeasureSum, Field: "amount", Filter: store.Eq("status", "approved")},
			{Name: "approved_mean", Op: store.MeasureAvg, Field: "amount", Filter: store.Eq("status", "approved")},
			{Name: "approved_high", Op: store.MeasureMax, Field: "amount", Filter: store.Eq("status", "approved")},
		}}, 5},
		{"nothing matches, no keys: one empty group", store.Aggregation{Filter: store.Eq("status", "nope"), Measures: all}, 1},
		{"nothing matches, with keys: no groups", store.Aggregation{Filter: store.Eq("status", "nope"), GroupBy: []store.GroupKey{{Field: "status"}}, Measures: all}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := refAggregate(docs, tc.agg)
			require.GreaterOrEqual(t, len(want), tc.minGroups, "fixtures give this case enough groups")
			got, err := c.Aggregate(ctx, tc.agg)
			require.NoError(t, err)
			seen := map[string]bool{}
			for _, g := range got {
				require.Len(t, g.Key, len(tc.agg.GroupBy), "one key value per group key")
				ks, err := keyString(g.Key)
				require.NoError(t, err)
				require.False(t, seen[ks], "group %s appears once", ks)
				seen[ks] = true
				wv, ok := want[ks]
				if !assert.True(t, ok, "unexpected group %s", ks) {
					continue
				}
				assertValues(t, ks, wv, g.Values)
			}
			for ks := range want {
				assert.True(t, seen[ks], "missing group %s", ks)
			}
		})
	}

	t.Run("the overall group of nothing", func(t *testing.T) {
		got, err := c.Aggregate(ctx, store.Aggregation{Filter: store.Eq("status", "nope"), Measures: all})
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Empty(t, got[0].Key)
		assert.Equal(t, map[string]float64{"n": 0, "total": 0}, got[0].Values, "count and sum are 0; avg, min and max absent")
	})
}

// assertValues compares measures: counts exactly, the rest to a relative 1e-9 (engines
// add in different orders).
func assertValues(t *testing.T, group string, want, got map[string]float64) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		if !assert.True(t, ok, "group %s: measure %s missing", group, name) {
			continue
		}
		tol := 1e-9 * math.Max(1, math.Abs(w))
		assert.InDelta(t, w, g, tol, "group %s: measure %s", group, name)
	}
	for name, g := range got {
		_, ok := want[name]
		assert.True(t, ok, "group %s: measure %s = %v should be absent", group, name, g)
	}
}
