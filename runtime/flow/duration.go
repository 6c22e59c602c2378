package flow

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// parseDuration reads "7d", "48h", "1d12h" or "-1d": whole days, then a Go duration.
// Days are 24 hours of wall-clock time.
func parseDuration(s string) (time.Duration, error) {
	neg := strings.HasPrefix(s, "-")
	rest := strings.TrimPrefix(s, "-")
	var d time.Duration
	if i := strings.IndexByte(rest, 'd'); i >= 0 {
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n < 0 || n > 3650 {
			return 0, errors.New("days must be a whole number up to 3650")
		}
		d = time.Duration(n) * 24 * time.Hour
		rest = rest[i+1:]
	}
	if rest != "" {
		g, err := time.ParseDuration(rest)
		if err != nil || g < 0 {
			return 0, errors.New("not a duration such as 48h, 90m or 7d")
		}
		d += g
	}
	if neg {
		d = -d
	}
	return d, nil
}
