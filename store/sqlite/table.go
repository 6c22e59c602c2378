package sqlite

import (
	"context"
	"slices"
	"strings"
)

// Each tenant's documents live in a table of their own, "docs:<tenant>", with the
// collections' secondary indexes as partial indexes of that table. SQLite opens a cursor
// on every index of a table for each row it writes, whatever the index's WHERE says, so
// in one table shared by every tenant a write cost grew with the index count of the
// whole platform (BenchmarkInsertAmongTenants: 431 inserts/s beside 1,000 other
// indexes, 11,900 alone). Apart, a write pays for its own tenant's indexes only.
//
// A tenant's table is made by its first write, in that write's transaction: a scope is
// handed out without a context, often inside a transaction that holds the writer, so
// it cannot make the table itself. Until then reads go to emptyTable, a table of the
// same shape that is never written, and so answer exactly as an empty table would.

// docsTable is the placeholder of the documents table in this package's SQL texts;
// onTable puts a tenant's table in its place.
const docsTable = "$docs"

// emptyTable stands in for a tenant's table that does not exist yet (see readTable).
const emptyTable = "no_docs"

// tableOf is the quoted name of tenant's documents table; the tenant passed
// store.CheckScope (lowercase letters, digits, "-", "_"), so it needs no escaping.
func tableOf(tenant string) string { return `"docs:` + tenant + `"` }

// onTable is query with table in place of docsTable.
func onTable(table, query string) string { return strings.ReplaceAll(query, docsTable, table) }

// readTable is the table a read of tenant's documents runs on: the tenant's own when
// it exists (or ctx's transaction made it), else emptyTable.
func (b *Backend) readTable(ctx context.Context, tenant string) string {
	if _, ok := b.tables.Load(tenant); ok {
		return tableOf(tenant)
	}
	if st := b.txFrom(ctx); st != nil && slices.Contains(st.created, tenant) {
		return tableOf(tenant)
	}
	return emptyTable
}

// createTableSQL makes a documents table (name quoted). The tenant column is kept,
// constant within a tenant's table, so the statements and indexes read as they did in
// one shared table.
func createTableSQL(name string) string {
	return `CREATE TABLE IF NOT EXISTS ` + name + ` (
	tenant     TEXT    NOT NULL,
	coll       TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	data       TEXT    NOT NULL,
	PRIMARY KEY (tenant, coll, id)
)`
}

// ensureTable makes tenant's table, on the writer and in ctx's transaction if any,
// unless it is known to exist. Made outside a transaction it exists from then on; made
// in one, only once that commits (markTables), since a rollback takes it back.
func (b *Backend) ensureTable(ctx context.Context, r *runner, tenant string) error {
	if _, ok := b.tables.Load(tenant); ok {
		return nil
	}
	if _, err := r.exec(ctx, createTableSQL(tableOf(tenant))); err != nil {
		return err
	}
	if st := b.txFrom(ctx); st != nil {
		st.created = append(st.created, tenant)
	} else {
		b.tables.Store(tenant, struct{}{})
	}
	return nil
}

// markTables records the tables a committed transaction made.
func (b *Backend) markTables(st *txState) {
	for _, t := range st.created {
		b.tables.Store(t, struct{}{})
	}
}

// loadTables records the tenants' tables the database has.
func (b *Backend) loadTables(ctx context.Context) error {
	rows, err := b.wconn.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs:*'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		b.tables.Store(strings.TrimPrefix(name, "docs:"), struct{}{})
	}
	return rows.Err()
}
