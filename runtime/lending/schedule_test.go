package lending

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqualInstalmentReference(t *testing.T) {
	s := newTestSchedule(t, "100000", "0.12", 12, "2024-01-31", EqualInstalment)
	require.Len(t, s.Instalments, 12)

	// Figures computed here with math/big, not by the code under test.
	wantPayment := refAnnuity(t, "100000", "0.12", 12)
	wantQuoted := refQuotedInterest(t, "100000", "0.12", 12)
	wantInterest, wantLast := refAmortize(t, "100000", "0.12", wantPayment, 12)
	require.Equal(t, "8884.88", wantPayment)
	require.Equal(t, "6618.55", wantQuoted)
	// Interest charged on the balance actually owed: eleven instalments of 8,884.88
	// repay slightly faster than the exact annuity, so the borrower pays 2 fen less.
	require.Equal(t, "6618.53", wantInterest)
	require.Equal(t, "8884.85", wantLast)
	assert.Equal(t, wantQuoted, s.QuotedInterest().String())

	for _, in := range s.Instalments[:11] {
		assert.Equal(t, wantPayment, in.Payment.String(), "period %d", in.Period)
	}
	assert.Equal(t, wantLast, s.Instalments[11].Payment.String())
	assert.Equal(t, wantInterest, s.TotalInterest().String())
	assert.Equal(t, "106618.53", s.TotalPayment().String())
	assert.Equal(t, "1000.00", s.Instalments[0].Interest.String())
	assert.Equal(t, "7884.88", s.Instalments[0].Principal.String())
	assert.Equal(t, "92115.12", s.Instalments[0].Remaining.String())
	assert.Equal(t, "0.00", s.Instalments[11].Remaining.String())
	assert.Equal(t, "2024-02-29", s.Instalments[1].DueDate.String())
	assert.Equal(t, "2024-03-31", s.Instalments[2].DueDate.String())
}

func TestEqualInstalmentMatchesBigFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 200; i++ {
		p := fmt.Sprintf("%d.%02d", 1000+rng.IntN(5_000_000), rng.IntN(100))
		a := fmt.Sprintf("0.%04d", 1+rng.IntN(3600))
		n := 1 + rng.IntN(360)
		t.Run(fmt.Sprintf("%s@%s/%d", p, a, n), func(t *testing.T) {
			s := newTestSchedule(t, p, a, n, "2024-01-31", EqualInstalment)
			want := refAnnuity(t, p, a, n)
			wantInterest, wantLast := refAmortize(t, p, a, want, n)
			if n > 1 {
				assert.Equal(t, want, s.Instalments[0].Payment.String())
			}
			assert.Equal(t, wantLast, s.Instalments[n-1].Payment.String())
			assert.Equal(t, wantInterest, s.TotalInterest().String())
			assert.Equal(t, refQuotedInterest(t, p, a, n), s.QuotedInterest().String())
		})
	}
}

func TestLastInstalmentAbsorbsRounding(t *testing.T) {
	// 1000 at 10% over 7 months: the annuity 147.05 leaves the last instalment to
	// settle the cents rounding left over.
	s := newTestSchedule(t, "1000", "0.10", 7, "2024-03-15", EqualInstalment)
	want := refAnnuity(t, "1000", "0.10", 7)
	_, wantLast := refAmortize(t, "1000", "0.10", want, 7)
	for _, in := range s.Instalments[:6] {
		require.Equal(t, want, in.Payment.String())
	}
	last := s.Instalments[6]
	assert.Equal(t, wantLast, last.Payment.String())
	assert.NotEqual(t, want, wantLast, "case chosen so that rounding shows")
	assert.True(t, last.Principal.Equal(s.Instalments[5].Remaining))

	z := newTestSchedule(t, "100", "0", 3, "2024-03-15", EqualInstalment)
	assert.Equal(t, []string{"33.33", "33.33", "33.34"}, payments(z))
	assert.Equal(t, "0.00", z.TotalInterest().String())
}

func payments(s Schedule) []string {
	out := make([]string, len(s.Instalments))
	for i, in := range s.Instalments {
		out[i] = in.Payment.String()
	}
	return out
}

func TestEqualPrincipal(t *testing.T) {
	s := newTestSchedule(t, "120000", "0.12", 12, "2024-01-15", EqualPrincipal)
	for k, in := range s.Instalments {
		assert.Equal(t, "10000.00", in.Principal.String())
		// interest on (12-k)·10000 at 1% a month
		assert.Equal(t, fmt.Sprintf("%d.00", (12-k)*100), in.Interest.String())
	}
	assert.Equal(t, "7800.00", s.TotalInterest().String())

	odd := newTestSchedule(t, "1000", "0.06", 3, "2024-01-15", EqualPrincipal)
	assert.Equal(t, []string{"333.33", "333.33", "333.34"},
		[]string{odd.Instalments[0].Principal.String(), odd.Instalments[1].Principal.String(), odd.Instalments[2].Principal.String()})
	assert.Equal(t, "5.00", odd.Instalments[0].Interest.String())
	assert.Equal(t, "3.33", odd.Instalments[1].Interest.String()) // 666.67·0.005 = 3.333…
}

func TestInterestOnly(t *testing.T) {
	s := newTestSchedule(t, "100000", "0.12", 12, "2024-01-15", InterestOnly)
	for _, in := range s.Instalments[:11] {
		assert.Equal(t, "1000.00", in.Payment.String())
		assert.True(t, in.Principal.IsZero())
		assert.Equal(t, "100000.00", in.Remaining.String())
	}
	assert.Equal(t, "101000.00", s.Instalments[11].Payment.String())
	assert.Equal(t, "12000.00", s.TotalInterest().String())
}

