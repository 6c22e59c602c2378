package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// ErrSchemaNewer means the database was migrated by a newer build than this one, or its
// recorded migrations do not match this build's: running on it could corrupt data.
var ErrSchemaNewer = errors.New("sqlite: database schema does not match this build")

// Migration is one applied schema step.
type Migration struct {
	// Version numbers the step; steps apply in order, once.
	Version int
	// Description says what the step does.
	Description string
	// AppliedAt is when the step ran on this database.
	AppliedAt time.Time
}

// migration is a schema step of this build: its sql, or run when it needs more.
type migration struct {
	description string
	sql         string
	run         func(ctx context.Context, conn *sql.Conn) error
}

// migrations is append-only: never edit or reorder a step that has shipped; retire one
// by replacing its SQL with a no-op and keeping its description.
var migrations = []migration{
	{
		description: "docs: one table of JSON documents keyed by tenant, collection and id",
		sql: `CREATE TABLE docs (
	tenant     TEXT    NOT NULL,
	coll       TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	data       TEXT    NOT NULL,
	PRIMARY KEY (tenant, coll, id)
)`,
	},
	{
		description: "doc_indexes: secondary indexes declared per tenant and collection",
		sql: `CREATE TABLE doc_indexes (
	tenant     TEXT    NOT NULL,
	coll       TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	fields     TEXT    NOT NULL,
	uniq       INTEGER NOT NULL,
	sql_name   TEXT    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (tenant, coll, name)
) WITHOUT ROWID`,
	},
	{
		// json_extract reads JSONB without parsing it: aggregates over many documents
		// spend most of their time parsing JSON text otherwise. Rows of either kind
		// read alike, so the step only converts what is there.
		description: "docs: data stored as SQLite JSONB",
		sql:         `UPDATE docs SET data = jsonb(data) WHERE typeof(data) = 'text'`,
	},
	{
		description: "docs: a table per tenant and kind of collection, with its indexes; no_docs stands in for one not made yet",
		run:         splitDocs,
	},
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version     INTEGER PRIMARY KEY,
	description TEXT    NOT NULL,
	applied_at  INTEGER NOT NULL
)`

// Migrate applies, in one transaction, every migration the database has not seen yet.
// It is idempotent; Open calls it. ErrSchemaNewer when the database is ahead of this
// build.
func (b *Backend) Migrate(ctx context.Context) error {
	err := b.withTx(ctx, func(ctx context.Context) error {
		return b.run(ctx, true, func(ctx context.Context, r *runner) error {
			if _, err := b.wconn.ExecContext(ctx, createMigrationsTable); err != nil {
				return err
			}
			applied, err := b.applied(ctx, r)
			if err != nil {
				return err
			}
			if len(applied) > len(migrations) {
				return fmt.Errorf("database has %d migrations, this build knows %d: %w", len(applied), len(migrations), ErrSchemaNewer)
			}
			for i, m := range applied {
				if m.Version != i+1 || m.Description != migrations[i].description {
					return fmt.Errorf("migration %d is %q in the database: %w", m.Version, m.Description, ErrSchemaNewer)
				}
			}
			now := time.Now().UnixMilli()
			for i := len(applied); i < len(migrations); i++ {
				m := migrations[i]
				var err error
				if m.run != nil {
					err = m.run(ctx, b.wconn)
				} else {
					_, err = b.wconn.ExecContext(ctx, m.sql)
				}
				if err != nil {
					return fmt.Errorf("migration %d (%s): %w", i+1, m.description, err)
				}
				if _, err := b.wconn.ExecContext(ctx,
					`INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)`,
					i+1, m.description, now); err != nil {
					return fmt.Errorf("record migration %d: %w", i+1, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Migrations lists the migrations applied to the database, oldest first.
func (b *Backend) Migrations(ctx context.Context) ([]Migration, error) {
	var out []Migration
	err := b.run(ctx, false, func(ctx context.Context, r *runner) error {
		var err error
		out, err = b.applied(ctx, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	return out, nil
}

// applied reads schema_migrations without the statement cache: it runs once per Open
// and before the schema is final.
func (b *Backend) applied(ctx context.Context, r *runner) ([]Migration, error) {
	const q = `SELECT version, description, applied_at FROM schema_migrations ORDER BY version`
	var out []Migration
	var rows *sql.Rows
	var err error
	if r == b.reader {
		rows, err = b.rdb.QueryContext(ctx, q)
	} else {
		rows, err = b.wconn.QueryContext(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m Migration
		var at int64
		if err := rows.Scan(&m.Version, &m.Description, &at); err != nil {
			return nil, err
		}
		m.AppliedAt = time.UnixMilli(at).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// splitDocs moves every collection's documents from the shared docs table into its
// tenant's table of its kind (table.go) and makes each declared index again there.
func splitDocs(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, createTableSQL(emptyTable)); err != nil {
		return err
	}
	type declared struct {
		tenant, coll, sqlName string
		idx                   store.Index
	}
	var colls [][2]string
	var indexes []declared
	err := queryEach(ctx, conn, `SELECT DISTINCT tenant, coll FROM docs UNION SELECT DISTINCT tenant, coll FROM doc_indexes`, func(rows *sql.Rows) error {
		var tc [2]string
		err := rows.Scan(&tc[0], &tc[1])
		colls = append(colls, tc)
		return err
	})
	if err != nil {
		return err
	}
	err = queryEach(ctx, conn, `SELECT tenant, coll, name, fields, uniq, sql_name FROM doc_indexes`, func(rows *sql.Rows) error {
		var d declared
		var fields string
		if err := rows.Scan(&d.tenant, &d.coll, &d.idx.Name, &fields, &d.idx.Unique, &d.sqlName); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(fields), &d.idx.Fields); err != nil {
			return err
		}
		indexes = append(indexes, d)
		return nil
	})
	if err != nil {
		return err
	}
	for _, tc := range colls {
		tenant, coll := tc[0], tc[1]
		if err := store.CheckScope(tenant); err != nil {
			return fmt.Errorf("tenant %q: %w", tenant, err)
		}
		if !store.CollectionName(coll) {
			return fmt.Errorf("collection %q of %s: %w", coll, tenant, store.ErrInvalid)
		}
		table := tableOf(tenant, coll)
		if _, err := conn.ExecContext(ctx, createTableSQL(table)); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO `+table+` (tenant, coll, id, version, created_at, updated_at, data)
			SELECT tenant, coll, id, version, created_at, updated_at, data FROM docs WHERE tenant = ? AND coll = ?`, tenant, coll); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, `DROP TABLE docs`); err != nil {
		return err
	}
	for _, d := range indexes {
		if _, err := conn.ExecContext(ctx, indexDDL(d.tenant, d.coll, d.sqlName, d.idx)); err != nil {
			return fmt.Errorf("index %s of %s/%s: %w", d.idx.Name, d.tenant, d.coll, err)
		}
	}
	return nil
}

// queryEach runs query on conn and calls fn for each row.
func queryEach(ctx context.Context, conn *sql.Conn, query string, fn func(rows *sql.Rows) error) error {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
