package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
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

// benchDB is the database BenchmarkCockpitRollups seeds: in CREDO_REPORT_BENCH_DIR when
// set (kept, and reused by the next run with the same record count, since seeding a
// million records takes minutes), else in a temporary directory.
func benchDB(b *testing.B, n int) (path string, reused bool) {
	dir := os.Getenv("CREDO_REPORT_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path = filepath.Join(dir, fmt.Sprintf("cockpit-%d.db", n))
	_, err := os.Stat(path)
	return path, err == nil
}

// benchNode is one "process": the database opened, the record service, the rollups
// and the engine, as cmd/credo wires them.
type benchNode struct {
	b       *sqlite.Backend
	rollups *Rollups
	fx      *fixture
}

func openNode(b *testing.B, path string, opts RollupOptions) *benchNode {
	backend, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	require.NoError(b, err)
	r := NewRollups(backend, opts)
	return &benchNode{b: backend, rollups: r, fx: newFixtureOn(b, backend, r)}
}

func (n *benchNode) close(b *testing.B) {
	n.rollups.Close()
	require.NoError(b, n.b.Close())
}

// seedMany stores the loans with InsertMany, as an import of a database would, 5000
// records a transaction.
func seedMany(b *testing.B, backend store.Backend, loans []loan) {
	ctx := context.Background()
	sc, err := backend.Scope(testTenant)
	require.NoError(b, err)
	coll := sc.Collection(form.RecordsCollection("loan_application"))
	const batch = 5000
	docs := make([]*store.Doc, 0, batch)
	for i := 0; i < len(loans); i += batch {
		docs = docs[:0]
		for _, l := range loans[i:min(i+batch, len(loans))] {
			docs = append(docs, &store.Doc{Data: map[string]any{"form_version": 1, "created_by": "seed", "data": l.data()}})
		}
		require.NoError(b, coll.InsertMany(ctx, docs))
	}
}

// cpuTime is the CPU time the process has used, which the machine's other load
// inflates far less than it does the elapsed time.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkCockpitRollups renders the lending cockpit from its rollups on a file-backed
// SQLite store of CREDO_REPORT_BENCH_RECORDS applications (default 100000; the target
// is 1,000,000 in at most 1 s cold and 100 ms warm). It logs how long seeding (InsertMany)
// and the rollups' build (the backfill) take, then the medians of: a cold cockpit (the
// database opened again with its files' cached pages dropped, every object new, all 13
// widgets rendered), a warm one (served from the engine's cache, rights checked), one
// computed from the rollups with the cache dropped, a write through the record service
// (which maintains the rollups in its transaction) and the next cockpit showing it, and
// drill-downs (the first page of the records behind a figure).
func BenchmarkCockpitRollups(b *testing.B) {
	n := benchRecords(b)
	ctx := context.Background()
	path, reused := benchDB(b, n)
	opts := RollupOptions{Grace: 10 * time.Millisecond, RegistryTTL: 5 * time.Millisecond}
	node := openNode(b, path, opts)
	if !reused {
		start := time.Now()
		seedMany(b, node.b, genLoans(n))
		b.Logf("seeded %d records with InsertMany in %s", n, time.Since(start).Round(time.Millisecond))
	} else {
		b.Logf("reusing %s", path)
	}
	start := time.Now()
	waitReadyWithin(b, node.rollups, node.fx.cockpit, 2*time.Hour)
	b.Logf("built (or found ready) %d rollups over %d records in %s", len(node.fx.cockpit.rollups().specs), n, time.Since(start).Round(time.Millisecond))
	node.close(b)
	mgr := actor("manager", nil)
	p := Params{Locale: "zh-CN", Filters: map[string]FilterValue{"period": {From: "2024-01-01", To: "2024-12-31"}}}
	// A view narrowed to two channels reads the rollups with the select filters' fields.
	pSelect := Params{Locale: "zh-CN", Filters: map[string]FilterValue{"period": {From: "2024-04-01", To: "2024-09-30"},
		"channel": {Values: []any{"online", "partner"}}}}
	allWith := func(tb testing.TB, e *Engine, d *Dashboard, p Params) {
		for _, id := range d.Widgets() {
			if _, err := e.Render(ctx, mgr, d, id, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
	all := func(tb testing.TB, e *Engine, d *Dashboard) { allWith(tb, e, d, p) }

	for _, view := range []struct {
		name string
		p    Params
	}{{"period only", p}, {"two channels, six months", pSelect}} {
		var opens, colds []time.Duration
		for range 5 {
			dropped := dropCache(path)
			t0 := time.Now()
			node := openNode(b, path, opts)
			t1 := time.Now()
			waitReady(b, node.rollups, node.fx.cockpit)
			allWith(b, node.fx.engine, node.fx.cockpit, view.p)
			opens, colds = append(opens, t1.Sub(t0)), append(colds, time.Since(t1))
			require.Equal(b, uint64(len(node.fx.cockpit.Widgets())), node.fx.engine.Stats().Rollup, "every widget from its rollup")
			if !dropped {
				b.Log("could not drop the database's cached pages: cold runs read from the page cache")
			}
			node.close(b)
		}
		b.Logf("cold cockpit, %s (13 widgets, fresh objects, file pages dropped): median %s (open %s), runs %v",
			view.name, median(colds).Round(100*time.Microsecond), median(opens).Round(100*time.Microsecond), colds)
	}

	node = openNode(b, path, opts)
	defer node.close(b)
	fx := node.fx
	waitReady(b, node.rollups, fx.cockpit)
	all(b, fx.engine, fx.cockpit)
	var warm, uncached []time.Duration
	for range 50 {
		t0 := time.Now()
		all(b, fx.engine, fx.cockpit)
		warm = append(warm, time.Since(t0))
	}
	for range 10 {
		fx.engine.Invalidate(testTenant, "loan_application")
		t0 := time.Now()
		all(b, fx.engine, fx.cockpit)
		uncached = append(uncached, time.Since(t0))
	}
	b.Logf("warm cockpit (cache): median %s; from the rollups with the cache dropped: median %s",
		median(warm).Round(time.Microsecond), median(uncached).Round(100*time.Microsecond))
	var selected []time.Duration
	for range 10 {
		fx.engine.Invalidate(testTenant, "loan_application")
		t0 := time.Now()
		allWith(b, fx.engine, fx.cockpit, pSelect)
		selected = append(selected, time.Since(t0))
	}
	b.Logf("cockpit filtered by two channels and six months, cache dropped: median %s", median(selected).Round(100*time.Microsecond))

	// Creates through the record service with the rollups' observer and through one
	// without, in turns: what maintaining the rollups adds to a write. The unobserved
	// ones are deleted unobserved too, so the rollups stay the records' figures.
	plain := form.NewService(node.b, fx.authz, audit.New(nil), form.Options{})
	var writes, plainWrites []time.Duration
	for i := range 100 {
		svc := fx.svc
		if i%2 == 1 {
			svc = plain
		}
		t0 := time.Now()
		rec, err := svc.Create(ctx, clerk, "loan_application", validData(genLoans(i + 1)[i]))
		require.NoError(b, err)
		if d := time.Since(t0); svc == plain {
			plainWrites = append(plainWrites, d)
			require.NoError(b, plain.Delete(ctx, clerk, "loan_application", rec.ID, rec.Version))
		} else {
			writes = append(writes, d)
		}
	}
	b.Logf("write (record create, 13 rollups maintained in its transaction): median %s; without rollups: median %s",
		median(writes).Round(10*time.Microsecond), median(plainWrites).Round(10*time.Microsecond))

	// A write, then the cockpit: the headline counts the new application at once.
	var fresh []time.Duration
	headline := func() float64 {
		d, err := fx.engine.Render(ctx, mgr, fx.cockpit, "headline", p)
		require.NoError(b, err)
		return must(b, valueAt(b, d, "applications"))
	}
	for i := range 20 {
		before := headline()
		_, err := fx.svc.Create(ctx, clerk, "loan_application", validData(genLoans(i + 1)[i]))
		require.NoError(b, err)
		t0 := time.Now()
		all(b, fx.engine, fx.cockpit)
		fresh = append(fresh, time.Since(t0))
		require.Equal(b, before+1, headline(), "the write shows in the next render")
	}
	b.Logf("the cockpit right after a write, showing it: median %s", median(fresh).Round(100*time.Microsecond))

	// Drill-downs list the first page of the records behind a figure, live.
	for _, c := range []struct {
		widget string
		pt     Point
	}{
		{"volume_by_channel", Point{Category: []any{"online"}, Series: "volume"}},
		{"approver_performance", Point{Category: []any{"wang"}, Series: "bad_rate"}},
		{"vintage", Point{Category: []any{"2024-06"}, Series: "ever_90_rate"}},
		{"applications_trend", Point{Category: []any{"2024-03-04"}, Series: "approved"}},
	} {
		target, err := Drill(fx.cockpit, c.widget, c.pt, p)
		require.NoError(b, err)
		var ds []time.Duration
		rows := 0
		for range 5 {
			t0 := time.Now()
			page, err := fx.svc.List(ctx, mgr, target.Form, form.ListQuery{Filter: target.Filter, Limit: 50})
			require.NoError(b, err)
			ds = append(ds, time.Since(t0))
			rows = len(page.Records)
		}
		b.Logf("drill %-22s first page (%d rows): median %s", c.widget, rows, median(ds).Round(100*time.Microsecond))
	}
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			all(b, fx.engine, fx.cockpit)
		}
	})
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			fx.engine.Invalidate(testTenant, "loan_application")
			all(b, fx.engine, fx.cockpit)
		}
	})
}

