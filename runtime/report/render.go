package report

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Aggregator is what the engine needs of the record service (form.Service implements
// it): aggregates within the actor's rights, and the identity of those rights.
type Aggregator interface {
	Aggregate(ctx context.Context, a form.Actor, form string, q form.AggregateQuery) ([]store.Group, error)
	AggregateIdentity(ctx context.Context, a form.Actor, form string) (string, error)
}

// Options tune the engine. The zero value is the documented default.
type Options struct {
	// TTL is how long a rendered widget is served from the cache when no write to its
	// form was reported (Invalidate). 0 means 1 second.
	TTL time.Duration
	// CacheSize bounds the cached widgets. 0 means 10000.
	CacheSize int
	// Now is the cache's clock; nil means time.Now.
	Now func() time.Time
	// Rollups, when set, answers widgets from their rollups where that gives the live
	// query's figures and the viewer may see them (see rollupFor), and drops cached
	// widgets of a form as soon as one of its records is written. The aggregator must
	// then also report access (form.Service does). nil runs every widget live.
	Rollups *Rollups
	// People names the users of group keys labelled LabelsUser; nil leaves their ids.
	People People
}

// People names users of a tenant by id; ids it does not know are left out.
type People interface {
	Names(ctx context.Context, tenant string, ids []string) (map[string]string, error)
}

// accessReader is what the engine needs to decide whether a viewer may read a rollup:
// their rights on a form, field by field, and whether a row scope limits them.
type accessReader interface {
	Access(ctx context.Context, a form.Actor, form string) (*form.Access, error)
}

// Engine renders dashboards' widgets through the record service's permission-checked
// aggregates, with a cache of warm renders. Safe for concurrent use.
type Engine struct {
	agg     Aggregator
	cache   *cache
	rollups *Rollups
	access  accessReader
	people  People
	stats   struct{ rollup, live atomic.Uint64 }
}

// Stats counts the widgets an engine computed (cache misses), by where the figures
// came from.
type Stats struct {
	// Rollup widgets were summed from their rollup.
	Rollup uint64 `json:"rollup"`
	// Live widgets were aggregated over the records.
	Live uint64 `json:"live"`
}

// Stats reports how the engine's widgets were computed so far.
func (e *Engine) Stats() Stats {
	return Stats{Rollup: e.stats.rollup.Load(), Live: e.stats.live.Load()}
}

// New returns an engine over the record service.
func New(agg Aggregator, opts Options) *Engine {
	if agg == nil {
		panic("report.New: the aggregator is required")
	}
	if opts.TTL <= 0 {
		opts.TTL = time.Second
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = 10000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Engine{agg: agg, cache: newCache(opts.TTL, opts.CacheSize, opts.Now), people: opts.People}
	if acc, ok := agg.(accessReader); ok && opts.Rollups != nil {
		e.rollups, e.access = opts.Rollups, acc
		opts.Rollups.OnChange(e.Invalidate)
	}
	return e
}

// Invalidate reports a write to form's records in tenant: every cached widget over that
// form is stale from now on. Wire it to record writes (creates, updates, deletes, imports).
func (e *Engine) Invalidate(tenant, form string) { e.cache.bump(tenant, form) }

// Render computes one widget for the actor: one permission-checked aggregate whose
// measures carry the widget's measure filters or funnel stages (query.go), labels in
// p.Locale. A warm render is served from the cache when the dashboard, widget,
// parameters and the actor's rights (form version, field views, row scope) are the same
// and no write to the form was reported within the TTL.
func (e *Engine) Render(ctx context.Context, a form.Actor, d *Dashboard, widgetID string, p Params) (*WidgetData, error) {
	w, ok := d.byID[widgetID]
	if !ok {
		return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, ErrUnknownWidget)
	}
	base, err := d.widgetFilter(w, p)
	if err != nil {
		return nil, err
	}
	identity, err := e.agg.AggregateIdentity(ctx, a, w.def.Form)
	if err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, err)
	}
	pj, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, err)
	}
	gen := e.cache.gen(a.Tenant, w.def.Form)
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%d", a.Tenant, d.def.Key, d.hash, widgetID, pj, identity, gen)
	if data, ok := e.cache.get(key); ok {
		return data, nil
	}
	keys := make([]store.GroupKey, len(w.def.GroupBy))
	for i, g := range w.def.GroupBy {
		keys[i] = storeKey(g)
	}
	groups, fromRollup, err := e.fromRollup(ctx, a, d, w, p, base)
	if err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, err)
	}
	if fromRollup {
		e.stats.rollup.Add(1)
	} else {
		e.stats.live.Add(1)
		groups, err = e.agg.Aggregate(ctx, a, w.def.Form, w.combinedQuery(base, keys))
		if err != nil {
			return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, err)
		}
	}
	data := w.build(w.split(groups, len(keys) > 0), p.Locale)
	if err := e.nameUsers(ctx, a.Tenant, w, data); err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", d.def.Key, widgetID, err)
	}
	e.cache.put(key, data)
	return data, nil
}

// build turns the parts' groups into categories and series.
func (w *Widget) build(results [][]store.Group, locale string) *WidgetData {
	out := &WidgetData{ID: w.def.ID, Type: w.def.Type, Title: pick(w.def.Title, locale),
		Dimensions: []string{}, Categories: []Category{}, Series: []Series{}}
	for _, g := range w.def.GroupBy {
		out.Dimensions = append(out.Dimensions, w.form.fieldLabel(g.Field, locale))
	}
	if w.def.Type == TypeFunnel {
		w.buildFunnel(out, results, locale)
		return out
	}
	rows := w.order(w.complete(w.merge(results)))
	if w.def.Type == TypeStackedBar {
		w.buildStacked(out, rows, locale)
		return out
	}
	for _, r := range rows {
		out.Categories = append(out.Categories, w.category(r.key, locale))
	}
	for _, m := range w.measures {
		if m.def.Hidden {
			continue
		}
		s := Series{ID: m.def.Name, Measure: m.def.Name, Label: measureLabel(m.def, locale), Format: m.def.Format, Values: []*float64{}}
		for _, r := range rows {
			s.Values = append(s.Values, w.value(r, m))
		}
		out.Series = append(out.Series, s)
	}
	return out
}

