package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// The reference is the suite's oracle, so it is checked here against expectations
// written by hand from the contract, independently of any engine.
func TestReferenceMatch(t *testing.T) {
	at := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	doc := &store.Doc{ID: "d1", Version: 2, CreatedAt: at, UpdatedAt: at.Add(time.Hour), Data: map[string]any{
		"name": "Ada", "age": json.Number("36"), "score": json.Number("1.5"), "ok": true, "none": nil,
		"big":  json.Number("9007199254740993"),
		"tags": []any{"vip", json.Number("7")}, "app": map[string]any{"city": "Lagos"},
	}}
	for _, tc := range []struct {
		name string
		f    *store.Filter
		want bool
	}{
		{"nil filter", nil, true},
		{"eq string", store.Eq("name", "Ada"), true},
		{"eq other case", store.Eq("name", "ada"), false},
		{"eq int across representations", store.Eq("age", 36.0), true},
		{"eq number against string", store.Eq("age", "36"), false},
		{"eq big exact", store.Eq("big", int64(9007199254740993)), true},
		{"eq big neighbour", store.Eq("big", int64(9007199254740992)), false},
		{"eq big as float", store.Eq("big", 9007199254740992.0), false},
		{"eq bool", store.Eq("ok", true), true},
		{"eq bool against 1", store.Eq("ok", 1), false},
		{"ne missing", store.Ne("nothing", "x"), true},
		{"ne null", store.Ne("none", "x"), true},
		{"ne equal", store.Ne("name", "Ada"), false},
		{"gt float", store.Gt("score", 1), true},
		{"gt number vs string bound", store.Gt("name", 1), false},
		{"lt string vs number field", store.Lt("age", "zzz"), false},
		{"gte bool", store.Gte("ok", true), true},
		{"lt missing", store.Lt("nothing", 5), false},
		{"in", store.In("age", 1, 36), true},
		{"nin missing", &store.Filter{Field: "nothing", Op: store.OpNin, Value: []any{1}}, true},
		{"nin hit", &store.Filter{Field: "age", Op: store.OpNin, Value: []any{36}}, false},
		{"exists null", store.Exists("none", true), false},
		{"not exists null", store.Exists("none", false), true},
		{"exists nested", store.Exists("app.city", true), true},
		{"contains substring", &store.Filter{Field: "name", Op: store.OpContains, Value: "d"}, true},
		{"contains element", &store.Filter{Field: "tags", Op: store.OpContains, Value: "vip"}, true},
		{"contains part of element", &store.Filter{Field: "tags", Op: store.OpContains, Value: "vi"}, false},
		{"contains number element as string", &store.Filter{Field: "tags", Op: store.OpContains, Value: "7"}, false},
		{"prefix", &store.Filter{Field: "app.city", Op: store.OpPrefix, Value: "La"}, true},
		{"prefix on number", &store.Filter{Field: "age", Op: store.OpPrefix, Value: "3"}, false},
		{"metadata id", store.Eq(store.FieldID, "d1"), true},
		{"metadata version", store.Gt(store.FieldVersion, 1), true},
		{"metadata time", store.Gt(store.FieldUpdatedAt, at), true},
		{"metadata time truncated to ms", store.Eq(store.FieldCreatedAt, at.Add(300*time.Microsecond)), true},
		{"not gt on missing", store.Not(store.Gt("nothing", 1)), true},
		{"and", store.And(store.Eq("name", "Ada"), store.Eq("ok", false)), false},
		{"or", store.Or(store.Eq("name", "Bob"), store.Eq("ok", true)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.f.Validate())
			assert.Equal(t, tc.want, refMatch(doc, tc.f))
		})
	}
}

func TestReferenceSortAndGroups(t *testing.T) {
	docs := []*store.Doc{
		{ID: "a", Data: map[string]any{"n": json.Number("2"), "d": "2024-01-31T23:30:00+08:00", "amt": json.Number("10")}},
		{ID: "b", Data: map[string]any{"d": "2024-02-01", "amt": "n/a"}},
		{ID: "c", Data: map[string]any{"n": json.Number("1"), "d": "soon", "amt": json.Number("2.5")}},
		{ID: "d", Data: map[string]any{"n": nil, "amt": true}},
		{ID: "e", Data: map[string]any{"n": json.Number("2")}},
	}
	t.Run("missing and null first ascending, id breaks ties", func(t *testing.T) {
		assert.Equal(t, []string{"b", "d", "c", "a", "e"}, refSort(docs, []store.Sort{{Field: "n"}}))
	})
	t.Run("missing and null last descending, id still ascending", func(t *testing.T) {
		assert.Equal(t, []string{"a", "e", "c", "b", "d"}, refSort(docs, []store.Sort{{Field: "n", Desc: true}}))
	})
	t.Run("day as written and non-dates", func(t *testing.T) {
		got := refAggregate(docs, store.Aggregation{
			GroupBy:  []store.GroupKey{{Field: "d", Bucket: store.BucketDay}},
			Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}, {Name: "s", Op: store.MeasureSum, Field: "amt"}, {Name: "m", Op: store.MeasureMax, Field: "amt"}},
		})
		assert.Equal(t, map[string]map[string]float64{
			`[s:"2024-01-31"]`: {"n": 1, "s": 10, "m": 10},
			`[s:"2024-02-01"]`: {"n": 1, "s": 0},
			`[null]`:           {"n": 3, "s": 2.5, "m": 2.5},
		}, got)
	})
	t.Run("ranges and the empty overall group", func(t *testing.T) {
		got := refAggregate(docs, store.Aggregation{
			GroupBy:  []store.GroupKey{{Field: "amt", Bucket: store.BucketRange, Bounds: []float64{5}}},
			Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}},
		})
		assert.Equal(t, map[string]map[string]float64{"[i:0]": {"n": 1}, "[i:1]": {"n": 1}, "[null]": {"n": 3}}, got)
		empty := refAggregate(nil, store.Aggregation{Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}, {Name: "a", Op: store.MeasureAvg, Field: "amt"}}})
		assert.Equal(t, map[string]map[string]float64{"[]": {"n": 0}}, empty)
	})
	t.Run("key types outside the contract are refused", func(t *testing.T) {
		_, err := keyString([]any{int64(3)})
		require.Error(t, err)
	})
}
