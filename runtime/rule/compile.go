package rule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"github.com/robfig/cron/v3"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
)

// Limits on rules, so one tenant's rules cannot hog the server.
const (
	// DefaultMaxDepth is how many rule-caused events may chain before the engine stops.
	DefaultMaxDepth = 5
	// CostLimit caps the evaluation cost of one condition or set_field expression.
	CostLimit = 100_000
	// MaxConditionDepth is the deepest nesting of all/any groups.
	MaxConditionDepth = 8
	// MaxConditionLeaves is the most comparisons one visual condition holds.
	MaxConditionLeaves = 200
	// MaxInValues is the most values an "in" comparison lists.
	MaxInValues = 200
)

// Opts configures a compiled set. The zero value is the documented default.
type Opts struct {
	// MaxDepth is how deep a chain of rule-caused events may go: an event with a greater
	// Depth triggers nothing. Zero means DefaultMaxDepth.
	MaxDepth int
	// PluginKinds, when not empty, are the plugin kinds call_plugin may name; empty
	// accepts any well-formed kind.
	PluginKinds []string
}

// Set is a compiled, immutable rule set of one form; safe for concurrent use.
type Set struct {
	form     *form.Form
	rules    []*Rule
	byKey    map[string]*Rule
	byEvent  map[string][]*Rule // enabled rules an event type can fire, highest priority first
	maxDepth int
}

// Rule is one compiled rule.
type Rule struct {
	spec     *Spec
	index    int
	enabled  bool
	trigger  Trigger
	sched    cron.Schedule
	loc      *time.Location
	cond     *condition // nil: always holds
	actions  []*action
	pathBase string // JSON pointer of the rule in the definition
}

// Key is the rule's key.
func (r *Rule) Key() string { return r.spec.Key }

// Title is the rule's title per locale.
func (r *Rule) Title() Localized { return r.spec.Title }

// Enabled reports whether the rule can fire.
func (r *Rule) Enabled() bool { return r.enabled }

// Priority orders matches, highest first.
func (r *Rule) Priority() int { return r.spec.Priority }

// Trigger is the rule's trigger as written.
func (r *Rule) Trigger() Trigger { return r.trigger }

// CEL is the condition as one CEL expression (a visual tree compiled), "" when the rule
// has no condition.
func (r *Rule) CEL() string {
	if r.cond == nil {
		return ""
	}
	return r.cond.expr
}

// condition is a compiled condition: the whole expression and, for a visual tree, its
// leaves compiled one by one for dry runs.
type condition struct {
	expr   string
	prog   cel.Program
	leaves []*leafCond
}

type leafCond struct {
	path  string // JSON pointer of the leaf in the definition
	field string
	op    string
	expr  string
	prog  cel.Program
}

// action is a compiled action: set_field's constant (normalised) or program, create_task's
// delay.
type action struct {
	spec  ActionSpec
	value any
	prog  cel.Program
	kind  string // set_field: the target's kind, for converting results
	dueIn time.Duration
}

// Compile decodes a rule set strictly, validates it against the meta-schema and compiles
// it against f: every field named exists, conditions and set_field expressions type-check
// against the record type, constant values fit their fields, crons parse. Every problem
// found is returned in one *RuleError, each located by a JSON pointer into def.
func Compile(f *form.Form, def []byte, opts Opts) (*Set, error) {
	var ps problems
	if len(def) > MaxDefinitionSize {
		ps.AddParams("", "max_size", map[string]any{"limit": MaxDefinitionSize}, "the rule set is larger than %d bytes", MaxDefinitionSize)
		return nil, &RuleError{Problems: ps}
	}
	doc, parseProblems := parseJSON(def)
	ps = append(ps, parseProblems...)
	if doc == nil {
		return nil, &RuleError{Problems: ps}
	}
	meta, err := checkMeta(doc)
	if err != nil {
		return nil, fmt.Errorf("compile rule set: %w", err)
	}
	ps = append(ps, meta...)
	if len(ps) > 0 {
		return nil, &RuleError{Problems: ps}
	}
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(def))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		ps.Add("", "decode", "the rule set does not decode: %s", err.Error())
		return nil, &RuleError{Problems: ps}
	}
	if d.Form != f.Key() {
		ps.Add("/form", "form_mismatch", "names form %q but the rules are compiled against form %q", d.Form, f.Key())
	}
	c := &compiler{f: f, env: f.RecordEnv(), opts: opts, ps: &ps}
	s := &Set{form: f, byKey: map[string]*Rule{}, byEvent: map[string][]*Rule{}, maxDepth: opts.MaxDepth}
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	for i, spec := range d.Rules {
		at := ptr("/rules", i)
		if _, dup := s.byKey[spec.Key]; dup {
			ps.Add(ptr(at, "key"), "duplicate_rule", "another rule already has key %s", spec.Key)
			continue
		}
		r := c.rule(spec, i, at)
		s.rules = append(s.rules, r)
		s.byKey[spec.Key] = r
	}
	if len(ps) > 0 {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
		return nil, &RuleError{Problems: ps}
	}
	s.index()
	return s, nil
}

