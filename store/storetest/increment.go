package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testIncrement: counters kept as documents, created on first use and added to
// atomically afterwards (rollups of the report runtime keep their figures this way).
func testIncrement(t *testing.T, e *env) {
	ctx := context.Background()

	t.Run("creates with Set and Add, then adds and ignores Set", func(t *testing.T) {
		c := e.scope(t).Collection("rollup:r1")
		require.NoError(t, c.Increment(ctx, []store.Increment{{ID: "a",
			Set: map[string]any{"channel": "online", "day": "2024-01-02", "amount": num("5")},
			Add: map[string]float64{"n": 1, "s": 2.5}}}))
		got, err := c.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, int64(1), got.Version)
		assert.Empty(t, sameData(map[string]any{"channel": "online", "day": "2024-01-02", "amount": num("5"), "n": num("1"), "s": num("2.5")}, got.Data))
		require.NoError(t, c.Increment(ctx, []store.Increment{{ID: "a",
			Set: map[string]any{"channel": "elsewhere"},
			Add: map[string]float64{"n": 2, "s": -0.5, "fresh": 4}}}))
		got, err = c.Get(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version, "an increment is a write: the version moves")
		s, err := got.Data["s"].(json.Number).Float64()
		require.NoError(t, err)
		assert.Equal(t, 2.0, s, "a fractional sum is a number (its representation is the engine's)")
		delete(got.Data, "s")
		assert.Empty(t, sameData(map[string]any{"channel": "online", "day": "2024-01-02", "amount": num("5"), "n": num("3"), "fresh": num("4")}, got.Data))
		assert.False(t, got.UpdatedAt.Before(got.CreatedAt))
	})

	t.Run("integral amounts keep counters integers", func(t *testing.T) {
		c := e.scope(t).Collection("rollup:ints")
		for range 3 {
			require.NoError(t, c.Increment(ctx, []store.Increment{{ID: "k", Add: map[string]float64{"n": 1, "big": 4503599627370496}}}))
		}
		got, err := c.Get(ctx, "k")
		require.NoError(t, err)
		for _, k := range []string{"n", "big"} {
			s := fmt.Sprint(got.Data[k])
			assert.False(t, strings.ContainsAny(s, ".eE"), "%s = %s is an integer", k, s)
		}
		assert.Equal(t, "3", fmt.Sprint(got.Data["n"]))
		assert.Equal(t, "13510798882111488", fmt.Sprint(got.Data["big"]))
	})

	t.Run("one call: repeated ids add up, many documents are written", func(t *testing.T) {
		c := e.scope(t).Collection("rollup:many")
		var incs []store.Increment
		for i := range 300 {
			id := fmt.Sprintf("d%03d", i%150)
			incs = append(incs, store.Increment{ID: id, Set: map[string]any{"k": id}, Add: map[string]float64{"n": 1, "s": float64(i)}})
		}
		require.NoError(t, c.Increment(ctx, incs))
		page, err := c.Find(ctx, store.Query{Limit: store.MaxLimit})
		require.NoError(t, err)
		require.Len(t, page.Docs, 150)
		for _, d := range page.Docs {
			var i int
			_, err := fmt.Sscanf(d.ID, "d%03d", &i)
			require.NoError(t, err)
			assert.Equal(t, d.ID, d.Data["k"])
			assert.Equal(t, "2", fmt.Sprint(d.Data["n"]), d.ID)
			assert.Equal(t, fmt.Sprint(2*i+150), fmt.Sprint(d.Data["s"]), d.ID)
		}
		groups, err := c.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{
			{Name: "n", Op: store.MeasureSum, Field: "n"}, {Name: "s", Op: store.MeasureSum, Field: "s"}}})
		require.NoError(t, err)
		assert.Equal(t, map[string]float64{"n": 300, "s": 299 * 300 / 2}, groups[0].Values, "aggregates read the counters")
	})

	t.Run("invalid increments change nothing", func(t *testing.T) {
		c := e.scope(t).Collection("rollup:bad")
		good := store.Increment{ID: "ok", Add: map[string]float64{"n": 1}}
		for name, bad := range map[string]store.Increment{
			"no id":             {Add: map[string]float64{"n": 1}},
			"dotted key":        {ID: "x", Add: map[string]float64{"a.b": 1}},
			"metadata key":      {ID: "x", Add: map[string]float64{"_version": 1}},
			"operator key":      {ID: "x", Add: map[string]float64{"$inc": 1}},
			"set and added":     {ID: "x", Set: map[string]any{"n": 1}, Add: map[string]float64{"n": 1}},
			"not a number":      {ID: "x", Add: map[string]float64{"n": nan()}},
			"reserved set keys": {ID: "x", Set: map[string]any{"_k": 1}, Add: map[string]float64{"n": 1}},
		} {
			err := c.Increment(ctx, []store.Increment{good, bad})
			assert.ErrorIs(t, err, store.ErrInvalid, name)
		}
		n, err := c.Count(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, n)
	})

	t.Run("in a failed transaction", func(t *testing.T) {
		s := e.scope(t)
		c := s.Collection("rollup:tx")
		require.NoError(t, c.Increment(ctx, []store.Increment{{ID: "t", Add: map[string]float64{"n": 1}}}))
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := c.Increment(ctx, []store.Increment{{ID: "t", Add: map[string]float64{"n": 10}}, {ID: "u", Add: map[string]float64{"n": 1}}}); err != nil {
				return err
			}
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)
		got, err := c.Get(ctx, "t")
		require.NoError(t, err)
		n, err := c.Count(ctx, nil)
		require.NoError(t, err)
		if e.opts.Transactions {
			assert.Equal(t, "1", fmt.Sprint(got.Data["n"]), "rolled back with the transaction")
			assert.Equal(t, int64(1), n)
		} else {
			assert.Equal(t, "11", fmt.Sprint(got.Data["n"]), "without transactions the increment stays")
			assert.Equal(t, int64(2), n)
		}
	})

	t.Run("a call failing in the caller's transaction leaves nothing of itself", func(t *testing.T) {
		if !e.opts.Transactions {
			// Nothing to undo: without transactions each document's increment stands
			// on its own ("in a failed transaction" above checks that it stays).
			return
		}
		s := e.scope(t)
		c := s.Collection("rollup:undo")
		require.NoError(t, c.EnsureIndex(ctx, store.Index{Name: "by_k", Fields: []string{"k"}, Unique: true}))
		var seed []store.Increment
		for i := range 3 {
			seed = append(seed, store.Increment{ID: fmt.Sprintf("e%d", i), Set: map[string]any{"k": fmt.Sprintf("e%d", i)}, Add: map[string]float64{"n": 1}})
		}
		require.NoError(t, c.Increment(ctx, seed))
		// The existing documents first, then new ones, then one whose unique key an
		// existing document holds: an engine may have written the others by then. A few
		// increments (a record write's) and many (an import batch's).
		few := []store.Increment{{ID: "e1", Add: map[string]float64{"n": 5}},
			{ID: "f0", Set: map[string]any{"k": "f0"}, Add: map[string]float64{"n": 1}},
			{ID: "clash", Set: map[string]any{"k": "e0"}, Add: map[string]float64{"n": 1}}}
		var many []store.Increment
		for i := range 3 {
			many = append(many, store.Increment{ID: fmt.Sprintf("e%d", i), Add: map[string]float64{"n": 5, "m": 2.5}})
		}
		for i := range 200 {
			many = append(many, store.Increment{ID: fmt.Sprintf("n%03d", i), Set: map[string]any{"k": fmt.Sprintf("n%03d", i)}, Add: map[string]float64{"n": 1}})
		}
		many = append(many, store.Increment{ID: "clash", Set: map[string]any{"k": "e0"}, Add: map[string]float64{"n": 1}})
		for _, incs := range [][]store.Increment{few, many} {
			var incErr error
			txErr := s.WithTx(ctx, func(ctx context.Context) error {
				incErr = c.Increment(ctx, incs)
				return c.Increment(ctx, []store.Increment{{ID: fmt.Sprintf("after%d", len(incs)), Set: map[string]any{"k": fmt.Sprintf("after%d", len(incs))}, Add: map[string]float64{"n": 1}}})
			})
			require.ErrorIs(t, incErr, store.ErrDuplicate)
			for i := range 3 {
				got, err := c.Get(ctx, fmt.Sprintf("e%d", i))
				require.NoError(t, err)
				assert.Equal(t, int64(1), got.Version, "the existing documents are as they were")
				assert.Empty(t, sameData(map[string]any{"k": fmt.Sprintf("e%d", i), "n": num("1")}, got.Data))
			}
			for _, id := range []string{"f0", "n000"} {
				_, err := c.Get(ctx, id)
				assert.ErrorIs(t, err, store.ErrNotFound, "no new document of the call is stored")
			}
			// The transaction's other write commits where the engine keeps the transaction.
			_, err := c.Get(ctx, fmt.Sprintf("after%d", len(incs)))
			if txErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, store.ErrNotFound, "transaction error: %v", txErr)
			}
		}
	})

	t.Run("concurrent increments of one document all count", func(t *testing.T) {
		c := e.scope(t).Collection("rollup:race")
		const writers, each = 6, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					errs <- c.Increment(ctx, []store.Increment{
						{ID: "hot", Set: map[string]any{"k": "hot"}, Add: map[string]float64{"n": 1, "s": 0.5}},
						{ID: fmt.Sprintf("w%d", w), Add: map[string]float64{"n": float64(i)}},
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		got, err := c.Get(ctx, "hot")
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(writers*each), fmt.Sprint(got.Data["n"]))
		s, err := got.Data["s"].(json.Number).Float64()
		require.NoError(t, err)
		assert.Equal(t, float64(writers*each)/2, s)
		assert.Equal(t, int64(writers*each), got.Version)
		for w := range writers {
			d, err := c.Get(ctx, fmt.Sprintf("w%d", w))
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprint(each*(each-1)/2), fmt.Sprint(d.Data["n"]))
		}
	})
}

