package flow

import "encoding/json"

// Definition is a decoded flow; schemas/flow.schema.json describes every member.
type Definition struct {
	Key         string      `json:"key"`
	Form        string      `json:"form"`
	Name        Localized   `json:"name"`
	Description Localized   `json:"description,omitempty"`
	Nodes       []*NodeSpec `json:"nodes"`
	Edges       []*EdgeSpec `json:"edges"`
}

// Localized is text per locale ("zh-CN", "en").
type Localized map[string]string

// Node types (NodeSpec.Type).
const (
	NodeStart    = "start"
	NodeEnd      = "end"
	NodeApproval = "approval"
	NodeTask     = "task"
	NodeGateway  = "gateway"
	NodeParallel = "parallel"
	NodeJoin     = "join"
	NodeAction   = "action"
	NodeTimer    = "timer"
)

// Task modes of approval nodes.
const (
	// ModeAny is or-sign: the first decision of any candidate decides.
	ModeAny = "any"
	// ModeAll is countersign: every candidate must approve; one reject rejects.
	ModeAll = "all"
)

// Decisions a task ends with; approval edges choose by DecisionApprove and DecisionReject.
const (
	DecisionApprove  = "approve"
	DecisionReject   = "reject"
	DecisionComplete = "complete"
	DecisionReturn   = "return"
)

// Action kinds (NodeSpec.Do).
const (
	DoScore     = "score"
	DoFraud     = "fraud"
	DoSetFields = "set_fields"
	DoStartFlow = "start_flow"
	DoWebhook   = "webhook"
)

// SLA actions (SLA.Action).
const (
	SLAEscalate    = "escalate"
	SLAReassign    = "reassign"
	SLAAutoApprove = "auto_approve"
	SLAAutoReject  = "auto_reject"
)

// Outcomes an end node commonly writes; any lowercase word is accepted.
const (
	OutcomeApproved  = "approved"
	OutcomeRejected  = "rejected"
	OutcomeCancelled = "cancelled"
)

// NodeSpec is one node as written; which members apply depends on Type.
type NodeSpec struct {
	ID   string    `json:"id"`
	Type string    `json:"type"`
	Name Localized `json:"name,omitempty"`
	// Position is where the designer draws the node; the engine ignores it.
	Position *NodePosition `json:"position,omitempty"`
	// Outcome (end) is written to the instance when it ends here.
	Outcome string `json:"outcome,omitempty"`
	// Candidates, Mode, Editable and SLA: approval and task nodes.
	Candidates []Candidate `json:"candidates,omitempty"`
	Mode       string      `json:"mode,omitempty"`
	Editable   []string    `json:"editable,omitempty"`
	SLA        *SLA        `json:"sla,omitempty"`
	Stamp      *Stamp      `json:"stamp,omitempty"`
	// Do and its members: action nodes.
	Do     string                     `json:"do,omitempty"`
	Field  string                     `json:"field,omitempty"` // score, fraud; timer
	Rerun  bool                       `json:"rerun,omitempty"`
	Values map[string]json.RawMessage `json:"values,omitempty"`
	Exprs  map[string]string          `json:"exprs,omitempty"`
	Flow   string                     `json:"flow,omitempty"`
	URL    string                     `json:"url,omitempty"`
	Fields []string                   `json:"fields,omitempty"`
	// After, or Field with Offset and At: timer nodes.
	After  string `json:"after,omitempty"`
	Offset string `json:"offset,omitempty"`
	At     string `json:"at,omitempty"`
}

// NodePosition is a node's place on the designer's canvas, in pixels.
type NodePosition struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Stamp names the record fields a human node's decision is written to, so who decided
// and when can be counted and filtered like any field (approver performance).
type Stamp struct {
	DecidedBy string `json:"decided_by,omitempty"`
	DecidedOn string `json:"decided_on,omitempty"`
	// On limits the stamp to these decisions; empty stamps every decision.
	On []string `json:"on,omitempty"`
}

// Candidate names who may act on a task; exactly one member is set.
type Candidate struct {
	Role    string `json:"role,omitempty"`
	User    string `json:"user,omitempty"`
	Field   string `json:"field,omitempty"`
	Manager bool   `json:"manager,omitempty"`
}

// Target is where an SLA timeout sends a task: a role or a user.
type Target struct {
	Role string `json:"role,omitempty"`
	User string `json:"user,omitempty"`
}

// SLA says what happens to a task still open After its creation.
type SLA struct {
	After  string  `json:"after"`
	Action string  `json:"action"`
	To     *Target `json:"to,omitempty"`
}

// EdgeSpec is one edge as written.
type EdgeSpec struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Condition string    `json:"condition,omitempty"`
	Default   bool      `json:"default,omitempty"`
	Decision  string    `json:"decision,omitempty"`
	Name      Localized `json:"name,omitempty"`
}
