package schemas

import _ "embed"

// KindDashboard is the definition kind of dashboards.
const KindDashboard = "dashboard"

// DashboardSchemaURL is the $id of the dashboard meta-schema.
const DashboardSchemaURL = "https://credo.dev/schemas/dashboard.schema.json"

//go:embed dashboard.schema.json
var dashboardSchema []byte

// DashboardMetaSchema returns a copy of the dashboard meta-schema (JSON Schema 2020-12).
// A dashboard has a key, a name, dashboard-level filters (a time range on a date field,
// a select on a value field) and widgets (kpi, bar, stacked_bar, line, pie, funnel,
// table, distribution), each an aggregate query over one form: a filter, group keys
// (value, day/week/month, numeric ranges) and measures (count, sum, avg, min, max, each
// optionally over a filtered subset, and ratios of two measures). Package
// runtime/report documents the semantics.
func DashboardMetaSchema() []byte { return clone(dashboardSchema) }
