package flow

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

func newTestBackend(t testing.TB) store.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "credo.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newTenant(t testing.TB) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 10)
	_, err := rand.Read(b)
	require.NoError(t, err)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "t-" + string(b)
}

// loanForm compiles the lending template's loan application.
func loanForm(t testing.TB) *form.Form {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", "loan_application")
	require.NoError(t, err)
	f, err := form.Compile(tpl.Body)
	require.NoError(t, err)
	return f
}

// collectionForm compiles the collection case form of testdata (the lending template
// has no collection form yet).
func collectionForm(t testing.TB) *form.Form {
	t.Helper()
	f, err := form.Compile(readTestdata(t, "collection_case.form.json"))
	require.NoError(t, err)
	return f
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func mustCompile(t testing.TB, f *form.Form, def []byte) *Flow {
	t.Helper()
	fl, err := Compile(f, def)
	require.NoError(t, err)
	return fl
}

// memDefs holds compiled flows by key and version, as the builder's published
// versions will.
type memDefs struct {
	mu    sync.Mutex
	flows map[string][]*Flow // key → versions, v1 first
}

func newMemDefs() *memDefs { return &memDefs{flows: map[string][]*Flow{}} }

// publish adds fl as the next version of its key and returns it numbered.
func (d *memDefs) publish(fl *Flow) *Flow {
	d.mu.Lock()
	defer d.mu.Unlock()
	v := fl.AtVersion(len(d.flows[fl.Key()]) + 1)
	d.flows[fl.Key()] = append(d.flows[fl.Key()], v)
	return v
}

func (d *memDefs) Flow(_ context.Context, _, key string, version int) (*Flow, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	vs := d.flows[key]
	if version < 1 || version > len(vs) {
		return nil, fmt.Errorf("flow %s v%d: %w", key, version, ErrFlowNotFound)
	}
	return vs[version-1], nil
}

func (d *memDefs) Latest(_ context.Context, _, key string) (*Flow, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	vs := d.flows[key]
	if len(vs) == 0 {
		return nil, fmt.Errorf("flow %s: %w", key, ErrFlowNotFound)
	}
	return vs[len(vs)-1], nil
}

// storeRecords keeps records in the real store, one document per record in
// "records:<form>", written with the engine's transaction ctx. reads counts Read calls.
type storeRecords struct {
	b     store.Backend
	reads *atomic.Int64
}

func (s storeRecords) coll(tenant, formKey string) (store.Collection, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, err
	}
	return sc.Collection(form.RecordsCollection(formKey)), nil
}

func (s storeRecords) Read(ctx context.Context, tenant, formKey, id string) (map[string]any, error) {
	s.reads.Add(1)
	c, err := s.coll(tenant, formKey)
	if err != nil {
		return nil, err
	}
	d, err := c.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.Data, nil
}

func (s storeRecords) Write(ctx context.Context, w RecordWrite) (map[string]any, error) {
	c, err := s.coll(w.Tenant, w.Form)
	if err != nil {
		return nil, err
	}
	d, err := c.Get(ctx, w.RecordID)
	if err != nil {
		return nil, err
	}
	for k, v := range w.Fields {
		if v == nil {
			delete(d.Data, k)
			continue
		}
		d.Data[k] = v
	}
	if err := c.Update(ctx, d); err != nil {
		return nil, err
	}
	return maps.Clone(d.Data), nil
}

// put stores a record and returns its data as the store gives it back.
func (s storeRecords) put(t testing.TB, tenant, formKey string, data map[string]any) (string, map[string]any) {
	t.Helper()
	c, err := s.coll(tenant, formKey)
	require.NoError(t, err)
	enc, err := encode(data)
	require.NoError(t, err)
	d := &store.Doc{Data: enc}
	require.NoError(t, c.Insert(context.Background(), d))
	return d.ID, enc
}

func (s storeRecords) get(t testing.TB, tenant, formKey, id string) map[string]any {
	t.Helper()
	c, err := s.coll(tenant, formKey)
	require.NoError(t, err)
	d, err := c.Get(context.Background(), id)
	require.NoError(t, err)
	return d.Data
}

// inProcessDecider answers score and fraud from fixed verdicts, in process.
type inProcessDecider struct {
	mu    sync.Mutex
	score map[string]any
	fraud map[string]any
	fail  error
	calls map[string]int
	// seen is the record each kind was last asked about.
	seen map[string]map[string]any
}

func newDecider(grade, fraud string) *inProcessDecider {
	return &inProcessDecider{
		score: map[string]any{"score": 655, "grade": grade, "plugin": "scorecard", "plugin_version": "1.2.0", "model_version": "m7", "input_hash": "sha256:abc"},
		fraud: map[string]any{"decision": fraud, "hits": []any{}, "plugin": "antifraud", "plugin_version": "0.9.1", "model_version": "r3", "input_hash": "sha256:def"},
		calls: map[string]int{},
		seen:  map[string]map[string]any{},
	}
}

