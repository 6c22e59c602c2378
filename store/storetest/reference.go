package storetest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
)

// This file is the suite's own reading of the contract in doc.go, written in plain Go
// over fixtures, so expectations never come from an engine.

// kind orders values of different types: missing and null first, as in MongoDB.
type kind int

const (
	kindNull kind = iota
	kindNum
	kindText
	kindBool
	kindTime
	kindOther // objects and arrays: outside the comparison contract
)

// refValue is one value normalized for comparison.
type refValue struct {
	kind  kind
	i     int64
	f     float64
	isInt bool
	s     string
	b     bool
	ms    int64
}

// refOf normalizes a fixture or filter value. Numbers keep integers exact.
func refOf(v any) refValue {
	switch x := v.(type) {
	case nil:
		return refValue{kind: kindNull}
	case string:
		return refValue{kind: kindText, s: x}
	case bool:
		return refValue{kind: kindBool, b: x}
	case int:
		return refValue{kind: kindNum, i: int64(x), isInt: true}
	case int32:
		return refValue{kind: kindNum, i: int64(x), isInt: true}
	case int64:
		return refValue{kind: kindNum, i: x, isInt: true}
	case float32:
		return refValue{kind: kindNum, f: float64(x)}
	case float64:
		return refValue{kind: kindNum, f: x}
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return refValue{kind: kindNum, i: i, isInt: true}
		}
		f, err := x.Float64()
		if err != nil {
			panic(fmt.Sprintf("storetest: bad fixture number %q", x))
		}
		return refValue{kind: kindNum, f: f}
	case time.Time:
		return refValue{kind: kindTime, ms: x.UnixMilli()}
	}
	return refValue{kind: kindOther}
}

func (v refValue) bigFloat() *big.Float {
	if v.isInt {
		return new(big.Float).SetInt64(v.i)
	}
	return new(big.Float).SetFloat64(v.f)
}

// compare orders a and b; ok is false when they are not comparable (different kinds,
// or objects and arrays).
func compare(a, b refValue) (int, bool) {
	if a.kind != b.kind || a.kind == kindOther {
		return 0, false
	}
	switch a.kind {
	case kindNull:
		return 0, true
	case kindNum:
		if a.isInt && b.isInt {
			return cmpOrdered(a.i, b.i), true
		}
		return a.bigFloat().Cmp(b.bigFloat()), true
	case kindText:
		return strings.Compare(a.s, b.s), true
	case kindBool:
		return cmpOrdered(boolInt(a.b), boolInt(b.b)), true
	case kindTime:
		return cmpOrdered(a.ms, b.ms), true
	}
	return 0, false
}

