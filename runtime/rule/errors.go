package rule

import (
	"errors"

	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
)

var (
	// ErrUnknownRule means the set has no rule with that key.
	ErrUnknownRule = errors.New("rule: unknown rule")
	// ErrInvalidEvent means an event the engine cannot evaluate: an unknown type, another
	// form's record, a schedule event naming no scheduled rule.
	ErrInvalidEvent = errors.New("rule: invalid event")
)

// Problem is one located fault of a rule set; Path is a JSON pointer into the rule set
// definition. It is the form package's Problem, so callers place both alike.
type Problem = form.Problem

// RuleError lists every problem of a rule set definition, each located by JSON pointer.
type RuleError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *RuleError) Error() string {
	return "invalid rule set: " + form.JoinProblems(e.Problems)
}

// problems collects located problems (definition.Problems).
type problems = definition.Problems

// ptr appends reference tokens to a JSON pointer.
func ptr(base string, tokens ...any) string { return definition.Pointer(base, tokens...) }
