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

// plainScope hides an engine's own IncrementAcross, so store.IncrementAcross takes its
// fallback (one Collection.Increment per collection in one WithTx).
type plainScope struct{ store.Scope }

// testIncrementAcross: store.IncrementAcross applies the increments of several
// collections of a scope as one call, through the engine's own implementation when it
// has one and through the fallback; both must keep the same contract.
func testIncrementAcross(t *testing.T, e *env) {
	t.Run("engine", func(t *testing.T) { incrementAcrossCases(t, e, e.scope, false) })
	t.Run("fallback", func(t *testing.T) {
		incrementAcrossCases(t, e, func(t *testing.T) store.Scope { return plainScope{e.scope(t)} }, true)
	})
}

// incrementAcrossCases runs the cases on the scopes newScope returns; fallback says
// they take store.IncrementAcross's fallback.
func incrementAcrossCases(t *testing.T, e *env, newScope func(t *testing.T) store.Scope, fallback bool) {
	ctx := context.Background()
	across := func(s store.Scope, batches ...store.CollectionIncrements) error {
		return store.IncrementAcross(ctx, s, batches)
	}
	part := func(coll string, incs ...store.Increment) store.CollectionIncrements {
		return store.CollectionIncrements{Collection: coll, Increments: incs}
	}
	add := func(id string, n float64) store.Increment {
		return store.Increment{ID: id, Set: map[string]any{"k": id}, Add: map[string]float64{"n": n}}
	}
	// expect checks a document's counter and version (version 0: it must not exist).
	expect := func(t *testing.T, c store.Collection, id, n string, version int64) {
		t.Helper()
		got, err := c.Get(ctx, id)
		if version == 0 {
			assert.ErrorIs(t, err, store.ErrNotFound, "%s must not exist", id)
			return
		}
		require.NoError(t, err, id)
		assert.Equal(t, n, fmt.Sprint(got.Data["n"]), id)
		assert.Equal(t, version, got.Version, id)
		assert.Equal(t, id, got.Data["k"], "Set is written on creation")
	}

	t.Run("several collections, existing and new documents, repeats merged", func(t *testing.T) {
		s := newScope(t)
		a, b, c := s.Collection("rollup:a"), s.Collection("rollup:b"), s.Collection("rollup:c")
		require.NoError(t, a.Increment(ctx, []store.Increment{add("x", 1)}))
		require.NoError(t, b.Increment(ctx, []store.Increment{add("x", 10)}))
		require.NoError(t, across(s,
			part("rollup:a", add("x", 2), add("y", 1)),
			part("rollup:b", add("x", 3), add("x", 4)),
			part("rollup:c"),
			part("rollup:a", add("x", 5), add("z", 0.5)),
			part("rollup:c", add("x", 7))))
		expect(t, a, "x", "8", 2)
		expect(t, a, "y", "1", 1)
		expect(t, a, "z", "0.5", 1)
		expect(t, b, "x", "17", 2)
		expect(t, c, "x", "7", 1)
		for coll, want := range map[store.Collection]int64{a: 3, b: 1, c: 1} {
			n, err := coll.Count(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, want, n, "the same id in another collection is another document")
		}
		require.NoError(t, across(s), "nothing to do")
		require.NoError(t, across(s, part("rollup:a"), part("rollup:b")), "nothing to do")
	})

	t.Run("many documents in many collections", func(t *testing.T) {
		s := newScope(t)
		var parts []store.CollectionIncrements
		for r := range 13 {
			coll := fmt.Sprintf("rollup:m%02d", r)
			require.NoError(t, s.Collection(coll).Increment(ctx, []store.Increment{add("d000", 1)}))
			var incs []store.Increment
			for i := range 40 {
				incs = append(incs, add(fmt.Sprintf("d%03d", i), float64(r)))
			}
			parts = append(parts, part(coll, incs...))
		}
		require.NoError(t, across(s, parts...))
		for r := range 13 {
			c := s.Collection(fmt.Sprintf("rollup:m%02d", r))
			expect(t, c, "d000", fmt.Sprint(1+r), 2)
			expect(t, c, "d039", fmt.Sprint(r), 1)
			n, err := c.Count(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, int64(40), n)
		}
	})

	t.Run("invalid input changes nothing", func(t *testing.T) {
		s := newScope(t)
		good := part("rollup:good", add("ok", 1))
		for name, bad := range map[string]store.CollectionIncrements{
			"collection name": part("Not A Name", add("x", 1)),
			"no id":           part("rollup:bad", store.Increment{Add: map[string]float64{"n": 1}}),
			"dotted key":      part("rollup:bad", store.Increment{ID: "x", Add: map[string]float64{"a.b": 1}}),
			"set and added":   part("rollup:bad", store.Increment{ID: "x", Set: map[string]any{"n": 1}, Add: map[string]float64{"n": 1}}),
			"not a number":    part("rollup:bad", store.Increment{ID: "x", Add: map[string]float64{"n": nan()}}),
			"reserved set":    part("rollup:bad", store.Increment{ID: "x", Set: map[string]any{"_k": 1}, Add: map[string]float64{"n": 1}}),
		} {
			assert.ErrorIs(t, across(s, good, bad), store.ErrInvalid, name)
		}
		for _, coll := range []string{"rollup:good", "rollup:bad"} {
			n, err := s.Collection(coll).Count(ctx, nil)
			require.NoError(t, err)
			assert.Zero(t, n, coll)
		}
	})

	t.Run("in a failed transaction", func(t *testing.T) {
		s := newScope(t)
		a, b := s.Collection("rollup:ta"), s.Collection("rollup:tb")
		require.NoError(t, across(s, part("rollup:ta", add("t", 1)), part("rollup:tb", add("t", 1))))
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := store.IncrementAcross(ctx, s, []store.CollectionIncrements{
				part("rollup:ta", add("t", 10)), part("rollup:tb", add("t", 10), add("u", 1))}); err != nil {
				return err
			}
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)
		if e.opts.Transactions {
			expect(t, a, "t", "1", 1)
			expect(t, b, "t", "1", 1)
			expect(t, b, "u", "", 0)
		} else {
			expect(t, a, "t", "11", 2)
			expect(t, b, "t", "11", 2)
			expect(t, b, "u", "1", 1)
		}
	})

	t.Run("a call failing in the caller's transaction leaves every collection as it was", func(t *testing.T) {
		if !e.opts.Transactions {
			// Without transactions each document's increment stands on its own ("in a
			// failed transaction" above checks that it stays).
			return
		}
		if fallback {
			// The fallback leaves a failed call's earlier collections to the caller's
			// transaction, which fails with it on an engine that aborts a transaction
			// on a failed write (MongoDB); SQLite has its own IncrementAcross.
			return
		}
		s := newScope(t)
		colls := []string{"rollup:ua", "rollup:ub", "rollup:uc"}
		for _, coll := range colls {
			require.NoError(t, s.Collection(coll).EnsureIndex(ctx, store.Index{Name: "by_k", Fields: []string{"k"}, Unique: true}))
			require.NoError(t, s.Collection(coll).Increment(ctx, []store.Increment{add("e0", 1), add("e1", 1)}))
		}
		// Existing and new documents in every collection, the clash (a new document with
		// the unique key an existing one holds) in the last: an engine may have written
		// the others by then. A record write's few and an import batch's many.
		clash := store.Increment{ID: "clash", Set: map[string]any{"k": "e0"}, Add: map[string]float64{"n": 1}}
		few := []store.CollectionIncrements{
			part(colls[0], add("e0", 5), add("f0", 1)), part(colls[1], add("e1", 5)), part(colls[2], add("e0", 2), clash)}
		var many []store.CollectionIncrements
		for ci, coll := range colls {
			incs := []store.Increment{add("e0", 5), add("e1", 5)}
			for i := range 150 {
				incs = append(incs, add(fmt.Sprintf("n%03d", i), 1))
			}
			if ci == len(colls)-1 {
				incs = append(incs, clash)
			}
			many = append(many, part(coll, incs...))
		}
		for name, batches := range map[string][]store.CollectionIncrements{"few": few, "many": many} {
			var incErr error
			after := "after-" + name
			txErr := s.WithTx(ctx, func(ctx context.Context) error {
				incErr = store.IncrementAcross(ctx, s, batches)
				return s.Collection(colls[0]).Increment(ctx, []store.Increment{add(after, 1)})
			})
			require.ErrorIs(t, incErr, store.ErrDuplicate, name)
			for _, coll := range colls {
				c := s.Collection(coll)
				expect(t, c, "e0", "1", 1)
				expect(t, c, "e1", "1", 1)
				for _, id := range []string{"f0", "n000", "n149", "clash"} {
					expect(t, c, id, "", 0)
				}
			}
			// The transaction's other write commits where the engine keeps the transaction.
			_, err := s.Collection(colls[0]).Get(ctx, after)
			if txErr == nil {
				assert.NoError(t, err, name)
			} else {
				assert.ErrorIs(t, err, store.ErrNotFound, "%s: transaction error: %v", name, txErr)
			}
		}
	})

	t.Run("concurrent calls all count", func(t *testing.T) {
		s := newScope(t)
		colls := []string{"rollup:ra", "rollup:rb", "rollup:rc"}
		const writers, each = 6, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					var parts []store.CollectionIncrements
					for _, coll := range colls {
						parts = append(parts, part(coll, add("hot", 1), add(fmt.Sprintf("w%d", w), float64(i))))
					}
					errs <- across(s, parts...)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		for _, coll := range colls {
			c := s.Collection(coll)
			expect(t, c, "hot", fmt.Sprint(writers*each), writers*each)
			for w := range writers {
				id := fmt.Sprintf("w%d", w)
				expect(t, c, id, fmt.Sprint(each*(each-1)/2), each)
			}
		}
	})
}
