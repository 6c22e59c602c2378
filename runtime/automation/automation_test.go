package automation_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/automation"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/schemas"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

const tenant = "acme-credit"

type allowAll struct{}

func (allowAll) Enforce(context.Context, string, string, string, string) (bool, error) {
	return true, nil
}
func (allowAll) PolicyVersion(string) uint64                                         { return 1 }
func (allowAll) RowScopes(context.Context, string, string, string) ([]string, error) { return nil, nil }

type fixture struct {
	b        store.Backend
	rules    *rule.Catalog
	forms    *form.Service
	builder  *builder.Service
	lists    *list.Service
	hooks    *webhook.Service
	reg      *events.Registry
	dispatch *events.Dispatcher
	engine   *automation.Engine
	received chan *http.Request
	bodies   chan []byte
	hookURL  string
}

func newFixture(t *testing.T, path string) *fixture {
	t.Helper()
	ctx := context.Background()
	b, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	log := audit.New(nil)
	fx := &fixture{b: b, received: make(chan *http.Request, 10), bodies: make(chan []byte, 10)}
	fx.forms = form.NewService(b, allowAll{}, log, form.Options{})
	fx.builder = builder.New(b, fx.forms, log)
	catalog := rule.NewCatalog(fx.forms, form.Published{Backend: b}, rule.CatalogOptions{})
	fx.rules = catalog
	fx.builder.Register(builder.KindRule, builder.Rules(catalog))
	fx.lists = list.NewService(b, log)

	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fx.received <- r
		fx.bodies <- body
	}))
	t.Cleanup(srv.Close)
	fx.hookURL = srv.URL + "/hooks/credo"
	fx.hooks = webhook.New(b, webhook.Options{AllowPrivate: true,
		TLSConfig: &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs, MinVersion: tls.VersionTLS12}})

	fx.reg = events.NewRegistry()
	engine := automation.New(automation.Options{Forms: fx.forms, Rules: catalog, Lists: fx.lists, Webhooks: fx.hooks, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	require.NoError(t, engine.Register(fx.reg))
	fx.engine = engine
	fx.dispatch, err = events.NewDispatcher(events.DispatcherConfig{Backend: b, Registry: fx.reg,
		Tenants: func(context.Context) ([]string, error) { return []string{tenant}, nil }})
	require.NoError(t, err)
	return fx
}

var officer = form.Actor{Tenant: tenant, UserID: "officer-1", Roles: []string{"officer"}}

func (fx *fixture) publish(t *testing.T, kind, key string, body []byte) {
	t.Helper()
	ctx := context.Background()
	d, err := fx.builder.SaveDraft(ctx, officer, kind, key, body)
	require.NoError(t, err)
	require.Empty(t, d.Problems)
	_, err = fx.builder.Publish(ctx, officer, kind, key, "")
	require.NoError(t, err)
}

// loanRules publishes the lending loan application and the rule set (HOOK in it
// names the test's webhook receiver).
func (fx *fixture) loanRules(t *testing.T, rules string) {
	t.Helper()
	tpl, err := schemas.TemplateOf("lending", "loan_application")
	require.NoError(t, err)
	fx.publish(t, builder.KindForm, "loan_application", tpl.Body)
	fx.publish(t, builder.KindRule, "loan_application", []byte(strings.ReplaceAll(rules, "HOOK", fx.hookURL)))
}

// drain delivers every due event, as the running dispatcher would.
func (fx *fixture) drain(t *testing.T) {
	t.Helper()
	for range 20 {
		st, err := fx.dispatch.Poll(context.Background())
		require.NoError(t, err)
		require.Zero(t, st.Failed, "a delivery failed")
		if st == (events.DispatchStats{}) {
			return
		}
	}
	t.Fatal("the outbox did not drain")
}

func loanData(t *testing.T, patch string) map[string]any {
	t.Helper()
	raw := `{"applicant_name":"张三","gender":"male","birth_date":"1990-05-17","id_number":"110101199005171234",
	"mobile_phone":"13812345678","residential_region":"110105",
	"residential_address":"北京市朝阳区建国路88号","monthly_income":20000,"monthly_debt":5000,
	"housing_status":"rented","product":"personal_consumer","purpose":"education","amount":50000,"term_months":12,
	"repayment_method":"equal_installment","disbursement_card":"6222021234567890123","channel":"online",
	"emergency_contacts":[{"name":"李四","relation":"spouse","phone":"13900001111"}],
	"consent_credit_check":true,"consent_privacy":true}`
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &m))
	if patch != "" {
		var p map[string]any
		require.NoError(t, json.Unmarshal([]byte(patch), &p))
		for k, v := range p {
			m[k] = v
		}
	}
	return m
}

