package rule

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/credolabs/credo/runtime/form"
)

// A visual condition compiles to CEL text, so one evaluator runs both kinds of condition
// and the builder can show the expression a tree stands for.
//
// Absent fields read as their type's zero value in CEL (record.amount is 0.0 before it
// is entered), which would make "score below 400" hold for an application not yet
// scored. So every comparison except ne first asks whether the field is set: eq, gt, gte,
// lt, lte, in and contains are false on an unset field, and ne (the negation of eq) is
// true. is_set means present and, for text and lists, not empty.

func (c *compiler) group(raw json.RawMessage, at string, depth int, cond *condition) string {
	if depth > MaxConditionDepth {
		c.ps.AddParams(at, "max_depth", map[string]any{"limit": MaxConditionDepth}, "conditions are nested deeper than %d groups", MaxConditionDepth)
		return ""
	}
	var g Group
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		c.ps.Add(at, "decode", "is not a condition group: %s", err.Error())
		return ""
	}
	items, joiner, key := g.All, " && ", "all"
	if len(g.Any) > 0 {
		items, joiner, key = g.Any, " || ", "any"
	}
	parts := make([]string, 0, len(items))
	for i, item := range items {
		itemAt := ptr(at, key, i)
		var probe map[string]json.RawMessage
		_ = json.Unmarshal(item, &probe) // the meta-schema checked it is an object
		var part string
		if _, isLeaf := probe["field"]; isLeaf {
			part = c.leaf(item, itemAt, cond)
		} else {
			part = "(" + c.group(item, itemAt, depth+1, cond) + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, joiner)
}

func (c *compiler) leaf(raw json.RawMessage, at string, cond *condition) string {
	var l Leaf
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		c.ps.Add(at, "decode", "is not a comparison: %s", err.Error())
		return ""
	}
	if len(cond.leaves) >= MaxConditionLeaves {
		c.ps.AddParams(at, "max_leaves", map[string]any{"limit": MaxConditionLeaves}, "a condition may compare at most %d times", MaxConditionLeaves)
		return ""
	}
	vt, ok := c.f.ValueType(l.Field)
	if !ok {
		c.ps.Add(ptr(at, "field"), "unknown_field", "names no field of form %s", c.f.Key())
		return ""
	}
	expr, ok := c.leafExpr(l, vt, at)
	if !ok {
		return ""
	}
	prog, ok := c.boolProgram(expr, at)
	if !ok {
		return ""
	}
	cond.leaves = append(cond.leaves, &leafCond{path: at, field: l.Field, op: l.Op, expr: expr, prog: prog})
	return "(" + expr + ")"
}

func (c *compiler) leafExpr(l Leaf, vt form.ValueType, at string) (string, bool) {
	p := form.RecordVariable + "." + l.Field
	set := "has(" + p + ")"
	if vt.Kind == "string" || vt.Kind == "array" {
		set = "(" + set + " && size(" + p + ") > 0)"
	}
	hasValue := len(l.Value) > 0
	if l.Op == OpIsSet || l.Op == OpNotSet {
		if hasValue {
			c.ps.Add(ptr(at, "value"), "value", "%s compares with no value", l.Op)
			return "", false
		}
		if l.Op == OpNotSet {
			return "!" + set, true
		}
		return set, true
	}
	if !hasValue {
		c.ps.Add(at, "required", "%s needs a value", l.Op)
		return "", false
	}
	v, err := decodeValue(l.Value)
	if err != nil {
		c.ps.Add(ptr(at, "value"), "value", "%s", err.Error())
		return "", false
	}
	guard := "has(" + p + ") && "
	opNotFor := func(what string) (string, bool) {
		c.ps.AddParams(ptr(at, "op"), "op_type", map[string]any{"op": l.Op, "kind": vt.Kind},
			"%s cannot compare a %s field; it compares %s", l.Op, vt.Kind, what)
		return "", false
	}
	switch l.Op {
	case OpEq, OpNe:
		if !scalarKind(vt.Kind) && vt.Kind != "any" {
			return opNotFor("text, numbers and booleans")
		}
		lit, ok := c.literal(v, vt, ptr(at, "value"))
		if !ok {
			return "", false
		}
		if l.Op == OpNe {
			return "!(" + guard + p + " == " + lit + ")", true
		}
		return guard + p + " == " + lit, true
	case OpGt, OpGte, OpLt, OpLte:
		if vt.Kind != "number" && vt.Kind != "integer" && vt.Kind != "string" && vt.Kind != "any" {
			return opNotFor("numbers, and text such as dates (2006-01-02) in order")
		}
		lit, ok := c.literal(v, form.ValueType{Kind: vt.Kind}, ptr(at, "value"))
		if !ok {
			return "", false
		}
		sym := map[string]string{OpGt: " > ", OpGte: " >= ", OpLt: " < ", OpLte: " <= "}[l.Op]
		return guard + p + sym + lit, true
	case OpIn:
		if !scalarKind(vt.Kind) && vt.Kind != "any" {
			return opNotFor("text, numbers and booleans")
		}
		vals, isList := v.([]any)
		if !isList || len(vals) == 0 || len(vals) > MaxInValues {
			c.ps.AddParams(ptr(at, "value"), "value", map[string]any{"limit": MaxInValues}, "in needs a list of 1 to %d values", MaxInValues)
			return "", false
		}
		lits := make([]string, len(vals))
		for i, e := range vals {
			lit, ok := c.literal(e, vt, ptr(at, "value", i))
			if !ok {
				return "", false
			}
			lits[i] = lit
		}
		return guard + p + " in [" + strings.Join(lits, ", ") + "]", true
	case OpContains:
		switch {
		case vt.Kind == "string":
			lit, ok := c.literal(v, form.ValueType{Kind: "string"}, ptr(at, "value"))
			if !ok {
				return "", false
			}
			return guard + p + ".contains(" + lit + ")", true
		case vt.Kind == "array" && vt.Items != nil && scalarKind(vt.Items.Kind):
			lit, ok := c.literal(v, *vt.Items, ptr(at, "value"))
			if !ok {
				return "", false
			}
			return guard + lit + " in " + p, true
		}
		return opNotFor("text (a substring) and lists of text or numbers (an item)")
	}
	c.ps.Add(ptr(at, "op"), "op", "is not an operator")
	return "", false
}

// literal writes v as a CEL literal of the field's type, or reports why it does not fit.
func (c *compiler) literal(v any, vt form.ValueType, at string) (string, bool) {
	if _, isList := v.([]any); isList || v == nil {
		c.ps.Add(at, "value_type", "must be a single text, number or boolean value")
		return "", false
	}
	if _, isObject := v.(map[string]any); isObject {
		c.ps.Add(at, "value_type", "must be a single text, number or boolean value")
		return "", false
	}
	if msg := fits(v, vt); msg != "" {
		c.ps.AddParams(at, "value_type", map[string]any{"want": vt.Kind}, "%s", msg)
		return "", false
	}
	switch x := v.(type) {
	case string:
		// Go's quoting escapes (\n, \x, \u, \U) are all CEL escapes too.
		return strconv.Quote(x), true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		if vt.Kind == "integer" || vt.Kind == "any" {
			if i, err := x.Int64(); err == nil {
				return strconv.FormatInt(i, 10), true
			}
		}
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			c.ps.Add(at, "value_type", "is not a finite number")
			return "", false
		}
		return doubleLiteral(f), true
	}
	c.ps.Add(at, "value_type", "must be a single text, number or boolean value")
	return "", false
}

// doubleLiteral writes f so CEL reads a double (100000 would be an int).
func doubleLiteral(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
