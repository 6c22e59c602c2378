package flow

import (
	"fmt"
	"net/url"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"

	"github.com/credolabs/credo/runtime/form"
)

// CostLimit caps the evaluation cost of one gateway condition or set_fields expression,
// so one tenant's expression cannot hog the server.
const CostLimit = 100_000

// expr is a compiled CEL expression over record.
type expr struct {
	src  string
	prog cel.Program
}

// compileExpr type-checks src in the form's record environment and checks its result
// type with fits; it reports problems at at and returns nil on failure.
func (c *compiler) compileExpr(src, at string, want string, fits func(*types.Type) bool) *expr {
	parsed, iss := c.env.Parse(src)
	if iss.Err() != nil {
		c.ps.Add(at, "cel_syntax", "%s", form.IssueMessage(iss))
		return nil
	}
	checked, iss := c.env.Check(parsed)
	if iss.Err() != nil {
		c.ps.Add(at, "cel_type", "%s", form.IssueMessage(iss))
		return nil
	}
	if out := checked.OutputType(); !out.IsExactType(types.DynType) && !fits(out) {
		c.ps.AddParams(at, "result_type", map[string]any{"want": want, "got": out.String()},
			"the expression gives %s but %s is needed", out, want)
		return nil
	}
	prog, err := c.env.Program(checked, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		c.ps.Add(at, "cel_program", "%s", err.Error())
		return nil
	}
	return &expr{src: src, prog: prog}
}

// eval runs the expression over act and returns its value as a Go value.
func (e *expr) eval(act cel.Activation) (any, error) {
	out, _, err := e.prog.Eval(act)
	if err != nil {
		return nil, fmt.Errorf("evaluate %q: %w", e.src, err)
	}
	return out.Value(), nil
}

// resultFits reports whether a CEL result type can be stored in a field of kind k.
func resultFits(k string) func(*types.Type) bool {
	return func(out *types.Type) bool {
		switch k {
		case "any":
			return true
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
}

func isBool(out *types.Type) bool { return out.IsExactType(types.BoolType) }

// httpsURL reports whether s is an https URL without credentials.
func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}
