package lending

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// PenaltyPolicy configures penalty interest (罚息) on overdue principal. The zero
// value charges none, the default.
type PenaltyPolicy struct {
	// AnnualRate is the yearly penalty rate on overdue principal (often the contract
	// rate plus 50%, e.g. 0.18 for a 12% loan). Zero: no penalty.
	AnnualRate Rate
	// DayBasis is the days in a year for the daily penalty rate: 360 (also when
	// zero) or 365.
	DayBasis int
}

func (p PenaltyPolicy) basis() int64 {
	if p.DayBasis == 0 {
		return 360
	}
	return int64(p.DayBasis)
}

func (p PenaltyPolicy) validate() error {
	if _, err := rateOf(p.AnnualRate.d, p.AnnualRate.d.String()); err != nil {
		return fmt.Errorf("penalty: %w", err)
	}
	if p.DayBasis != 0 && p.DayBasis != 360 && p.DayBasis != 365 {
		return fmt.Errorf("penalty day basis %d, want 360 or 365: %w", p.DayBasis, ErrInvalidRate)
	}
	return nil
}

// LoanOpts configures a loan's postings.
type LoanOpts struct {
	// Penalty is the penalty interest policy; the zero value charges none.
	Penalty PenaltyPolicy
}

// Line is one instalment of a loan with what has been paid on it.
type Line struct {
	Period      int  // 1-based
	DueDate     Date // when it falls due
	PeriodStart Date // start of the period it charges interest for
	// Principal and Interest are owed: the schedule's parts, changed only by an early
	// payoff (interest cut to what accrued, later interest waived).
	Principal, Interest Money
	// PrincipalPaid and InterestPaid are what postings allocated to it.
	PrincipalPaid, InterestPaid Money
	// Penalty is penalty interest accrued on its overdue principal; PenaltyPaid is
	// what postings allocated to it.
	Penalty, PenaltyPaid Money
	// SettledOn is the day its principal and interest were paid in full; zero while
	// any is owed. A line owing nothing is settled on its due date.
	SettledOn Date
}

// PrincipalDue is principal still owed on the line.
func (l Line) PrincipalDue() Money { return l.Principal.minus(l.PrincipalPaid) }

// InterestDue is interest still owed on the line.
func (l Line) InterestDue() Money { return l.Interest.minus(l.InterestPaid) }

// PenaltyDue is penalty interest still owed on the line.
func (l Line) PenaltyDue() Money { return l.Penalty.minus(l.PenaltyPaid) }

// Settled reports principal and interest paid in full. Unpaid penalty alone does not
// keep a line unsettled: it is collected, but it does not make a loan past due.
func (l Line) Settled() bool { return !l.SettledOn.IsZero() }

// unpaidOn reports the line still owing principal or interest at the end of day.
func (l Line) unpaidOn(day Date) bool { return l.SettledOn.IsZero() || l.SettledOn.After(day) }

// Loan is the repayment state of one loan: its instalments with what was paid on each,
// a credit balance from overpayments, and whether it is closed. It is a value the
// caller stores (MarshalJSON/UnmarshalJSON); every operation returns a new Loan and
// leaves the receiver unchanged, so a failed operation changes nothing.
//
// # Posting waterfall
//
// A payment (plus any credit balance) is allocated to instalments that are due on the
// posting day (due date on or before it), in three passes, each oldest instalment
// first: (1) penalty interest, (2) interest, (3) principal. All due interest is thus
// cleared before any principal, as Chinese lenders collect overdue loans (先息后本).
// Nothing is applied to instalments not yet due: what remains is kept as a credit
// balance and reported; ApplyCredit (or the next posting) uses it once more falls due.
// Prepaying future instalments is Payoff's job.
//
// # Penalty interest
//
// With a PenaltyPolicy, each instalment's unpaid principal accrues penalty for every
// day after its due date: principal · rate · days / DayBasis, accrued at each posting
// for the days since the previous one and rounded half-up then.
type Loan struct {
	cur            Currency
	penalty        PenaltyPolicy
	lines          []Line
	credit         Money
	accruedThrough Date // penalty accrued for every day up to and including this one
	lastPosted     Date
	closedOn       Date
}

