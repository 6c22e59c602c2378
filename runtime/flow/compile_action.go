package flow

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/credolabs/credo/runtime/form"
)

func (c *compiler) action(n *Node) {
	spec, at := n.spec, n.path
	member := func(name string, set bool) {
		if set {
			c.ps.Add(ptr(at, name), "action_member", "does not apply to action %s", spec.Do)
		}
	}
	decision := spec.Do == DoScore || spec.Do == DoFraud
	member("field", !decision && spec.Field != "")
	member("rerun", !decision && spec.Rerun)
	member("values", spec.Do != DoSetFields && len(spec.Values) > 0)
	member("exprs", spec.Do != DoSetFields && len(spec.Exprs) > 0)
	member("flow", spec.Do != DoStartFlow && spec.Flow != "")
	member("url", spec.Do != DoWebhook && spec.URL != "")
	member("fields", spec.Do != DoWebhook && len(spec.Fields) > 0)
	switch spec.Do {
	case DoScore, DoFraud:
		c.decisionField(n)
	case DoSetFields:
		c.setFields(n)
	case DoWebhook:
		if !httpsURL(spec.URL) {
			c.ps.Add(ptr(at, "url"), "webhook_url", "must be an https URL without credentials")
		}
		for i, name := range spec.Fields {
			if _, ok := c.fm.ValueType(name); !ok {
				c.ps.Add(ptr(at, "fields", i), "unknown_field", "names no field of form %s", c.fm.Key())
			}
		}
	}
}

// decisionField finds the field a score or fraud action writes: the one named, which
// must be a decision field, or the form's own decision field of that kind.
func (c *compiler) decisionField(n *Node) {
	spec, at := n.spec, n.path
	if spec.Field != "" {
		if !c.fm.Decision(spec.Field) {
			c.ps.Add(ptr(at, "field"), "decision_field", "must name a decision field of form %s", c.fm.Key())
			return
		}
		n.field = spec.Field
		return
	}
	if ds := c.fm.Definition().Decisions; ds != nil {
		step := ds.Score
		if spec.Do == DoFraud {
			step = ds.Fraud
		}
		if step != nil {
			n.field = step.Field
			return
		}
	}
	c.ps.Add(ptr(at, "do"), "decision_field", "form %s declares no %s decision; name its field in field", c.fm.Key(), spec.Do)
}

func (c *compiler) setFields(n *Node) {
	spec, at := n.spec, n.path
	n.values = map[string]any{}
	for _, name := range sortedKeys(spec.Values) {
		vat := ptr(at, "values", name)
		if !c.writable(name, vat) {
			continue
		}
		v, err := decodeValue(spec.Values[name])
		if err != nil {
			c.ps.Add(vat, "value", "is not a JSON value")
			continue
		}
		vt, _ := c.fm.ValueType(name)
		if msg := fits(v, vt); msg != "" {
			c.ps.AddParams(vat, "value_type", map[string]any{"want": vt.Kind}, "%s", msg)
			continue
		}
		n.values[name] = c.fm.Normalize(map[string]any{name: v})[name]
	}
	n.exprs = map[string]*expr{}
	for _, name := range sortedKeys(spec.Exprs) {
		eat := ptr(at, "exprs", name)
		if _, dup := spec.Values[name]; dup {
			c.ps.Add(eat, "duplicate_field", "is also set by values")
			continue
		}
		if !c.writable(name, eat) {
			continue
		}
		vt, _ := c.fm.ValueType(name)
		if e := c.compileExpr(spec.Exprs[name], eat, vt.Kind, resultFits(vt.Kind)); e != nil {
			n.exprs[name] = e
		}
	}
}

func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// fits says why v cannot be a value of a field of type vt; "" when it can. null clears
// a field and always fits.
func fits(v any, vt form.ValueType) string {
	if v == nil {
		return ""
	}
	ok := true
	switch vt.Kind {
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "number":
		_, ok = v.(json.Number)
	case "integer":
		n, isNum := v.(json.Number)
		_, err := n.Int64()
		ok = isNum && err == nil
	case "array":
		_, ok = v.([]any)
	case "object":
		_, ok = v.(map[string]any)
	}
	if !ok {
		return "must be a " + vt.Kind + " value"
	}
	if len(vt.Enum) > 0 {
		for _, e := range vt.Enum {
			if sameJSON(v, e) {
				return ""
			}
		}
		return "must be one of the field's allowed values"
	}
	return ""
}

func sameJSON(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		af, _ := an.Float64()
		bf, _ := bn.Float64()
		return af == bf
	}
	return a == b
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
