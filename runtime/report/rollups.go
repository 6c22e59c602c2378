package report

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// RollupOptions tune Rollups. The zero value is the documented default.
type RollupOptions struct {
	// RegistryTTL is how long a node trusts its list of a form's rollups before reading
	// it again, so a rollup registered or retired on another node is seen within it.
	// 0 means 1 second.
	RegistryTTL time.Duration
	// Grace is how long a new rollup waits before its build starts, so that every node
	// maintains it before the build passes any record, and how long a retired one waits
	// before its rows go, so that no node still reads it. It must exceed RegistryTTL;
	// 0 means 2 × RegistryTTL.
	Grace time.Duration
	// PageSize is how many records one build step folds in, in one transaction (which
	// holds SQLite's writer meanwhile, some 50 ms per 1000 records). 0 means 2000.
	PageSize int
	// LeaseTTL is how long a node's claim to build a form's rollups lasts without
	// renewal; another node resumes a build whose builder stopped after it.
	// 0 means 30 seconds.
	LeaseTTL time.Duration
	// Logger receives build progress and failures; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Rollups keeps dashboards' rollups: it registers and builds them, maintains them in the
// transaction of every record change (it is the record service's ChangeObserver),
// answers widgets from them and drops those no dashboard needs any more. Safe for
// concurrent use; Close stops its builds.
type Rollups struct {
	b    store.Backend
	opts RollupOptions
	node string
	log  *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	forms map[tenantForm]*formRollups
	// builds holds the forms whose build loop runs on this node: true when asked to
	// run again (a rollup retired or registered after the loop last read the registry).
	builds   map[tenantForm]bool
	evals    map[string]*evaluator
	onChange []func(tenant, form string)
}

type tenantForm struct{ tenant, form string }

// formRollups is a node's view of one form's rollups, as of loaded.
type formRollups struct {
	loaded time.Time
	byID   map[string]*rollupEntry
}

// rollupEntry is one registered rollup.
type rollupEntry struct {
	id, dashboard string
	// version is the dashboard's published version that registered it.
	version int
	state   string
	created time.Time
	retired time.Time
	eval    *evaluator
}

// The states of a rollup: built (and maintained) while building, answering once ready,
// dropped some time after it is retired.
const (
	stateBuilding = "building"
	stateReady    = "ready"
	stateRetired  = "retired"
)

// rollupsCollection is the registry of a tenant's rollups: one document per rollup
// (keyed by its id) and one build lease per form.
const rollupsCollection = "rollups"

// NewRollups returns the rollups kept in b.
func NewRollups(b store.Backend, opts RollupOptions) *Rollups {
	if b == nil {
		panic("report.NewRollups: the backend is required")
	}
	if opts.RegistryTTL <= 0 {
		opts.RegistryTTL = time.Second
	}
	if opts.Grace <= 0 {
		opts.Grace = 2 * opts.RegistryTTL
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 2000
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	node := make([]byte, 8)
	_, _ = rand.Read(node)
	ctx, cancel := context.WithCancel(context.Background())
	return &Rollups{b: b, opts: opts, node: hex.EncodeToString(node), log: logger, ctx: ctx, cancel: cancel,
		forms: map[tenantForm]*formRollups{}, builds: map[tenantForm]bool{}, evals: map[string]*evaluator{}}
}

// Close stops the builds running on this node and waits for them; a build resumes
// where it stopped on the next node (or start) that needs it.
func (r *Rollups) Close() {
	r.cancel()
	r.wg.Wait()
}

// OnChange registers fn to hear of every record change as it is written (the engine
// drops its cached widgets of the form).
func (r *Rollups) OnChange(fn func(tenant, form string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.onChange = append(r.onChange, fn)
}

// entries returns the form's rollups, read again when older than RegistryTTL (or when
// fresh is asked), with ctx, so inside a transaction the transaction's view.
func (r *Rollups) entries(ctx context.Context, sc store.Scope, formKey string, fresh bool) (*formRollups, error) {
	key := tenantForm{sc.Tenant(), formKey}
	now := r.opts.Now()
	r.mu.Lock()
	fr := r.forms[key]
	r.mu.Unlock()
	if fr != nil && !fresh && now.Sub(fr.loaded) < r.opts.RegistryTTL {
		return fr, nil
	}
	page, err := sc.Collection(rollupsCollection).Find(ctx, store.Query{Filter: store.Eq("form", formKey), Limit: store.MaxLimit})
	if err != nil {
		return nil, fmt.Errorf("rollups of %s: %w", formKey, err)
	}
	next := &formRollups{loaded: now, byID: map[string]*rollupEntry{}}
	for _, d := range page.Docs {
		en, err := r.entryOf(d)
		if err != nil {
			return nil, fmt.Errorf("rollups of %s: %w", formKey, err)
		}
		next.byID[en.id] = en
	}
	r.mu.Lock()
	if cur := r.forms[key]; cur == nil || !cur.loaded.After(now) {
		r.forms[key] = next
	}
	r.mu.Unlock()
	return next, nil
}

// entryOf reads a registry document; the spec's evaluator is compiled once per id.
func (r *Rollups) entryOf(d *store.Doc) (*rollupEntry, error) {
	en := &rollupEntry{id: d.ID}
	en.dashboard, _ = d.Data["dashboard"].(string)
	if v, ok := store.Numeric(d.Data["version"]); ok {
		en.version = int(v)
	}
	en.state, _ = d.Data["state"].(string)
	en.created = msTime(d.Data["created_at"])
	en.retired = msTime(d.Data["retired_at"])
	r.mu.Lock()
	en.eval = r.evals[d.ID]
	r.mu.Unlock()
	if en.eval != nil {
		return en, nil
	}
	raw, _ := d.Data["spec"].(string)
	var spec rollupSpec
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("rollup %s: spec: %w", d.ID, err)
	}
	en.eval = newEvaluator(&spec)
	if en.eval.id != d.ID {
		return nil, fmt.Errorf("rollup %s: its spec hashes to %s", d.ID, en.eval.id)
	}
	r.mu.Lock()
	r.evals[d.ID] = en.eval
	r.mu.Unlock()
	return en, nil
}

func msTime(v any) time.Time {
	if f, ok := store.Numeric(v); ok && f > 0 {
		return time.UnixMilli(int64(f))
	}
	return time.Time{}
}

// RecordsChanged maintains the form's rollups in the transaction of a record change:
// a created record adds to its row, a deleted one takes from it, an update takes the
// old record from its row and adds the new one to its own. A rollup being built counts
// only the records its build has passed (the build counts the others as they are then);
// a write reading where the build stands also touches its registry document, so that
// on an engine with snapshot transactions a build step and a write that cross each
// other conflict rather than both miss the record.
func (r *Rollups) RecordsChanged(ctx context.Context, sc store.Scope, event string, changes []form.RecordChange) error {
	return r.RecordsChangedPrepared(ctx, sc, event, changes, nil)
}

// counted is what PrepareChanges counted ahead of a write: the changes' tallies in the
// rollups that were ready, as the registry's view fr had them.
type counted struct {
	fr      *formRollups
	form    string
	event   string
	ids     []string
	tallies map[string]*tally // by rollup id
}

// PrepareChanges counts the changes of one form into its ready rollups before the
// write's transaction (a form.ChangePreparer), so the transaction, holding the store's
// writer, only adds the counts up. Rollups being built are left to the transaction,
// which must read how far their build has come.
func (r *Rollups) PrepareChanges(ctx context.Context, sc store.Scope, event string, changes []form.RecordChange) any {
	formKey := changes[0].Form
	ids := make([]string, len(changes))
	for i, c := range changes {
		if c.Form != formKey {
			return nil
		}
		ids[i] = c.ID
	}
	fr, err := r.entries(ctx, sc, formKey, false)
	if err != nil {
		return nil // the transaction reads the registry again and reports it
	}
	var targets []countTarget
	var rollups []string
	for _, en := range fr.byID {
		if en.state == stateReady {
			targets = append(targets, countTarget{eval: en.eval, all: true})
			rollups = append(rollups, en.id)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	c := &counted{fr: fr, form: formKey, event: event, ids: ids, tallies: make(map[string]*tally, len(targets))}
	for i, t := range countChanges(targets, event, changes) {
		c.tallies[rollups[i]] = t
	}
	return c
}

// RecordsChangedPrepared is RecordsChanged with what PrepareChanges counted ahead: used
// for the rollups it covers when the registry's view is the one it counted with and the
// changes are those it counted.
func (r *Rollups) RecordsChangedPrepared(ctx context.Context, sc store.Scope, event string, changes []form.RecordChange, prepared any) error {
	byForm := map[string][]form.RecordChange{}
	var forms []string
	for _, c := range changes {
		if _, ok := byForm[c.Form]; !ok {
			forms = append(forms, c.Form)
		}
		byForm[c.Form] = append(byForm[c.Form], c)
	}
	ahead, _ := prepared.(*counted)
	for _, f := range forms {
		var pre *counted
		if ahead != nil && ahead.form == f && ahead.event == event && sameIDs(ahead.ids, byForm[f]) {
			pre = ahead
		}
		if err := r.maintain(ctx, sc, f, event, byForm[f], pre); err != nil {
			return fmt.Errorf("maintain rollups of %s: %w", f, err)
		}
		r.mu.Lock()
		listeners := r.onChange
		r.mu.Unlock()
		for _, fn := range listeners {
			fn(sc.Tenant(), f)
		}
	}
	return nil
}

// sameIDs reports whether changes are, in order, the records ids names.
func sameIDs(ids []string, changes []form.RecordChange) bool {
	if len(ids) != len(changes) {
		return false
	}
	for i, c := range changes {
		if c.ID != ids[i] {
			return false
		}
	}
	return true
}

func (r *Rollups) maintain(ctx context.Context, sc store.Scope, formKey, event string, changes []form.RecordChange, pre *counted) error {
	fr, err := r.entries(ctx, sc, formKey, false)
	if err != nil {
		return err
	}
	if pre != nil && pre.fr != fr {
		pre = nil // the registry was read again since: count anew
	}
	var targets []countTarget
	var touched []store.Increment
	var batches []store.CollectionIncrements
	for _, en := range fr.byID {
		if en.state != stateBuilding && en.state != stateReady {
			continue
		}
		if t := pre.tallyOf(en); t != nil {
			if incs := en.eval.increments(t); len(incs) > 0 {
				batches = append(batches, store.CollectionIncrements{Collection: en.eval.collection(), Increments: incs})
			}
			continue
		}
		tg := countTarget{eval: en.eval, all: true}
		if en.state == stateBuilding {
			state, cur, err := r.buildPosition(ctx, sc, en.id)
			if err != nil {
				return err
			}
			switch state {
			case stateReady:
			case stateBuilding:
				tg.all, tg.cursor = false, cur
				touched = append(touched, store.Increment{ID: en.id, Add: map[string]float64{"writes": 1}})
			default:
				continue
			}
		}
		targets = append(targets, tg)
	}
	if len(targets) == 0 && len(batches) == 0 {
		return nil
	}
	// One call for every rollup's rows (and the registry documents touched), held back
	// to the commit: on SQLite a read and a write statement for all of them, once for
	// all the writes that share the commit, rather than a statement per rollup and write.
	if len(targets) > 0 {
		for i, t := range countChanges(targets, event, changes) {
			e := targets[i].eval
			if incs := e.increments(t); len(incs) > 0 {
				batches = append(batches, store.CollectionIncrements{Collection: e.collection(), Increments: incs})
			}
		}
	}
	if len(touched) > 0 {
		batches = append(batches, store.CollectionIncrements{Collection: rollupsCollection, Increments: touched})
	}
	return store.IncrementOnCommit(ctx, sc, batches)
}

// tallyOf is what c counted ahead for rollup en, or nil: c is nil, or en was not ready
// when c counted.
func (c *counted) tallyOf(en *rollupEntry) *tally {
	if c == nil || en.state != stateReady {
		return nil
	}
	return c.tallies[en.id]
}

// countTarget is a rollup a write maintains: every record, or while it is being built
// only those at or before its build's cursor (the build counts the others as they are
// then).
type countTarget struct {
	eval   *evaluator
	all    bool
	cursor string
}

// parallelCountMin is the fewest changes counted on every core: counting is a write's
// own work in Go, done while its transaction holds the store's writer.
const parallelCountMin = 1024

// countChanges tallies the changes of one event into one tally per target. Many changes
// are counted on every core, each a contiguous part, the parts' tallies then merged in
// order.
func countChanges(targets []countTarget, event string, changes []form.RecordChange) []*tally {
	parts := 1
	if len(changes) >= parallelCountMin {
		parts = max(1, min(runtime.GOMAXPROCS(0), len(changes)/(parallelCountMin/2)))
	}
	return countInParts(targets, event, changes, parts)
}

// countInParts is countChanges in parts parts.
func countInParts(targets []countTarget, event string, changes []form.RecordChange, parts int) []*tally {
	counted := make([][]*tally, parts)
	var wg sync.WaitGroup
	for p := range parts {
		part := changes[p*len(changes)/parts : (p+1)*len(changes)/parts]
		if p == parts-1 {
			counted[p] = countPart(targets, event, part)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			counted[p] = countPart(targets, event, part)
		}()
	}
	wg.Wait()
	out := counted[0]
	for _, more := range counted[1:] {
		for i, t := range more {
			out[i].merge(t)
		}
	}
	return out
}

// countPart tallies changes into a fresh tally per target.
func countPart(targets []countTarget, event string, changes []form.RecordChange) []*tally {
	evals := make([]*evaluator, len(targets))
	tallies := make([]*tally, len(targets))
	for i, tg := range targets {
		evals[i], tallies[i] = tg.eval, newTally()
	}
	m := newMatcher(evals...)
	count := func(c form.RecordChange, data map[string]any, sign float64) {
		m.match(data)
		for i, tg := range targets {
			if tg.all || c.ID <= tg.cursor {
				tg.eval.add(tallies[i], m, data, sign)
			}
		}
	}
	for _, c := range changes {
		switch event {
		case form.EventRecordCreated:
			count(c, c.Data, 1)
		case form.EventRecordDeleted:
			count(c, c.Data, -1)
		default:
			count(c, c.Previous(), -1)
			count(c, c.Data, 1)
		}
	}
	return tallies
}

// buildPosition reads, in the write's transaction, a building rollup's state and the
// last record its build has folded in. The write then touches the registry document of
// a rollup still building (its "writes" counter, with the rows' increments).
func (r *Rollups) buildPosition(ctx context.Context, sc store.Scope, id string) (state, cursor string, err error) {
	d, err := sc.Collection(rollupsCollection).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	state, _ = d.Data["state"].(string)
	cursor, _ = d.Data["cursor"].(string)
	return state, cursor, nil
}

// ensure makes the rollups of version of a dashboard exist: it registers those missing
// and starts their build, and retires those of older versions (see retireOthers).
func (r *Rollups) ensure(ctx context.Context, tenant string, plan *dashboardRollups, version int) error {
	if len(plan.specs) == 0 {
		return nil
	}
	sc, err := r.b.Scope(tenant)
	if err != nil {
		return err
	}
	allReady := true
	byForm := map[string][]int{}
	var forms []string
	for i, s := range plan.specs {
		if _, ok := byForm[s.Form]; !ok {
			forms = append(forms, s.Form)
		}
		byForm[s.Form] = append(byForm[s.Form], i)
	}
	for _, f := range forms {
		fr, err := r.entries(ctx, sc, f, false)
		if err != nil {
			return err
		}
		for _, i := range byForm[f] {
			en := fr.byID[plan.ids[i]]
			switch {
			case en == nil:
				allReady = false
				if err := r.register(ctx, sc, plan.specs[i], version); err != nil {
					return err
				}
				r.startBuild(tenant, f)
			case en.state == stateBuilding:
				allReady = false
				r.startBuild(tenant, f)
			case en.state != stateReady:
				allReady = false // retired meanwhile: registered again once dropped
			}
		}
	}
	return r.retireOthers(ctx, sc, plan, version, forms, allReady)
}

// register records a new rollup as building; its build starts after the grace period.
func (r *Rollups) register(ctx context.Context, sc store.Scope, spec *rollupSpec, version int) error {
	body, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	id := spec.id()
	now := r.opts.Now()
	err = sc.Collection(rollupsCollection).Insert(ctx, &store.Doc{ID: id, Data: map[string]any{
		"form": spec.Form, "dashboard": spec.Dashboard, "version": version, "spec": string(body), "state": stateBuilding,
		"cursor": "", "records": 0, "writes": 0, "created_at": now.UnixMilli(),
	}})
	if err != nil && !errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("register rollup %s: %w", id, err)
	}
	for _, dm := range spec.Dims {
		if !dm.Select {
			continue
		}
		idx := store.Index{Name: "dim_" + dm.Name, Fields: []string{dm.Name}}
		if err := sc.Collection(rollupCollection(id)).EnsureIndex(ctx, idx); err != nil {
			return fmt.Errorf("register rollup %s: %w", id, err)
		}
	}
	r.log.Info("rollup registered", "tenant", sc.Tenant(), "form", spec.Form, "dashboard", spec.Dashboard, "rollup", id)
	// This node maintains it from now on; others within RegistryTTL.
	_, err = r.entries(ctx, sc, spec.Form, true)
	return err
}

// retireOthers retires the rollups of the plan's dashboard that the plan no longer has
// and that an older version (or this one, compiled against other forms) registered:
// those of an older version still building at once, since they answer nothing, the
// others once the whole plan is ready, since until then they answer the nodes that
// still render the older version. A node that still has an older version never
// retires a newer version's rollups.
func (r *Rollups) retireOthers(ctx context.Context, sc store.Scope, plan *dashboardRollups, version int, forms []string, allReady bool) error {
	keep := map[string]bool{}
	for _, id := range plan.ids {
		keep[id] = true
	}
	dashboard := plan.specs[0].Dashboard
	for _, f := range forms {
		fr, err := r.entries(ctx, sc, f, false)
		if err != nil {
			return err
		}
		for _, en := range fr.byID {
			switch {
			case en.dashboard != dashboard || keep[en.id] || en.state == stateRetired || en.version > version:
				continue
			case !allReady && (en.state == stateReady || en.version == version):
				continue
			}
			if err := r.retire(ctx, sc, en.id); err != nil {
				return err
			}
			r.log.Info("rollup retired", "tenant", sc.Tenant(), "form", f, "dashboard", dashboard, "rollup", en.id)
			if _, err := r.entries(ctx, sc, f, true); err != nil {
				return err
			}
			r.startBuild(sc.Tenant(), f) // the builder drops it after the grace period
		}
	}
	return nil
}

func (r *Rollups) retire(ctx context.Context, sc store.Scope, id string) error {
	reg := sc.Collection(rollupsCollection)
	return sc.WithTx(ctx, func(ctx context.Context) error {
		d, err := reg.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		d.Data["state"], d.Data["retired_at"] = stateRetired, r.opts.Now().UnixMilli()
		return reg.Update(ctx, d)
	})
}

// Building counts the rollups of sc's tenant still being built. Until a rollup is
// built its widget is answered from the records, and every write of its form reads how
// far the build has come.
func Building(ctx context.Context, sc store.Scope) (int64, error) {
	return sc.Collection(rollupsCollection).Count(ctx, store.Eq("state", stateBuilding))
}

// Ready counts the rollups of sc's tenant that are built and answer.
func Ready(ctx context.Context, sc store.Scope) (int64, error) {
	return sc.Collection(rollupsCollection).Count(ctx, store.Eq("state", stateReady))
}

// Prepare starts building the dashboard's rollups in the background (on publish), so
// they are ready sooner than on the first view.
func (r *Rollups) Prepare(tenant string, d *Dashboard) {
	plan := d.rollups()
	if len(plan.specs) == 0 {
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := r.ensure(r.ctx, tenant, plan, d.Version()); err != nil && r.ctx.Err() == nil {
			r.log.Warn("prepare rollups", "tenant", tenant, "dashboard", d.Key(), "error", err)
		}
	}()
}

// ready returns the rollup's entry when it answers; nil while it does not.
func (r *Rollups) ready(ctx context.Context, sc store.Scope, formKey, id string) (*rollupEntry, error) {
	fr, err := r.entries(ctx, sc, formKey, false)
	if err != nil {
		return nil, err
	}
	if en := fr.byID[id]; en != nil && en.state == stateReady {
		return en, nil
	}
	return nil, nil
}

// answer computes a widget's combined query from its rollup: the rows the dashboard
// filters select (dims, over dimensions), summed per group. ok is false when the
// rollup is not ready.
func (r *Rollups) answer(ctx context.Context, tenant string, wr *widgetRollup, dims *store.Filter) (groups []store.Group, ok bool, err error) {
	sc, err := r.b.Scope(tenant)
	if err != nil {
		return nil, false, err
	}
	en, err := r.ready(ctx, sc, wr.spec.Form, wr.spec.id())
	if err != nil || en == nil {
		return nil, false, err
	}
	agg := store.Aggregation{Filter: store.And(dims, store.Gt(wr.presence, 0)), GroupBy: wr.keys}
	seen := map[string]bool{}
	for _, m := range wr.measures {
		for _, c := range []string{m.col, m.num} {
			if c != "" && !seen[c] {
				seen[c] = true
				agg.Measures = append(agg.Measures, store.Measure{Name: c, Op: store.MeasureSum, Field: c})
			}
		}
	}
	rows, err := sc.Collection(en.eval.collection()).Aggregate(ctx, agg)
	if err != nil {
		return nil, false, fmt.Errorf("rollup %s: %w", en.id, err)
	}
	groups = make([]store.Group, 0, len(rows))
	for _, row := range rows {
		g := store.Group{Key: row.Key, Values: make(map[string]float64, len(wr.measures))}
		for i, isRange := range wr.rangeIdx {
			if f, ok := g.Key[i].(float64); ok && isRange {
				g.Key[i] = int(f)
			}
		}
		for _, m := range wr.measures {
			switch m.op {
			case store.MeasureAvg:
				if n := row.Values[m.num]; n > 0 {
					g.Values[m.name] = row.Values[m.col] / n
				}
			default:
				g.Values[m.name] = row.Values[m.col]
			}
		}
		groups = append(groups, g)
	}
	return groups, true, nil
}

var _ form.ChangeObserver = (*Rollups)(nil)
