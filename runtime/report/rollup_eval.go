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
// record counts in a rollup exactly where the store's aggregate would count it. It
// holds no state of a count, so concurrent writes may share it.
type evaluator struct {
	spec *rollupSpec
	id   string
	// filters are the distinct column filters, keys their JSON; colFilter[i] indexes them.
	filters   []*store.Filter
	keys      []string
	colFilter []int
	// colPaths and dimPaths are the columns' and dimensions' fields split at their dots,
	// once; rangeKeys are the range dimensions' group keys.
	colPaths  [][]string
	dimPaths  [][]string
	rangeKeys []store.GroupKey
}

func newEvaluator(spec *rollupSpec) *evaluator {
	e := &evaluator{spec: spec, id: spec.id(), colFilter: make([]int, len(spec.Cols)),
		colPaths: make([][]string, len(spec.Cols)), dimPaths: make([][]string, len(spec.Dims)),
		rangeKeys: make([]store.GroupKey, len(spec.Dims))}
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
		if c.Field != "" {
			e.colPaths[i] = strings.Split(c.Field, ".")
		}
	}
	for i, dm := range spec.Dims {
		e.dimPaths[i] = strings.Split(dm.Field, ".")
		if dm.Grain == grainRange {
			e.rangeKeys[i] = store.GroupKey{Field: dm.Field, Bucket: store.BucketRange, Bounds: dm.Bounds}
		}
	}
	return e
}

// matcher evaluates the distinct filters of several rollups once per record: the
// rollups of a dashboard share most of theirs.
type matcher struct {
	filters []*store.Filter
	index   map[*evaluator][]int
	got     []bool
	doc     store.Doc
}

func newMatcher(evals ...*evaluator) *matcher {
	m := &matcher{index: make(map[*evaluator][]int, len(evals))}
	at := map[string]int{}
	for _, e := range evals {
		// idx maps each column of e to the matcher's result for its filter.
		idx := make([]int, len(e.spec.Cols))
		for i, j := range e.colFilter {
			mi, ok := at[e.keys[j]]
			if !ok {
				mi = len(m.filters)
				at[e.keys[j]] = mi
				m.filters = append(m.filters, e.filters[j])
			}
			idx[i] = mi
		}
		m.index[e] = idx
	}
	m.got = make([]bool, len(m.filters))
	return m
}

// match evaluates every filter on a record's fields; add then reads the results.
func (m *matcher) match(data map[string]any) {
	m.doc.Data = data
	for i, f := range m.filters {
		m.got[i] = store.Match(f, &m.doc)
	}
}

// collection is the store collection of the rollup's rows.
func (e *evaluator) collection() string { return rollupCollection(e.id) }

func rollupCollection(id string) string { return "rollup:" + id }

// tally accumulates the increments of a batch of records, one per row touched, in the
// order the rows were first touched.
type tally struct {
	rows  map[string]*tallyRow // by the row's key (appendKey of its dimension values)
	order []*tallyRow
	// key and vals are scratch space for the row of the record being counted.
	key  []byte
	vals []any
	doc  store.Doc
}

// tallyRow is one row's dimension values and what is added to each of its columns.
type tallyRow struct {
	key, id string
	set     map[string]any
	add     []float64
}

func newTally() *tally { return &tally{rows: map[string]*tallyRow{}} }

// merge adds o's rows to t's, those t does not have after its own, in o's order.
func (t *tally) merge(o *tally) {
	for _, row := range o.order {
		mine, ok := t.rows[row.key]
		if !ok {
			t.rows[row.key] = row
			t.order = append(t.order, row)
			continue
		}
		for i, v := range row.add {
			mine.add[i] += v
		}
	}
}

// add counts data (a record's fields, which m has just matched) into its row with
// sign +1 or -1.
func (e *evaluator) add(t *tally, m *matcher, data map[string]any, sign float64) {
	idx := m.index[e]
	var row *tallyRow
	for i, c := range e.spec.Cols {
		if !m.got[idx[i]] {
			continue
		}
		v := 1.0
		if c.Op != colCount {
			n, ok := store.Numeric(fieldAt(data, e.colPaths[i]))
			if !ok {
				continue
			}
			if c.Op == colSum {
				v = n
			}
		}
		if row == nil {
			row = e.row(t, data)
		}
		row.add[i] += sign * v
	}
}

// increments are the tally's rows with something to add, each with only its columns
// that change (a write costs per column); a row whose additions cancel out is left
// alone. A column a row never had reads as nothing, which sums as 0.
func (e *evaluator) increments(t *tally) []store.Increment {
	out := make([]store.Increment, 0, len(t.order))
	for _, row := range t.order {
		var add map[string]float64
		for i, v := range row.add {
			if v == 0 {
				continue
			}
			if add == nil {
				add = make(map[string]float64, len(row.add))
			}
			add[e.spec.Cols[i].Name] = v
		}
		if add != nil {
			out = append(out, store.Increment{ID: row.id, Set: row.set, Add: add})
		}
	}
	return out
}

// row is the tally's row a record counts in, added when new: its id and dimension
// values. A dimension whose field is missing or null is left out of the row, which
// every filter and group key reads as it reads the record.
func (e *evaluator) row(t *tally, data map[string]any) *tallyRow {
	t.key, t.vals = t.key[:0], t.vals[:0]
	for i, dm := range e.spec.Dims {
		var v any
		switch dm.Grain {
		case grainRange:
			t.doc.Data = data
			if k, ok := store.GroupKeyOf(&t.doc, e.rangeKeys[i]).(int); ok {
				v = json.Number(strconv.Itoa(k))
			}
		case grainDay:
			v = dimValue(fieldAt(data, e.dimPaths[i]))
			if s, ok := v.(string); ok && store.HasDatePrefix(s) {
				v = s[:10]
			}
		default:
			v = dimValue(fieldAt(data, e.dimPaths[i]))
		}
		t.key = appendKey(t.key, v)
		t.vals = append(t.vals, v)
	}
	if row, ok := t.rows[string(t.key)]; ok {
		return row
	}
	set := make(map[string]any, len(e.spec.Dims))
	for i, dm := range e.spec.Dims {
		if t.vals[i] != nil {
			set[dm.Name] = t.vals[i]
		}
	}
	sum := sha256.Sum256(t.key)
	row := &tallyRow{key: string(t.key), id: hex.EncodeToString(sum[:16]), set: set, add: make([]float64, len(e.spec.Cols))}
	t.rows[row.key] = row
	t.order = append(t.order, row)
	return row
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

// fieldAt reads a path (a dotted field split at its dots) in a record's fields.
func fieldAt(data map[string]any, path []string) any {
	var cur any = data
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}