func cmpOrdered[T int | int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lookup reads a field of a document: metadata, or a dotted path into Data. A missing
// value and a JSON null both come back as nil.
func lookup(d *store.Doc, field string) any {
	switch field {
	case store.FieldID:
		return d.ID
	case store.FieldVersion:
		return d.Version
	case store.FieldCreatedAt:
		return d.CreatedAt
	case store.FieldUpdatedAt:
		return d.UpdatedAt
	}
	var cur any = d.Data
	for _, p := range strings.Split(field, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// refMatch reports whether d matches f under the contract.
func refMatch(d *store.Doc, f *store.Filter) bool {
	switch {
	case f == nil:
		return true
	case len(f.And) > 0:
		for _, c := range f.And {
			if !refMatch(d, c) {
				return false
			}
		}
		return true
	case len(f.Or) > 0:
		for _, c := range f.Or {
			if refMatch(d, c) {
				return true
			}
		}
		return false
	case f.Not != nil:
		return !refMatch(d, f.Not)
	}
	raw := lookup(d, f.Field)
	v := refOf(raw)
	equal := func(x any) bool {
		c, ok := compare(v, refOf(x))
		return ok && c == 0 && v.kind != kindNull
	}
	switch f.Op {
	case store.OpEq:
		return equal(f.Value)
	case store.OpNe:
		return !equal(f.Value)
	case store.OpGt, store.OpGte, store.OpLt, store.OpLte:
		c, ok := compare(v, refOf(f.Value))
		if !ok || v.kind == kindNull {
			return false
		}
		switch f.Op {
		case store.OpGt:
			return c > 0
		case store.OpGte:
			return c >= 0
		case store.OpLt:
			return c < 0
		}
		return c <= 0
	case store.OpIn, store.OpNin:
		in := false
		for _, x := range f.Value.([]any) {
			in = in || equal(x)
		}
		return in == (f.Op == store.OpIn)
	case store.OpExists:
		return (raw != nil) == f.Value.(bool)
	case store.OpContains:
		want := f.Value.(string)
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
	case store.OpPrefix:
		s, ok := raw.(string)
		return ok && strings.HasPrefix(s, f.Value.(string))
	}
	panic("storetest: reference has no operator " + string(f.Op))
}

// refFilter returns the ids of docs matching f, in docs' order.
func refFilter(docs []*store.Doc, f *store.Filter) []string {
	var ids []string
	for _, d := range docs {
		if refMatch(d, f) {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// refSort returns the ids of docs in sorts order: missing and null first ascending, last
// descending, id ascending to break ties.
func refSort(docs []*store.Doc, sorts []store.Sort) []string {
	sorted := append([]*store.Doc(nil), docs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		for _, s := range sorts {
			a, b := refOf(lookup(sorted[i], s.Field)), refOf(lookup(sorted[j], s.Field))
			c := cmpOrdered(int(a.kind), int(b.kind))
			if c == 0 {
				c, _ = compare(a, b)
			}
			if s.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return sorted[i].ID < sorted[j].ID
	})
	ids := make([]string, len(sorted))
	for i, d := range sorted {
		ids[i] = d.ID
	}
	return ids
}

var datePrefixRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`)

// refKey derives one group key value under the contract.
func refKey(d *store.Doc, k store.GroupKey) any {
	raw := lookup(d, k.Field)
	switch k.Bucket {
	case store.BucketDay, store.BucketMonth:
		n := 10
		if k.Bucket == store.BucketMonth {
			n = 7
		}
		switch x := raw.(type) {
		case time.Time:
			return x.UTC().Format("2006-01-02")[:n]
		case string:
			if datePrefixRe.MatchString(x) {
				return x[:n]
			}
		}
		return nil
	case store.BucketRange:
		f, ok := refNumber(raw)
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
	if f, ok := refNumber(raw); ok {
		return f
	}
	return fmt.Sprint(raw)
}

// refNumber reads a numeric value as float64; booleans, strings and the rest are not.
func refNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// keyString renders a group key so groups can be matched across engines; it fails on
// a key element of a type the contract does not allow.
func keyString(key []any) (string, error) {
	parts := make([]string, len(key))
	for i, k := range key {
		switch x := k.(type) {
		case nil:
			parts[i] = "null"
		case string:
			parts[i] = "s:" + strconv.Quote(x)
		case float64:
			parts[i] = "n:" + strconv.FormatFloat(x, 'g', -1, 64)
		case bool:
			parts[i] = "b:" + strconv.FormatBool(x)
		case int:
			parts[i] = "i:" + strconv.Itoa(x)
		default:
			return "", fmt.Errorf("group key element %d has type %T (want string, float64, bool, int or nil)", i, k)
		}
	}
	return "[" + strings.Join(parts, " ") + "]", nil
}

// refAggregate computes the groups of an aggregation under the contract, keyed by
// keyString.
func refAggregate(docs []*store.Doc, a store.Aggregation) map[string]map[string]float64 {
	type acc struct {
		count    map[string]int
		sum      map[string]float64
		n        map[string]int
		min, max map[string]float64
	}
	groups := map[string]*acc{}
	for _, d := range docs {
		if !refMatch(d, a.Filter) {
			continue
		}
		key := make([]any, len(a.GroupBy))
		for i, k := range a.GroupBy {
			key[i] = refKey(d, k)
		}
		ks, err := keyString(key)
		if err != nil {
			panic(err)
		}
		g := groups[ks]
		if g == nil {
			g = &acc{count: map[string]int{}, sum: map[string]float64{}, n: map[string]int{}, min: map[string]float64{}, max: map[string]float64{}}
			groups[ks] = g
		}
		for _, m := range a.Measures {
			if m.Filter != nil && !refMatch(d, m.Filter) {
				continue // the group exists; this measure does not read the document
			}
			if m.Op == store.MeasureCount {
				g.count[m.Name]++
				continue
			}
			f, ok := refNumber(lookup(d, m.Field))
			if !ok {
				continue
			}
			g.sum[m.Name] += f
			if g.n[m.Name] == 0 || f < g.min[m.Name] {
				g.min[m.Name] = f
			}
			if g.n[m.Name] == 0 || f > g.max[m.Name] {
				g.max[m.Name] = f
			}
			g.n[m.Name]++
		}
	}
	if len(a.GroupBy) == 0 && len(groups) == 0 {
		groups["[]"] = &acc{count: map[string]int{}, sum: map[string]float64{}, n: map[string]int{}}
	}
	out := map[string]map[string]float64{}
	for ks, g := range groups {
		vals := map[string]float64{}
		for _, m := range a.Measures {
			switch m.Op {
			case store.MeasureCount:
				vals[m.Name] = float64(g.count[m.Name])
			case store.MeasureSum:
				vals[m.Name] = g.sum[m.Name]
			case store.MeasureAvg:
				if g.n[m.Name] > 0 {
					vals[m.Name] = g.sum[m.Name] / float64(g.n[m.Name])
				}
			case store.MeasureMin:
				if g.n[m.Name] > 0 {
					vals[m.Name] = g.min[m.Name]
				}
			case store.MeasureMax:
				if g.n[m.Name] > 0 {
					vals[m.Name] = g.max[m.Name]
				}
			}
		}
		out[ks] = vals
	}
	return out
}
