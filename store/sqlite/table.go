package sqlite

import (
	"context"
	"strings"
)

// Each tenant's documents live in tables of their own, one per kind of collection:
// "docs:<tenant>/<kind>", the kind being a collection name's part before ":" (every
// "records:<form>" in one table, every "rollup:<id>" in another, "outbox" in its own),
// each with its collections' secondary indexes as partial indexes. SQLite opens a
// cursor on every index of a table for each statement that writes to it, whatever the
// index's WHERE says, so in one table shared by every tenant a write cost grew with the
// index count of the whole platform (BenchmarkInsertAmongTenants: 431 inserts/s beside
// 1,000 other indexes, 11,900 alone), and in one table per tenant an audit entry or a
// rollup counter still paid for the records' indexes. Apart, a write pays for its own
// kind's indexes only, while one statement still writes all of a kind's collections
// (a record write's rollup counters).
//
// A table is made by the first write to one of its collections, in that write's
// transaction: a scope is handed out without a context, often inside a transaction
// that holds the writer, so it cannot make the table itself. Until then reads go to
// emptyTable, a table of the same shape that is never written, and so answer exactly
// as an empty table would.

// docsTable is the placeholder of the documents table in this package's SQL texts;
// onTable puts a collection's table in its place.
const docsTable = "$docs"

// emptyTable stands in for a table that does not exist yet (see readTable).
const emptyTable = "no_docs"

// tableName is the name of the table holding tenant's collection coll. The tenant
// passed store.CheckScope and the collection store.CollectionName (lowercase letters,
// digits, "-", "_", ":"), so it needs no escaping when quoted.
func tableName(tenant, coll string) string {
	kind, _, _ := strings.Cut(coll, ":")
	return "docs:" + tenant + "/" + kind
}

// tableOf is the quoted name of the table holding tenant's collection coll.
func tableOf(tenant, coll string) string { return `"` + tableName(tenant, coll) + `"` }

// onTable is query with table in place of docsTable.
func onTable(table, query string) string { return strings.ReplaceAll(query, docsTable, table) }

// readTable is the table a read of tenant's collection coll runs on: its own when it
// exists (or, for a read in a transaction, the transaction made it), else emptyTable.
func (b *Backend) readTable(ctx context.Context, tenant, coll string) string {
	name := tableName(tenant, coll)
	if _, ok := b.tables.Load(name); ok {
		return `"` + name + `"`
	}
	if b.txFrom(ctx) != nil && b.madeInTx(name) {
		return `"` + name + `"`
	}
	return emptyTable
}

// createTableSQL makes a documents table (name quoted). The tenant column is kept,
// constant within a table, so the statements and indexes read as they did in one
// shared table.
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

// ensureTable makes the table of tenant's collection coll, on the writer and in ctx's
// transaction if any, unless it exists. Made outside a transaction it exists from then
// on; made in one, it is seen by the rest of that transaction (the later members of a
// group commit too) and exists once the transaction commits (settleTables), since a
// rollback takes it back.
func (b *Backend) ensureTable(ctx context.Context, r *runner, tenant, coll string) error {
	name := tableName(tenant, coll)
	if _, ok := b.tables.Load(name); ok {
		return nil
	}
	st := b.txFrom(ctx)
	if st != nil && b.madeInTx(name) {
		return nil
	}
	if _, err := r.exec(ctx, createTableSQL(`"`+name+`"`)); err != nil {
		return err
	}
	if st == nil {
		b.tables.Store(name, struct{}{})
		return nil
	}
	st.created = append(st.created, name)
	b.madeMu.Lock()
	b.made[name] = true
	b.madeMu.Unlock()
	return nil
}

// madeInTx reports whether the writer's open transaction made table name.
func (b *Backend) madeInTx(name string) bool {
	b.madeMu.Lock()
	defer b.madeMu.Unlock()
	return b.made[name]
}

// settleTables ends the writer's transaction for the tables it made: they exist from
// now on when it committed, and are gone when it rolled back.
func (b *Backend) settleTables(committed bool) {
	b.madeMu.Lock()
	defer b.madeMu.Unlock()
	for name := range b.made {
		if committed {
			b.tables.Store(name, struct{}{})
		}
		delete(b.made, name)
	}
}

// forgetTables drops the tables a member of a group commit made when it is rolled back
// to its savepoint, which takes them back.
func (b *Backend) forgetTables(names []string) {
	b.madeMu.Lock()
	defer b.madeMu.Unlock()
	for _, name := range names {
		delete(b.made, name)
	}
}

// loadTables records the documents tables the database has.
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
		b.tables.Store(name, struct{}{})
	}
	return rows.Err()
}