func (w *Widget) category(key []any, locale string) Category {
	c := Category{Key: key, Labels: make([]string, len(key))}
	for i, v := range key {
		c.Labels[i] = keyLabel(w.form, w.def.GroupBy[i], v, locale)
		if i > 0 {
			c.Label += " / "
		}
		c.Label += c.Labels[i]
	}
	return c
}

func measureLabel(md *MeasureDef, locale string) string {
	if s := pick(md.Label, locale); s != "" {
		return s
	}
	return md.Name
}

// buildStacked lays rows out as categories (first key) by series (second key) of the
// one shown measure.
func (w *Widget) buildStacked(out *WidgetData, rows []*row, locale string) {
	var m *measure
	for _, x := range w.measures {
		if !x.def.Hidden {
			m = x
		}
	}
	cats, series := map[string]int{}, map[string]int{}
	var seriesKeys []any
	for _, r := range rows {
		ck := keyString(r.key[:1])
		if _, ok := cats[ck]; !ok {
			cats[ck] = len(out.Categories)
			out.Categories = append(out.Categories, w.category(r.key[:1], locale))
		}
		sk := keyString(r.key[1:])
		if _, ok := series[sk]; !ok {
			series[sk] = len(seriesKeys)
			seriesKeys = append(seriesKeys, r.key[1])
		}
	}
	g := w.def.GroupBy[1]
	idx := make([]int, len(seriesKeys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return compareKeys(w.form, g, seriesKeys[idx[i]], seriesKeys[idx[j]]) < 0 })
	pos := make([]int, len(seriesKeys))
	for p, i := range idx {
		pos[i] = p
		k := seriesKeys[i]
		kj, _ := json.Marshal(k)
		out.Series = append(out.Series, Series{ID: m.def.Name + "|" + string(kj), Measure: m.def.Name, Key: k,
			Label: keyLabel(w.form, g, k, locale), Format: m.def.Format, Values: make([]*float64, len(out.Categories))})
	}
	for _, r := range rows {
		s := &out.Series[pos[series[keyString(r.key[1:])]]]
		s.Values[cats[keyString(r.key[:1])]] = w.value(r, m)
	}
	zero := 0.0
	for si := range out.Series {
		for ci, v := range out.Series[si].Values {
			if v == nil && (m.def.Op == string(store.MeasureCount) || m.def.Op == string(store.MeasureSum)) {
				out.Series[si].Values[ci] = &zero
			}
		}
	}
}

// buildFunnel gives one category per stage, its count, and the share of the first stage.
func (w *Widget) buildFunnel(out *WidgetData, results [][]store.Group, locale string) {
	count := Series{ID: "count", Measure: "count", Label: choose(isChinese(locale), "数量", "Count"), Format: "number"}
	rate := Series{ID: "rate", Measure: "rate", Label: choose(isChinese(locale), "转化率", "Conversion"), Format: "percent"}
	var first float64
	for i, s := range w.def.Stages {
		n := 0.0
		if len(results[i]) > 0 {
			n = results[i][0].Values["n"]
		}
		if i == 0 {
			first = n
		}
		out.Categories = append(out.Categories, Category{Key: []any{s.ID}, Label: pick(s.Label, locale)})
		count.Values = append(count.Values, ptrTo(n))
		if first == 0 {
			rate.Values = append(rate.Values, nil)
		} else {
			rate.Values = append(rate.Values, ptrTo(n/first))
		}
	}
	out.Series = append(out.Series, count, rate)
}

var _ Aggregator = (*form.Service)(nil)

// nameUsers relabels the categories (and a stacked bar's series) of group keys whose
// values are user ids with the users' names; the keys stay ids, for drill-down.
func (e *Engine) nameUsers(ctx context.Context, tenant string, w *Widget, data *WidgetData) error {
	if e.people == nil {
		return nil
	}
	var ids []string
	for i, g := range w.def.GroupBy {
		if g.Labels != LabelsUser {
			continue
		}
		for _, c := range data.Categories {
			if i < len(c.Key) {
				if id, ok := c.Key[i].(string); ok {
					ids = append(ids, id)
				}
			}
		}
		if i == 1 {
			for _, s := range data.Series {
				if id, ok := s.Key.(string); ok {
					ids = append(ids, id)
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := e.people.Names(ctx, tenant, ids)
	if err != nil {
		return err
	}
	for i, g := range w.def.GroupBy {
		if g.Labels != LabelsUser {
			continue
		}
		for ci := range data.Categories {
			c := &data.Categories[ci]
			if i >= len(c.Key) || i >= len(c.Labels) {
				continue
			}
			if name, ok := names[fmt.Sprint(c.Key[i])]; ok {
				c.Labels[i] = name
				c.Label = strings.Join(c.Labels, " / ")
			}
		}
		if i == 1 && w.def.Type == TypeStackedBar {
			for si := range data.Series {
				if name, ok := names[fmt.Sprint(data.Series[si].Key)]; ok {
					data.Series[si].Label = name
				}
			}
		}
	}
	return nil
}
