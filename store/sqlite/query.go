package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// where writes the tenant and collection condition, then f when set. Tenant and
// collection are written as literals, not parameters: their indexes are partial indexes
// of the collection's table (WHERE tenant = '…' AND coll = '…'), and a plan made for one
// bound tenant could keep that tenant's partial index when the statement next runs for
// another, finding nothing (seen with two tenants' timers polled in turn). A literal
// gives each tenant and collection its own statement and an exact plan.
func (c *collection) where(w *sqlWriter, f *store.Filter) error {
	w.raw(" WHERE tenant = " + quote(c.tenant) + " AND coll = " + quote(c.name))
	if f == nil {
		return nil
	}
	w.raw(" AND ")
	return w.filter(f, false)
}

// Find returns one page of the documents matching q, in q.Sort order then id.
func (c *collection) Find(ctx context.Context, q store.Query) (*store.Page, error) {
	if c.err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, c.err)
	}
	w, limit, err := c.findSQL(q)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	docs := make([]*store.Doc, 0, min(limit+1, 64))
	err = c.b.run(ctx, false, func(ctx context.Context, r *runner) error {
		return r.query(ctx, c.readSQL(ctx, w.sb.String()), w.args, func(rows *sql.Rows) error {
			d, err := scanDoc(rows)
			if err == nil {
				docs = append(docs, d)
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	page := &store.Page{Docs: docs}
	if len(docs) > limit {
		page.Docs = docs[:limit]
		page.Next = store.EncodeCursor(page.Docs[limit-1], q.Sort)
	}
	if len(q.Fields) > 0 {
		for _, d := range page.Docs {
			d.Data = project(d.Data, q.Fields)
		}
	}
	return page, nil
}

// findSQL builds the statement of a Find: the query's filter and the cursor's, the
// order, and a limit one past the page, which tells whether another page follows.
func (c *collection) findSQL(q store.Query) (*sqlWriter, int, error) {
	limit, err := q.Validate()
	if err != nil {
		return nil, 0, err
	}
	after, err := store.AfterCursor(q.Cursor, q.Sort)
	if err != nil {
		return nil, 0, err
	}
	w := &sqlWriter{}
	w.raw("SELECT id, version, created_at, updated_at, ")
	projectSQL(w, q.Fields, q.Sort)
	w.raw(" FROM " + docsTable)
	if err := c.where(w, store.And(q.Filter, after)); err != nil {
		return nil, 0, err
	}
	orderBy(w, q.Sort)
	w.raw(" LIMIT ?")
	w.args = append(w.args, limit+1)
	return w, limit, nil
}

// Count returns how many documents match f.
func (c *collection) Count(ctx context.Context, f *store.Filter) (int64, error) {
	if c.err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, c.err)
	}
	if err := f.Validate(); err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	w := &sqlWriter{}
	w.raw("SELECT count(*) FROM " + docsTable)
	if err := c.where(w, f); err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	var n int64
	err := c.b.run(ctx, false, func(ctx context.Context, r *runner) error {
		return r.queryRow(ctx, c.readSQL(ctx, w.sb.String()), w.args, &n)
	})
	if err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	return n, nil
}

// scanDoc reads a row of (id, version, created_at, updated_at, data).
func scanDoc(rows *sql.Rows) (*store.Doc, error) {
	d := &store.Doc{}
	var created, updated int64
	var data sql.RawBytes
	if err := rows.Scan(&d.ID, &d.Version, &created, &updated, &data); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	m, err := decodeBody(data)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", d.ID, err)
	}
	d.Data = m
	return d, nil
}

// projectSQL selects the data column, or, under a projection, only the top-level members
// the projection reaches, so a query for two small fields of large documents does not
// decode them whole. project then trims the sort keys and dotted paths inside members.
func projectSQL(w *sqlWriter, fields []string, sorts []store.Sort) {
	if len(fields) == 0 {
		w.raw("data") // JSONB, which decodeBody reads without SQLite rendering it as text
		return
	}
	all := slices.Clone(fields)
	for _, s := range sorts { // the cursor is built from the sort values before trimming
		all = append(all, s.Field)
	}
	var keys []string
	for _, f := range all {
		if strings.HasPrefix(f, "_") {
			continue
		}
		top, _, _ := strings.Cut(f, ".")
		if !slices.Contains(keys, top) {
			keys = append(keys, top)
		}
	}
	if len(keys) == 0 {
		w.raw("'{}'")
		return
	}
	// json_patch onto {} drops the members json_object filled with null for keys the
	// document lacks (a member stored as null goes too: absent and null read alike).
	w.raw("json_patch('{}', json_object(")
	for i, k := range keys {
		if i > 0 {
			w.raw(", ")
		}
		w.raw("?, data -> ?")
		w.args = append(w.args, k, "$."+k)
	}
	w.raw("))")
}

// project keeps the listed paths of data: a top-level key whole, a dotted path as just
// that member inside its objects (as MongoDB projects). Metadata names are skipped: a
// document's metadata is always returned.
func project(data map[string]any, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		if strings.HasPrefix(f, "_") {
			continue
		}
		copyPath(data, out, strings.Split(f, "."))
	}
	return out
}

func copyPath(src, dst map[string]any, parts []string) {
	v, ok := src[parts[0]]
	if !ok {
		return
	}
	if len(parts) == 1 {
		dst[parts[0]] = v
		return
	}
	sub, ok := v.(map[string]any)
	if !ok {
		return
	}
	d, ok := dst[parts[0]].(map[string]any)
	if !ok {
		d = map[string]any{}
		dst[parts[0]] = d
	}
	copyPath(sub, d, parts[1:])
}
