// Package rule is the rule engine of forms: rules that watch a form's records and say
// what should happen (reject, flag, set a field, open a task, start a flow, call a
// plugin, notify, add a value to a list). It decides; it executes nothing. The caller
// (flows, events) executes the actions it returns.
//
// # Definitions
//
// A rule set holds the rules of one form (format: schemas/rule.schema.json). Compile
// decodes it strictly (unknown members and duplicate keys are problems), validates it
// against the meta-schema and compiles it against the compiled *form.Form: fields named
// by triggers, conditions and actions must exist, set_field values and expressions must
// fit the field's type (computed and decision fields cannot be set), crons must be
// five-field and time zones IANA names. Every problem is reported at once in a
// *RuleError, each located by a JSON pointer into the rule set.
//
// A condition is a CEL expression over record, type-checked in the form's own record
// environment (form.RecordEnv: record.amount is a double, record.credit_score.score an
// int), or a visual tree {"all"|"any": [{field, op, value} | tree]} with the operators eq,
// ne, gt, gte, lt, lte, in, contains, is_set and not_set, which compiles to CEL, so one
// evaluator runs both. An absent field reads as its zero value in CEL; a visual
// comparison is false on an unset field (ne: true), and a hand-written condition uses
// has(record.x) for the same. Expressions run under CostLimit; expressions whose static
// cost estimate is within it skip run-time tracking.
//
// # Evaluation
//
// Set.Evaluate takes an Event (record created or updated, flow node entered or left, a
// scheduled rule's firing) and returns the matched enabled rules, highest priority
// first, with their actions resolved to data (set_field expressions evaluated). A
// field.changed rule fires on an update when one of its fields differs between Before
// and Record. A rule that fails at run time is reported in Result.Failures and matches
// nothing.
//
// Loop guard: each Match carries the Origin and Depth an event caused by its actions
// must carry. A rule named in an event's Origin does not fire on it (its own change
// cannot retrigger it), and an event deeper than MaxDepth (default 5) triggers nothing
// and says so (Result.DepthExceeded).
//
// Set.DryRun evaluates one rule against a record: the outcome (true, false, error) of
// the condition and of each visual comparison, and the actions it would produce.
// Set.Due lists the firings of scheduled rules in a time window for the scheduler.
//
// # Lifecycle
//
// A Set is immutable and safe for concurrent use. Compile it once per (tenant, form
// version, rule set version) and swap it whole when either is republished.
package rule
