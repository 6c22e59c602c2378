package rule

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// Event types the engine evaluates. field.changed rules listen to record.updated.
const (
	EventRecordCreated   = "record.created"
	EventRecordUpdated   = "record.updated"
	EventFlowNodeEntered = "flow.node_entered"
	EventFlowNodeLeft    = "flow.node_left"
	EventSchedule        = "schedule"
)

// Event is what happened to one record.
type Event struct {
	// Type is one of the Event* constants.
	Type string
	// Form is the record's form key; it must be the set's form.
	Form string
	// RecordID identifies the record; it is copied into nothing, only checked by callers.
	RecordID string
	// Record is the record's data after the change (stored or caller form: numbers as
	// json.Number, float64 or int are normalised as the form does).
	Record map[string]any
	// Before is the data before an update; field.changed rules compare it with Record.
	Before map[string]any
	// Changed names the top-level fields an update changed. It is used only when Before
	// is nil (a caller that knows the diff but not the old record).
	Changed []string
	// Flow and Node name the flow node entered or left (flow events).
	Flow, Node string
	// Rule names the scheduled rule that fired (schedule events, see Set.Due).
	Rule string
	// Depth counts the rule-caused events before this one: 0 for a person's or a
	// plugin's change, Match.Depth for an event a matched rule's actions caused.
	Depth int
	// Origin lists the keys of the rules whose actions caused this event (Match.Origin).
	// None of them fires again on it: a rule's own change cannot retrigger it.
	Origin []string
}

// Result is what an event triggered.
type Result struct {
	// Matched are the rules whose trigger and condition held, highest priority first,
	// with their actions resolved.
	Matched []Match `json:"matched"`
	// Suppressed are the rules the loop guard kept from firing again: their trigger
	// matched but the event is of their own making.
	Suppressed []string `json:"suppressed,omitempty"`
	// DepthExceeded reports that the event came after more than MaxDepth rule-caused
	// events in a row, so nothing was evaluated.
	DepthExceeded bool `json:"depth_exceeded,omitempty"`
	// Failures are the rules whose condition or actions could not be evaluated (a cost
	// limit, a division by zero); they did not match.
	Failures []Failure `json:"failures,omitempty"`
}

// Failure is a rule that failed to evaluate.
type Failure struct {
	Rule  string `json:"rule"`
	Error string `json:"error"`
}

// Match is a rule that fired, with the actions the caller is to execute.
type Match struct {
	Rule     string    `json:"rule"`
	Title    Localized `json:"title"`
	Priority int       `json:"priority"`
	Actions  []Action  `json:"actions"`
	// Origin and Depth are what an event caused by these actions carries, so that the
	// chain is bounded and this rule does not fire on its own change.
	Origin []string `json:"origin"`
	Depth  int      `json:"depth"`
}

// Action is a resolved action: data for the caller (flows, events) to execute.
type Action struct {
	Type string `json:"type"`
	// Field and Value: set_field (Value is the constant or the expression's result, nil
	// to clear the field); add_to_list (the field read and its value as text, "" when
	// the record has none: add nothing).
	Field string `json:"field,omitempty"`
	Value any    `json:"value,omitempty"`
	// Reason: reject, flag.
	Reason Localized `json:"reason,omitempty"`
	// Flag: flag.
	Flag string `json:"flag,omitempty"`
	// Role or User, Title, DueIn: create_task (DueIn zero: no due date).
	Role  string        `json:"role,omitempty"`
	User  string        `json:"user,omitempty"`
	Title Localized     `json:"title,omitempty"`
	DueIn time.Duration `json:"due_in,omitempty"`
	// Flow: start_flow.
	Flow string `json:"flow,omitempty"`
	// Kind: call_plugin.
	Kind string `json:"kind,omitempty"`
	// Channel, To, Template: notify.
	Channel  string `json:"channel,omitempty"`
	To       string `json:"to,omitempty"`
	Template string `json:"template,omitempty"`
	// List: add_to_list.
	List string `json:"list,omitempty"`
}

