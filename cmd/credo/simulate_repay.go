package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"github.com/credolabs/credo/runtime/lending"
)

// repaymentMethods maps the forms' repayment methods to runtime/lending's.
var repaymentMethods = map[string]lending.Method{
	"equal_installment": lending.EqualInstalment,
	"equal_principal":   lending.EqualPrincipal,
	"interest_first":    lending.InterestOnly,
}

// writeOffDPD is the days past due after which the simulated lender writes a loan off.
const writeOffDPD = 180

// behaviour is how a borrower repays.
type behaviour int

const (
	onTime      behaviour = iota
	lateAtTimes           // pays some instalments a few days late
	partial               // pays part on the due date, the rest later
	earlyPayoff           // pays the loan off early
	defaulter             // stops paying from one instalment (some cure later)
)

// performance is a loan's state as of the simulation day, as the account, the
// application and the collection case record it.
type performance struct {
	schedule lending.Schedule
	loan     lending.Loan
	dpd      int
	maxDPD   int
	bucket   lending.Bucket
	fpd      bool
	overdue  lending.Money // unpaid principal and interest of instalments past due
	status   string        // active, closed or written_off
	oldest   *lending.Line // oldest instalment past due and unpaid; nil when current
}

// newSchedule computes the repayment plan with runtime/lending: first instalment one
// month after disbursement.
func newSchedule(principal float64, rate string, months int, method string, disbursed lending.Date) (lending.Schedule, error) {
	m, ok := repaymentMethods[method]
	if !ok {
		return lending.Schedule{}, fmt.Errorf("repayment method %q has no schedule", method)
	}
	p, err := lending.ParseMoney(decimal.NewFromFloat(principal).StringFixed(2), lending.CNY)
	if err != nil {
		return lending.Schedule{}, err
	}
	r, err := lending.ParseRate(rate)
	if err != nil {
		return lending.Schedule{}, err
	}
	return lending.NewSchedule(lending.Terms{Principal: p, AnnualRate: r, Months: months,
		FirstDue: disbursed.AddMonths(1), Start: disbursed, Method: m})
}

// drawBehaviour picks how the borrower repays: defaulters by the risk of default, then a
// few early, partial and late payers; the rest pay on time.
func drawBehaviour(r *rand.Rand, defaultOdds float64) behaviour {
	u := r.Float64()
	switch {
	case u < defaultOdds:
		return defaulter
	case u < defaultOdds+0.05:
		return earlyPayoff
	case u < defaultOdds+0.13:
		return partial
	case u < defaultOdds+0.28:
		return lateAtTimes
	}
	return onTime
}

