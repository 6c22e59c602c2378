package sqlite

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// TestUndoPastLargeRowids: once a table holds a rowid past maxUndoRowid, SQLite
// may give new rows any rowid (with the largest taken, it does), so a failing
// InsertMany in the caller's transaction is undone with a savepoint rather than by
// deleting the rowids after the largest; a failing Increment deletes the documents it
// created by key, which no rowid affects. Either way nothing of it stays and nothing
// else goes.
func TestUndoPastLargeRowids(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "undo.db")})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records")
	require.NoError(t, c.Insert(ctx, &store.Doc{ID: "dup", Data: map[string]any{"v": "first"}}))
	require.NoError(t, sqlExec(ctx, b, fmt.Sprintf(
		`INSERT INTO "docs:acme/records" (rowid, tenant, coll, id, version, created_at, updated_at, data) VALUES (%d, 'acme', 'records', 'high', 1, 0, 0, jsonb('{}'))`,
		int64(math.MaxInt64))))

	docs := make([]*store.Doc, 300)
	for i := range docs {
		docs[i] = &store.Doc{ID: fmt.Sprintf("d%03d", i), Data: map[string]any{"i": i}}
	}
	docs[250].ID = "dup"
	counters := s.Collection("rollup:undo")
	require.NoError(t, counters.EnsureIndex(ctx, store.Index{Name: "by_k", Fields: []string{"k"}, Unique: true}))
	require.NoError(t, counters.Increment(ctx, []store.Increment{{ID: "e", Set: map[string]any{"k": "e"}, Add: map[string]float64{"n": 1}}}))
	incs := []store.Increment{{ID: "e", Add: map[string]float64{"n": 5}}}
	for i := range 200 {
		incs = append(incs, store.Increment{ID: fmt.Sprintf("n%03d", i), Set: map[string]any{"k": fmt.Sprintf("n%03d", i)}, Add: map[string]float64{"n": 1}})
	}
	incs = append(incs, store.Increment{ID: "clash", Set: map[string]any{"k": "e"}, Add: map[string]float64{"n": 1}})

	var insertErr, incErr error
	require.NoError(t, s.WithTx(ctx, func(ctx context.Context) error {
		insertErr = c.InsertMany(ctx, docs)
		incErr = counters.Increment(ctx, incs)
		return c.Insert(ctx, &store.Doc{ID: "after"})
	}))
	require.ErrorIs(t, insertErr, store.ErrDuplicate)
	require.ErrorIs(t, incErr, store.ErrDuplicate)
	n, err := c.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n, "dup, high and after: nothing of the batch")
	got, err := counters.Get(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version)
	assert.Equal(t, "1", fmt.Sprint(got.Data["n"]))
	n, err = counters.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
}
