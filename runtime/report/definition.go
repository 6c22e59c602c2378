package report

import (
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Localized is text per locale ("zh-CN", "en").
type Localized = form.Localized

// Definition is a decoded dashboard definition; schemas/dashboard.schema.json describes
// every member.
type Definition struct {
	Key         string      `json:"key"`
	Name        Localized   `json:"name"`
	Description Localized   `json:"description,omitempty"`
	Filters     []FilterDef `json:"filters,omitempty"`
	Widgets     []WidgetDef `json:"widgets"`
}

// Filter kinds of dashboard-level filters.
const (
	// FilterTimeRange is {from, to} on a date field: dates "2006-01-02", to inclusive.
	FilterTimeRange = "time_range"
	// FilterSelect is one value or a list of values of a field.
	FilterSelect = "select"
)

// FilterDef is a dashboard-level filter: it applies to every widget whose form has Field.
type FilterDef struct {
	ID    string    `json:"id"`
	Field string    `json:"field"`
	Kind  string    `json:"kind"`
	Label Localized `json:"label,omitempty"`
}

// Widget types.
const (
	TypeKPI          = "kpi"
	TypeBar          = "bar"
	TypeStackedBar   = "stacked_bar"
	TypeLine         = "line"
	TypePie          = "pie"
	TypeFunnel       = "funnel"
	TypeTable        = "table"
	TypeDistribution = "distribution"
)

// WidgetDef is one widget: an aggregate query over one form and how it is shown.
type WidgetDef struct {
	ID             string        `json:"id"`
	Type           string        `json:"type"`
	Title          Localized     `json:"title"`
	Form           string        `json:"form"`
	Filter         *store.Filter `json:"filter,omitempty"`
	GroupBy        []GroupDef    `json:"group_by,omitempty"`
	Measures       []MeasureDef  `json:"measures,omitempty"`
	Stages         []StageDef    `json:"stages,omitempty"`
	Sort           *SortDef      `json:"sort,omitempty"`
	Limit          int           `json:"limit,omitempty"`
	FiltersIgnored []string      `json:"filters_ignored,omitempty"`
}

// BucketWeek groups dates by ISO week (Monday first); the store has day buckets only,
// so weeks are folded from days.
const BucketWeek store.Bucket = "week"

// GroupDef is one group key: a field's value, its day/week/month, or its numeric range.
type GroupDef struct {
	Field  string       `json:"field"`
	Bucket store.Bucket `json:"bucket,omitempty"`
	Bounds []float64    `json:"bounds,omitempty"`
	// Labels LabelsUser: the values are user ids, labelled by the user's name.
	Labels string `json:"labels,omitempty"`
}

// LabelsUser marks a group key whose values are user ids of the tenant.
const LabelsUser = "user"

// OpRatio is a measure computed as Numerator ÷ Denominator per category.
const OpRatio = "ratio"

// MeasureDef is one figure per category: an aggregate over the records (optionally only
// those matching Filter), or a ratio of two other measures.
type MeasureDef struct {
	Name        string        `json:"name"`
	Op          string        `json:"op"`
	Field       string        `json:"field,omitempty"`
	Filter      *store.Filter `json:"filter,omitempty"`
	Numerator   string        `json:"numerator,omitempty"`
	Denominator string        `json:"denominator,omitempty"`
	Label       Localized     `json:"label,omitempty"`
	Format      string        `json:"format,omitempty"`
	Hidden      bool          `json:"hidden,omitempty"`
}

// StageDef is one funnel stage: the records of the widget matching Filter, counted.
type StageDef struct {
	ID     string        `json:"id"`
	Label  Localized     `json:"label"`
	Filter *store.Filter `json:"filter,omitempty"`
}

// SortKey sorts categories by their grouped values rather than by a measure.
const SortKey = "key"

// SortDef orders the categories: By a measure name or SortKey.
type SortDef struct {
	By   string `json:"by"`
	Desc bool   `json:"desc,omitempty"`
}
