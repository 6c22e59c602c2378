package schemas

import _ "embed"

// KindRule is the definition kind of rule sets.
const KindRule = "rule"

// RuleSchemaURL is the $id of the rule set meta-schema.
const RuleSchemaURL = "https://credo.dev/schemas/rule.schema.json"

//go:embed rule.schema.json
var ruleSchema []byte

// RuleMetaSchema returns a copy of the rule set meta-schema (JSON Schema 2020-12). A rule
// set holds the rules of one form: key, title, enabled, priority, a trigger (record
// created or updated, field changed, flow node entered or left, cron schedule), an
// optional condition (a CEL expression or a visual all/any tree of field comparisons) and
// actions (set_field, reject, flag, create_task, start_flow, call_plugin, notify,
// add_to_list). Package runtime/rule documents the semantics.
func RuleMetaSchema() []byte { return clone(ruleSchema) }
