package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/sqlite"
)

// mongoEnv names a MongoDB server (FerretDB under `make test-mongo`) the rollup tests
// run against instead of SQLite.
const mongoEnv = "CREDO_TEST_MONGODB_URI"

var dbCounter atomic.Int64

// newTestBackend is a SQLite file in a temporary directory, or a new database on the
// MongoDB server in CREDO_TEST_MONGODB_URI.
func newTestBackend(t testing.TB) store.Backend {
	t.Helper()
	ctx := context.Background()
	var b store.Backend
	var err error
	if uri := os.Getenv(mongoEnv); uri != "" {
		name := fmt.Sprintf("report_test_%d_%d_%d", time.Now().UnixNano()%1e9, os.Getpid(), dbCounter.Add(1))
		b, err = mongo.Open(ctx, mongo.Config{URI: uri, Database: name})
	} else {
		b, err = sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "credo.db")})
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// sized is n on SQLite and m on MongoDB, whose stand-in in tests (FerretDB) takes
// milliseconds per operation.
func sized(n, m int) int {
	if os.Getenv(mongoEnv) != "" {
		return m
	}
	return n
}

// hasTx tells whether the backend runs WithTx in a transaction.
func hasTx(b store.Backend) bool {
	if tb, ok := b.(interface{ Transactions() bool }); ok {
		return tb.Transactions()
	}
	return true
}

// fastRollups are rollups with short periods, so builds start and finish within a test;
// an odd page size makes builds take several steps.
func fastRollups(t testing.TB, b store.Backend) *Rollups {
	r := NewRollups(b, RollupOptions{RegistryTTL: 40 * time.Millisecond, Grace: 100 * time.Millisecond, PageSize: 97})
	t.Cleanup(r.Close)
	return r
}

func newRollupFixture(t testing.TB) (*fixture, *Rollups) {
	t.Helper()
	b := newTestBackend(t)
	r := fastRollups(t, b)
	return newFixtureOn(t, b, r), r
}

// waitReady asks for the dashboard's rollups and waits until every one answers.
func waitReady(t testing.TB, r *Rollups, d *Dashboard) {
	t.Helper()
	waitReadyWithin(t, r, d, time.Minute)
}

func waitReadyWithin(t testing.TB, r *Rollups, d *Dashboard, limit time.Duration) {
	t.Helper()
	ctx := context.Background()
	plan := d.rollups()
	sc, err := r.b.Scope(testTenant)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		require.NoError(t, r.ensure(ctx, testTenant, plan, d.Version()))
		for i, s := range plan.specs {
			en, err := r.ready(ctx, sc, s.Form, plan.ids[i])
			require.NoError(t, err)
			if en == nil {
				return false
			}
		}
		return true
	}, limit, 10*time.Millisecond)
}

// validData is a loan as the form accepts it through the record service.
func validData(l loan) map[string]any {
	d := l.data()
	for k, v := range map[string]any{
		"gender": "female", "birth_date": "1990-05-17", "mobile_phone": "13800138000", "residential_region": "110101",
		"residential_address": "北京市东城区东四北大街1号", "monthly_debt": 1000, "housing_status": "rented",
		"purpose": "education", "term_months": 12, "repayment_method": "equal_installment",
		"disbursement_card": "6222020200001234567", "consent_credit_check": true, "consent_privacy": true,
		"emergency_contacts": []any{map[string]any{"name": "李四", "relation": "spouse", "phone": "13900139000"}},
	} {
		d[k] = v
	}
	return d
}

