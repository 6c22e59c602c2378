package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Dashboard is a compiled, immutable dashboard: every field it names exists in the forms
// it was compiled against. Safe for concurrent use.
type Dashboard struct {
	def     *Definition
	version int
	hash    string
	widgets []*Widget
	byID    map[string]*Widget
	filters map[string]*FilterDef
	// plan is the dashboard's rollups, derived on first use.
	plan *planOnce
}

// Widget is one compiled widget.
type Widget struct {
	def  *WidgetDef
	form *formInfo
	// parts are the store aggregations of the widget: measures without a filter share
	// the first, each distinct measure filter adds one. A funnel has one per stage.
	parts    []*part
	measures []*measure
}

// part is one aggregate query of a widget: the widget's query narrowed by filter.
type part struct {
	filter   *store.Filter
	measures []store.Measure
}

// measure is where a measure's figures come from.
type measure struct {
	def *MeasureDef
	// part and name locate the store measure; for an average folded into weeks, name
	// is the sum and count the record count of a part restricted to records with the field.
	part  int
	name  string
	count string
}

// Key is the dashboard's key.
func (d *Dashboard) Key() string { return d.def.Key }

// Version is the published version the dashboard was stamped with (0 for a draft).
func (d *Dashboard) Version() int { return d.version }

// Definition is the decoded definition; callers must not modify it.
func (d *Dashboard) Definition() *Definition { return d.def }

// AtVersion returns a copy of d stamped with its published version.
func (d *Dashboard) AtVersion(n int) *Dashboard {
	c := *d
	c.version = n
	return &c
}

// Widgets lists the widget ids in definition order.
func (d *Dashboard) Widgets() []string {
	out := make([]string, len(d.widgets))
	for i, w := range d.widgets {
		out[i] = w.def.ID
	}
	return out
}

// Forms lists the keys of the forms the dashboard reads, sorted: a viewer needs the read
// right on each widget's form, and a write to any of them makes its figures stale.
func (d *Dashboard) Forms() []string {
	seen := map[string]bool{}
	for _, w := range d.widgets {
		seen[w.def.Form] = true
	}
	return sortedKeys(seen)
}

// Compile decodes a dashboard strictly, validates it against the meta-schema and checks
// it against forms (by key; the current published versions): every form and field named
// exists, buckets fit their fields, measures fit their widget type, ids are unique.
// Every problem found is returned in one *DashboardError, each located by a JSON pointer
// into def.
func Compile(def []byte, forms map[string]*form.Form) (*Dashboard, error) {
	if len(def) > MaxDefinitionSize {
		return nil, &DashboardError{Problems: []Problem{{Code: "max_size",
			Message: fmt.Sprintf("the dashboard is larger than %d bytes", MaxDefinitionSize)}}}
	}
	doc, ps := parseJSON(def)
	if doc == nil {
		return nil, &DashboardError{Problems: ps}
	}
	meta, err := checkMeta(doc)
	if err != nil {
		return nil, fmt.Errorf("compile dashboard: %w", err)
	}
	if len(meta) > 0 {
		return nil, &DashboardError{Problems: meta}
	}
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(def))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return nil, &DashboardError{Problems: []Problem{{Code: "decode", Message: "the dashboard does not decode: " + err.Error()}}}
	}
	sum := sha256.Sum256(def)
	out := &Dashboard{def: &d, hash: hex.EncodeToString(sum[:12]), byID: map[string]*Widget{}, filters: map[string]*FilterDef{}, plan: &planOnce{}}
	c := &compiler{d: out, forms: map[string]*formInfo{}}
	for k, f := range forms {
		c.forms[k] = newFormInfo(f)
	}
	c.filters()
	for i := range d.Widgets {
		c.widget(i)
	}
	c.filterFields()
	if len(c.ps) > 0 {
		sort.SliceStable(c.ps, func(i, j int) bool { return c.ps[i].Path < c.ps[j].Path })
		return nil, &DashboardError{Problems: c.ps}
	}
	return out, nil
}

type compiler struct {
	d     *Dashboard
	forms map[string]*formInfo
	ps    problems
}

func (c *compiler) filters() {
	for i := range c.d.def.Filters {
		fd := &c.d.def.Filters[i]
		if _, dup := c.d.filters[fd.ID]; dup {
			c.ps.Add(ptr("/filters", i, "id"), "duplicate_filter", "another filter already uses the id %q", fd.ID)
			continue
		}
		c.d.filters[fd.ID] = fd
	}
}

// filterFields checks each dashboard filter against the widgets' forms: the field must
// exist in at least one of them and fit the filter kind wherever it exists.
func (c *compiler) filterFields() {
	for i, fd := range c.d.def.Filters {
		found := false
		for _, w := range c.d.widgets {
			k := w.form.kind(fd.Field)
			if k == kindNone {
				continue
			}
			found = true
			if fd.Kind == FilterTimeRange && k != kindDate && k != kindStamp {
				c.ps.Add(ptr("/filters", i, "kind"), "bad_filter_kind", "a time range needs a date field; %s of %s is not one", fd.Field, w.def.Form)
				return
			}
			if fd.Kind == FilterSelect && k == kindStamp {
				c.ps.Add(ptr("/filters", i, "kind"), "bad_filter_kind", "a select needs a value field, not a timestamp")
				return
			}
		}
		if !found {
			c.ps.Add(ptr("/filters", i, "field"), "unknown_field", "no widget's form has the field %q", fd.Field)
		}
	}
}

