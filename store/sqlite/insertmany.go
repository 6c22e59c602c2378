package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
func (c *collection) InsertMany(ctx context.Context, docs []*store.Doc) error {
	if c.err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, c.err)
	}
	ids := make([]string, len(docs))
	bodies := make([][]byte, len(docs))
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
		var err error
		if bodies[i], err = encodeBody(doc.Data); err != nil {
			return fmt.Errorf("insert %s into %s: %w", ids[i], c.name, err)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	now := time.Now().UnixMilli()
	err := c.b.withTx(ctx, func(ctx context.Context) error {
		return c.b.run(ctx, true, func(ctx context.Context, r *runner) error {
			// A savepoint keeps the batch whole inside a caller's transaction too, even
			// when the caller carries on after this error.
			if _, err := r.exec(ctx, sqlSavepointMany); err != nil {
				return err
			}
			if err := c.insertChunks(ctx, r, ids, bodies, now); err != nil {
				bracket := context.WithoutCancel(ctx)
				_, rbErr := r.exec(bracket, sqlRollbackToMany)
				if rbErr == nil {
					_, rbErr = r.exec(bracket, sqlReleaseMany)
				}
				return errors.Join(err, rbErr)
			}
			_, err := r.exec(ctx, sqlReleaseMany)
			return err
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

const (
	sqlSavepointMany  = "SAVEPOINT insert_many"
	sqlRollbackToMany = "ROLLBACK TO insert_many"
	sqlReleaseMany    = "RELEASE insert_many"
)

// insertChunks writes the documents, insertChunk at a time.
func (c *collection) insertChunks(ctx context.Context, r *runner, ids []string, bodies [][]byte, now int64) error {
	args := make([]any, 0, 6*min(insertChunk, len(ids)))
	for start := 0; start < len(ids); start += insertChunk {
		end := min(start+insertChunk, len(ids))
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, c.tenant, c.name, ids[i], now, now, bodies[i])
		}
		if _, err := r.exec(ctx, multiInsertSQL(end-start), args...); err != nil {
			return engineError(err)
		}
	}
	return nil
}

// multiInsertSQL is the INSERT of n documents; the statement cache keeps one per n.
func multiInsertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO docs (tenant, coll, id, version, created_at, updated_at, data) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, 1, ?, ?, jsonb(?))")
	}
	return sb.String()
}
