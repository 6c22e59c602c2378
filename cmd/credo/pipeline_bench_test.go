package main

import (
	"context"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// BenchmarkApplicationToReviewTask measures the automated part of the approval: from a
// loan application's create (validation, scoring and fraud check by the real plugin
// processes, audit, outbox) through its rules (the starter app's) to the approval flow's
// first review task. Creates run from 32 goroutines while two dispatchers work the outbox,
// as on a serving node; the clock stops when the last task exists. Reports applications
// per second.
func BenchmarkApplicationToReviewTask(b *testing.B) {
	ctx := context.Background()
	cfg, err := loadConfig("", envOf(map[string]string{
		"CREDO_SQLITE_PATH": filepath.Join(b.TempDir(), "credo.db"),
		"CREDO_PLUGIN_DIR":  installReferencePlugins(b),
	}))
	if err != nil {
		b.Fatal(err)
	}
	a, err := newApp(ctx, cfg, newLogger(io.Discard, "error"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = a.Close() })
	if err := seedDemo(ctx, a, ":0", io.Discard); err != nil {
		b.Fatal(err)
	}
	reviewer, err := a.tenants.UserByEmail(ctx, demoSlug, "reviewer@demo.credo")
	if err != nil {
		b.Fatal(err)
	}
	actor := form.Actor{Tenant: demoSlug, UserID: reviewer.ID, Roles: reviewer.Roles}
	sc, err := a.backend.Scope(demoSlug)
	if err != nil {
		b.Fatal(err)
	}
	// settled counts the applications the automation is done with: a review task open,
	// or rejected by a rule or at the risk gate.
	settled := func() int64 {
		n, err := a.flows.Counts(ctx, actor)
		if err != nil {
			b.Fatal(err)
		}
		rejected, err := sc.Collection(form.RecordsCollection("loan_application")).Count(ctx, store.Eq("data.status", "rejected"))
		if err != nil {
			b.Fatal(err)
		}
		return n.Open + rejected
	}
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	for range 2 {
		d, err := events.NewDispatcher(events.DispatcherConfig{Backend: a.backend, Registry: a.events, PollInterval: 5 * time.Millisecond,
			Tenants: func(context.Context) ([]string, error) { return []string{demoSlug}, nil }})
		if err != nil {
			b.Fatal(err)
		}
		go func() { _ = d.Run(dctx) }()
	}
	// Let the demo's own applications through first.
	for before := int64(-1); ; time.Sleep(200 * time.Millisecond) {
		n := settled()
		if n == before {
			break
		}
		before = n
	}
	start := settled()
	r := rand.New(rand.NewPCG(3, 5))
	apps := make([]map[string]any, b.N)
	for i := range apps {
		apps[i] = sampleApplication(r, 10_000+i)
	}
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				if _, err := a.forms.Create(ctx, actor, "loan_application", apps[i]); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
	deadline := time.Now().Add(10 * time.Minute)
	var reached int64
	for reached = settled() - start; reached < int64(b.N) && time.Now().Before(deadline); reached = settled() - start {
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(reached)/b.Elapsed().Seconds(), "apps/s")
	b.ReportMetric(float64(reached)/float64(b.N), "settled")
}
