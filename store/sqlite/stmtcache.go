package sqlite

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements by SQL text, least recently used first out.
// Generated queries have one text per filter shape, so a bounded cache holds the shapes
// an installation actually uses. A statement evicted while in use closes when its last
// user puts it back.
type stmtCache struct {
	prepare func(ctx context.Context, query string) (*sql.Stmt, error)
	max     int

	mu    sync.Mutex
	items map[string]*cachedStmt
	order *list.List // front: most recently used
}

type cachedStmt struct {
	stmt    *sql.Stmt
	key     string
	refs    int
	evicted bool
	elem    *list.Element
}

func newStmtCache(max int, prepare func(ctx context.Context, query string) (*sql.Stmt, error)) *stmtCache {
	return &stmtCache{prepare: prepare, max: max, items: map[string]*cachedStmt{}, order: list.New()}
}

// get returns the prepared statement for query; the caller hands it back with put.
func (c *stmtCache) get(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	if it, ok := c.items[query]; ok {
		it.refs++
		c.order.MoveToFront(it.elem)
		c.mu.Unlock()
		return it, nil
	}
	c.mu.Unlock()
	// Prepare outside the lock: preparing compiles SQL and may wait for a connection.
	st, err := c.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[query]; ok {
		it.refs++
		c.order.MoveToFront(it.elem)
		_ = st.Close()
		return it, nil
	}
	it := &cachedStmt{stmt: st, key: query, refs: 1}
	it.elem = c.order.PushFront(it)
	c.items[query] = it
	for c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).(*cachedStmt)
		delete(c.items, old.key)
		old.evicted = true
		if old.refs == 0 {
			_ = old.stmt.Close()
		}
	}
	return it, nil
}

// put hands a statement back.
func (c *stmtCache) put(it *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it.refs--
	if it.evicted && it.refs == 0 {
		_ = it.stmt.Close()
	}
}

// close closes every statement not in use and marks the others to close on put.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, it := range c.items {
		it.evicted = true
		if it.refs == 0 {
			_ = it.stmt.Close()
		}
	}
	c.items = map[string]*cachedStmt{}
	c.order.Init()
}

// runner runs statements through one cache (the writer connection's or the readers').
type runner struct {
	cache *stmtCache
}

func (r *runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	it, err := r.cache.get(ctx, query)
	if err != nil {
		return nil, err
	}
	defer r.cache.put(it)
	return it.stmt.ExecContext(ctx, args...)
}

// query runs a query and calls each for every row; rows are closed before it returns.
func (r *runner) query(ctx context.Context, query string, args []any, each func(*sql.Rows) error) error {
	it, err := r.cache.get(ctx, query)
	if err != nil {
		return err
	}
	defer r.cache.put(it)
	rows, err := it.stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryRow scans the single row of a query; sql.ErrNoRows when there is none.
func (r *runner) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	it, err := r.cache.get(ctx, query)
	if err != nil {
		return err
	}
	defer r.cache.put(it)
	return it.stmt.QueryRowContext(ctx, args...).Scan(dest...)
}