// MaxDepth is how many rule-caused events may chain before an event triggers nothing.
func (s *Set) MaxDepth() int { return s.maxDepth }

// Form is the key of the form the set was compiled against.
func (s *Set) Form() string { return s.form.Key() }

// ListensTo reports whether an enabled rule of the set triggers on node of flow being
// entered or left: the flow engine emits only those nodes' events.
func (s *Set) ListensTo(flow, node string) bool {
	for _, typ := range []string{EventFlowNodeEntered, EventFlowNodeLeft} {
		for _, r := range s.byEvent[typ] {
			if r.trigger.Flow == flow && r.trigger.Node == node {
				return true
			}
		}
	}
	return false
}

// Scheduled reports whether the set has enabled rules on a cron.
func (s *Set) Scheduled() bool { return len(s.byEvent[EventSchedule]) > 0 }

// FormVersion is the version of the form the set was compiled against.
func (s *Set) FormVersion() int { return s.form.Version() }

// Rules lists the rules in definition order.
func (s *Set) Rules() []*Rule { return slices.Clone(s.rules) }

// Rule returns the rule with key, or nil.
func (s *Set) Rule(key string) *Rule { return s.byKey[key] }

// Evaluate finds the rules ev triggers and returns them with their actions resolved;
// it executes nothing. A rule whose evaluation fails is reported in Result.Failures and
// does not stop the others. The error is for an event the set cannot evaluate
// (ErrInvalidEvent) or a cancelled ctx.
func (s *Set) Evaluate(ctx context.Context, ev Event) (*Result, error) {
	if ev.Form != s.form.Key() {
		return nil, fmt.Errorf("evaluate %s rules: event of form %q: %w", s.form.Key(), ev.Form, ErrInvalidEvent)
	}
	var candidates []*Rule
	switch ev.Type {
	case EventRecordCreated, EventRecordUpdated, EventFlowNodeEntered, EventFlowNodeLeft:
		candidates = s.byEvent[ev.Type]
	case EventSchedule:
		r := s.byKey[ev.Rule]
		if r == nil || r.trigger.On != OnSchedule {
			return nil, fmt.Errorf("evaluate %s rules: schedule event for %q, not a scheduled rule: %w", s.form.Key(), ev.Rule, ErrInvalidEvent)
		}
		if r.enabled {
			candidates = []*Rule{r}
		}
	default:
		return nil, fmt.Errorf("evaluate %s rules: event type %q: %w", s.form.Key(), ev.Type, ErrInvalidEvent)
	}
	res := &Result{}
	if ev.Depth > s.maxDepth {
		res.DepthExceeded = true
		return res, nil
	}
	if len(candidates) == 0 {
		return res, nil
	}
	// One activation serves every rule: the record is normalised once per event.
	act, err := s.form.RecordActivation(ev.Record)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s rules: %w", s.form.Key(), err)
	}
	res.Matched = make([]Match, 0, len(candidates))
	var before, after map[string]any
	for _, r := range candidates {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("evaluate %s rules: %w", s.form.Key(), err)
		}
		switch r.trigger.On {
		case OnFlowNodeEntered, OnFlowNodeLeft:
			if r.trigger.Flow != ev.Flow || r.trigger.Node != ev.Node {
				continue
			}
		case OnFieldChanged:
			if before == nil && ev.Before != nil {
				before, after = s.form.Normalize(ev.Before), s.form.Normalize(ev.Record)
			}
			if !fieldsChanged(r.trigger.Fields, before, after, ev.Changed) {
				continue
			}
		}
		if slices.Contains(ev.Origin, r.spec.Key) {
			res.Suppressed = append(res.Suppressed, r.spec.Key)
			continue
		}
		held, err := r.cond.eval(act)
		if err != nil {
			res.Failures = append(res.Failures, Failure{Rule: r.spec.Key, Error: err.Error()})
			continue
		}
		if !held {
			continue
		}
		actions, err := r.resolve(act, ev.Record)
		if err != nil {
			res.Failures = append(res.Failures, Failure{Rule: r.spec.Key, Error: err.Error()})
			continue
		}
		origin := make([]string, len(ev.Origin), len(ev.Origin)+1)
		copy(origin, ev.Origin)
		res.Matched = append(res.Matched, Match{Rule: r.spec.Key, Title: r.spec.Title, Priority: r.spec.Priority,
			Actions: actions, Origin: append(origin, r.spec.Key), Depth: ev.Depth + 1})
	}
	return res, nil
}

