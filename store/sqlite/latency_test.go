package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

// The latency benchmarks report percentiles of one record create (a 2 KB record and
// the audit entry that links to the previous one, in one WithTx) on a file database,
// since the tail, not the mean, is what a steady load feels. Each b.Loop iteration is
// one create, so -benchtime=Nx sets how many are measured, e.g.
//
//	go test -run '^$' -bench BenchmarkTxLatency -benchtime 10000x ./store/sqlite/
//
// measures 10 s of the paced case.

// latencyRig is a file database with the record and audit collections of a create.
type latencyRig struct {
	scope          store.Scope
	records, audit store.Collection
	seq            atomic.Int64
}

func newLatencyRig(b *testing.B) *latencyRig {
	be, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(b.TempDir(), "latency.db")})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, be.Close()) })
	s, err := be.Scope("acme")
	require.NoError(b, err)
	rig := &latencyRig{scope: s, records: s.Collection("records:loan_application"), audit: s.Collection("audit")}
	// Warm the statement caches so the first measures are not statement compiles.
	for range 50 {
		require.NoError(b, rig.create(context.Background()))
	}
	return rig
}

// create inserts a 2 KB record and an audit entry in one transaction.
func (r *latencyRig) create(ctx context.Context) error {
	return r.scope.WithTx(ctx, func(ctx context.Context) error {
		n := r.seq.Add(1)
		rec := &store.Doc{Data: largeLoanRecord(int(n))}
		if err := r.records.Insert(ctx, rec); err != nil {
			return err
		}
		return r.audit.Insert(ctx, &store.Doc{ID: fmt.Sprintf("%020d", n), Data: map[string]any{
			"action": "record.create", "record": rec.ID, "user": "u-42",
			"seq": n, "hash": fmt.Sprintf("%064x", n),
		}})
	})
}

// reportPercentiles reports p50, p90, p99, p99.9 and max of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	b.Helper()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		i := min(len(lat)-1, int(q*float64(len(lat))))
		return float64(lat[i].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.90), "p90-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(0.999), "p99.9-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkTxLatency measures the latency of record creates on a file database: one
// caller after another (serial), and an open-loop load of 1,000 creates a second, each
// started on its schedule in a goroutine of its own whatever the earlier ones are
// doing, as requests reach a server (paced-1000/s).
func BenchmarkTxLatency(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		rig := newLatencyRig(b)
		ctx := context.Background()
		lat := make([]time.Duration, 0, b.N)
		for b.Loop() {
			t0 := time.Now()
			if err := rig.create(ctx); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		reportPercentiles(b, lat)
	})
	b.Run("paced-1000/s", func(b *testing.B) {
		rig := newLatencyRig(b)
		ctx := context.Background()
		const every = time.Millisecond
		var (
			mu   sync.Mutex
			lat  = make([]time.Duration, 0, b.N)
			wg   sync.WaitGroup
			fail atomic.Value
		)
		start := time.Now()
		i := 0
		for b.Loop() {
			if d := time.Until(start.Add(time.Duration(i) * every)); d > 0 {
				time.Sleep(d)
			}
			i++
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				if err := rig.create(ctx); err != nil {
					fail.Store(err)
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}()
		}
		wg.Wait()
		b.StopTimer()
		if err, ok := fail.Load().(error); ok {
			b.Fatal(err)
		}
		b.ReportMetric(float64(i)/time.Since(start).Seconds(), "creates/s")
		reportPercentiles(b, lat)
	})
}
