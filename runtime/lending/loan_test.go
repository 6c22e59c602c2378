package lending

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newEqualPrincipalLoan is 12,000 CNY at 12% over 12 months, equal principal, first
// due 2024-02-15: 1,000.00 principal a month plus 120.00, 110.00, 100.00, … interest.
func newEqualPrincipalLoan(t testing.TB, opts LoanOpts) Loan {
	t.Helper()
	return newTestLoan(t, newTestSchedule(t, "12000", "0.12", 12, "2024-02-15", EqualPrincipal), opts)
}

func post(t testing.TB, l Loan, d, amount string) Posting {
	t.Helper()
	p, err := l.Post(day(t, d), cny(t, amount))
	require.NoError(t, err)
	return p
}

func alloc(t testing.TB, period int, c Component, amount string) Allocation {
	return Allocation{Period: period, Component: c, Amount: cny(t, amount)}
}

func TestPostingWaterfall(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{})

	// Two instalments overdue; 300 pays both interests first, then the oldest principal.
	p := post(t, loan, "2024-03-20", "300")
	assert.Equal(t, []Allocation{
		alloc(t, 1, ComponentInterest, "120"),
		alloc(t, 2, ComponentInterest, "110"),
		alloc(t, 1, ComponentPrincipal, "70"),
	}, p.Allocations)
	assert.Equal(t, "230.00", p.Interest.String())
	assert.Equal(t, "70.00", p.Principal.String())
	assert.True(t, p.Overpayment.IsZero())
	assert.Equal(t, 34, p.Loan.DaysPastDue(day(t, "2024-03-20")))
	assert.Equal(t, BucketM2, p.Loan.Bucket(day(t, "2024-03-20")))
	assert.Equal(t, 0, loan.DaysPastDue(day(t, "2024-02-15")), "receiver unchanged and current on due date")

	// 2000 clears both principals; the 70 left over is kept as credit, not applied to
	// the instalment not yet due.
	p = post(t, p.Loan, "2024-03-25", "2000")
	assert.Equal(t, []Allocation{
		alloc(t, 1, ComponentPrincipal, "930"),
		alloc(t, 2, ComponentPrincipal, "1000"),
	}, p.Allocations)
	assert.Equal(t, "70.00", p.Overpayment.String())
	assert.Equal(t, "70.00", p.Credit.String())
	l := p.Loan
	assert.Equal(t, 0, l.DaysPastDue(day(t, "2024-03-25")))
	assert.Equal(t, 34, l.DaysPastDue(day(t, "2024-03-20")), "as of an earlier day")
	assert.Equal(t, "2024-03-25", l.Lines()[0].SettledOn.String())
	assert.Equal(t, "10000.00", l.OutstandingPrincipal().String())

	// On the next due date the credit pays what it can.
	p, err := l.ApplyCredit(day(t, "2024-04-15"))
	require.NoError(t, err)
	assert.Equal(t, []Allocation{alloc(t, 3, ComponentInterest, "70")}, p.Allocations)
	assert.Equal(t, "70.00", p.CreditUsed.String())
	assert.True(t, p.Credit.IsZero())
	l = p.Loan
	assert.Equal(t, 1, l.DaysPastDue(day(t, "2024-04-16")))
	assert.Equal(t, BucketM1, l.Bucket(day(t, "2024-04-16")))

	// A full payment of what is due brings the loan current.
	due, err := l.AmountDue(day(t, "2024-04-16"))
	require.NoError(t, err)
	assert.Equal(t, "30.00", due.Interest.String())
	assert.Equal(t, "1000.00", due.Principal.String())
	assert.Equal(t, "1030.00", due.Net.String())
	p, err = l.Post(day(t, "2024-04-16"), due.Net)
	require.NoError(t, err)
	assert.True(t, p.Overpayment.IsZero())
	assert.Equal(t, 0, p.Loan.DaysPastDue(day(t, "2024-04-16")))
	assert.Equal(t, 0, p.Loan.DaysPastDue(day(t, "2024-05-15")))
	assert.Equal(t, 1, p.Loan.DaysPastDue(day(t, "2024-05-16")))
	assert.False(t, p.Closed)
}

