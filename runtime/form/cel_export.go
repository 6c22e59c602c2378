package form

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
)

// RecordVariable is the name under which expressions over a form see its record.
const RecordVariable = "record"

// RecordEnv returns the CEL environment the form's computed fields compile in: one
// variable, record, typed from the schema (record.amount is a double, a typo does not
// type-check). Other runtime packages (rules) compile their expressions in it so that
// one record type and one evaluator serve every expression of a form. The environment
// is immutable; callers may extend it only through Env.Extend.
func (f *Form) RecordEnv() *cel.Env { return f.env }

// Normalize converts caller or stored data to the runtime form expressions read:
// numbers as float64 for number fields and int64 for integer fields (json.Number, int
// and float64 all accepted), the same conversion Prepare applies before computing. The
// input is not modified.
func (f *Form) Normalize(data map[string]any) map[string]any { return f.normalize(data) }

// RecordActivation binds a record for a program compiled in RecordEnv, normalising it
// first exactly as computed fields see it. Build it once per record and reuse it for
// every program that reads that record.
func (f *Form) RecordActivation(data map[string]any) (cel.Activation, error) {
	act, err := cel.NewActivation(map[string]any{RecordVariable: f.normalize(data)})
	if err != nil {
		return nil, fmt.Errorf("record activation: %w", err)
	}
	return act, nil
}

// ValueType describes the values a field (or a property inside an object field) holds.
type ValueType struct {
	// Kind is the JSON Schema type: string, number, integer, boolean, array, object, or
	// any when the schema names no single type.
	Kind string
	// Items is the item type of an array; nil for other kinds or untyped items.
	Items *ValueType
	// Enum lists the allowed values when the schema has an enum (numbers as json.Number).
	Enum []any
}

// ValueType returns the type of a field, or of a property inside object fields by a
// dotted path ("credit_score.score"). Arrays are not entered: "emergency_contacts" is an
// array of objects, and "emergency_contacts.phone" names nothing.
func (f *Form) ValueType(path string) (ValueType, bool) {
	head, rest, nested := strings.Cut(path, ".")
	fi, ok := f.fields[head]
	if !ok {
		return ValueType{}, false
	}
	t := fi.typ
	for nested {
		var name string
		name, rest, nested = strings.Cut(rest, ".")
		if t.kind != kindObject || t.props == nil {
			return ValueType{}, false
		}
		if t, ok = t.props[name]; !ok {
			return ValueType{}, false
		}
	}
	return exportType(t), true
}

func exportType(t *fieldType) ValueType {
	v := ValueType{Kind: t.kind.String(), Enum: t.enum}
	if t.items != nil {
		it := exportType(t.items)
		v.Items = &it
	}
	return v
}

// Decision reports whether a field is written by an automated decision (score, fraud)
// and so by the service only.
func (f *Form) Decision(field string) bool {
	fi, ok := f.fields[field]
	return ok && fi.decision
}

// IssueMessage words CEL issues as one sentence with line and column positions, the
// way form definition problems word them.
func IssueMessage(iss *cel.Issues) string { return issueMessage(iss) }

// Sensitive reports whether a field holds personal data (itself or in a sub-table
// column), or for "table.column", whether that column does: masked for masked readers
// and kept out of what leaves Credo unasked.
func (f *Form) Sensitive(field string) bool {
	top, col, nested := strings.Cut(field, ".")
	fi, ok := f.fields[top]
	switch {
	case !ok:
		return false
	case nested:
		c, ok := fi.subByName[col]
		return ok && c.meta.Sensitive
	}
	return fi.sensitive()
}
