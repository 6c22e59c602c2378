package rule

import (
	"fmt"
)

// Outcome is how a condition came out in a dry run.
type Outcome string

// Outcomes of a condition.
const (
	Held    Outcome = "true"
	NotHeld Outcome = "false"
	Failed  Outcome = "error"
)

// DryRunResult explains how one rule reads one record.
type DryRunResult struct {
	Rule    string `json:"rule"`
	Enabled bool   `json:"enabled"`
	// Condition is the whole condition as CEL ("" when the rule has none) and Outcome
	// how it came out; Error says why when it failed.
	Condition string  `json:"condition,omitempty"`
	Outcome   Outcome `json:"outcome"`
	Error     string  `json:"error,omitempty"`
	// Leaves are the comparisons of a visual condition, each evaluated on its own.
	Leaves []LeafResult `json:"leaves,omitempty"`
	// Fires reports whether the rule would fire on this record (enabled, condition held,
	// actions resolved); the trigger is not considered.
	Fires bool `json:"fires"`
	// Actions are what the rule produces on this record; ActionError says why they
	// could not be resolved.
	Actions     []Action `json:"actions,omitempty"`
	ActionError string   `json:"action_error,omitempty"`
}

// LeafResult is one comparison of a visual condition in a dry run.
type LeafResult struct {
	// Path is the JSON pointer of the comparison in the rule set definition.
	Path    string  `json:"path"`
	Field   string  `json:"field"`
	Op      string  `json:"op"`
	CEL     string  `json:"cel"`
	Outcome Outcome `json:"outcome"`
	Error   string  `json:"error,omitempty"`
}

// DryRun evaluates rule key against record without an event: which conditions held and
// the actions it would produce. It ignores the trigger and the rule's enabled flag (both
// are reported), so a rule can be tried before it is switched on.
func (s *Set) DryRun(key string, record map[string]any) (*DryRunResult, error) {
	r := s.byKey[key]
	if r == nil {
		return nil, fmt.Errorf("dry run %s rule %q: %w", s.form.Key(), key, ErrUnknownRule)
	}
	act, err := s.form.RecordActivation(record)
	if err != nil {
		return nil, fmt.Errorf("dry run %s rule %s: %w", s.form.Key(), key, err)
	}
	out := &DryRunResult{Rule: key, Enabled: r.enabled, Condition: r.CEL()}
	held, err := r.cond.eval(act)
	out.Outcome, out.Error = outcomeOf(held, err)
	if r.cond != nil {
		for _, l := range r.cond.leaves {
			lh, lerr := evalBool(l.prog, act)
			lr := LeafResult{Path: l.path, Field: l.field, Op: l.op, CEL: l.expr}
			lr.Outcome, lr.Error = outcomeOf(lh, lerr)
			out.Leaves = append(out.Leaves, lr)
		}
	}
	out.Actions, err = r.resolve(act, record)
	if err != nil {
		out.ActionError = err.Error()
	}
	out.Fires = r.enabled && out.Outcome == Held && err == nil
	return out, nil
}

func outcomeOf(held bool, err error) (Outcome, string) {
	switch {
	case err != nil:
		return Failed, err.Error()
	case held:
		return Held, ""
	}
	return NotHeld, ""
}
