package report

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchRecords is how many applications BenchmarkCockpit seeds:
// CREDO_REPORT_BENCH_RECORDS, default 100000 (the target is 1,000,000).
func benchRecords(b *testing.B) int {
	if s := os.Getenv("CREDO_REPORT_BENCH_RECORDS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(b, err)
		return n
	}
	return 100_000
}

// BenchmarkCockpit renders every widget of the lending cockpit on a file-backed SQLite
// store: cold (the form invalidated before each pass, so every aggregate runs) and warm
// (served from the cache, rights still checked).
func BenchmarkCockpit(b *testing.B) {
	n := benchRecords(b)
	fx := newFixture(b, filepath.Join(b.TempDir(), "credo.db"))
	start := time.Now()
	fx.seed(b, genLoans(n))
	b.Logf("seeded %d records in %s", n, time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	a := actor("manager", nil)
	p := Params{Locale: "zh-CN", Filters: map[string]FilterValue{"period": {From: "2024-01-01", To: "2024-12-31"}}}
	all := func(tb testing.TB, e *Engine) {
		for _, id := range fx.cockpit.Widgets() {
			if _, err := e.Render(ctx, a, fx.cockpit, id, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
	// One pass per widget, timed, says where a cold render spends its time.
	for _, id := range fx.cockpit.Widgets() {
		fx.engine.Invalidate(testTenant, "loan_application")
		t0 := time.Now()
		_, err := fx.engine.Render(ctx, a, fx.cockpit, id, p)
		require.NoError(b, err)
		b.Logf("cold %-28s %d parts in one query %s", id, len(fx.cockpit.byID[id].parts), time.Since(t0).Round(time.Millisecond))
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			fx.engine.Invalidate(testTenant, "loan_application")
			all(b, fx.engine)
		}
	})
	// A cold pass takes longer than the default 1 s TTL, so the warm pass runs on an
	// engine whose entries outlive the fill: it measures the cache path (rights check,
	// key, lookup) that serves renders within the TTL.
	warm := New(fx.svc, Options{TTL: time.Hour})
	b.Run("warm", func(b *testing.B) {
		all(b, warm)
		for b.Loop() {
			all(b, warm)
		}
	})
}
