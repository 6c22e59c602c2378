package lending

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Method is how a loan is repaid.
type Method string

const (
	// EqualInstalment (等额本息) is an annuity: every instalment is the same amount,
	// interest first, the rest principal; the last instalment absorbs rounding so the
	// principal parts sum exactly to the principal.
	EqualInstalment Method = "equal_instalment"
	// EqualPrincipal (等额本金) repays the same principal every month (the principal
	// divided by the term, rounded; the last absorbs rounding) plus that month's
	// interest, so instalments fall over time.
	EqualPrincipal Method = "equal_principal"
	// InterestOnly (先息后本) charges interest every month and the whole principal as a
	// balloon with the last instalment.
	InterestOnly Method = "interest_only"
)

// MaxTermMonths bounds the term: 50 years is longer than any mortgage.
const MaxTermMonths = 600

var twelve = decimal.NewFromInt(12)

// Terms are what a schedule is computed from.
type Terms struct {
	// Principal is the amount lent; positive. Its currency is the loan's.
	Principal Money
	// AnnualRate is the annual nominal rate. The monthly rate is AnnualRate/12,
	// exactly (no daily accrual): each period is one month whatever its length.
	AnnualRate Rate
	// Months is the term, 1..MaxTermMonths; one instalment a month.
	Months int
	// FirstDue is the first instalment's due date; later ones follow monthly on the
	// same day of month (see MonthlyDueDate).
	FirstDue Date
	// Method is the repayment method.
	Method Method
	// Start is when interest starts (the disbursement date). It does not change the
	// schedule (the first period is charged as a full month); it dates the first
	// period for accrued interest on early payoff. Zero means one month before
	// FirstDue.
	Start Date
}

// Instalment is one row of a schedule.
type Instalment struct {
	Period    int   // 1-based
	DueDate   Date  // when it falls due
	Principal Money // principal part
	Interest  Money // interest part
	Payment   Money // Principal + Interest
	Remaining Money // principal still owed after this instalment is paid
}

// Schedule is a loan's repayment plan.
type Schedule struct {
	Terms       Terms
	Instalments []Instalment
}

// NewSchedule computes the repayment schedule of t.
//
// Interest of a period is the principal owed during it times AnnualRate/12, rounded
// half-up once from its exact value. For EqualInstalment the instalment amount is the
// annuity P·r·(1+r)^n / ((1+r)^n − 1) with r = AnnualRate/12, computed exactly (r is
// a/12, so the formula is a ratio of finite decimals) and rounded half-up; at rate 0
// it is P/n. If rounding makes an instalment's principal part exceed what is still
// owed (only for amounts of a few minor units), the part is cut to what is owed.
func NewSchedule(t Terms) (Schedule, error) {
	if err := t.validate(); err != nil {
		return Schedule{}, err
	}
	c := t.Principal.cur
	n := t.Months
	a := t.AnnualRate.d
	// interest is balance·a/12, rounded half-up exactly by DivRound.
	interest := func(balance Money) Money {
		return Money{amt: balance.amt.Mul(a).DivRound(twelve, c.minor), cur: c}
	}

	var level Money // the per-period amount: annuity, or principal part
	switch t.Method {
	case EqualInstalment:
		level = annuity(t.Principal, a, n)
	case EqualPrincipal:
		level = Money{amt: t.Principal.amt.DivRound(decimal.NewFromInt(int64(n)), c.minor), cur: c}
	}

	rows := make([]Instalment, n)
	balance := t.Principal
	for k := 1; k <= n; k++ {
		in := interest(balance)
		var pr Money
		switch {
		case k == n:
			pr = balance // the last absorbs all rounding
		case t.Method == EqualInstalment:
			pr = minMoney(level.minus(in), balance)
		case t.Method == EqualPrincipal:
			pr = minMoney(level, balance)
		default: // InterestOnly
			pr = Zero(c)
		}
		balance = balance.minus(pr)
		rows[k-1] = Instalment{
			Period:    k,
			DueDate:   MonthlyDueDate(t.FirstDue, k),
			Principal: pr,
			Interest:  in,
			Payment:   pr.plus(in),
			Remaining: balance,
		}
	}
	return Schedule{Terms: t, Instalments: rows}, nil
}