// NewLoan starts the repayment state of a loan from its schedule. The schedule is
// checked (a schedule edited by hand must still be consistent).
func NewLoan(s Schedule, opts LoanOpts) (Loan, error) {
	c := s.Currency()
	if err := requireAmount(s.Terms.Principal, Currency{}, true, "new loan"); err != nil {
		return Loan{}, err
	}
	if err := opts.Penalty.validate(); err != nil {
		return Loan{}, fmt.Errorf("new loan: %w", err)
	}
	if len(s.Instalments) == 0 {
		return Loan{}, fmt.Errorf("new loan: no instalments: %w", ErrInvalidSchedule)
	}
	start := s.Terms.Start
	if start.IsZero() {
		start = s.Instalments[0].DueDate.AddMonths(-1)
	}
	lines := make([]Line, len(s.Instalments))
	sum := Zero(c)
	for i, in := range s.Instalments {
		bad := func(what string) error {
			return fmt.Errorf("new loan: instalment %d: %s: %w", i+1, what, ErrInvalidSchedule)
		}
		switch {
		case in.Period != i+1:
			return Loan{}, bad(fmt.Sprintf("period %d", in.Period))
		case in.DueDate.IsZero() || !start.Before(in.DueDate):
			return Loan{}, bad("due date not after the previous one")
		case in.Principal.cur != c || in.Interest.cur != c:
			return Loan{}, bad("currency")
		case in.Principal.IsNegative() || in.Interest.IsNegative():
			return Loan{}, bad("negative part")
		}
		lines[i] = Line{
			Period: in.Period, DueDate: in.DueDate, PeriodStart: start,
			Principal: in.Principal, Interest: in.Interest,
			PrincipalPaid: Zero(c), InterestPaid: Zero(c), Penalty: Zero(c), PenaltyPaid: Zero(c),
		}
		if in.Principal.IsZero() && in.Interest.IsZero() {
			lines[i].SettledOn = in.DueDate
		}
		sum = sum.plus(in.Principal)
		start = in.DueDate
	}
	if !sum.Equal(s.Terms.Principal) {
		return Loan{}, fmt.Errorf("new loan: principal parts sum to %s, principal is %s: %w", sum, s.Terms.Principal, ErrInvalidSchedule)
	}
	return Loan{cur: c, penalty: opts.Penalty, lines: lines, credit: Zero(c)}, nil
}

// Currency is the loan's currency.
func (l Loan) Currency() Currency { return l.cur }

// Lines is a copy of the instalments and what was paid on each.
func (l Loan) Lines() []Line { return append([]Line(nil), l.lines...) }

// Credit is the credit balance: overpayments not yet applied.
func (l Loan) Credit() Money { return l.credit }

// ClosedOn is the day the loan was paid off; zero while open.
func (l Loan) ClosedOn() Date { return l.closedOn }

// Closed reports a paid-off loan.
func (l Loan) Closed() bool { return !l.closedOn.IsZero() }

// LastPosted is the day of the latest posting; zero before the first.
func (l Loan) LastPosted() Date { return l.lastPosted }

// OutstandingPrincipal is principal not yet repaid, due or not.
func (l Loan) OutstandingPrincipal() Money {
	sum := Zero(l.cur)
	for _, ln := range l.lines {
		sum = sum.plus(ln.PrincipalDue())
	}
	return sum
}

func (l Loan) clone() Loan {
	l.lines = append([]Line(nil), l.lines...)
	return l
}

// Component names what part of an instalment an allocation paid.
type Component string

// Components, in waterfall order.
const (
	ComponentPenalty   Component = "penalty"
	ComponentInterest  Component = "interest"
	ComponentPrincipal Component = "principal"
)

// Allocation is one amount applied to one part of one instalment.
type Allocation struct {
	Period    int
	Component Component
	Amount    Money
}

// Posting is the result of a posting: where the money went and the new state.
type Posting struct {
	Loan        Loan         // the state after the posting; store it
	Day         Date         // posting day
	Received    Money        // amount paid in
	Allocations []Allocation // in waterfall order
	Penalty     Money        // total allocated to penalty
	Interest    Money        // total allocated to interest
	Principal   Money        // total allocated to principal (restore a credit limit by this)
	CreditUsed  Money        // credit balance consumed
	Overpayment Money        // part of the payment kept as credit
	Credit      Money        // credit balance after the posting (refund it when Closed)
	Closed      bool         // the loan is paid off by this posting
}