// index lists, per event type, the enabled rules it can fire, highest priority first.
func (s *Set) index() {
	for _, r := range s.rules {
		if !r.enabled {
			continue
		}
		ev := r.trigger.On
		if ev == OnFieldChanged {
			ev = EventRecordUpdated
		}
		s.byEvent[ev] = append(s.byEvent[ev], r)
	}
	for _, rs := range s.byEvent {
		sortRules(rs)
	}
}

func sortRules(rs []*Rule) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].spec.Priority != rs[j].spec.Priority {
			return rs[i].spec.Priority > rs[j].spec.Priority
		}
		return rs[i].index < rs[j].index
	})
}

type compiler struct {
	f    *form.Form
	env  *cel.Env
	opts Opts
	ps   *problems
}

func (c *compiler) rule(spec *Spec, i int, at string) *Rule {
	r := &Rule{spec: spec, index: i, enabled: spec.Enabled == nil || *spec.Enabled, trigger: spec.Trigger, pathBase: at}
	c.trigger(r, ptr(at, "trigger"))
	if len(spec.Condition) > 0 {
		r.cond = c.condition(spec.Condition, ptr(at, "condition"))
	}
	for j := range spec.Actions {
		if a := c.action(&spec.Actions[j], ptr(at, "actions", j)); a != nil {
			r.actions = append(r.actions, a)
		}
	}
	return r
}

func (c *compiler) trigger(r *Rule, at string) {
	t := r.trigger
	unused := func(name string, set bool) {
		if set {
			c.ps.Add(ptr(at, name), "trigger_member", "does not apply to trigger %s", t.On)
		}
	}
	unused("fields", t.On != OnFieldChanged && len(t.Fields) > 0)
	flowTrigger := t.On == OnFlowNodeEntered || t.On == OnFlowNodeLeft
	unused("flow", !flowTrigger && t.Flow != "")
	unused("node", !flowTrigger && t.Node != "")
	unused("cron", t.On != OnSchedule && t.Cron != "")
	unused("timezone", t.On != OnSchedule && t.Timezone != "")
	for i, name := range t.Fields {
		if _, ok := c.f.ValueType(name); !ok {
			c.ps.Add(ptr(at, "fields", i), "unknown_field", "names no field of form %s", c.f.Key())
		}
	}
	if t.On != OnSchedule {
		return
	}
	if strings.Contains(t.Cron, "TZ=") {
		c.ps.Add(ptr(at, "cron"), "cron", "names its time zone in timezone, not in the cron")
		return
	}
	sched, err := cronParser.Parse(t.Cron)
	if err != nil {
		c.ps.Add(ptr(at, "cron"), "cron", "is not a five-field cron (minute hour day-of-month month day-of-week): %s", err.Error())
	}
	r.sched = sched
	r.loc = time.UTC
	if t.Timezone != "" {
		loc, err := time.LoadLocation(t.Timezone)
		if err != nil || t.Timezone == "Local" {
			c.ps.Add(ptr(at, "timezone"), "timezone", "is not an IANA time zone name (Asia/Shanghai)")
		} else {
			r.loc = loc
		}
	}
}

// cronParser reads standard five-field crons; no seconds, no descriptors.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// compileBool type-checks expr as a bool condition and compiles it with the cost limit.
func (c *compiler) compileExpr(expr, at string) (*cel.Ast, cel.Program, bool) {
	parsed, iss := c.env.Parse(expr)
	if iss.Err() != nil {
		c.ps.Add(at, "cel_syntax", "%s", form.IssueMessage(iss))
		return nil, nil, false
	}
	checked, iss := c.env.Check(parsed)
	if iss.Err() != nil {
		c.ps.Add(at, "cel_type", "%s", form.IssueMessage(iss))
		return nil, nil, false
	}
	prog, err := c.env.Program(checked, c.programOpts(checked)...)
	if err != nil {
		c.ps.Add(at, "cel_program", "%s", err.Error())
		return nil, nil, false
	}
	return checked, prog, true
}

