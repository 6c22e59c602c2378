package report

import (
	"errors"

	"github.com/credolabs/credo/runtime/definition"
	"github.com/credolabs/credo/runtime/form"
)

var (
	// ErrUnknownWidget means the dashboard has no widget with that id.
	ErrUnknownWidget = errors.New("report: unknown widget")
	// ErrUnknownPoint means a drill-down names a category or series the widget does not have.
	ErrUnknownPoint = errors.New("report: unknown point")
	// ErrFormat means a chart format other than svg or png was asked for.
	ErrFormat = errors.New("report: unsupported chart format")
)

// Problem is one located fault; Path is a JSON pointer into the dashboard definition (or
// into the render parameters). It is the form package's Problem, so callers place both alike.
type Problem = form.Problem

// DashboardError lists every problem of a dashboard definition, each located by JSON pointer.
type DashboardError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *DashboardError) Error() string {
	return "invalid dashboard: " + form.JoinProblems(e.Problems)
}

// ParamsError lists every problem of render or drill-down parameters; paths point into
// the parameters ("/filters/period/from").
type ParamsError struct {
	Problems []Problem `json:"problems"`
}

// Error lists the first problems.
func (e *ParamsError) Error() string {
	return "invalid dashboard parameters: " + form.JoinProblems(e.Problems)
}

// problems collects located problems (definition.Problems).
type problems = definition.Problems

// ptr appends reference tokens to a JSON pointer.
func ptr(base string, tokens ...any) string { return definition.Pointer(base, tokens...) }
