package flow

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loanRecord is a loan application as stored, before any decision.
func loanRecord(amount float64) map[string]any {
	return map[string]any{"applicant_name": "张三", "amount": amount, "term_months": 12, "product": "personal_consumer",
		"monthly_income": 20000, "other_income": 0, "monthly_debt": 3000}
}

// startLoan publishes the loan approval flow and starts it on a new record.
func (h *harness) startLoan(amount float64) (*Instance, string) {
	h.t.Helper()
	if _, err := h.defs.Latest(context.Background(), h.tenant, "loan_approval"); err != nil {
		h.defs.publish(mustCompile(h.t, loanForm(h.t), readTestdata(h.t, "loan_approval.json")))
	}
	id, rec := h.records.put(h.t, h.tenant, "loan_application", loanRecord(amount))
	in, err := h.engine.Start(context.Background(), h.actor("clerk", "clerk"), "loan_approval", id, rec)
	require.NoError(h.t, err)
	return in, id
}

func (h *harness) act(user string, roles []string, task *Task, act Action) (*Task, error) {
	return h.engine.Act(context.Background(), h.actor(user, roles...), task.ID, act)
}

func TestLoanApprovalEndToEnd(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	in, recID := h.startLoan(300000)

	// Score and fraud ran in parallel after the start committed, the join let the
	// branch through once both arrived, and the gateway chose the review.
	assert.Equal(t, 1, h.decider.count(DoScore))
	assert.Equal(t, 1, h.decider.count(DoFraud))
	assert.Equal(t, StatusRunning, in.Status)
	require.Len(t, in.Positions, 1)
	assert.Equal(t, "credit_review", in.Positions[0].Node)
	rec := h.records.get(t, h.tenant, "loan_application", recID)
	assert.Equal(t, "B", rec["credit_score"].(map[string]any)["grade"])
	assert.Equal(t, "done", rec["fraud_check"].(map[string]any)["status"])

	// Or-sign: any reviewer; the first claims it, the other then may not act.
	review := h.openTasks(in.ID)["credit_review"]
	require.Len(t, review, 1)
	assert.Equal(t, []string{"role:reviewer"}, review[0].Audience)
	mine, err := h.engine.Inbox(ctx, h.actor("rv1", "reviewer"), InboxQuery{})
	require.NoError(t, err)
	require.Len(t, mine.Tasks, 1)
	claimed, err := h.act("rv1", []string{"reviewer"}, review[0], Action{Kind: ActClaim, Version: review[0].Version})
	require.NoError(t, err)
	assert.Equal(t, "rv1", claimed.Assignee)
	_, err = h.act("rv2", []string{"reviewer"}, claimed, Action{Kind: ActApprove})
	assert.ErrorIs(t, err, ErrForbidden)
	_, err = h.act("rv2", []string{"reviewer"}, claimed, Action{Kind: ActClaim})
	assert.ErrorIs(t, err, ErrConflict)
	_, err = h.act("rv1", []string{"reviewer"}, claimed, Action{Kind: ActApprove, Version: review[0].Version})
	assert.ErrorIs(t, err, ErrConflict, "stale version")

	// Field edits are limited to the node's editable fields.
	_, err = h.act("rv1", []string{"reviewer"}, claimed, Action{Kind: ActApprove, Fields: map[string]any{"monthly_income": 1}})
	var ae *ActError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/fields/monthly_income", ae.Problems[0].Path)
	assert.Equal(t, "not_editable", ae.Problems[0].Code)

	h.clock.Advance(2 * time.Hour)
	_, err = h.act("rv1", []string{"reviewer"}, claimed, Action{Kind: ActApprove, Comment: "收入稳定",
		Fields: map[string]any{"amount": 250000.0}, Version: claimed.Version})
	require.NoError(t, err)
	assert.Equal(t, "250000", fmt.Sprint(h.records.get(t, h.tenant, "loan_application", recID)["amount"]))

	// Amount above 200000: countersign of every approver.
	limit := h.openTasks(in.ID)["limit_approval"]
	require.Len(t, limit, 2)
	assert.ElementsMatch(t, []string{"ap1", "ap2"}, []string{limit[0].Assignee, limit[1].Assignee})
	_, err = h.act(limit[0].Assignee, []string{"approver"}, limit[0], Action{Kind: ActApprove})
	require.NoError(t, err)
	assert.Equal(t, "limit_approval", h.instance(in.ID).Positions[0].Node, "the other approver has yet to approve")
	_, err = h.act(limit[1].Assignee, []string{"approver"}, limit[1], Action{Kind: ActApprove})
	require.NoError(t, err)

	contract := h.openTasks(in.ID)["contract"]
	require.Len(t, contract, 1)
	_, err = h.act("lo1", []string{"loan_officer"}, contract[0], Action{Kind: ActApprove})
	require.ErrorAs(t, err, &ae, "a task is completed, not approved")
	_, err = h.act("lo1", []string{"loan_officer"}, contract[0], Action{Kind: ActComplete})
	require.NoError(t, err)
	disb := h.openTasks(in.ID)["disbursement"]
	require.Len(t, disb, 1)
	require.NotNil(t, disb[0].DueAt)
	_, err = h.act("fin1", []string{"finance"}, disb[0], Action{Kind: ActComplete})
	require.NoError(t, err)

	done := h.instance(in.ID)
	assert.Equal(t, StatusCompleted, done.Status)
	assert.Equal(t, OutcomeApproved, done.Outcome)
	assert.Empty(t, done.Positions)

	hist, err := h.engine.History(ctx, h.tenant, recID)
	require.NoError(t, err)
	var reviewStep *Step
	var scoreStep *Step
	for i := range hist {
		s := &hist[i]
		if s.Node == "credit_review" && s.Action == ActApprove && s.Task != "" {
			reviewStep = s
		}
		if s.Node == "score" {
			scoreStep = s
		}
	}
	require.NotNil(t, reviewStep)
	assert.Equal(t, "rv1", reviewStep.Actor)
	assert.Equal(t, 2*time.Hour, reviewStep.Duration)
	assert.Equal(t, "收入稳定", reviewStep.Comment)
	assert.NotEmpty(t, reviewStep.NodeName["en"], "steps carry their node's name")
	require.NotNil(t, scoreStep)
	assert.Equal(t, "decided", scoreStep.Action)
	assert.Equal(t, "m7", scoreStep.Detail["model_version"], "decision lineage is kept")
	assert.Equal(t, "started", hist[0].Action)
	assert.Equal(t, "completed", hist[len(hist)-1].Action)

	ev := h.eventTypes()
	assert.Equal(t, 1, ev[EventStarted])
	assert.Equal(t, 1, ev[EventCompleted])
	assert.Equal(t, 5, ev[EventTaskCreated])
	assert.Equal(t, 5, ev[EventTaskCompleted])
	assert.Equal(t, ev[EventNodeEntered], ev[EventNodeLeft]+1, "every node entered was left but the end")
}

