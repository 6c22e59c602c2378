package flow

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (h *harness) startCollection(rec map[string]any) *Instance {
	h.t.Helper()
	if _, err := h.defs.Latest(context.Background(), h.tenant, "collection"); err != nil {
		h.defs.publish(mustCompile(h.t, collectionForm(h.t), readTestdata(h.t, "collection.json")))
	}
	id, stored := h.records.put(h.t, h.tenant, "collection_case", rec)
	in, err := h.engine.Start(context.Background(), h.actor("system"), "collection", id, stored)
	require.NoError(h.t, err)
	return in
}

func TestCollectionTimersAndEscalation(t *testing.T) {
	h := newHarness(t)
	in := h.startCollection(map[string]any{"loan_id": "L-1", "borrower_name": "王五", "amount_due": 1520.5,
		"due_date": "2025-03-10", "stage": "current", "assignee": "col1"})
	require.Len(t, in.Positions, 1)
	assert.Equal(t, "t_minus_1", in.Positions[0].Node)

	// T−1 at 09:00: the reminder goes out with the listed fields only.
	h.clock.Set(time.Date(2025, 3, 9, 8, 59, 0, 0, time.UTC))
	assert.Zero(t, h.poll().Fired)
	h.clock.Set(time.Date(2025, 3, 9, 9, 0, 0, 0, time.UTC))
	assert.Equal(t, 1, h.poll().Fired)
	sent := h.hooks.all()
	require.Len(t, sent, 1)
	assert.Equal(t, "https://sms.example.com/credo/remind", sent[0].URL)
	assert.Equal(t, map[string]any{"loan_id": "L-1", "amount_due": sent[0].Fields["amount_due"], "due_date": "2025-03-10"}, sent[0].Fields)
	assert.NotContains(t, sent[0].Fields, "borrower_name")
	assert.Equal(t, "t_plus_1", h.instance(in.ID).Positions[0].Node)

	// T+1: not paid, so M1 with the case's collector.
	h.clock.Set(time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC))
	assert.Equal(t, 1, h.poll().Fired)
	rec := h.records.get(t, h.tenant, "collection_case", in.RecordID)
	assert.Equal(t, "m1", rec["stage"])
	assert.Equal(t, "1", rec["dpd"].(interface{ String() string }).String())
	m1 := h.openTasks(in.ID)["m1_call"]
	require.Len(t, m1, 1)
	assert.Equal(t, "col1", m1[0].Assignee)

	// Seven days without a result: escalated to the M2 team.
	h.clock.Advance(7*24*time.Hour + time.Second)
	assert.Equal(t, 1, h.poll().Fired)
	esc := h.openTasks(in.ID)["m1_call"][0]
	assert.True(t, esc.Escalated)
	assert.Equal(t, []string{"role:collector_m2"}, esc.Audience)
	_, err := h.act("col1", nil, esc, Action{Kind: ActComplete})
	assert.ErrorIs(t, err, ErrForbidden, "the first collector lost it")

	// The M2 collector records a promise to pay: the flow ends there.
	_, err = h.act("m2a", []string{"collector_m2"}, esc, Action{Kind: ActComplete,
		Fields: map[string]any{"contact_result": "promise_to_pay", "promised_date": "2025-03-25"}})
	require.NoError(t, err)
	done := h.instance(in.ID)
	assert.Equal(t, StatusCompleted, done.Status)
	assert.Equal(t, "promised", done.Outcome)
}

func TestCollectionPaidBeforeOverdue(t *testing.T) {
	h := newHarness(t)
	in := h.startCollection(map[string]any{"loan_id": "L-2", "amount_due": 100, "due_date": "2025-03-10", "stage": "current", "assignee": "col1"})
	h.clock.Set(time.Date(2025, 3, 9, 9, 0, 0, 0, time.UTC))
	h.poll()
	_, err := h.records.Write(context.Background(), RecordWrite{Tenant: h.tenant, Form: "collection_case", RecordID: in.RecordID,
		Fields: map[string]any{"stage": "closed"}})
	require.NoError(t, err)
	h.clock.Set(time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC))
	assert.Equal(t, 1, h.poll().Fired)
	done := h.instance(in.ID)
	assert.Equal(t, "paid", done.Outcome)
	assert.Empty(t, h.openTasks(in.ID))
}

func TestTimerFieldWithoutDateFails(t *testing.T) {
	h := newHarness(t)
	h.defs.publish(mustCompile(t, collectionForm(t), readTestdata(t, "collection.json")))
	id, stored := h.records.put(t, h.tenant, "collection_case", map[string]any{"loan_id": "L-3", "amount_due": 1, "due_date": "soon"})
	_, err := h.engine.Start(context.Background(), h.actor("system"), "collection", id, stored)
	assert.ErrorIs(t, err, ErrStep)
	ins, err := h.engine.Instances(context.Background(), h.tenant, id)
	require.NoError(t, err)
	assert.Empty(t, ins, "a failed start leaves nothing behind")
}

func TestTimerAfterADuration(t *testing.T) {
	h := newHarness(t)
	def := `{"key":"cool_off","form":"loan_application","name":{"en":"Cooling-off"},
	"nodes":[{"id":"s","type":"start"},{"id":"wait","type":"timer","after":"1d12h"},{"id":"e","type":"end","outcome":"approved"}],
	"edges":[{"from":"s","to":"wait"},{"from":"wait","to":"e"}]}`
	h.defs.publish(mustCompile(t, loanForm(t), []byte(def)))
	id, rec := h.records.put(t, h.tenant, "loan_application", loanRecord(1000))
	in, err := h.engine.Start(context.Background(), h.actor("clerk"), "cool_off", id, rec)
	require.NoError(t, err)
	h.clock.Advance(36*time.Hour - time.Second)
	assert.Zero(t, h.poll().Fired)
	h.clock.Advance(time.Second)
	assert.Equal(t, 1, h.poll().Fired)
	assert.Equal(t, OutcomeApproved, h.instance(in.ID).Outcome)
}
