package form

import (
	"errors"
	"fmt"
	"math"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// computedField is a compiled computed expression.
type computedField struct {
	name string
	kind kind
	prog cel.Program
}

// compileComputed type-checks every computed expression against the record type and
// compiles it with a cost limit.
func compileComputed(def *Definition, fields map[string]*fieldInfo, env *cel.Env, ps *problems) []*computedField {
	var out []*computedField
	for _, name := range sortedKeys(def.Computed) {
		c := def.Computed[name]
		at := ptr("/computed", name)
		fi, ok := fields[name]
		if !ok {
			ps.add(at, "unknown_field", "a computed field must be a property of the schema")
			continue
		}
		if c == nil {
			continue
		}
		cf := compileExpr(name, c.Expr, fi, fields, def.Computed, env, ptr(at, "expr"), ps)
		if cf != nil {
			out = append(out, cf)
		}
	}
	return out
}

func compileExpr(name, expr string, fi *fieldInfo, fields map[string]*fieldInfo, computed map[string]*Computed, env *cel.Env, at string, ps *problems) *computedField {
	if !fi.typ.kind.scalar() {
		ps.add(at, "computed_type", "only text, number, integer and boolean fields can be computed")
		return nil
	}
	if len(expr) > MaxExprLength {
		ps.add(at, "max_length", "the expression is longer than %d characters", MaxExprLength)
		return nil
	}
	parsed, iss := env.Parse(expr)
	if iss.Err() != nil {
		ps.add(at, "cel_syntax", "%s", issueMessage(iss))
		return nil
	}
	checked, iss := env.Check(parsed)
	if iss.Err() != nil {
		ps.add(at, "cel_type", "%s", issueMessage(iss))
		return nil
	}
	for _, ref := range recordRefs(checked.NativeRep().Expr()) {
		if _, isComputed := computed[ref]; isComputed {
			ps.add(at, "computed_reference", "reads record.%s, another computed field; compute from the entered fields instead", ref)
			return nil
		}
		if _, ok := fields[ref]; !ok {
			ps.add(at, "cel_type", "record has no field %s", ref)
			return nil
		}
	}
	if !resultFits(checked.OutputType(), fi.typ.kind) {
		ps.addParams(at, "result_type", map[string]any{"want": fi.typ.kind.String(), "got": checked.OutputType().String()},
			"the expression gives %s but %s is a %s field", checked.OutputType(), name, fi.typ.kind)
		return nil
	}
	prog, err := env.Program(checked, cel.CostLimit(ComputeCostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		ps.add(at, "cel_program", "%s", err.Error())
		return nil
	}
	return &computedField{name: name, kind: fi.typ.kind, prog: prog}
}

func resultFits(out *types.Type, k kind) bool {
	if out.IsExactType(types.DynType) {
		return true
	}
	switch k {
	case kindNumber:
		return out.IsExactType(types.DoubleType) || out.IsExactType(types.IntType)
	case kindInteger:
		return out.IsExactType(types.IntType)
	case kindString:
		return out.IsExactType(types.StringType)
	case kindBool:
		return out.IsExactType(types.BoolType)
	}
	return false
}

// recordRefs lists the fields an expression selects directly on record (record.x).
func recordRefs(e celast.Expr) []string {
	var out []string
	visitor := celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.SelectKind {
			return
		}
		sel := e.AsSelect()
		if op := sel.Operand(); op.Kind() == celast.IdentKind && op.AsIdent() == "record" {
			out = append(out, sel.FieldName())
		}
	})
	celast.PostOrderVisit(e, visitor)
	return out
}

// errComputed marks a computed expression that failed at run time.
var errComputed = errors.New("computed field failed")

// eval runs the expression over a normalised record and returns the value to store
// (nil: leave the field absent).
func (c *computedField) eval(data map[string]any) (any, error) {
	out, _, err := c.prog.Eval(map[string]any{"record": data})
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errComputed, err.Error())
	}
	if out == types.NullValue {
		return nil, nil
	}
	switch v := out.Value().(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: the result is not a finite number", errComputed)
		}
		if c.kind == kindInteger {
			return nil, fmt.Errorf("%w: the result is not a whole number", errComputed)
		}
		return v, nil
	case int64:
		if c.kind == kindNumber {
			return float64(v), nil
		}
		return v, nil
	case string, bool:
		return v, nil
	}
	return nil, fmt.Errorf("%w: the result is a %s", errComputed, out.Type())
}
