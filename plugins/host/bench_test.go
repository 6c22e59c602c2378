package host

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// BenchmarkScore is one scoring call through the host to a real plugin process over
// go-plugin's gRPC with AutoMTLS: binding lookup, field filtering, input hash, deadline,
// concurrency slot and the round trip. It reports the median and 99th percentile.
func BenchmarkScore(b *testing.B) {
	h := newBenchHost(b)
	call := Call{Tenant: "acme", Form: "loan", Record: map[string]any{"income": json.Number("8000"), "name": "x"}}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := h.Score(ctx, call); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkScoreParallel is the same call from many goroutines at once: the throughput
// one plugin process gives the server.
func BenchmarkScoreParallel(b *testing.B) {
	h := newBenchHost(b)
	call := Call{Tenant: "acme", Form: "loan", Record: map[string]any{"income": json.Number("8000")}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.Score(context.Background(), call); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func newBenchHost(b *testing.B) *Host {
	b.Helper()
	h, _ := newTestHost(b, Config{}, "1.0.0")
	if _, err := h.Bind(context.Background(), "acme", KindScorer, "probe", "1.0.0", json.RawMessage(`{}`), "bench", 0, nil); err != nil {
		b.Fatal(err)
	}
	return h
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
