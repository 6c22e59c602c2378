package main

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
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
// as two nodes sharing a store would; the clock stops when the last task exists.
//
// Reports apps/s (end to end), creates/s (the creates alone), drain/s (the rate at which
// applications settled after the last create, when only the dispatchers worked) and
// cpu-ms/app, the CPU time of this process per application (the plugin processes'
// excluded): on a shared machine the rates swing with the neighbours' load, the CPU time
// much less. The garbage collector is tuned as `credo serve` tunes it.
// CREDO_BENCH_CPUPROFILE=file writes a CPU profile of the timed part only (-cpuprofile
// would include the seeding, password hashing and all).
func BenchmarkApplicationToReviewTask(b *testing.B) {
	ctx := context.Background()
	a, actor, sc := benchNode(b, map[string]string{"CREDO_PLUGIN_DIR": installReferencePlugins(b)}, "reviewer@demo.credo")
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
	// Let the demo's own applications through first, and the cockpit's rollups be built.
	for before := int64(-1); ; time.Sleep(200 * time.Millisecond) {
		n := settled()
		if n == before {
			break
		}
		before = n
	}
	waitRollups(b, sc)
	start := settled()
	r := rand.New(rand.NewPCG(3, 5))
	apps := make([]map[string]any, b.N)
	for i := range apps {
		apps[i] = sampleApplication(r, 10_000+i)
	}
	if path := os.Getenv("CREDO_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
	}
	cpuBefore := processCPU(b)
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
	createdAt, settledAtEnd := b.Elapsed(), settled()-start
	// Under heavy load a plugin call may time out: its application then waits, decision
	// pending, for the retry job, which this benchmark does not run. So the wait ends
	// when every application settled or none has for stallAfter, and the rates and the
	// CPU time count to the last one that did (settled < 1 flags such a run).
	const stallAfter = 10 * time.Second
	reached, done, cpu := settledAtEnd, createdAt, processCPU(b)-cpuBefore
	for lastMove := time.Now(); reached < int64(b.N) && time.Since(lastMove) < stallAfter; {
		// Each count scans the task inbox: counted every 5 ms throughout, it took a tenth
		// of the process's CPU from the work measured. Slowly until the end is near.
		if reached < int64(b.N)*49/50 {
			time.Sleep(50 * time.Millisecond)
		} else {
			time.Sleep(5 * time.Millisecond)
		}
		if n := settled() - start; n != reached {
			reached, done, cpu, lastMove = n, b.Elapsed(), processCPU(b)-cpuBefore, time.Now()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(reached)/done.Seconds(), "apps/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(max(reached, 1)), "cpu-ms/app")
	if drain := (done - createdAt).Seconds(); drain > 0 {
		b.ReportMetric(float64(reached-settledAtEnd)/drain, "drain/s")
	}
	b.ReportMetric(float64(reached)/float64(b.N), "settled")
}

// processCPU is the CPU time this process has used (user and system, every thread); on a
// shared machine it varies far less from run to run than throughput does. The plugin
// processes' time is not in it.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchNode is a seeded demo node as a benchmark runs it: the garbage collector tuned as
// `credo serve` tunes it (unless GOGC or GOMEMLIMIT is set) until the benchmark ends,
// and the demo tenant's scope with the user of email as the actor.
func benchNode(b *testing.B, env map[string]string, email string) (*app, form.Actor, store.Scope) {
	b.Helper()
	gcPercent, memoryLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1) // -1 reads it
	debug.SetGCPercent(gcPercent)
	b.Cleanup(func() { debug.SetGCPercent(gcPercent); debug.SetMemoryLimit(memoryLimit) })
	tuneGC(os.Getenv, slog.New(slog.DiscardHandler))
	a := seededApp(b, env)
	u, err := a.tenants.UserByEmail(context.Background(), demoSlug, email)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := a.backend.Scope(demoSlug)
	if err != nil {
		b.Fatal(err)
	}
	return a, form.Actor{Tenant: demoSlug, UserID: u.ID, Roles: u.Roles}, sc
}
