package form

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/audit"
)

// stepDecider answers like a plugin host: a score and a verdict, or the error it is told.
type stepDecider struct {
	mu    sync.Mutex
	err   error
	calls []string
}

func (d *stepDecider) Decide(_ context.Context, kind, tenant, form, id string, rec map[string]any) (map[string]any, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, kind+":"+tenant+":"+form+":"+id)
	if d.err != nil {
		return nil, d.err
	}
	if kind == DecisionScore {
		return map[string]any{"score": 640, "grade": "B", "probability_of_default": 0.08, "plugin": "probe", "input_hash": "h"}, nil
	}
	return map[string]any{"decision": "pass", "hits": []any{}, "plugin": "probe"}, nil
}

func newDecidingService(t *testing.T, d Decider, now *time.Time) *serviceFixture {
	t.Helper()
	fx := newServiceFixture(t)
	fx.svc = NewService(fx.b, fx.authz, fx.log, Options{Decider: d, Now: func() time.Time { return *now }})
	return fx
}

func TestDecisionsAreWrittenOnCreate(t *testing.T) {
	now := time.Now()
	d := &stepDecider{}
	fx := newDecidingService(t, d, &now)
	rec, err := fx.svc.Create(context.Background(), actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	score := rec.Data["credit_score"].(map[string]any)
	assert.Equal(t, DecisionDone, score["status"])
	assert.Equal(t, "B", score["grade"])
	assert.Equal(t, "pass", rec.Data["fraud_check"].(map[string]any)["decision"])
	assert.ElementsMatch(t, []string{"score:" + testTenant + ":loan_application:" + rec.ID, "fraud:" + testTenant + ":loan_application:" + rec.ID}, d.calls)

	// Stored, not just answered; and the audit entry carries the decisions.
	got, err := fx.svc.Get(context.Background(), actor("officer"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, "B", got.Data["credit_score"].(map[string]any)["grade"])
	created := false
	for _, e := range fx.auditEntries(t) {
		if e.Action == audit.ActionCreate {
			created = true
			assert.Contains(t, e.Diff, "credit_score")
		}
	}
	assert.True(t, created)

	// An update keeps the decisions; no client may write them.
	upd, err := fx.svc.Update(context.Background(), actor("officer"), "loan_application", rec.ID, rec.Version, map[string]any{"amount": 60000})
	require.NoError(t, err)
	assert.Equal(t, "B", upd.Data["credit_score"].(map[string]any)["grade"])
	_, err = fx.svc.Update(context.Background(), actor("officer"), "loan_application", rec.ID, upd.Version, map[string]any{"credit_score": map[string]any{"grade": "S"}})
	ps := problemsIn(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "read_only", ps[0].Code)
	data := loanData()
	data["fraud_check"] = map[string]any{"decision": "pass"}
	_, err = fx.svc.Create(context.Background(), actor("officer"), "loan_application", data)
	assert.Equal(t, "read_only", problemsIn(t, err)[0].Code)
}

func TestAFailedDecisionIsStoredPendingAndRetried(t *testing.T) {
	now := time.Now()
	d := &stepDecider{err: errors.New("plugin unavailable: probe@1.0.0 is restarting")}
	fx := newDecidingService(t, d, &now)
	ctx := context.Background()
	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err, "the record is stored although its plugins are down")
	score := rec.Data["credit_score"].(map[string]any)
	assert.Equal(t, DecisionPending, score["status"])
	assert.Contains(t, score["reason"], "restarting")

	// Not due yet: nothing happens.
	n, err := fx.svc.RetryDecisions(ctx, testTenant, 10)
	require.NoError(t, err)
	assert.Zero(t, n)

	// Due, plugin still down: the attempt is counted and the next one pushed back.
	now = now.Add(time.Minute)
	n, err = fx.svc.RetryDecisions(ctx, testTenant, 10)
	require.NoError(t, err)
	assert.Zero(t, n)
	got, err := fx.svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, "2", fmt.Sprint(got.Data["credit_score"].(map[string]any)["attempts"]))

	// The plugin is back.
	d.mu.Lock()
	d.err = nil
	d.mu.Unlock()
	now = now.Add(2 * time.Minute)
	n, err = fx.svc.RetryDecisions(ctx, testTenant, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	got, err = fx.svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, DecisionDone, got.Data["credit_score"].(map[string]any)["status"])
	assert.Equal(t, "pass", got.Data["fraud_check"].(map[string]any)["decision"])
	assert.Equal(t, SystemActor, got.UpdatedBy)

	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	left, err := sc.Collection(PendingCollection).Count(ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, left, "a completed record leaves the retry queue")
	now = now.Add(time.Hour)
	n, err = fx.svc.RetryDecisions(ctx, testTenant, 10)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestDecisionsMustNameDecisionFields(t *testing.T) {
	body := []byte(`{"key":"x","title":{"en":"X"},"schema":{"type":"object","properties":{"a":{"type":"string"},"s":{"type":"object"}}},
	"fields":{"a":{"label":{"en":"A"},"widget":"text"},"s":{"label":{"en":"S"},"widget":"decision"}},
	"decisions":{"score":{"field":"a"},"fraud":{"field":"nope"}}}`)
	_, err := Compile(body)
	var de *DefinitionError
	require.ErrorAs(t, err, &de)
	paths := map[string]string{}
	for _, p := range de.Problems {
		paths[p.Path] = p.Code
	}
	assert.Equal(t, map[string]string{"/decisions/score/field": "decision_field", "/decisions/fraud/field": "unknown_field"}, paths)
}

func TestCountSince(t *testing.T) {
	now := time.Now()
	fx := newDecidingService(t, &stepDecider{}, &now)
	ctx := context.Background()
	for range 3 {
		_, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
		require.NoError(t, err)
	}
	n, err := fx.svc.CountSince(ctx, testTenant, "loan_application", "mobile_phone", "13812345678", time.Now().Add(-time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
	n, err = fx.svc.CountSince(ctx, testTenant, "loan_application", "mobile_phone", "13812345678", time.Now().Add(time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "outside the window")
	n, err = fx.svc.CountSince(ctx, "other-tenant", "loan_application", "mobile_phone", "13812345678", time.Now().Add(-time.Hour))
	assert.ErrorIs(t, err, ErrFormNotFound, "another tenant's forms and records are not reachable")
	assert.Zero(t, n)
	_, err = fx.svc.CountSince(ctx, testTenant, "loan_application", "amount", "1", time.Now().Add(-time.Hour))
	assert.Error(t, err)
}

// kindFailer fails one decision kind and answers the others.
type kindFailer struct {
	stepDecider
	fail string
}

func (d *kindFailer) Decide(ctx context.Context, kind, tenant, form, id string, rec map[string]any) (map[string]any, error) {
	d.mu.Lock()
	fail := d.fail
	d.mu.Unlock()
	if kind == fail {
		return nil, errors.New(kind + " plugin unavailable")
	}
	return d.stepDecider.Decide(ctx, kind, tenant, form, id, rec)
}

func TestARetryLeavesDecisionsAlreadyMade(t *testing.T) {
	now := time.Now()
	d := &kindFailer{fail: DecisionFraud}
	fx := newDecidingService(t, d, &now)
	ctx := context.Background()
	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	scoredAt := rec.Data["credit_score"].(map[string]any)["decided_at"]
	require.Equal(t, DecisionPending, rec.Data["fraud_check"].(map[string]any)["status"])

	d.mu.Lock()
	d.fail, d.calls = "", nil
	d.mu.Unlock()
	now = now.Add(time.Minute)
	n, err := fx.svc.RetryDecisions(ctx, testTenant, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{"fraud:" + testTenant + ":loan_application:" + rec.ID}, d.calls, "only the pending decision is asked again")
	got, err := fx.svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, scoredAt, got.Data["credit_score"].(map[string]any)["decided_at"])
	assert.Equal(t, DecisionDone, got.Data["fraud_check"].(map[string]any)["status"])
}