// testMatch checks that store.Match and store.GroupKeyOf, the contract evaluated in Go,
// say what the engine says: the same documents for every filter case, the same groups
// for every aggregation case.
func testMatch(t *testing.T, e *env) {
	ctx := context.Background()
	fx := loadQueryFixtures(t, ctx, e.scope(t).Collection("records:match"))
	for _, tc := range filterCases(fx.docs) {
		t.Run(tc.name, func(t *testing.T) {
			page, err := fx.coll.Find(ctx, store.Query{Filter: tc.filter, Limit: store.MaxLimit})
			require.NoError(t, err)
			var ids []string
			for _, d := range fx.docs {
				if store.Match(tc.filter, d) {
					ids = append(ids, d.ID)
				}
			}
			assert.Equal(t, idsOf(page.Docs), refSort(pick(fx.docs, ids), nil))
		})
	}

	c := e.scope(t).Collection("records:matchagg")
	docs := insertData(t, ctx, c, aggFixtures(200))
	for i, d := range docs {
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		got.Data = d.Data
		docs[i] = got
	}
	keys := []store.GroupKey{
		{Field: "status"}, {Field: "channel"}, {Field: "flag"}, {Field: "term"}, {Field: "amount"},
		{Field: "applied_at", Bucket: store.BucketDay}, {Field: "applied_at", Bucket: store.BucketMonth},
		{Field: "score", Bucket: store.BucketRange, Bounds: []float64{500, 600, 700}},
		{Field: "amount", Bucket: store.BucketRange, Bounds: []float64{10000}},
		{Field: store.FieldCreatedAt, Bucket: store.BucketDay}, {Field: store.FieldVersion},
	}
	for _, k := range keys {
		t.Run(fmt.Sprintf("group key %s %s", k.Field, k.Bucket), func(t *testing.T) {
			for _, f := range []*store.Filter{nil, store.Eq("status", "approved"), store.Not(store.Gte("score", 600))} {
				groups, err := c.Aggregate(ctx, store.Aggregation{Filter: f, GroupBy: []store.GroupKey{k},
					Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
				require.NoError(t, err)
				engine := map[string]float64{}
				for _, g := range groups {
					ks, err := keyString(g.Key)
					require.NoError(t, err)
					engine[ks] = g.Values["n"]
				}
				inGo := map[string]float64{}
				for _, d := range docs {
					if store.Match(f, d) {
						ks, err := keyString([]any{store.GroupKeyOf(d, k)})
						require.NoError(t, err)
						inGo[ks]++
					}
				}
				assert.Equal(t, engine, inGo, "filter %v", f)
			}
		})
	}
}

func nan() float64 { return math.NaN() }