// oddDocs are records no form would accept today but a store may hold (an import of
// old data, a field changed type in the definition): missing and null values,
// date-times and a non-date in a date field, values outside the options, fractions.
func oddDocs() []map[string]any {
	return []map[string]any{
		{"status": "approved", "product": "auto", "applied_on": "2024-02-29T23:30:00+08:00", "approved_limit": 0.5},
		{"status": "disbursed", "channel": nil, "applied_on": "2024-03-01", "approved_limit": 1000.25, "dpd": 3,
			"max_dpd": 40, "delinquency_bucket": "m1", "overdue_amount": 999.75, "disbursed_on": "2024-03-02T01:00:00Z", "fpd": true},
		{"channel": "online", "product": "crypto", "applied_on": "someday"},
		{"status": "rejected", "channel": "branch", "approver": "", "applied_on": "2024-12-31"},
		{"status": "disbursed", "channel": "agent", "product": "education", "approved_limit": 25000, "dpd": 200, "max_dpd": 200,
			"delinquency_bucket": "m3_plus", "overdue_amount": 50000, "disbursed_on": "2025-01-03"},
		{"status": "disbursed", "channel": "partner", "applied_on": "2024-06-15", "disbursed_on": "someday", "overdue_amount": 0},
		{},
	}
}

// insertDirect stores record documents without the record service (as an import of a
// database would), so only a build counts them.
func insertDirect(t testing.TB, b store.Backend, bodies []map[string]any) {
	t.Helper()
	sc, err := b.Scope(testTenant)
	require.NoError(t, err)
	docs := make([]*store.Doc, len(bodies))
	for i, d := range bodies {
		docs[i] = &store.Doc{Data: map[string]any{"form_version": 1, "created_by": "import", "data": d}}
	}
	require.NoError(t, sc.Collection(form.RecordsCollection("loan_application")).InsertMany(context.Background(), docs))
}

// insertLoans stores n generated applications directly, as insertDirect does.
func insertLoans(t testing.TB, b store.Backend, n int) {
	t.Helper()
	var bodies []map[string]any
	for _, l := range genLoans(n) {
		bodies = append(bodies, l.data())
	}
	insertDirect(t, b, bodies)
}

// writer changes records through the record service, every kind of write the rollups
// observe, from a fixed seed.
type writer struct {
	t    testing.TB
	svc  *form.Service
	rnd  *rand.Rand
	recs map[string]int64 // id → version of the records it may update
	ids  []string
	n    int
}

func newWriter(t testing.TB, svc *form.Service, seed uint64) *writer {
	return &writer{t: t, svc: svc, rnd: rand.New(rand.NewPCG(seed, 11)), recs: map[string]int64{}}
}

var clerk = actor("clerk", nil)

func (w *writer) create(ctx context.Context) {
	l := genLoans(w.n + 1)[w.n]
	w.n++
	rec, err := w.svc.Create(ctx, clerk, "loan_application", validData(l))
	require.NoError(w.t, err)
	w.track(rec.ID, rec.Version)
}

func (w *writer) track(id string, v int64) {
	if _, ok := w.recs[id]; !ok {
		w.ids = append(w.ids, id)
	}
	w.recs[id] = v
}

func (w *writer) pick() (string, int64, bool) {
	for range 20 {
		if len(w.ids) == 0 {
			return "", 0, false
		}
		id := w.ids[w.rnd.IntN(len(w.ids))]
		if v, ok := w.recs[id]; ok {
			return id, v, true
		}
	}
	return "", 0, false
}

// patch changes some of the fields the cockpit reads, with values the form accepts;
// null removes a field.
func (w *writer) patch() map[string]any {
	r := w.rnd
	choices := []func() (string, any){
		func() (string, any) { return "status", statuses[r.IntN(len(statuses))] },
		func() (string, any) { return "channel", channels[r.IntN(len(channels))] },
		func() (string, any) { return "product", products[r.IntN(len(products))] },
		func() (string, any) {
			return "applied_on", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(370)).Format(dateLayout)
		},
		func() (string, any) { return "approved_limit", float64(r.IntN(400000)) / 4 },
		func() (string, any) { return "approved_limit", nil },
		func() (string, any) { return "approver", approvers[r.IntN(len(approvers))] },
		func() (string, any) { return "approver", nil },
		func() (string, any) { return "dpd", r.IntN(120) },
		func() (string, any) { return "max_dpd", r.IntN(150) },
		func() (string, any) {
			return "delinquency_bucket", []string{"current", "m1", "m2", "m3_plus"}[r.IntN(4)]
		},
		func() (string, any) { return "overdue_amount", float64(r.IntN(200000)) / 2 },
		func() (string, any) { return "fpd", r.IntN(2) == 0 },
		func() (string, any) {
			return "disbursed_on", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(380)).Format(dateLayout)
		},
		func() (string, any) { return "disbursed_on", nil },
	}
	p := map[string]any{}
	for range 1 + r.IntN(4) {
		k, v := choices[r.IntN(len(choices))]()
		p[k] = v
	}
	return p
}