const rules = `{"form":"loan_application","rules":[
 {"key":"big_online","title":{"en":"Big online loans get a second look"},"trigger":{"on":"record.created"},
  "condition":{"all":[{"field":"amount","op":"gte","value":100000},{"field":"channel","op":"eq","value":"online"}]},
  "actions":[{"type":"flag","flag":"big_online"},
             {"type":"notify","channel":"in_app","to":"role:reviewer","template":"big_online"},
             {"type":"notify","channel":"webhook","to":"HOOK","template":"big_online"}]},
 {"key":"agent_reject","title":{"en":"No agent channel"},"trigger":{"on":"record.created"},
  "condition":"record.channel == 'agent'",
  "actions":[{"type":"reject","reason":{"zh-CN":"不受理中介渠道","en":"Agent channel not accepted"}},
             {"type":"add_to_list","list":"watch.phone","field":"mobile_phone"}]},
 {"key":"purpose_watch","title":{"en":"Purpose changed"},"trigger":{"on":"field.changed","fields":["purpose"]},
  "actions":[{"type":"set_field","field":"purpose","value":"other"},{"type":"flag","flag":"purpose_changed"}]}
]}`

func TestRulesRunOnRecordEvents(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, rules)

	big, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	agent, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"channel":"agent","mobile_phone":"13700009999"}`))
	require.NoError(t, err)
	plain, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	fx.drain(t)

	get := func(id string) map[string]any {
		r, err := fx.forms.Get(ctx, officer, "loan_application", id)
		require.NoError(t, err)
		return r.Data
	}
	assert.Equal(t, []any{"big_online"}, get(big.ID)["flags"])
	assert.Equal(t, "rejected", get(agent.ID)["status"])
	assert.Equal(t, "不受理中介渠道", get(agent.ID)["reject_reason"])
	assert.NotContains(t, get(plain.ID), "flags")
	assert.NotContains(t, get(plain.ID), "status")

	on, err := fx.lists.Contains(ctx, tenant, "watch.phone", []string{"13700009999", "13812345678"})
	require.NoError(t, err)
	assert.Equal(t, []string{"13700009999"}, on)

	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	notes, err := automation.Notifications(ctx, sc, form.Actor{UserID: "rev-1", Roles: []string{"reviewer"}}, true)
	require.NoError(t, err)
	require.Len(t, notes, 1)
	assert.Equal(t, big.ID, notes[0].Record)
	require.NoError(t, automation.MarkRead(ctx, sc, form.Actor{UserID: "rev-1", Roles: []string{"reviewer"}}, notes[0].ID))
	notes, err = automation.Notifications(ctx, sc, form.Actor{UserID: "rev-1", Roles: []string{"reviewer"}}, true)
	require.NoError(t, err)
	assert.Empty(t, notes)
	assert.ErrorIs(t, automation.MarkRead(ctx, sc, form.Actor{UserID: "x", Roles: []string{"collector"}}, "nope"), store.ErrNotFound)

	runs, err := automation.Runs(ctx, sc, "loan_application", big.ID)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, "big_online", runs[0].Rule)
	assert.Equal(t, 1, runs[0].RuleSet)
	assert.Len(t, runs[0].InputHash, 64)
	assert.Len(t, runs[0].Actions, 3)

	// The webhook is queued with the run and sent by the worker, signed.
	n, err := fx.hooks.SendDue(ctx, tenant)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	req, body := <-fx.received, <-fx.bodies
	secret, err := fx.hooks.SigningSecret(ctx, tenant)
	require.NoError(t, err)
	sig := req.Header.Get("Credo-Signature")
	ts := strings.TrimPrefix(strings.Split(sig, ",")[0], "t=")
	assert.Equal(t, sig, webhook.Sign(secret, unix(t, ts), body))
	var payload map[string]any
	require.NoError(t, json.Unmarshal(body, &payload))
	assert.Equal(t, big.ID, payload["record"])
	data := payload["data"].(map[string]any)
	assert.Contains(t, data, "amount")
	assert.NotContains(t, data, "id_number", "sensitive fields do not leave in webhooks")
	assert.NotContains(t, data, "mobile_phone")
}

// Before the delivery's transaction the engine evaluates a batch's rules on the records
// as committed and passes over the events no rule matched: they are delivered with no
// call inside the transaction, and nothing is done for them, as before.
func TestRulesSiftPassesOverWhatMatchesNothing(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, rules)

	big, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	plain, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	gone, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	require.NoError(t, fx.forms.Delete(ctx, officer, "loan_application", gone.ID, gone.Version))

	st, err := fx.dispatch.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Delivered, "the three creates (no rule listens to deletes)")
	assert.Equal(t, 2, st.Sifted, "the plain record and the deleted one")
	fx.drain(t)

	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	assert.Len(t, runsOf(t, sc, big.ID), 1, "the matching rule ran in the transaction")
	noRuns(t, sc, plain.ID, gone.ID)
}

// runsOf lists the rule runs of a loan application.
func runsOf(t *testing.T, sc store.Scope, id string) []automation.Run {
	t.Helper()
	runs, err := automation.Runs(context.Background(), sc, "loan_application", id)
	require.NoError(t, err)
	return runs
}

// noRuns checks that no rule ran on the loan applications ids.
func noRuns(t *testing.T, sc store.Scope, ids ...string) {
	t.Helper()
	for _, id := range ids {
		assert.Empty(t, runsOf(t, sc, id), id)
	}
}

// What Sift found out of a record travels with its kept event, and the transaction acts
// on it only while the record is still at the version Sift read; a record changed in
// between is read and judged again.
func TestRulesReuseWhatSiftFoundWhileTheRecordIsUnchanged(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, rules)
	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	h := automation.RecordRules(fx.engine)
	created := func(id string) events.Event {
		return events.Event{ID: "ev-" + id, Type: form.EventRecordCreated, Subject: form.RecordObject("loan_application", id),
			Data: map[string]any{"form": "loan_application", "id": id, "version": 1, "form_version": 1}}
	}
	handle := func(ev events.Event, note any) {
		require.NoError(t, sc.WithTx(ctx, func(ctx context.Context) error {
			return h.Handle(ctx, &events.Delivery{Scope: sc, Event: ev, Handler: automation.HandlerName, Attempt: 1, Note: note})
		}))
	}

	kept, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	changed, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	evs := []events.Event{created(kept.ID), created(changed.ID)}
	answers, err := h.Sift(ctx, sc, evs)
	require.NoError(t, err)
	require.Len(t, answers, 2)
	for _, a := range answers {
		assert.True(t, a.Keep, "big online loans match")
		assert.NotNil(t, a.Note)
	}
	// The second drops below the threshold after Sift read it.
	_, err = fx.forms.Update(ctx, officer, "loan_application", changed.ID, changed.Version, map[string]any{"amount": 50000})
	require.NoError(t, err)
	for i, ev := range evs {
		handle(ev, answers[i].Note)
	}

	get := func(id string) map[string]any {
		r, err := fx.forms.Get(ctx, officer, "loan_application", id)
		require.NoError(t, err)
		return r.Data
	}
	assert.Equal(t, []any{"big_online"}, get(kept.ID)["flags"])
	assert.NotContains(t, get(changed.ID), "flags", "judged again on the record as it is now")
	noRuns(t, sc, changed.ID)
}

// Record events name their record: the rules judge the record as it is when they run,
// and a record deleted before then is left alone without failing the delivery.
func TestRulesReadTheRecordWhenTheyRun(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, rules)

	small, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":50000}`))
	require.NoError(t, err)
	_, err = fx.forms.Update(ctx, officer, "loan_application", small.ID, small.Version, map[string]any{"amount": 150000})
	require.NoError(t, err)
	gone, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
	require.NoError(t, err)
	require.NoError(t, fx.forms.Delete(ctx, officer, "loan_application", gone.ID, gone.Version))
	edited, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	edited, err = fx.forms.Update(ctx, officer, "loan_application", edited.ID, edited.Version, map[string]any{"purpose": "travel"})
	require.NoError(t, err)
	require.NoError(t, fx.forms.Delete(ctx, officer, "loan_application", edited.ID, edited.Version))
	fx.drain(t)

	r, err := fx.forms.Get(ctx, officer, "loan_application", small.ID)
	require.NoError(t, err)
	assert.Equal(t, []any{"big_online"}, r.Data["flags"], "the amount as it was when the rule ran")
	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	noRuns(t, sc, gone.ID, edited.ID)
}

