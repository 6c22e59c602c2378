package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// filterCase is one filter checked against the reference. Unless maybeEmpty or
// maybeAll says so, the expected result must be neither empty nor everything, so a
// backend that ignores the filter (or matches nothing) fails.
type filterCase struct {
	name       string
	filter     *store.Filter
	maybeEmpty bool
	maybeAll   bool
}

// filterCases builds the cases; some need the stored documents (ids, times).
func filterCases(docs []*store.Doc) []filterCase {
	mid := docs[len(docs)/2]
	early := docs[len(docs)/4]
	n := func(s string) json.Number { return json.Number(s) }
	return []filterCase{
		// eq on every type
		{name: "eq string", filter: store.Eq("name", "Alice")},
		{name: "eq string is case-sensitive", filter: store.Eq("name", "bob")},
		{name: "eq empty string", filter: store.Eq("name", "")},
		{name: "eq non-ASCII string", filter: store.Eq("name", "Zoë")},
		{name: "eq integer as json.Number", filter: store.Eq("age", n("31"))},
		{name: "eq integer as int", filter: store.Eq("age", 31)},
		{name: "eq integer as float64", filter: store.Eq("age", 31.0)},
		{name: "eq float", filter: store.Eq("score", 1.25)},
		{name: "eq float as json.Number", filter: store.Eq("score", n("-3.75"))},
		{name: "eq integral float stored as 2", filter: store.Eq("score", 2.0)},
		{name: "eq true", filter: store.Eq("active", true)},
		{name: "eq false", filter: store.Eq("active", false)},
		{name: "eq nested string", filter: store.Eq("applicant.city", "Lagos")},
		{name: "eq nested number", filter: store.Eq("applicant.income", 3000)},
		{name: "eq three levels deep", filter: store.Eq("applicant.address.zip", "10000")},
		{name: "eq big integer exactly", filter: store.Eq("big", n("9007199254740993"))},
		{name: "eq number never matches a string", filter: store.Eq("name", 31), maybeEmpty: true},
		{name: "eq string never matches a number", filter: store.Eq("age", "31"), maybeEmpty: true},
		{name: "eq on a missing field", filter: store.Eq("nothing", "x"), maybeEmpty: true},
		// ne
		{name: "ne string matches missing and null", filter: store.Ne("name", "Alice")},
		{name: "ne bool", filter: store.Ne("active", true)},
		{name: "ne number", filter: store.Ne("age", 31)},
		{name: "ne nested", filter: store.Ne("applicant.city", "Lima")},
		// ranges
		{name: "gt integer", filter: store.Gt("age", 40)},
		{name: "gte integer", filter: store.Gte("age", 44)},
		{name: "lt integer", filter: store.Lt("age", 30)},
		{name: "lte integer", filter: store.Lte("age", n("31"))},
		{name: "gt float", filter: store.Gt("score", 1.25)},
		{name: "gte float", filter: store.Gte("score", 1.25)},
		{name: "lt negative float", filter: store.Lt("score", -0.001)},
		{name: "lte zero", filter: store.Lte("score", 0)},
		{name: "gt string", filter: store.Gt("name", "Bob")},
		{name: "gte string", filter: store.Gte("name", "bob")},
		{name: "lt string", filter: store.Lt("name", "a")},
		{name: "lte string", filter: store.Lte("name", "alina")},
		{name: "lt string excludes numbers", filter: store.Lt("age", "zzz"), maybeEmpty: true},
		{name: "gt number excludes strings", filter: store.Gt("name", -1), maybeEmpty: true},
		{name: "gt nested number", filter: store.Gt("applicant.income", 5000)},
		{name: "lt nested string", filter: store.Lt("applicant.city", "Lima")},
		{name: "gt big integer", filter: store.Gt("big", n("9007199254740992"))},
		{name: "gte big integer", filter: store.Gte("big", n("9007199254740993"))},
		{name: "lt big integer", filter: store.Lt("big", n("9007199254740993"))},
		{name: "gt true", filter: store.Gt("active", false)},
		{name: "range between", filter: store.And(store.Gte("age", 25), store.Lt("age", 45))},
		// in and nin
		{name: "in strings", filter: store.In("status", "draft", "approved")},
		{name: "in numbers of several representations", filter: store.In("age", 31, n("44"), 57.0)},
		{name: "in floats", filter: store.In("score", 0.5, n("100.125"))},
		{name: "in bools", filter: store.In("active", true)},
		{name: "in nested", filter: store.In("applicant.city", "Lagos", "Nice")},
		{name: "in with no values", filter: &store.Filter{Field: "status", Op: store.OpIn, Value: []any{}}, maybeEmpty: true},
		{name: "in ids", filter: store.In(store.FieldID, docs[0].ID, mid.ID, "no-such-id")},
		{name: "nin strings matches missing", filter: &store.Filter{Field: "name", Op: store.OpNin, Value: []any{"Alice", "bob", ""}}},
		{name: "nin numbers", filter: &store.Filter{Field: "age", Op: store.OpNin, Value: []any{31, 44}}},
		{name: "nin with no values", filter: &store.Filter{Field: "status", Op: store.OpNin, Value: []any{}}, maybeAll: true},
		// exists
		{name: "exists true excludes null", filter: store.Exists("name", true)},
		{name: "exists false includes null", filter: store.Exists("name", false)},
		{name: "exists nested", filter: store.Exists("applicant.city", true)},
		{name: "exists false nested", filter: store.Exists("applicant.address", false)},
		{name: "exists on an array", filter: store.Exists("tags", true)},
		{name: "exists on metadata", filter: store.Exists(store.FieldID, true), maybeAll: true},
		{name: "exists false on metadata", filter: store.Exists(store.FieldCreatedAt, false), maybeEmpty: true},
		// contains and prefix
		{name: "contains substring", filter: &store.Filter{Field: "note", Op: store.OpContains, Value: "pp"}},
		{name: "contains is case-sensitive", filter: &store.Filter{Field: "note", Op: store.OpContains, Value: "App"}},
		{name: "contains array element", filter: &store.Filter{Field: "tags", Op: store.OpContains, Value: "vip"}},
		{name: "contains needs a whole element", filter: &store.Filter{Field: "tags", Op: store.OpContains, Value: "retur"}, maybeEmpty: true},
		{name: "contains on nested string", filter: &store.Filter{Field: "applicant.city", Op: store.OpContains, Value: "ag"}},
		{name: "contains never matches numbers", filter: &store.Filter{Field: "age", Op: store.OpContains, Value: "3"}, maybeEmpty: true},
		{name: "prefix", filter: &store.Filter{Field: "name", Op: store.OpPrefix, Value: "Al"}},
		{name: "prefix is case-sensitive", filter: &store.Filter{Field: "name", Op: store.OpPrefix, Value: "bo"}},
		{name: "prefix non-ASCII", filter: &store.Filter{Field: "name", Op: store.OpPrefix, Value: "Zo"}},
		{name: "prefix whole value", filter: &store.Filter{Field: "name", Op: store.OpPrefix, Value: "alina"}},
		{name: "prefix nested", filter: &store.Filter{Field: "applicant.city", Op: store.OpPrefix, Value: "Li"}},
		{name: "prefix on id", filter: &store.Filter{Field: store.FieldID, Op: store.OpPrefix, Value: mid.ID[:len(mid.ID)-1]}},
		{name: "prefix never matches numbers", filter: &store.Filter{Field: "age", Op: store.OpPrefix, Value: "3"}, maybeEmpty: true},
		// metadata
		{name: "eq id", filter: store.Eq(store.FieldID, mid.ID)},
		{name: "gt id", filter: store.Gt(store.FieldID, mid.ID)},
		{name: "eq version", filter: store.Eq(store.FieldVersion, 2)},
		{name: "gte version", filter: store.Gte(store.FieldVersion, int64(2))},
		{name: "ne version", filter: store.Ne(store.FieldVersion, 1)},
		{name: "created at or after", filter: store.Gte(store.FieldCreatedAt, mid.CreatedAt)},
		{name: "created before", filter: store.Lt(store.FieldCreatedAt, early.CreatedAt)},
		{name: "created exactly", filter: store.Eq(store.FieldCreatedAt, mid.CreatedAt)},
		{name: "updated after creation of the last", filter: store.Gt(store.FieldUpdatedAt, docs[len(docs)-1].CreatedAt)},
		{name: "time window", filter: store.And(store.Gte(store.FieldCreatedAt, early.CreatedAt), store.Lte(store.FieldCreatedAt, mid.CreatedAt.Add(time.Millisecond)))},
		// the remaining operator and type pairs
		{name: "ne float", filter: store.Ne("score", 1.25)},
		{name: "ne id", filter: store.Ne(store.FieldID, mid.ID)},
		{name: "gte nested number", filter: store.Gte("applicant.income", 5000)},
		{name: "lt bool", filter: store.Lt("active", true)},
		{name: "lte bool", filter: store.Lte("active", false)},
		{name: "gte bool", filter: store.Gte("active", true)},
		{name: "lte nested string", filter: store.Lte("applicant.city", "Lima")},
		{name: "lte float", filter: store.Lte("score", 1.25)},
		{name: "lt version", filter: store.Lt(store.FieldVersion, 2)},
		{name: "in versions", filter: store.In(store.FieldVersion, 2, 3)},
		{name: "in creation times", filter: store.In(store.FieldCreatedAt, mid.CreatedAt, early.CreatedAt)},
		{name: "nin bools", filter: &store.Filter{Field: "active", Op: store.OpNin, Value: []any{true}}},
		{name: "nin floats", filter: &store.Filter{Field: "score", Op: store.OpNin, Value: []any{1.25, n("0.5")}}},
		{name: "nin nested", filter: &store.Filter{Field: "applicant.city", Op: store.OpNin, Value: []any{"Lagos", "Lima"}}},
		{name: "nin ids", filter: &store.Filter{Field: store.FieldID, Op: store.OpNin, Value: []any{mid.ID, early.ID}}},
		{name: "contains on id", filter: &store.Filter{Field: store.FieldID, Op: store.OpContains, Value: mid.ID[len(mid.ID)-6:]}},
		{name: "exists false on a field never null", filter: store.Exists("score", false)},
		{name: "not in versions", filter: store.Not(store.In(store.FieldVersion, 1))},
		{name: "not lt on a time", filter: store.Not(store.Lt(store.FieldCreatedAt, mid.CreatedAt))},
		// and, or, not
		{name: "and", filter: store.And(store.Eq("status", "draft"), store.Eq("active", true))},
		{name: "or", filter: store.Or(store.Eq("status", "rejected"), store.Gt("age", 60))},
		{name: "not eq matches missing", filter: store.Not(store.Eq("name", "Alice"))},
		{name: "not gt matches missing", filter: store.Not(store.Gt("age", 40))},
		{name: "not exists", filter: store.Not(store.Exists("score", true))},
		{name: "not in", filter: store.Not(store.In("status", "draft", "submitted"))},
		{name: "not contains", filter: store.Not(&store.Filter{Field: "tags", Op: store.OpContains, Value: "vip"})},
		{name: "not prefix", filter: store.Not(&store.Filter{Field: "name", Op: store.OpPrefix, Value: "b"})},
		{name: "not ne", filter: store.Not(store.Ne("active", true))},
		{name: "not nin", filter: store.Not(&store.Filter{Field: "name", Op: store.OpNin, Value: []any{"Alice"}})},
		{name: "not not", filter: store.Not(store.Not(store.Gt("age", 40)))},
		{name: "not and", filter: store.Not(store.And(store.Eq("status", "draft"), store.Gt("age", 30)))},
		{name: "not or", filter: store.Not(store.Or(store.Eq("status", "draft"), store.Lt("score", 1)))},
		{name: "or of ands", filter: store.Or(
			store.And(store.Eq("status", "approved"), store.Exists("applicant.city", true)),
			store.And(store.Eq("status", "draft"), store.Not(store.Eq("active", true))),
		)},
		{name: "deep nesting", filter: store.And(
			store.Or(store.Gt("age", 20), store.Exists("age", false)),
			store.Not(store.Or(
				store.And(store.Eq("status", "rejected"), store.Not(store.Lt("score", 2))),
				&store.Filter{Field: "tags", Op: store.OpContains, Value: "new"},
			)),
			store.Or(store.Not(store.Exists("name", true)), &store.Filter{Field: "name", Op: store.OpPrefix, Value: "A"}, store.Gte("name", "b")),
		)},
		{name: "metadata and data together", filter: store.And(store.Gte(store.FieldVersion, 2), store.Or(store.Eq("status", "draft"), store.Eq("status", "approved")))},
	}
}

