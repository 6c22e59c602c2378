package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/credolabs/credo/plugins/sdk"
	"github.com/credolabs/credo/plugins/sdk/sdktest"
)

// hostRecord is the application as the plugin receives it from the host: only the
// declared fields, numbers as json.Number.
func hostRecord(b *testing.B, p *plugin) map[string]any {
	raw, err := json.Marshal(hostView(b, p, application()))
	if err != nil {
		b.Fatal(err)
	}
	var rec map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&rec); err != nil {
		b.Fatal(err)
	}
	return rec
}

// BenchmarkScore scores one applicant in-process: bridge, bins, points, reasons and the
// credit limit under a tenant configuration.
func BenchmarkScore(b *testing.B) {
	p := newTestPlugin(b)
	call := &sdk.Call{Record: hostRecord(b, p), Config: json.RawMessage(`{"limit_cap": 150000}`)}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Score(ctx, call); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreGRPC scores one applicant through sdktest's in-process gRPC connection,
// the path a host call takes minus the process boundary.
func BenchmarkScoreGRPC(b *testing.B) {
	p := newTestPlugin(b)
	h := sdktest.New(b, p.serveOpts())
	call := sdktest.Call{Record: hostView(b, p, application()), Config: map[string]any{"limit_cap": 150000}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Score(ctx, call); err != nil {
			b.Fatal(err)
		}
	}
}