func unix(t *testing.T, s string) time.Time {
	t.Helper()
	var n int64
	require.NoError(t, json.Unmarshal([]byte(s), &n))
	return time.Unix(n, 0)
}

func TestARuleDoesNotRetriggerItself(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, rules)

	rec, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	fx.drain(t)
	_, err = fx.forms.Update(ctx, officer, "loan_application", rec.ID, 1, map[string]any{"purpose": "travel"})
	require.NoError(t, err)
	fx.drain(t)

	got, err := fx.forms.Get(ctx, officer, "loan_application", rec.ID)
	require.NoError(t, err)
	// purpose_watch set purpose to "other": its own change did not fire it again.
	assert.Equal(t, "other", got.Data["purpose"])
	assert.Equal(t, []any{"purpose_changed"}, got.Data["flags"])
	assert.Equal(t, int64(3), got.Version)
}

// Two rules that keep changing each other's field: each fires once in the chain, since
// a rule named in the chain's origin does not fire again.
func TestARuleLoopIsStopped(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, `{"form":"loan_application","rules":[
	 {"key":"ping","title":{"en":"ping"},"trigger":{"on":"field.changed","fields":["purpose"]},
	  "actions":[{"type":"set_field","field":"monthly_debt","expr":"record.monthly_debt + 1.0"}]},
	 {"key":"pong","title":{"en":"pong"},"trigger":{"on":"field.changed","fields":["monthly_debt"]},
	  "actions":[{"type":"set_field","field":"purpose","expr":"record.purpose == 'travel' ? 'education' : 'travel'"}]}]}`)
	rec, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	_, err = fx.forms.Update(ctx, officer, "loan_application", rec.ID, 1, map[string]any{"purpose": "travel"})
	require.NoError(t, err)
	fx.drain(t)

	got, err := fx.forms.Get(ctx, officer, "loan_application", rec.ID)
	require.NoError(t, err)
	// The person's change, ping's, pong's; ping does not fire on pong's change.
	assert.Equal(t, float64(5001), num(got.Data["monthly_debt"]))
	assert.Equal(t, "education", got.Data["purpose"])
	assert.Equal(t, int64(4), got.Version)
}

