package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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

// migration is a schema step of this build.
type migration struct {
	description string
	sql         string
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
				if _, err := b.wconn.ExecContext(ctx, m.sql); err != nil {
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