// testFilters checks every operator on every type against the reference evaluation,
// through Find and Count.
func testFilters(t *testing.T, e *env) {
	ctx := context.Background()
	fx := loadQueryFixtures(t, ctx, e.scope(t).Collection("records:filters"))
	for _, tc := range filterCases(fx.docs) {
		t.Run(tc.name, func(t *testing.T) {
			want := refSort(pick(fx.docs, refFilter(fx.docs, tc.filter)), nil)
			if !tc.maybeEmpty {
				require.NotEmpty(t, want, "case must match something")
			}
			if !tc.maybeAll {
				require.Less(t, len(want), len(fx.docs), "case must leave something out")
			}
			page, err := fx.coll.Find(ctx, store.Query{Filter: tc.filter, Limit: store.MaxLimit})
			require.NoError(t, err)
			assert.Empty(t, page.Next)
			assert.Equal(t, want, idsOf(page.Docs), "ids in id order (%d expected)", len(want))
			n, err := fx.coll.Count(ctx, tc.filter)
			require.NoError(t, err)
			assert.Equal(t, int64(len(want)), n, "count")
		})
	}
}

// pick returns the docs with the given ids, in ids' order.
func pick(docs []*store.Doc, ids []string) []*store.Doc {
	byID := map[string]*store.Doc{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	out := make([]*store.Doc, 0, len(ids))
	for _, id := range ids {
		d, ok := byID[id]
		if !ok {
			panic(fmt.Sprintf("storetest: no fixture %s", id))
		}
		out = append(out, d)
	}
	return out
}