func num(v any) float64 {
	switch n := v.(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case float64:
		return n
	}
	return -1
}

// Records committed while no dispatcher ran (a node killed between the commit and the
// rules) get their rules once the store is opened again, exactly once, however often the
// outbox is polled afterwards.
func TestRulesRunOnceAfterARestart(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/credo.db"
	fx := newFixture(t, path)
	fx.loanRules(t, rules)
	var ids []string
	for range 5 {
		r, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, `{"amount":150000}`))
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	require.NoError(t, fx.b.Close())

	again := newFixture(t, path)
	var wg sync.WaitGroup
	for range 3 { // several dispatchers race over the same outbox
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := events.NewDispatcher(events.DispatcherConfig{Backend: again.b, Registry: again.reg,
				Tenants: func(context.Context) ([]string, error) { return []string{tenant}, nil }})
			assert.NoError(t, err)
			for range 5 {
				_, err := d.Poll(ctx)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	again.drain(t)
	sc, err := again.b.Scope(tenant)
	require.NoError(t, err)
	for _, id := range ids {
		runs, err := automation.Runs(ctx, sc, "loan_application", id)
		require.NoError(t, err)
		assert.Len(t, runs, 1)
		got, err := again.forms.Get(ctx, officer, "loan_application", id)
		require.NoError(t, err)
		assert.Equal(t, []any{"big_online"}, got.Data["flags"])
		assert.Equal(t, int64(2), got.Version, "one rule change per record")
	}
	notes, err := automation.Notifications(ctx, sc, form.Actor{UserID: "rev", Roles: []string{"reviewer"}}, false)
	require.NoError(t, err)
	assert.Len(t, notes, 5)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// A rule whose change the form refuses leaves a run saying why; the outbox moves on.
func TestARefusedRuleChangeIsRecorded(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, `{"form":"loan_application","rules":[
	 {"key":"stretch","title":{"en":"stretch"},"trigger":{"on":"record.created"},
	  "actions":[{"type":"set_field","field":"term_months","expr":"record.term_months + 1"},{"type":"flag","flag":"stretched"}]}]}`)
	rec, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, ""))
	require.NoError(t, err)
	st, err := fx.dispatch.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, st.Failed)
	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	runs, err := automation.Runs(ctx, sc, "loan_application", rec.ID)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Contains(t, runs[0].Error, "/term_months")
	got, err := fx.forms.Get(ctx, officer, "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version)
}

