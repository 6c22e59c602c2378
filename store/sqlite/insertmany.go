package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/credolabs/credo/store"
)

// insertChunk is how many documents one multi-row INSERT writes: 6 bound values each,
// well within SQLite's limit of bound values, and large enough that the statement's
// per-call cost is spread over many rows.
const insertChunk = 128

// InsertMany stores new documents with one multi-row INSERT per chunk, all in the
// caller's transaction or in one of its own, so either every document is stored or none
// is. It assigns IDs (when empty), Version 1 and the timestamps only on success.
//
// In a transaction of its own a failure rolls the transaction back. In the caller's, the
// rows it wrote before the failure are deleted again (see undoable): that keeps the
// batch whole the way a savepoint would, without the copy of every page it changes
// that SQLite keeps to roll a savepoint back (for an import batch, a tenth of its
// writing time).
func (c *collection) InsertMany(ctx context.Context, docs []*store.Doc) error {
	if c.err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, c.err)
	}
	ids := make([]string, len(docs))
	for i, doc := range docs {
		if err := c.check(doc); err != nil {
			return fmt.Errorf("insert document %d into %s: %w", i, c.name, err)
		}
		ids[i] = doc.ID
		if ids[i] == "" {
			ids[i] = store.NewID()
		} else if err := checkID(ids[i]); err != nil {
			return fmt.Errorf("insert document %d into %s: %w", i, c.name, err)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	bodies, at, err := encodeBodies(docs)
	if err != nil {
		return fmt.Errorf("insert %s into %s: %w", ids[at], c.name, err)
	}
	now := time.Now().UnixMilli()
	joined := c.b.txFrom(ctx) != nil
	err = c.b.withTx(ctx, func(ctx context.Context) error {
		return c.write(ctx, func(ctx context.Context, r *runner) error {
			if !joined {
				return c.insertChunks(ctx, r, ids, bodies, now)
			}
			return undoable(ctx, r, tableOf(c.tenant, c.name), func(last int64) error {
				err := c.insertChunks(ctx, r, ids, bodies, now)
				if err != nil && last >= 0 {
					_, delErr := r.exec(ctx, c.sql(sqlDeleteAfter), last)
					err = errors.Join(err, delErr)
				}
				return err
			})
		})
	})
	if err != nil {
		return fmt.Errorf("insert %d documents into %s: %w", len(docs), c.name, err)
	}
	t := time.UnixMilli(now).UTC()
	for i, doc := range docs {
		doc.ID, doc.Version, doc.CreatedAt, doc.UpdatedAt = ids[i], 1, t, t
	}
	return nil
}

// undoable runs write, a write inside the caller's transaction that must leave nothing
// of itself when it fails, giving it the largest rowid of table before it:
// the rows it inserts are those with a larger one, since SQLite gives a new row the
// next rowid and no other write comes in between on the writer, so undoing its inserts
// is deleting them. Past maxUndoRowid SQLite may pick rowids at random: write then gets
// -1, runs in a savepoint and need undo nothing itself.
func undoable(ctx context.Context, r *runner, table string, write func(last int64) error) error {
	var last int64
	if err := r.queryRow(ctx, onTable(table, sqlLastRowid), nil, &last); err != nil {
		return err
	}
	if last < maxUndoRowid {
		return write(last)
	}
	return inUndoSavepoint(ctx, r, func() error { return write(-1) })
}

// inUndoSavepoint runs fn in a savepoint of the caller's transaction and rolls back to
// it when fn fails, so fn's writes are all or nothing without ending the transaction.
func inUndoSavepoint(ctx context.Context, r *runner, fn func() error) error {
	if _, err := r.exec(ctx, sqlSavepointUndo); err != nil {
		return err
	}
	if err := fn(); err != nil {
		_, rbErr := r.exec(ctx, sqlRollbackToUndo)
		if rbErr == nil {
			_, rbErr = r.exec(ctx, sqlReleaseUndo)
		}
		return errors.Join(err, rbErr)
	}
	_, err := r.exec(ctx, sqlReleaseUndo)
	return err
}

// maxUndoRowid bounds the rowids undoable relies on: far below the largest rowid, after
// which SQLite no longer gives a new row the next one.
const maxUndoRowid = 1 << 62

const (
	sqlLastRowid      = "SELECT coalesce(max(rowid), 0) FROM $docs"
	sqlDeleteAfter    = "DELETE FROM $docs WHERE rowid > ?"
	sqlSavepointUndo  = "SAVEPOINT undo"
	sqlRollbackToUndo = "ROLLBACK TO undo"
	sqlReleaseUndo    = "RELEASE undo"
)

// parallelEncodeMin is the smallest batch whose bodies are encoded on every core: the
// encoding of an import batch would otherwise hold the writer's transaction.
const parallelEncodeMin = 512

// encodeBodies encodes the documents' bodies, a large batch on all cores; at is the
// first document that fails, as a serial encoding would stop there.
func encodeBodies(docs []*store.Doc) (bodies [][]byte, at int, err error) {
	bodies = make([][]byte, len(docs))
	workers := 1
	if len(docs) >= parallelEncodeMin {
		workers = min(runtime.GOMAXPROCS(0), len(docs)/(parallelEncodeMin/2))
	}
	failed := make([]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(docs)/workers, (w+1)*len(docs)/workers
		encode := func() {
			for i := lo; i < hi; i++ {
				if bodies[i], errs[w] = encodeBody(docs[i].Data); errs[w] != nil {
					failed[w] = i
					return
				}
			}
		}
		if w == workers-1 {
			encode()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			encode()
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			return nil, failed[w], err
		}
	}
	return bodies, 0, nil
}

// insertChunks writes the documents, insertChunk at a time. OR FAIL: a failing row
// stops the statement without undoing the rows before it, so the statement keeps no
// journal of the pages it changes; the caller undoes the whole batch.
func (c *collection) insertChunks(ctx context.Context, r *runner, ids []string, bodies [][]byte, now int64) error {
	args := make([]any, 0, 6*min(insertChunk, len(ids)))
	for start := 0; start < len(ids); start += insertChunk {
		end := min(start+insertChunk, len(ids))
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, c.tenant, c.name, ids[i], now, now, bodies[i])
		}
		if _, err := r.exec(ctx, c.sql(multiInsertSQL(end-start)), args...); err != nil {
			return engineError(err)
		}
	}
	return nil
}

// multiInsertSQL is the INSERT of n documents; the statement cache keeps one per n.
func multiInsertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT OR FAIL INTO $docs (tenant, coll, id, version, created_at, updated_at, data) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, 1, ?, ?, jsonb(?))")
	}
	return sb.String()
}
