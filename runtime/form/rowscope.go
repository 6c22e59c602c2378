package form

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/credolabs/credo/store"
)

// A row scope is a CEL condition over record and user that is never evaluated per
// record: it is compiled once into a tree whose leaves compare a record field with a
// value that depends on the user only; at request time those values are computed and
// the tree becomes a store.Filter. Conditions on the user alone ("admin" in user.roles)
// fold to true or false.

// scopeOp is the kind of a scope tree node.
type scopeOp uint8

const (
	scopeAnd scopeOp = iota
	scopeOr
	scopeNot
	scopeCmp    // field <op> value
	scopeExists // has(record.field)
	scopeConst  // a boolean of the user only
)

type scopeNode struct {
	op    scopeOp
	kids  []*scopeNode
	field string // store path
	cmp   store.Op
	val   *scopeValue
}

// scopeValue is a constant or a program over user.
type scopeValue struct {
	static    any
	hasStatic bool
	prog      cel.Program
}

// rowScope is one compiled row-scope expression.
type rowScope struct {
	expr string
	root *scopeNode
	prog cel.Program
}

// CheckRowScope reports whether expr can serve as a row scope of form f (key formKey):
// it must type-check as a bool over record and user and translate into a store filter.
// The server calls it when a role is saved; the error is a *DefinitionError.
func CheckRowScope(formKey string, expr string, f *Form) error {
	if f == nil || f.key != formKey {
		return fmt.Errorf("check row scope on %s: %w", formKey, ErrFormNotFound)
	}
	_, err := compileRowScope(f, expr)
	return err
}

func scopeProblem(code, format string, args ...any) error {
	return &DefinitionError{Problems: []Problem{{Code: code, Message: fmt.Sprintf(format, args...)}}}
}

func compileRowScope(f *Form, expr string) (*rowScope, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, scopeProblem("cel_syntax", "the row scope is empty")
	}
	if len(expr) > MaxExprLength {
		return nil, scopeProblem("max_length", "the row scope is longer than %d characters", MaxExprLength)
	}
	parsed, iss := f.scopeEnv.Parse(expr)
	if iss.Err() != nil {
		return nil, scopeProblem("cel_syntax", "%s", issueMessage(iss))
	}
	checked, iss := f.scopeEnv.Check(parsed)
	if iss.Err() != nil {
		return nil, scopeProblem("cel_type", "%s", issueMessage(iss))
	}
	if !checked.OutputType().IsExactType(types.BoolType) {
		return nil, scopeProblem("result_type", "a row scope must be true or false, not %s", checked.OutputType())
	}
	sc := &scopeCompiler{f: f, info: checked.NativeRep().SourceInfo()}
	root, err := sc.node(checked.NativeRep().Expr())
	if err != nil {
		return nil, err
	}
	// The same expression also runs as a program, to check a record that is being
	// written rather than read.
	prog, err := f.scopeEnv.Program(checked, cel.CostLimit(ComputeCostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		return nil, scopeProblem("cel_program", "%s", err.Error())
	}
	return &rowScope{expr: expr, root: root, prog: prog}, nil
}

// admits reports whether record lies inside the scope for user; an expression that
// cannot be evaluated on the record (a field it reads is absent) does not admit it.
func (s *rowScope) admits(record, user map[string]any) bool {
	out, _, err := s.prog.Eval(map[string]any{"record": record, "user": user})
	if err != nil {
		return false
	}
	b, ok := out.Value().(bool)
	return ok && b
}

type scopeCompiler struct {
	f    *Form
	info *celast.SourceInfo
}

func (c *scopeCompiler) text(e celast.Expr) string {
	s, err := cel.ExprToString(e, c.info)
	if err != nil {
		return "this expression"
	}
	return s
}

func (c *scopeCompiler) unsupported(e celast.Expr, why string) error {
	return scopeProblem("scope_unsupported", "%s cannot be turned into a record filter: %s", c.text(e), why)
}

func mentions(e celast.Expr, ident string) bool {
	found := false
	celast.PostOrderVisit(e, celast.NewExprVisitor(func(x celast.Expr) {
		if x.Kind() == celast.IdentKind && x.AsIdent() == ident {
			found = true
		}
	}))
	return found
}

// flip gives the operator that keeps a comparison true when its sides swap.
var flip = map[store.Op]store.Op{store.OpEq: store.OpEq, store.OpNe: store.OpNe,
	store.OpLt: store.OpGt, store.OpLte: store.OpGte, store.OpGt: store.OpLt, store.OpGte: store.OpLte}

var comparisons = map[string]store.Op{
	operators.Equals: store.OpEq, operators.NotEquals: store.OpNe,
	operators.Less: store.OpLt, operators.LessEquals: store.OpLte,
	operators.Greater: store.OpGt, operators.GreaterEquals: store.OpGte,
}