// step makes one random write.
func (w *writer) step(ctx context.Context) {
	switch op := w.rnd.IntN(10); {
	case op < 3 || len(w.recs) < 5:
		w.create(ctx)
	case op < 6:
		id, v, _ := w.pick()
		rec, err := w.svc.Update(ctx, clerk, "loan_application", id, v, w.patch())
		require.NoError(w.t, err)
		w.track(id, rec.Version)
	case op < 7:
		id, _, _ := w.pick()
		res, err := w.svc.Apply(ctx, testTenant, "loan_application", id, w.patch(), form.Cause{By: "rule:test"})
		require.NoError(w.t, err)
		w.track(id, res.Version)
	case op < 8:
		id, v, _ := w.pick()
		require.NoError(w.t, w.svc.Delete(ctx, clerk, "loan_application", id, v))
		delete(w.recs, id)
	case op < 9:
		rows := make([]form.BulkRow, 6)
		for i := range rows {
			rows[i] = form.BulkRow{Data: validData(genLoans(w.n + 1)[w.n])}
			w.n++
		}
		rows[2].Data["channel"] = "nowhere" // rejected: counts nowhere
		res, err := w.svc.CreateMany(ctx, clerk, "loan_application", rows, form.BulkOptions{Source: "test"})
		require.NoError(w.t, err)
		for _, x := range res {
			if x.Status == form.BulkCreated {
				w.track(x.ID, 1)
			}
		}
	default:
		id, v, _ := w.pick()
		rec, err := w.svc.Update(ctx, clerk, "loan_application", id, v, map[string]any{"monthly_income": 5000 + w.rnd.IntN(100)})
		require.NoError(w.t, err) // a field no rollup reads: nothing to add
		w.track(id, rec.Version)
	}
}

