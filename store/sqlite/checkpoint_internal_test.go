package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// The checkpointer's work shows only in the WAL and in its own counters, so these tests
// read both.

// syncBuffer is a log sink the checkpointer writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openCheckpointed opens a file database with cfg (Path set here) and closes it when the
// test ends.
func openCheckpointed(t *testing.T, cfg Config) *Backend {
	t.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "credo.db")
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger()
	}
	b, err := Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	require.NotNil(t, b.ckpt, "a file database has a checkpointer")
	return b
}

// insertRecords inserts n records of about 2 KB, each in its own transaction.
func insertRecords(t *testing.T, b *Backend, n int) {
	t.Helper()
	s, err := b.Scope("acme")
	require.NoError(t, err)
	c := s.Collection("records")
	notes := strings.Repeat("Site visit done; stock and receipts match. ", 48)
	for i := range n {
		require.NoError(t, c.Insert(context.Background(), &store.Doc{Data: map[string]any{"i": i, "notes": notes}}))
	}
}

func walFileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(t, err)
	return fi.Size()
}

// checkpointLoops counts the goroutines running a checkpoint loop.
func checkpointLoops() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "sqlite.(*Backend).checkpointLoop(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

func TestCheckpointConfig(t *testing.T) {
	logger := discardLogger()
	cases := []struct {
		name string
		in   Config
		want Config
	}{
		{
			name: "zero values select the defaults",
			in:   Config{Path: "x.db"},
			want: Config{CheckpointPages: 1000, CheckpointInterval: 2 * time.Second, WALLimit: 64 << 20, Logger: slog.Default()},
		},
		{
			name: "set values are kept",
			in:   Config{Path: "x.db", CheckpointPages: 10, CheckpointInterval: time.Minute, WALLimit: 1 << 20, Logger: logger},
			want: Config{CheckpointPages: 10, CheckpointInterval: time.Minute, WALLimit: 1 << 20, Logger: logger},
		},
		{
			name: "negative values select the defaults",
			in:   Config{Path: "x.db", CheckpointPages: -1, CheckpointInterval: -time.Second, WALLimit: -1},
			want: Config{CheckpointPages: 1000, CheckpointInterval: 2 * time.Second, WALLimit: 64 << 20, Logger: slog.Default()},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.withDefaults()
			require.NoError(t, err)
			assert.Equal(t, tc.want.CheckpointPages, got.CheckpointPages)
			assert.Equal(t, tc.want.CheckpointInterval, got.CheckpointInterval)
			assert.Equal(t, tc.want.WALLimit, got.WALLimit)
			assert.Same(t, tc.want.Logger, got.Logger)
		})
	}
}