func TestGatewayRejectsGradeD(t *testing.T) {
	h := newHarness(t)
	h.decider.score["grade"] = "D"
	in, _ := h.startLoan(50000)
	assert.Equal(t, StatusCompleted, in.Status)
	assert.Equal(t, OutcomeRejected, in.Outcome)
	assert.Empty(t, h.openTasks(in.ID))
}

func TestSmallAmountSkipsLimitApproval(t *testing.T) {
	h := newHarness(t)
	in, id := h.startLoan(50000)
	review := h.openTasks(in.ID)["credit_review"][0]
	_, err := h.act("rv2", []string{"reviewer"}, review, Action{Kind: ActApprove})
	require.NoError(t, err, "a candidate may decide an unclaimed task")
	open := h.openTasks(in.ID)
	assert.Len(t, open["contract"], 1, "the gateway's default edge")
	assert.Empty(t, open["limit_approval"])
	rec := h.records.get(t, h.tenant, "loan_application", id)
	assert.Equal(t, "rv2", rec["approver"], "the review's stamp names who decided")
	assert.Equal(t, "2025-03-03", rec["decided_on"])
}

func TestDecisionAlreadyOnRecordIsKept(t *testing.T) {
	h := newHarness(t)
	h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
	rec := loanRecord(1000)
	rec["credit_score"] = map[string]any{"status": "done", "grade": "A", "model_version": "m6"}
	rec["fraud_check"] = map[string]any{"status": "done", "decision": "pass"}
	id, stored := h.records.put(t, h.tenant, "loan_application", rec)
	in, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, stored)
	require.NoError(t, err)
	assert.Zero(t, h.decider.count(DoScore)+h.decider.count(DoFraud), "the form's decisions at create are reused")
	assert.Equal(t, "credit_review", in.Positions[0].Node)
	_, err = h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, stored)
	assert.ErrorIs(t, err, ErrAlreadyRunning)
}

