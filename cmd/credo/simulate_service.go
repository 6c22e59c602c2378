package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/credolabs/credo/runtime/lending"
)

// service opens the loan account of a disbursed application (as the loan officer), plays
// the borrower's repayments up to as-of and writes the performance back on the account
// and on the application (as the reviewer who decided it).
func (s *simulation) service(ctx context.Context, l *simLoan) error {
	rate := l.annualRate()
	term := int(numberOf(l.data["term_months"]))
	method, _ := l.data["repayment_method"].(string)
	sch, err := newSchedule(l.approved, rate, term, method, l.disbursedOn)
	if err != nil {
		return fmt.Errorf("schedule of %s: %w", l.id, err)
	}
	perf, err := repay(l.r, sch, drawBehaviour(l.r, l.defaultOdds()), s.asOf)
	if err != nil {
		return fmt.Errorf("repayments of %s: %w", l.id, err)
	}
	l.perf = perf
	account := map[string]any{
		"application_id": l.id, "borrower_name": l.data["applicant_name"], "mobile_phone": l.data["mobile_phone"],
		"channel": l.data["channel"], "product": l.data["product"],
		"principal": sch.Terms.Principal.Number(), "annual_rate": json.Number(rate), "term_months": term, "repayment_method": method,
		"disbursed_on": l.disbursedOn.String(), "approved_by": l.reviewer.ID,
		"schedule": perf.scheduleRows(s.asOf),
	}
	for k, v := range perf.summary() {
		account[k] = v
	}
	rec, err := s.staff.officer.createRecord(ctx, formAccount, account)
	if err != nil {
		return fmt.Errorf("loan account of %s: %w", l.id, err)
	}
	l.accountID = rec.ID
	fields := l.decisionFields()
	fields["disbursed_on"] = l.disbursedOn.String()
	fields["dpd"], fields["max_dpd"], fields["fpd"] = perf.dpd, perf.maxDPD, perf.fpd
	fields["overdue_amount"], fields["delinquency_bucket"] = perf.overdue.Number(), string(perf.bucket)
	_, err = l.reviewer.patchRecord(ctx, formApplication, l.id, fields)
	return err
}

// summary is the performance as the loan account's fields.
func (p *performance) summary() map[string]any {
	return map[string]any{
		"outstanding_principal": p.loan.OutstandingPrincipal().Number(),
		"overdue_amount":        p.overdue.Number(),
		"dpd":                   p.dpd,
		"max_dpd":               p.maxDPD,
		"bucket":                string(p.bucket),
		"first_payment_default": p.fpd,
		"status":                p.status,
	}
}

// collectionStages maps a delinquency bucket to the collection stage and the collector
// who works it, as the collection flow hands cases on (M1 calls, the M2 team, legal).
var collectionStages = map[lending.Bucket]string{
	lending.BucketM1: "m1", lending.BucketM2: "m2", lending.BucketM3: "m3", lending.BucketM3Plus: "m3",
}

// openCase opens a collection case for a loan with an overdue instalment, assigned to
// the collector of its stage; the starter rule starts the collection flow on it.
func (s *simulation) openCase(ctx context.Context, l *simLoan) error {
	p := l.perf
	stage := collectionStages[p.bucket]
	c := map[string]any{
		"loan_id": l.accountID, "borrower_name": l.data["applicant_name"], "mobile_phone": l.data["mobile_phone"],
		"channel": l.data["channel"], "period": p.oldest.Period, "amount_due": p.overdue.Number(),
		"due_date": p.oldest.DueDate.String(), "dpd": p.dpd, "stage": stage,
		"assignee": s.staff.collectors[stage].ID,
	}
	if _, err := s.staff.admin.createRecord(ctx, formCase, c); err != nil {
		return fmt.Errorf("collection case of %s: %w", l.id, err)
	}
	l.caseOpened = true
	return nil
}
