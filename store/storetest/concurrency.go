package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testConcurrency: optimistic concurrency under contention, and concurrent writers and
// readers.
func testConcurrency(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("records:race")

	t.Run("same version from 8 goroutines: exactly one update wins", func(t *testing.T) {
		d := &store.Doc{Data: map[string]any{"winner": nil}}
		require.NoError(t, c.Insert(ctx, d))
		const n = 8
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := &store.Doc{ID: d.ID, Version: d.Version, Data: map[string]any{"winner": i}}
				<-start
				errs[i] = c.Update(ctx, mine)
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				assert.Equal(t, -1, winner, "only one update may succeed")
				winner = i
			default:
				assert.ErrorIs(t, err, store.ErrConflict, "goroutine %d", i)
			}
		}
		require.NotEqual(t, -1, winner, "one update succeeds")
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.Equal(t, fmt.Sprint(winner), fmt.Sprint(got.Data["winner"]))
	})

	t.Run("concurrent inserts and reads", func(t *testing.T) {
		cc := e.scope(t).Collection("records:busy")
		const writers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers*each*2)
		for w := range writers {
			wg.Add(2)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := cc.Insert(ctx, &store.Doc{Data: map[string]any{"w": w, "i": i}}); err != nil {
						errs <- err
					}
				}
			}()
			go func() {
				defer wg.Done()
				for range each {
					if _, err := cc.Find(ctx, store.Query{Filter: store.Eq("w", w), Limit: 5}); err != nil {
						errs <- err
					}
					if _, err := cc.Count(ctx, nil); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		var all []error
		for err := range errs {
			all = append(all, err)
		}
		require.NoError(t, errors.Join(all...))
		n, err := cc.Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(writers*each), n)
		page, err := cc.Find(ctx, store.Query{Limit: store.MaxLimit})
		require.NoError(t, err)
		seen := map[string]bool{}
		for _, d := range page.Docs {
			assert.False(t, seen[d.ID], "id %s unique", d.ID)
			seen[d.ID] = true
		}
	})
}
