package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testIncrementOnCommit: store.IncrementOnCommit writes its increments with the
// caller's transaction (held back to its commit where the engine can, at once where it
// cannot), drops them with it, and refuses invalid ones at once.
func testIncrementOnCommit(t *testing.T, e *env) {
	ctx := context.Background()
	one := func(coll, id string, n float64) []store.CollectionIncrements {
		return []store.CollectionIncrements{{Collection: coll, Increments: []store.Increment{
			{ID: id, Set: map[string]any{"k": id}, Add: map[string]float64{"n": n}}}}}
	}
	counterAt := func(ctx context.Context, t *testing.T, c store.Collection, id string) string {
		t.Helper()
		d, err := c.Get(ctx, id)
		if err != nil {
			require.ErrorIs(t, err, store.ErrNotFound)
			return "absent"
		}
		assert.Equal(t, id, d.Data["k"], "Set is written on creation")
		return fmt.Sprint(d.Data["n"])
	}
	counter := func(t *testing.T, c store.Collection, id string) string {
		t.Helper()
		return counterAt(ctx, t, c, id)
	}

	t.Run("committed with the transaction, repeats merged", func(t *testing.T) {
		s := e.scope(t)
		rows, records := s.Collection("rollup:c"), s.Collection("records")
		require.NoError(t, rows.Increment(ctx, one("rollup:c", "x", 1)[0].Increments))
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := records.Insert(ctx, &store.Doc{ID: "r1"}); err != nil {
				return err
			}
			for _, b := range [][]store.CollectionIncrements{
				one("rollup:c", "x", 2), one("rollup:c", "y", 1), one("rollup:c", "x", 3), one("rollup:d", "x", 1),
			} {
				if err := store.IncrementOnCommit(ctx, s, b); err != nil {
					return err
				}
			}
			if _, held := s.(store.CommitIncrementer); held {
				// An engine that holds them back shows them to no read before the commit.
				assert.Equal(t, "1", counterAt(ctx, t, rows, "x"), "held back until the commit")
				assert.Equal(t, "absent", counterAt(ctx, t, rows, "y"), "held back until the commit")
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, "6", counter(t, rows, "x"))
		assert.Equal(t, "1", counter(t, rows, "y"))
		assert.Equal(t, "1", counter(t, s.Collection("rollup:d"), "x"))
		_, err = records.Get(ctx, "r1")
		assert.NoError(t, err)
	})

	t.Run("outside a transaction at once", func(t *testing.T) {
		s := e.scope(t)
		require.NoError(t, store.IncrementOnCommit(ctx, s, one("rollup:o", "x", 4)))
		assert.Equal(t, "4", counter(t, s.Collection("rollup:o"), "x"))
	})

	t.Run("dropped with a failed transaction", func(t *testing.T) {
		if !e.opts.Transactions {
			return // written at once, they stay (as IncrementAcross's do)
		}
		s := e.scope(t)
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := store.IncrementOnCommit(ctx, s, one("rollup:f", "x", 1)); err != nil {
				return err
			}
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)
		assert.Equal(t, "absent", counter(t, s.Collection("rollup:f"), "x"))
	})

	t.Run("invalid input is refused at once and holds nothing back", func(t *testing.T) {
		s := e.scope(t)
		var incErr error
		err := s.WithTx(ctx, func(ctx context.Context) error {
			incErr = store.IncrementOnCommit(ctx, s, append(one("rollup:i", "good", 1),
				store.CollectionIncrements{Collection: "rollup:i", Increments: []store.Increment{{ID: "x", Add: map[string]float64{"a.b": 1}}}}))
			return s.Collection("records").Insert(ctx, &store.Doc{ID: "kept"})
		})
		require.NoError(t, err)
		assert.ErrorIs(t, incErr, store.ErrInvalid)
		assert.Equal(t, "absent", counter(t, s.Collection("rollup:i"), "good"))
		_, err = s.Collection("records").Get(ctx, "kept")
		assert.NoError(t, err, "the transaction's other writes commit")
	})

	t.Run("concurrent transactions all count, the failed ones not", func(t *testing.T) {
		s := e.scope(t)
		const callers = 32
		var wg sync.WaitGroup
		errs := make([]error, callers)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.WithTx(ctx, func(ctx context.Context) error {
					if err := s.Collection("records").Insert(ctx, &store.Doc{ID: fmt.Sprintf("c%02d", i)}); err != nil {
						return err
					}
					if err := store.IncrementOnCommit(ctx, s, one("rollup:n", "all", 1)); err != nil {
						return err
					}
					if i%4 == 3 {
						return errAbort
					}
					return nil
				})
			}()
		}
		wg.Wait()
		kept := 0
		for i, err := range errs {
			if i%4 == 3 {
				require.ErrorIs(t, err, errAbort)
				continue
			}
			require.NoError(t, err)
			kept++
		}
		if e.opts.Transactions {
			assert.Equal(t, fmt.Sprint(kept), counter(t, s.Collection("rollup:n"), "all"))
		}
	})
}
