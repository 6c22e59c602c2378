package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testIndexes: EnsureIndex is idempotent, and a unique index refuses duplicates within
// its tenant and collection only.
func testIndexes(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.scope(t)
	users := s.Collection("users")
	byEmail := store.Index{Name: "by_email", Fields: []string{"email"}, Unique: true}

	t.Run("ensure twice is a no-op", func(t *testing.T) {
		require.NoError(t, users.EnsureIndex(ctx, byEmail))
		require.NoError(t, users.EnsureIndex(ctx, byEmail))
		plain := store.Index{Name: "by_city_age", Fields: []string{"address.city", "age"}}
		require.NoError(t, users.EnsureIndex(ctx, plain))
		require.NoError(t, users.EnsureIndex(ctx, plain))
	})

	t.Run("a name keeps its definition", func(t *testing.T) {
		assert.ErrorIs(t, users.EnsureIndex(ctx, store.Index{Name: "by_email", Fields: []string{"phone"}, Unique: true}), store.ErrInvalid)
		assert.ErrorIs(t, users.EnsureIndex(ctx, store.Index{Name: "by_email", Fields: []string{"email"}}), store.ErrInvalid)
	})

	ada := &store.Doc{Data: map[string]any{"email": "ada@example.com", "address": map[string]any{"city": "Lagos"}, "age": 36}}
	require.NoError(t, users.Insert(ctx, ada))

	t.Run("unique refuses a duplicate insert", func(t *testing.T) {
		dup := &store.Doc{Data: map[string]any{"email": "ada@example.com"}}
		require.ErrorIs(t, users.Insert(ctx, dup), store.ErrDuplicate)
		assert.Empty(t, dup.ID)
		n, err := users.Count(ctx, store.Eq("email", "ada@example.com"))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})

	t.Run("unique is case-sensitive like eq", func(t *testing.T) {
		require.NoError(t, users.Insert(ctx, &store.Doc{Data: map[string]any{"email": "Ada@example.com"}}))
	})

	t.Run("unique refuses an update into a duplicate", func(t *testing.T) {
		bob := &store.Doc{Data: map[string]any{"email": "bob@example.com"}}
		require.NoError(t, users.Insert(ctx, bob))
		bob.Data = map[string]any{"email": "ada@example.com"}
		require.ErrorIs(t, users.Update(ctx, bob), store.ErrDuplicate)
		assert.Equal(t, int64(1), bob.Version)
		got, err := users.Get(ctx, bob.ID)
		require.NoError(t, err)
		assert.Equal(t, "bob@example.com", got.Data["email"])
		assert.Equal(t, int64(1), got.Version)
	})

	t.Run("a document may keep its own key", func(t *testing.T) {
		ada.Data["age"] = 37
		require.NoError(t, users.Update(ctx, ada))
	})

	t.Run("documents without the field are not constrained", func(t *testing.T) {
		require.NoError(t, users.Insert(ctx, &store.Doc{Data: map[string]any{"name": "no email 1"}}))
		require.NoError(t, users.Insert(ctx, &store.Doc{Data: map[string]any{"name": "no email 2"}}))
	})

	t.Run("the key is free again after a delete", func(t *testing.T) {
		tmp := &store.Doc{Data: map[string]any{"email": "tmp@example.com"}}
		require.NoError(t, users.Insert(ctx, tmp))
		require.NoError(t, users.Delete(ctx, tmp.ID, 0))
		require.NoError(t, users.Insert(ctx, &store.Doc{Data: map[string]any{"email": "tmp@example.com"}}))
	})

	t.Run("unique only within tenant and collection", func(t *testing.T) {
		other := e.scope(t).Collection("users")
		require.NoError(t, other.EnsureIndex(ctx, byEmail))
		require.NoError(t, other.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}), "another tenant")
		require.ErrorIs(t, other.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}), store.ErrDuplicate, "its own duplicate")

		sibling := s.Collection("users:archived")
		require.NoError(t, sibling.EnsureIndex(ctx, byEmail))
		require.NoError(t, sibling.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}), "another collection")

		unindexed := s.Collection("contacts")
		require.NoError(t, unindexed.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}))
		require.NoError(t, unindexed.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}), "no index, no constraint")
	})

	t.Run("compound unique", func(t *testing.T) {
		loans := s.Collection("loans")
		require.NoError(t, loans.EnsureIndex(ctx, store.Index{Name: "by_branch_number", Fields: []string{"branch", "number"}, Unique: true}))
		for _, d := range []map[string]any{{"branch": "b1", "number": 1}, {"branch": "b1", "number": 2}, {"branch": "b2", "number": 1}, {"branch": "b1"}} {
			require.NoError(t, loans.Insert(ctx, &store.Doc{Data: d}))
		}
		require.ErrorIs(t, loans.Insert(ctx, &store.Doc{Data: map[string]any{"branch": "b1", "number": 2}}), store.ErrDuplicate)
	})

	t.Run("unique over existing duplicates fails and leaves no index", func(t *testing.T) {
		leads := s.Collection("leads")
		insertData(t, ctx, leads, []map[string]any{{"phone": "555"}, {"phone": "555"}})
		require.ErrorIs(t, leads.EnsureIndex(ctx, store.Index{Name: "by_phone", Fields: []string{"phone"}, Unique: true}), store.ErrDuplicate)
		require.NoError(t, leads.Insert(ctx, &store.Doc{Data: map[string]any{"phone": "555"}}), "no index was left behind")
		require.NoError(t, leads.EnsureIndex(ctx, store.Index{Name: "by_phone", Fields: []string{"phone"}}), "the name is still free")
	})

	t.Run("indexed queries answer as before", func(t *testing.T) {
		page, err := users.Find(ctx, store.Query{Filter: store.And(store.Eq("address.city", "Lagos"), store.Gte("age", 30))})
		require.NoError(t, err)
		require.Len(t, page.Docs, 1)
		assert.Equal(t, ada.ID, page.Docs[0].ID)
		page, err = users.Find(ctx, store.Query{Filter: store.Eq("email", "ada@example.com")})
		require.NoError(t, err)
		assert.Equal(t, []string{ada.ID}, idsOf(page.Docs))
	})
}
