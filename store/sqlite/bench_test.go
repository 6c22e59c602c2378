package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

// loanRecord is a record of the size a loan application form writes.
func loanRecord(i int) map[string]any {
	return map[string]any{
		"applicant": map[string]any{
			"name": fmt.Sprintf("Applicant %d", i), "id_number": fmt.Sprintf("ID%010d", i),
			"phone": "+2348012345678", "email": fmt.Sprintf("a%d@example.com", i),
			"address": map[string]any{"line1": "12 Marina Road", "city": "Lagos", "zip": "100001"},
			"income":  json.Number("350000"), "employer": "Acme Trading Ltd",
		},
		"amount": json.Number("1500000"), "term_months": json.Number("12"), "rate": json.Number("0.215"),
		"purpose": "working capital", "channel": "branch", "branch": "lagos-01", "status": "submitted",
		"applied_at": time.Now().UTC().Format(time.RFC3339),
		"references": []any{
			map[string]any{"name": "R One", "phone": "+2348000000001"},
			map[string]any{"name": "R Two", "phone": "+2348000000002"},
		},
	}
}

func benchBackends(b *testing.B, run func(b *testing.B, s store.Scope)) {
	for _, kind := range []string{"file", "memory"} {
		b.Run(kind, func(b *testing.B) {
			path := sqlite.MemoryPath
			if kind == "file" {
				path = filepath.Join(b.TempDir(), "bench.db")
			}
			be, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
			require.NoError(b, err)
			b.Cleanup(func() { require.NoError(b, be.Close()) })
			s, err := be.Scope("acme")
			require.NoError(b, err)
			run(b, s)
		})
	}
}

// BenchmarkInsert measures single-document inserts (each its own commit).
func BenchmarkInsert(b *testing.B) {
	benchBackends(b, func(b *testing.B, s store.Scope) {
		b.ReportAllocs()
		benchInserts(b, s.Collection("records:loan_application"))
	})
}

// benchInserts inserts loan records into c one at a time, each its own commit.
func benchInserts(b *testing.B, c store.Collection) {
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		if err := c.Insert(ctx, &store.Doc{Data: loanRecord(i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "inserts/s")
}

// BenchmarkInsertParallel measures single-document inserts outside transactions from
// many goroutines at once.
func BenchmarkInsertParallel(b *testing.B) {
	benchBackends(b, func(b *testing.B, s store.Scope) {
		c := s.Collection("records:loan_application")
		var n atomic.Int64
		b.SetParallelism(8)
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if err := c.Insert(ctx, &store.Doc{Data: largeLoanRecord(int(n.Add(1)))}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "inserts/s")
	})
}

// BenchmarkInsertTx measures a record create as the platform does it: in one
// transaction, insert the record, read the tail of the audit chain (last entry by id)
// and append the audit entry that links to it.
func BenchmarkInsertTx(b *testing.B) {
	benchBackends(b, func(b *testing.B, s store.Scope) {
		ctx := context.Background()
		records, audit := s.Collection("records:loan_application"), s.Collection("audit")
		tail := store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1, Fields: []string{"hash"}}
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		for i := 0; b.Loop(); i++ {
			err := s.WithTx(ctx, func(ctx context.Context) error {
				rec := &store.Doc{Data: loanRecord(i)}
				if err := records.Insert(ctx, rec); err != nil {
					return err
				}
				last, err := audit.Find(ctx, tail)
				if err != nil {
					return err
				}
				prev := ""
				if len(last.Docs) == 1 {
					prev, _ = last.Docs[0].Data["hash"].(string)
				}
				return audit.Insert(ctx, &store.Doc{Data: map[string]any{
					"action": "record.create", "record": rec.ID, "user": "u-42",
					"prev": prev, "hash": fmt.Sprintf("%016x", i),
				}})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "creates/s")
	})
}

// largeLoanRecord is loanRecord grown to about 2 KB of JSON with free-text notes, the
// size of a record with its assessment comments.
func largeLoanRecord(i int) map[string]any {
	r := loanRecord(i)
	base, _ := json.Marshal(r)
	r["notes"] = strings.Repeat("Site visit done; stock and receipts match the application. ", 1+(2048-len(base))/59)
	return r
}

// BenchmarkInsertTxParallel measures record creates from many goroutines, as an HTTP
// server makes them: each is one transaction that inserts a 2 KB record, reads the head
// of the audit chain (last entry by id, only seq and hash) and appends the entry linked
// to it. Commits, not CPU, bound it on a file database.
func BenchmarkInsertTxParallel(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.db")
	be, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, be.Close()) })
	s, err := be.Scope("acme")
	require.NoError(b, err)
	records, audit := s.Collection("records:loan_application"), s.Collection("audit")
	head := store.Query{Sort: []store.Sort{{Field: store.FieldID, Desc: true}}, Limit: 1, Fields: []string{"seq", "hash"}}
	var n atomic.Int64
	create := func(ctx context.Context) error {
		rec := &store.Doc{Data: largeLoanRecord(int(n.Add(1)))}
		if err := records.Insert(ctx, rec); err != nil {
			return err
		}
		last, err := audit.Find(ctx, head)
		if err != nil {
			return err
		}
		seq, prev := int64(1), ""
		if len(last.Docs) == 1 {
			s, err := last.Docs[0].Data["seq"].(json.Number).Int64()
			if err != nil {
				return err
			}
			seq, prev = s+1, last.Docs[0].Data["hash"].(string)
		}
		return audit.Insert(ctx, &store.Doc{ID: fmt.Sprintf("%020d", seq), Data: map[string]any{
			"action": "record.create", "record": rec.ID, "user": "u-42",
			"seq": seq, "prev": prev, "hash": fmt.Sprintf("%016x", seq),
		}})
	}
	b.SetParallelism(8) // 16 goroutines on 2 cores: requests in flight at once
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if err := s.WithTx(ctx, create); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "creates/s")
	b.StopTimer()
	got, err := audit.Count(context.Background(), nil)
	require.NoError(b, err)
	require.Equal(b, n.Load(), got, "every create appended one audit entry")
}

