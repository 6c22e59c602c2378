package lending

import (
	"fmt"
	"time"
)

// Date is a calendar day without time of day or zone: due dates and posting days are
// days in the lender's calendar, and carrying a time.Time would let a zone shift move
// a payment across midnight. The zero Date is unset (IsZero).
type Date struct{ t time.Time } // always 00:00 UTC

const dateLayout = "2006-01-02"

// NewDate builds the date y-m-d; it refuses days that do not exist (Feb 30) rather
// than normalising them into another month.
func NewDate(y int, m time.Month, d int) (Date, error) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if y < 1 || y > 9999 || t.Year() != y || t.Month() != m || t.Day() != d {
		return Date{}, fmt.Errorf("date %04d-%02d-%02d: %w", y, int(m), d, ErrInvalidDate)
	}
	return Date{t: t}, nil
}

// ParseDate parses "YYYY-MM-DD", the form records store.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, ErrInvalidDate)
	}
	return Date{t: t}, nil
}

// DateOf is the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	return Date{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// IsZero reports the unset Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is "YYYY-MM-DD"; empty for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Year, Month and Day are the date's parts.
func (d Date) Year() int { return d.t.Year() }

// Month is the date's month.
func (d Date) Month() time.Month { return d.t.Month() }

// Day is the date's day of month.
func (d Date) Day() int { return d.t.Day() }

// Time is midnight UTC of the day.
func (d Date) Time() time.Time { return d.t }

// Before reports d earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports d later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// Equal reports the same day.
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }

// AddDays is the day n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return Date{t: d.t.AddDate(0, 0, n)} }

// DaysUntil is the number of days from d to o: positive when o is later. Integer
// arithmetic on whole days; both are midnight UTC, which has no DST.
func (d Date) DaysUntil(o Date) int { return int((o.t.Unix() - d.t.Unix()) / 86400) }

// AddMonths is the same day n months later, clamped to the end of a shorter month
// (Jan 31 + 1 month = Feb 28 or 29). For a series of due dates use MonthlyDueDate,
// which keeps the anchor day so the series returns to the 31st after February.
func (d Date) AddMonths(n int) Date { return monthDay(d.Year(), d.Month()+time.Month(n), d.Day()) }

// MonthlyDueDate is the due date of period k (1-based) when the first falls on first:
// the first's day of month every month, or the last day of a month too short for it
// (Jan 31 → Feb 28/29 → Mar 31 → Apr 30).
func MonthlyDueDate(first Date, k int) Date {
	return monthDay(first.Year(), first.Month()+time.Month(k-1), first.Day())
}

// monthDay is day of the month y-m (m may be out of 1..12 and is normalised),
// clamped to that month's last day.
func monthDay(y int, m time.Month, day int) Date {
	firstOfMonth := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	last := firstOfMonth.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return Date{t: firstOfMonth.AddDate(0, 0, day-1)}
}

// MarshalText writes "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY-MM-DD"; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func laterDate(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}