// readyNode opens a node on a SQLite file (name in the benchmark's temporary folder) of
// 20,000 applications whose cockpit rollups are ready.
func readyNode(b *testing.B, name string, registryTTL time.Duration) *benchNode {
	node := openNode(b, filepath.Join(b.TempDir(), name), RollupOptions{Grace: 10 * time.Millisecond, RegistryTTL: registryTTL})
	seedMany(b, node.b, genLoans(20000))
	waitReadyWithin(b, node.rollups, node.fx.cockpit, time.Hour)
	return node
}

// reportCPUPerOp reports the process's CPU time per operation since cpu.
func reportCPUPerOp(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkCreate measures what maintaining the cockpit's 13 rollups adds to a single
// write: form.Service.Create of one starter-app loan application at a time (validation,
// computed fields, its record.created event and audit entry, one transaction each)
// through a record service with the rollups' observer and through one without, on a
// SQLite file of 20,000 applications whose rollups are ready. cpu-µs/op is the
// process's CPU time per create, which other work on the machine inflates less than
// the elapsed time.
func BenchmarkCreate(b *testing.B) {
	ctx := context.Background()
	node := readyNode(b, "create.db", 5*time.Millisecond)
	defer node.close(b)
	plain := form.NewService(node.b, node.fx.authz, audit.New(nil), form.Options{})
	loans := genLoans(1000)
	for _, c := range []struct {
		name string
		svc  *form.Service
	}{{"without_rollups", plain}, {"with_rollups", node.fx.svc}} {
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				_, err := c.svc.Create(ctx, clerk, "loan_application", validData(loans[i%len(loans)]))
				require.NoError(b, err)
			}
			reportCPUPerOp(b, cpu)
		})
	}
	// As the server runs them: 32 at a time, so they share the writer's group commits.
	b.Run("with_rollups_32_at_a_time", func(b *testing.B) {
		var next atomic.Int64
		b.SetParallelism(16)
		cpu := cpuTime(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1)
				_, err := node.fx.svc.Create(ctx, clerk, "loan_application", validData(loans[int(i)%len(loans)]))
				require.NoError(b, err)
			}
		})
		reportCPUPerOp(b, cpu)
	})
}

