package rule

import (
	"encoding/json"
)

// Definition is a decoded rule set; schemas/rule.schema.json describes every member.
type Definition struct {
	// Form is the key of the form whose records the rules read.
	Form  string  `json:"form"`
	Rules []*Spec `json:"rules"`
}

// Spec is one rule as written.
type Spec struct {
	Key         string    `json:"key"`
	Title       Localized `json:"title"`
	Description Localized `json:"description,omitempty"`
	// Enabled defaults to true; a disabled rule is checked but never fires.
	Enabled *bool `json:"enabled,omitempty"`
	// Priority orders matches, highest first; ties keep definition order.
	Priority  int             `json:"priority,omitempty"`
	Trigger   Trigger         `json:"trigger"`
	Condition json.RawMessage `json:"condition,omitempty"`
	Actions   []ActionSpec    `json:"actions"`
}

// Localized is text per locale ("zh-CN", "en").
type Localized map[string]string

// Trigger kinds (Trigger.On).
const (
	OnRecordCreated   = "record.created"
	OnRecordUpdated   = "record.updated"
	OnFieldChanged    = "field.changed"
	OnFlowNodeEntered = "flow.node_entered"
	OnFlowNodeLeft    = "flow.node_left"
	OnSchedule        = "schedule"
)

// Trigger says which events a rule listens to.
type Trigger struct {
	On string `json:"on"`
	// Fields (field.changed) are the fields whose change fires the rule.
	Fields []string `json:"fields,omitempty"`
	// Flow and Node (flow.node_entered, flow.node_left) name the flow node.
	Flow string `json:"flow,omitempty"`
	Node string `json:"node,omitempty"`
	// Cron (schedule) is a five-field cron read in Timezone (default UTC).
	Cron     string `json:"cron,omitempty"`
	Timezone string `json:"timezone,omitempty"`
}

// Group is a visual condition: All items hold, or Any item holds.
type Group struct {
	All []json.RawMessage `json:"all,omitempty"`
	Any []json.RawMessage `json:"any,omitempty"`
}

// Leaf is one visual comparison of a field with a value.
type Leaf struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value,omitempty"`
}

// Operators of the visual condition builder.
const (
	OpEq       = "eq"
	OpNe       = "ne"
	OpGt       = "gt"
	OpGte      = "gte"
	OpLt       = "lt"
	OpLte      = "lte"
	OpIn       = "in"
	OpContains = "contains"
	OpIsSet    = "is_set"
	OpNotSet   = "not_set"
)

// Action types (ActionSpec.Type and Action.Type).
const (
	ActSetField   = "set_field"
	ActReject     = "reject"
	ActFlag       = "flag"
	ActCreateTask = "create_task"
	ActStartFlow  = "start_flow"
	ActCallPlugin = "call_plugin"
	ActNotify     = "notify"
	ActAddToList  = "add_to_list"
)

// The record fields reject and flag write: reject sets StatusField to StatusRejected and
// ReasonField (when the form has it) to the reason; flag adds its flag to FlagsField.
const (
	StatusField    = "status"
	StatusRejected = "rejected"
	ReasonField    = "reject_reason"
	FlagsField     = "flags"
)

// Notification channels.
const (
	ChannelInApp   = "in_app"
	ChannelWebhook = "webhook"
)

// ActionSpec is one action as written; which members apply depends on Type.
type ActionSpec struct {
	Type string `json:"type"`
	// Field: set_field (the field set), add_to_list (the field whose value is added).
	Field string `json:"field,omitempty"`
	// Value or Expr (set_field): a constant, or a CEL expression over record.
	Value json.RawMessage `json:"value,omitempty"`
	Expr  string          `json:"expr,omitempty"`
	// Reason: reject, flag.
	Reason Localized `json:"reason,omitempty"`
	// Flag: flag.
	Flag string `json:"flag,omitempty"`
	// Role or User, Title and DueIn: create_task.
	Role  string    `json:"role,omitempty"`
	User  string    `json:"user,omitempty"`
	Title Localized `json:"title,omitempty"`
	DueIn string    `json:"due_in,omitempty"`
	// Flow: start_flow.
	Flow string `json:"flow,omitempty"`
	// Kind: call_plugin.
	Kind string `json:"kind,omitempty"`
	// Channel, To and Template: notify.
	Channel  string `json:"channel,omitempty"`
	To       string `json:"to,omitempty"`
	Template string `json:"template,omitempty"`
	// List: add_to_list.
	List string `json:"list,omitempty"`
}