func (t Terms) validate() error {
	if err := requireAmount(t.Principal, Currency{}, true, "schedule principal"); err != nil {
		return err
	}
	if t.Principal.amt.Cmp(MaxAmount) >= 0 {
		return fmt.Errorf("schedule principal %s: %w", t.Principal, ErrInvalidAmount)
	}
	if _, err := rateOf(t.AnnualRate.d, t.AnnualRate.d.String()); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	if t.Months < 1 || t.Months > MaxTermMonths {
		return fmt.Errorf("schedule term %d months, want 1..%d: %w", t.Months, MaxTermMonths, ErrInvalidTerm)
	}
	if t.FirstDue.IsZero() {
		return fmt.Errorf("schedule: no first due date: %w", ErrInvalidDate)
	}
	if !t.Start.IsZero() && !t.Start.Before(t.FirstDue) {
		return fmt.Errorf("schedule: start %s not before first due date %s: %w", t.Start, t.FirstDue, ErrInvalidDate)
	}
	switch t.Method {
	case EqualInstalment, EqualPrincipal, InterestOnly:
	default:
		return fmt.Errorf("schedule method %q: %w", t.Method, ErrInvalidMethod)
	}
	return nil
}

// annuity is the level instalment, rounded half-up once from its exact value. With
// r = a/12: P·r·(1+r)^n/((1+r)^n−1) = P·a·(12+a)^n / (12·((12+a)^n − 12^n)), whose
// numerator and denominator are finite decimals computed exactly.
func annuity(p Money, a decimal.Decimal, n int) Money {
	c := p.cur
	if a.IsZero() {
		return Money{amt: p.amt.DivRound(decimal.NewFromInt(int64(n)), c.minor), cur: c}
	}
	g := powInt(twelve.Add(a), n)
	num := p.amt.Mul(a).Mul(g)
	den := twelve.Mul(g.Sub(powInt(twelve, n)))
	return Money{amt: num.DivRound(den, c.minor), cur: c}
}

// powInt is x^n for n ≥ 0 by squaring, exactly.
func powInt(x decimal.Decimal, n int) decimal.Decimal {
	r := decimal.NewFromInt(1)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r = r.Mul(x)
		}
		if n > 1 {
			x = x.Mul(x)
		}
	}
	return r
}

// QuotedInterest is the total interest a loan calculator or a disclosure quotes: for
// EqualInstalment n·A − P from the exact, unrounded annuity A, rounded once (100,000
// CNY at 12% over 12 months: 6,618.55). The rows charge interest on the principal
// actually owed after cent-rounded instalments, so TotalInterest, what the borrower
// pays, can differ from it by the instalment rounding (6,618.53 in that example: eleven
// instalments of 8,884.88 repay a little faster than the exact 8,884.8788…). For the
// other methods the principal owed each month is exact and both figures agree.
func (s Schedule) QuotedInterest() Money {
	t := s.Terms
	if t.Method != EqualInstalment || t.AnnualRate.IsZero() || len(s.Instalments) == 0 {
		return s.TotalInterest()
	}
	c, n, a, p := t.Principal.cur, t.Months, t.AnnualRate.d, t.Principal.amt
	// n·A − P = (n·P·a·G − 12·P·(G − 12^n)) / (12·(G − 12^n)), G = (12+a)^n
	g := powInt(twelve.Add(a), n)
	den := twelve.Mul(g.Sub(powInt(twelve, n)))
	num := decimal.NewFromInt(int64(n)).Mul(p).Mul(a).Mul(g).Sub(p.Mul(den))
	return Money{amt: num.DivRound(den, c.minor), cur: c}
}

// Currency is the schedule's currency.
func (s Schedule) Currency() Currency { return s.Terms.Principal.cur }

// TotalInterest is the sum of the interest parts.
func (s Schedule) TotalInterest() Money {
	sum := Zero(s.Currency())
	for _, in := range s.Instalments {
		sum = sum.plus(in.Interest)
	}
	return sum
}

// TotalPayment is the sum of all instalments.
func (s Schedule) TotalPayment() Money {
	sum := Zero(s.Currency())
	for _, in := range s.Instalments {
		sum = sum.plus(in.Payment)
	}
	return sum
}

// Row keys of Schedule.Rows, the columns of a schedule sub-table.
const (
	RowPeriod    = "period"
	RowDueDate   = "due_date"
	RowPrincipal = "principal"
	RowInterest  = "interest"
	RowPayment   = "payment"
	RowRemaining = "remaining_principal"
)

// Rows is the schedule as form sub-table rows, ready to store: numbers are
// json.Number (money with exactly the minor unit's decimals, period an integer) and
// dates "YYYY-MM-DD", the shapes a stored record decodes back into.
func (s Schedule) Rows() []map[string]any {
	rows := make([]map[string]any, len(s.Instalments))
	for i, in := range s.Instalments {
		rows[i] = map[string]any{
			RowPeriod:    json.Number(fmt.Sprint(in.Period)),
			RowDueDate:   in.DueDate.String(),
			RowPrincipal: in.Principal.Number(),
			RowInterest:  in.Interest.Number(),
			RowPayment:   in.Payment.Number(),
			RowRemaining: in.Remaining.Number(),
		}
	}
	return rows
}