// programOpts folds constants and, unless the static cost estimate proves the
// expression stays under CostLimit whatever the record holds, tracks cost at run time:
// tracking roughly doubles the time of a small expression, and most rules are small.
func (c *compiler) programOpts(checked *cel.Ast) []cel.ProgramOption {
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	est, err := c.env.EstimateCost(checked, noHints{})
	if err != nil || est.Max > CostLimit {
		opts = append(opts, cel.CostLimit(CostLimit))
	}
	return opts
}

// noHints gives the cost estimator no sizes: a list or text of the record may be of any
// length, so an expression iterating one keeps its run-time limit.
type noHints struct{}

func (noHints) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

func (noHints) EstimateSize(cost.AstNode) *cost.SizeEstimate { return nil }

func (c *compiler) boolProgram(expr, at string) (cel.Program, bool) {
	checked, prog, ok := c.compileExpr(expr, at)
	if !ok {
		return nil, false
	}
	if out := checked.OutputType(); !out.IsExactType(types.BoolType) && !out.IsExactType(types.DynType) {
		c.ps.AddParams(at, "result_type", map[string]any{"want": "bool", "got": out.String()},
			"a condition must give a bool, this one gives %s", out)
		return nil, false
	}
	return prog, true
}

func (c *compiler) condition(raw json.RawMessage, at string) *condition {
	var expr string
	if err := json.Unmarshal(raw, &expr); err == nil {
		prog, ok := c.boolProgram(expr, at)
		if !ok {
			return nil
		}
		return &condition{expr: expr, prog: prog}
	}
	cond := &condition{}
	before := len(*c.ps)
	cond.expr = c.group(raw, at, 1, cond)
	if len(*c.ps) > before {
		return nil
	}
	prog, ok := c.boolProgram(cond.expr, at)
	if !ok {
		return nil
	}
	cond.prog = prog
	return cond
}

// action checks one action and compiles what it evaluates.
func (c *compiler) action(spec *ActionSpec, at string) *action {
	a := &action{spec: *spec}
	switch spec.Type {
	case ActSetField:
		c.setField(a, at)
	case ActCreateTask:
		if spec.DueIn != "" {
			n, _ := strconv.Atoi(spec.DueIn[:len(spec.DueIn)-1]) // the meta-schema checked the shape
			unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[spec.DueIn[len(spec.DueIn)-1]]
			a.dueIn = time.Duration(n) * unit
		}
	case ActCallPlugin:
		if len(c.opts.PluginKinds) > 0 && !slices.Contains(c.opts.PluginKinds, spec.Kind) {
			c.ps.AddParams(ptr(at, "kind"), "plugin_kind", map[string]any{"allowed": c.opts.PluginKinds},
				"is not a plugin kind of this platform (%s)", strings.Join(c.opts.PluginKinds, ", "))
		}
	case ActReject:
		c.recordField(at, StatusField, func(vt form.ValueType) bool {
			return vt.Kind == "string" && (vt.Enum == nil || slices.Contains(vt.Enum, any(StatusRejected)))
		}, "a text field that can hold \"rejected\"")
		if vt, ok := c.f.ValueType(ReasonField); ok && vt.Kind != "string" {
			c.ps.Add(at, "reject_field", "the form's %s field is a %s field; a rejection writes its reason there as text", ReasonField, vt.Kind)
		}
	case ActFlag:
		c.recordField(at, FlagsField, func(vt form.ValueType) bool {
			return vt.Kind == "array" && vt.Items != nil && vt.Items.Kind == "string"
		}, "a list of text values")
	case ActNotify:
		c.notifyTarget(spec, ptr(at, "to"))
	case ActAddToList:
		if !list.ValidName(spec.List) {
			c.ps.Add(ptr(at, "list"), "list_name", "is not a list name (lowercase dotted words, at most %d bytes)", list.MaxNameLength)
		}
		vt, ok := c.f.ValueType(spec.Field)
		switch {
		case !ok:
			c.ps.Add(ptr(at, "field"), "unknown_field", "names no field of form %s", c.f.Key())
		case vt.Kind != "string" && vt.Kind != "integer" && vt.Kind != "number":
			c.ps.Add(ptr(at, "field"), "field_type", "is a %s field; only text and number values can be added to a list", vt.Kind)
		}
	}
	return a
}

// recordField checks that the form has the field an action writes by convention.
func (c *compiler) recordField(at, field string, fits func(form.ValueType) bool, want string) {
	vt, ok := c.f.ValueType(field)
	if !ok || !fits(vt) || c.f.Computed(field) || c.f.Decision(field) {
		c.ps.AddParams(ptr(at, "type"), "action_field", map[string]any{"field": field},
			"this action writes the form's %s field, which must exist and be %s", field, want)
	}
}

