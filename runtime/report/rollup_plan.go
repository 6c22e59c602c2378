package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/credolabs/credo/store"
)

// A rollup is a widget's figures kept ahead: for every combination of the values its
// widgets group by or a dashboard filter reads (its dimensions, dates at day grain), the
// counts and sums each measure needs, over the records that combination holds. A
// widget's answer is then a sum over a few thousand rollup rows rather than a scan of
// every record, and equal to the live query's: the widget's own filter and its
// measures' filters are fixed, so they are applied when a record is counted, and what
// a viewer chooses (a time range, channels) only selects dimension values. Widgets of a
// dashboard with the same dimensions share one rollup.
//
// A widget has up to two rollups: one with every dimension a dashboard filter may
// select on, and a lean one without the select filters' fields (only its group keys and
// time ranges), which has far fewer rows and answers the usual view of a dashboard,
// filtered by a period alone. A render reads the smallest ready rollup whose dimensions
// cover the filters it applies.

// grain is how a rollup keeps a dimension's field.
type grain string

const (
	// grainValue keeps the value as stored (group by value, select filters).
	grainValue grain = "value"
	// grainDay keeps a date's YYYY-MM-DD prefix and any other value as stored, so day,
	// week and month buckets and time ranges over it see what they see on the record.
	grainDay grain = "day"
	// grainRange keeps the index of the numeric range the value falls in.
	grainRange grain = "range"
)

// dimSpec is one dimension of a rollup: Name is its key in a rollup row. Select marks
// the field of a select filter, which the rollup's rows are indexed on, so a render
// filtered by it reads only the rows it selects.
type dimSpec struct {
	Name   string    `json:"name"`
	Field  string    `json:"field"`
	Grain  grain     `json:"grain"`
	Bounds []float64 `json:"bounds,omitempty"`
	Select bool      `json:"select,omitempty"`
}

// colOp is what a rollup column adds up per record.
type colOp string

const (
	colCount colOp = "count" // 1 for a record matching the filter
	colSum   colOp = "sum"   // the field's number, for a matching record that has one
	colNum   colOp = "num"   // 1 for a matching record whose field holds a number
)

// colSpec is one figure column of a rollup row.
type colSpec struct {
	Name   string        `json:"name"`
	Op     colOp         `json:"op"`
	Field  string        `json:"field,omitempty"`
	Filter *store.Filter `json:"filter,omitempty"`
}

// rollupSpec is everything that defines a rollup's content; its hash names it, so a
// change to any of it is a new rollup, built beside the old one.
type rollupSpec struct {
	Dashboard string    `json:"dashboard"`
	Form      string    `json:"form"`
	Dims      []dimSpec `json:"dims"`
	Cols      []colSpec `json:"cols"`
}

// rollupFormat versions the meaning of specs: bump it when how a spec is evaluated
// changes, so every rollup is rebuilt.
const rollupFormat = "1"

// id names the rollup: "r" and 16 hex digits of the spec's hash.
func (s *rollupSpec) id() string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(append([]byte(rollupFormat+"\x00"), b...))
	return "r" + hex.EncodeToString(sum[:8])
}

// widgetRollup is how one widget reads one of its rollups.
type widgetRollup struct {
	spec *rollupSpec
	// keys are the widget's group keys over the rollup's dimensions; rangeIdx marks
	// those reading a range-index dimension (stored as a number, answered as an int).
	keys     []store.GroupKey
	rangeIdx []bool
	// dims maps a field to its dimension, for the dashboard filters.
	dims map[string]string
	// presence counts the widget's records: a row without any holds nothing of it.
	presence string
	// measures give each measure of the widget's combined query from columns.
	measures []rollupMeasure
	// fields are the record fields the widget reads whatever the parameters.
	fields []string
}

// rollupMeasure is one measure of the combined query: a count or sum column, or for an
// average a sum and the count of numbers.
type rollupMeasure struct {
	name string
	op   store.MeasureOp
	col  string
	num  string
}

// dashboardRollups is a dashboard's rollups and which widget reads which: per widget,
// its rollups from the fewest dimensions to the most.
type dashboardRollups struct {
	specs   []*rollupSpec
	ids     []string
	widgets map[string][]*widgetRollup
}

