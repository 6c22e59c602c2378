package rule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDue(t *testing.T) {
	s := mustSet(t,
		// 09:00 Beijing time on weekdays is 01:00 UTC.
		`{"key":"morning","title":{"en":"m"},"trigger":{"on":"schedule","cron":"0 9 * * 1-5","timezone":"Asia/Shanghai"},"actions":[{"type":"flag","flag":"x"}]}`,
		`{"key":"utc_hourly","title":{"en":"h"},"priority":5,"trigger":{"on":"schedule","cron":"0 * * * *"},"actions":[{"type":"flag","flag":"x"}]}`,
		`{"key":"off","title":{"en":"o"},"enabled":false,"trigger":{"on":"schedule","cron":"* * * * *"},"actions":[{"type":"flag","flag":"x"}]}`,
		`{"key":"month_end","title":{"en":"e"},"trigger":{"on":"schedule","cron":"30 23 28-31 * *","timezone":"Asia/Shanghai"},"actions":[{"type":"flag","flag":"x"}]}`,
	)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return tm
	}
	keysAt := func(fs []Firing) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Rule+"@"+f.At.UTC().Format(time.RFC3339))
		}
		return out
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		// Monday 2025-03-03.
		{name: "window around 09:00 Beijing", from: utc("2025-03-03T00:30:00Z"), to: utc("2025-03-03T01:10:00Z"),
			// The same instant for two rules: higher priority first.
			want: []string{"utc_hourly@2025-03-03T01:00:00Z", "morning@2025-03-03T01:00:00Z"}},
		{name: "09:00 UTC is not 09:00 Beijing", from: utc("2025-03-03T08:59:00Z"), to: utc("2025-03-03T09:01:00Z"),
			want: []string{"utc_hourly@2025-03-03T09:00:00Z"}},
		{name: "window start excluded, end included", from: utc("2025-03-03T01:00:00Z"), to: utc("2025-03-03T02:00:00Z"),
			want: []string{"utc_hourly@2025-03-03T02:00:00Z"}},
		{name: "Saturday in Beijing is Friday evening UTC", from: utc("2025-03-07T23:30:00Z"), to: utc("2025-03-08T01:30:00Z"),
			want: []string{"utc_hourly@2025-03-08T00:00:00Z", "utc_hourly@2025-03-08T01:00:00Z"}},
		{name: "empty window", from: utc("2025-03-03T01:00:00Z"), to: utc("2025-03-03T01:00:00Z")},
		{name: "month end late evening Beijing crosses the UTC date", from: utc("2025-02-28T15:00:00Z"), to: utc("2025-02-28T15:59:00Z"),
			want: []string{"month_end@2025-02-28T15:30:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, keysAt(s.Due(tc.from, tc.to)))
		})
	}

	t.Run("firings are in the rule's zone", func(t *testing.T) {
		fs := s.Due(utc("2025-03-03T00:30:00Z"), utc("2025-03-03T01:10:00Z"))
		require.Len(t, fs, 2)
		assert.Equal(t, shanghai, fs[1].At.Location())
		assert.Equal(t, 9, fs[1].At.Hour())
	})

	t.Run("consecutive windows fire each time once", func(t *testing.T) {
		start := utc("2025-03-03T00:00:00Z")
		n := 0
		for i := range 48 {
			from := start.Add(time.Duration(i) * 30 * time.Minute)
			for _, f := range s.Due(from, from.Add(30*time.Minute)) {
				if f.Rule == "morning" {
					n++
				}
			}
		}
		assert.Equal(t, 1, n)
	})

	t.Run("catching up is bounded", func(t *testing.T) {
		fs := s.Due(utc("2025-01-01T00:00:00Z"), utc("2025-03-01T00:00:00Z"))
		count := map[string]int{}
		for _, f := range fs {
			count[f.Rule]++
		}
		assert.Equal(t, MaxFiringsPerRule, count["utc_hourly"])
		assert.Equal(t, 43, count["morning"], "weekdays of January (23) and February (20) 2025")
	})
}
