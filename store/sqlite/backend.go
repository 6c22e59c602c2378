package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"

	"github.com/credolabs/credo/store"
)

// Backend is an open SQLite database: one writer connection, driven by a writer loop
// that commits concurrent transactions together, and a pool of read-only connections.
// It is safe for concurrent use.
type Backend struct {
	cfg Config

	// wdb holds the writer connection wconn; turn has room for one token, and holding
	// it is owning wconn (for one statement outside transactions, or for a whole group
	// of transactions, held by the writer loop).
	wdb    *sql.DB
	wconn  *sql.Conn
	turn   chan struct{}
	writer *runner
	// calls queues top-level transactions for the writer loop (group.go), which closes
	// loopDone when it stops.
	calls    chan *txCall
	loopDone chan struct{}
	// closed is closed by Close, so callers waiting for the writer give up.
	closed chan struct{}

	// rdb and reader serve reads outside transactions; for a memory database they are
	// nil and reads take the writer's turn.
	rdb    *sql.DB
	reader *runner

	// ckpt is the checkpointer (checkpoint.go), nil for a memory database, which has
	// no WAL.
	ckpt *checkpointer

	// tables holds the names of the documents tables that exist (table.go); made, those
	// the writer's open transaction made.
	tables sync.Map
	madeMu sync.Mutex
	made   map[string]bool

	// lastOptimize is when planner statistics were last refreshed (unix ns).
	lastOptimize atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// Open opens the database at cfg.Path, creating it when missing, and migrates it to the
// current schema.
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Backend{
		cfg: cfg, turn: make(chan struct{}, 1), closed: make(chan struct{}),
		calls: make(chan *txCall), loopDone: make(chan struct{}), made: map[string]bool{},
	}
	if err := b.open(ctx); err != nil {
		b.closeAll()
		return nil, fmt.Errorf("open sqlite %s: %w", cfg.Path, err)
	}
	go b.writeLoop()
	if b.ckpt != nil {
		go b.checkpointLoop()
	}
	if err := b.Migrate(ctx); err != nil {
		b.abandon()
		return nil, fmt.Errorf("open sqlite %s: %w", cfg.Path, err)
	}
	if err := b.exclusive(ctx, func() error { return b.loadTables(ctx) }); err != nil {
		b.abandon()
		return nil, fmt.Errorf("open sqlite %s: %w", cfg.Path, err)
	}
	// Refresh planner statistics that are missing or stale; cheap when there is
	// nothing to do.
	if err := b.exclusive(ctx, func() error { return b.optimize(ctx) }); err != nil {
		b.abandon()
		return nil, fmt.Errorf("open sqlite %s: optimize: %w", cfg.Path, err)
	}
	return b, nil
}

func (b *Backend) open(ctx context.Context) error {
	wdb, err := sql.Open("sqlite", b.cfg.dsn(roleWriter))
	if err != nil {
		return err
	}
	b.wdb = wdb
	// The writer (and a memory database's only connection) must never be closed by the
	// pool: a memory database would vanish with it.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	if b.wconn, err = wdb.Conn(ctx); err != nil {
		return err
	}
	b.writer = &runner{cache: newStmtCache(b.cfg.StatementCache, b.wconn.PrepareContext)}
	if b.cfg.memory() {
		return nil
	}
	rdb, err := sql.Open("sqlite", b.cfg.dsn(roleReader))
	if err != nil {
		return err
	}
	b.rdb = rdb
	rdb.SetMaxOpenConns(b.cfg.MaxReaders)
	rdb.SetMaxIdleConns(b.cfg.MaxReaders)
	b.reader = &runner{cache: newStmtCache(b.cfg.StatementCache, rdb.PrepareContext)}
	if err := rdb.PingContext(ctx); err != nil {
		return err
	}
	return b.openCheckpointer(ctx)
}

// Scope returns the handle of one tenant; tenant must be a valid slug or
// store.PlatformTenant.
func (b *Backend) Scope(tenant string) (store.Scope, error) {
	if err := store.CheckScope(tenant); err != nil {
		return nil, err
	}
	return &scope{b: b, tenant: tenant}, nil
}

// Ping reports whether the database answers on the writer and on the read pool.
func (b *Backend) Ping(ctx context.Context) error {
	if err := b.wconn.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite writer: %w", err)
	}
	if b.rdb != nil {
		if err := b.rdb.PingContext(ctx); err != nil {
			return fmt.Errorf("ping sqlite readers: %w", err)
		}
	}
	return nil
}

// Close waits for what the writer is running (a statement, a transaction or a group of
// them) and for a checkpoint under way, stops the checkpointer, lets SQLite refresh
// its planner statistics, checkpoints the whole WAL into the database file and releases
// every connection. Transactions still queued then fail with ErrClosed, as do later
// calls of other methods; later calls of Close return the first call's result.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.turn <- struct{}{} // wait for the writer; never given back
		close(b.closed)
		<-b.loopDone
		if b.ckpt != nil {
			<-b.ckpt.done
		}
		var errs []error
		if _, err := b.wconn.ExecContext(context.Background(), "PRAGMA optimize"); err != nil {
			errs = append(errs, fmt.Errorf("optimize: %w", err))
		}
		if b.ckpt != nil {
			errs = append(errs, b.finalCheckpoint())
		}
		errs = append(errs, b.closeAll())
		if err := errors.Join(errs...); err != nil {
			b.closeErr = fmt.Errorf("close sqlite: %w", err)
		}
	})
	return b.closeErr
}

// abandon stops the writer and checkpoint loops and releases the connections of a
// Backend that failed to open.
func (b *Backend) abandon() {
	close(b.closed)
	<-b.loopDone
	if b.ckpt != nil {
		<-b.ckpt.done
	}
	_ = b.closeAll()
}

func (b *Backend) closeAll() error {
	var errs []error
	if b.ckpt != nil {
		errs = append(errs, b.ckpt.close())
	}
	if b.reader != nil {
		b.reader.cache.close()
	}
	if b.writer != nil {
		b.writer.cache.close()
	}
	if b.rdb != nil {
		errs = append(errs, b.rdb.Close())
	}
	if b.wconn != nil {
		errs = append(errs, b.wconn.Close())
	}
	if b.wdb != nil {
		errs = append(errs, b.wdb.Close())
	}
	return errors.Join(errs...)
}

var _ store.Backend = (*Backend)(nil)
