package report

import (
	"time"

	"github.com/credolabs/credo/store"
)

// Params are what a viewer chooses when rendering a dashboard.
type Params struct {
	// Filters are the dashboard filters' values by filter id; absent filters do not apply.
	Filters map[string]FilterValue `json:"filters,omitempty"`
	// Locale picks labels ("zh-CN", "en"); empty means zh-CN.
	Locale string `json:"locale,omitempty"`
}

// FilterValue is the value of one dashboard filter: From/To for a time range (dates
// "2006-01-02", both inclusive, either may be empty), Values for a select.
type FilterValue struct {
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Values []any  `json:"values,omitempty"`
}

const dateLayout = "2006-01-02"

// widgetFilter is the widget's own filter and the dashboard filters that apply to it:
// those whose field its form has and that it does not ignore.
func (d *Dashboard) widgetFilter(w *Widget, p Params) (*store.Filter, error) {
	parts, err := d.paramFilters(w, p)
	if err != nil {
		return nil, err
	}
	return store.And(append([]*store.Filter{w.def.Filter}, parts...)...), nil
}

// paramFilters are the dashboard filters in p that apply to w, each a record filter.
func (d *Dashboard) paramFilters(w *Widget, p Params) ([]*store.Filter, error) {
	var ps problems
	var parts []*store.Filter
	for _, id := range sortedKeys(p.Filters) {
		v := p.Filters[id]
		fd, ok := d.filters[id]
		at := ptr("/filters", id)
		if !ok {
			ps.Add(at, "unknown_filter", "the dashboard has no filter %q", id)
			continue
		}
		f := filterOf(fd, v, w.form.kind(fd.Field), at, &ps)
		if f == nil || ignored(w, id) {
			continue
		}
		parts = append(parts, f)
	}
	if len(ps) > 0 {
		return nil, &ParamsError{Problems: ps}
	}
	return parts, nil
}

func ignored(w *Widget, id string) bool {
	for _, x := range w.def.FiltersIgnored {
		if x == id {
			return true
		}
	}
	return false
}

// filterOf turns one filter value into a record filter on a form where the field has
// kind k (kindNone: the form lacks it, and the value is only checked).
func filterOf(fd *FilterDef, v FilterValue, k valueKind, at string, ps *problems) *store.Filter {
	if fd.Kind == FilterSelect {
		switch {
		case v.From != "" || v.To != "":
			ps.Add(at, "bad_value", "a select filter takes values, not from/to")
			return nil
		case len(v.Values) == 0:
			return nil
		case len(v.Values) > store.MaxFilterNodes:
			ps.Add(ptr(at, "values"), "bad_value", "at most %d values", store.MaxFilterNodes)
			return nil
		case k == kindNone:
			return nil
		case len(v.Values) == 1:
			return store.Eq(fd.Field, v.Values[0])
		}
		return store.In(fd.Field, v.Values...)
	}
	if len(v.Values) > 0 {
		ps.Add(ptr(at, "values"), "bad_value", "a time range takes from and to, not values")
		return nil
	}
	var out []*store.Filter
	from, okFrom := parseDate(v.From, ptr(at, "from"), ps)
	to, okTo := parseDate(v.To, ptr(at, "to"), ps)
	if okFrom && okTo && !from.IsZero() && !to.IsZero() && to.Before(from) {
		ps.Add(ptr(at, "to"), "bad_value", "the range ends before it starts")
		return nil
	}
	if k == kindNone || !okFrom || !okTo {
		return nil
	}
	if !from.IsZero() {
		out = append(out, store.Gte(fd.Field, dateValue(from, k)))
	}
	if !to.IsZero() {
		out = append(out, store.Lt(fd.Field, dateValue(to.AddDate(0, 0, 1), k)))
	}
	return store.And(out...)
}

func parseDate(s, at string, ps *problems) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		ps.Add(at, "bad_value", "must be a date YYYY-MM-DD")
		return time.Time{}, false
	}
	return t, true
}

// dateValue is how a day boundary compares with a field: a date string sorts with dates
// and date-times alike ("2024-03-01" <= "2024-03-01T08:00:00+08:00"); record timestamps
// compare as instants (UTC days, as the store buckets them).
func dateValue(t time.Time, k valueKind) any {
	if k == kindStamp {
		return t.UTC()
	}
	return t.Format(dateLayout)
}