// fieldsChanged reports whether one of fields differs between before and after, or,
// without before, whether changed names one of them (or the object holding it).
func fieldsChanged(fields []string, before, after map[string]any, changed []string) bool {
	for _, f := range fields {
		if before != nil {
			if !reflect.DeepEqual(valueAt(before, f), valueAt(after, f)) {
				return true
			}
			continue
		}
		head, _, _ := strings.Cut(f, ".")
		if slices.Contains(changed, f) || slices.Contains(changed, head) {
			return true
		}
	}
	return false
}

// valueAt reads a dotted path through nested objects.
func valueAt(data map[string]any, path string) any {
	var cur any = data
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// errEval marks an expression that failed at run time.
var errEval = errors.New("evaluation failed")

func (c *condition) eval(act cel.Activation) (bool, error) {
	if c == nil {
		return true, nil
	}
	return evalBool(c.prog, act)
}

func evalBool(prog cel.Program, act cel.Activation) (bool, error) {
	out, _, err := prog.Eval(act)
	if err != nil {
		return false, fmt.Errorf("%w: %s", errEval, err.Error())
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("%w: the condition gave %s, not a bool", errEval, out.Type())
	}
	return bool(b), nil
}

// resolve turns the rule's actions into data: set_field expressions evaluated,
// add_to_list values read.
func (r *Rule) resolve(act cel.Activation, record map[string]any) ([]Action, error) {
	out := make([]Action, len(r.actions))
	for i, a := range r.actions {
		s := &a.spec
		out[i] = Action{Type: s.Type, Field: s.Field, Reason: s.Reason, Flag: s.Flag, Role: s.Role, User: s.User,
			Title: s.Title, DueIn: a.dueIn, Flow: s.Flow, Kind: s.Kind, Channel: s.Channel, To: s.To, Template: s.Template, List: s.List}
		switch s.Type {
		case ActSetField:
			if a.prog == nil {
				out[i].Value = a.value
				continue
			}
			v, err := a.evalValue(act)
			if err != nil {
				return nil, fmt.Errorf("action %d (set_field %s): %w", i, s.Field, err)
			}
			out[i].Value = v
		case ActAddToList:
			out[i].Value = listValue(valueAt(record, s.Field))
		}
	}
	return out, nil
}

func (a *action) evalValue(act cel.Activation) (any, error) {
	out, _, err := a.prog.Eval(act)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errEval, err.Error())
	}
	return nativeOf(out, a.kind)
}

// nativeOf converts an expression's result to the value stored in a field of kind.
func nativeOf(out ref.Val, kind string) (any, error) {
	if out == types.NullValue {
		return nil, nil
	}
	switch v := out.Value().(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: the result is not a finite number", errEval)
		}
		if kind == "integer" {
			return nil, fmt.Errorf("%w: the result is not a whole number", errEval)
		}
		return v, nil
	case int64:
		if kind == "number" {
			return float64(v), nil
		}
		return v, nil
	case string, bool:
		return v, nil
	}
	return nil, fmt.Errorf("%w: the result is a %s", errEval, out.Type())
}

// listValue is how a field value goes into a value list: text, numbers without a
// trailing ".0".
func listValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprintf("%v", x)
	}
	return fmt.Sprint(v)
}
