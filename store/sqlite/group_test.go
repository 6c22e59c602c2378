package sqlite_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

var errAbort = errors.New("abort the transaction")

// queueTime is how long a test lets the goroutines it started reach the writer's
// queue; they only have a few instructions to run.
const queueTime = 150 * time.Millisecond

// holdWriter runs a transaction that keeps the writer busy until the returned function
// is called, so transactions started meanwhile queue and then run as one group.
func holdWriter(t *testing.T, s store.Scope) (release func()) {
	t.Helper()
	entered, leave, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.WithTx(context.Background(), func(context.Context) error {
			close(entered)
			<-leave
			return nil
		})
	}()
	<-entered
	return func() {
		close(leave)
		require.NoError(t, <-done)
	}
}

// appendAudit appends an entry to the scope's audit chain as the platform does: read
// the head (last id), then insert the next sequence number linked to it.
func appendAudit(ctx context.Context, audit store.Collection, record string) error {
	page, err := audit.Find(ctx, store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1, Fields: []string{"seq", "hash"}})
	if err != nil {
		return err
	}
	seq, prev := int64(1), ""
	if len(page.Docs) == 1 {
		n, err := page.Docs[0].Data["seq"].(json.Number).Int64()
		if err != nil {
			return err
		}
		seq, prev = n+1, page.Docs[0].Data["hash"].(string)
	}
	return audit.Insert(ctx, &store.Doc{ID: fmt.Sprintf("%020d", seq), Data: map[string]any{
		"record": record, "seq": seq, "prev": prev, "hash": fmt.Sprintf("h%d", seq),
	}})
}