// TestSchedulePrincipalSumsExactly checks, over many random loans of every method,
// the invariants a ledger relies on: principal parts sum to the principal exactly,
// no part is negative, remaining principal steps down to 0, each payment is its parts,
// each interest is the balance times annual/12 rounded half-up (recomputed with
// big.Rat), and level instalments are level except the last.
func TestSchedulePrincipalSumsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	methods := []Method{EqualInstalment, EqualPrincipal, InterestOnly}
	for i := 0; i < 600; i++ {
		var p string
		if i%5 == 0 { // tiny loans, where rounding dominates
			p = fmt.Sprintf("0.%02d", 1+rng.IntN(99))
		} else {
			p = fmt.Sprintf("%d.%02d", rng.IntN(10_000_000), rng.IntN(100))
		}
		a := fmt.Sprintf("0.%04d", rng.IntN(5000))
		n := 1 + rng.IntN(360)
		m := methods[i%3]
		if p == "0.00" {
			p = "0.01"
		}
		t.Run(fmt.Sprintf("%s/%s@%s/%d", m, p, a, n), func(t *testing.T) {
			s := newTestSchedule(t, p, a, n, "2024-01-31", m)
			require.Len(t, s.Instalments, n)
			r := ratOf(t, a)
			sum := Zero(CNY)
			prev := s.Terms.Principal
			for k, in := range s.Instalments {
				require.False(t, in.Principal.IsNegative(), "period %d", k+1)
				require.False(t, in.Interest.IsNegative(), "period %d", k+1)
				require.True(t, in.Payment.Equal(in.Principal.plus(in.Interest)))
				require.True(t, in.Remaining.Equal(prev.minus(in.Principal)))
				exact := new(big.Rat).Quo(new(big.Rat).Mul(ratOf(t, prev.String()), r), big.NewRat(12, 1))
				require.Equal(t, centsString(roundCents(exact)), in.Interest.String(), "period %d", k+1)
				// Level parts stay level until the last period (or until a tiny loan is
				// repaid early by rounding and the parts are cut to what is owed).
				if k < n-1 && !in.Remaining.IsZero() {
					switch m {
					case EqualInstalment:
						require.True(t, in.Payment.Equal(s.Instalments[0].Payment), "period %d", k+1)
					case EqualPrincipal:
						require.True(t, in.Principal.Equal(s.Instalments[0].Principal), "period %d", k+1)
					case InterestOnly:
						require.True(t, in.Principal.IsZero(), "period %d", k+1)
					}
				}
				sum = sum.plus(in.Principal)
				prev = in.Remaining
			}
			require.True(t, sum.Equal(s.Terms.Principal), "sum %s principal %s", sum, s.Terms.Principal)
			require.True(t, prev.IsZero())
		})
	}
}

func TestScheduleRows(t *testing.T) {
	s := newTestSchedule(t, "100000", "0.12", 12, "2024-01-31", EqualInstalment)
	rows := s.Rows()
	require.Len(t, rows, 12)
	assert.Equal(t, map[string]any{
		"period": json.Number("2"), "due_date": "2024-02-29",
		"principal": json.Number("7963.73"), "interest": json.Number("921.15"),
		"payment": json.Number("8884.88"), "remaining_principal": json.Number("84151.39"),
	}, rows[1])

	// Rows survive a store round trip (numbers decoded as json.Number) unchanged.
	b, err := json.Marshal(rows)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"payment":8884.88`)
	var back []map[string]any
	dec := json.NewDecoder(bytesReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&back))
	assert.Equal(t, rows, back)
}

func TestScheduleRejectsBadTerms(t *testing.T) {
	good := Terms{Principal: cny(t, "1000"), AnnualRate: rate(t, "0.1"), Months: 12, FirstDue: day(t, "2024-01-31"), Method: EqualInstalment}
	cases := []struct {
		name string
		edit func(*Terms)
		err  error
	}{
		{"zero term", func(x *Terms) { x.Months = 0 }, ErrInvalidTerm},
		{"negative term", func(x *Terms) { x.Months = -3 }, ErrInvalidTerm},
		{"too long", func(x *Terms) { x.Months = MaxTermMonths + 1 }, ErrInvalidTerm},
		{"negative principal", func(x *Terms) { x.Principal = cny(t, "-1") }, ErrNegativeAmount},
		{"zero principal", func(x *Terms) { x.Principal = Zero(CNY) }, ErrZeroAmount},
		{"no currency", func(x *Terms) { x.Principal = Money{} }, ErrInvalidCurrency},
		{"unknown method", func(x *Terms) { x.Method = "balloon" }, ErrInvalidMethod},
		{"no first due", func(x *Terms) { x.FirstDue = Date{} }, ErrInvalidDate},
		{"start after first due", func(x *Terms) { x.Start = day(t, "2024-02-01") }, ErrInvalidDate},
		{"negative rate", func(x *Terms) { x.AnnualRate = Rate{d: decimal.RequireFromString("-0.1")} }, ErrInvalidRate},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := good
			tc.edit(&terms)
			_, err := NewSchedule(terms)
			require.ErrorIs(t, err, tc.err)
		})
	}
	_, err := NewSchedule(good)
	require.NoError(t, err)
	long := good
	long.Months, long.AnnualRate = MaxTermMonths, rate(t, "0.1234567891")
	s, err := NewSchedule(long)
	require.NoError(t, err)
	assert.True(t, s.Instalments[MaxTermMonths-1].Remaining.IsZero())
}