func TestCountersignOneRejectRejects(t *testing.T) {
	h := newHarness(t)
	in, _ := h.startLoan(300000)
	review := h.openTasks(in.ID)["credit_review"][0]
	_, err := h.act("rv1", []string{"reviewer"}, review, Action{Kind: ActApprove})
	require.NoError(t, err)
	limit := h.openTasks(in.ID)["limit_approval"]
	require.Len(t, limit, 2)
	_, err = h.act(limit[0].Assignee, nil, limit[0], Action{Kind: ActReject, Comment: "负债过高"})
	require.NoError(t, err)
	done := h.instance(in.ID)
	assert.Equal(t, OutcomeRejected, done.Outcome)
	assert.Empty(t, h.openTasks(in.ID))
	_, err = h.act(limit[1].Assignee, nil, limit[1], Action{Kind: ActApprove})
	assert.ErrorIs(t, err, ErrClosed, "the other approver's task was cancelled")
}

func TestReturnToEarlierNode(t *testing.T) {
	h := newHarness(t)
	in, recID := h.startLoan(300000)
	review := h.openTasks(in.ID)["credit_review"][0]
	_, err := h.act("rv1", []string{"reviewer"}, review, Action{Kind: ActApprove})
	require.NoError(t, err)
	limit := h.openTasks(in.ID)["limit_approval"]

	_, err = h.act(limit[0].Assignee, nil, limit[0], Action{Kind: ActReturn, To: "contract"})
	var ae *ActError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/to", ae.Problems[0].Path)
	assert.Equal(t, "not_passed", ae.Problems[0].Code)
	_, err = h.act(limit[0].Assignee, nil, limit[0], Action{Kind: ActReturn, To: "risk_gate"})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "not_human", ae.Problems[0].Code)

	_, err = h.act(limit[0].Assignee, nil, limit[0], Action{Kind: ActReturn, To: "credit_review", Comment: "请补充收入证明"})
	require.NoError(t, err)
	open := h.openTasks(in.ID)
	assert.Empty(t, open["limit_approval"], "the other countersign task is cancelled")
	require.Len(t, open["credit_review"], 1, "the review is open again")
	assert.Equal(t, "credit_review", h.instance(in.ID).Positions[0].Node)
	hist, err := h.engine.History(context.Background(), h.tenant, recID)
	require.NoError(t, err)
	var returned bool
	for _, s := range hist {
		returned = returned || (s.Action == ActReturn && s.Detail["to"] == "credit_review")
	}
	assert.True(t, returned)
}

func TestReassignAndDelegate(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	in, _ := h.startLoan(50000)
	review := h.openTasks(in.ID)["credit_review"][0]

	_, err := h.act("outsider", []string{"clerk"}, review, Action{Kind: ActReassign, To: "rv9"})
	assert.ErrorIs(t, err, ErrForbidden)
	_, err = h.act("rv1", []string{"reviewer"}, review, Action{Kind: ActDelegate, To: "role:reviewer"})
	var ae *ActError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/to", ae.Problems[0].Path)

	// A team lead reassigns to one reviewer; that reviewer delegates to a colleague.
	got, err := h.act("lead", []string{"team_lead"}, review, Action{Kind: ActReassign, To: "user:rv1"})
	require.NoError(t, err)
	assert.Equal(t, "rv1", got.Assignee)
	counts, err := h.engine.Counts(ctx, h.actor("rv1"))
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{Open: 1}, counts)
	got, err = h.act("rv1", nil, got, Action{Kind: ActDelegate, To: "rv7", Comment: "休假"})
	require.NoError(t, err)
	assert.Equal(t, "rv7", got.Assignee)
	assert.Equal(t, "rv1", got.Owner)
	_, err = h.act("rv1", []string{"reviewer"}, got, Action{Kind: ActApprove})
	assert.ErrorIs(t, err, ErrForbidden, "delegated away")
	got, err = h.act("rv7", nil, got, Action{Kind: ActComment, Comment: "已核实"})
	require.NoError(t, err)
	assert.Len(t, got.Comments, 2)
	_, err = h.act("rv7", nil, got, Action{Kind: ActApprove})
	require.NoError(t, err)
	assert.Len(t, h.openTasks(in.ID)["contract"], 1)

	team, err := h.engine.Inbox(ctx, h.actor("lo2", "loan_officer"), InboxQuery{Scope: ScopeTeam})
	require.NoError(t, err)
	assert.Len(t, team.Tasks, 1)
	_, err = h.engine.Inbox(ctx, h.actor("x"), InboxQuery{Scope: "everyone"})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "/scope", ae.Problems[0].Path)
}

