package form

import (
	"errors"
	"fmt"
	"strings"

	"github.com/credolabs/credo/store"
)

// Sentinel errors of the record service. They wrap nothing of HTTP; the server maps them.
var (
	// ErrFormNotFound means the tenant has no published form with that key (or version).
	ErrFormNotFound = errors.New("form: form not found")
	// ErrForbidden means the actor lacks the record-level right for the operation.
	ErrForbidden = errors.New("form: forbidden")
	// ErrNotFound means no record with that id exists within the actor's row scope.
	ErrNotFound = fmt.Errorf("form: record not found: %w", store.ErrNotFound)
	// ErrConflict means the record changed since the caller read it (stale version).
	ErrConflict = fmt.Errorf("form: record changed since it was read: %w", store.ErrConflict)
	// ErrNoDecision means a decision was asked of a form without it, or with no plugin host.
	ErrNoDecision = errors.New("form: no such decision")
)

// Problem is one located fault: in a definition (Path points into the definition JSON)
// or in a record (Path points into the record's data).
type Problem struct {
	// Path is a JSON pointer ("/computed/dti/expr", "/emergency_contacts/0/phone"); "" is the whole document.
	Path string `json:"path"`
	// Code is stable and machine-readable: a JSON Schema keyword ("required", "minimum",
	// "pattern", "additionalProperties"…) or one of this package's codes ("unknown_field",
	// "widget_type", "cel_type"…).
	Code string `json:"code"`
	// Message is a sentence a person understands.
	Message string `json:"message"`
	// Params carries the values the message quotes (limit, allowed values…) for translation.
	Params map[string]any `json:"params,omitempty"`
}

// String is "path: code: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Code + ": " + p.Message
	}
	return p.Path + ": " + p.Code + ": " + p.Message
}

// DefinitionError lists every problem of a form definition, each located by JSON pointer.
type DefinitionError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *DefinitionError) Error() string {
	return "invalid definition: " + JoinProblems(e.Problems)
}

// ValidationError lists the failing fields of a record, one entry per field.
type ValidationError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *ValidationError) Error() string {
	return "invalid record: " + JoinProblems(e.Problems)
}

// JoinProblems lists the first problems in one line, for error messages.
func JoinProblems(ps []Problem) string {
	const shown = 5
	var b strings.Builder
	for i, p := range ps {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more", len(ps)-shown)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects Problems; the zero value is ready to use.
type problems []Problem

func (ps *problems) add(path, code, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) addParams(path, code string, params map[string]any, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...), Params: params})
}
