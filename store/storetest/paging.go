package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testSortAndPaging: one- and two-field sorts with missing and null values, and paging
// through every page for several limits.
func testSortAndPaging(t *testing.T, e *env) {
	ctx := context.Background()
	fx := loadQueryFixtures(t, ctx, e.scope(t).Collection("records:sorting"))
	sorts := []struct {
		name   string
		sort   []store.Sort
		filter *store.Filter
	}{
		{name: "default order is id", sort: nil},
		{name: "string asc with missing and null", sort: []store.Sort{{Field: "name"}}},
		{name: "string desc with missing and null", sort: []store.Sort{{Field: "name", Desc: true}}},
		{name: "integer asc", sort: []store.Sort{{Field: "age"}}},
		{name: "integer desc", sort: []store.Sort{{Field: "age", Desc: true}}},
		{name: "float asc", sort: []store.Sort{{Field: "score"}}},
		{name: "bool desc", sort: []store.Sort{{Field: "active", Desc: true}}},
		{name: "nested asc", sort: []store.Sort{{Field: "applicant.city"}}},
		{name: "two fields asc desc", sort: []store.Sort{{Field: "status"}, {Field: "age", Desc: true}}},
		{name: "two fields desc asc", sort: []store.Sort{{Field: "applicant.city", Desc: true}, {Field: "name"}}},
		{name: "id desc", sort: []store.Sort{{Field: store.FieldID, Desc: true}}},
		{name: "created desc", sort: []store.Sort{{Field: store.FieldCreatedAt, Desc: true}}},
		{name: "version then updated", sort: []store.Sort{{Field: store.FieldVersion, Desc: true}, {Field: store.FieldUpdatedAt}}},
		{name: "filtered and sorted", sort: []store.Sort{{Field: "score", Desc: true}}, filter: store.Or(store.Eq("status", "draft"), store.Exists("name", false))},
	}
	for _, tc := range sorts {
		t.Run(tc.name, func(t *testing.T) {
			want := refSort(pick(fx.docs, refFilter(fx.docs, tc.filter)), tc.sort)
			require.Greater(t, len(want), 7, "enough documents to page")

			page, err := fx.coll.Find(ctx, store.Query{Filter: tc.filter, Sort: tc.sort, Limit: store.MaxLimit})
			require.NoError(t, err)
			assert.Equal(t, want, idsOf(page.Docs), "one page holding everything")
			assert.Empty(t, page.Next, "everything fits: no next page")

			for _, limit := range []int{1, 2, 7} {
				var got []string
				q := store.Query{Filter: tc.filter, Sort: tc.sort, Limit: limit}
				for pages := 0; ; pages++ {
					require.Less(t, pages, len(want)+2, "limit %d: paging does not end", limit)
					p, err := fx.coll.Find(ctx, q)
					require.NoError(t, err, "limit %d page %d", limit, pages)
					require.LessOrEqual(t, len(p.Docs), limit)
					require.NotEmpty(t, p.Docs, "limit %d page %d: no empty page before the end", limit, pages)
					got = append(got, idsOf(p.Docs)...)
					if p.Next == "" {
						break
					}
					require.Len(t, p.Docs, limit, "only the last page is short")
					q.Cursor = p.Next
				}
				assert.Equal(t, want, got, "limit %d: all pages, each document once, in order", limit)
			}
		})
	}

	t.Run("exact multiple of the limit ends without an empty page", func(t *testing.T) {
		c := e.scope(t).Collection("records:exact")
		insertData(t, ctx, c, []map[string]any{{"i": 1}, {"i": 2}, {"i": 3}, {"i": 4}})
		p, err := c.Find(ctx, store.Query{Limit: 2})
		require.NoError(t, err)
		require.NotEmpty(t, p.Next)
		p, err = c.Find(ctx, store.Query{Limit: 2, Cursor: p.Next})
		require.NoError(t, err)
		assert.Len(t, p.Docs, 2)
		assert.Empty(t, p.Next)
	})

	t.Run("empty result", func(t *testing.T) {
		p, err := fx.coll.Find(ctx, store.Query{Filter: store.Eq("status", "nope")})
		require.NoError(t, err)
		assert.Empty(t, p.Docs)
		assert.Empty(t, p.Next)
	})

	t.Run("default and capped limits", func(t *testing.T) {
		c := e.scope(t).Collection("records:limits")
		bodies := make([]map[string]any, 60)
		for i := range bodies {
			bodies[i] = map[string]any{"i": i}
		}
		insertData(t, ctx, c, bodies)
		p, err := c.Find(ctx, store.Query{})
		require.NoError(t, err)
		assert.Len(t, p.Docs, 50, "default limit")
		assert.NotEmpty(t, p.Next)
		p, err = c.Find(ctx, store.Query{Limit: store.MaxLimit + 500})
		require.NoError(t, err)
		assert.Len(t, p.Docs, 60, "a limit above MaxLimit is capped, not refused")
	})
}

