package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// MaxIDLength is the longest document id, in bytes.
const MaxIDLength = 256

// collection is one tenant's documents of one kind.
type collection struct {
	b      *Backend
	tenant string
	name   string
	// err is set when name is not a valid collection name.
	err error
}

const (
	sqlInsert = `INSERT INTO $docs (tenant, coll, id, version, created_at, updated_at, data) VALUES (?, ?, ?, 1, ?, ?, jsonb(?))`
	sqlGet    = `SELECT version, created_at, updated_at, data FROM $docs WHERE tenant = ? AND coll = ? AND id = ?`
	sqlUpdate = `UPDATE $docs SET version = version + 1, updated_at = ?, data = jsonb(?) WHERE tenant = ? AND coll = ? AND id = ? AND version = ?`
	sqlDelete = `DELETE FROM $docs WHERE tenant = ? AND coll = ? AND id = ? AND (? = 0 OR version = ?)`
	sqlExists = `SELECT 1 FROM $docs WHERE tenant = ? AND coll = ? AND id = ?`
)

// sql is query on this collection's table, for a write (see write).
func (c *collection) sql(query string) string { return onTable(tableOf(c.tenant, c.name), query) }

// readSQL is query on the table a read with ctx runs on (see Backend.readTable).
func (c *collection) readSQL(ctx context.Context, query string) string {
	return onTable(c.b.readTable(ctx, c.tenant, c.name), query)
}

// write runs fn on the writer, as Backend.run does, once the collection's table exists.
func (c *collection) write(ctx context.Context, fn func(ctx context.Context, r *runner) error) error {
	return c.b.run(ctx, true, func(ctx context.Context, r *runner) error {
		if err := c.b.ensureTable(ctx, r, c.tenant, c.name); err != nil {
			return err
		}
		return fn(ctx, r)
	})
}

// Insert stores a new document and sets its ID (when empty), Version (1), CreatedAt and
// UpdatedAt; on error doc is left as it was.
func (c *collection) Insert(ctx context.Context, doc *store.Doc) error {
	if err := c.check(doc); err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	id := doc.ID
	if id == "" {
		id = store.NewID()
	} else if err := checkID(id); err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	data, err := bodyOf(doc)
	if err != nil {
		return fmt.Errorf("insert %s into %s: %w", id, c.name, err)
	}
	now := time.Now().UnixMilli()
	err = c.write(ctx, func(ctx context.Context, r *runner) error {
		_, err := r.exec(ctx, c.sql(sqlInsert), c.tenant, c.name, id, now, now, data)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert %s into %s: %w", id, c.name, engineError(err))
	}
	t := time.UnixMilli(now).UTC()
	doc.ID, doc.Version, doc.CreatedAt, doc.UpdatedAt = id, 1, t, t
	return nil
}

// Get returns the document or store.ErrNotFound.
func (c *collection) Get(ctx context.Context, id string) (*store.Doc, error) {
	if c.err != nil {
		return nil, fmt.Errorf("get from %s: %w", c.name, c.err)
	}
	doc := &store.Doc{ID: id}
	var created, updated int64
	var data []byte
	err := c.b.run(ctx, false, func(ctx context.Context, r *runner) error {
		return r.queryRow(ctx, c.readSQL(ctx, sqlGet), []any{c.tenant, c.name, id}, &doc.Version, &created, &updated, &data)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get %s from %s: %w", id, c.name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s from %s: %w", id, c.name, err)
	}
	doc.CreatedAt, doc.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if doc.Data, err = decodeBody(data); err != nil {
		return nil, fmt.Errorf("get %s from %s: decode: %w", id, c.name, err)
	}
	return doc, nil
}

// Update replaces Data when doc.Version is the stored version, then advances doc.Version
// and doc.UpdatedAt. store.ErrConflict on a stale version, store.ErrNotFound when absent.
func (c *collection) Update(ctx context.Context, doc *store.Doc) error {
	if err := c.check(doc); err != nil {
		return fmt.Errorf("update in %s: %w", c.name, err)
	}
	data, err := encodeBody(doc.Data)
	if err != nil {
		return fmt.Errorf("update %s in %s: %w", doc.ID, c.name, err)
	}
	now := time.Now().UnixMilli()
	err = c.write(ctx, func(ctx context.Context, r *runner) error {
		res, err := r.exec(ctx, c.sql(sqlUpdate), now, data, c.tenant, c.name, doc.ID, doc.Version)
		if err != nil {
			return engineError(err)
		}
		return c.missOrConflict(ctx, r, res, doc.ID)
	})
	if err != nil {
		return fmt.Errorf("update %s in %s: %w", doc.ID, c.name, err)
	}
	doc.Version++
	doc.UpdatedAt = time.UnixMilli(now).UTC()
	return nil
}

// Delete removes the document; version > 0 makes it conditional.
func (c *collection) Delete(ctx context.Context, id string, version int64) error {
	if c.err != nil {
		return fmt.Errorf("delete from %s: %w", c.name, c.err)
	}
	if version < 0 {
		return fmt.Errorf("delete %s from %s: negative version: %w", id, c.name, store.ErrInvalid)
	}
	err := c.write(ctx, func(ctx context.Context, r *runner) error {
		res, err := r.exec(ctx, c.sql(sqlDelete), c.tenant, c.name, id, version, version)
		if err != nil {
			return err
		}
		return c.missOrConflict(ctx, r, res, id)
	})
	if err != nil {
		return fmt.Errorf("delete %s from %s: %w", id, c.name, err)
	}
	return nil
}

// missOrConflict explains a conditional write that changed no row. It runs while the
// caller still holds the writer, so nothing changes in between.
func (c *collection) missOrConflict(ctx context.Context, r *runner, res sql.Result, id string) error {
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var one int
	err = r.queryRow(ctx, c.sql(sqlExists), []any{c.tenant, c.name, id}, &one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case err != nil:
		return err
	}
	return store.ErrConflict
}

// check validates the collection name and that there is a document.
func (c *collection) check(doc *store.Doc) error {
	if c.err != nil {
		return c.err
	}
	if doc == nil {
		return fmt.Errorf("no document: %w", store.ErrInvalid)
	}
	return nil
}

func checkID(id string) error {
	if len(id) > MaxIDLength || !utf8.ValidString(id) || strings.ContainsRune(id, 0) {
		return fmt.Errorf("id must be valid UTF-8 without NUL, at most %d bytes: %w", MaxIDLength, store.ErrInvalid)
	}
	return nil
}

// encodeData checks the top-level keys and marshals the body. Keys starting with "_"
// are the metadata's and "$" or "." would be read as operators or paths by a document
// database, so none of them may name data.
func encodeData(data map[string]any) ([]byte, error) {
	if err := checkKeys(data); err != nil {
		return nil, err
	}
	if data == nil {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("data is not JSON (%v): %w", err, store.ErrInvalid)
	}
	return b, nil
}

// checkKeys refuses the top-level keys encodeData refuses.
func checkKeys(data map[string]any) error {
	for k := range data {
		if k == "" || k[0] == '_' || k[0] == '$' || strings.ContainsRune(k, '.') {
			return fmt.Errorf("data key %q: keys must not be empty, start with \"_\" or \"$\", or contain \".\": %w", k, store.ErrInvalid)
		}
	}
	return nil
}

var _ store.Collection = (*collection)(nil)