func TestEarlyPayoff(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{})
	loan = post(t, loan, "2024-02-15", "1120").Loan
	loan = post(t, loan, "2024-03-15", "1110").Loan

	// Period 3 runs 2024-03-15 → 2024-04-15 (31 days) with interest 100.00; on
	// 2024-03-31 16 days have elapsed: 100 × 16/31 = 51.6129… → 51.61.
	d := day(t, "2024-03-31")
	q, err := loan.PayoffQuote(d)
	require.NoError(t, err)
	assert.Equal(t, "51.61", q.Accrued.String())
	assert.Equal(t, "51.61", q.Interest.String())
	assert.Equal(t, "10000.00", q.Principal.String())
	assert.Equal(t, "10051.61", q.Total.String())
	assert.Equal(t, "10051.61", q.Net.String())

	_, err = loan.Payoff(d, cny(t, "10000"))
	var pe *PayoffError
	require.ErrorAs(t, err, &pe)
	require.ErrorIs(t, err, ErrInsufficientPayoff)
	assert.Equal(t, "10051.61", pe.Quote.Total.String())
	assert.False(t, loan.Closed(), "a refused payoff changes nothing")

	p, err := loan.Payoff(d, cny(t, "10100"))
	require.NoError(t, err)
	assert.True(t, p.Closed)
	assert.Equal(t, "48.39", p.Credit.String(), "excess kept as credit to refund")
	assert.Equal(t, "51.61", p.Interest.String())
	assert.Equal(t, "10000.00", p.Principal.String())
	assert.Equal(t, alloc(t, 3, ComponentInterest, "51.61"), p.Allocations[0])
	lines := p.Loan.Lines()
	assert.Equal(t, "51.61", lines[2].Interest.String())
	for _, ln := range lines[3:] {
		assert.True(t, ln.Interest.IsZero(), "later interest waived")
		assert.True(t, ln.PrincipalDue().IsZero())
	}
	assert.True(t, p.Loan.OutstandingPrincipal().IsZero())
	assert.Equal(t, 0, p.Loan.DaysPastDue(day(t, "2025-06-01")))
	_, err = p.Loan.Post(day(t, "2024-04-01"), cny(t, "1"))
	require.ErrorIs(t, err, ErrLoanClosed)

	// Payoff on a due date: that instalment is due, nothing accrues for the next.
	q, err = loan.PayoffQuote(day(t, "2024-04-15"))
	require.NoError(t, err)
	assert.True(t, q.Accrued.IsZero())
	assert.Equal(t, "10100.00", q.Total.String())
}

func TestPenaltyInterest(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{Penalty: PenaltyPolicy{AnnualRate: rate(t, "0.18")}})
	// 10 days late on 1,000.00 principal at 18%/360: 5.00.
	due, err := loan.AmountDue(day(t, "2024-02-25"))
	require.NoError(t, err)
	assert.Equal(t, "5.00", due.Penalty.String())
	assert.Equal(t, "1125.00", due.Total.String())

	p := post(t, loan, "2024-02-25", "50")
	assert.Equal(t, []Allocation{
		alloc(t, 1, ComponentPenalty, "5"),
		alloc(t, 1, ComponentInterest, "45"),
	}, p.Allocations)
	// 10 more days on the same principal: another 5.00, not charged twice for the
	// first ten.
	due, err = p.Loan.AmountDue(day(t, "2024-03-06"))
	require.NoError(t, err)
	assert.Equal(t, "5.00", due.Penalty.String())
	p = post(t, p.Loan, "2024-03-06", "580")
	// principal now 1000 − 500 = 500 owed; 9 days to 2024-03-15 at 18%/360: 2.25
	assert.Equal(t, "500.00", p.Principal.String())
	due, err = p.Loan.AmountDue(day(t, "2024-03-15"))
	require.NoError(t, err)
	assert.Equal(t, "2.25", due.Penalty.String())

	l365 := newEqualPrincipalLoan(t, LoanOpts{Penalty: PenaltyPolicy{AnnualRate: rate(t, "0.365"), DayBasis: 365}})
	due, err = l365.AmountDue(day(t, "2024-02-16"))
	require.NoError(t, err)
	assert.Equal(t, "1.00", due.Penalty.String())

	_, err = NewLoan(newTestSchedule(t, "100", "0.1", 2, "2024-02-15", EqualPrincipal), LoanOpts{Penalty: PenaltyPolicy{AnnualRate: rate(t, "0.1"), DayBasis: 364}})
	require.ErrorIs(t, err, ErrInvalidRate)
}

