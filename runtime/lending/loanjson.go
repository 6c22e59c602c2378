package lending

import (
	"encoding/json"
	"fmt"
)

type loanWire struct {
	Currency        string      `json:"currency"`
	MinorUnits      int         `json:"minor_units"`
	PenaltyRate     json.Number `json:"penalty_rate"`
	PenaltyDayBasis int         `json:"penalty_day_basis,omitempty"`
	Credit          json.Number `json:"credit"`
	AccruedThrough  string      `json:"penalty_accrued_through,omitempty"`
	LastPosted      string      `json:"last_posted,omitempty"`
	ClosedOn        string      `json:"closed_on,omitempty"`
	Lines           []lineWire  `json:"lines"`
}

type lineWire struct {
	Period        int         `json:"period"`
	DueDate       string      `json:"due_date"`
	PeriodStart   string      `json:"period_start"`
	Principal     json.Number `json:"principal"`
	Interest      json.Number `json:"interest"`
	PrincipalPaid json.Number `json:"principal_paid"`
	InterestPaid  json.Number `json:"interest_paid"`
	Penalty       json.Number `json:"penalty"`
	PenaltyPaid   json.Number `json:"penalty_paid"`
	SettledOn     string      `json:"settled_on,omitempty"`
}

// MarshalJSON writes the loan state for storage: currency once, amounts as JSON
// numbers, dates as "YYYY-MM-DD".
func (l Loan) MarshalJSON() ([]byte, error) {
	if l.cur.IsZero() {
		return nil, fmt.Errorf("marshal loan: %w", ErrInvalidCurrency)
	}
	w := loanWire{
		Currency: l.cur.code, MinorUnits: int(l.cur.minor),
		PenaltyRate: l.penalty.AnnualRate.Number(), PenaltyDayBasis: l.penalty.DayBasis,
		Credit:         l.credit.Number(),
		AccruedThrough: l.accruedThrough.String(), LastPosted: l.lastPosted.String(), ClosedOn: l.closedOn.String(),
		Lines: make([]lineWire, len(l.lines)),
	}
	for i, ln := range l.lines {
		w.Lines[i] = lineWire{
			Period: ln.Period, DueDate: ln.DueDate.String(), PeriodStart: ln.PeriodStart.String(),
			Principal: ln.Principal.Number(), Interest: ln.Interest.Number(),
			PrincipalPaid: ln.PrincipalPaid.Number(), InterestPaid: ln.InterestPaid.Number(),
			Penalty: ln.Penalty.Number(), PenaltyPaid: ln.PenaltyPaid.Number(),
			SettledOn: ln.SettledOn.String(),
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes and checks that it is a consistent loan
// (consecutive periods, increasing dates, nothing paid beyond what is owed); a stored
// state edited into nonsense is ErrInvalidLoan, not a loan that misbehaves later.
func (l *Loan) UnmarshalJSON(b []byte) error {
	var w loanWire
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("decode loan: %w", err)
	}
	out, err := w.loan()
	if err != nil {
		return fmt.Errorf("decode loan: %w: %w", err, ErrInvalidLoan)
	}
	*l = out
	return nil
}

func optDate(s, field string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("%s: %w", field, err)
	}
	return d, nil
}

func (w loanWire) loan() (Loan, error) {
	cur, err := NewCurrency(w.Currency, w.MinorUnits)
	if err != nil {
		return Loan{}, err
	}
	l := Loan{cur: cur, penalty: PenaltyPolicy{DayBasis: w.PenaltyDayBasis}}
	if w.PenaltyRate != "" {
		if l.penalty.AnnualRate, err = ParseRate(string(w.PenaltyRate)); err != nil {
			return Loan{}, err
		}
	}
	if err := l.penalty.validate(); err != nil {
		return Loan{}, err
	}
	if l.credit, err = decodeAmount(w.Credit, cur, "credit"); err != nil {
		return Loan{}, err
	}
	if l.accruedThrough, err = optDate(w.AccruedThrough, "penalty_accrued_through"); err != nil {
		return Loan{}, err
	}
	if l.lastPosted, err = optDate(w.LastPosted, "last_posted"); err != nil {
		return Loan{}, err
	}
	if l.closedOn, err = optDate(w.ClosedOn, "closed_on"); err != nil {
		return Loan{}, err
	}
	if len(w.Lines) == 0 {
		return Loan{}, fmt.Errorf("no lines")
	}
	l.lines = make([]Line, len(w.Lines))
	var prevDue Date
	for i, lw := range w.Lines {
		ln, err := lw.line(cur)
		if err != nil {
			return Loan{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		switch {
		case ln.Period != i+1:
			return Loan{}, fmt.Errorf("line %d: period %d", i+1, ln.Period)
		case !ln.PeriodStart.Before(ln.DueDate) || (i > 0 && !ln.PeriodStart.Equal(prevDue)):
			return Loan{}, fmt.Errorf("line %d: period start %s", i+1, ln.PeriodStart)
		case ln.Principal.less(ln.PrincipalPaid) || ln.Interest.less(ln.InterestPaid) || ln.Penalty.less(ln.PenaltyPaid):
			return Loan{}, fmt.Errorf("line %d: paid more than owed", i+1)
		case ln.Settled() != (ln.PrincipalDue().IsZero() && ln.InterestDue().IsZero()):
			return Loan{}, fmt.Errorf("line %d: settled_on disagrees with amounts owed", i+1)
		}
		prevDue = ln.DueDate
		l.lines[i] = ln
	}
	if l.Closed() && !l.allSettled() {
		return Loan{}, fmt.Errorf("closed with instalments unpaid")
	}
	return l, nil
}

func (lw lineWire) line(cur Currency) (Line, error) {
	var ln Line
	var err error
	ln.Period = lw.Period
	if ln.DueDate, err = ParseDate(lw.DueDate); err != nil {
		return Line{}, fmt.Errorf("due_date: %w", err)
	}
	if ln.PeriodStart, err = ParseDate(lw.PeriodStart); err != nil {
		return Line{}, fmt.Errorf("period_start: %w", err)
	}
	if ln.SettledOn, err = optDate(lw.SettledOn, "settled_on"); err != nil {
		return Line{}, err
	}
	for _, f := range []struct {
		dst  *Money
		src  json.Number
		name string
	}{
		{&ln.Principal, lw.Principal, "principal"}, {&ln.Interest, lw.Interest, "interest"},
		{&ln.PrincipalPaid, lw.PrincipalPaid, "principal_paid"}, {&ln.InterestPaid, lw.InterestPaid, "interest_paid"},
		{&ln.Penalty, lw.Penalty, "penalty"}, {&ln.PenaltyPaid, lw.PenaltyPaid, "penalty_paid"},
	} {
		if *f.dst, err = decodeAmount(f.src, cur, f.name); err != nil {
			return Line{}, err
		}
	}
	return ln, nil
}
