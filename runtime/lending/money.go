package lending

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"
)

// Currency is an ISO 4217 code with its minor unit: the number of decimals an amount
// of it may carry (CNY 2: fen; JPY 0). Amounts are always held at exactly that scale.
type Currency struct {
	code  string
	minor int32
}

// CNY is the renminbi, minor unit 2 (fen).
var CNY = Currency{code: "CNY", minor: 2}

// knownCurrencies holds the currencies lenders here meet; others come from NewCurrency.
var knownCurrencies = map[string]int32{
	"CNY": 2, "HKD": 2, "MOP": 2, "TWD": 2, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2,
	"AUD": 2, "CAD": 2, "CHF": 2, "MYR": 2, "THB": 2, "PHP": 2, "INR": 2,
	"IDR": 2, "JPY": 0, "KRW": 0, "VND": 0, "KWD": 3, "BHD": 3,
}

// CurrencyByCode returns a known currency (CNY, HKD, USD, JPY, ...).
func CurrencyByCode(code string) (Currency, error) {
	minor, ok := knownCurrencies[code]
	if !ok {
		return Currency{}, fmt.Errorf("currency %q: %w", code, ErrUnknownCurrency)
	}
	return Currency{code: code, minor: minor}, nil
}

// NewCurrency builds a currency the table does not know. code is three letters A-Z;
// minorUnits is 0..4.
func NewCurrency(code string, minorUnits int) (Currency, error) {
	if !currencyCode.MatchString(code) || minorUnits < 0 || minorUnits > 4 {
		return Currency{}, fmt.Errorf("currency %q with %d decimals: %w", code, minorUnits, ErrInvalidCurrency)
	}
	return Currency{code: code, minor: int32(minorUnits)}, nil
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Code is the ISO 4217 code; empty for the zero Currency.
func (c Currency) Code() string { return c.code }

// MinorUnits is the number of decimals an amount carries.
func (c Currency) MinorUnits() int { return int(c.minor) }

// IsZero reports the zero Currency, which no valid Money has.
func (c Currency) IsZero() bool { return c.code == "" }

func (c Currency) String() string { return c.code }

// MaxAmount bounds every amount (exclusive, in absolute value): 10^15 units is more
// than any single loan, and the bound keeps hostile input ("1e999999999") from
// allocating gigabytes.
var MaxAmount = decimal.New(1, 15)

// Rounding: every amount this package computes (instalments, interest, penalty,
// accrued interest) is rounded to the currency's minor unit HALF-UP, that is half away
// from zero (四舍五入; Java's RoundingMode.HALF_UP): 0.125 → 0.13, -0.125 → -0.13.
// It is what Chinese lenders and borrowers expect on a statement; half-even would
// surprise them. Each figure is rounded once, from its exact value, never twice.

// Money is an exact amount of one currency, held at exactly the currency's minor unit.
// The zero Money has no currency and is refused wherever an amount is required.
// Money is a value: operations return new values and never change the receiver.
type Money struct {
	amt decimal.Decimal
	cur Currency
}

// Zero is the amount 0 of c.
func Zero(c Currency) Money { return Money{amt: decimal.New(0, -c.minor), cur: c} }

// numberSyntax is JSON's number grammar: what json.Number holds and what records store.
var numberSyntax = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$`)

// parseDecimal parses JSON number syntax with bounded length and exponent, so a
// crafted input can neither panic nor make the library allocate without limit.
func parseDecimal(s string) (decimal.Decimal, error) {
	if len(s) > 64 || !numberSyntax.MatchString(s) {
		return decimal.Decimal{}, fmt.Errorf("%q: %w", s, ErrInvalidAmount)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q: %w", s, ErrInvalidAmount)
	}
	return d, nil
}

// ParseMoney parses s (JSON number syntax: "8884.88", "100", "1e3") as an amount of
// c. More decimals than the minor unit is ErrPrecision unless they are zeros
// ("100.000" CNY is 100.00): input is never rounded silently.
func ParseMoney(s string, c Currency) (Money, error) {
	if c.IsZero() {
		return Money{}, fmt.Errorf("parse amount %q: %w", s, ErrInvalidCurrency)
	}
	d, err := parseDecimal(s)
	if err != nil {
		return Money{}, fmt.Errorf("parse amount: %w", err)
	}
	if d.Abs().Cmp(MaxAmount) >= 0 {
		return Money{}, fmt.Errorf("parse amount %q: beyond %s: %w", s, MaxAmount, ErrInvalidAmount)
	}
	if !d.Round(c.minor).Equal(d) {
		return Money{}, fmt.Errorf("parse amount %q %s (%d decimals): %w", s, c.code, c.minor, ErrPrecision)
	}
	return Money{amt: d.Round(c.minor), cur: c}, nil
}

// MoneyFromNumber parses a stored record number; see ParseMoney.
func MoneyFromNumber(n json.Number, c Currency) (Money, error) {
	return ParseMoney(string(n), c)
}

// RoundMoney rounds an exact decimal to c's minor unit, half-up (see Rounding).
func RoundMoney(d decimal.Decimal, c Currency) Money {
	return Money{amt: d.Round(c.minor), cur: c}
}

// Currency is the amount's currency.
func (m Money) Currency() Currency { return m.cur }

// Decimal is the exact amount.
func (m Money) Decimal() decimal.Decimal { return m.amt }

// String formats the amount with exactly the minor unit's decimals ("8884.80"),
// without the currency code, as records and statements show it.
func (m Money) String() string { return m.amt.StringFixed(m.cur.minor) }

// Number is the amount as a json.Number, the form records store.
func (m Money) Number() json.Number { return json.Number(m.String()) }

// MarshalJSON writes the amount as a bare JSON number ("8884.88" unquoted). The
// currency is not written: the holder records it once (see Loan and CreditLimit).
func (m Money) MarshalJSON() ([]byte, error) {
	if m.cur.IsZero() {
		return nil, fmt.Errorf("marshal amount: %w", ErrInvalidCurrency)
	}
	return []byte(m.String()), nil
}

// Sign is -1, 0 or +1.
func (m Money) Sign() int { return m.amt.Sign() }

// IsZero reports an amount of 0 (in any currency).
func (m Money) IsZero() bool { return m.amt.IsZero() }

// IsNegative reports an amount below 0.
func (m Money) IsNegative() bool { return m.amt.Sign() < 0 }

// IsPositive reports an amount above 0.
func (m Money) IsPositive() bool { return m.amt.Sign() > 0 }

func (m Money) sameCurrency(o Money, op string) error {
	if m.cur.IsZero() || o.cur.IsZero() {
		return fmt.Errorf("%s: %w", op, ErrInvalidCurrency)
	}
	if m.cur != o.cur {
		return fmt.Errorf("%s %s and %s: %w", op, m.cur.code, o.cur.code, ErrCurrencyMismatch)
	}
	return nil
}

// Add is m + o; both must be of the same currency.
func (m Money) Add(o Money) (Money, error) {
	if err := m.sameCurrency(o, "add"); err != nil {
		return Money{}, err
	}
	return m.plus(o), nil
}

// Sub is m - o; both must be of the same currency. The result may be negative.
func (m Money) Sub(o Money) (Money, error) {
	if err := m.sameCurrency(o, "subtract"); err != nil {
		return Money{}, err
	}
	return m.minus(o), nil
}

// Cmp compares m with o (-1, 0, +1); both must be of the same currency.
func (m Money) Cmp(o Money) (int, error) {
	if err := m.sameCurrency(o, "compare"); err != nil {
		return 0, err
	}
	return m.amt.Cmp(o.amt), nil
}

// Equal reports the same currency and the same amount.
func (m Money) Equal(o Money) bool { return m.cur == o.cur && m.amt.Equal(o.amt) }

// Unchecked arithmetic for code that already knows both sides share a currency.
func (m Money) plus(o Money) Money  { return Money{amt: m.amt.Add(o.amt), cur: m.cur} }
func (m Money) minus(o Money) Money { return Money{amt: m.amt.Sub(o.amt), cur: m.cur} }
func (m Money) less(o Money) bool   { return m.amt.Cmp(o.amt) < 0 }

func minMoney(a, b Money) Money {
	if b.less(a) {
		return b
	}
	return a
}

// requireAmount checks an amount given by a caller: a currency, optionally the
// expected one, and not negative (nor zero when positive is set).
func requireAmount(m Money, want Currency, positive bool, op string) error {
	if m.cur.IsZero() {
		return fmt.Errorf("%s: amount without currency: %w", op, ErrInvalidCurrency)
	}
	if !want.IsZero() && m.cur != want {
		return fmt.Errorf("%s: amount in %s, expected %s: %w", op, m.cur.code, want.code, ErrCurrencyMismatch)
	}
	if m.IsNegative() {
		return fmt.Errorf("%s: %s: %w", op, m, ErrNegativeAmount)
	}
	if positive && m.IsZero() {
		return fmt.Errorf("%s: %w", op, ErrZeroAmount)
	}
	return nil
}

// Rate is an annual nominal interest rate as a fraction (0.12 is 12% a year).
type Rate struct{ d decimal.Decimal }

// MaxRate bounds rates (10 = 1000% a year): far above any lawful loan, and it keeps
// annuity arithmetic small.
var MaxRate = decimal.New(10, 0)

// MaxRateDecimals bounds the decimals of a rate fraction (0.1234567890): rates are
// quoted in basis points or finer, and exact annuity arithmetic grows with them.
const MaxRateDecimals = 10

// ParseRate parses an annual rate given as a fraction ("0.12" for 12%).
func ParseRate(s string) (Rate, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Rate{}, fmt.Errorf("parse rate %q: %w", s, ErrInvalidRate)
	}
	return rateOf(d, s)
}

// ParsePercent parses an annual rate given in percent ("12" or "4.35").
func ParsePercent(s string) (Rate, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Rate{}, fmt.Errorf("parse rate %q%%: %w", s, ErrInvalidRate)
	}
	return rateOf(d.Shift(-2), s+"%")
}

func rateOf(d decimal.Decimal, src string) (Rate, error) {
	switch {
	case d.Sign() < 0:
		return Rate{}, fmt.Errorf("rate %s is negative: %w", src, ErrInvalidRate)
	case d.Cmp(MaxRate) > 0:
		return Rate{}, fmt.Errorf("rate %s above %s: %w", src, MaxRate, ErrInvalidRate)
	case !d.Round(MaxRateDecimals).Equal(d):
		return Rate{}, fmt.Errorf("rate %s has more than %d decimals: %w", src, MaxRateDecimals, ErrInvalidRate)
	}
	return Rate{d: d}, nil
}

// Decimal is the rate as an exact fraction.
func (r Rate) Decimal() decimal.Decimal { return r.d }

// IsZero reports a rate of 0 (also the zero Rate).
func (r Rate) IsZero() bool { return r.d.IsZero() }

// String is the fraction ("0.12").
func (r Rate) String() string { return r.d.String() }

// Number is the fraction as a json.Number.
func (r Rate) Number() json.Number { return json.Number(r.d.String()) }
