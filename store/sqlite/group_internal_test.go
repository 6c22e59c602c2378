package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// The failures of a shared transaction as a whole need statements no collection
// method makes, so these tests run SQL of their own on the writer.

var errMember = errors.New("member failed")

// groupOf runs fns as concurrent top-level transactions queued while the test holds
// the writer, so the loop runs them as one group, in order. It returns each caller's
// error.
func groupOf(t *testing.T, b *Backend, fns ...func(ctx context.Context) error) []error {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, b.acquire(ctx))
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var order []int
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.withTx(ctx, func(ctx context.Context) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return fn(ctx)
			})
		}()
		time.Sleep(50 * time.Millisecond) // queue in this order
	}
	b.release()
	wg.Wait()
	want := make([]int, len(fns))
	for i := range want {
		want[i] = i
	}
	require.Equal(t, want, order, "the members ran in the order they queued")
	return errs
}

// sqlExec runs a statement of its own with a transaction's ctx.
func sqlExec(ctx context.Context, b *Backend, query string) error {
	return b.run(ctx, true, func(ctx context.Context, r *runner) error {
		_, err := b.wconn.ExecContext(ctx, query)
		return err
	})
}

func TestGroupFailures(t *testing.T) {
	ctx := context.Background()
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			path := MemoryPath
			if kind == "file" {
				path = filepath.Join(t.TempDir(), "group.db")
			}
			b, err := Open(ctx, Config{Path: path})
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, b.Close()) })
			s, err := b.Scope("acme")
			require.NoError(t, err)
			c := s.Collection("records")
			insert := func(id string) func(ctx context.Context) error {
				return func(ctx context.Context) error { return c.Insert(ctx, &store.Doc{ID: id}) }
			}
			// A deferred foreign key is checked at COMMIT only: a member that breaks it
			// returns nil, is released, and makes the group's COMMIT fail.
			require.NoError(t, sqlExec(ctx, b, `CREATE TABLE parent (id INTEGER PRIMARY KEY)`))
			require.NoError(t, sqlExec(ctx, b, `CREATE TABLE child (id INTEGER PRIMARY KEY,
				parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`))
			orphan := func(id int) func(ctx context.Context) error {
				return func(ctx context.Context) error {
					return sqlExec(ctx, b, fmt.Sprintf(`INSERT INTO child VALUES (%d, 999)`, id))
				}
			}
			visible := func(t *testing.T, id string) bool {
				t.Helper()
				_, err := c.Get(ctx, id)
				if errors.Is(err, store.ErrNotFound) {
					return false
				}
				require.NoError(t, err)
				return true
			}

			t.Run("a failed COMMIT fails every member", func(t *testing.T) {
				errs := groupOf(t, b, insert("c-1"), orphan(1), insert("c-3"),
					func(context.Context) error { return errMember })
				for i := range 3 {
					assert.ErrorContains(t, errs[i], "commit transaction", "member %d", i)
					assert.ErrorContains(t, errs[i], "FOREIGN KEY constraint failed", "member %d", i)
				}
				assert.Equal(t, errMember, errs[3], "a member rolled back keeps its own error")
				assert.False(t, visible(t, "c-1"))
				assert.False(t, visible(t, "c-3"))
				require.NoError(t, insert("c-after")(ctx), "the writer is left outside any transaction")
				assert.True(t, visible(t, "c-after"))
			})

			t.Run("a failed COMMIT of a lone transaction", func(t *testing.T) {
				err := b.withTx(ctx, func(ctx context.Context) error {
					if err := insert("lone")(ctx); err != nil {
						return err
					}
					return orphan(2)(ctx)
				})
				assert.ErrorContains(t, err, "FOREIGN KEY constraint failed")
				assert.False(t, visible(t, "lone"))
				require.NoError(t, insert("lone-after")(ctx))
			})

			t.Run("the engine rolling back the shared transaction", func(t *testing.T) {
				// As SQLite does after an I/O error or a full disk, here by hand.
				errs := groupOf(t, b, insert("e-1"),
					func(ctx context.Context) error {
						if err := insert("e-2")(ctx); err != nil {
							return err
						}
						if err := sqlExec(ctx, b, "ROLLBACK"); err != nil {
							return err
						}
						return errMember
					},
					insert("e-3"))
				assert.ErrorIs(t, errs[0], ErrTxAborted, "a member kept before it loses its writes and is told")
				assert.Equal(t, errMember, errs[1], "the failing member gets its own error alone")
				assert.NoError(t, errs[2], "members after it run in a fresh transaction")
				assert.False(t, visible(t, "e-1"))
				assert.False(t, visible(t, "e-2"))
				assert.True(t, visible(t, "e-3"))
			})

			t.Run("a first member, run without a savepoint, failing or panicking", func(t *testing.T) {
				// The first member of a group has no savepoint: its failure rolls the
				// transaction back whole, and the next member begins a fresh one.
				fails := func(id string) func(ctx context.Context) error {
					return func(ctx context.Context) error {
						if err := insert(id)(ctx); err != nil {
							return err
						}
						return errMember
					}
				}
				errs := groupOf(t, b, fails("b-1"), insert("b-2"), fails("b-3"), insert("b-4"))
				assert.Equal(t, errMember, errs[0])
				assert.NoError(t, errs[1])
				assert.Equal(t, errMember, errs[2], "a later member is rolled back to its savepoint")
				assert.NoError(t, errs[3])
				assert.False(t, visible(t, "b-1"))
				assert.True(t, visible(t, "b-2"))
				assert.False(t, visible(t, "b-3"))
				assert.True(t, visible(t, "b-4"))

				// The same with a panic, which reaches the first member's caller.
				require.NoError(t, b.acquire(ctx))
				var panicked any
				var secondErr error
				var wg sync.WaitGroup
				wg.Add(2)
				go func() {
					defer wg.Done()
					defer func() { panicked = recover() }()
					_ = b.withTx(ctx, func(ctx context.Context) error {
						if err := insert("p-1")(ctx); err != nil {
							return err
						}
						panic("first member")
					})
				}()
				time.Sleep(50 * time.Millisecond) // queue in this order
				go func() {
					defer wg.Done()
					secondErr = b.withTx(ctx, insert("p-2"))
				}()
				time.Sleep(50 * time.Millisecond)
				b.release()
				wg.Wait()
				assert.Equal(t, "first member", panicked)
				assert.NoError(t, secondErr)
				assert.False(t, visible(t, "p-1"))
				assert.True(t, visible(t, "p-2"))
			})

			t.Run("a first member that ends the transaction and returns nil", func(t *testing.T) {
				errs := groupOf(t, b,
					func(ctx context.Context) error {
						if err := insert("m-1")(ctx); err != nil {
							return err
						}
						return sqlExec(ctx, b, "ROLLBACK")
					},
					insert("m-2"))
				assert.ErrorIs(t, errs[0], ErrTxAborted, "its writes are gone: it is not told it committed")
				assert.NoError(t, errs[1], "the next member runs in a fresh transaction")
				assert.False(t, visible(t, "m-1"))
				assert.True(t, visible(t, "m-2"))
			})

			t.Run("a member that ends the transaction and returns nil", func(t *testing.T) {
				errs := groupOf(t, b, insert("n-1"),
					func(ctx context.Context) error { return sqlExec(ctx, b, "ROLLBACK") },
					insert("n-3"))
				assert.ErrorIs(t, errs[0], ErrTxAborted)
				assert.ErrorContains(t, errs[1], "no such savepoint", "its writes are in doubt: it is not told it committed")
				assert.NoError(t, errs[2])
				assert.False(t, visible(t, "n-1"))
				assert.True(t, visible(t, "n-3"))
			})
		})
	}
}