// BenchmarkRecordsChanged measures the rollups' share of a single write on its own:
// Rollups.RecordsChanged of one created application ("create": a row in each of the
// cockpit's 13 rollups) or of one update that moves an application to other rows
// ("update": two rows in each), each in a transaction of its own, on a SQLite file of
// 20,000 applications whose rollups are ready. The records are not stored: only their
// figures are counted, which is all RecordsChanged writes.
func BenchmarkRecordsChanged(b *testing.B) {
	ctx := context.Background()
	node := readyNode(b, "changes.db", time.Hour)
	defer node.close(b)
	sc, err := node.b.Scope(testTenant)
	require.NoError(b, err)
	loans := genLoans(1000)
	change := func(i int, update bool) (string, form.RecordChange) {
		c := form.RecordChange{Form: "loan_application", FormVersion: 1, ID: store.NewID(), Version: 1, Data: loans[i%len(loans)].data()}
		if !update {
			return form.EventRecordCreated, c
		}
		c.Prior, c.Version = loans[(i+1)%len(loans)].data(), 2
		for k, v := range c.Data {
			if fmt.Sprint(c.Prior[k]) != fmt.Sprint(v) {
				c.Changed = append(c.Changed, k)
			}
		}
		return form.EventRecordUpdated, c
	}
	for _, kind := range []string{"create", "update"} {
		b.Run(kind, func(b *testing.B) {
			cpu := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				event, c := change(i, kind == "update")
				err := sc.WithTx(ctx, func(ctx context.Context) error {
					return node.rollups.RecordsChanged(ctx, sc, event, []form.RecordChange{c})
				})
				require.NoError(b, err)
			}
			reportCPUPerOp(b, cpu)
		})
	}
}

// BenchmarkImportBatch measures what maintaining the cockpit's 13 rollups adds to an
// import: CreateMany of 5000 applications (one batch of an import) through a record
// service with the rollups' observer and through one without, on a store of 20,000
// applications whose rollups are ready.
func BenchmarkImportBatch(b *testing.B) {
	ctx := context.Background()
	node := readyNode(b, "import.db", 5*time.Millisecond)
	defer node.close(b)
	plain := form.NewService(node.b, node.fx.authz, audit.New(nil), form.Options{})
	rows := make([]form.BulkRow, 0, form.MaxBulkRows)
	for _, l := range genLoans(form.MaxBulkRows) {
		rows = append(rows, form.BulkRow{Data: validData(l)})
	}
	for _, c := range []struct {
		name string
		svc  *form.Service
	}{{"without_rollups", plain}, {"with_rollups", node.fx.svc}} {
		b.Run(c.name, func(b *testing.B) {
			cpu := cpuTime(b)
			for b.Loop() {
				_, err := c.svc.CreateMany(ctx, clerk, "loan_application", rows, form.BulkOptions{})
				require.NoError(b, err)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(rows)), "µs/row")
			b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(b.N*len(rows)), "cpu-µs/row")
		})
	}
}