// checkDay refuses postings on a closed loan, undated or dated before the last one.
func (l Loan) checkDay(day Date, op string) error {
	switch {
	case l.Closed():
		return fmt.Errorf("%s on %s: closed on %s: %w", op, day, l.closedOn, ErrLoanClosed)
	case day.IsZero():
		return fmt.Errorf("%s: no date: %w", op, ErrInvalidDate)
	case day.Before(l.lastPosted):
		return fmt.Errorf("%s on %s: last posting %s: %w", op, day, l.lastPosted, ErrBackdated)
	}
	return nil
}

// Post applies a payment received on day by the waterfall (see Loan). Any part not
// needed for what is due is kept as credit. Paying the last instalment closes the loan.
func (l Loan) Post(day Date, amount Money) (Posting, error) {
	if err := requireAmount(amount, l.cur, true, "post payment"); err != nil {
		return Posting{}, err
	}
	if err := l.checkDay(day, "post payment"); err != nil {
		return Posting{}, err
	}
	return l.post(day, amount), nil
}

// ApplyCredit applies the credit balance to what is due on day, by the same
// waterfall; call it when instalments fall due on a loan holding credit.
func (l Loan) ApplyCredit(day Date) (Posting, error) {
	if err := l.checkDay(day, "apply credit"); err != nil {
		return Posting{}, err
	}
	return l.post(day, Zero(l.cur)), nil
}

func (l Loan) post(day Date, amount Money) Posting {
	n := l.clone()
	n.accrue(day)
	p := Posting{Day: day, Received: amount}
	funds := amount.plus(n.credit)
	p.Allocations, funds = n.allocate(funds, day)
	n.credit = funds
	n.lastPosted = day
	if n.allSettled() {
		n.closedOn = day
	}
	p.finish(l, n)
	return p
}

// finish fills the totals from the allocations and the credit movement.
func (p *Posting) finish(before, after Loan) {
	c := after.cur
	p.Penalty, p.Interest, p.Principal = Zero(c), Zero(c), Zero(c)
	for _, a := range p.Allocations {
		switch a.Component {
		case ComponentPenalty:
			p.Penalty = p.Penalty.plus(a.Amount)
		case ComponentInterest:
			p.Interest = p.Interest.plus(a.Amount)
		case ComponentPrincipal:
			p.Principal = p.Principal.plus(a.Amount)
		}
	}
	delta := after.credit.minus(before.credit)
	p.CreditUsed, p.Overpayment = Zero(c), Zero(c)
	if delta.IsNegative() {
		p.CreditUsed = before.credit.minus(after.credit)
	} else {
		p.Overpayment = delta
	}
	p.Credit = after.credit
	p.Closed = after.Closed()
	p.Loan = after
}

// accrue adds penalty interest for the days after each due date up to day.
func (l *Loan) accrue(day Date) {
	if l.penalty.AnnualRate.IsZero() {
		return
	}
	basis := decimal.NewFromInt(l.penalty.basis())
	for i := range l.lines {
		ln := &l.lines[i]
		owed := ln.PrincipalDue()
		if !ln.DueDate.Before(day) || !owed.IsPositive() {
			continue
		}
		from := laterDate(ln.DueDate, l.accruedThrough)
		days := from.DaysUntil(day)
		if days <= 0 {
			continue
		}
		amt := owed.amt.Mul(l.penalty.AnnualRate.d).Mul(decimal.NewFromInt(int64(days))).DivRound(basis, l.cur.minor)
		ln.Penalty = ln.Penalty.plus(Money{amt: amt, cur: l.cur})
	}
	l.accruedThrough = laterDate(l.accruedThrough, day)
}

// allocate runs the waterfall over lines due on day and returns what is left.
func (l *Loan) allocate(funds Money, day Date) ([]Allocation, Money) {
	var out []Allocation
	for _, comp := range []Component{ComponentPenalty, ComponentInterest, ComponentPrincipal} {
		for i := range l.lines {
			ln := &l.lines[i]
			if !funds.IsPositive() || ln.DueDate.After(day) {
				break
			}
			var owed Money
			switch comp {
			case ComponentPenalty:
				owed = ln.PenaltyDue()
			case ComponentInterest:
				owed = ln.InterestDue()
			default:
				owed = ln.PrincipalDue()
			}
			pay := minMoney(owed, funds)
			if !pay.IsPositive() {
				continue
			}
			switch comp {
			case ComponentPenalty:
				ln.PenaltyPaid = ln.PenaltyPaid.plus(pay)
			case ComponentInterest:
				ln.InterestPaid = ln.InterestPaid.plus(pay)
			default:
				ln.PrincipalPaid = ln.PrincipalPaid.plus(pay)
			}
			funds = funds.minus(pay)
			out = append(out, Allocation{Period: ln.Period, Component: comp, Amount: pay})
		}
	}
	for i := range l.lines {
		ln := &l.lines[i]
		if ln.SettledOn.IsZero() && !ln.DueDate.After(day) && ln.PrincipalDue().IsZero() && ln.InterestDue().IsZero() {
			ln.SettledOn = day
		}
	}
	return out, funds
}

