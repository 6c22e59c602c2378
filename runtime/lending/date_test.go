package lending

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMonthlyDueDateIsEndOfMonthSafe(t *testing.T) {
	cases := []struct {
		first string
		want  []string
	}{
		{"2024-01-31", []string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"}},
		{"2023-01-31", []string{"2023-01-31", "2023-02-28", "2023-03-31"}},
		{"2024-01-30", []string{"2024-01-30", "2024-02-29", "2024-03-30"}},
		{"2024-11-30", []string{"2024-11-30", "2024-12-30", "2025-01-30", "2025-02-28", "2025-03-30"}},
		{"2024-12-15", []string{"2024-12-15", "2025-01-15"}},
	}
	for _, tc := range cases {
		t.Run(tc.first, func(t *testing.T) {
			first := day(t, tc.first)
			for k, want := range tc.want {
				assert.Equal(t, want, MonthlyDueDate(first, k+1).String(), "period %d", k+1)
			}
		})
	}
	assert.Equal(t, "2024-02-29", day(t, "2024-03-31").AddMonths(-1).String())
}

func TestDates(t *testing.T) {
	_, err := NewDate(2023, time.February, 29)
	require.ErrorIs(t, err, ErrInvalidDate)
	_, err = NewDate(2024, 13, 1)
	require.ErrorIs(t, err, ErrInvalidDate)
	d, err := NewDate(2024, time.February, 29)
	require.NoError(t, err)
	assert.Equal(t, "2024-02-29", d.String())
	for _, bad := range []string{"2024-02-30", "2024-2-1", "20240201", "", "2024-02-01T00:00:00Z"} {
		_, err := ParseDate(bad)
		require.ErrorIs(t, err, ErrInvalidDate, bad)
	}
	assert.Equal(t, 366, day(t, "2024-01-01").DaysUntil(day(t, "2025-01-01")))
	assert.Equal(t, -1, day(t, "2024-03-11").DaysUntil(day(t, "2024-03-10")))
	// A time late in the evening east of UTC is still that local day.
	shanghai := time.FixedZone("CST", 8*3600)
	assert.Equal(t, "2024-03-10", DateOf(time.Date(2024, 3, 10, 23, 30, 0, 0, shanghai)).String())

	var got struct{ D Date }
	require.NoError(t, json.Unmarshal([]byte(`{"D":"2024-02-29"}`), &got))
	assert.True(t, got.D.Equal(d))
	require.ErrorIs(t, json.Unmarshal([]byte(`{"D":"2024-02-30"}`), &got), ErrInvalidDate)
}