func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			path := sqlite.MemoryPath
			if kind == "file" {
				path = filepath.Join(t.TempDir(), "group.db")
			}
			b := newTestBackend(t, path)

			t.Run("each member of a group keeps its own outcome", func(t *testing.T) {
				s, err := b.Scope("mixed")
				require.NoError(t, err)
				records, audit := s.Collection("records"), s.Collection("audit")
				const callers = 24
				kinds := []string{"commits", "fails", "panics", "cancels"}
				kindOf := func(i int) string { return kinds[i%len(kinds)] }
				errs := make([]error, callers)
				panics := make([]any, callers)
				leaked := make([]context.Context, callers)
				var wg sync.WaitGroup
				release := holdWriter(t, s)
				for i := range callers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer func() { panics[i] = recover() }()
						cctx, cancel := context.WithCancel(ctx)
						defer cancel()
						id := fmt.Sprintf("r%02d", i)
						errs[i] = s.WithTx(cctx, func(ctx context.Context) error {
							leaked[i] = ctx
							if err := records.Insert(ctx, &store.Doc{ID: id, Data: map[string]any{"kind": kindOf(i)}}); err != nil {
								return err
							}
							if _, err := records.Get(ctx, id); err != nil { // reads see the member's own writes
								return err
							}
							// A nested WithTx joins the member's transaction.
							if err := s.WithTx(ctx, func(ctx context.Context) error { return appendAudit(ctx, audit, id) }); err != nil {
								return err
							}
							if err := store.IncrementOnCommit(ctx, s, []store.CollectionIncrements{{Collection: "rollup:all",
								Increments: []store.Increment{{ID: "all", Add: map[string]float64{"n": 1}}}}}); err != nil {
								return err
							}
							switch kindOf(i) {
							case "fails":
								return fmt.Errorf("caller %d: %w", i, errAbort)
							case "panics":
								panic(id)
							case "cancels":
								cancel()
								if err := records.Insert(ctx, &store.Doc{ID: id + "-late"}); !errors.Is(err, context.Canceled) {
									return fmt.Errorf("a write with a cancelled ctx: %v", err)
								}
							}
							return nil
						})
					}()
				}
				time.Sleep(queueTime)
				release()
				wg.Wait()

				committed := 0
				for i := range callers {
					id := fmt.Sprintf("r%02d", i)
					_, getErr := records.Get(ctx, id)
					switch kindOf(i) {
					case "commits":
						committed++
						assert.NoError(t, errs[i], id)
						assert.Nil(t, panics[i], id)
						assert.NoError(t, getErr, "%s is committed", id)
					case "fails":
						assert.ErrorIs(t, errs[i], errAbort, id)
						assert.ErrorContains(t, errs[i], fmt.Sprintf("caller %d:", i), "%s gets its own error", id)
						assert.ErrorIs(t, getErr, store.ErrNotFound, "%s is rolled back", id)
					case "panics":
						assert.Equal(t, id, panics[i], "%s's panic reaches its own caller", id)
						assert.ErrorIs(t, getErr, store.ErrNotFound, "%s is rolled back", id)
					case "cancels":
						assert.ErrorIs(t, errs[i], context.Canceled, id)
						assert.ErrorIs(t, getErr, store.ErrNotFound, "%s is rolled back", id)
						_, lateErr := records.Get(ctx, id+"-late")
						assert.ErrorIs(t, lateErr, store.ErrNotFound)
					}
					assert.ErrorIs(t, records.Insert(leaked[i], &store.Doc{}), sqlite.ErrTxDone, "%s's ctx is dead", id)
				}
				// The chain has one entry per committed member and no gap: a member
				// rolled back took its entry with it before the next read the head.
				page, err := audit.Find(ctx, store.Query{Sort: []store.Sort{{Field: store.FieldID}}, Limit: 100})
				require.NoError(t, err)
				require.Len(t, page.Docs, committed)
				for i, d := range page.Docs {
					assert.Equal(t, fmt.Sprintf("%020d", i+1), d.ID)
					assert.Equal(t, "commits", kindOf(atoiSuffix(t, d.Data["record"].(string))))
				}
				// The increments held to the commit count for the committed members only,
				// merged: the group wrote the counter fewer times than it has members.
				all, err := s.Collection("rollup:all").Get(ctx, "all")
				require.NoError(t, err)
				assert.Equal(t, fmt.Sprint(committed), fmt.Sprint(all.Data["n"]))
				assert.Less(t, all.Version, int64(committed), "written once a group, not once a member")
			})

			t.Run("a caller whose ctx ends in the queue is not run", func(t *testing.T) {
				s, err := b.Scope("queue")
				require.NoError(t, err)
				c := s.Collection("records")
				release := holdWriter(t, s)
				cctx, cancel := context.WithCancel(ctx)
				var ran atomic.Bool
				gave := make(chan error, 2)
				commits := make(chan error, 2)
				giveUp := func() {
					gave <- s.WithTx(cctx, func(ctx context.Context) error {
						ran.Store(true)
						return c.Insert(ctx, &store.Doc{Data: map[string]any{"cancelled": true}})
					})
				}
				// The first caller is the one the writer loop holds while it waits for
				// the writer; the ones behind it wait to be taken.
				go giveUp()
				time.Sleep(queueTime)
				go func() { commits <- c.Insert(ctx, &store.Doc{ID: "middle"}) }()
				time.Sleep(queueTime)
				go giveUp()
				go func() {
					commits <- s.WithTx(ctx, func(ctx context.Context) error { return c.Insert(ctx, &store.Doc{ID: "after"}) })
				}()
				time.Sleep(queueTime)
				cancel()
				for range 2 {
					select {
					case err := <-gave:
						assert.ErrorIs(t, err, context.Canceled)
					case <-time.After(10 * time.Second):
						release()
						t.Fatal("a caller whose ctx ended kept waiting for the busy writer")
					}
				}
				release()
				require.NoError(t, <-commits)
				require.NoError(t, <-commits)
				assert.False(t, ran.Load(), "no cancelled fn ran")
				n, err := c.Count(ctx, store.Eq("cancelled", true))
				require.NoError(t, err)
				assert.Zero(t, n)
				for _, id := range []string{"middle", "after"} {
					_, err := c.Get(ctx, id)
					assert.NoError(t, err, id)
				}
			})

			t.Run("a cancelled ctx is refused before it queues", func(t *testing.T) {
				s, err := b.Scope("refused")
				require.NoError(t, err)
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				var ran bool
				err = s.WithTx(cctx, func(context.Context) error { ran = true; return nil })
				require.ErrorIs(t, err, context.Canceled)
				assert.False(t, ran)
			})

		})
	}
}

// atoiSuffix reads the number after the one-letter prefix of an id like "r07".
func atoiSuffix(t *testing.T, id string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscanf(id[1:], "%d", &n)
	require.NoError(t, err)
	return n
}

func TestGroupCommitClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "close.db")
	b, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records")
	release := holdWriter(t, s)
	const callers = 8
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.WithTx(ctx, func(ctx context.Context) error { return c.Insert(ctx, &store.Doc{ID: fmt.Sprint(i)}) })
		}()
	}
	time.Sleep(queueTime)
	closed := make(chan error, 1)
	go func() { closed <- b.Close() }()
	time.Sleep(queueTime)
	release()
	wg.Wait()
	require.NoError(t, <-closed)

	// Every caller either committed or was told the backend closed; nothing is lost.
	reopened := newTestBackend(t, path)
	rs, err := reopened.Scope("acme")
	require.NoError(t, err)
	for i, err := range errs {
		_, getErr := rs.Collection("records").Get(ctx, fmt.Sprint(i))
		if err != nil {
			assert.ErrorIs(t, err, sqlite.ErrClosed, "caller %d", i)
			assert.ErrorIs(t, getErr, store.ErrNotFound, "caller %d", i)
		} else {
			assert.NoError(t, getErr, "caller %d committed", i)
		}
	}
}