func (d *inProcessDecider) Decide(_ context.Context, kind, _, _, _ string, rec map[string]any) (map[string]any, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls[kind]++
	d.seen[kind] = rec
	if d.fail != nil {
		return nil, d.fail
	}
	if kind == DoScore {
		return maps.Clone(d.score), nil
	}
	return maps.Clone(d.fraud), nil
}

func (d *inProcessDecider) setFail(err error) {
	d.mu.Lock()
	d.fail = err
	d.mu.Unlock()
}

func (d *inProcessDecider) count(kind string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[kind]
}

// staticDirectory maps roles to users and users to managers.
type staticDirectory struct {
	roles    map[string][]string
	managers map[string]string
}

func (d staticDirectory) UsersWithRole(_ context.Context, _, role string) ([]string, error) {
	return d.roles[role], nil
}

func (d staticDirectory) ManagerOf(_ context.Context, _, user string) (string, error) {
	return d.managers[user], nil
}

// sentHooks records the webhooks sent.
type sentHooks struct {
	mu   sync.Mutex
	sent []Webhook
	fail error
}

func (h *sentHooks) Send(_ context.Context, w Webhook) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return h.fail
	}
	h.sent = append(h.sent, w)
	return nil
}

func (h *sentHooks) all() []Webhook {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Webhook(nil), h.sent...)
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(start time.Time) *testClock { return &testClock{t: start} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// harness is an engine over a fresh SQLite store with every dependency real or
// in-process, plus a scheduler driven by the test clock.
type harness struct {
	t       testing.TB
	b       store.Backend
	tenant  string
	defs    *memDefs
	records storeRecords
	decider *inProcessDecider
	hooks   *sentHooks
	clock   *testClock
	engine  *Engine
	sched   *events.Scheduler
}

var testDirectory = staticDirectory{
	roles:    map[string][]string{"approver": {"ap1", "ap2"}, "reviewer": {"rv1", "rv2"}},
	managers: map[string]string{"clerk": "boss"},
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	b := newTestBackend(t)
	h := &harness{t: t, b: b, tenant: newTenant(t), defs: newMemDefs(), records: storeRecords{b: b, reads: new(atomic.Int64)},
		decider: newDecider("B", "pass"), hooks: &sentHooks{},
		clock: newTestClock(time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC))}
	h.engine = NewEngine(b, h.defs, Options{Clock: h.clock.Now, Decider: h.decider, Records: h.records,
		Webhooks: h.hooks, Directory: testDirectory, SupervisorRoles: []string{"team_lead"}})
	reg := events.NewRegistry()
	require.NoError(t, reg.HandleTimers(TimerHandler, h.engine))
	sched, err := events.NewScheduler(events.SchedulerConfig{Backend: b, Registry: reg, Clock: h.clock.Now, Node: "test",
		Tenants: func(context.Context) ([]string, error) { return []string{h.tenant}, nil }})
	require.NoError(t, err)
	h.sched = sched
	return h
}

func (h *harness) actor(user string, roles ...string) form.Actor {
	return form.Actor{Tenant: h.tenant, UserID: user, Roles: roles}
}

func (h *harness) scope() store.Scope {
	sc, err := h.b.Scope(h.tenant)
	require.NoError(h.t, err)
	return sc
}

// poll fires the timers due at the test clock's time.
func (h *harness) poll() events.ScheduleStats {
	h.t.Helper()
	st, err := h.sched.Poll(context.Background())
	require.NoError(h.t, err)
	return st
}

// openTasks lists the open tasks of an instance, by node.
func (h *harness) openTasks(instance string) map[string][]*Task {
	h.t.Helper()
	page, err := h.engine.Inbox(context.Background(), h.actor("admin"), InboxQuery{Scope: ScopeAll, Limit: store.MaxLimit})
	require.NoError(h.t, err)
	out := map[string][]*Task{}
	for _, tk := range page.Tasks {
		if tk.Instance == instance {
			out[tk.Node] = append(out[tk.Node], tk)
		}
	}
	return out
}

func (h *harness) instance(id string) *Instance {
	h.t.Helper()
	in, err := h.engine.Instance(context.Background(), h.tenant, id)
	require.NoError(h.t, err)
	return in
}

// eventTypes counts the outbox events by type.
func (h *harness) eventTypes() map[string]int {
	h.t.Helper()
	out := map[string]int{}
	require.NoError(h.t, each(context.Background(), h.scope().Collection(events.OutboxCollection), store.Query{}, func(d *store.Doc) error {
		out[fmt.Sprint(d.Data["type"])]++
		return nil
	}))
	return out
}

// eventsOf returns the bodies of the outbox events of one type, oldest first.
func (h *harness) eventsOf(typ string) []map[string]any {
	h.t.Helper()
	var out []map[string]any
	require.NoError(h.t, each(context.Background(), h.scope().Collection(events.OutboxCollection),
		store.Query{Filter: store.Eq("type", typ)}, func(d *store.Doc) error {
			out = append(out, d.Data)
			return nil
		}))
	return out
}

var errPluginDown = errors.New("plugin unavailable")
