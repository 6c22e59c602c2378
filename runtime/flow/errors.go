package flow

import (
	"errors"
	"fmt"

	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Sentinel errors of the engine. They know nothing of HTTP; the server maps them.
var (
	// ErrFlowNotFound means the tenant has no published flow with that key (or version).
	ErrFlowNotFound = errors.New("flow: flow not found")
	// ErrNotFound means no instance or task has that id in the tenant.
	ErrNotFound = fmt.Errorf("flow: not found: %w", store.ErrNotFound)
	// ErrForbidden means the actor is not a candidate (or the assignee) of the task.
	ErrForbidden = errors.New("flow: forbidden")
	// ErrConflict means the task changed since the caller read it (stale version), or
	// is already claimed by someone else.
	ErrConflict = fmt.Errorf("flow: task changed since it was read: %w", store.ErrConflict)
	// ErrClosed means the task or instance is no longer open.
	ErrClosed = errors.New("flow: task is closed")
	// ErrAlreadyRunning means the record already has a running instance of that flow.
	ErrAlreadyRunning = errors.New("flow: already running on this record")
	// ErrNoCandidates means a task's candidates resolved to nobody (an empty role, an
	// empty record field, a starter without a manager).
	ErrNoCandidates = errors.New("flow: task has no candidates")
	// ErrNotConfigured means a step needs a dependency the engine was built without
	// (Decider, Records, Webhooks, Directory).
	ErrNotConfigured = errors.New("flow: dependency not configured")
	// ErrStep means an automated step failed at run time (a record field a timer reads
	// holds no date, a CEL expression failed); the error names the node.
	ErrStep = errors.New("flow: step failed")
)

// Problem is one located fault; it is the form package's Problem, so callers place
// every definition's problems alike.
type Problem = form.Problem

// FlowError lists every problem of a flow definition, each located by a JSON pointer
// into the definition.
type FlowError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *FlowError) Error() string { return "invalid flow: " + form.JoinProblems(e.Problems) }

// ActError lists what is wrong with a request about a task, an Action or a NewTask,
// each located by a JSON pointer into it ("/to", "/fields/amount", "/title").
type ActError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *ActError) Error() string { return "invalid task request: " + form.JoinProblems(e.Problems) }

func actError(path, code, format string, args ...any) *ActError {
	return &ActError{Problems: []Problem{{Path: path, Code: code, Message: fmt.Sprintf(format, args...)}}}
}

// problems collects located problems (definition.Problems).
type problems = definition.Problems

// ptr appends reference tokens to a JSON pointer.
func ptr(base string, tokens ...any) string { return definition.Pointer(base, tokens...) }
