package report

import (
	"encoding/json"
	"sort"

	"github.com/credolabs/credo/store"
)

// WidgetData is a rendered widget: categories (the x axis, table rows or funnel stages)
// and series (one per shown measure, or per second group value of a stacked bar) with
// one value per category. It is JSON as served; callers must not modify it (it may be
// shared through the cache).
type WidgetData struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	// Dimensions label the grouped fields, in group order (table column headers).
	Dimensions []string   `json:"dimensions"`
	Categories []Category `json:"categories"`
	Series     []Series   `json:"series"`
}

// Category is one group: Key holds one value per grouped field (a funnel: the stage id;
// a stacked bar: the first field only) and is what a drill-down names.
type Category struct {
	Key    []any    `json:"key"`
	Label  string   `json:"label"`
	Labels []string `json:"labels,omitempty"`
}

// Series is one line of figures. ID is what a drill-down names: the measure name, or
// for a stacked bar the measure name, "|" and the JSON of the series value.
type Series struct {
	ID      string `json:"id"`
	Measure string `json:"measure"`
	// Key is the second group value of a stacked bar's series.
	Key    any    `json:"key,omitempty"`
	Label  string `json:"label"`
	Format string `json:"format,omitempty"`
	// Values has one entry per category; null where the figure is undefined (an
	// average of nothing, a ratio over zero).
	Values []*float64 `json:"values"`
}

// row is one category while figures are merged from the widget's parts.
type row struct {
	key  []any
	vals []map[string]float64 // per part
}

// merge collects the groups of every part into rows keyed by the widget's keys.
func (w *Widget) merge(results [][]store.Group) []*row {
	byKey := map[string]*row{}
	var rows []*row
	for pi, groups := range results {
		ops := map[string]store.MeasureOp{}
		for _, m := range w.parts[pi].measures {
			ops[m.Name] = m.Op
		}
		for _, g := range groups {
			key := make([]any, len(g.Key))
			for i, v := range g.Key {
				key[i] = foldKey(w.def.GroupBy[i], v)
			}
			ks := keyString(key)
			r, ok := byKey[ks]
			if !ok {
				r = &row{key: key, vals: make([]map[string]float64, len(w.parts))}
				byKey[ks] = r
				rows = append(rows, r)
			}
			if r.vals[pi] == nil {
				r.vals[pi] = map[string]float64{}
			}
			for name, v := range g.Values {
				cur, had := r.vals[pi][name]
				r.vals[pi][name] = fold(ops[name], cur, v, had)
			}
		}
	}
	return rows
}

// fold combines two figures of one measure (days folded into a week).
func fold(op store.MeasureOp, cur, v float64, had bool) float64 {
	if !had {
		return v
	}
	switch op {
	case store.MeasureMin:
		return min(cur, v)
	case store.MeasureMax:
		return max(cur, v)
	}
	return cur + v // count and sum; weekly averages are folded as sum and count
}

func keyString(key []any) string {
	b, _ := json.Marshal(key)
	return string(b)
}

// value is the figure of measure m in r; nil when undefined.
func (w *Widget) value(r *row, m *measure) *float64 {
	if m.def.Op == OpRatio {
		num, den := w.value(r, w.measureNamed(m.def.Numerator)), w.value(r, w.measureNamed(m.def.Denominator))
		if num == nil || den == nil || *den == 0 {
			return nil
		}
		return ptrTo(*num / *den)
	}
	vals := r.vals[m.part]
	v, ok := vals[m.name]
	if m.count != "" {
		n := vals[m.count]
		if !ok || n == 0 {
			return nil
		}
		return ptrTo(v / n)
	}
	if !ok {
		if m.def.Op == string(store.MeasureCount) || m.def.Op == string(store.MeasureSum) {
			return ptrTo(0)
		}
		return nil
	}
	return ptrTo(v)
}

func (w *Widget) measureNamed(name string) *measure {
	for _, m := range w.measures {
		if m.def.Name == name {
			return m
		}
	}
	return nil
}

func ptrTo(v float64) *float64 { return &v }

// complete adds the categories a chart should show even when empty: every range of a
// distribution and every day, week or month between the first and the last of a line.
func (w *Widget) complete(rows []*row) []*row {
	if len(w.def.GroupBy) != 1 {
		return rows
	}
	g := w.def.GroupBy[0]
	have := map[string]bool{}
	for _, r := range rows {
		have[keyString(r.key)] = true
	}
	add := func(v any) {
		k := []any{v}
		if !have[keyString(k)] {
			have[keyString(k)] = true
			rows = append(rows, &row{key: k, vals: make([]map[string]float64, len(w.parts))})
		}
	}
	switch {
	case g.Bucket == store.BucketRange:
		for i := 0; i <= len(g.Bounds); i++ {
			add(float64(i))
		}
	case w.def.Type == TypeLine:
		var first, last string
		for _, r := range rows {
			s, ok := r.key[0].(string)
			if !ok {
				continue
			}
			if first == "" || s < first {
				first = s
			}
			if s > last {
				last = s
			}
		}
		// A bound on the points keeps a stray date far away from filling memory.
		for s, n := first, 0; s != "" && s < last && n < 5000; s, n = nextKey(g.Bucket, s), n+1 {
			add(s)
		}
	}
	return rows
}

// order sorts rows by the widget's sort (default: by key) and applies its limit.
func (w *Widget) order(rows []*row) []*row {
	byKey := func(a, b *row) int {
		for i, g := range w.def.GroupBy {
			if c := compareKeys(w.form, g, a.key[i], b.key[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	less := func(i, j int) bool { return byKey(rows[i], rows[j]) < 0 }
	if s := w.def.Sort; s != nil && s.By != SortKey {
		m := w.measureNamed(s.By)
		less = func(i, j int) bool {
			a, b := w.value(rows[i], m), w.value(rows[j], m)
			switch {
			case a == nil || b == nil:
				return a != nil // undefined figures last
			case *a != *b:
				return (*a < *b) != s.Desc
			}
			return byKey(rows[i], rows[j]) < 0
		}
	} else if s != nil && s.Desc {
		less = func(i, j int) bool { return byKey(rows[i], rows[j]) > 0 }
	}
	sort.SliceStable(rows, less)
	if w.def.Limit > 0 && len(rows) > w.def.Limit {
		rows = rows[:w.def.Limit]
	}
	return rows
}
