package form

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/credolabs/credo/store"
)

// explainer turns a jsonschema validation tree into Problems with our own messages:
// one entry per failing location, worded for a person, the keyword as the code, and
// the limit the message quotes in Params.
type explainer struct {
	// docs holds the raw schema documents by URL, to read the limit a keyword set.
	docs map[string]any
	// instance is the validated value, to find which required names are missing.
	instance any
	// widget names the widget of the field at an instance path ("" when unknown).
	widget func(path string) string
}

// priority orders the keywords reported when several fail at one path: the first
// listed is the one a person should fix first.
var priority = map[string]int{
	"syntax": 0, "type": 1, "required": 2, "additionalProperties": 3, "const": 4, "enum": 5,
	"format": 6, "pattern": 7, "minLength": 8, "maxLength": 9, "minimum": 10, "exclusiveMinimum": 11,
	"maximum": 12, "exclusiveMaximum": 13, "multipleOf": 14, "minItems": 15, "maxItems": 16,
}

func (x *explainer) explain(err error) []Problem {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Problem{{Code: "invalid", Message: err.Error()}}
	}
	var out problems
	x.walk(ve, &out)
	return dedupe(out)
}

// dedupe keeps the most important problem per path and sorts by path.
func dedupe(ps []Problem) []Problem {
	best := map[string]Problem{}
	rank := func(c string) int {
		if r, ok := priority[c]; ok {
			return r
		}
		return 100
	}
	for _, p := range ps {
		if cur, ok := best[p.Path]; !ok || rank(p.Code) < rank(cur.Code) {
			best[p.Path] = p
		}
	}
	out := make([]Problem, 0, len(best))
	for _, p := range best {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// cleanPointer turns the library's URL-escaped locations into RFC 6901 pointers.
func cleanPointer(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	out := ""
	for _, t := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		u, err := url.PathUnescape(t)
		if err != nil {
			u = t
		}
		out += "/" + u // u keeps its ~0 and ~1 escapes: only the URL layer is removed
	}
	return out
}

func (x *explainer) walk(ve *jsonschema.ValidationError, out *problems) {
	kw := lastToken(ve.KeywordLocation)
	if kw == "anyOf" || kw == "oneOf" || len(ve.Causes) == 0 {
		x.leaf(ve, kw, out)
		return
	}
	for _, c := range ve.Causes {
		x.walk(c, out)
	}
}

func lastToken(p string) string {
	ts := ptrTokens(p)
	if len(ts) == 0 {
		return ""
	}
	return ts[len(ts)-1]
}

// node returns the schema object holding the failing keyword.
func (x *explainer) node(ve *jsonschema.ValidationError) map[string]any {
	u, frag, _ := strings.Cut(ve.AbsoluteKeywordLocation, "#")
	doc, ok := x.docs[u]
	if !ok {
		return nil
	}
	ts := ptrTokens(cleanPointer(frag))
	if len(ts) == 0 {
		return nil
	}
	parent := ""
	for _, t := range ts[:len(ts)-1] {
		parent = ptr(parent, t)
	}
	n, _ := ptrGet(doc, parent)
	m, _ := n.(map[string]any)
	return m
}

func (x *explainer) leaf(ve *jsonschema.ValidationError, kw string, out *problems) {
	at := cleanPointer(ve.InstanceLocation)
	node := x.node(ve)
	limit := func() any {
		if node == nil {
			return nil
		}
		return number(node[kw])
	}
	if strings.Contains(ve.KeywordLocation, "/propertyNames/") {
		if pat, ok := nodeValue(node, "pattern").(string); ok && kw == "pattern" {
			out.addParams(at, "propertyNames", map[string]any{"pattern": pat}, "is not an allowed name: names must match %s", pat)
			return
		}
		out.add(at, "propertyNames", "is not an allowed name here")
		return
	}
	switch kw {
	case "type":
		out.add(at, "type", "must be %s", typeNoun(node))
	case "required":
		x.required(ve, node, out)
	case "additionalProperties":
		x.additional(ve, node, out)
	case "unevaluatedProperties":
		out.add(at, kw, "has properties that are not allowed here")
	case "const":
		if node != nil && node["const"] == true {
			out.add(at, kw, "must be accepted")
			return
		}
		out.addParams(at, kw, map[string]any{"value": nodeValue(node, kw)}, "must be %s", display(nodeValue(node, kw)))
	case "enum":
		vals, _ := nodeValue(node, kw).([]any)
		if len(vals) > 0 && len(vals) <= 20 {
			out.addParams(at, kw, map[string]any{"allowed": vals}, "must be one of: %s", displayList(vals))
			return
		}
		out.add(at, kw, "is not one of the allowed values")
	case "format":
		f, _ := nodeValue(node, kw).(string)
		out.addParams(at, kw, map[string]any{"format": f}, "%s", formatMessage(f))
	case "pattern":
		out.addParams(at, kw, map[string]any{"pattern": nodeValue(node, kw)}, "%s", x.patternMessage(at, nodeValue(node, kw)))
	case "minLength":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be at least %v characters long", display(limit()))
	case "maxLength":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be at most %v characters long", display(limit()))
	case "minimum":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be at least %v", display(limit()))
	case "maximum":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be at most %v", display(limit()))
	case "exclusiveMinimum":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be greater than %v", display(limit()))
	case "exclusiveMaximum":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must be less than %v", display(limit()))
	case "multipleOf":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "%s", multipleMessage(limit()))
	case "minItems":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must have at least %v %s", display(limit()), plural(limit(), "entry", "entries"))
	case "maxItems":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must have at most %v %s", display(limit()), plural(limit(), "entry", "entries"))
	case "uniqueItems":
		out.add(at, kw, "must not contain the same entry twice")
	case "minProperties":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must have at least %v %s", display(limit()), plural(limit(), "entry", "entries"))
	case "maxProperties":
		out.addParams(at, kw, map[string]any{"limit": limit()}, "must have at most %v %s", display(limit()), plural(limit(), "entry", "entries"))
	case "anyOf", "oneOf":
		out.add(at, kw, "does not match any of the allowed shapes")
	case "not":
		out.add(at, kw, "is not allowed")
	case "contains", "minContains", "maxContains":
		out.add(at, kw, "does not contain the expected entries")
	default:
		if strings.Contains(ve.KeywordLocation, "dependentRequired") {
			out.add(at, "dependentRequired", "is required together with another field that was given")
			return
		}
		out.add(at, "invalid", "is not allowed here")
	}
}

