package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/credolabs/credo/store"
)

// evaluator counts records into the rows of one rollup. It reads a record with the
// store's own contract in Go (store.Match, store.GroupKeyOf, store.Numeric), so a
// record counts in a rollup exactly where the store's aggregate would count it.
type evaluator struct {
	spec *rollupSpec
	id   string
	// filters are the distinct column filters, keys their JSON; colFilter[i] indexes them.
	filters   []*store.Filter
	keys      []string
	colFilter []int
}

func newEvaluator(spec *rollupSpec) *evaluator {
	e := &evaluator{spec: spec, id: spec.id(), colFilter: make([]int, len(spec.Cols))}
	seen := map[string]int{}
	for i, c := range spec.Cols {
		b, _ := json.Marshal(c.Filter)
		j, ok := seen[string(b)]
		if !ok {
			j = len(e.filters)
			seen[string(b)] = j
			e.filters = append(e.filters, c.Filter)
			e.keys = append(e.keys, string(b))
		}
		e.colFilter[i] = j
	}
	return e
}

// matcher evaluates the distinct filters of several rollups once per record: the
// rollups of a dashboard share most of theirs.
type matcher struct {
	filters []*store.Filter
	index   map[*evaluator][]int
	got     []bool
}

func newMatcher(evals ...*evaluator) *matcher {
	m := &matcher{index: make(map[*evaluator][]int, len(evals))}
	at := map[string]int{}
	for _, e := range evals {
		idx := make([]int, len(e.filters))
		for i, k := range e.keys {
			j, ok := at[k]
			if !ok {
				j = len(m.filters)
				at[k] = j
				m.filters = append(m.filters, e.filters[i])
			}
			idx[i] = j
		}
		m.index[e] = idx
	}
	m.got = make([]bool, len(m.filters))
	return m
}

// match evaluates every filter on a record's fields; add then reads the results.
func (m *matcher) match(data map[string]any) {
	doc := &store.Doc{Data: data}
	for i, f := range m.filters {
		m.got[i] = store.Match(f, doc)
	}
}

// collection is the store collection of the rollup's rows.
func (e *evaluator) collection() string { return rollupCollection(e.id) }

func rollupCollection(id string) string { return "rollup:" + id }

// tally accumulates the increments of a batch of records, one per row touched.
type tally struct {
	rows  map[string]*store.Increment
	order []string
}

func newTally() *tally { return &tally{rows: map[string]*store.Increment{}} }

// add counts data (a record's fields, which m has just matched) into its row with
// sign +1 or -1.
func (e *evaluator) add(t *tally, m *matcher, data map[string]any, sign float64) {
	idx := m.index[e]
	var adds map[string]float64
	for i, c := range e.spec.Cols {
		if !m.got[idx[e.colFilter[i]]] {
			continue
		}
		v := 1.0
		if c.Op != colCount {
			n, ok := store.Numeric(rawValue(data, c.Field))
			if !ok {
				continue
			}
			if c.Op == colSum {
				v = n
			}
		}
		if adds == nil {
			adds = make(map[string]float64, len(e.spec.Cols))
		}
		adds[c.Name] += sign * v
	}
	if adds == nil {
		return // the record holds nothing of this rollup
	}
	id, set := e.row(data)
	inc, ok := t.rows[id]
	if !ok {
		inc = &store.Increment{ID: id, Set: set, Add: map[string]float64{}}
		t.rows[id] = inc
		t.order = append(t.order, id)
	}
	for k, v := range adds {
		inc.Add[k] += v
	}
}

// increments are the tally's rows with something to add, each with only its columns
// that change (a write costs per column); a row whose additions cancel out is left
// alone. A column a row never had reads as nothing, which sums as 0.
func (e *evaluator) increments(t *tally) []store.Increment {
	out := make([]store.Increment, 0, len(t.order))
	for _, id := range t.order {
		inc := t.rows[id]
		for k, v := range inc.Add {
			if v == 0 {
				delete(inc.Add, k)
			}
		}
		if len(inc.Add) > 0 {
			out = append(out, *inc)
		}
	}
	return out
}

// row is the id and dimension values of the row a record counts in. A dimension whose
// field is missing or null is left out of the row, which every filter and group key
// reads as it reads the record.
func (e *evaluator) row(data map[string]any) (string, map[string]any) {
	set := make(map[string]any, len(e.spec.Dims))
	key := make([]byte, 0, 64)
	for _, dm := range e.spec.Dims {
		var v any
		switch dm.Grain {
		case grainRange:
			doc := &store.Doc{Data: data}
			if i, ok := store.GroupKeyOf(doc, store.GroupKey{Field: dm.Field, Bucket: store.BucketRange, Bounds: dm.Bounds}).(int); ok {
				v = json.Number(strconv.Itoa(i))
			}
		case grainDay:
			v = dimValue(rawValue(data, dm.Field))
			if s, ok := v.(string); ok && store.HasDatePrefix(s) {
				v = s[:10]
			}
		default:
			v = dimValue(rawValue(data, dm.Field))
		}
		key = appendKey(key, v)
		if v != nil {
			set[dm.Name] = v
		}
	}
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:16]), set
}

// appendKey writes a dimension value into a row's key, unambiguously: a type tag, and
// for text its length.
func appendKey(key []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(key, 'z')
	case string:
		key = append(key, 's')
		key = strconv.AppendInt(key, int64(len(x)), 10)
		key = append(key, ':')
		return append(key, x...)
	case json.Number:
		key = append(key, '#')
		return append(append(key, x...), ';')
	case bool:
		if x {
			return append(key, 't')
		}
		return append(key, 'f')
	}
	b, _ := json.Marshal(v)
	key = append(key, 'j')
	key = strconv.AppendInt(key, int64(len(b)), 10)
	key = append(key, ':')
	return append(key, b...)
}

// dimValue is a value as a rollup row keeps it: numbers in one canonical form (so 5,
// 5.0 and json.Number("5") are one row), everything else as it is.
func dimValue(v any) any {
	switch x := v.(type) {
	case json.Number, float64, float32, int, int32, int64:
		return canonicalNumber(x)
	}
	return v
}

// canonicalNumber writes an integer exactly and any other number in its shortest form.
func canonicalNumber(v any) json.Number {
	if n, ok := v.(json.Number); ok {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		if f, ok := new(big.Float).SetString(string(n)); ok && f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return json.Number(strconv.FormatInt(i, 10))
			}
		}
	}
	f, _ := store.Numeric(v)
	if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// rawValue reads a dotted path in a record's fields.
func rawValue(data map[string]any, path string) any {
	var cur any = data
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}
