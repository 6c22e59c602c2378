package schemas

import _ "embed"

// KindFlow is the definition kind of flows.
const KindFlow = "flow"

// FlowSchemaURL is the $id of the flow meta-schema.
const FlowSchemaURL = "https://credo.dev/schemas/flow.schema.json"

//go:embed flow.schema.json
var flowSchema []byte

// FlowMetaSchema returns a copy of the flow meta-schema (JSON Schema 2020-12). A flow
// runs on the records of one form: key, form, name, nodes (start, end with an outcome,
// approval and task nodes with candidates, mode any/all, editable fields and an SLA,
// gateway, parallel, join, action: score, fraud, set_fields, start_flow, webhook; timer:
// after a duration or at a record date moved by an offset) and edges (gateway
// conditions in CEL with one default edge, approval decisions). Package runtime/flow
// documents the semantics.
func FlowMetaSchema() []byte { return clone(flowSchema) }