// testProjectionAndCount: Query.Fields and Count.
func testProjectionAndCount(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("records:projection")
	full := map[string]any{
		"name":      "Ada",
		"amount":    num("1500"),
		"applicant": map[string]any{"city": "Lagos", "income": num("3000"), "address": map[string]any{"zip": "10001"}},
		"tags":      []any{"vip"},
	}
	d := &store.Doc{Data: full}
	require.NoError(t, c.Insert(ctx, d))
	require.NoError(t, c.Insert(ctx, &store.Doc{Data: map[string]any{"amount": num("10"), "applicant": "not an object"}}))

	for _, tc := range []struct {
		name   string
		fields []string
		want   map[string]any
	}{
		{"top-level keys", []string{"name", "tags"}, map[string]any{"name": "Ada", "tags": []any{"vip"}}},
		{"whole object", []string{"applicant"}, map[string]any{"applicant": full["applicant"]}},
		{"nested member", []string{"applicant.city"}, map[string]any{"applicant": map[string]any{"city": "Lagos"}}},
		{"two nested members", []string{"applicant.city", "applicant.address.zip"}, map[string]any{"applicant": map[string]any{"city": "Lagos", "address": map[string]any{"zip": "10001"}}}},
		{"missing keys stay absent", []string{"name", "nothing"}, map[string]any{"name": "Ada"}},
		{"metadata names are ignored", []string{store.FieldID, store.FieldVersion, "amount"}, map[string]any{"amount": num("1500")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := c.Find(ctx, store.Query{Filter: store.Eq(store.FieldID, d.ID), Fields: tc.fields})
			require.NoError(t, err)
			require.Len(t, p.Docs, 1)
			got := p.Docs[0]
			assert.Empty(t, sameData(tc.want, got.Data))
			assert.Equal(t, d.ID, got.ID, "metadata always comes back")
			assert.Equal(t, int64(1), got.Version)
			assert.True(t, got.CreatedAt.Equal(d.CreatedAt))
		})
	}

	t.Run("projection keeps paging intact", func(t *testing.T) {
		p, err := c.Find(ctx, store.Query{Sort: []store.Sort{{Field: "amount"}}, Fields: []string{"name"}, Limit: 1})
		require.NoError(t, err)
		require.Len(t, p.Docs, 1)
		assert.Empty(t, p.Docs[0].Data, "the 10 has no name")
		require.NotEmpty(t, p.Next)
		p, err = c.Find(ctx, store.Query{Sort: []store.Sort{{Field: "amount"}}, Fields: []string{"name"}, Limit: 1, Cursor: p.Next})
		require.NoError(t, err)
		require.Len(t, p.Docs, 1)
		assert.Equal(t, d.ID, p.Docs[0].ID)
	})

	t.Run("nested member of a non-object is absent", func(t *testing.T) {
		p, err := c.Find(ctx, store.Query{Filter: store.Eq("amount", 10), Fields: []string{"applicant.city", "amount"}})
		require.NoError(t, err)
		require.Len(t, p.Docs, 1)
		assert.Empty(t, sameData(map[string]any{"amount": num("10")}, p.Docs[0].Data))
	})

	t.Run("count", func(t *testing.T) {
		n, err := c.Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = c.Count(ctx, store.Gt("amount", 100))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		n, err = c.Count(ctx, store.Eq("name", "nobody"))
		require.NoError(t, err)
		assert.Zero(t, n)
		n, err = e.scope(t).Collection("records:empty").Count(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, n, "an unused collection counts zero")
	})
}
