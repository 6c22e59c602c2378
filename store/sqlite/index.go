package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// MaxIndexFields is the most fields one index covers.
const MaxIndexFields = 4

// EnsureIndex creates the index when the collection does not have it. The SQLite index
// is over (tenant, coll, fields…) of the collection's table and partial, limited to
// this collection, so a unique index is unique per tenant and collection. Asking
// again for the same definition is a no-op; reusing a name for another definition is
// store.ErrInvalid; a unique index over documents that already repeat a key is
// store.ErrDuplicate (and is not created).
func (c *collection) EnsureIndex(ctx context.Context, idx store.Index) error {
	if c.err != nil {
		return fmt.Errorf("ensure index on %s: %w", c.name, c.err)
	}
	if err := checkIndex(idx); err != nil {
		return fmt.Errorf("ensure index %q on %s: %w", idx.Name, c.name, err)
	}
	spec, _ := json.Marshal(idx.Fields)
	err := c.b.withTx(ctx, func(ctx context.Context) error {
		return c.write(ctx, func(ctx context.Context, r *runner) error {
			var fields string
			var uniq bool
			err := r.queryRow(ctx, `SELECT fields, uniq FROM doc_indexes WHERE tenant = ? AND coll = ? AND name = ?`,
				[]any{c.tenant, c.name, idx.Name}, &fields, &uniq)
			switch {
			case err == nil && fields == string(spec) && uniq == idx.Unique:
				return nil
			case err == nil:
				return fmt.Errorf("an index of that name exists with fields %s (unique %t): %w", fields, uniq, store.ErrInvalid)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			sqlName := indexSQLName(c.tenant, c.name, idx.Name)
			if _, err := c.b.wconn.ExecContext(ctx, indexDDL(c.tenant, c.name, sqlName, idx)); err != nil {
				return engineError(err)
			}
			_, err = r.exec(ctx, `INSERT INTO doc_indexes (tenant, coll, name, fields, uniq, sql_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				c.tenant, c.name, idx.Name, string(spec), idx.Unique, sqlName, time.Now().UnixMilli())
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("ensure index %q on %s: %w", idx.Name, c.name, err)
	}
	return nil
}

// indexDDL creates index idx of tenant's collection coll, named sqlName, on the
// collection's table. DDL takes no parameters: the tenant and collection literals passed
// store.CheckScope and store.CollectionName (lowercase letters, digits, "-", "_", ":"),
// the expressions store.ValidField, and quote() doubles quotes anyway.
func indexDDL(tenant, coll, sqlName string, idx store.Index) string {
	ddl := &strings.Builder{}
	ddl.WriteString(choose(idx.Unique, "CREATE UNIQUE INDEX ", "CREATE INDEX "))
	// tenant and coll lead so the index beats the primary key's (tenant, coll) prefix in
	// the planner's eyes even before ANALYZE has run.
	ddl.WriteString(`"` + sqlName + `" ON ` + tableOf(tenant, coll) + ` (tenant, coll`)
	for _, f := range idx.Fields {
		ddl.WriteString(", " + columnOf(f).expr)
	}
	if !idx.Unique && !slices.Contains(idx.Fields, store.FieldID) {
		// The id last, as MongoDB's lookup indexes have it: a page of the documents with
		// one value, in id order (lists, drill-downs), reads the index in order and stops
		// at the page's end instead of sorting them all.
		ddl.WriteString(", id")
	}
	ddl.WriteString(") WHERE tenant = " + quote(tenant) + " AND coll = " + quote(coll))
	return ddl.String()
}

func checkIndex(idx store.Index) error {
	if !store.ValidIndexName(idx.Name) {
		return fmt.Errorf("index name must be lowercase letters, digits and underscores: %w", store.ErrInvalid)
	}
	if len(idx.Fields) == 0 || len(idx.Fields) > MaxIndexFields {
		return fmt.Errorf("an index covers 1 to %d fields: %w", MaxIndexFields, store.ErrInvalid)
	}
	for i, f := range idx.Fields {
		if !store.ValidField(f) {
			return fmt.Errorf("index field %q: %w", f, store.ErrInvalid)
		}
		if slices.Contains(idx.Fields[:i], f) {
			return fmt.Errorf("index field %q listed twice: %w", f, store.ErrInvalid)
		}
	}
	return nil
}

// indexSQLName names the SQLite index; SQLite's index names are database-wide, so the
// name is derived from tenant, collection and index name together.
func indexSQLName(tenant, coll, name string) string {
	h := sha256.Sum256([]byte(tenant + "\x00" + coll + "\x00" + name))
	return "ix_" + name + "_" + hex.EncodeToString(h[:10])
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