func (x *explainer) required(ve *jsonschema.ValidationError, node map[string]any, out *problems) {
	at := cleanPointer(ve.InstanceLocation)
	inst, _ := ptrGet(x.instance, at)
	obj, _ := inst.(map[string]any)
	names, _ := nodeValue(node, "required").([]any)
	found := false
	for _, n := range names {
		name, _ := n.(string)
		if _, present := obj[name]; obj != nil && !present {
			out.add(ptr(at, name), "required", "is required")
			found = true
		}
	}
	if !found {
		out.add(at, "required", "is missing required fields")
	}
}

func (x *explainer) additional(ve *jsonschema.ValidationError, node map[string]any, out *problems) {
	at := cleanPointer(ve.InstanceLocation)
	inst, _ := ptrGet(x.instance, at)
	obj, _ := inst.(map[string]any)
	props, _ := nodeValue(node, "properties").(map[string]any)
	pats, _ := nodeValue(node, "patternProperties").(map[string]any)
	found := false
	for name := range obj {
		if _, ok := props[name]; ok {
			continue
		}
		matched := false
		for pat := range pats {
			if re, err := regexp.Compile(pat); err == nil && re.MatchString(name) {
				matched = true
			}
		}
		if !matched {
			out.add(ptr(at, name), "additionalProperties", "is not a known field here")
			found = true
		}
	}
	if !found {
		out.add(at, "additionalProperties", "has fields that are not allowed here")
	}
}

func (x *explainer) patternMessage(at string, pattern any) string {
	if x.widget == nil {
		// A definition is read by its author: the pattern is the clearest explanation.
		return fmt.Sprintf("must match %v", pattern)
	}
	w := x.widget(at)
	switch w {
	case "id_number":
		return "is not a valid resident ID number"
	case "phone":
		return "is not a valid phone number"
	case "bank_card":
		return "is not a valid bank card number"
	case "email":
		return "is not a valid email address"
	case "region":
		return "is not a valid region code"
	}
	return "is not in the expected format"
}

func nodeValue(node map[string]any, kw string) any {
	if node == nil {
		return nil
	}
	return node[kw]
}

func typeNoun(node map[string]any) string {
	var ts []string
	switch t := nodeValue(node, "type").(type) {
	case string:
		ts = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				ts = append(ts, s)
			}
		}
	}
	if len(ts) == 0 {
		return "of another type"
	}
	nouns := make([]string, len(ts))
	for i, t := range ts {
		switch t {
		case "string":
			nouns[i] = "text"
		case "number":
			nouns[i] = "a number"
		case "integer":
			nouns[i] = "a whole number"
		case "boolean":
			nouns[i] = "true or false"
		case "array":
			nouns[i] = "a list"
		case "object":
			nouns[i] = "an object"
		case "null":
			nouns[i] = "empty"
		default:
			nouns[i] = t
		}
	}
	return strings.Join(nouns, " or ")
}

func formatMessage(f string) string {
	switch f {
	case "date":
		return "must be a date written YYYY-MM-DD"
	case "date-time":
		return "must be a date and time (RFC 3339, e.g. 2024-05-01T09:30:00+08:00)"
	case "time":
		return "must be a time (e.g. 09:30:00+08:00)"
	case "email":
		return "is not a valid email address"
	case "uri":
		return "must be a full web address"
	case "uuid":
		return "must be a UUID"
	case "regex":
		return "must be a valid regular expression"
	}
	return fmt.Sprintf("is not a valid %s", f)
}

func multipleMessage(limit any) string {
	f, ok := store.Numeric(limit)
	if ok && f > 0 && f < 1 {
		if d := -math.Log10(f); math.Abs(d-math.Round(d)) < 1e-9 {
			n := int(math.Round(d))
			return fmt.Sprintf("must have at most %d decimal %s", n, map[bool]string{true: "place", false: "places"}[n == 1])
		}
	}
	return fmt.Sprintf("must be a multiple of %v", display(limit))
}

// number turns a json.Number limit into an int64 or float64 for Params.
func number(v any) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	if i, err := n.Int64(); err == nil {
		return i
	}
	if f, err := n.Float64(); err == nil {
		return f
	}
	return string(n)
}

func plural(v any, one, many string) string {
	if f, ok := store.Numeric(v); ok && f == 1 {
		return one
	}
	return many
}

func display(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", t)
	case json.Number:
		return t.String()
	case float64:
		return new(big.Float).SetFloat64(t).Text('f', -1)
	}
	return fmt.Sprint(v)
}

func displayList(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = display(v)
	}
	return strings.Join(parts, ", ")
}
