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
// # Rollups
//
// With Options.Rollups, a widget is summed from its rollup rather than aggregated over
// every record: rows of counts and sums per combination of the values it groups by and
// the dashboard filters select on (dates at day grain, so weeks, months and time ranges
// derive from them), over the records matching its fixed filters (rollup_plan.go).
// Rollups live in the store beside the records ("rollup:<id>" collections, registered in
// "rollups"), are named by the hash of what defines them, and are:
//
//   - derived from each published dashboard (Rollups.Prepare on install, and on first
//     view): widgets with the same dimensions share one; each widget also has a lean
//     rollup without the select filters' fields for the usual period-only view;
//   - built from the records in pages, each page in its own transaction with the build's
//     cursor, resumably and by one node at a time (a lease), after a grace period in
//     which every node learns of the new rollup (rollup_build.go);
//   - maintained in the transaction of every record write: Rollups is the record
//     service's form.ChangeObserver, and adds a created record to its row, takes a
//     deleted one away, moves an updated one (atomic upserts for all the form's rollups
//     in one store.IncrementOnCommit, which SQLite merges across a group commit),
//     counting a record in a rollup still being built only once the build has passed
//     it; a create is counted into the ready rollups before its transaction
//     (form.ChangePreparer), which only adds the counts up; records are read with the
//     store's own contract in Go (store.Match, store.GroupKeyOf), so a rollup's figures
//     are the live query's, exactly;
//   - read once ready, by viewers with no row scope on the form and a full view of every
//     field the widget reads; anyone else, a widget a rollup cannot answer (minimum,
//     maximum, record metadata) and a rollup still building run live;
//   - retired when a new version of the dashboard no longer needs them (once the new
//     ones are ready), and dropped after the grace period.
//
// Sums are exact for integers and binary fractions; other decimals may differ from a
// live sum in the last bits, as two engines' sums do. On an engine without
// multi-document transactions (FerretDB, a standalone MongoDB) a write and its rollup
// increments are not atomic, and a write that crosses a build step may be counted twice
// or not at all: retire the rollup to rebuild it.
//
// # Cache
//
// Render keeps rendered widgets keyed by tenant, dashboard (key and body hash), widget,
// parameters, the actor's aggregate identity (form version, field views, row scope; see
// form.Service.AggregateIdentity) and the form's write generation. Invalidate bumps the
// generation of a (tenant, form) when its records change (the rollups' observer calls it
// on every write); every entry also expires after Options.TTL (1 s by default). The
// rights are checked on every render, warm or cold.
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