// randomParams picks dashboard filter values, sometimes none, sometimes values no
// record has.
func randomParams(r *rand.Rand) Params {
	p := Params{Locale: []string{"zh-CN", "en"}[r.IntN(2)], Filters: map[string]FilterValue{}}
	if r.IntN(3) > 0 {
		day := func() string {
			return time.Date(2023, 12, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(400)).Format(dateLayout)
		}
		from, to := day(), day()
		if to < from {
			from, to = to, from
		}
		switch r.IntN(4) {
		case 0:
			from = ""
		case 1:
			to = ""
		}
		p.Filters["period"] = FilterValue{From: from, To: to}
	}
	for _, f := range []struct {
		id     string
		values []string
	}{{"channel", append(channels, "nowhere")}, {"product", append(products, "crypto")}} {
		if r.IntN(2) == 0 {
			continue
		}
		var vs []any
		for _, v := range f.values {
			if r.IntN(3) == 0 {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			p.Filters[f.id] = FilterValue{Values: vs}
		}
	}
	return p
}

// assertSameAsLive renders every widget from the rollups and live, and wants the same
// JSON, to the last digit.
func assertSameAsLive(t *testing.T, fx *fixture, a form.Actor, p Params) {
	t.Helper()
	ctx := context.Background()
	live := New(fx.svc, Options{})
	for _, id := range fx.cockpit.Widgets() {
		fx.engine.Invalidate(testTenant, "loan_application")
		got, err := fx.engine.Render(ctx, a, fx.cockpit, id, p)
		require.NoError(t, err)
		want, err := live.Render(ctx, a, fx.cockpit, id, p)
		require.NoError(t, err)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		require.JSONEq(t, string(wj), string(gj), "widget %s, params %+v", id, p)
	}
}

// The rollups' figures are the live query's, exactly, whatever the dashboard filters:
// over records imported before the build (odd ones included), records written through
// every write path while the build runs and after it, on SQLite and (with
// CREDO_TEST_MONGODB_URI) on MongoDB.
func TestRollupsGiveTheLiveFigures(t *testing.T) {
	fx, r := newRollupFixture(t)
	ctx := context.Background()
	mgr := actor("manager", nil)
	var seeded []map[string]any
	for _, l := range genLoans(sized(700, 150)) {
		seeded = append(seeded, l.data())
	}
	insertDirect(t, fx.b, append(seeded, oddDocs()...))
	w := newWriter(t, fx.svc, 3)
	for range sized(40, 15) {
		w.step(ctx)
	}
	plan := fx.cockpit.rollups()
	require.Len(t, plan.specs, 13, "widgets with the same dimensions share a rollup: 5 with the select filters' fields, 8 without")
	require.Len(t, plan.widgets, len(fx.cockpit.Widgets()), "every cockpit widget has a rollup")
	require.NoError(t, r.ensure(ctx, testTenant, plan, fx.cockpit.Version()))
	if hasTx(fx.b) {
		// Writes that cross the build: each is counted by the build or by the write.
		for range 150 {
			w.step(ctx)
			time.Sleep(time.Millisecond)
		}
	}
	waitReady(t, r, fx.cockpit)
	for range sized(120, 25) {
		w.step(ctx)
	}
	before := fx.engine.Stats()
	rnd := rand.New(rand.NewPCG(5, 8))
	rounds := sized(12, 5)
	assertSameAsLive(t, fx, mgr, Params{})
	for range rounds {
		assertSameAsLive(t, fx, mgr, randomParams(rnd))
	}
	after := fx.engine.Stats()
	assert.Equal(t, before.Live, after.Live, "no widget ran live")
	assert.Equal(t, uint64((rounds+1)*len(fx.cockpit.Widgets())), after.Rollup-before.Rollup)
}

// tamper adds 1000 to every count of a rollup's rows, so that figures read from it are
// recognisably not the records'.
func tamper(t *testing.T, fx *fixture, r *Rollups, widget string) {
	t.Helper()
	ctx := context.Background()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	for _, wr := range fx.cockpit.rollups().widgets[widget] {
		rows := sc.Collection(rollupCollection(wr.spec.id()))
		page, err := rows.Find(ctx, store.Query{Limit: store.MaxLimit})
		require.NoError(t, err)
		require.NotEmpty(t, page.Docs)
		var incs []store.Increment
		for _, d := range page.Docs {
			add := map[string]float64{}
			for _, c := range wr.spec.Cols {
				if c.Op == colCount {
					add[c.Name] = 1000
				}
			}
			incs = append(incs, store.Increment{ID: d.ID, Add: add})
		}
		require.NoError(t, rows.Increment(ctx, incs))
	}
}

// A rollup holds tenant-wide figures: a viewer with a row scope, or without a full view
// of a field the widget reads, is answered live, with their rights applied, even when a
// ready rollup would answer a manager. The rollup is tampered with so that a figure read
// from it cannot pass for the records'.
func TestRollupsNeverServeRestrictedViewers(t *testing.T) {
	fx, r := newRollupFixture(t)
	ctx := context.Background()
	insertLoans(t, fx.b, sized(400, 120))
	fx.loans = genLoans(sized(400, 120))
	waitReady(t, r, fx.cockpit)
	tamper(t, fx, r, "volume_by_channel")
	online := count(fx.loans, func(l loan) bool { return l.Channel == "online" })

	mgr := render(t, fx, actor("manager", nil), "volume_by_channel", Params{})
	assert.Greater(t, must(t, valueAt(t, mgr, "volume", "online")), online+999, "the manager is answered from the (tampered) rollup")

	before := fx.engine.Stats()
	scoped := actor("channel_manager", map[string]string{"channel": "online"})
	for _, id := range fx.cockpit.Widgets() {
		_, err := fx.engine.Render(ctx, scoped, fx.cockpit, id, Params{})
		require.NoError(t, err)
	}
	d := render(t, fx, scoped, "volume_by_channel", Params{})
	require.Len(t, d.Categories, 1)
	assert.Equal(t, online, must(t, d.Series[0].Values[0]), "a row-scoped viewer gets the records' figures")
	assert.Equal(t, before.Rollup, fx.engine.Stats().Rollup, "no widget of a row-scoped viewer is read from a rollup")

	// The analyst reads the approver not at all and the income masked: the widgets that
	// read neither come from rollups, the approver's table is refused as it is live.
	before = fx.engine.Stats()
	_, err := fx.engine.Render(ctx, actor("analyst", nil), fx.cockpit, "approver_performance", Params{})
	require.NotNil(t, isValidation(err), "%v", err)
	assert.Equal(t, before.Rollup, fx.engine.Stats().Rollup)
	_, err = fx.engine.Render(ctx, actor("analyst", nil), fx.cockpit, "product_mix", Params{})
	require.NoError(t, err)
	assert.Equal(t, before.Rollup+1, fx.engine.Stats().Rollup, "a widget reading only fields in full view may use the rollup")

	_, err = fx.engine.Render(ctx, actor("stranger", nil), fx.cockpit, "headline", Params{})
	assert.ErrorIs(t, err, form.ErrForbidden)
}

// compileCockpit compiles an edited cockpit against the fixture's form.
func compileCockpit(t *testing.T, fx *fixture, version int, edit func(d map[string]any)) *Dashboard {
	t.Helper()
	d, err := Compile(cockpitWith(t, edit), map[string]*form.Form{"loan_application": fx.form})
	require.NoError(t, err)
	return d.AtVersion(version)
}

// What a rollup cannot answer exactly runs live: a minimum or maximum (a count can take
// a record back, a minimum cannot), and record metadata (a record change does not carry
// its timestamps). The widgets a time range on metadata applies to run live as well.
func TestRollupPlanLeavesOutWhatItCannotAnswer(t *testing.T) {
	fx := newFixture(t, sqlite.MemoryPath)
	d := compileCockpit(t, fx, 1, func(d map[string]any) {
		widgetAt(d, 1)["measures"].([]any)[4].(map[string]any)["op"] = "max"
		widgetAt(d, 3)["filter"] = map[string]any{"field": "_created_at", "op": "gte", "value": "2024-01-01"}
		widgetAt(d, 4)["group_by"] = []any{map[string]any{"field": "_created_at", "bucket": "week"}}
	})
	plan := d.rollups()
	for _, id := range []string{"headline", "volume_by_channel", "applications_trend"} {
		assert.NotContains(t, plan.widgets, id)
	}
	assert.Contains(t, plan.widgets, "product_mix")

	d = compileCockpit(t, fx, 1, func(d map[string]any) {
		d["filters"] = append(d["filters"].([]any), map[string]any{"id": "created", "field": "_created_at", "kind": "time_range"})
		widgetAt(d, 5)["filters_ignored"] = []any{"created"}
	})
	plan = d.rollups()
	assert.Equal(t, []string{"product_mix"}, sortedKeys(plan.widgets), "only the widget ignoring the metadata filter")
	require.Len(t, plan.widgets["product_mix"], 2, "a lean rollup and a whole one")
	assert.Equal(t, []dimSpec{{Name: "k0", Field: "applied_on", Grain: grainDay}, {Name: "k1", Field: "product", Grain: grainValue}},
		plan.widgets["product_mix"][0].spec.Dims)
	assert.Equal(t, []dimSpec{{Name: "k0", Field: "applied_on", Grain: grainDay}, {Name: "k1", Field: "channel", Grain: grainValue, Select: true},
		{Name: "k2", Field: "product", Grain: grainValue, Select: true}}, plan.widgets["product_mix"][1].spec.Dims, "select filters' fields are indexed")
}

// A republished dashboard builds what changed beside what it had: unchanged rollups are
// kept, the changed widget is answered live until its new rollup is ready, then the old
// rollup is retired and, after the grace period, dropped with its rows.
func TestRepublishedDashboardRebuildsAndDropsTheOld(t *testing.T) {
	fx, r := newRollupFixture(t)
	ctx := context.Background()
	insertLoans(t, fx.b, sized(500, 120))
	waitReady(t, r, fx.cockpit)
	v1 := fx.cockpit.rollups()
	v2d := compileCockpit(t, fx, 2, func(d map[string]any) {
		widgetAt(d, 12)["measures"].([]any)[3].(map[string]any)["filter"] = map[string]any{"field": "max_dpd", "op": "gt", "value": 60}
	})
	v2 := v2d.rollups()
	kept, gone := 0, []string{}
	for _, id := range v1.ids {
		if slicesContains(v2.ids, id) {
			kept++
		} else {
			gone = append(gone, id)
		}
	}
	require.Equal(t, len(v1.ids)-2, kept, "only the vintage widget's rollups change")
	require.ElementsMatch(t, []string{v1.widgets["vintage"][0].spec.id(), v1.widgets["vintage"][1].spec.id()}, gone)

	before := fx.engine.Stats()
	_, err := fx.engine.Render(ctx, actor("manager", nil), v2d, "vintage", Params{})
	require.NoError(t, err)
	after := fx.engine.Stats()
	// A rollup being built is not read; one whose build already ended may be.
	if after.Rollup == before.Rollup {
		assert.Equal(t, before.Live+1, after.Live, "a rollup being built is not read")
	} else {
		assert.Equal(t, before.Live, after.Live, "one widget, read once")
	}
	waitReady(t, r, v2d)
	assertSameAsLiveOn(t, fx, v2d, actor("manager", nil), Params{})

	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	for _, id := range gone {
		require.Eventually(t, func() bool {
			_, err := sc.Collection(rollupsCollection).Get(ctx, id)
			return errors.Is(err, store.ErrNotFound)
		}, time.Minute, 20*time.Millisecond, "the old rollup is dropped")
		n, err := sc.Collection(rollupCollection(id)).Count(ctx, nil)
		require.NoError(t, err)
		assert.Zero(t, n, "with its rows")
	}
	for _, id := range v2.ids {
		_, err := sc.Collection(rollupsCollection).Get(ctx, id)
		assert.NoError(t, err, "the current ones stay")
	}
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// assertSameAsLiveOn is assertSameAsLive for another dashboard than the fixture's.
func assertSameAsLiveOn(t *testing.T, fx *fixture, d *Dashboard, a form.Actor, p Params) {
	t.Helper()
	saved := fx.cockpit
	fx.cockpit = d
	defer func() { fx.cockpit = saved }()
	assertSameAsLive(t, fx, a, p)
}

// A build stopped half way (the node closed) is resumed from its cursor by the next
// node that needs it, not started again: the figures stay exact.
func TestInterruptedBuildResumes(t *testing.T) {
	b := newTestBackend(t)
	r := NewRollups(b, RollupOptions{RegistryTTL: 40 * time.Millisecond, Grace: 100 * time.Millisecond, PageSize: 10})
	t.Cleanup(r.Close)
	fx := newFixtureOn(t, b, r)
	ctx := context.Background()
	insertLoans(t, fx.b, sized(600, 150))
	plan := fx.cockpit.rollups()
	require.NoError(t, r.ensure(ctx, testTenant, plan, fx.cockpit.Version()))
	sc, err := b.Scope(testTenant)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		d, err := sc.Collection(rollupsCollection).Get(ctx, plan.ids[0])
		require.NoError(t, err)
		cursor, _ := d.Data["cursor"].(string)
		return cursor != ""
	}, time.Minute, time.Millisecond)
	r.Close()
	d, err := sc.Collection(rollupsCollection).Get(ctx, plan.ids[0])
	require.NoError(t, err)
	require.Equal(t, stateBuilding, d.Data["state"], "stopped half way")
	done, _ := store.Numeric(d.Data["records"])
	require.Greater(t, done, 0.0)

	w := newWriter(t, fx.svc, 9)
	for range sized(30, 10) {
		w.step(ctx) // maintained by the closed node's observer, which still runs writes
	}
	next := fastRollups(t, b)
	waitReady(t, next, fx.cockpit)
	assertSameAsLive(t, fx, actor("manager", nil), Params{})
	d, err = sc.Collection(rollupsCollection).Get(ctx, plan.ids[0])
	require.NoError(t, err)
	total, err := sc.Collection(form.RecordsCollection("loan_application")).Count(ctx, nil)
	require.NoError(t, err)
	folded, _ := store.Numeric(d.Data["records"])
	assert.LessOrEqual(t, folded, float64(total), "no record was folded in twice")
}

