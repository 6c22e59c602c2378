package report

import (
	"errors"
	"fmt"
	"strings"

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

// problems collects Problems; the zero value is ready to use.
type problems []Problem

func (ps *problems) add(path, code, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Code: code, Message: fmt.Sprintf(format, args...)})
}

// pointerEscaper escapes one JSON pointer reference token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// ptr appends reference tokens (strings or indexes) to a JSON pointer.
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