// groupCounts is how many group keys each widget type takes (min, max).
var groupCounts = map[string][2]int{
	TypeKPI: {0, 0}, TypeFunnel: {0, 0}, TypeBar: {1, 1}, TypeLine: {1, 1}, TypePie: {1, 1},
	TypeDistribution: {1, 1}, TypeStackedBar: {2, 2}, TypeTable: {1, 4},
}

func (c *compiler) widget(i int) {
	wd := &c.d.def.Widgets[i]
	at := ptr("/widgets", i)
	if _, dup := c.d.byID[wd.ID]; dup {
		c.ps.Add(ptr(at, "id"), "duplicate_widget", "another widget already uses the id %q", wd.ID)
		return
	}
	fi, ok := c.forms[wd.Form]
	if !ok {
		c.ps.Add(ptr(at, "form"), "unknown_form", "names no published form")
		return
	}
	w := &Widget{def: wd, form: fi}
	c.d.byID[wd.ID] = w
	c.d.widgets = append(c.d.widgets, w)
	c.filter(fi, wd.Filter, ptr(at, "filter"))
	for j, id := range wd.FiltersIgnored {
		if _, ok := c.d.filters[id]; !ok {
			c.ps.Add(ptr(at, "filters_ignored", j), "unknown_filter", "names no filter of the dashboard")
		}
	}
	if n := groupCounts[wd.Type]; len(wd.GroupBy) < n[0] || len(wd.GroupBy) > n[1] {
		c.ps.Add(ptr(at, "group_by"), "group_count", "a %s widget takes %d to %d group keys, not %d", wd.Type, n[0], n[1], len(wd.GroupBy))
	}
	for j := range wd.GroupBy {
		c.groupKey(w, j, ptr(at, "group_by", j))
	}
	if wd.Type == TypeFunnel {
		c.stages(w, at)
		return
	}
	c.measures(w, at)
	c.sort(w, at)
}

func (c *compiler) groupKey(w *Widget, j int, at string) {
	g := w.def.GroupBy[j]
	k := w.form.kind(g.Field)
	if k == kindNone {
		c.ps.Add(ptr(at, "field"), "unknown_field", "is not a field of form %s that can be grouped by", w.def.Form)
		return
	}
	switch g.Bucket {
	case store.BucketDay, BucketWeek, store.BucketMonth:
		if k != kindDate && k != kindStamp {
			c.ps.Add(ptr(at, "bucket"), "bad_bucket", "a %s bucket needs a date field", g.Bucket)
		}
	case store.BucketRange:
		if k != kindNumber {
			c.ps.Add(ptr(at, "bucket"), "bad_bucket", "a range bucket needs a number field")
		}
		if len(g.Bounds) == 0 {
			c.ps.Add(at, "bad_bounds", "a range bucket needs bounds")
		}
		for b := 1; b < len(g.Bounds); b++ {
			if g.Bounds[b] <= g.Bounds[b-1] {
				c.ps.Add(ptr(at, "bounds", b), "bad_bounds", "bounds must increase")
			}
		}
	}
	if g.Bucket != store.BucketRange && len(g.Bounds) > 0 {
		c.ps.Add(ptr(at, "bounds"), "bad_bounds", "only a range bucket has bounds")
	}
	if g.Labels == LabelsUser && (g.Bucket != "" || k != kindText) {
		c.ps.Add(ptr(at, "labels"), "bad_labels", "user labels need the values of a text field holding user ids")
	}
	switch {
	case w.def.Type == TypeLine && j == 0 && g.Bucket != store.BucketDay && g.Bucket != BucketWeek && g.Bucket != store.BucketMonth:
		c.ps.Add(ptr(at, "bucket"), "bad_bucket", "a line widget groups by day, week or month")
	case w.def.Type == TypeDistribution && g.Bucket != store.BucketRange:
		c.ps.Add(ptr(at, "bucket"), "bad_bucket", "a distribution widget groups by numeric ranges")
	}
}