// A write is in the figures the moment it commits: the observer counts it in the
// write's transaction and drops the engine's cached widgets of the form.
func TestWritesShowAtOnce(t *testing.T) {
	fx, r := newRollupFixture(t)
	ctx := context.Background()
	insertLoans(t, fx.b, sized(300, 120))
	waitReady(t, r, fx.cockpit)
	mgr := actor("manager", nil)
	first := must(t, valueAt(t, render(t, fx, mgr, "headline", Params{}), "applications"))
	require.Equal(t, float64(sized(300, 120)), first)
	rec, err := fx.svc.Create(ctx, clerk, "loan_application", validData(genLoans(1)[0]))
	require.NoError(t, err)
	before := fx.engine.Stats()
	assert.Equal(t, first+1, must(t, valueAt(t, render(t, fx, mgr, "headline", Params{}), "applications")))
	require.NoError(t, fx.svc.Delete(ctx, clerk, "loan_application", rec.ID, rec.Version))
	assert.Equal(t, first, must(t, valueAt(t, render(t, fx, mgr, "headline", Params{}), "applications")))
	assert.Equal(t, before.Rollup+2, fx.engine.Stats().Rollup)
}

// TestCountingInPartsAddsUp: a large write's changes are counted on every core in
// parts whose tallies are merged; the rows and amounts are those one pass gives.
func TestCountingInPartsAddsUp(t *testing.T) {
	fx := newFixture(t, sqlite.MemoryPath)
	var targets []countTarget
	for _, spec := range fx.cockpit.rollups().specs {
		targets = append(targets, countTarget{eval: newEvaluator(spec), all: true})
	}
	loans := genLoans(3000)
	changes := make([]form.RecordChange, len(loans))
	for i, l := range loans {
		data := validData(l)
		data["overdue_amount"] = 0.1 * float64(i%7) // sums that are not exact in binary
		changes[i] = form.RecordChange{Form: "loan_application", ID: fmt.Sprintf("r%05d", i), Data: data}
	}
	updates := make([]form.RecordChange, 0, len(changes))
	for i, c := range changes[:1500] {
		next := validData(loans[(i+7)%len(loans)])
		updates = append(updates, form.RecordChange{Form: c.Form, ID: c.ID, Data: next, Changed: []string{"status"}, Prior: c.Data})
	}
	for _, tc := range []struct {
		event   string
		changes []form.RecordChange
	}{{form.EventRecordCreated, changes}, {form.EventRecordUpdated, updates}, {form.EventRecordDeleted, changes[:999]}} {
		t.Run(tc.event, func(t *testing.T) {
			one := countInParts(targets, tc.event, tc.changes, 1)
			three := countInParts(targets, tc.event, tc.changes, 3)
			for i, tg := range targets {
				want, got := tg.eval.increments(one[i]), tg.eval.increments(three[i])
				require.Len(t, got, len(want), tg.eval.id)
				byID := map[string]store.Increment{}
				for _, inc := range got {
					byID[inc.ID] = inc
				}
				for _, w := range want {
					g, ok := byID[w.ID]
					require.True(t, ok, "row %s of %s", w.ID, tg.eval.id)
					assert.Equal(t, w.Set, g.Set)
					require.Len(t, g.Add, len(w.Add), "row %s of %s", w.ID, tg.eval.id)
					for k, v := range w.Add {
						assert.InDelta(t, v, g.Add[k], 1e-9*max(1, abs(v)), "%s of row %s of %s", k, w.ID, tg.eval.id)
					}
				}
			}
		})
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// A build step reads its page from the cursor furthest behind; a rollup whose own
// cursor is already further on keeps it, so no record is folded in twice. Two rollups
// registered a moment apart are built together that way, and the one ahead used to be
// moved back and count a page again.
func TestBuildStepKeepsACursorAhead(t *testing.T) {
	b := newTestBackend(t)
	// The builder waits an hour before it starts: the test takes the steps itself.
	r := NewRollups(b, RollupOptions{RegistryTTL: time.Hour, Grace: time.Hour, PageSize: 97})
	t.Cleanup(r.Close)
	fx := newFixtureOn(t, b, r)
	ctx := context.Background()
	const total = 300
	insertLoans(t, fx.b, total)
	plan := fx.cockpit.rollups()
	sc, err := b.Scope(testTenant)
	require.NoError(t, err)
	ahead, behind := plan.ids[0], plan.ids[1]
	require.NoError(t, r.register(ctx, sc, plan.specs[0], fx.cockpit.Version()))
	for range 2 {
		require.NoError(t, r.step(ctx, sc, "loan_application", []string{ahead}))
	}
	require.NoError(t, r.register(ctx, sc, plan.specs[1], fx.cockpit.Version()))
	for range 6 {
		require.NoError(t, r.step(ctx, sc, "loan_application", []string{ahead, behind}))
	}
	for _, id := range []string{ahead, behind} {
		d, err := sc.Collection(rollupsCollection).Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, stateReady, d.Data["state"], "rollup %s", id)
		n, _ := store.Numeric(d.Data["records"])
		assert.Equal(t, float64(total), n, "rollup %s folds each record in once", id)
	}
}

// A node that stops while renewing its build lease still gives the lease up, so the
// next node builds at once instead of waiting LeaseTTL for it to expire.
func TestLeaseGivenUpWhenARenewalIsCutShort(t *testing.T) {
	b := newTestBackend(t)
	r := NewRollups(b, RollupOptions{})
	t.Cleanup(r.Close)
	sc, err := b.Scope(testTenant)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	l := &lease{r: r, sc: sc, form: "loan_application"}
	held, err := l.hold(ctx)
	require.NoError(t, err)
	require.True(t, held)
	cancel()
	held, err = l.hold(ctx)
	require.Error(t, err, "the renewal fails with the stopped context")
	require.False(t, held)
	l.release(context.Background())
	_, err = sc.Collection(rollupsCollection).Get(context.Background(), l.id())
	assert.ErrorIs(t, err, store.ErrNotFound, "the lease is given up")

	other := NewRollups(b, RollupOptions{})
	t.Cleanup(other.Close)
	held, err = (&lease{r: other, sc: sc, form: "loan_application"}).hold(context.Background())
	require.NoError(t, err)
	assert.True(t, held, "another node takes it at once")
}

// What PrepareChanges counted ahead is used only for the very changes it counted: handed
// with other changes (a batch that lost rows to duplicates in its transaction), the
// transaction counts those itself, and the rollups still give the live figures.
func TestPreparedCountsOnlyForTheirChanges(t *testing.T) {
	fx, r := newRollupFixture(t)
	ctx := context.Background()
	insertLoans(t, fx.b, sized(200, 80))
	waitReady(t, r, fx.cockpit)
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	loans := genLoans(3)
	change := func(i int) form.RecordChange {
		return form.RecordChange{Form: "loan_application", FormVersion: 1, ID: store.NewID(), Version: 1, Data: loans[i].data()}
	}
	counted, stored := []form.RecordChange{change(0), change(1)}, []form.RecordChange{change(2)}
	prepared := r.PrepareChanges(ctx, sc, form.EventRecordCreated, counted)
	require.NotNil(t, prepared, "the rollups are ready: counted ahead")
	insertDirect(t, fx.b, []map[string]any{stored[0].Data})
	require.NoError(t, sc.WithTx(ctx, func(ctx context.Context) error {
		return r.RecordsChangedPrepared(ctx, sc, form.EventRecordCreated, stored, prepared)
	}))
	assertSameAsLive(t, fx, actor("manager", nil), Params{})

	// The very changes: their counts are used, and add up as counting them would.
	again := []form.RecordChange{change(0)}
	prepared = r.PrepareChanges(ctx, sc, form.EventRecordCreated, again)
	insertDirect(t, fx.b, []map[string]any{again[0].Data})
	require.NoError(t, sc.WithTx(ctx, func(ctx context.Context) error {
		return r.RecordsChangedPrepared(ctx, sc, form.EventRecordCreated, again, prepared)
	}))
	assertSameAsLive(t, fx, actor("manager", nil), Params{})
}