// BenchmarkRollupCounters measures what a record write does to a form's 13 rollups, in
// a transaction of its own: a create adds to one row of each (one increment in each of
// 13 collections), an update moves the record from one row to another in each (two).
// per_collection is one Collection.Increment per rollup, across one
// store.IncrementAcross for all of them. The rows exist (200 in each rollup), as they
// do once a form has records.
func BenchmarkRollupCounters(b *testing.B) {
	const rollups, rows = 13, 200
	colls := make([]string, rollups)
	for r := range colls {
		colls[r] = fmt.Sprintf("rollup:r%02d", r)
	}
	row := func(r, i int, sign float64) store.Increment {
		id := fmt.Sprintf("row%03d", i%rows)
		return store.Increment{ID: id, Set: map[string]any{"channel": id, "day": "2024-06-01"},
			Add: map[string]float64{"n": sign, "amount": sign * 1500000, "approved": sign, "term_sum": sign * float64(12+r)}}
	}
	benchBackends(b, func(b *testing.B, s store.Scope) {
		ctx := context.Background()
		for _, coll := range colls {
			var seed []store.Increment
			for i := range rows {
				seed = append(seed, row(0, i, 1))
			}
			require.NoError(b, s.Collection(coll).Increment(ctx, seed))
		}
		// write builds the increments of the i-th write: a create, or an update that
		// moves the record to the next row.
		write := func(i int, update bool) []store.CollectionIncrements {
			parts := make([]store.CollectionIncrements, len(colls))
			for r, coll := range colls {
				incs := []store.Increment{row(r, i+r, 1)}
				if update {
					incs = append(incs, row(r, i+r+1, -1))
				}
				parts[r] = store.CollectionIncrements{Collection: coll, Increments: incs}
			}
			return parts
		}
		for _, kind := range []string{"create", "update"} {
			ways := map[string]func(ctx context.Context, parts []store.CollectionIncrements) error{
				"per_collection": func(ctx context.Context, parts []store.CollectionIncrements) error {
					for _, p := range parts {
						if err := s.Collection(p.Collection).Increment(ctx, p.Increments); err != nil {
							return err
						}
					}
					return nil
				},
				"across": func(ctx context.Context, parts []store.CollectionIncrements) error {
					return store.IncrementAcross(ctx, s, parts)
				},
			}
			for _, way := range []string{"per_collection", "across"} {
				b.Run(kind+"/"+way, func(b *testing.B) {
					b.ReportAllocs()
					for i := 0; b.Loop(); i++ {
						parts := write(i, kind == "update")
						if err := s.WithTx(ctx, func(ctx context.Context) error { return ways[way](ctx, parts) }); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	})
}

// BenchmarkInsertAmongTenants measures one tenant's single-document inserts while other
// tenants' collections hold indexes. SQLite opens a cursor on every index of a table for
// each row it writes, so with every tenant in one table a write's cost grew with the
// platform's index count; with tables per tenant it does not.
func BenchmarkInsertAmongTenants(b *testing.B) {
	for _, others := range []int{0, 100, 1000} {
		b.Run(fmt.Sprintf("other_indexes=%d", others), func(b *testing.B) {
			ctx := context.Background()
			be, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
			require.NoError(b, err)
			b.Cleanup(func() { require.NoError(b, be.Close()) })
			// Tenants of 25 indexes each, as the lending starter app makes.
			for i := range others {
				s, err := be.Scope(fmt.Sprintf("tenant-%04d", i/25))
				require.NoError(b, err)
				idx := store.Index{Name: fmt.Sprintf("f%d", i%5), Fields: []string{fmt.Sprintf("f%d", i%5)}}
				require.NoError(b, s.Collection(fmt.Sprintf("records:form%d", i%25/5)).EnsureIndex(ctx, idx))
			}
			s, err := be.Scope("acme")
			require.NoError(b, err)
			c := s.Collection("records:loan_application")
			require.NoError(b, c.EnsureIndex(ctx, store.Index{Name: "amount", Fields: []string{"amount"}}))
			benchInserts(b, c)
		})
	}
}
