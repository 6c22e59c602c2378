package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// A database written before documents were stored as JSONB (migrations 1 and 2, data
// as JSON text) and before each tenant had its own table is converted on open, its
// indexes made again, and reads as it did.
func TestMigrateTextDataToJSONB(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, 'docs: one table of JSON documents keyed by tenant, collection and id', 0)`,
		`INSERT INTO schema_migrations VALUES (2, 'doc_indexes: secondary indexes declared per tenant and collection', 0)`,
		`CREATE TABLE docs (tenant TEXT NOT NULL, coll TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
			created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (tenant, coll, id))`,
		`CREATE TABLE doc_indexes (tenant TEXT NOT NULL, coll TEXT NOT NULL, name TEXT NOT NULL, fields TEXT NOT NULL,
			uniq INTEGER NOT NULL, sql_name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, PRIMARY KEY (tenant, coll, name)) WITHOUT ROWID`,
		`INSERT INTO docs VALUES ('acme', 'records', 'a', 3, 1, 2, '{"name":"Ada \"the first\"","limit":9007199254740993,"rate":1.50,"tags":["x","y"],"nested":{"ok":true,"none":null}}')`,
		`INSERT INTO docs VALUES ('acme', 'records', 'b', 1, 1, 1, '{"name":"Grace","limit":5}')`,
		`INSERT INTO docs VALUES ('globex', 'records', 'g', 1, 1, 1, '{"name":"Grace","limit":7}')`,
		`CREATE INDEX "ix_by_name_old" ON docs (tenant, coll, json_extract(data, '$.name'), id) WHERE tenant = 'acme' AND coll = 'records'`,
		`INSERT INTO doc_indexes VALUES ('acme', 'records', 'by_name', '["name"]', 0, 'ix_by_name_old', 0)`,
	} {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
	require.NoError(t, db.Close())

	b := newTestBackend(t, path)
	ms, err := b.Migrations(ctx)
	require.NoError(t, err)
	require.Greater(t, len(ms), 2)
	sc, err := b.Scope("acme")
	require.NoError(t, err)
	c := sc.Collection("records")
	got, err := c.Get(ctx, "a")
	require.NoError(t, err)
	assert.Equal(t, int64(3), got.Version)
	want := map[string]any{"name": `Ada "the first"`, "limit": json.Number("9007199254740993"), "rate": json.Number("1.50"),
		"tags": []any{"x", "y"}, "nested": map[string]any{"ok": true, "none": nil}}
	assert.Equal(t, want, got.Data, "numbers keep their text, strings their escapes")
	n, err := c.Count(ctx, store.Gt("limit", 1000))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	groups, err := c.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{{Name: "s", Op: store.MeasureSum, Field: "limit"}}})
	require.NoError(t, err)
	assert.InDelta(t, 9007199254740993.0+5, groups[0].Values["s"], 2)

	raw, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	require.NoError(t, err)
	defer raw.Close()
	var texts int
	require.NoError(t, raw.QueryRow(`SELECT count(*) FROM "docs:acme/records" WHERE typeof(data) <> 'blob'`).Scan(&texts))
	assert.Zero(t, texts, "every document is stored as JSONB")
	var indexed string
	require.NoError(t, raw.QueryRow(`SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = 'ix_by_name_old'`).Scan(&indexed))
	assert.Equal(t, "docs:acme/records", indexed, "the index is made again on its collection's table")
	require.NoError(t, c.EnsureIndex(ctx, store.Index{Name: "by_name", Fields: []string{"name"}}), "the same definition is still known")
	byName, err := c.Find(ctx, store.Query{Filter: store.Eq("name", "Grace")})
	require.NoError(t, err)
	require.Len(t, byName.Docs, 1, "each tenant keeps its own documents")
	globex, err := b.Scope("globex")
	require.NoError(t, err)
	g, err := globex.Collection("records").Get(ctx, "g")
	require.NoError(t, err)
	assert.Equal(t, json.Number("7"), g.Data["limit"])
	var shared int
	require.NoError(t, raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'docs'`).Scan(&shared))
	assert.Zero(t, shared, "the shared table is gone, its documents moved to their collections' tables")
}
