package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testInsertMany: batch inserts store what Insert would, and a failing batch stores
// nothing where the engine has transactions.
func testInsertMany(t *testing.T, e *env) {
	ctx := context.Background()
	batch := func(prefix string, n int) []*store.Doc {
		docs := make([]*store.Doc, n)
		for i := range docs {
			id := ""
			if prefix != "" {
				id = fmt.Sprintf("%s-%04d", prefix, i)
			}
			docs[i] = &store.Doc{ID: id, Data: map[string]any{"i": json.Number(fmt.Sprint(i)), "name": fmt.Sprintf("row %d", i)}}
		}
		return docs
	}
	count := func(t *testing.T, c store.Collection) int64 {
		n, err := c.Count(ctx, nil)
		require.NoError(t, err)
		return n
	}

	t.Run("stores every document with ids, version 1 and timestamps", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		docs := append(batch("", 150), batch("given", 150)...) // more than one chunk
		require.NoError(t, c.InsertMany(ctx, docs))
		seen := map[string]bool{}
		for i, d := range docs {
			require.NotEmpty(t, d.ID)
			assert.False(t, seen[d.ID], "ids are unique")
			seen[d.ID] = true
			assert.Equal(t, int64(1), d.Version)
			assert.False(t, d.CreatedAt.IsZero())
			if i >= 150 {
				assert.Equal(t, fmt.Sprintf("given-%04d", i-150), d.ID, "a given id is kept")
			}
		}
		assert.Equal(t, int64(300), count(t, c))
		got, err := c.Get(ctx, docs[7].ID)
		require.NoError(t, err)
		assert.Empty(t, sameData(docs[7].Data, got.Data))
		assert.True(t, docs[7].CreatedAt.Equal(got.CreatedAt))
	})

	t.Run("an empty batch is a no-op", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		require.NoError(t, c.InsertMany(ctx, nil))
		assert.Zero(t, count(t, c))
	})

	t.Run("an id that exists fails the batch with ErrDuplicate", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		require.NoError(t, c.Insert(ctx, &store.Doc{ID: "b-0200", Data: map[string]any{"v": "first"}}))
		docs := batch("b", 300)
		err := c.InsertMany(ctx, docs)
		require.ErrorIs(t, err, store.ErrDuplicate)
		got, err := c.Get(ctx, "b-0200")
		require.NoError(t, err)
		assert.Equal(t, "first", got.Data["v"], "the stored document is left alone")
		assert.Zero(t, docs[0].Version, "the batch's documents are left as they were")
		if e.opts.Transactions {
			assert.Equal(t, int64(1), count(t, c), "nothing of the batch is stored")
		} else {
			assert.Equal(t, int64(201), count(t, c), "without transactions the documents before the failing one stay")
		}
	})

	t.Run("an id repeated within the batch is ErrDuplicate", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		docs := batch("r", 3)
		docs[2].ID = docs[0].ID
		require.ErrorIs(t, c.InsertMany(ctx, docs), store.ErrDuplicate)
		if e.opts.Transactions {
			assert.Zero(t, count(t, c))
		}
	})

	t.Run("a unique index holds within the batch", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		require.NoError(t, c.EnsureIndex(ctx, store.Index{Name: "by_name", Fields: []string{"name"}, Unique: true}))
		docs := batch("", 4)
		docs[3].Data["name"] = docs[1].Data["name"]
		require.ErrorIs(t, c.InsertMany(ctx, docs), store.ErrDuplicate)
		if e.opts.Transactions {
			assert.Zero(t, count(t, c))
		}
	})

	t.Run("bad data fails the batch before anything is written", func(t *testing.T) {
		c := e.scope(t).Collection("records:bulk")
		docs := batch("", 3)
		docs[1].Data["_hidden"] = "x"
		require.ErrorIs(t, c.InsertMany(ctx, docs), store.ErrInvalid)
		assert.Zero(t, count(t, c))
	})

	t.Run("a batch failing in the caller's transaction leaves nothing of itself", func(t *testing.T) {
		sc := e.scope(t)
		c := sc.Collection("records:bulk")
		require.NoError(t, c.Insert(ctx, &store.Doc{ID: "f-0250", Data: map[string]any{"v": "first"}}))
		docs := batch("f", 300) // the duplicate comes after rows an engine may write in chunks
		var batchErr error
		txErr := sc.WithTx(ctx, func(ctx context.Context) error {
			if err := c.Insert(ctx, &store.Doc{ID: "before", Data: map[string]any{"v": "kept"}}); err != nil {
				return err
			}
			batchErr = c.InsertMany(ctx, docs)
			// The caller carries on: its transaction is its own to commit.
			return c.Insert(ctx, &store.Doc{ID: "after", Data: map[string]any{"v": "kept"}})
		})
		require.ErrorIs(t, batchErr, store.ErrDuplicate)
		got, err := c.Get(ctx, "f-0250")
		require.NoError(t, err)
		assert.Equal(t, "first", got.Data["v"], "the stored document is left alone")
		if !e.opts.Transactions {
			return
		}
		_, err = c.Get(ctx, "f-0000")
		assert.ErrorIs(t, err, store.ErrNotFound, "nothing of the batch is stored")
		_, err = c.Get(ctx, "f-0299")
		assert.ErrorIs(t, err, store.ErrNotFound, "nothing of the batch is stored")
		// An engine may keep the transaction (its other writes commit) or abort it
		// (the commit fails and nothing of it is stored); either way the batch is whole.
		want := int64(1)
		if txErr == nil {
			want = 3
		}
		assert.Equal(t, want, count(t, c), "transaction error: %v", txErr)
	})

	t.Run("the batch commits or rolls back with the caller's transaction", func(t *testing.T) {
		sc := e.scope(t)
		c := sc.Collection("records:bulk")
		boom := errors.New("boom")
		err := sc.WithTx(ctx, func(ctx context.Context) error {
			if err := c.InsertMany(ctx, batch("tx", 10)); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)
		if e.opts.Transactions {
			assert.Zero(t, count(t, c), "rolled back with the transaction")
		} else {
			assert.Equal(t, int64(10), count(t, c))
		}
		require.NoError(t, sc.WithTx(ctx, func(ctx context.Context) error {
			return c.InsertMany(ctx, batch("ok", 10))
		}))
		got, err := c.Get(ctx, "ok-0009")
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Version)
	})
}