// A scheduled rule fires once per cron time on every record its condition holds for; a
// pass repeated for the same time changes nothing; a new schedule does not fire for the past.
func TestScheduledRules(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.loanRules(t, `{"form":"loan_application","rules":[
	 {"key":"nightly_big","title":{"en":"Nightly check of big loans"},"trigger":{"on":"schedule","cron":"0 2 * * *","timezone":"Asia/Shanghai"},
	  "condition":{"all":[{"field":"amount","op":"gte","value":100000}]},
	  "actions":[{"type":"notify","channel":"in_app","to":"role:reviewer","template":"nightly"}]}]}`)
	for i, amount := range []int{150000, 20000, 300000} {
		_, err := fx.forms.Create(ctx, officer, "loan_application", loanData(t, fmt.Sprintf(`{"amount":%d,"mobile_phone":"1380000000%d"}`, amount, i)))
		require.NoError(t, err)
	}
	engine := automation.New(automation.Options{Backend: fx.b, Forms: fx.forms, Rules: fx.rules})
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	day1 := time.Date(2026, 11, 1, 12, 0, 0, 0, shanghai)

	n, err := engine.RunSchedules(ctx, tenant, day1)
	require.NoError(t, err)
	assert.Zero(t, n, "the first pass only starts the schedule")
	n, err = engine.RunSchedules(ctx, tenant, day1.Add(16*time.Hour)) // 04:00 next day: 02:00 passed
	require.NoError(t, err)
	assert.Equal(t, 2, n, "two big loans")
	n, err = engine.RunSchedules(ctx, tenant, day1.Add(17*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "02:00 has been run")
	n, err = engine.RunSchedules(ctx, tenant, day1.Add(3*24*time.Hour)) // two more nights
	require.NoError(t, err)
	assert.Equal(t, 4, n)

	sc, err := fx.b.Scope(tenant)
	require.NoError(t, err)
	notes, err := automation.Notifications(ctx, sc, form.Actor{UserID: "rev", Roles: []string{"reviewer"}}, false)
	require.NoError(t, err)
	assert.Len(t, notes, 6)
}