// planOnce derives a dashboard's rollups once; AtVersion copies share it.
type planOnce struct {
	once sync.Once
	plan *dashboardRollups
}

// rollups returns the dashboard's rollup plan.
func (d *Dashboard) rollups() *dashboardRollups {
	if d.plan == nil {
		return planRollups(d)
	}
	d.plan.once.Do(func() { d.plan.plan = planRollups(d) })
	return d.plan.plan
}

// planRollups derives the rollups of d: one per distinct set of dimensions among its
// widgets that a rollup can answer exactly.
func planRollups(d *Dashboard) *dashboardRollups {
	out := &dashboardRollups{widgets: map[string][]*widgetRollup{}}
	bySig := map[string]*rollupSpec{}
	colsOf := map[*rollupSpec]map[string]string{}
	for _, w := range d.widgets {
		for _, withSelect := range []bool{false, true} {
			dims, ok := d.widgetDims(w, withSelect)
			if !ok {
				break
			}
			sig, _ := json.Marshal(dims)
			key := w.def.Form + "\x00" + string(sig)
			spec, ok := bySig[key]
			if withSelect && ok && len(out.widgets[w.def.ID]) > 0 && out.widgets[w.def.ID][0].spec == spec {
				break // no select filter applies: the lean rollup is the whole one
			}
			if !ok {
				spec = &rollupSpec{Dashboard: d.def.Key, Form: w.def.Form, Dims: dims}
				bySig[key] = spec
				colsOf[spec] = map[string]string{}
				out.specs = append(out.specs, spec)
			}
			if wr := bindWidget(w, spec, colsOf[spec]); wr != nil {
				out.widgets[w.def.ID] = append(out.widgets[w.def.ID], wr)
			}
		}
	}
	// A spec none of whose widgets could bind has no columns: drop it.
	kept := out.specs[:0]
	for _, s := range out.specs {
		if len(s.Cols) > 0 {
			kept = append(kept, s)
		}
	}
	out.specs = kept
	for _, s := range out.specs {
		out.ids = append(out.ids, s.id())
	}
	return out
}

// fieldUse is how a widget uses one field as a dimension.
type fieldUse struct {
	value, day, selected bool
	ranges               [][]float64
}

// widgetDims lists the dimensions w needs: its group keys and the dashboard filters
// that apply to it (the select filters only withSelect). ok is false when a rollup
// cannot answer w exactly: it reads record metadata, or measures a minimum or maximum
// (which a count cannot take back).
func (d *Dashboard) widgetDims(w *Widget, withSelect bool) ([]dimSpec, bool) {
	for _, f := range w.staticFields() {
		if k := w.form.kind(f); k == kindNone || k == kindStamp || strings.HasPrefix(f, "_") {
			return nil, false
		}
	}
	for _, pt := range w.parts {
		for _, m := range pt.measures {
			if m.Op == store.MeasureMin || m.Op == store.MeasureMax {
				return nil, false
			}
		}
	}
	uses := map[string]*fieldUse{}
	use := func(f string) *fieldUse {
		if uses[f] == nil {
			uses[f] = &fieldUse{}
		}
		return uses[f]
	}
	for _, g := range w.def.GroupBy {
		switch g.Bucket {
		case store.BucketDay, BucketWeek, store.BucketMonth:
			use(g.Field).day = true
		case store.BucketRange:
			u := use(g.Field)
			if !slices.ContainsFunc(u.ranges, func(b []float64) bool { return slices.Equal(b, g.Bounds) }) {
				u.ranges = append(u.ranges, g.Bounds)
			}
		default:
			use(g.Field).value = true
		}
	}
	for _, fd := range d.def.Filters {
		k := w.form.kind(fd.Field)
		if k == kindNone || ignored(w, fd.ID) || (fd.Kind != FilterTimeRange && !withSelect) {
			continue
		}
		if k == kindStamp || strings.HasPrefix(fd.Field, "_") {
			return nil, false
		}
		switch {
		case fd.Kind == FilterTimeRange:
			use(fd.Field).day = true
		case withSelect:
			use(fd.Field).value = true
			use(fd.Field).selected = true
		}
	}
	var dims []dimSpec
	for _, f := range sortedKeys(uses) {
		u := uses[f]
		switch {
		case u.value:
			dims = append(dims, dimSpec{Field: f, Grain: grainValue, Select: u.selected})
		case u.day:
			dims = append(dims, dimSpec{Field: f, Grain: grainDay})
		default:
			for _, b := range u.ranges {
				dims = append(dims, dimSpec{Field: f, Grain: grainRange, Bounds: b})
			}
		}
	}
	sort.SliceStable(dims, func(i, j int) bool { return dims[i].Field < dims[j].Field })
	for i := range dims {
		dims[i].Name = fmt.Sprintf("k%d", i)
	}
	return dims, true
}

