package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// plan returns SQLite's query plan for the Find of q on a read connection, with the
// arguments bound as a real Find binds them (which lets SQLite pick the tenant's partial
// index). The query runs first on the same connection: EXPLAIN alone plans from the
// connection's cached schema, while running a statement picks up a changed schema and
// with it fresh statistics.
func plan(t *testing.T, b *Backend, c store.Collection, q store.Query) string {
	t.Helper()
	ctx := context.Background()
	w, _, err := c.(*collection).findSQL(q)
	require.NoError(t, err)
	query := c.(*collection).readSQL(ctx, w.sb.String())
	conn, err := b.rdb.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, query, w.args...)
	require.NoError(t, err)
	for rows.Next() {
	}
	require.NoError(t, rows.Close())
	rows, err = conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, w.args...)
	require.NoError(t, err)
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		lines = append(lines, detail)
	}
	require.NoError(t, rows.Err())
	return strings.Join(lines, "\n")
}

func TestIndexesServeQueries(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "plan.db")})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	acme, err := b.Scope("acme")
	require.NoError(t, err)
	loans := acme.Collection("records:loan")
	idx := map[string]store.Index{
		"email":   {Name: "by_email", Fields: []string{"applicant.email"}, Unique: true},
		"branch":  {Name: "by_branch_amount", Fields: []string{"branch", "amount"}},
		"created": {Name: "by_created", Fields: []string{store.FieldCreatedAt}},
	}
	for _, i := range idx {
		require.NoError(t, loans.EnsureIndex(ctx, i))
	}
	since := time.Now()
	// Selective values, as indexed fields usually are: 150 branches over 3,000 loans.
	for i := range 3000 {
		require.NoError(t, loans.Insert(ctx, &store.Doc{Data: map[string]any{
			"applicant": map[string]any{"email": fmt.Sprintf("user%04d@example.com", i)},
			"branch":    fmt.Sprintf("b%03d", i%150),
			"amount":    i * 100,
		}}))
	}

	sqlName := func(name string) string { return indexSQLName("acme", "records:loan", name) }
	cases := []struct {
		name  string
		q     store.Query
		index string
		// needsStats: without statistics SQLite takes tenant = ? AND coll = ? for very
		// selective and prefers the primary key, which also yields id order for free.
		needsStats bool
		// sorted: the index yields the order, so there is no full sort step (ties on
		// the sort field may still be ordered by id, a "LAST TERM" partial sort).
		sorted bool
	}{
		{name: "eq on a nested field", q: store.Query{Filter: store.Eq("applicant.email", "user0042@example.com")}, index: sqlName("by_email")},
		{name: "prefix on a nested field", q: store.Query{Filter: &store.Filter{Field: "applicant.email", Op: store.OpPrefix, Value: "user004"}}, index: sqlName("by_email")},
		{name: "eq then range on a compound index", q: store.Query{Filter: store.And(store.Eq("branch", "b007"), store.Gte("amount", 1000))}, index: sqlName("by_branch_amount")},
		{name: "time window on metadata", q: store.Query{Filter: store.And(store.Gte(store.FieldCreatedAt, since), store.Lt(store.FieldCreatedAt, since.Add(time.Second)))}, index: sqlName("by_created")},
		{name: "latest first on metadata", q: store.Query{Sort: []store.Sort{{Field: store.FieldCreatedAt, Desc: true}}, Limit: 20}, index: sqlName("by_created"), sorted: true},
		{name: "in on the first field", q: store.Query{Filter: store.In("branch", "b001", "b002")}, index: sqlName("by_branch_amount"), needsStats: true},
	}
	for _, stats := range []bool{false, true} {
		if stats {
			require.NoError(t, b.Optimize(ctx))
		}
		for _, tc := range cases {
			if tc.needsStats && !stats {
				continue
			}
			t.Run(fmt.Sprintf("%s (statistics %t)", tc.name, stats), func(t *testing.T) {
				p := plan(t, b, loans, tc.q)
				assert.Contains(t, p, "INDEX "+tc.index, "plan:\n%s", p)
				if tc.sorted {
					assert.NotContains(t, p, "TEMP B-TREE FOR ORDER BY", "plan:\n%s", p)
				}
			})
		}
	}

	t.Run("another tenant's query does not use this tenant's index", func(t *testing.T) {
		// globex has written nothing: its reads go to the empty stand-in table.
		other, err := b.Scope("globex")
		require.NoError(t, err)
		p := plan(t, b, other.Collection("records:loan"), store.Query{Filter: store.Eq("applicant.email", "user0042@example.com")})
		assert.NotContains(t, p, sqlName("by_email"), "plan:\n%s", p)
		assert.Contains(t, p, "sqlite_autoindex_"+emptyTable+"_1", "plan:\n%s", p)
	})

	t.Run("the audit tail query walks the primary key backwards", func(t *testing.T) {
		p := plan(t, b, loans, store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1})
		assert.Contains(t, p, "sqlite_autoindex_docs:acme/records_1", "plan:\n%s", p)
		assert.NotContains(t, p, "TEMP B-TREE", "no sort step:\n%s", p)
	})
}

// TestIncrementReadsByPrimaryKey: the read of the documents an increment call writes
// looks each (collection, id) pair up in the primary key, whatever secondary indexes the
// tenant's collections have and with or without statistics.
func TestIncrementReadsByPrimaryKey(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "plan.db")})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Close()) })
	s, err := b.Scope("acme")
	require.NoError(t, err)
	var incs []store.Increment
	for i := range 300 {
		incs = append(incs, store.Increment{ID: fmt.Sprintf("r%03d", i), Set: map[string]any{"channel": fmt.Sprintf("c%d", i%7)}, Add: map[string]float64{"n": 1}})
	}
	for _, coll := range []string{"rollup:a", "rollup:b"} {
		require.NoError(t, s.Collection(coll).EnsureIndex(ctx, store.Index{Name: "by_channel", Fields: []string{"channel"}}))
		require.NoError(t, s.Collection(coll).Increment(ctx, incs))
	}
	w := &counterWriter{tenant: "acme", table: tableOf("acme", "rollup:a")}
	list, err := keyList([]counter{{coll: "rollup:a", Increment: incs[0]}, {coll: "rollup:b", Increment: incs[1]}})
	require.NoError(t, err)
	for _, stats := range []bool{false, true} {
		if stats {
			require.NoError(t, b.Optimize(ctx))
		}
		var lines []string
		require.NoError(t, b.run(ctx, false, func(ctx context.Context, r *runner) error {
			return r.query(ctx, "EXPLAIN QUERY PLAN "+w.selectStoredSQL(), []any{list}, func(rows *sql.Rows) error {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				lines = append(lines, detail)
				return nil
			})
		}))
		p := strings.Join(lines, "\n")
		assert.Contains(t, p, "sqlite_autoindex_docs:acme/rollup_1 (tenant=? AND coll=? AND id=?)", "statistics %t, plan:\n%s", stats, p)
	}
}