func (c *compiler) notifyTarget(spec *ActionSpec, at string) {
	switch spec.Channel {
	case ChannelWebhook:
		u, err := url.Parse(spec.To)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			c.ps.Add(at, "webhook_url", "must be an https URL without credentials")
		}
	case ChannelInApp:
		kind, id, ok := strings.Cut(spec.To, ":")
		if !ok || (kind != "role" && kind != "user") || id == "" {
			c.ps.Add(at, "recipient", "must be role:<role> or user:<user id>")
		}
	}
}

func (c *compiler) setField(a *action, at string) {
	spec := &a.spec
	vt, ok := c.f.ValueType(spec.Field)
	switch {
	case !ok:
		c.ps.Add(ptr(at, "field"), "unknown_field", "names no field of form %s", c.f.Key())
		return
	case c.f.Computed(spec.Field):
		c.ps.Add(ptr(at, "field"), "read_only", "is computed from other fields and cannot be set by a rule")
		return
	case c.f.Decision(spec.Field):
		c.ps.Add(ptr(at, "field"), "read_only", "is set by an automated decision and cannot be set by a rule")
		return
	}
	a.kind = vt.Kind
	if spec.Expr != "" {
		if !scalarKind(vt.Kind) {
			c.ps.Add(ptr(at, "expr"), "field_type", "%s is a %s field; an expression can set only text, number, integer and boolean fields", spec.Field, vt.Kind)
			return
		}
		checked, prog, ok := c.compileExpr(spec.Expr, ptr(at, "expr"))
		if !ok {
			return
		}
		if out := checked.OutputType(); !resultFits(out, vt.Kind) {
			c.ps.AddParams(ptr(at, "expr"), "result_type", map[string]any{"want": vt.Kind, "got": out.String()},
				"the expression gives %s but %s is a %s field", out, spec.Field, vt.Kind)
			return
		}
		a.prog = prog
		return
	}
	v, err := decodeValue(spec.Value)
	if err != nil {
		c.ps.Add(ptr(at, "value"), "value", "%s", err.Error())
		return
	}
	if v != nil {
		if msg := fits(v, vt); msg != "" {
			c.ps.AddParams(ptr(at, "value"), "value_type", map[string]any{"want": vt.Kind}, "%s", msg)
			return
		}
	}
	a.value = c.f.Normalize(map[string]any{spec.Field: v})[spec.Field]
}

func scalarKind(k string) bool {
	return k == "string" || k == "number" || k == "integer" || k == "boolean"
}

func resultFits(out *types.Type, k string) bool {
	if out.IsExactType(types.DynType) {
		return true
	}
	switch k {
	case "number":
		return out.IsExactType(types.DoubleType) || out.IsExactType(types.IntType)
	case "integer":
		return out.IsExactType(types.IntType)
	case "string":
		return out.IsExactType(types.StringType)
	case "boolean":
		return out.IsExactType(types.BoolType)
	}
	return false
}

func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("is not a JSON value: %w", err)
	}
	return v, nil
}

// fits says why v cannot be a value of type vt; "" when it can.
func fits(v any, vt form.ValueType) string {
	switch vt.Kind {
	case "any":
		return ""
	case "string":
		if _, ok := v.(string); !ok {
			return "must be text (a JSON string)"
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return "must be true or false"
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			return "must be a number"
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return "must be a whole number"
		}
		if _, err := n.Int64(); err != nil {
			return "must be a whole number"
		}
	case "array":
		items, ok := v.([]any)
		if !ok {
			return "must be a list"
		}
		if vt.Items != nil {
			for i, it := range items {
				if msg := fits(it, *vt.Items); msg != "" {
					return fmt.Sprintf("item %d %s", i, msg)
				}
			}
		}
		return ""
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return "must be an object"
		}
		return ""
	}
	if len(vt.Enum) > 0 && !inEnum(v, vt.Enum) {
		return fmt.Sprintf("must be one of %s", enumList(vt.Enum))
	}
	return ""
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		if sameJSON(v, e) {
			return true
		}
	}
	return false
}

// sameJSON compares decoded JSON scalars; numbers by value (1 and 1.0 are equal).
func sameJSON(a, b any) bool {
	an, aNum := a.(json.Number)
	bn, bNum := b.(json.Number)
	if aNum && bNum {
		af, err1 := an.Float64()
		bf, err2 := bn.Float64()
		return err1 == nil && err2 == nil && af == bf
	}
	return a == b
}

func enumList(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		b, _ := json.Marshal(e)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}