func TestCheckpointer(t *testing.T) {
	ctx := context.Background()

	t.Run("the writer never checkpoints, the checkpointer's connection neither on its own", func(t *testing.T) {
		b := openCheckpointed(t, Config{})
		for name, conn := range map[string]*sql.Conn{"writer": b.wconn, "checkpointer": b.ckpt.conn} {
			var pages int
			require.NoError(t, conn.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages), name)
			assert.Zero(t, pages, name)
		}
		var mode string
		require.NoError(t, b.wconn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
		assert.Equal(t, "wal", mode)
	})

	t.Run("a memory database has no checkpointer", func(t *testing.T) {
		before := checkpointLoops()
		b, err := Open(ctx, Config{Path: MemoryPath})
		require.NoError(t, err)
		assert.Nil(t, b.ckpt)
		assert.Equal(t, before, checkpointLoops())
		require.NoError(t, b.Close())
	})

	t.Run("CheckpointPages pages start a cycle that copies the whole WAL", func(t *testing.T) {
		cases := []struct {
			name  string
			pages int
			cycle bool
		}{
			{name: "past the threshold", pages: 64, cycle: true},
			{name: "below the threshold", pages: 1 << 30, cycle: false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// No cycle can be due to the interval.
				b := openCheckpointed(t, Config{CheckpointPages: tc.pages, CheckpointInterval: time.Hour})
				insertRecords(t, b, 100) // more than 64 pages
				copied := func() bool {
					last := b.ckpt.lastPass.Load()
					return last != nil && last.Frames > 0 && last.Copied == last.Frames
				}
				if tc.cycle {
					require.Eventually(t, copied, 10*time.Second, 10*time.Millisecond, "a pass copied every frame")
					return
				}
				time.Sleep(5 * checkpointPollIdle)
				assert.Zero(t, b.ckpt.passives.Load())
			})
		}
	})

	t.Run("the WAL starts over and its file stays small", func(t *testing.T) {
		b := openCheckpointed(t, Config{CheckpointPages: 64, CheckpointInterval: 50 * time.Millisecond})
		const n = 5000 // about 10 MB of records
		insertRecords(t, b, n)
		// Keep writing while waiting: the WAL only starts over when a write follows a
		// complete checkpoint, and on a loaded machine the checkpointer may lag the burst.
		require.Eventually(t, func() bool {
			insertRecords(t, b, 20)
			return b.ckpt.restarts.Load() > 2
		}, 30*time.Second, 10*time.Millisecond, "the WAL started over, again and again")
		// Without checkpoints the WAL would hold every page written.
		time.Sleep(2 * checkpointPollIdle) // count the last pages
		written := b.ckpt.written.Load() * 4096
		require.Greater(t, written, int64(n*2048))
		size := walFileSize(t, b.cfg.Path)
		// How far below depends on how often the checkpointer got a core on a loaded
		// machine; that it is below at all shows the file is reused rather than appended.
		assert.Less(t, size, written, "WAL file of %d bytes after %d bytes of pages", size, written)
	})

	t.Run("back-to-back transactions do not keep the WAL from starting over", func(t *testing.T) {
		// A busy server's writes queue for the writer, so a transaction is open almost
		// all the time: a pass that copies the whole WAL ends while one is open, and the
		// writer only starts the WAL over in a transaction that began after such a pass.
		// Without that, the WAL grows to WALLimit and is cut back with the writer held,
		// which also empties the writer's page cache.
		b := openCheckpointed(t, Config{CheckpointPages: 64, CheckpointInterval: time.Hour})
		s, err := b.Scope("acme")
		require.NoError(t, err)
		var workers sync.WaitGroup
		end := time.Now().Add(3 * time.Second)
		for w := range 4 {
			workers.Add(1)
			go func() {
				defer workers.Done()
				for i := 0; time.Now().Before(end); i++ {
					doc := &store.Doc{Data: map[string]any{"worker": w, "i": i, "note": "called, promised to pay on Friday"}}
					assert.NoError(t, s.Collection("records").Insert(context.Background(), doc))
				}
			}()
		}
		// And one that keeps its transaction open a while, as an event delivery does.
		workers.Add(1)
		go func() {
			defer workers.Done()
			for time.Now().Before(end) {
				assert.NoError(t, s.WithTx(context.Background(), func(ctx context.Context) error {
					time.Sleep(5 * time.Millisecond)
					return s.Collection("records").Insert(ctx, &store.Doc{Data: map[string]any{"delivered": true}})
				}))
			}
		}()
		workers.Wait()
		assert.GreaterOrEqual(t, b.ckpt.restarts.Load(), int64(3), "the WAL started over (%d passes held the writer; WAL file %d bytes)",
			b.ckpt.held.Load(), walFileSize(t, b.cfg.Path))
	})

	t.Run("the sync before a held pass skips a missing file and warns of one it cannot sync", func(t *testing.T) {
		var logs syncBuffer
		b := openCheckpointed(t, Config{CheckpointInterval: time.Hour, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		s, err := b.Scope("acme")
		require.NoError(t, err)
		require.NoError(t, s.Collection("records").Insert(context.Background(), &store.Doc{Data: map[string]any{"n": 1}}))
		b.ckpt.presync() // the WAL and the database file: both exist
		assert.NotContains(t, logs.String(), "sync before checkpoint")

		ck := &checkpointer{log: b.ckpt.log, walPath: filepath.Join(t.TempDir(), "gone-wal"),
			dbPath: filepath.Join(b.cfg.Path, "not-a-dir")} // under a file: cannot be opened
		ck.presync()
		assert.Equal(t, 1, strings.Count(logs.String(), "sync before checkpoint"), logs.String())
	})

	t.Run("CheckpointInterval checkpoints a few writes, and nothing without writes", func(t *testing.T) {
		b := openCheckpointed(t, Config{CheckpointPages: 1 << 30, CheckpointInterval: 100 * time.Millisecond})
		settled := func() bool {
			last := b.ckpt.lastPass.Load()
			return last != nil && last.Frames > 0 && last.Copied == last.Frames
		}
		require.Eventually(t, settled, 10*time.Second, 10*time.Millisecond, "the schema's pages were checkpointed")
		time.Sleep(300 * time.Millisecond) // let the cycle end
		idle := b.ckpt.passives.Load()
		time.Sleep(500 * time.Millisecond)
		assert.Equal(t, idle, b.ckpt.passives.Load(), "no writes, no checkpoint")
		frames := b.ckpt.lastPass.Load().Frames
		insertRecords(t, b, 1)
		require.Eventually(t, func() bool {
			last := b.ckpt.lastPass.Load()
			return b.ckpt.passives.Load() > idle && last.Copied == last.Frames && last.Frames != frames
		}, 10*time.Second, 10*time.Millisecond, "the one write was checkpointed")
	})

	t.Run("a reader holding an old snapshot: warned, then the WAL is truncated", func(t *testing.T) {
		logs := &syncBuffer{}
		const limit = 512 << 10
		b := openCheckpointed(t, Config{
			CheckpointPages: 32, CheckpointInterval: 50 * time.Millisecond, WALLimit: limit,
			Logger: slog.New(slog.NewTextHandler(logs, nil)),
		})
		insertRecords(t, b, 10)
		// A connection of the test's own, in a read transaction, pins its snapshot.
		rdb, err := sql.Open("sqlite", "file:"+b.cfg.Path+"?_pragma=query_only(1)")
		require.NoError(t, err)
		t.Cleanup(func() { _ = rdb.Close() })
		pin, err := rdb.Conn(ctx)
		require.NoError(t, err)
		_, err = pin.ExecContext(ctx, "BEGIN")
		require.NoError(t, err)
		var count int
		require.NoError(t, pin.QueryRowContext(ctx, `SELECT count(*) FROM "docs:acme/records"`).Scan(&count))

		insertRecords(t, b, 800) // about 1.6 MB: the WAL cannot start over meanwhile
		assert.Greater(t, walFileSize(t, b.cfg.Path), int64(limit))
		require.Eventually(t, func() bool {
			return strings.Contains(logs.String(), "wal over its limit: readers hold old snapshots")
		}, 10*time.Second, 10*time.Millisecond, "the checkpointer says why the WAL outgrows its limit")
		assert.Zero(t, b.ckpt.truncates.Load())

		_, err = pin.ExecContext(ctx, "COMMIT")
		require.NoError(t, err)
		require.NoError(t, pin.Close())
		require.Eventually(t, func() bool { return b.ckpt.truncates.Load() > 0 }, 10*time.Second, 10*time.Millisecond)
		assert.Less(t, walFileSize(t, b.cfg.Path), int64(limit))
		assert.Contains(t, logs.String(), "wal truncated")

		s, err := b.Scope("acme")
		require.NoError(t, err)
		n, err := s.Collection("records").Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(810), n, "every write kept")
	})
}

