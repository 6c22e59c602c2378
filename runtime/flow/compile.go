package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"cel.dev/cel-go/cel"

	"github.com/credolabs/credo/runtime/form"
)

// Flow is a compiled, immutable flow of one form; safe for concurrent use.
type Flow struct {
	def     *Definition
	form    *form.Form
	version int
	nodes   map[string]*Node
	start   *Node
}

// Node is one compiled node with its edges.
type Node struct {
	spec *NodeSpec
	path string // JSON pointer of the node in the definition
	out  []*Edge
	in   []*Edge

	sla      time.Duration // approval, task: 0 when no SLA
	after    time.Duration // timer
	offset   time.Duration // timer with field
	atMinute int           // timer with field: minute of the day, -1 when unset
	editable map[string]bool
	field    string // score/fraud: the decision field written
	values   map[string]any
	exprs    map[string]*expr
}

// Edge is one compiled edge.
type Edge struct {
	spec     *EdgeSpec
	index    int
	from, to *Node
	cond     *expr // gateway conditions
}

// ID is the node's id.
func (n *Node) ID() string { return n.spec.ID }

// Type is the node's type (NodeStart…).
func (n *Node) Type() string { return n.spec.Type }

// Name is the node's name per locale.
func (n *Node) Name() Localized { return n.spec.Name }

// Spec is the node as written; callers must not modify it.
func (n *Node) Spec() *NodeSpec { return n.spec }

// human reports whether the node waits on people (approval, task).
func (n *Node) human() bool { return n.spec.Type == NodeApproval || n.spec.Type == NodeTask }

// Key is the flow's key.
func (f *Flow) Key() string { return f.def.Key }

// Form is the compiled form the flow runs on.
func (f *Flow) Form() *form.Form { return f.form }

// Version is the published version the flow was compiled for (0 for a draft).
func (f *Flow) Version() int { return f.version }

// AtVersion returns a copy of f numbered n; the compiled nodes are shared.
func (f *Flow) AtVersion(n int) *Flow {
	c := *f
	c.version = n
	return &c
}

// Definition is the decoded definition; callers must not modify it.
func (f *Flow) Definition() *Definition { return f.def }

// Node returns the node with that id.
func (f *Flow) Node(id string) (*Node, bool) {
	n, ok := f.nodes[id]
	return n, ok
}

// Compile decodes a flow strictly, validates it against the meta-schema and compiles it
// against fm: the graph is sound (one start, an end, every node reachable and able to
// reach an end, edges between known nodes, out-edges as each type needs them), fields
// named exist with usable types, and gateway conditions and set_fields expressions
// type-check in the form's record environment. Every problem found is returned in one
// *FlowError, each located by a JSON pointer into def.
func Compile(fm *form.Form, def []byte) (*Flow, error) {
	var ps problems
	if len(def) > MaxDefinitionSize {
		ps.AddParams("", "max_size", map[string]any{"limit": MaxDefinitionSize}, "the flow is larger than %d bytes", MaxDefinitionSize)
		return nil, &FlowError{Problems: ps}
	}
	doc, parsed := parseJSON(def)
	ps = append(ps, parsed...)
	if doc == nil {
		return nil, &FlowError{Problems: ps}
	}
	meta, err := checkMeta(doc)
	if err != nil {
		return nil, fmt.Errorf("compile flow: %w", err)
	}
	if ps = append(ps, meta...); len(ps) > 0 {
		return nil, &FlowError{Problems: ps}
	}
	d := &Definition{}
	dec := json.NewDecoder(bytes.NewReader(def))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(d); err != nil {
		ps.Add("", "decode", "the flow does not decode: %s", err.Error())
		return nil, &FlowError{Problems: ps}
	}
	if d.Form != fm.Key() {
		ps.Add("/form", "form_mismatch", "names form %q but the flow is compiled against form %q", d.Form, fm.Key())
	}
	c := &compiler{fm: fm, env: fm.RecordEnv(), ps: &ps}
	fl := &Flow{def: d, form: fm, nodes: map[string]*Node{}}
	for i, spec := range d.Nodes {
		at := ptr("/nodes", i)
		if _, dup := fl.nodes[spec.ID]; dup {
			ps.Add(ptr(at, "id"), "duplicate_node", "another node already has id %s", spec.ID)
			continue
		}
		n := c.node(spec, at)
		fl.nodes[spec.ID] = n
		if spec.Type == NodeStart {
			if fl.start != nil {
				ps.Add(ptr(at, "type"), "start_count", "a flow has exactly one start node; %s is the first", fl.start.spec.ID)
				continue
			}
			fl.start = n
		}
	}
	for i, spec := range d.Edges {
		c.edge(fl, spec, i)
	}
	c.graph(fl)
	if len(ps) > 0 {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
		return nil, &FlowError{Problems: ps}
	}
	return fl, nil
}

