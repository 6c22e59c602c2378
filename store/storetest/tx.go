package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

var errAbort = errors.New("storetest: abort the transaction")

// testTx: WithTx commits on nil, and on error either rolls back (engines with
// transactions) or keeps fn's writes; fn's error comes back either way.
func testTx(t *testing.T, e *env) {
	ctx := context.Background()

	// seed gives a scope two collections with one document each to update and delete.
	seed := func(t *testing.T) (store.Scope, store.Collection, store.Collection, *store.Doc, *store.Doc) {
		t.Helper()
		s := e.scope(t)
		records, audit := s.Collection("records:loan"), s.Collection("audit")
		upd := &store.Doc{Data: map[string]any{"state": "before"}}
		del := &store.Doc{Data: map[string]any{"state": "doomed"}}
		require.NoError(t, records.Insert(ctx, upd))
		require.NoError(t, records.Insert(ctx, del))
		return s, records, audit, upd, del
	}

	t.Run("nil error commits every write", func(t *testing.T) {
		s, records, audit, upd, del := seed(t)
		created := &store.Doc{ID: "created-in-tx", Data: map[string]any{"state": "new"}}
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := records.Insert(ctx, created); err != nil {
				return err
			}
			if err := audit.Insert(ctx, &store.Doc{Data: map[string]any{"event": "created"}}); err != nil {
				return err
			}
			upd.Data = map[string]any{"state": "after"}
			if err := records.Update(ctx, upd); err != nil {
				return err
			}
			return records.Delete(ctx, del.ID, 0)
		})
		require.NoError(t, err)
		got, err := records.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, "new", got.Data["state"])
		got, err = records.Get(ctx, upd.ID)
		require.NoError(t, err)
		assert.Equal(t, "after", got.Data["state"])
		_, err = records.Get(ctx, del.ID)
		require.ErrorIs(t, err, store.ErrNotFound)
		n, err := audit.Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})

	t.Run("reads with the tx ctx see the tx's writes", func(t *testing.T) {
		s, records, _, upd, _ := seed(t)
		err := s.WithTx(ctx, func(ctx context.Context) error {
			d := &store.Doc{Data: map[string]any{"state": "inside"}}
			require.NoError(t, records.Insert(ctx, d))
			got, err := records.Get(ctx, d.ID)
			require.NoError(t, err)
			assert.Equal(t, "inside", got.Data["state"])
			upd.Data = map[string]any{"state": "changed"}
			require.NoError(t, records.Update(ctx, upd))
			page, err := records.Find(ctx, store.Query{Filter: store.Eq("state", "changed")})
			require.NoError(t, err)
			assert.Equal(t, []string{upd.ID}, idsOf(page.Docs))
			n, err := records.Count(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, int64(3), n)
			groups, err := records.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
			require.NoError(t, err)
			require.Len(t, groups, 1)
			assert.Equal(t, float64(3), groups[0].Values["n"])
			return nil
		})
		require.NoError(t, err)
	})

	t.Run("an error from fn is returned and rolls back or persists", func(t *testing.T) {
		s, records, audit, upd, del := seed(t)
		created := &store.Doc{ID: "created-in-failed-tx", Data: map[string]any{"state": "new"}}
		err := s.WithTx(ctx, func(ctx context.Context) error {
			require.NoError(t, records.Insert(ctx, created))
			require.NoError(t, audit.Insert(ctx, &store.Doc{Data: map[string]any{"event": "created"}}))
			upd.Data = map[string]any{"state": "after"}
			require.NoError(t, records.Update(ctx, upd))
			require.NoError(t, records.Delete(ctx, del.ID, 0))
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)

		_, getCreated := records.Get(ctx, created.ID)
		gotUpd, err := records.Get(ctx, upd.ID)
		require.NoError(t, err)
		_, getDeleted := records.Get(ctx, del.ID)
		auditN, err := audit.Count(ctx, nil)
		require.NoError(t, err)
		if e.opts.Transactions {
			assert.ErrorIs(t, getCreated, store.ErrNotFound, "the insert is rolled back")
			assert.Equal(t, "before", gotUpd.Data["state"], "the update is rolled back")
			assert.Equal(t, int64(1), gotUpd.Version)
			assert.NoError(t, getDeleted, "the delete is rolled back")
			assert.Zero(t, auditN, "the write to the other collection is rolled back")
		} else {
			assert.NoError(t, getCreated, "without transactions the insert persists")
			assert.Equal(t, "after", gotUpd.Data["state"], "without transactions the update persists")
			assert.ErrorIs(t, getDeleted, store.ErrNotFound, "without transactions the delete persists")
			assert.Equal(t, int64(1), auditN)
		}
	})

	t.Run("a store error inside fn aborts like any error", func(t *testing.T) {
		s, records, audit, upd, _ := seed(t)
		err := s.WithTx(ctx, func(ctx context.Context) error {
			require.NoError(t, audit.Insert(ctx, &store.Doc{Data: map[string]any{"event": "try"}}))
			stale := &store.Doc{ID: upd.ID, Version: 7, Data: map[string]any{}}
			return records.Update(ctx, stale)
		})
		require.ErrorIs(t, err, store.ErrConflict)
		n, err := audit.Count(ctx, nil)
		require.NoError(t, err)
		if e.opts.Transactions {
			assert.Zero(t, n, "rolled back")
		} else {
			assert.Equal(t, int64(1), n, "persisted")
		}
	})

	t.Run("nested WithTx joins the outer", func(t *testing.T) {
		s, records, audit, _, _ := seed(t)
		inner := &store.Doc{ID: "inner", Data: map[string]any{}}
		err := s.WithTx(ctx, func(ctx context.Context) error {
			if err := s.WithTx(ctx, func(ctx context.Context) error { return records.Insert(ctx, inner) }); err != nil {
				return err
			}
			require.NoError(t, audit.Insert(ctx, &store.Doc{Data: map[string]any{"event": "outer"}}))
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)
		_, err = records.Get(ctx, inner.ID)
		if e.opts.Transactions {
			assert.ErrorIs(t, err, store.ErrNotFound, "the inner write rolls back with the outer")
		} else {
			assert.NoError(t, err)
		}

		err = s.WithTx(ctx, func(ctx context.Context) error {
			return s.WithTx(ctx, func(ctx context.Context) error { return errAbort })
		})
		require.ErrorIs(t, err, errAbort, "an inner error comes back through the outer")
	})

	t.Run("other ctxs do not see uncommitted writes", func(t *testing.T) {
		s, records, _, _, _ := seed(t)
		hidden := &store.Doc{ID: "hidden", Data: map[string]any{}}
		outside := make(chan error, 1)
		err := s.WithTx(ctx, func(txCtx context.Context) error {
			require.NoError(t, records.Insert(txCtx, hidden))
			// Read with the outer ctx from another goroutine: an engine may answer at
			// once or wait for the transaction to end; either way it must not see the
			// write before the commit, and here there is no commit.
			go func() {
				_, err := records.Get(ctx, hidden.ID)
				outside <- err
			}()
			select {
			case err := <-outside:
				outside <- err
			case <-time.After(200 * time.Millisecond):
			}
			return errAbort
		})
		require.ErrorIs(t, err, errAbort)
		select {
		case err := <-outside:
			if e.opts.Transactions {
				assert.ErrorIs(t, err, store.ErrNotFound, "the outside read never saw the uncommitted insert")
			} else if err != nil {
				assert.ErrorIs(t, err, store.ErrNotFound, "without transactions the read may or may not see it")
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the outside read never finished")
		}
		_, err = records.Get(ctx, hidden.ID)
		if e.opts.Transactions {
			assert.ErrorIs(t, err, store.ErrNotFound)
		} else {
			assert.NoError(t, err)
		}
	})
}
