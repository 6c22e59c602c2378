package rule

import (
	"errors"
	"fmt"
	"strings"

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

// problems collects Problems; the zero value is ready to use.
type problems []Problem

func (ps *problems) add(path, code, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) addParams(path, code string, params map[string]any, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...), Params: params})
}

// pointerEscaper escapes one JSON pointer reference token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// ptr appends reference tokens to a JSON pointer.
func ptr(base string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		switch v := t.(type) {
		case string:
			b.WriteString(pointerEscaper.Replace(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}