// staticFields lists the record fields w reads whatever the parameters: grouped by,
// measured, and named by its filter, its measures' filters and its stages' filters.
func (w *Widget) staticFields() []string {
	seen := map[string]bool{}
	for _, g := range w.def.GroupBy {
		seen[g.Field] = true
	}
	for _, f := range w.def.Filter.Fields() {
		seen[f] = true
	}
	for _, pt := range w.parts {
		for _, f := range pt.filter.Fields() {
			seen[f] = true
		}
		for _, m := range pt.measures {
			if m.Field != "" {
				seen[m.Field] = true
			}
		}
	}
	return sortedKeys(seen)
}

// bindWidget adds the columns w needs to spec (sharing equal ones through cols, keyed
// by their definition) and says how w reads them.
func bindWidget(w *Widget, spec *rollupSpec, cols map[string]string) *widgetRollup {
	wr := &widgetRollup{spec: spec, dims: map[string]string{}, fields: w.staticFields()}
	for _, dm := range spec.Dims {
		if dm.Grain != grainRange {
			wr.dims[dm.Field] = dm.Name
		}
	}
	col := func(op colOp, field string, f *store.Filter) string {
		c := colSpec{Op: op, Field: field, Filter: f}
		b, _ := json.Marshal(c)
		if name, ok := cols[string(b)]; ok {
			return name
		}
		c.Name = fmt.Sprintf("m%d", len(spec.Cols))
		cols[string(b)] = c.Name
		spec.Cols = append(spec.Cols, c)
		return c.Name
	}
	for _, g := range w.def.GroupBy {
		k, isRange := dimKey(spec, g)
		wr.keys = append(wr.keys, k)
		wr.rangeIdx = append(wr.rangeIdx, isRange)
	}
	wf := w.def.Filter
	wr.presence = col(colCount, "", wf)
	keys := make([]store.GroupKey, len(w.def.GroupBy))
	for i, g := range w.def.GroupBy {
		keys[i] = storeKey(g)
	}
	for _, m := range w.combinedQuery(nil, keys).Measures {
		f := store.And(wf, m.Filter)
		rm := rollupMeasure{name: m.Name, op: m.Op}
		switch m.Op {
		case store.MeasureCount:
			rm.col = col(colCount, "", f)
		case store.MeasureSum:
			rm.col = col(colSum, m.Field, f)
		case store.MeasureAvg:
			rm.col, rm.num = col(colSum, m.Field, f), col(colNum, m.Field, f)
		default:
			return nil
		}
		wr.measures = append(wr.measures, rm)
	}
	return wr
}

// dimKey is group key g over spec's dimensions: the same bucket over a value or day
// dimension, or the value of a range-index dimension (isRange).
func dimKey(spec *rollupSpec, g GroupDef) (k store.GroupKey, isRange bool) {
	k = storeKey(g)
	for _, dm := range spec.Dims {
		if dm.Field != g.Field {
			continue
		}
		if dm.Grain == grainRange {
			if g.Bucket == store.BucketRange && slices.Equal(dm.Bounds, g.Bounds) {
				return store.GroupKey{Field: dm.Name}, true
			}
			continue
		}
		k.Field = dm.Name
		return k, false
	}
	return k, false
}