func TestSLAEscalatesAndAutoRejects(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	in, _ := h.startLoan(300000)
	review := h.openTasks(in.ID)["credit_review"][0]

	h.clock.Advance(47 * time.Hour)
	assert.Zero(t, h.poll().Fired)
	overdue, err := h.engine.Inbox(ctx, h.actor("rv1", "reviewer"), InboxQuery{Overdue: true})
	require.NoError(t, err)
	assert.Empty(t, overdue.Tasks)

	h.clock.Advance(2 * time.Hour)
	assert.Equal(t, 1, h.poll().Fired)
	esc := h.openTasks(in.ID)["credit_review"][0]
	assert.Equal(t, review.ID, esc.ID)
	assert.True(t, esc.Escalated)
	assert.Equal(t, []string{"role:senior_reviewer"}, esc.Audience)
	counts, err := h.engine.Counts(ctx, h.actor("sr1", "senior_reviewer"))
	require.NoError(t, err)
	assert.Equal(t, TaskCounts{Open: 1, Overdue: 1}, counts)
	_, err = h.act("sr1", []string{"senior_reviewer"}, esc, Action{Kind: ActApprove})
	require.NoError(t, err)

	// The countersign's SLA decides for whoever has not.
	limit := h.openTasks(in.ID)["limit_approval"]
	require.Len(t, limit, 2)
	_, err = h.act(limit[0].Assignee, nil, limit[0], Action{Kind: ActApprove})
	require.NoError(t, err)
	h.clock.Advance(3*24*time.Hour + time.Minute)
	assert.Equal(t, 1, h.poll().Fired, "the approved task's SLA timer was cancelled")
	done := h.instance(in.ID)
	assert.Equal(t, OutcomeRejected, done.Outcome)
}

func TestParallelHumanBranchesJoin(t *testing.T) {
	h := newHarness(t)
	def := `{"key":"dual","form":"loan_application","name":{"en":"Dual review"},
	"nodes":[{"id":"s","type":"start"},{"id":"split","type":"parallel"},
	 {"id":"risk","type":"task","candidates":[{"role":"risk"}]},
	 {"id":"legal","type":"task","candidates":[{"manager":true}]},
	 {"id":"both","type":"join"},{"id":"e","type":"end","outcome":"approved"}],
	"edges":[{"from":"s","to":"split"},{"from":"split","to":"risk"},{"from":"split","to":"legal"},
	 {"from":"risk","to":"both"},{"from":"legal","to":"both"},{"from":"both","to":"e"}]}`
	h.defs.publish(mustCompile(t, loanForm(t), []byte(def)))
	id, rec := h.records.put(t, h.tenant, "loan_application", loanRecord(1000))
	in, err := h.engine.Start(context.Background(), h.actor("clerk"), "dual", id, rec)
	require.NoError(t, err)
	require.Len(t, in.Positions, 2)
	open := h.openTasks(in.ID)
	assert.Equal(t, "boss", open["legal"][0].Assignee, "the starter's manager")
	_, err = h.act("boss", nil, open["legal"][0], Action{Kind: ActComplete})
	require.NoError(t, err)
	mid := h.instance(in.ID)
	assert.Equal(t, StatusRunning, mid.Status)
	assert.ElementsMatch(t, []string{"risk", "both"}, []string{mid.Positions[0].Node, mid.Positions[1].Node})
	_, err = h.act("r1", []string{"risk"}, open["risk"][0], Action{Kind: ActComplete})
	require.NoError(t, err)
	assert.Equal(t, StatusCompleted, h.instance(in.ID).Status)
}

func TestInstanceStaysOnItsVersion(t *testing.T) {
	h := newHarness(t)
	in, _ := h.startLoan(50000)
	assert.Equal(t, 1, in.Version)

	// v2 sends every approved review straight to the end.
	v2 := `{"key":"loan_approval","form":"loan_application","name":{"en":"v2"},
	"nodes":[{"id":"intake","type":"start"},{"id":"credit_review","type":"approval","candidates":[{"role":"reviewer"}]},
	 {"id":"approved","type":"end","outcome":"approved"},{"id":"rejected","type":"end","outcome":"rejected"}],
	"edges":[{"from":"intake","to":"credit_review"},{"from":"credit_review","to":"approved","decision":"approve"},
	 {"from":"credit_review","to":"rejected","decision":"reject"}]}`
	h.defs.publish(mustCompile(t, loanForm(t), []byte(v2)))

	review := h.openTasks(in.ID)["credit_review"][0]
	assert.Equal(t, 1, review.FlowVersion)
	_, err := h.act("rv1", []string{"reviewer"}, review, Action{Kind: ActApprove})
	require.NoError(t, err)
	assert.Len(t, h.openTasks(in.ID)["contract"], 1, "v1's route")

	id, rec := h.records.put(t, h.tenant, "loan_application", loanRecord(1000))
	in2, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, rec)
	require.NoError(t, err)
	assert.Equal(t, 2, in2.Version)
}