func (c *scopeCompiler) node(e celast.Expr) (*scopeNode, error) {
	if !mentions(e, "record") {
		v, err := c.value(e)
		if err != nil {
			return nil, err
		}
		return &scopeNode{op: scopeConst, val: v}, nil
	}
	switch e.Kind() {
	case celast.SelectKind:
		sel := e.AsSelect()
		field, err := c.field(e, sel.IsTestOnly())
		if err != nil {
			return nil, err
		}
		if sel.IsTestOnly() {
			return &scopeNode{op: scopeExists, field: field}, nil
		}
		if c.f.fields[sel.FieldName()].typ.kind != kindBool {
			return nil, c.unsupported(e, "only a boolean field can stand alone as a condition")
		}
		return &scopeNode{op: scopeCmp, field: field, cmp: store.OpEq, val: &scopeValue{static: true, hasStatic: true}}, nil
	case celast.CallKind:
		return c.call(e)
	}
	return nil, c.unsupported(e, "use comparisons, in, startsWith and contains on record fields, joined with &&, || and !")
}

func (c *scopeCompiler) call(e celast.Expr) (*scopeNode, error) {
	call := e.AsCall()
	args := call.Args()
	name := call.FunctionName()
	switch name {
	case operators.LogicalAnd, operators.LogicalOr:
		n := &scopeNode{op: scopeAnd}
		if name == operators.LogicalOr {
			n.op = scopeOr
		}
		for _, a := range args {
			k, err := c.node(a)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		return n, nil
	case operators.LogicalNot:
		k, err := c.node(args[0])
		if err != nil {
			return nil, err
		}
		return &scopeNode{op: scopeNot, kids: []*scopeNode{k}}, nil
	case operators.In:
		field, err := c.field(args[0], false)
		if err != nil {
			return nil, err
		}
		if mentions(args[1], "record") {
			return nil, c.unsupported(e, "the list must not depend on the record")
		}
		v, err := c.value(args[1])
		if err != nil {
			return nil, err
		}
		return &scopeNode{op: scopeCmp, field: field, cmp: store.OpIn, val: v}, nil
	case "startsWith", "contains":
		if !call.IsMemberFunction() || len(args) != 1 {
			return nil, c.unsupported(e, "use record.field."+name+"(text)")
		}
		field, err := c.field(call.Target(), false)
		if err != nil {
			return nil, err
		}
		if mentions(args[0], "record") {
			return nil, c.unsupported(e, "the text must not depend on the record")
		}
		v, err := c.value(args[0])
		if err != nil {
			return nil, err
		}
		op := store.OpPrefix
		if name == "contains" {
			op = store.OpContains
		}
		return &scopeNode{op: scopeCmp, field: field, cmp: op, val: v}, nil
	}
	op, ok := comparisons[name]
	if !ok || len(args) != 2 {
		return nil, c.unsupported(e, "use comparisons, in, startsWith and contains on record fields, joined with &&, || and !")
	}
	left, right := args[0], args[1]
	if !mentions(left, "record") {
		left, right, op = right, left, flip[op]
	}
	if mentions(right, "record") {
		return nil, c.unsupported(e, "compare a record field with a value that does not depend on the record")
	}
	field, err := c.field(left, false)
	if err != nil {
		return nil, err
	}
	v, err := c.value(right)
	if err != nil {
		return nil, err
	}
	return &scopeNode{op: scopeCmp, field: field, cmp: op, val: v}, nil
}

// field resolves record.<name> to the store path of a scalar field.
func (c *scopeCompiler) field(e celast.Expr, testOnly bool) (string, error) {
	if e.Kind() != celast.SelectKind {
		return "", c.unsupported(e, "expected record.<field>")
	}
	sel := e.AsSelect()
	if sel.IsTestOnly() != testOnly || sel.Operand().Kind() != celast.IdentKind || sel.Operand().AsIdent() != "record" {
		return "", c.unsupported(e, "expected record.<field>")
	}
	fi, ok := c.f.fields[sel.FieldName()]
	if !ok {
		return "", scopeProblem("unknown_field", "record has no field %s", sel.FieldName())
	}
	if !fi.typ.kind.scalar() {
		return "", c.unsupported(e, "only text, number, integer and boolean fields can be filtered")
	}
	return dataPath(fi.name), nil
}

// value compiles an expression of the user (or of nothing) into a constant or program.
func (c *scopeCompiler) value(e celast.Expr) (*scopeValue, error) {
	if e.Kind() == celast.LiteralKind {
		v, err := goValue(e.AsLiteral())
		if err != nil {
			return nil, c.unsupported(e, err.Error())
		}
		return &scopeValue{static: v, hasStatic: true}, nil
	}
	src := c.text(e)
	ast, iss := c.f.scopeEnv.Compile(src)
	if iss.Err() != nil {
		return nil, scopeProblem("cel_type", "%s", issueMessage(iss))
	}
	prog, err := c.f.scopeEnv.Program(ast, cel.CostLimit(ComputeCostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		return nil, scopeProblem("cel_program", "%s", err.Error())
	}
	v := &scopeValue{prog: prog}
	if !mentions(e, "user") {
		out, _, err := prog.Eval(map[string]any{})
		if err != nil {
			return nil, c.unsupported(e, err.Error())
		}
		if v.static, err = goValue(out); err != nil {
			return nil, c.unsupported(e, err.Error())
		}
		v.hasStatic, v.prog = true, nil
	}
	return v, nil
}

// goValue converts a CEL value into a filter value: scalars, null, or a list of scalars.
func goValue(v ref.Val) (any, error) {
	switch t := v.(type) {
	case types.String:
		return string(t), nil
	case types.Double:
		return float64(t), nil
	case types.Int:
		return int64(t), nil
	case types.Uint:
		return int64(t), nil
	case types.Bool:
		return bool(t), nil
	case types.Null:
		return nil, nil
	case traits.Lister:
		n, ok := t.Size().(types.Int)
		if !ok || n > store.MaxFilterNodes {
			return nil, fmt.Errorf("the list has more than %d values", store.MaxFilterNodes)
		}
		out := make([]any, 0, int(n))
		it := t.Iterator()
		for it.HasNext() == types.True {
			e, err := goValue(it.Next())
			if err != nil {
				return nil, err
			}
			if _, isList := e.([]any); isList || e == nil {
				return nil, fmt.Errorf("list values must be text, numbers or booleans")
			}
			out = append(out, e)
		}
		return out, nil
	}
	return nil, fmt.Errorf("a %s cannot be compared with a stored field", v.Type())
}

// folded is a filter or a constant: a node that needs no filter matches all or nothing.
type folded struct {
	f     *store.Filter
	known bool // the node is a constant
	val   bool // its value when known
}

var (
	matchAll  = folded{known: true, val: true}
	matchNone = folded{known: true, val: false}
)

// filter instantiates the scope for one user. A value that cannot be computed for the
// user (a missing attribute) makes the whole scope match nothing: unknown means no access.
func (s *rowScope) filter(user map[string]any) folded {
	out, ok := s.root.fold(user)
	if !ok {
		return matchNone
	}
	return out
}

func (n *scopeNode) fold(user map[string]any) (folded, bool) {
	switch n.op {
	case scopeAnd, scopeOr:
		stop := n.op == scopeOr // the value that decides the whole node
		var kept []*store.Filter
		for _, k := range n.kids {
			r, ok := k.fold(user)
			if !ok {
				return folded{}, false
			}
			if r.known {
				if r.val == stop {
					return r, true
				}
				continue
			}
			kept = append(kept, r.f)
		}
		if len(kept) == 0 {
			return folded{known: true, val: !stop}, true
		}
		if n.op == scopeOr {
			return folded{f: store.Or(kept...)}, true
		}
		return folded{f: store.And(kept...)}, true
	case scopeNot:
		r, ok := n.kids[0].fold(user)
		if !ok {
			return folded{}, false
		}
		if r.known {
			return folded{known: true, val: !r.val}, true
		}
		return folded{f: store.Not(r.f)}, true
	case scopeExists:
		return folded{f: store.Exists(n.field, true)}, true
	case scopeConst:
		v, ok := n.val.eval(user)
		b, isBool := v.(bool)
		if !ok || !isBool {
			return folded{}, false
		}
		return folded{known: true, val: b}, true
	}
	v, ok := n.val.eval(user)
	if !ok {
		return folded{}, false
	}
	return n.compare(v)
}

func (n *scopeNode) compare(v any) (folded, bool) {
	switch n.cmp {
	case store.OpIn:
		vs, ok := v.([]any)
		if !ok {
			return folded{}, false
		}
		if len(vs) == 0 {
			return matchNone, true
		}
		return folded{f: &store.Filter{Field: n.field, Op: store.OpIn, Value: vs}}, true
	case store.OpPrefix, store.OpContains:
		if _, ok := v.(string); !ok {
			return folded{}, false
		}
	case store.OpEq, store.OpNe:
		if v == nil {
			return folded{f: store.Exists(n.field, n.cmp == store.OpNe)}, true
		}
	default:
		if v == nil {
			return matchNone, true
		}
	}
	if _, isList := v.([]any); isList {
		return folded{}, false
	}
	return folded{f: &store.Filter{Field: n.field, Op: n.cmp, Value: v}}, true
}

func (v *scopeValue) eval(user map[string]any) (any, bool) {
	if v.hasStatic {
		return v.static, true
	}
	out, _, err := v.prog.Eval(map[string]any{"user": user})
	if err != nil {
		return nil, false
	}
	g, err := goValue(out)
	return g, err == nil
}

// userValue is the user variable of row scopes.
func userValue(a Actor) map[string]any {
	roles := a.Roles
	if roles == nil {
		roles = []string{}
	}
	attrs := a.Attrs
	if attrs == nil {
		attrs = map[string]string{}
	}
	return map[string]any{"id": a.UserID, "roles": roles, "attrs": attrs}
}

// scopeFilter ORs the scopes of a user's roles. An empty list means unrestricted.
func scopeFilter(scopes []*rowScope, user map[string]any) folded {
	if len(scopes) == 0 {
		return matchAll
	}
	var kept []*store.Filter
	for _, s := range scopes {
		r := s.filter(user)
		if r.known {
			if r.val {
				return matchAll
			}
			continue
		}
		kept = append(kept, r.f)
	}
	if len(kept) == 0 {
		return matchNone
	}
	return folded{f: store.Or(kept...)}
}
