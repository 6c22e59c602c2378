package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// A tenant's table of a kind is made by the first write to it. Before it the
// collections read as empty; a transaction that made it and rolled back takes it back,
// and the next write makes it again; concurrent first writes of many tenants all land.
func TestTenantTables(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tables.db")
	b := newTestBackend(t, path)

	fresh, err := b.Scope("fresh")
	require.NoError(t, err)
	c := fresh.Collection("records")
	_, err = c.Get(ctx, "x")
	require.ErrorIs(t, err, store.ErrNotFound)
	n, err := c.Count(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	page, err := c.Find(ctx, store.Query{})
	require.NoError(t, err)
	assert.Empty(t, page.Docs)
	groups, err := c.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
	require.NoError(t, err)
	require.Len(t, groups, 1, "an aggregate without groups answers one group, as over an empty collection")
	assert.Zero(t, groups[0].Values["n"])

	failed := errors.New("stop")
	err = fresh.WithTx(ctx, func(ctx context.Context) error {
		require.NoError(t, c.Insert(ctx, &store.Doc{ID: "x", Data: map[string]any{"v": 1}}))
		got, err := c.Get(ctx, "x")
		require.NoError(t, err, "the transaction reads what it wrote in the table it made")
		assert.Equal(t, int64(1), got.Version)
		return failed
	})
	require.ErrorIs(t, err, failed)
	_, err = c.Get(ctx, "x")
	require.ErrorIs(t, err, store.ErrNotFound, "the rolled-back table is gone and reads as empty")

	require.NoError(t, c.Insert(ctx, &store.Doc{ID: "x", Data: map[string]any{"v": 2}}))
	got, err := c.Get(ctx, "x")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"v": float64(2)}, normalize(got.Data))

	var wg sync.WaitGroup
	tenants := []string{"t-one", "t-two", "t-three", "t-four", "t-five", "t-six"}
	for _, tn := range tenants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := b.Scope(tn)
			if !assert.NoError(t, err) {
				return
			}
			assert.NoError(t, s.WithTx(ctx, func(ctx context.Context) error {
				return s.Collection("records").Insert(ctx, &store.Doc{ID: "a", Data: map[string]any{"t": tn}})
			}))
		}()
	}
	wg.Wait()
	require.NoError(t, b.Close())

	reopened := newTestBackend(t, path)
	for _, tn := range append(tenants, "fresh") {
		s, err := reopened.Scope(tn)
		require.NoError(t, err)
		n, err := s.Collection("records").Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n, "tenant %s", tn)
	}
	raw, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	require.NoError(t, err)
	defer raw.Close()
	var inEmpty int
	require.NoError(t, raw.QueryRow(`SELECT count(*) FROM no_docs`).Scan(&inEmpty))
	assert.Zero(t, inEmpty, "the stand-in table is never written")
}

// normalize reads numbers as float64, whatever the engine returned.
func normalize(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if f, ok := store.Numeric(v); ok {
			v = f
		}
		out[k] = v
	}
	return out
}
