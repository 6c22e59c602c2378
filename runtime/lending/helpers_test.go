package lending

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

func cny(t testing.TB, s string) Money {
	t.Helper()
	m, err := ParseMoney(s, CNY)
	require.NoError(t, err)
	return m
}

func day(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	require.NoError(t, err)
	return d
}

func rate(t testing.TB, s string) Rate {
	t.Helper()
	r, err := ParseRate(s)
	require.NoError(t, err)
	return r
}

func newTestSchedule(t testing.TB, principal, annual string, months int, first string, m Method) Schedule {
	t.Helper()
	s, err := NewSchedule(Terms{
		Principal: cny(t, principal), AnnualRate: rate(t, annual), Months: months,
		FirstDue: day(t, first), Method: m,
	})
	require.NoError(t, err)
	return s
}

func newTestLoan(t testing.TB, s Schedule, opts LoanOpts) Loan {
	t.Helper()
	l, err := NewLoan(s, opts)
	require.NoError(t, err)
	return l
}

// Reference arithmetic, independent of the package: math/big only.

// ratOf parses a decimal string exactly.
func ratOf(t testing.TB, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	require.True(t, ok, s)
	return r
}

// roundCents rounds x half away from zero to a whole number of cents.
func roundCents(x *big.Rat) *big.Int {
	scaled := new(big.Rat).Mul(x, big.NewRat(100, 1))
	num, den := new(big.Int).Abs(scaled.Num()), scaled.Denom()
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if scaled.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// centsString formats cents as "1234.56".
func centsString(c *big.Int) string {
	return new(big.Rat).SetFrac(c, big.NewInt(100)).FloatString(2)
}

// refQuotedInterest is n·A − P for the exact annuity A, in 512-bit binary floating
// point, rounded half-up to cents.
func refQuotedInterest(t testing.TB, principal, annual string, n int) string {
	t.Helper()
	a := refAnnuityFloat(t, principal, annual, n)
	p, _, err := big.ParseFloat(principal, 10, 512, big.ToNearestEven)
	require.NoError(t, err)
	a.Mul(a, new(big.Float).SetPrec(512).SetInt64(int64(n)))
	a.Sub(a, p)
	return floatCents(a)
}

// refAnnuity is P·r·g/(g−1), g = (1+r)^n, r = annual/12, in 512-bit binary floating
// point, rounded half-up to cents; refAnnuityFloat is the unrounded value.
func refAnnuity(t testing.TB, principal, annual string, n int) string {
	t.Helper()
	return floatCents(refAnnuityFloat(t, principal, annual, n))
}

func refAnnuityFloat(t testing.TB, principal, annual string, n int) *big.Float {
	t.Helper()
	const prec = 512
	f := func(s string) *big.Float {
		x, _, err := big.ParseFloat(s, 10, prec, big.ToNearestEven)
		require.NoError(t, err)
		return x
	}
	p, a := f(principal), f(annual)
	r := new(big.Float).SetPrec(prec).Quo(a, f("12"))
	g := f("1")
	onePlus := new(big.Float).SetPrec(prec).Add(f("1"), r)
	for i := 0; i < n; i++ {
		g.Mul(g, onePlus)
	}
	num := new(big.Float).SetPrec(prec).Mul(p, r)
	num.Mul(num, g)
	den := new(big.Float).SetPrec(prec).Sub(g, f("1"))
	return new(big.Float).SetPrec(prec).Quo(num, den)
}

// floatCents rounds a positive x half-up to cents: floor(x·100 + 0.5).
func floatCents(x *big.Float) string {
	y := new(big.Float).SetPrec(x.Prec()).Mul(x, big.NewFloat(100))
	y.Add(y, big.NewFloat(0.5))
	cents, _ := y.Int(nil) // truncation is floor for positive values
	return centsString(cents)
}

// refAmortize replays a level-instalment schedule with exact rationals: interest is
// balance·annual/12 rounded half-up, principal is payment − interest, the last
// instalment takes the rest. It returns total interest and the last payment.
func refAmortize(t testing.TB, principal, annual, payment string, n int) (totalInterest, last string) {
	t.Helper()
	bal := roundCents(ratOf(t, principal))
	pay := roundCents(ratOf(t, payment))
	r := new(big.Rat).Quo(ratOf(t, annual), big.NewRat(12, 1))
	total := new(big.Int)
	var lastPay *big.Int
	for k := 1; k <= n; k++ {
		balR := new(big.Rat).SetFrac(bal, big.NewInt(100))
		in := roundCents(new(big.Rat).Mul(balR, r))
		total.Add(total, in)
		pr := new(big.Int).Sub(pay, in)
		if k == n {
			pr.Set(bal)
			lastPay = new(big.Int).Add(pr, in)
		}
		bal.Sub(bal, pr)
	}
	return centsString(total), centsString(lastPay)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