func TestPostingRefusesBadInput(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{})
	usd, err := CurrencyByCode("USD")
	require.NoError(t, err)
	dollar, err := ParseMoney("10", usd)
	require.NoError(t, err)
	later := post(t, loan, "2024-03-01", "10").Loan

	cases := []struct {
		name string
		run  func() error
		err  error
	}{
		{"negative", func() error { _, err := loan.Post(day(t, "2024-03-01"), cny(t, "-1")); return err }, ErrNegativeAmount},
		{"zero", func() error { _, err := loan.Post(day(t, "2024-03-01"), Zero(CNY)); return err }, ErrZeroAmount},
		{"no currency", func() error { _, err := loan.Post(day(t, "2024-03-01"), Money{}); return err }, ErrInvalidCurrency},
		{"other currency", func() error { _, err := loan.Post(day(t, "2024-03-01"), dollar); return err }, ErrCurrencyMismatch},
		{"no date", func() error { _, err := loan.Post(Date{}, cny(t, "1")); return err }, ErrInvalidDate},
		{"backdated", func() error { _, err := later.Post(day(t, "2024-02-28"), cny(t, "1")); return err }, ErrBackdated},
		{"backdated quote", func() error { _, err := later.PayoffQuote(day(t, "2024-02-28")); return err }, ErrBackdated},
		{"negative payoff", func() error { _, err := loan.Payoff(day(t, "2024-03-01"), cny(t, "-1")); return err }, ErrNegativeAmount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, tc.run(), tc.err)
		})
	}
	_, err = NewLoan(Schedule{}, LoanOpts{})
	require.Error(t, err)
	s := newTestSchedule(t, "100", "0.1", 3, "2024-02-15", EqualPrincipal)
	s.Instalments[1].Principal = cny(t, "40")
	_, err = NewLoan(s, LoanOpts{})
	require.ErrorIs(t, err, ErrInvalidSchedule)
}

func TestLastInstalmentClosesLoan(t *testing.T) {
	s := newTestSchedule(t, "1000", "0.12", 2, "2024-02-15", EqualInstalment)
	loan := newTestLoan(t, s, LoanOpts{})
	p := post(t, loan, "2024-02-15", s.Instalments[0].Payment.String())
	assert.False(t, p.Closed)
	p = post(t, p.Loan, "2024-03-15", s.Instalments[1].Payment.String()+"0")
	assert.True(t, p.Closed)
	assert.Equal(t, "2024-03-15", p.Loan.ClosedOn().String())
	assert.True(t, p.Credit.IsZero())
}

func TestDelinquencyBuckets(t *testing.T) {
	cases := []struct {
		dpd  int
		want Bucket
	}{
		{-5, BucketCurrent}, {0, BucketCurrent}, {1, BucketM1}, {30, BucketM1}, {31, BucketM2},
		{60, BucketM2}, {61, BucketM3}, {90, BucketM3}, {91, BucketM3Plus}, {1000, BucketM3Plus},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.dpd), func(t *testing.T) {
			assert.Equal(t, tc.want, BucketFor(tc.dpd))
		})
	}
	loan := newEqualPrincipalLoan(t, LoanOpts{})
	for d, want := range map[string]int{
		"2024-01-01": 0, "2024-02-15": 0, "2024-02-16": 1, "2024-03-16": 30, "2024-03-17": 31, "2024-05-15": 90, "2024-05-16": 91,
	} {
		assert.Equal(t, want, loan.DaysPastDue(day(t, d)), d)
	}
	assert.Equal(t, BucketM3Plus, loan.Bucket(day(t, "2024-05-16")))
}

func TestFirstPaymentDefault(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{}) // first due 2024-02-15
	// More than 30 days past due first on 2024-03-17 (DPD 31).
	assert.False(t, loan.FirstPaymentDefault(day(t, "2024-03-16"), 30))
	assert.True(t, loan.FirstPaymentDefault(day(t, "2024-03-17"), 30))
	assert.True(t, loan.FirstPaymentDefault(day(t, "2024-03-17"), 0), "0 means the default, 30")
	assert.False(t, loan.FirstPaymentDefault(day(t, "2024-03-17"), 60))
	assert.True(t, loan.FirstPaymentDefault(day(t, "2024-04-16"), 60))

	cases := []struct {
		paidOn string
		want   bool
	}{
		{"2024-02-15", false}, {"2024-03-16", false}, {"2024-03-17", false}, {"2024-03-18", true},
	}
	for _, tc := range cases {
		t.Run(tc.paidOn, func(t *testing.T) {
			due, err := loan.AmountDue(day(t, tc.paidOn))
			require.NoError(t, err)
			paid := post(t, loan, tc.paidOn, due.Net.String()).Loan
			require.True(t, paid.Lines()[0].Settled())
			assert.Equal(t, tc.want, paid.FirstPaymentDefault(day(t, "2024-06-01"), 30))
		})
	}
	// Partly paid is still unpaid.
	part := post(t, loan, "2024-02-15", "1000").Loan
	assert.True(t, part.FirstPaymentDefault(day(t, "2024-06-01"), 30))
}

