package report

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// storeKey is the store's group key for a widget's key: weeks are asked for as days.
func storeKey(g GroupDef) store.GroupKey {
	b := g.Bucket
	if b == BucketWeek {
		b = store.BucketDay
	}
	return store.GroupKey{Field: g.Field, Bucket: b, Bounds: g.Bounds}
}

// foldKey turns a store key value into the widget's: a day into its ISO week's Monday.
func foldKey(g GroupDef, v any) any {
	if g.Bucket != BucketWeek {
		return v
	}
	s, ok := v.(string)
	if !ok {
		return v
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return v
	}
	return monday(d).Format(dateLayout)
}

func monday(d time.Time) time.Time {
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// keyLabel is how a category value reads in locale.
func keyLabel(fi *formInfo, g GroupDef, v any, locale string) string {
	if v == nil {
		return choose(isChinese(locale), "（空）", "(none)")
	}
	switch g.Bucket {
	case store.BucketRange:
		i, _ := rangeIndex(v)
		return rangeLabel(g.Bounds, i)
	case BucketWeek:
		if s, ok := v.(string); ok {
			if d, err := time.Parse(dateLayout, s); err == nil {
				y, wk := d.ISOWeek()
				return fmt.Sprintf("%d-W%02d", y, wk)
			}
		}
	case store.BucketDay, store.BucketMonth:
		return fmt.Sprint(v)
	}
	if s := fi.optionLabel(g.Field, v, locale); s != "" {
		return s
	}
	switch x := v.(type) {
	case bool:
		if isChinese(locale) {
			return choose(x, "是", "否")
		}
		return choose(x, "yes", "no")
	case float64:
		return formatNumber(x)
	}
	return fmt.Sprint(v)
}

func isChinese(locale string) bool { return locale == "" || strings.HasPrefix(locale, "zh") }

func rangeLabel(bounds []float64, i int) string {
	switch {
	case i <= 0:
		return "< " + formatNumber(bounds[0])
	case i >= len(bounds):
		return "≥ " + formatNumber(bounds[len(bounds)-1])
	}
	return formatNumber(bounds[i-1]) + "–" + formatNumber(bounds[i])
}

// formatNumber writes a number with thousands separators and at most two decimals.
func formatNumber(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	if r := math.Round(math.Abs(x)*100) / 100; r != math.Abs(x) {
		s = strconv.FormatFloat(r, 'f', 2, 64)
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func rangeIndex(v any) (int, bool) {
	f, ok := store.Numeric(v)
	if !ok || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}

// compareKeys orders two values of one group key: missing first, then by option order,
// range index, dates, numbers, booleans and text.
func compareKeys(fi *formInfo, g GroupDef, a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if ra, rb := fi.optionRank(g.Field, a), fi.optionRank(g.Field, b); ra >= 0 || rb >= 0 {
		switch {
		case ra < 0:
			return 1
		case rb < 0:
			return -1
		case ra != rb:
			return ra - rb
		}
		return 0
	}
	fa, aNum := store.Numeric(a)
	fb, bNum := store.Numeric(b)
	switch {
	case aNum && bNum:
		return cmp.Compare(fa, fb)
	case aNum:
		return -1
	case bNum:
		return 1
	}
	ba, aBool := a.(bool)
	bb, bBool := b.(bool)
	switch {
	case aBool && bBool:
		return cmpBool(ba, bb)
	case aBool:
		return -1
	case bBool:
		return 1
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// keyFilter is the record filter of one category value: the records the store put in it.
func keyFilter(fi *formInfo, g GroupDef, v any) (*store.Filter, error) {
	if v == nil {
		return store.Exists(g.Field, false), nil
	}
	k := fi.kind(g.Field)
	switch g.Bucket {
	case store.BucketRange:
		i, ok := rangeIndex(v)
		if !ok || i < 0 || i > len(g.Bounds) {
			return nil, fmt.Errorf("range %v of %s: %w", v, g.Field, ErrUnknownPoint)
		}
		switch {
		case i == 0:
			return store.Lt(g.Field, g.Bounds[0]), nil
		case i == len(g.Bounds):
			return store.Gte(g.Field, g.Bounds[i-1]), nil
		}
		return store.And(store.Gte(g.Field, g.Bounds[i-1]), store.Lt(g.Field, g.Bounds[i])), nil
	case store.BucketDay, BucketWeek, store.BucketMonth:
		s, _ := v.(string)
		layout := choose(g.Bucket == store.BucketMonth, "2006-01", dateLayout)
		start, err := time.Parse(layout, s)
		if err != nil {
			return nil, fmt.Errorf("%s %v of %s: %w", g.Bucket, v, g.Field, ErrUnknownPoint)
		}
		end := start.AddDate(0, 0, 1)
		switch g.Bucket {
		case BucketWeek:
			end = start.AddDate(0, 0, 7)
		case store.BucketMonth:
			end = start.AddDate(0, 1, 0)
		}
		if k == kindStamp {
			return store.And(store.Gte(g.Field, start.UTC()), store.Lt(g.Field, end.UTC())), nil
		}
		// Text comparison: "2024-03" <= "2024-03-15…" < "2024-04", for dates and date-times.
		return store.And(store.Gte(g.Field, start.Format(layout)), store.Lt(g.Field, end.Format(layout))), nil
	}
	return store.Eq(g.Field, v), nil
}

// nextKey is the category after v in a day, week or month series ("" when v is not one).
func nextKey(b store.Bucket, v any) string {
	s, _ := v.(string)
	layout := choose(b == store.BucketMonth, "2006-01", dateLayout)
	t, err := time.Parse(layout, s)
	if err != nil {
		return ""
	}
	switch b {
	case store.BucketMonth:
		return t.AddDate(0, 1, 0).Format(layout)
	case BucketWeek:
		return t.AddDate(0, 0, 7).Format(layout)
	}
	return t.AddDate(0, 0, 1).Format(layout)
}

func choose[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}
