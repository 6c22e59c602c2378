package mongo

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// partial is what one group has accumulated for one measure before it is finished:
// the count, the sum and number of numeric values, and the extremes seen.
type partial struct {
	sum      float64
	n        float64 // numeric values (avg), or documents (count)
	min, max float64
	seen     bool // min/max hold a value
}

// groupAcc accumulates one group, in whichever path computed it.
type groupAcc struct {
	key      []any
	measures []partial
}

// groupSet merges partial groups by their normalised key, so groups that an engine
// keeps apart (a missing field and a null one, an int and an equal double) come out as
// one, as in every engine.
type groupSet struct {
	a     store.Aggregation
	index map[string]*groupAcc
	order []*groupAcc
}

func newGroupSet(a store.Aggregation) *groupSet {
	return &groupSet{a: a, index: map[string]*groupAcc{}}
}

// get returns the accumulator of a key, creating it.
func (gs *groupSet) get(key []any) *groupAcc {
	b, _ := json.Marshal(key)
	k := string(b)
	g, ok := gs.index[k]
	if !ok {
		g = &groupAcc{key: key, measures: make([]partial, len(gs.a.Measures))}
		gs.index[k] = g
		gs.order = append(gs.order, g)
	}
	return g
}

// addCount adds documents to measure i.
func (p *partial) addCount(n float64) { p.n += n }

// addSum adds a partial sum and the number of numeric values behind it.
func (p *partial) addSum(sum, n float64) {
	p.sum += sum
	p.n += n
}

// addExtreme folds a candidate min or max value in.
func (p *partial) addExtreme(v float64, isMax bool) {
	switch {
	case !p.seen:
		p.min, p.max, p.seen = v, v, true
	case isMax:
		p.max = math.Max(p.max, v)
	default:
		p.min = math.Min(p.min, v)
	}
}

// addValue folds one document's value of the measure's field in (the scan path).
func (p *partial) addValue(op store.MeasureOp, v any) {
	if op == store.MeasureCount {
		p.n++
		return
	}
	f, ok := store.Numeric(v)
	if !ok {
		return
	}
	switch op {
	case store.MeasureSum, store.MeasureAvg:
		p.addSum(f, 1)
	case store.MeasureMin:
		p.addExtreme(f, false)
	case store.MeasureMax:
		p.addExtreme(f, true)
	}
}

// finish turns the accumulators into sorted result rows.
func (gs *groupSet) finish() []store.Group {
	if len(gs.a.GroupBy) == 0 && len(gs.order) == 0 {
		gs.get([]any{}) // an aggregation without keys has one group, even over nothing
	}
	out := make([]store.Group, 0, len(gs.order))
	for _, g := range gs.order {
		vals := map[string]float64{}
		for i, m := range gs.a.Measures {
			p := g.measures[i]
			switch m.Op {
			case store.MeasureCount:
				vals[m.Name] = p.n
			case store.MeasureSum:
				vals[m.Name] = p.sum
			case store.MeasureAvg:
				if p.n > 0 {
					vals[m.Name] = p.sum / p.n
				}
			case store.MeasureMin:
				if p.seen {
					vals[m.Name] = p.min
				}
			case store.MeasureMax:
				if p.seen {
					vals[m.Name] = p.max
				}
			}
		}
		out = append(out, store.Group{Key: g.key, Values: vals})
	}
	sort.SliceStable(out, func(i, j int) bool { return compareKeys(out[i].Key, out[j].Key) < 0 })
	return out
}

// timeKeyLayout renders a timestamp group key: RFC 3339, UTC, milliseconds.
const timeKeyLayout = "2006-01-02T15:04:05.000Z07:00"

// normalKey turns one group-key value into its result form: numbers as float64, times
// as RFC 3339 strings, nested values as JSON-shaped Go values.
func normalKey(v any) any {
	if f, ok := store.Numeric(v); ok {
		return f
	}
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(timeKeyLayout)
	}
	return v
}

// bucketValue derives the key of one value under a group key's bucket (the scan path).
func bucketValue(k store.GroupKey, v any) any {
	switch k.Bucket {
	case store.BucketDay, store.BucketMonth:
		return datePrefix(v, bucketWidth(k.Bucket))
	case store.BucketRange:
		f, ok := store.Numeric(v)
		if !ok {
			return nil
		}
		return rangeIndex(k.Bounds, f)
	}
	return normalKey(v)
}

// bucketWidth is how many characters of "2006-01-02" a day or month key keeps.
func bucketWidth(b store.Bucket) int {
	if b == store.BucketMonth {
		return 7
	}
	return 10
}

// rangeIndex is 0 below the first bound, i in [Bounds[i-1], Bounds[i]), len at or above
// the last.
func rangeIndex(bounds []float64, f float64) int {
	return sort.Search(len(bounds), func(i int) bool { return f < bounds[i] })
}

// datePattern is a string starting with a YYYY-MM-DD date; the native pipeline uses the
// same pattern.
const datePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}`

var datePrefixRe = regexp.MustCompile(datePattern)

// datePrefix is the day or month of a value: the UTC date of a timestamp (metadata), the
// date as written at the start of a string (its own offset, not converted), else nil.
func datePrefix(v any, n int) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02")[:n]
	case string:
		if datePrefixRe.MatchString(x) {
			return x[:n]
		}
	}
	return nil
}

// compareKeys orders group keys: nil first, then numbers, strings, booleans, others.
func compareKeys(a, b []any) int {
	for i := range a {
		if i >= len(b) {
			return 1
		}
		if c := compareValue(a[i], b[i]); c != 0 {
			return c
		}
	}
	if len(a) < len(b) {
		return -1
	}
	return 0
}

func compareValue(a, b any) int {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case int:
		return x - b.(int)
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case nil:
		return 0
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func rank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case float64, int:
		return 1
	case string:
		return 2
	case bool:
		return 3
	}
	return 4
}
