package main

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/lending"
)

// outcome is where one simulated application ended up.
type outcome string

const (
	outPending       outcome = "decisions_pending" // no plugin bound: score or fraud check pending
	outRuleRejected  outcome = "rejected_by_rules" // score below 400 or a blacklist hit
	outGateRejected  outcome = "rejected_at_gate"  // grade D or fraud reject, at the flow's risk gate
	outInReview      outcome = "in_review"         // applied too recently to be decided by as-of
	outReviewReject  outcome = "rejected_in_review"
	outLimitReject   outcome = "rejected_in_limit_approval"
	outAwaitContract outcome = "approved_awaiting_disbursement" // disbursement falls after as-of
	outCancelled     outcome = "cancelled_at_disbursement"
	outDisbursed     outcome = "disbursed"
	outStuck         outcome = "stuck" // a task did not appear or an action failed
)

// simLoan is one simulated application and, once disbursed, its loan.
type simLoan struct {
	seq       int
	r         *rand.Rand // the loan's own stream: its story does not depend on scheduling
	data      map[string]any
	appliedOn lending.Date

	id                       string
	score                    int
	grade                    string
	pd                       float64
	suggested                float64
	fraud                    string
	blacklisted, pendingDecs bool

	outcome     outcome
	reviewer    *simUser
	approved    float64 // approved limit: the loan's principal
	decidedOn   lending.Date
	disbursedOn lending.Date
	problem     string // why the loan is stuck

	perf       *performance // set by servicing
	accountID  string
	caseOpened bool
}

// readDecisions reads the plugins' verdicts from the created record.
func (l *simLoan) readDecisions(rec *form.Record) {
	l.id = rec.ID
	score, _ := rec.Data["credit_score"].(map[string]any)
	fraud, _ := rec.Data["fraud_check"].(map[string]any)
	if score["status"] != form.DecisionDone || fraud["status"] != form.DecisionDone {
		l.pendingDecs = true
	}
	l.score = int(numberOf(score["score"]))
	l.grade, _ = score["grade"].(string)
	l.pd = numberOf(score["probability_of_default"])
	if s, ok := score["suggested_limit"].(string); ok {
		l.suggested, _ = strconv.ParseFloat(s, 64)
	} else {
		l.suggested = numberOf(score["suggested_limit"])
	}
	l.fraud, _ = fraud["decision"].(string)
	hits, _ := fraud["hits"].([]any)
	for _, h := range hits {
		if hm, ok := h.(map[string]any); ok {
			if rule, _ := hm["rule"].(string); strings.HasPrefix(rule, "blacklist.") {
				l.blacklisted = true
			}
		}
	}
}

// automatic is what the starter rules and the risk gate make of the application
// without anyone: "" when it goes on to a credit review. It mirrors
// schemas/templates/lending (rules/loan_application.json, flows/loan_approval.json).
func (l *simLoan) automatic() outcome {
	switch {
	case l.pendingDecs:
		return outPending
	case l.score < 400 || l.blacklisted:
		return outRuleRejected
	case l.grade == "D" || l.fraud == "reject":
		return outGateRejected
	}
	return ""
}

// approveOdds is how likely a credit reviewer approves an application of a grade:
// S and A mostly, C and D mostly not; a fraud "review" verdict halves it.
func (l *simLoan) approveOdds() float64 {
	odds := map[string]float64{"S": 0.97, "A": 0.9, "B": 0.72, "C": 0.3, "D": 0.05}[l.grade]
	if l.fraud == "review" {
		odds /= 2
	}
	if l.suggested < minAmount {
		odds = 0
	}
	return odds
}

// approvedLimit is what the reviewer grants: at most the amount asked and the plugin's
// suggested limit, trimmed for weaker grades, in whole thousands.
func (l *simLoan) approvedLimit() float64 {
	amount := numberOf(l.data["amount"])
	limit := min(amount, l.suggested)
	if l.grade == "B" || l.grade == "C" {
		limit *= 0.7 + 0.3*l.r.Float64()
	}
	limit = float64(int(limit/1000)) * 1000
	return max(limit, 1000)
}

// annualRate prices the loan by grade, with a little spread.
func (l *simLoan) annualRate() string {
	base := map[string]float64{"S": 0.072, "A": 0.096, "B": 0.132, "C": 0.18, "D": 0.24}[l.grade]
	if base == 0 {
		base = 0.15
	}
	return strconv.FormatFloat(base+float64(l.r.IntN(21)-10)/1000, 'f', 4, 64)
}

// defaultOdds is the chance the borrower stops paying: a share of the plugin's
// probability of default when it gave one (the reference scorecard is trained on data
// with a 30% bad rate, far above a consumer book's), else a figure for the grade.
func (l *simLoan) defaultOdds() float64 {
	if l.pd > 0 {
		return clamp(l.pd*0.35, 0.005, 0.4)
	}
	return map[string]float64{"S": 0.01, "A": 0.03, "B": 0.07, "C": 0.15}[l.grade] + 0.02
}

// daysLater is a date 1..n days after d, never after asOf.
func daysLater(r *rand.Rand, d lending.Date, n int, asOf lending.Date) (lending.Date, bool) {
	next := d.AddDays(1 + r.IntN(n))
	return next, !next.After(asOf)
}
