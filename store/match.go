package store

import (
	"cmp"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Match reports whether d matches f under the query model's contract (store/storetest
// states it), exactly as the engines' Find would: for callers that must evaluate a
// filter on a document in hand the way the store would on the stored one (counters kept
// beside the documents they count). A nil filter matches every document.
func Match(f *Filter, d *Doc) bool {
	switch {
	case f == nil:
		return true
	case len(f.And) > 0:
		for _, c := range f.And {
			if !Match(c, d) {
				return false
			}
		}
		return true
	case len(f.Or) > 0:
		for _, c := range f.Or {
			if Match(c, d) {
				return true
			}
		}
		return false
	case f.Not != nil:
		return !Match(f.Not, d)
	}
	raw := rawFieldValue(d, f.Field)
	switch f.Op {
	case OpEq:
		return equalValues(raw, f.Value)
	case OpNe:
		return !equalValues(raw, f.Value)
	case OpGt, OpGte, OpLt, OpLte:
		c, ok := compareValues(raw, f.Value)
		if !ok {
			return false
		}
		switch f.Op {
		case OpGt:
			return c > 0
		case OpGte:
			return c >= 0
		case OpLt:
			return c < 0
		}
		return c <= 0
	case OpIn, OpNin:
		vs, _ := f.Value.([]any)
		in := false
		for _, v := range vs {
			if equalValues(raw, v) {
				in = true
				break
			}
		}
		return in == (f.Op == OpIn)
	case OpExists:
		want, _ := f.Value.(bool)
		return (raw != nil) == want
	case OpContains:
		want, _ := f.Value.(string)
		switch x := raw.(type) {
		case string:
			return strings.Contains(x, want)
		case []any:
			for _, el := range x {
				if s, ok := el.(string); ok && s == want {
					return true
				}
			}
		}
		return false
	case OpPrefix:
		want, _ := f.Value.(string)
		s, ok := raw.(string)
		return ok && strings.HasPrefix(s, want)
	}
	return false
}

// GroupKeyOf is the value the engines' Aggregate gives d for group key k: a string,
// float64, bool or nil by value (the RFC 3339 UTC string with milliseconds for a
// timestamp), the "2006-01-02" or "2006-01" prefix of a date for day and month buckets,
// the int range index for a range bucket (nil for what is not a number).
func GroupKeyOf(d *Doc, k GroupKey) any {
	raw := rawFieldValue(d, k.Field)
	switch k.Bucket {
	case BucketDay, BucketMonth:
		n := 10
		if k.Bucket == BucketMonth {
			n = 7
		}
		switch x := raw.(type) {
		case time.Time:
			return x.UTC().Format("2006-01-02")[:n]
		case string:
			if HasDatePrefix(x) {
				return x[:n]
			}
		}
		return nil
	case BucketRange:
		f, ok := Numeric(raw)
		if !ok {
			return nil
		}
		for i, b := range k.Bounds {
			if f < b {
				return i
			}
		}
		return len(k.Bounds)
	}
	switch x := raw.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	case string, bool, nil:
		return x
	}
	if f, ok := Numeric(raw); ok {
		return f
	}
	return nil
}

// Numeric reads a value the way measures and range buckets do: numbers (any
// representation) are, booleans, strings and the rest are not.
func Numeric(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x)
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// HasDatePrefix reports whether s starts with a YYYY-MM-DD date, as every RFC 3339 date
// and date-time does: what day and month buckets read.
func HasDatePrefix(s string) bool {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := range 10 {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// valueKind orders the types the contract compares; values of different kinds never
// compare, and objects and arrays never compare at all.
type valueKind uint8

const (
	vkNull valueKind = iota
	vkNumber
	vkText
	vkBool
	vkTime
	vkOther
)

func kindOf(v any) valueKind {
	switch v.(type) {
	case nil:
		return vkNull
	case string:
		return vkText
	case bool:
		return vkBool
	case time.Time:
		return vkTime
	case float64, float32, int, int32, int64, json.Number:
		return vkNumber
	}
	return vkOther
}

// equalValues is eq: the same kind, not null, and equal within it.
func equalValues(a, b any) bool {
	c, ok := compareValues(a, b)
	return ok && c == 0
}

// compareValues orders a stored value a against a filter value b; ok is false when they
// do not compare (missing or null, different kinds, objects or arrays).
func compareValues(a, b any) (int, bool) {
	ka, kb := kindOf(a), kindOf(b)
	if ka != kb || ka == vkNull || ka == vkOther {
		return 0, false
	}
	switch ka {
	case vkText:
		return strings.Compare(a.(string), b.(string)), true
	case vkBool:
		x, y := a.(bool), b.(bool)
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case vkTime:
		return cmp.Compare(a.(time.Time).UnixMilli(), b.(time.Time).UnixMilli()), true
	}
	return compareNumbers(a, b)
}

// compareNumbers compares two numbers whatever their representation; integers beyond
// 2^53 compare exactly.
func compareNumbers(a, b any) (int, bool) {
	ia, aInt := integerOf(a)
	ib, bInt := integerOf(b)
	if aInt && bInt {
		return cmp.Compare(ia, ib), true
	}
	fa, ok := bigOf(a)
	if !ok {
		return 0, false
	}
	fb, ok := bigOf(b)
	if !ok {
		return 0, false
	}
	return fa.Cmp(fb), true
}

func integerOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case json.Number:
		i, err := strconv.ParseInt(string(x), 10, 64)
		return i, err == nil
	}
	return 0, false
}

func bigOf(v any) (*big.Float, bool) {
	if i, ok := integerOf(v); ok {
		return new(big.Float).SetInt64(i), true
	}
	f, ok := Numeric(v)
	if !ok || math.IsInf(f, 0) {
		return nil, false
	}
	return new(big.Float).SetFloat64(f), true
}
