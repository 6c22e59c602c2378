package flow

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func TestRecordRunsOneInstanceOfAFlowAtATime(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.decider.score["grade"] = "D"
	in, recID := h.startLoan(50000)
	require.Equal(t, StatusCompleted, in.Status, "grade D ends the flow at once")
	_, err := h.scope().Collection(RunningCollection).Get(ctx, runningKey("loan_approval", recID))
	require.ErrorIs(t, err, store.ErrNotFound, "an ended instance frees its record")

	// Started again once the first ended, the record runs a second instance; while that
	// one waits for its review, a third start is refused.
	rec := h.records.get(t, h.tenant, "loan_application", recID)
	rec["credit_score"] = decidedLoanRecord(0)["credit_score"] // re-scored: grade B
	again, err := h.engine.Start(ctx, h.actor("clerk"), "loan_approval", recID, rec)
	require.NoError(t, err)
	assert.NotEqual(t, in.ID, again.ID)
	assert.Equal(t, StatusRunning, again.Status)
	_, err = h.engine.Start(ctx, h.actor("clerk"), "loan_approval", recID, rec)
	require.ErrorIs(t, err, ErrAlreadyRunning)
	all, err := h.engine.Instances(ctx, h.tenant, recID)
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestStaleRunningMarkIsTakenOver(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
	recID, rec := h.records.put(t, h.tenant, "loan_application", decidedLoanRecord(1000))
	// A mark whose instance is gone (a restore of part of the data, a manual repair).
	require.NoError(t, h.scope().Collection(RunningCollection).Insert(ctx, &store.Doc{ID: runningKey("loan_approval", recID),
		Data: map[string]any{"flow": "loan_approval", "record_id": recID, "instance": store.NewID()}}))
	in, err := h.engine.Start(ctx, h.actor("clerk"), "loan_approval", recID, rec)
	require.NoError(t, err)
	mark, err := h.scope().Collection(RunningCollection).Get(ctx, runningKey("loan_approval", recID))
	require.NoError(t, err)
	assert.Equal(t, in.ID, mark.Data["instance"])
}

func TestRunningKeyOfLongRecordIDs(t *testing.T) {
	long := string(make([]byte, 250))
	k := runningKey("loan_approval", long)
	assert.LessOrEqual(t, len(k), 200)
	assert.NotEqual(t, k, runningKey("loan_approval", long+"x"))
	assert.Equal(t, "loan_approval/r1", runningKey("loan_approval", "r1"))
}

// The state Start returns without reading it back is the state it stored, on both
// paths: decisions kept in the start's transaction, and decisions applied after it.
func TestStartReturnsTheStoredState(t *testing.T) {
	for name, record := range map[string]func(float64) map[string]any{"decided": decidedLoanRecord, "calls": loanRecord} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
			id, rec := h.records.put(t, h.tenant, "loan_application", record(1000))
			in, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, rec)
			require.NoError(t, err)
			assert.Equal(t, h.instance(in.ID), in)
			assert.Equal(t, "credit_review", in.Positions[0].Node)
		})
	}
}

// The calls a start parks are made with the record the start had in hand, not read
// again: the only read is the resuming transaction's, which must see the record as it
// is then.
func TestCallsUseTheRecordInHand(t *testing.T) {
	h := newHarness(t)
	h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
	id, rec := h.records.put(t, h.tenant, "loan_application", loanRecord(1000))
	in, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, rec)
	require.NoError(t, err)
	require.Equal(t, "credit_review", in.Positions[0].Node)
	assert.Equal(t, int64(1), h.records.reads.Load())
	for _, kind := range []string{DoScore, DoFraud} {
		assert.Equal(t, "张三", h.decider.seen[kind]["applicant_name"], kind)
	}
	h.decider.seen[DoScore]["amount"] = -1
	assert.NotEqual(t, -1, rec["amount"], "each call got its own copy")
}

func TestConcurrentStartsOnOneRecordStartOneInstance(t *testing.T) {
	h := newHarness(t)
	h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
	id, rec := h.records.put(t, h.tenant, "loan_application", decidedLoanRecord(1000))
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, rec)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	started := 0
	for err := range errs {
		if err == nil {
			started++
			continue
		}
		assert.ErrorIs(t, err, ErrAlreadyRunning)
	}
	assert.Equal(t, 1, started)
	all, err := h.engine.Instances(context.Background(), h.tenant, id)
	require.NoError(t, err)
	assert.Len(t, all, 1)
}