func TestLoanJSONRoundTrip(t *testing.T) {
	loan := newEqualPrincipalLoan(t, LoanOpts{Penalty: PenaltyPolicy{AnnualRate: rate(t, "0.18"), DayBasis: 365}})
	loan = post(t, loan, "2024-03-20", "300").Loan
	loan = post(t, loan, "2024-03-25", "5000").Loan
	b, err := json.Marshal(loan)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"credit":`)
	var back Loan
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, loan.Lines(), back.Lines())
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	// The decoded loan behaves as the original.
	p1 := post(t, loan, "2024-05-20", "777")
	p2 := post(t, back, "2024-05-20", "777")
	assert.Equal(t, p1.Allocations, p2.Allocations)

	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	m["lines"].([]any)[0].(map[string]any)["principal_paid"] = 5000
	bad, err := json.Marshal(m)
	require.NoError(t, err)
	require.ErrorIs(t, json.Unmarshal(bad, &back), ErrInvalidLoan)
	require.Error(t, json.Unmarshal([]byte(`{"currency":"CNY","minor_units":2,"credit":0,"lines":[]}`), &back))
	require.Error(t, json.Unmarshal([]byte(`[]`), &back))
}

// TestPostingConservesMoney posts random payments on random days to random loans and
// checks that nothing is created or lost: every posting allocates exactly what came in
// plus the credit it used, nothing is paid beyond what is owed, and the credit balance
// never goes negative.
func TestPostingConservesMoney(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	methods := []Method{EqualInstalment, EqualPrincipal, InterestOnly}
	for i := 0; i < 60; i++ {
		n := 1 + rng.IntN(24)
		s := newTestSchedule(t, fmt.Sprintf("%d.%02d", 100+rng.IntN(100000), rng.IntN(100)),
			fmt.Sprintf("0.%03d", rng.IntN(300)), n, "2024-01-31", methods[i%3])
		opts := LoanOpts{}
		if i%2 == 0 {
			opts.Penalty.AnnualRate = rate(t, "0.18")
		}
		loan := newTestLoan(t, s, opts)
		d := day(t, "2024-01-15")
		for step := 0; step < 40 && !loan.Closed(); step++ {
			d = d.AddDays(rng.IntN(40))
			amt := cny(t, fmt.Sprintf("%d.%02d", rng.IntN(5000), rng.IntN(100)))
			var p Posting
			var err error
			switch {
			case step == 39 || rng.IntN(15) == 0:
				q, qerr := loan.PayoffQuote(d)
				require.NoError(t, qerr)
				p, err = loan.Payoff(d, q.Net)
				require.NoError(t, err)
				require.True(t, p.Closed)
				require.True(t, p.Credit.Equal(q.Credit.minus(minMoney(q.Credit, q.Total))))
			case amt.IsZero():
				p, err = loan.ApplyCredit(d)
			default:
				p, err = loan.Post(d, amt)
			}
			require.NoError(t, err)
			allocated := Zero(CNY)
			for _, a := range p.Allocations {
				require.True(t, a.Amount.IsPositive())
				allocated = allocated.plus(a.Amount)
			}
			require.True(t, allocated.Equal(p.Penalty.plus(p.Interest).plus(p.Principal)))
			require.True(t, p.Received.plus(loan.Credit()).Equal(allocated.plus(p.Credit)),
				"received %s + credit %s != allocated %s + credit %s", p.Received, loan.Credit(), allocated, p.Credit)
			require.False(t, p.Credit.IsNegative())
			for _, ln := range p.Loan.Lines() {
				require.False(t, ln.PrincipalDue().IsNegative())
				require.False(t, ln.InterestDue().IsNegative())
				require.False(t, ln.PenaltyDue().IsNegative())
			}
			loan = p.Loan
		}
		require.True(t, loan.Closed())
		require.True(t, loan.OutstandingPrincipal().IsZero())
	}
}
