package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

func TestOpenConfig(t *testing.T) {
	ctx := context.Background()
	t.Run("path is required", func(t *testing.T) {
		_, err := sqlite.Open(ctx, sqlite.Config{})
		require.Error(t, err)
	})
	t.Run("a directory that does not exist", func(t *testing.T) {
		_, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "missing", "credo.db")})
		require.Error(t, err)
	})
	t.Run("ping and close twice", func(t *testing.T) {
		b, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "c.db")})
		require.NoError(t, err)
		require.NoError(t, b.Ping(ctx))
		require.NoError(t, b.Close())
		require.NoError(t, b.Close())
	})
	t.Run("calls after close fail at once", func(t *testing.T) {
		for _, path := range []string{sqlite.MemoryPath, filepath.Join(t.TempDir(), "closed.db")} {
			b, err := sqlite.Open(ctx, sqlite.Config{Path: path})
			require.NoError(t, err)
			s, err := b.Scope("acme")
			require.NoError(t, err)
			c := s.Collection("records")
			require.NoError(t, b.Close())
			require.ErrorIs(t, c.Insert(ctx, &store.Doc{}), sqlite.ErrClosed, path)
			_, err = c.Get(ctx, "x")
			require.ErrorIs(t, err, sqlite.ErrClosed, path)
			require.ErrorIs(t, s.WithTx(ctx, func(context.Context) error { return nil }), sqlite.ErrClosed, path)
		}
	})
	t.Run("memory databases are private", func(t *testing.T) {
		a, b := newTestBackend(t, sqlite.MemoryPath), newTestBackend(t, sqlite.MemoryPath)
		sa, err := a.Scope("acme")
		require.NoError(t, err)
		require.NoError(t, sa.Collection("records").Insert(ctx, &store.Doc{ID: "x"}))
		sb, err := b.Scope("acme")
		require.NoError(t, err)
		_, err = sb.Collection("records").Get(ctx, "x")
		require.ErrorIs(t, err, store.ErrNotFound)
	})
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "credo.db")

	b, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	first, err := b.Migrations(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, first)
	for i, m := range first {
		assert.Equal(t, i+1, m.Version, "numbered from 1 without gaps")
		assert.NotEmpty(t, m.Description)
		assert.WithinDuration(t, time.Now(), m.AppliedAt, time.Minute)
	}

	t.Run("migrate again is a no-op", func(t *testing.T) {
		require.NoError(t, b.Migrate(ctx))
		require.NoError(t, b.Migrate(ctx))
		again, err := b.Migrations(ctx)
		require.NoError(t, err)
		assert.Equal(t, first, again)
	})

	require.NoError(t, b.Close())

	t.Run("reopen applies nothing", func(t *testing.T) {
		b2 := newTestBackend(t, path)
		again, err := b2.Migrations(ctx)
		require.NoError(t, err)
		assert.Equal(t, first, again)
	})

	t.Run("a newer database is refused", func(t *testing.T) {
		db, err := sql.Open("sqlite", path)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, 'from the future', 0)`, len(first)+1)
		require.NoError(t, err)
		require.NoError(t, db.Close())
		_, err = sqlite.Open(ctx, sqlite.Config{Path: path})
		require.ErrorIs(t, err, sqlite.ErrSchemaNewer)
	})

	t.Run("a rewritten history is refused", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "rewritten.db")
		b3, err := sqlite.Open(ctx, sqlite.Config{Path: p})
		require.NoError(t, err)
		require.NoError(t, b3.Close())
		db, err := sql.Open("sqlite", p)
		require.NoError(t, err)
		_, err = db.Exec(`UPDATE schema_migrations SET description = 'something else' WHERE version = 1`)
		require.NoError(t, err)
		require.NoError(t, db.Close())
		_, err = sqlite.Open(ctx, sqlite.Config{Path: p})
		require.ErrorIs(t, err, sqlite.ErrSchemaNewer)
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "credo.db")
	b, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	s, err := b.Scope("acme")
	require.NoError(t, err)
	users := s.Collection("users")
	require.NoError(t, users.EnsureIndex(ctx, store.Index{Name: "by_email", Fields: []string{"email"}, Unique: true}))
	ada := &store.Doc{Data: map[string]any{"email": "ada@example.com", "limit": 9007199254740993}}
	require.NoError(t, users.Insert(ctx, ada))
	require.NoError(t, b.Close())

	b2 := newTestBackend(t, path)
	s2, err := b2.Scope("acme")
	require.NoError(t, err)
	users2 := s2.Collection("users")
	got, err := users2.Get(ctx, ada.ID)
	require.NoError(t, err)
	assert.Equal(t, "9007199254740993", fmt.Sprint(got.Data["limit"]))
	assert.True(t, got.CreatedAt.Equal(ada.CreatedAt))
	require.ErrorIs(t, users2.Insert(ctx, &store.Doc{Data: map[string]any{"email": "ada@example.com"}}), store.ErrDuplicate, "the unique index survives")
	require.NoError(t, users2.EnsureIndex(ctx, store.Index{Name: "by_email", Fields: []string{"email"}, Unique: true}), "and is remembered")
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	for _, path := range []string{sqlite.MemoryPath, filepath.Join(t.TempDir(), "live.db")} {
		t.Run(path, func(t *testing.T) {
			b := newTestBackend(t, path)
			s, err := b.Scope("acme")
			require.NoError(t, err)
			require.NoError(t, s.Collection("records").Insert(ctx, &store.Doc{ID: "kept", Data: map[string]any{"n": 1}}))
			dst := filepath.Join(t.TempDir(), "backup.db")
			require.NoError(t, b.Backup(ctx, dst))
			require.Error(t, b.Backup(ctx, dst), "an existing file is not overwritten")

			copyDB := newTestBackend(t, dst)
			cs, err := copyDB.Scope("acme")
			require.NoError(t, err)
			got, err := cs.Collection("records").Get(ctx, "kept")
			require.NoError(t, err)
			assert.Equal(t, "1", fmt.Sprint(got.Data["n"]))
		})
	}
}

func TestTransactionEdges(t *testing.T) {
	ctx := context.Background()
	for _, path := range []string{sqlite.MemoryPath, filepath.Join(t.TempDir(), "tx.db")} {
		t.Run(path, func(t *testing.T) {
			b := newTestBackend(t, path)
			s, err := b.Scope("acme")
			require.NoError(t, err)
			c := s.Collection("records")

			t.Run("a panic rolls back and frees the writer", func(t *testing.T) {
				assert.Panics(t, func() {
					_ = s.WithTx(ctx, func(ctx context.Context) error {
						require.NoError(t, c.Insert(ctx, &store.Doc{ID: "panicked"}))
						panic("boom")
					})
				})
				_, err := c.Get(ctx, "panicked")
				require.ErrorIs(t, err, store.ErrNotFound)
				require.NoError(t, c.Insert(ctx, &store.Doc{ID: "after-panic"}))
			})

			t.Run("a cancelled ctx rolls back", func(t *testing.T) {
				cctx, cancel := context.WithCancel(ctx)
				err := s.WithTx(cctx, func(ctx context.Context) error {
					require.NoError(t, c.Insert(ctx, &store.Doc{ID: "cancelled"}))
					cancel()
					return nil
				})
				require.ErrorIs(t, err, context.Canceled)
				_, err = c.Get(ctx, "cancelled")
				require.ErrorIs(t, err, store.ErrNotFound)
				require.NoError(t, c.Insert(ctx, &store.Doc{ID: "after-cancel"}))
			})

			t.Run("the tx ctx is dead after WithTx", func(t *testing.T) {
				var leaked context.Context
				require.NoError(t, s.WithTx(ctx, func(ctx context.Context) error { leaked = ctx; return nil }))
				require.ErrorIs(t, c.Insert(leaked, &store.Doc{}), sqlite.ErrTxDone)
				require.ErrorIs(t, s.WithTx(leaked, func(context.Context) error { return nil }), sqlite.ErrTxDone)
			})

			t.Run("a tx spans scopes of one backend", func(t *testing.T) {
				other, err := b.Scope(store.PlatformTenant)
				require.NoError(t, err)
				err = s.WithTx(ctx, func(ctx context.Context) error {
					require.NoError(t, c.Insert(ctx, &store.Doc{ID: "tenant-side"}))
					require.NoError(t, other.Collection("audit").Insert(ctx, &store.Doc{ID: "platform-side"}))
					return errors.New("abort")
				})
				require.Error(t, err)
				_, err = other.Collection("audit").Get(ctx, "platform-side")
				require.ErrorIs(t, err, store.ErrNotFound)
			})

			t.Run("writers wait for a running tx", func(t *testing.T) {
				started, done := make(chan struct{}), make(chan error, 1)
				var wg sync.WaitGroup
				wg.Add(1)
				err := s.WithTx(ctx, func(ctx context.Context) error {
					go func() {
						defer wg.Done()
						<-started
						done <- c.Insert(context.Background(), &store.Doc{ID: "waited"})
					}()
					close(started)
					time.Sleep(50 * time.Millisecond)
					select {
					case err := <-done:
						return fmt.Errorf("the outside write finished inside the tx: %v", err)
					default:
					}
					return c.Insert(ctx, &store.Doc{ID: "inside"})
				})
				require.NoError(t, err)
				wg.Wait()
				require.NoError(t, <-done)
			})

			t.Run("a waiting writer gives up with its ctx", func(t *testing.T) {
				err := s.WithTx(ctx, func(context.Context) error {
					wctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
					defer cancel()
					err := c.Insert(wctx, &store.Doc{ID: "impatient"})
					require.ErrorIs(t, err, context.DeadlineExceeded)
					return nil
				})
				require.NoError(t, err)
			})
		})
	}
}

func TestInvalidIDs(t *testing.T) {
	ctx := context.Background()
	s, err := newTestBackend(t, sqlite.MemoryPath).Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records")
	for name, id := range map[string]string{
		"too long":     string(make([]byte, sqlite.MaxIDLength+1)),
		"invalid utf8": "a\xffb",
		"nul":          "a\x00b",
	} {
		assert.ErrorIs(t, c.Insert(ctx, &store.Doc{ID: id}), store.ErrInvalid, name)
	}
	n, err := c.Count(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestSmallStatementCache(t *testing.T) {
	// Many query shapes through a two-statement cache, concurrently: evicted statements
	// must stay usable by whoever holds them.
	ctx := context.Background()
	b, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "c.db"), StatementCache: 2})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records")
	for i := range 20 {
		require.NoError(t, c.Insert(ctx, &store.Doc{Data: map[string]any{"i": i}}))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				vals := make([]any, 1+(g+i)%6) // a different IN list length is a different statement
				for j := range vals {
					vals[j] = j
				}
				n, err := c.Count(ctx, store.In("i", vals...))
				if err != nil || n != int64(len(vals)) {
					errs <- fmt.Errorf("count of %d values: %d, %v", len(vals), n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
