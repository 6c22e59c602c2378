package lending

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreditLimit(t *testing.T) {
	lim, err := GrantLimit(cny(t, "50000"))
	require.NoError(t, err)
	assert.Equal(t, "50000.00", lim.Available().String())

	drawn, err := lim.Draw(cny(t, "30000"))
	require.NoError(t, err)
	assert.Equal(t, "20000.00", drawn.Available().String())
	assert.Equal(t, "50000.00", lim.Available().String(), "receiver unchanged")

	_, err = drawn.Draw(cny(t, "20000.01"))
	var le *LimitError
	require.ErrorAs(t, err, &le)
	require.ErrorIs(t, err, ErrInsufficientLimit)
	assert.Equal(t, "20000.00", le.Available.String())
	assert.Contains(t, err.Error(), "20000.01")

	all, err := drawn.Draw(cny(t, "20000"))
	require.NoError(t, err)
	assert.True(t, all.Available().IsZero())

	restored, err := all.Restore(cny(t, "12500.50"))
	require.NoError(t, err)
	assert.Equal(t, "12500.50", restored.Available().String())
	_, err = restored.Restore(cny(t, "37499.51"))
	require.ErrorIs(t, err, ErrRestoreExceedsUsed)

	frozen := restored.Freeze()
	_, err = frozen.Draw(cny(t, "1"))
	require.ErrorIs(t, err, ErrLimitFrozen)
	frozen, err = frozen.Restore(cny(t, "100"))
	require.NoError(t, err, "repayments restore a frozen line")
	thawed := frozen.Unfreeze()
	_, err = thawed.Draw(cny(t, "1"))
	require.NoError(t, err)

	// A cut below what is drawn leaves nothing available, never a negative figure.
	cut, err := restored.Grant(cny(t, "10000"))
	require.NoError(t, err)
	assert.True(t, cut.Available().IsZero())
	assert.False(t, cut.Available().IsNegative())
	_, err = cut.Draw(cny(t, "0.01"))
	require.ErrorIs(t, err, ErrInsufficientLimit)
}

func TestCreditLimitRefusesBadInput(t *testing.T) {
	usd, err := CurrencyByCode("USD")
	require.NoError(t, err)
	dollar, err := ParseMoney("1", usd)
	require.NoError(t, err)
	lim, err := GrantLimit(cny(t, "100"))
	require.NoError(t, err)

	_, err = GrantLimit(cny(t, "-1"))
	require.ErrorIs(t, err, ErrNegativeAmount)
	_, err = lim.Draw(cny(t, "-1"))
	require.ErrorIs(t, err, ErrNegativeAmount)
	_, err = lim.Draw(Zero(CNY))
	require.ErrorIs(t, err, ErrZeroAmount)
	_, err = lim.Draw(dollar)
	require.ErrorIs(t, err, ErrCurrencyMismatch)
	_, err = lim.Restore(cny(t, "-1"))
	require.ErrorIs(t, err, ErrNegativeAmount)
	_, err = CreditLimit{}.Draw(cny(t, "1"))
	require.ErrorIs(t, err, ErrInvalidCurrency)
}

func TestCreditLimitJSON(t *testing.T) {
	lim, err := GrantLimit(cny(t, "50000"))
	require.NoError(t, err)
	lim, err = lim.Draw(cny(t, "1234.5"))
	require.NoError(t, err)
	lim = lim.Freeze()
	b, err := json.Marshal(lim)
	require.NoError(t, err)
	assert.JSONEq(t, `{"currency":"CNY","minor_units":2,"limit":50000.00,"used":1234.50,"frozen":true}`, string(b))
	var back CreditLimit
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, lim, back)

	for _, bad := range []string{
		`{"currency":"CNY","minor_units":2,"limit":-1,"used":0}`,
		`{"currency":"CNY","minor_units":2,"limit":1.005,"used":0}`,
		`{"currency":"cny","minor_units":2,"limit":1,"used":0}`,
		`{"currency":"CNY","minor_units":2,"limit":"x","used":0}`,
	} {
		require.Error(t, json.Unmarshal([]byte(bad), &back), bad)
	}
}