func (l Loan) allSettled() bool {
	for _, ln := range l.lines {
		if !ln.Settled() {
			return false
		}
	}
	return true
}

// Due is what a loan owes on a day for instalments already due.
type Due struct {
	Day       Date
	Penalty   Money // penalty interest accrued to Day and unpaid
	Interest  Money // unpaid interest of due instalments
	Principal Money // unpaid principal of due instalments
	Total     Money // Penalty + Interest + Principal
	Credit    Money // credit balance that ApplyCredit would use
	Net       Money // Total less Credit, not below 0: the payment that brings the loan current
}

// AmountDue is what is owed on day for instalments due by then (penalty accrued to
// day); paying Net on day brings the loan current (a "full" payment).
func (l Loan) AmountDue(day Date) (Due, error) {
	if err := l.checkDay(day, "amount due"); err != nil {
		return Due{}, err
	}
	n := l.clone()
	n.accrue(day)
	c := l.cur
	d := Due{Day: day, Penalty: Zero(c), Interest: Zero(c), Principal: Zero(c), Credit: n.credit}
	for _, ln := range n.lines {
		if ln.DueDate.After(day) {
			break
		}
		d.Penalty = d.Penalty.plus(ln.PenaltyDue())
		d.Interest = d.Interest.plus(ln.InterestDue())
		d.Principal = d.Principal.plus(ln.PrincipalDue())
	}
	d.Total = d.Penalty.plus(d.Interest).plus(d.Principal)
	d.Net = Zero(c)
	if d.Credit.less(d.Total) {
		d.Net = d.Total.minus(d.Credit)
	}
	return d, nil
}

// Quote is what paying a loan off on a day costs.
//
// Early payoff convention: everything due (penalty accrued to the day, interest,
// principal), plus all principal not yet due, plus interest accrued in the current
// period: that period's scheduled interest times the days elapsed since the period
// started over the days in the period, rounded half-up. Interest of later periods is
// not charged. There is no prepayment fee; a flow adds one if a product has it.
type Quote struct {
	Day       Date
	Penalty   Money // penalty accrued to Day and unpaid
	Interest  Money // unpaid interest of due instalments plus Accrued
	Accrued   Money // interest accrued in the current period (part of Interest)
	Principal Money // all unpaid principal
	Total     Money // Penalty + Interest + Principal
	Credit    Money // credit balance, counted towards Total
	Net       Money // Total less Credit, not below 0: the payment needed
}

// PayoffQuote is what paying the loan off on day costs; see Quote for the convention.
func (l Loan) PayoffQuote(day Date) (Quote, error) {
	if err := l.checkDay(day, "payoff quote"); err != nil {
		return Quote{}, err
	}
	n := l.clone()
	n.accrue(day)
	return n.quote(day), nil
}

// quote prices a payoff on an already accrued loan.
func (l Loan) quote(day Date) Quote {
	c := l.cur
	q := Quote{Day: day, Penalty: Zero(c), Interest: Zero(c), Principal: Zero(c), Credit: l.credit}
	q.Accrued = Zero(c)
	for _, ln := range l.lines {
		q.Penalty = q.Penalty.plus(ln.PenaltyDue())
		q.Principal = q.Principal.plus(ln.PrincipalDue())
		if !ln.DueDate.After(day) {
			q.Interest = q.Interest.plus(ln.InterestDue())
		} else if !ln.PeriodStart.After(day) {
			q.Accrued = accruedInterest(ln, day)
		}
	}
	q.Interest = q.Interest.plus(q.Accrued)
	q.Total = q.Penalty.plus(q.Interest).plus(q.Principal)
	q.Net = Zero(c)
	if q.Credit.less(q.Total) {
		q.Net = q.Total.minus(q.Credit)
	}
	return q
}

