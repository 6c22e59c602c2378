package mongo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/credolabs/credo/store"
)

func TestBucketValue(t *testing.T) {
	day := store.GroupKey{Field: "at", Bucket: store.BucketDay}
	month := store.GroupKey{Field: "at", Bucket: store.BucketMonth}
	ranges := store.GroupKey{Field: "n", Bucket: store.BucketRange, Bounds: []float64{0, 100, 1000}}
	cases := []struct {
		name string
		key  store.GroupKey
		in   any
		want any
	}{
		{"day of a date", day, "2024-03-05", "2024-03-05"},
		{"day of a date-time is the date as written", day, "2024-03-06T01:00:00+08:00", "2024-03-06"},
		{"day of any text starting with a date", day, "2024-03-05 later", "2024-03-05"},
		{"day of a timestamp is its UTC date", day, time.Date(2024, 3, 5, 23, 0, 0, 0, time.FixedZone("x", -3600)), "2024-03-06"},
		{"day of other text is null", day, "soon", nil},
		{"day of a short date is null", day, "2024-3-5", nil},
		{"day of a number is null", day, 20240305.0, nil},
		{"month of a date-time", month, "2024-03-31T23:00:00-05:00", "2024-03"},
		{"month of a timestamp", month, time.Date(2024, 3, 31, 23, 0, 0, 0, time.FixedZone("x", -3600)), "2024-04"},
		{"below the first bound", ranges, -1.0, 0},
		{"at a bound starts the next range", ranges, 100.0, 2},
		{"inside a range", ranges, json.Number("99.5"), 1},
		{"at or above the last", ranges, 1000.0, 3},
		{"range of text is null", ranges, "5", nil},
		{"value number is float64", store.GroupKey{Field: "n"}, json.Number("5"), 5.0},
		{"value string", store.GroupKey{Field: "s"}, "x", "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, bucketValue(c.key, c.in))
		})
	}
}

func TestGroupSetMergesAndFinishes(t *testing.T) {
	a := store.Aggregation{Measures: []store.Measure{
		{Name: "n", Op: store.MeasureCount},
		{Name: "sum", Op: store.MeasureSum, Field: "x"},
		{Name: "avg", Op: store.MeasureAvg, Field: "x"},
		{Name: "min", Op: store.MeasureMin, Field: "x"},
		{Name: "max", Op: store.MeasureMax, Field: "x"},
	}}
	gs := newGroupSet(a)
	for _, row := range []struct {
		key []any
		x   any
	}{
		{[]any{"b"}, json.Number("4")},
		{[]any{"b"}, json.Number("-2")},
		{[]any{nil}, "text"},
		{[]any{1.0}, 10.0},
		{[]any{"b"}, []any{json.Number("100")}},
		{[]any{true}, nil},
	} {
		g := gs.get(row.key)
		for i, m := range a.Measures {
			g.measures[i].addValue(m.Op, row.x)
		}
	}
	got := gs.finish()
	require.Len(t, got, 4)
	cases := []struct {
		name string
		key  []any
		want map[string]float64
	}{
		{"null group has only count and sum", []any{nil}, map[string]float64{"n": 1, "sum": 0}},
		{"number group", []any{1.0}, map[string]float64{"n": 1, "sum": 10, "avg": 10, "min": 10, "max": 10}},
		{"text group ignores arrays", []any{"b"}, map[string]float64{"n": 3, "sum": 2, "avg": 1, "min": -2, "max": 4}},
		{"bool group sorts last", []any{true}, map[string]float64{"n": 1, "sum": 0}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.key, got[i].Key)
			assert.Equal(t, c.want, got[i].Values)
		})
	}
}

func TestRowKey(t *testing.T) {
	keys := []store.GroupKey{{Field: "s"}, {Field: "n", Bucket: store.BucketRange, Bounds: []float64{1}}, {Field: "m"}}
	cases := []struct {
		name string
		id   any
		want []any
	}{
		{"values", bson.D{{Key: "k0", Value: "x"}, {Key: "k1", Value: int32(1)}, {Key: "k2", Value: int64(7)}}, []any{"x", 1, 7.0}},
		{"missing reads as null", bson.D{{Key: "k1", Value: nil}}, []any{nil, nil, nil}},
		{"dates read as text", bson.D{{Key: "k2", Value: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)}}, []any{nil, nil, "2024-03-05T00:00:00.000Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, err := bson.Marshal(bson.D{{Key: "_id", Value: c.id}})
			require.NoError(t, err)
			got, err := rowKey(bson.Raw(raw).Lookup("_id"), keys)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestNoKeyIsOneGroup(t *testing.T) {
	cases := []struct {
		name string
		a    store.Aggregation
		want []store.Group
	}{
		{"no keys over nothing", store.Aggregation{Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}, {Name: "s", Op: store.MeasureSum, Field: "x"}, {Name: "m", Op: store.MeasureMax, Field: "x"}}},
			[]store.Group{{Key: []any{}, Values: map[string]float64{"n": 0, "s": 0}}}},
		{"keys over nothing", store.Aggregation{GroupBy: []store.GroupKey{{Field: "k"}}, Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}},
			[]store.Group{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, newGroupSet(c.a).finish())
		})
	}
}

func TestCompareKeys(t *testing.T) {
	cases := []struct {
		name string
		a, b []any
		want int
	}{
		{"null before number", []any{nil}, []any{1.0}, -1},
		{"number before string", []any{5.0}, []any{"a"}, -1},
		{"string before bool", []any{"z"}, []any{false}, -1},
		{"false before true", []any{false}, []any{true}, -1},
		{"ranges by index", []any{2}, []any{10}, -1},
		{"second key decides", []any{"a", 2.0}, []any{"a", 1.0}, 1},
		{"equal", []any{"a", nil}, []any{"a", nil}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, sign(compareKeys(c.a, c.b)))
		})
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
