package lending

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoney(t *testing.T) {
	jpy, err := CurrencyByCode("JPY")
	require.NoError(t, err)
	cases := []struct {
		in   string
		cur  Currency
		want string
		err  error
	}{
		{"8884.88", CNY, "8884.88", nil},
		{"100", CNY, "100.00", nil},
		{"100.000", CNY, "100.00", nil},
		{"0.1", CNY, "0.10", nil},
		{"-12.5", CNY, "-12.50", nil},
		{"1e3", CNY, "1000.00", nil},
		{"1.5E-1", CNY, "0.15", nil},
		{"100.005", CNY, "", ErrPrecision},
		{"1.5", jpy, "", ErrPrecision},
		{"1500", jpy, "1500", nil},
		{"", CNY, "", ErrInvalidAmount},
		{"abc", CNY, "", ErrInvalidAmount},
		{" 1", CNY, "", ErrInvalidAmount},
		{"1,000", CNY, "", ErrInvalidAmount},
		{"01", CNY, "", ErrInvalidAmount},
		{".5", CNY, "", ErrInvalidAmount},
		{"+5", CNY, "", ErrInvalidAmount},
		{"NaN", CNY, "", ErrInvalidAmount},
		{"1e999999999", CNY, "", ErrInvalidAmount},
		{"1e15", CNY, "", ErrInvalidAmount},
		{"999999999999999.99", CNY, "999999999999999.99", nil},
		{"1", Currency{}, "", ErrInvalidCurrency},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			m, err := ParseMoney(tc.in, tc.cur)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.String())
			assert.Equal(t, json.Number(tc.want), m.Number())
		})
	}
}

func TestRoundMoneyIsHalfUp(t *testing.T) {
	cases := map[string]string{
		"0.125": "0.13", "0.135": "0.14", "0.124999": "0.12", "-0.125": "-0.13",
		"2.675": "2.68", "0.005": "0.01", "0.0049": "0.00",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			assert.Equal(t, want, RoundMoney(decimal.RequireFromString(in), CNY).String())
		})
	}
}

func TestMoneyArithmetic(t *testing.T) {
	usd, err := CurrencyByCode("USD")
	require.NoError(t, err)
	a, b := cny(t, "10.10"), cny(t, "0.20")
	sum, err := a.Add(b)
	require.NoError(t, err)
	assert.Equal(t, "10.30", sum.String())
	diff, err := b.Sub(a)
	require.NoError(t, err)
	assert.Equal(t, "-9.90", diff.String())
	c, err := a.Cmp(b)
	require.NoError(t, err)
	assert.Equal(t, 1, c)

	dollar, err := ParseMoney("1", usd)
	require.NoError(t, err)
	_, err = a.Add(dollar)
	require.ErrorIs(t, err, ErrCurrencyMismatch)
	_, err = a.Sub(Money{})
	require.ErrorIs(t, err, ErrInvalidCurrency)
	_, err = a.Cmp(dollar)
	require.ErrorIs(t, err, ErrCurrencyMismatch)
	assert.False(t, a.Equal(dollar))

	// Exactness: 0.1 added ten times is 1, which binary floating point misses.
	tenth, total := cny(t, "0.10"), Zero(CNY)
	for i := 0; i < 10; i++ {
		total, err = total.Add(tenth)
		require.NoError(t, err)
	}
	assert.True(t, total.Equal(cny(t, "1")))
}

func TestMoneyJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Money{"amount": cny(t, "8884.8")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount": 8884.80}`, string(b))
	assert.Contains(t, string(b), "8884.80")
	_, err = json.Marshal(Money{})
	require.ErrorIs(t, err, ErrInvalidCurrency)
}

func TestCurrencies(t *testing.T) {
	c, err := CurrencyByCode("CNY")
	require.NoError(t, err)
	assert.Equal(t, CNY, c)
	_, err = CurrencyByCode("XYZ")
	require.ErrorIs(t, err, ErrUnknownCurrency)
	x, err := NewCurrency("XYZ", 3)
	require.NoError(t, err)
	assert.Equal(t, 3, x.MinorUnits())
	for _, bad := range []struct {
		code  string
		minor int
	}{{"cny", 2}, {"CN", 2}, {"CNY", -1}, {"CNY", 5}} {
		_, err = NewCurrency(bad.code, bad.minor)
		require.ErrorIs(t, err, ErrInvalidCurrency, bad.code)
	}
}

func TestParseRate(t *testing.T) {
	r, err := ParseRate("0.12")
	require.NoError(t, err)
	p, err := ParsePercent("12")
	require.NoError(t, err)
	assert.True(t, r.Decimal().Equal(p.Decimal()))
	p, err = ParsePercent("4.35")
	require.NoError(t, err)
	assert.Equal(t, "0.0435", p.String())
	for _, bad := range []string{"-0.01", "10.01", "abc", "0.12345678901", ""} {
		_, err := ParseRate(bad)
		require.ErrorIs(t, err, ErrInvalidRate, bad)
	}
}