func TestCheckpointerClose(t *testing.T) {
	ctx := context.Background()

	t.Run("Close stops the loop and closes its connection", func(t *testing.T) {
		before := checkpointLoops()
		b, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "credo.db"), Logger: discardLogger()})
		require.NoError(t, err)
		assert.Equal(t, before+1, checkpointLoops(), "Open started one loop")
		insertRecords(t, b, 5)
		require.NoError(t, b.Close())
		select {
		case <-b.ckpt.done:
		default:
			t.Fatal("the loop is still running after Close")
		}
		assert.Equal(t, before, checkpointLoops(), "no loop left behind")
		assert.ErrorIs(t, b.ckpt.conn.PingContext(ctx), sql.ErrConnDone)
	})

	t.Run("Close checkpoints everything into the database file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "credo.db")
		// An interval no cycle reaches: only Close can move the data.
		b, err := Open(ctx, Config{Path: path, CheckpointPages: 1 << 30, CheckpointInterval: time.Hour, Logger: discardLogger()})
		require.NoError(t, err)
		insertRecords(t, b, 200)
		require.Zero(t, b.ckpt.truncates.Load())
		require.Greater(t, walFileSize(t, path), int64(200*2048), "the records are in the WAL")
		require.NoError(t, b.Close())
		assert.Equal(t, int64(1), b.ckpt.truncates.Load(), "Close ran a TRUNCATE checkpoint")
		assert.Zero(t, walFileSize(t, path), "the WAL is empty or gone")

		// The database file alone, with no WAL beside it, has every record.
		copyPath := filepath.Join(dir, "copy.db")
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(copyPath, data, 0o600))
		for _, p := range []string{path, copyPath} {
			re, err := Open(ctx, Config{Path: p, Logger: discardLogger()})
			require.NoError(t, err)
			s, err := re.Scope("acme")
			require.NoError(t, err)
			n, err := s.Collection("records").Count(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, int64(200), n, p)
			require.NoError(t, re.Close())
		}
	})

	t.Run("a Backend that fails to open leaves no loop", func(t *testing.T) {
		before := checkpointLoops()
		_, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "missing", "credo.db"), Logger: discardLogger()})
		require.Error(t, err)
		assert.Equal(t, before, checkpointLoops())
	})
}