func (c *compiler) measures(w *Widget, at string) {
	names := map[string]*MeasureDef{}
	visible := 0
	for j := range w.def.Measures {
		md := &w.def.Measures[j]
		mat := ptr(at, "measures", j)
		if _, dup := names[md.Name]; dup {
			c.ps.Add(ptr(mat, "name"), "duplicate_measure", "another measure already uses the name %q", md.Name)
			continue
		}
		names[md.Name] = md
		if !md.Hidden {
			visible++
		}
		if md.Op != OpRatio && md.Op != string(store.MeasureCount) && w.form.kind(md.Field) != kindNumber {
			c.ps.Add(ptr(mat, "field"), "not_numeric", "is not a number field of form %s", w.def.Form)
		}
		c.filter(w.form, md.Filter, ptr(mat, "filter"))
	}
	for j, md := range w.def.Measures {
		if md.Op != OpRatio {
			continue
		}
		for _, ref := range []struct{ name, key string }{{md.Numerator, "numerator"}, {md.Denominator, "denominator"}} {
			if t, ok := names[ref.name]; !ok || t.Op == OpRatio {
				c.ps.Add(ptr(at, "measures", j, ref.key), "unknown_measure", "names no count, sum, avg, min or max measure of the widget")
			}
		}
	}
	if (w.def.Type == TypePie || w.def.Type == TypeStackedBar) && visible != 1 {
		c.ps.Add(ptr(at, "measures"), "one_measure", "a %s widget shows exactly one measure (others may be hidden)", w.def.Type)
	}
	if visible == 0 {
		c.ps.Add(ptr(at, "measures"), "one_measure", "a widget shows at least one measure")
	}
	c.plan(w)
}

// plan assigns each measure to a store aggregation: one per distinct measure filter.
// Weeks are folded from days, so an average over weeks is computed as a sum and a count
// of the records that have the field.
func (c *compiler) plan(w *Widget) {
	week := false
	for _, g := range w.def.GroupBy {
		week = week || g.Bucket == BucketWeek
	}
	byFilter := map[string]int{}
	partOf := func(f *store.Filter) int {
		b, _ := json.Marshal(f)
		if i, ok := byFilter[string(b)]; ok {
			return i
		}
		w.parts = append(w.parts, &part{filter: f})
		byFilter[string(b)] = len(w.parts) - 1
		return len(w.parts) - 1
	}
	partOf(nil)
	for j := range w.def.Measures {
		md := &w.def.Measures[j]
		m := &measure{def: md}
		w.measures = append(w.measures, m)
		if md.Op == OpRatio {
			continue
		}
		if week && md.Op == string(store.MeasureAvg) {
			m.part = partOf(store.And(md.Filter, store.Exists(md.Field, true)))
			p := w.parts[m.part]
			m.name, m.count = fmt.Sprintf("m%d", len(p.measures)), fmt.Sprintf("m%d", len(p.measures)+1)
			p.measures = append(p.measures, store.Measure{Name: m.name, Op: store.MeasureSum, Field: md.Field},
				store.Measure{Name: m.count, Op: store.MeasureCount})
			continue
		}
		m.part = partOf(md.Filter)
		p := w.parts[m.part]
		m.name = fmt.Sprintf("m%d", len(p.measures))
		p.measures = append(p.measures, store.Measure{Name: m.name, Op: store.MeasureOp(md.Op), Field: md.Field})
	}
	if len(w.parts[0].measures) == 0 {
		// Every measure is filtered or a ratio: the unfiltered part still gives the categories.
		w.parts[0].measures = []store.Measure{{Name: "n", Op: store.MeasureCount}}
	}
}

func (c *compiler) stages(w *Widget, at string) {
	seen := map[string]bool{}
	for j, s := range w.def.Stages {
		sat := ptr(at, "stages", j)
		if seen[s.ID] {
			c.ps.Add(ptr(sat, "id"), "duplicate_stage", "another stage already uses the id %q", s.ID)
		}
		seen[s.ID] = true
		c.filter(w.form, s.Filter, ptr(sat, "filter"))
		w.parts = append(w.parts, &part{filter: s.Filter, measures: []store.Measure{{Name: "n", Op: store.MeasureCount}}})
	}
}

func (c *compiler) sort(w *Widget, at string) {
	if w.def.Sort == nil || w.def.Sort.By == SortKey {
		return
	}
	for _, md := range w.def.Measures {
		if md.Name == w.def.Sort.By {
			return
		}
	}
	c.ps.Add(ptr(at, "sort", "by"), "unknown_measure", "names no measure of the widget (or \"key\")")
}

// filter checks a record filter against the form: every field exists and holds single
// values, and the tree is well formed for the store.
func (c *compiler) filter(fi *formInfo, f *store.Filter, at string) {
	if f == nil {
		return
	}
	before := len(c.ps)
	c.filterNames(fi, f, at)
	if len(c.ps) == before {
		if err := f.Validate(); err != nil {
			c.ps.Add(at, "invalid_filter", "%s", err.Error())
		}
	}
}

func (c *compiler) filterNames(fi *formInfo, f *store.Filter, at string) {
	for i, k := range f.And {
		c.filterNames(fi, k, ptr(at, "and", i))
	}
	for i, k := range f.Or {
		c.filterNames(fi, k, ptr(at, "or", i))
	}
	if f.Not != nil {
		c.filterNames(fi, f.Not, ptr(at, "not"))
	}
	if f.Field != "" && !fi.has(f.Field) {
		c.ps.Add(ptr(at, "field"), "unknown_field", "is not a field of form %s that can be filtered on", fi.f.Key())
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