// accruedInterest is the current period's interest pro rata to the days elapsed,
// less interest already paid on it, never below 0.
func accruedInterest(ln Line, day Date) Money {
	elapsed := ln.PeriodStart.DaysUntil(day)
	length := ln.PeriodStart.DaysUntil(ln.DueDate)
	amt := ln.Interest.amt.Mul(decimal.NewFromInt(int64(elapsed))).DivRound(decimal.NewFromInt(int64(length)), ln.Interest.cur.minor)
	acc := Money{amt: amt, cur: ln.Interest.cur}.minus(ln.InterestPaid)
	if acc.IsNegative() {
		return Zero(ln.Interest.cur)
	}
	return acc
}

// Payoff pays the loan off on day with amount plus the credit balance, which must
// cover the quote (else a *PayoffError and nothing changes). What exceeds the quote is
// kept as credit, to be refunded. The current period's interest becomes what accrued;
// later periods' interest is waived.
func (l Loan) Payoff(day Date, amount Money) (Posting, error) {
	if err := requireAmount(amount, l.cur, false, "payoff"); err != nil {
		return Posting{}, err
	}
	if err := l.checkDay(day, "payoff"); err != nil {
		return Posting{}, err
	}
	n := l.clone()
	n.accrue(day)
	q := n.quote(day)
	funds := amount.plus(n.credit)
	if funds.less(q.Total) {
		return Posting{}, &PayoffError{Paid: funds, Quote: q}
	}
	p := Posting{Day: day, Received: amount}
	// Reprice instalments not yet due: the current one charges what accrued, later
	// ones nothing; then everything is due on day and the waterfall clears it.
	for i := range n.lines {
		ln := &n.lines[i]
		if !ln.DueDate.After(day) {
			continue
		}
		if !ln.PeriodStart.After(day) {
			ln.Interest = ln.InterestPaid.plus(accruedInterest(*ln, day))
		} else {
			ln.Interest = ln.InterestPaid
		}
	}
	var left Money
	p.Allocations, left = n.allocateAll(funds, day)
	n.credit = left
	n.lastPosted = day
	n.closedOn = day
	p.finish(l, n)
	return p, nil
}

// allocateAll runs the waterfall as if every instalment were due on day.
func (l *Loan) allocateAll(funds Money, day Date) ([]Allocation, Money) {
	due := make([]Date, len(l.lines))
	for i := range l.lines {
		due[i] = l.lines[i].DueDate
		if l.lines[i].DueDate.After(day) {
			l.lines[i].DueDate = day
		}
	}
	out, left := l.allocate(funds, day)
	for i := range l.lines {
		l.lines[i].DueDate = due[i]
	}
	return out, left
}

// DaysPastDue is the number of days the oldest instalment unpaid at the end of day has
// been past its due date on day; 0 when none is (the loan is current). An instalment
// is past due from the day after its due date; it counts as paid from the day its
// principal and interest were paid in full (penalty alone does not count). Because
// settlement days are recorded, asking about an earlier day answers as of that day.
func (l Loan) DaysPastDue(day Date) int {
	for _, ln := range l.lines {
		if !ln.DueDate.Before(day) {
			break
		}
		if ln.unpaidOn(day) {
			return ln.DueDate.DaysUntil(day)
		}
	}
	return 0
}

// Bucket is the delinquency bucket on day; see BucketFor.
func (l Loan) Bucket(day Date) Bucket { return BucketFor(l.DaysPastDue(day)) }

// DefaultFPDDays is the first-payment-default threshold when none is given.
const DefaultFPDDays = 30

// FirstPaymentDefault reports first-payment default as of day: by day, the first
// instalment has been more than days past due (FPD30 by default: days ≤ 0 means
// DefaultFPDDays), that is, it was still unpaid at the end of its due date + days + 1
// and day is not earlier than that. Like DaysPastDue, a payment on a day counts for
// that day. It stays true once true, even after the instalment is paid late.
func (l Loan) FirstPaymentDefault(day Date, days int) bool {
	if days <= 0 {
		days = DefaultFPDDays
	}
	if len(l.lines) == 0 {
		return false
	}
	first := l.lines[0]
	// The first day on which DaysPastDue can exceed days.
	breach := first.DueDate.AddDays(days + 1)
	if day.Before(breach) {
		return false
	}
	return first.unpaidOn(breach)
}
