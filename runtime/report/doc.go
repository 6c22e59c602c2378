// Package report interprets dashboards: a dashboard definition names widgets, each an
// aggregate query over one form, and the engine turns a widget into JSON-able figures
// (categories × series), a chart (SVG or PNG through go-chart) and, for a clicked
// figure, the record filter of the records behind it.
//
// # Definitions
//
// Compile checks a definition (schemas/dashboard.schema.json) against the compiled forms
// it names and reports every problem at once in a *DashboardError located by JSON
// pointer, like form and rule definitions. Widgets group by a field's value, by the day,
// week or month of a date field, or by numeric ranges; measures are count, sum, avg, min
// and max, each optionally over a filtered subset of the widget's records ("count where
// status is approved"), and ratios of two measures (approval rate = approved ÷ decided).
// Filters are written in the record list's language (form.ListQuery filters), so a
// dashboard filter, a measure filter and a drill-down filter mean the same thing.
//
// # Queries and permissions
//
// A widget runs one aggregate per part: the widget's query, plus one per distinct
// measure filter (a funnel: one per stage). Every aggregate goes through
// form.Service.Aggregate, which applies the actor's row scope and refuses fields the
// actor does not read in full, so a dashboard never shows a figure its viewer could not
// compute from the records they may list. The store has day buckets only; weeks are
// folded from days here (averages as sums and counts).
//
// # Cache
//
// Render keeps rendered widgets keyed by tenant, dashboard (key and body hash), widget,
// parameters, the actor's aggregate identity (form version, field views, row scope; see
// form.Service.AggregateIdentity) and the form's write generation. Invalidate bumps the
// generation of a (tenant, form) when its records change; every entry also expires after
// Options.TTL (1 s by default). The rights are checked on every render, warm or cold.
//
// # Drill-down
//
// Drill turns a figure (category key and series id, as Render returned them) into a
// DrillTarget: the form and the filter whose records, listed through the ordinary
// permission-checked record list by the same actor, are exactly those counted.
//
// # Charts
//
// RenderChart draws WidgetData with go-chart. Labels use the embedded AR PL SungtiL GB
// TrueType font (fonts/, Arphic Public License), which go-chart's freetype can read and
// which has Chinese and Latin glyphs.
package report
