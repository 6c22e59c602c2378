package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/credolabs/credo/store"
)

// Point is a clicked figure: the category's Key and the series' ID as WidgetData gave them.
type Point struct {
	Category []any  `json:"category"`
	Series   string `json:"series,omitempty"`
}

// DrillTarget names the records behind a figure: list Form's records with Filter (in the
// record list's language) through the ordinary, permission-checked record list, and
// the rows are exactly those the figure counted for the same actor.
type DrillTarget struct {
	Form   string        `json:"form"`
	Filter *store.Filter `json:"filter"`
}

// Drill turns a clicked figure into the filter of the records behind it: the widget's
// filter, the dashboard filters in p, the category's group values and the series'
// measure filter. For a ratio the records behind it are those of its denominator; for
// an average, sum, min or max those that have the measured field.
func Drill(d *Dashboard, widgetID string, pt Point, p Params) (*DrillTarget, error) {
	w, ok := d.byID[widgetID]
	if !ok {
		return nil, fmt.Errorf("drill %s/%s: %w", d.def.Key, widgetID, ErrUnknownWidget)
	}
	base, err := d.widgetFilter(w, p)
	if err != nil {
		return nil, err
	}
	parts := []*store.Filter{base}
	if w.def.Type == TypeFunnel {
		s, err := w.stage(pt)
		if err != nil {
			return nil, err
		}
		return &DrillTarget{Form: w.def.Form, Filter: store.And(base, s.Filter)}, nil
	}
	keys := pt.Category
	m, seriesKey, err := w.series(pt.Series)
	if err != nil {
		return nil, err
	}
	if w.def.Type == TypeStackedBar && seriesKey != nil {
		keys = append(append([]any(nil), keys...), *seriesKey)
	}
	if len(keys) != len(w.def.GroupBy) {
		return nil, fmt.Errorf("drill %s/%s: the category has %d values, the widget groups by %d: %w",
			d.def.Key, widgetID, len(keys), len(w.def.GroupBy), ErrUnknownPoint)
	}
	for i, g := range w.def.GroupBy {
		f, err := keyFilter(w.form, g, keys[i])
		if err != nil {
			return nil, fmt.Errorf("drill %s/%s: %w", d.def.Key, widgetID, err)
		}
		parts = append(parts, f)
	}
	if m != nil {
		parts = append(parts, w.measureFilter(m.def))
	}
	return &DrillTarget{Form: w.def.Form, Filter: store.And(parts...)}, nil
}

func (w *Widget) stage(pt Point) (*StageDef, error) {
	if len(pt.Category) == 1 {
		id, _ := pt.Category[0].(string)
		for i := range w.def.Stages {
			if w.def.Stages[i].ID == id {
				return &w.def.Stages[i], nil
			}
		}
	}
	return nil, fmt.Errorf("drill %s: stage %v: %w", w.def.ID, pt.Category, ErrUnknownPoint)
}

// series resolves a series ID: its measure and, for a stacked bar, the series value.
func (w *Widget) series(id string) (*measure, *any, error) {
	if id == "" {
		return nil, nil, nil
	}
	name, keyJSON, stacked := strings.Cut(id, "|")
	m := w.measureNamed(name)
	if m == nil {
		return nil, nil, fmt.Errorf("drill %s: series %q: %w", w.def.ID, id, ErrUnknownPoint)
	}
	if !stacked {
		return m, nil, nil
	}
	var k any
	if err := json.Unmarshal([]byte(keyJSON), &k); err != nil {
		return nil, nil, fmt.Errorf("drill %s: series %q: %w", w.def.ID, id, ErrUnknownPoint)
	}
	return m, &k, nil
}

// measureFilter is the restriction a measure puts on the records behind its figures.
func (w *Widget) measureFilter(md *MeasureDef) *store.Filter {
	switch md.Op {
	case OpRatio:
		return w.measureFilter(w.measureNamed(md.Denominator).def)
	case string(store.MeasureCount):
		return md.Filter
	}
	return store.And(md.Filter, store.Exists(md.Field, true))
}