func TestFailedCallIsRetriedByItsTimer(t *testing.T) {
	h := newHarness(t)
	h.decider.setFail(errPluginDown)
	in, _ := h.startLoan(50000)
	assert.Equal(t, StatusRunning, in.Status, "a plugin outage does not fail the start")
	assert.Len(t, in.Positions, 2)
	for _, p := range in.Positions {
		assert.Equal(t, waitCall, p.Waiting)
	}

	h.decider.setFail(nil)
	h.clock.Advance(DefaultCallRetry)
	assert.Equal(t, 2, h.poll().Fired)
	assert.Len(t, h.openTasks(in.ID)["credit_review"], 1)
}

func TestStartFlowActionStartsASubFlow(t *testing.T) {
	h := newHarness(t)
	child := `{"key":"kyc","form":"loan_application","name":{"en":"KYC"},
	"nodes":[{"id":"s","type":"start"},{"id":"check","type":"task","candidates":[{"user":"kyc1"}]},{"id":"e","type":"end"}],
	"edges":[{"from":"s","to":"check"},{"from":"check","to":"e"}]}`
	parent := `{"key":"intake","form":"loan_application","name":{"en":"Intake"},
	"nodes":[{"id":"s","type":"start"},{"id":"kyc","type":"action","do":"start_flow","flow":"kyc"},
	 {"id":"tag","type":"action","do":"set_fields","exprs":{"position":"'amount ' + string(record.amount)"}},
	 {"id":"e","type":"end","outcome":"approved"}],
	"edges":[{"from":"s","to":"kyc"},{"from":"kyc","to":"tag"},{"from":"tag","to":"e"}]}`
	h.defs.publish(mustCompile(t, loanForm(t), []byte(child)))
	h.defs.publish(mustCompile(t, loanForm(t), []byte(parent)))
	id, rec := h.records.put(t, h.tenant, "loan_application", loanRecord(1000))
	in, err := h.engine.Start(context.Background(), h.actor("clerk"), "intake", id, rec)
	require.NoError(t, err)
	assert.Equal(t, StatusCompleted, in.Status, "start_flow does not wait for the sub-flow")
	assert.Equal(t, "amount 1000", h.records.get(t, h.tenant, "loan_application", id)["position"])

	all, err := h.engine.Instances(context.Background(), h.tenant, id)
	require.NoError(t, err)
	require.Len(t, all, 2)
	sub := all[0]
	if sub.Flow != "kyc" {
		sub = all[1]
	}
	require.NotNil(t, sub.Parent)
	assert.Equal(t, Parent{Instance: in.ID, Node: "kyc"}, *sub.Parent)
	assert.Equal(t, "check", sub.Positions[0].Node)
}

// TestStampOnlyOnListedDecisions: a stamp limited to approve writes nothing on a reject
// (a disbursement date is not written when finance refuses to disburse).
func TestStampOnlyOnListedDecisions(t *testing.T) {
	h := newHarness(t)
	spec := strings.Replace(string(readTestdata(t, "loan_approval.json")),
		`"stamp": {"decided_by": "approver", "decided_on": "decided_on"}`,
		`"stamp": {"decided_by": "approver", "decided_on": "decided_on", "on": ["approve"]}`, 1)
	require.Contains(t, spec, `"on": ["approve"]`)
	h.defs.publish(mustCompile(t, loanForm(t), []byte(spec)))
	in, id := h.startLoan(50000)
	review := h.openTasks(in.ID)["credit_review"][0]
	_, err := h.act("rv2", []string{"reviewer"}, review, Action{Kind: ActReject})
	require.NoError(t, err)
	rec := h.records.get(t, h.tenant, "loan_application", id)
	assert.NotContains(t, rec, "approver")
	assert.NotContains(t, rec, "decided_on")
}