// repay plays the borrower's payments up to asOf through runtime/lending's posting and
// reports the loan's performance on asOf.
func repay(r *rand.Rand, s lending.Schedule, b behaviour, asOf lending.Date) (*performance, error) {
	loan, err := lending.NewLoan(s, lending.LoanOpts{})
	if err != nil {
		return nil, err
	}
	n := len(s.Instalments)
	stopAt := n + 1 // the defaulter's first unpaid instalment
	cureAfter := 0  // days after stopping that a curing defaulter pays the arrears
	payoffAfter := n + 1
	switch b {
	case defaulter:
		stopAt = 1 + r.IntN(n)
		if r.IntN(10) < 4 { // many defaults show on the first instalment (FPD)
			stopAt = 1
		}
		if r.IntN(4) == 0 {
			cureAfter = 10 + r.IntN(36)
		}
	case earlyPayoff:
		payoffAfter = 1 + r.IntN(max(1, n-1))
	}
	// pay posts what is due on day (a fraction of it for partial payers).
	pay := func(day lending.Date, frac float64) error {
		if day.Before(loan.LastPosted()) {
			day = loan.LastPosted()
		}
		due, err := loan.AmountDue(day)
		if err != nil || !due.Net.IsPositive() {
			return err
		}
		amount := due.Net
		if frac < 1 {
			amount = lending.RoundMoney(due.Net.Decimal().Mul(decimal.NewFromFloat(frac)), lending.CNY)
			if !amount.IsPositive() {
				return nil
			}
		}
		p, err := loan.Post(day, amount)
		if err != nil {
			return err
		}
		loan = p.Loan
		return nil
	}
	for k, in := range s.Instalments {
		period := k + 1
		due := in.DueDate
		if due.After(asOf) || loan.Closed() {
			break
		}
		switch {
		case period == payoffAfter:
			day := due.AddDays(1 + r.IntN(25))
			if day.After(asOf) {
				return measure(s, loan, asOf)
			}
			if err := pay(due, 1); err != nil {
				return nil, err
			}
			q, err := loan.PayoffQuote(day)
			if err != nil {
				return nil, err
			}
			p, err := loan.Payoff(day, q.Net)
			if err != nil {
				return nil, err
			}
			loan = p.Loan
		case period >= stopAt:
			if cureAfter == 0 || period > stopAt {
				continue
			}
			// A curing defaulter pays every arrear at once, then pays on time again.
			if cure := due.AddDays(cureAfter); !cure.After(asOf) {
				if err := pay(cure, 1); err != nil {
					return nil, err
				}
				stopAt = n + 1
			}
		case b == partial && r.IntN(3) == 0:
			if err := pay(due, 0.4+0.5*r.Float64()); err != nil {
				return nil, err
			}
			if rest := due.AddDays(5 + r.IntN(16)); !rest.After(asOf) {
				if err := pay(rest, 1); err != nil {
					return nil, err
				}
			}
		case b == lateAtTimes && r.IntN(4) == 0:
			if late := due.AddDays(1 + r.IntN(12)); !late.After(asOf) {
				if err := pay(late, 1); err != nil {
					return nil, err
				}
			}
		default:
			if err := pay(due, 1); err != nil {
				return nil, err
			}
		}
	}
	return measure(s, loan, asOf)
}

// measure reads DPD, bucket, FPD, the overdue amount and the highest DPD ever reached
// from the loan as of asOf.
func measure(s lending.Schedule, loan lending.Loan, asOf lending.Date) (*performance, error) {
	p := &performance{schedule: s, loan: loan, dpd: loan.DaysPastDue(asOf), bucket: loan.Bucket(asOf),
		fpd: loan.FirstPaymentDefault(asOf, lending.DefaultFPDDays), overdue: lending.Zero(lending.CNY)}
	p.maxDPD = p.dpd
	lines := loan.Lines()
	for i, ln := range lines {
		// DPD peaks the day before a late instalment is settled.
		if ln.Settled() && ln.SettledOn.After(ln.DueDate.AddDays(1)) && !ln.SettledOn.After(asOf) {
			p.maxDPD = max(p.maxDPD, loan.DaysPastDue(ln.SettledOn.AddDays(-1)))
		}
		if ln.DueDate.Before(asOf) && !ln.Settled() {
			owed, err := ln.PrincipalDue().Add(ln.InterestDue())
			if err != nil {
				return nil, err
			}
			if p.overdue, err = p.overdue.Add(owed); err != nil {
				return nil, err
			}
			if p.oldest == nil {
				p.oldest = &lines[i]
			}
		}
	}
	switch {
	case loan.Closed():
		p.status = "closed"
	case p.dpd > writeOffDPD:
		p.status = "written_off"
	default:
		p.status = "active"
	}
	return p, nil
}

// scheduleRows is the account's schedule sub-table: the plan with what was paid on each
// instalment and its state on asOf.
func (p *performance) scheduleRows(asOf lending.Date) []any {
	lines := p.loan.Lines()
	rows := make([]any, len(lines))
	for i, ln := range lines {
		in := p.schedule.Instalments[i]
		paid := ln.PrincipalPaid.Decimal().Add(ln.InterestPaid.Decimal())
		row := map[string]any{
			"period": ln.Period, "due_date": ln.DueDate.String(),
			"principal": in.Principal.Number(), "interest": in.Interest.Number(), "total": in.Payment.Number(),
			"paid": lending.RoundMoney(paid, lending.CNY).Number(),
		}
		switch {
		case ln.Settled():
			row["status"], row["paid_on"] = "paid", ln.SettledOn.String()
		case ln.DueDate.Before(asOf):
			row["status"] = "overdue"
		case paid.IsPositive():
			row["status"] = "partial"
		default:
			row["status"] = "due"
		}
		rows[i] = row
	}
	return rows
}