type compiler struct {
	fm  *form.Form
	env *cel.Env
	ps  *problems
}

func (c *compiler) node(spec *NodeSpec, at string) *Node {
	n := &Node{spec: spec, path: at, atMinute: -1}
	switch spec.Type {
	case NodeApproval, NodeTask:
		c.human(n)
	case NodeAction:
		c.action(n)
	case NodeTimer:
		c.timer(n)
	}
	return n
}

func (c *compiler) human(n *Node) {
	spec, at := n.spec, n.path
	if spec.Mode == "" {
		spec.Mode = ModeAny
	}
	for i, cand := range spec.Candidates {
		if cand.Field != "" {
			c.userField(cand.Field, ptr(at, "candidates", i, "field"))
		}
	}
	n.editable = map[string]bool{}
	for i, name := range spec.Editable {
		if c.writable(name, ptr(at, "editable", i)) {
			n.editable[name] = true
		}
	}
	if spec.SLA != nil {
		n.sla = c.duration(spec.SLA.After, ptr(at, "sla", "after"), true)
	}
	if st := spec.Stamp; st != nil {
		for member, name := range map[string]string{"decided_by": st.DecidedBy, "decided_on": st.DecidedOn} {
			if name == "" {
				continue
			}
			if where := ptr(at, "stamp", member); c.writable(name, where) {
				if vt, _ := c.fm.ValueType(name); vt.Kind != "string" {
					c.ps.Add(where, "field_type", "is a %s field; a stamp is written as text", vt.Kind)
				}
			}
		}
		for i, d := range st.On {
			if (d == DecisionComplete) != (spec.Type == NodeTask) {
				c.ps.Add(ptr(at, "stamp", "on", strconv.Itoa(i)), "decision", "a %s node is never decided %q", spec.Type, d)
			}
		}
	}
}

// userField checks that a candidate field holds a user id (text).
func (c *compiler) userField(name, at string) {
	vt, ok := c.fm.ValueType(name)
	switch {
	case !ok:
		c.ps.Add(at, "unknown_field", "names no field of form %s", c.fm.Key())
	case vt.Kind != "string":
		c.ps.Add(at, "field_type", "is a %s field; a candidate field must hold a user id (text)", vt.Kind)
	}
}

// writable checks that a field exists and may be written by people or the flow.
func (c *compiler) writable(name, at string) bool {
	_, ok := c.fm.ValueType(name)
	switch {
	case !ok:
		c.ps.Add(at, "unknown_field", "names no field of form %s", c.fm.Key())
	case c.fm.Computed(name):
		c.ps.Add(at, "read_only", "is computed from other fields and cannot be written")
	case c.fm.Decision(name):
		c.ps.Add(at, "read_only", "is set by an automated decision and cannot be written")
	default:
		return true
	}
	return false
}

// duration parses a duration member; positive requires it to be above zero.
func (c *compiler) duration(s, at string, positive bool) time.Duration {
	d, err := parseDuration(s)
	switch {
	case err != nil:
		c.ps.Add(at, "duration", "%s", err.Error())
	case positive && d <= 0:
		c.ps.Add(at, "duration", "must be longer than zero")
	}
	return d
}

func (c *compiler) timer(n *Node) {
	spec, at := n.spec, n.path
	if spec.After != "" {
		n.after = c.duration(spec.After, ptr(at, "after"), false)
		if n.after < 0 {
			c.ps.Add(ptr(at, "after"), "duration", "must not be negative; a timer waits forward")
		}
		return
	}
	vt, ok := c.fm.ValueType(spec.Field)
	switch {
	case !ok:
		c.ps.Add(ptr(at, "field"), "unknown_field", "names no field of form %s", c.fm.Key())
	case vt.Kind != "string":
		c.ps.Add(ptr(at, "field"), "field_type", "is a %s field; a timer field must hold a date or date-time", vt.Kind)
	}
	if spec.Offset != "" {
		n.offset = c.duration(spec.Offset, ptr(at, "offset"), false)
	}
	if spec.At != "" {
		var h, m int
		_, _ = fmt.Sscanf(spec.At, "%d:%d", &h, &m) // the meta-schema checked HH:MM
		n.atMinute = h*60 + m
	}
}
