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

func extJSON(t *testing.T, d bson.D) string {
	t.Helper()
	b, err := bson.MarshalExtJSON(d, false, false)
	require.NoError(t, err)
	return string(b)
}

func TestCompileFilter(t *testing.T) {
	at := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		f    *store.Filter
		want string
	}{
		{"eq data path", store.Eq("applicant.name", "Ann"), `{"d.applicant.name":"Ann"}`},
		{"eq json integer", store.Eq("n", json.Number("3")), `{"d.n":3}`},
		{"ne", store.Ne("s", "x"), `{"d.s":{"$ne":"x"}}`},
		{"gt id maps to i", store.Gt(store.FieldID, "abc"), `{"i":{"$gt":"abc"}}`},
		{"gte version", store.Gte(store.FieldVersion, 2), `{"v":{"$gte":2}}`},
		{"lt created at is a date", store.Lt(store.FieldCreatedAt, at), `{"ca":{"$lt":{"$date":"2024-03-05T10:00:00Z"}}}`},
		{"lte updated from text", store.Lte(store.FieldUpdatedAt, "2024-03-05T10:00:00Z"), `{"ua":{"$lte":{"$date":"2024-03-05T10:00:00Z"}}}`},
		{"in", store.In("s", "a", json.Number("1.5")), `{"d.s":{"$in":["a",1.5]}}`},
		{"nin", &store.Filter{Field: "s", Op: store.OpNin, Value: []any{"a"}}, `{"d.s":{"$nin":["a"]}}`},
		{"exists true is not null", store.Exists("s", true), `{"d.s":{"$ne":null}}`},
		{"exists false is null or missing", store.Exists("s", false), `{"d.s":null}`},
		{"contains quotes the literal", &store.Filter{Field: "s", Op: store.OpContains, Value: "a.b*"},
			`{"$or":[{"$and":[{"d.s":{"$regularExpression":{"pattern":"a\\.b\\*","options":""}}},{"d.s":{"$not":{"$type":"array"}}}]},{"d.s":"a.b*"}]}`},
		{"prefix is anchored", &store.Filter{Field: "s", Op: store.OpPrefix, Value: "(x"},
			`{"$and":[{"d.s":{"$regularExpression":{"pattern":"^\\(x","options":""}}},{"d.s":{"$not":{"$type":"array"}}}]}`},
		{"and or not", store.And(store.Eq("a", "1"), store.Or(store.Eq("b", "2"), store.Not(store.Eq("c", "3")))),
			`{"$and":[{"d.a":"1"},{"$or":[{"d.b":"2"},{"$nor":[{"d.c":"3"}]}]}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.f.Validate())
			d, err := compileFilter(c.f)
			require.NoError(t, err)
			assert.JSONEq(t, c.want, extJSON(t, d))
		})
	}
}

func TestCompileFilterRejectsBadOperands(t *testing.T) {
	cases := []struct {
		name string
		f    *store.Filter
	}{
		{"number out of range", store.Eq("n", json.Number("1e999"))},
		{"created at not a time", store.Gt(store.FieldCreatedAt, "soon")},
		{"in list with bad time", &store.Filter{Field: store.FieldUpdatedAt, Op: store.OpIn, Value: []any{"x"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := compileFilter(c.f)
			assert.ErrorIs(t, err, store.ErrInvalid)
		})
	}
}

func TestQueryIsAlwaysScoped(t *testing.T) {
	c := &collection{tenant: "acme", name: "records:loan", kind: "records"}
	cases := []struct {
		name string
		f    *store.Filter
		want string
	}{
		{"no filter", nil, `{"t":"acme","c":"records:loan"}`},
		{"or cannot escape the tenant", store.Or(store.Eq("a", "1"), store.Eq("b", "2")),
			`{"t":"acme","c":"records:loan","$or":[{"d.a":"1"},{"d.b":"2"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := c.query(tc.f)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, extJSON(t, d))
		})
	}
}
