package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/credolabs/credo/runtime/form"
)

// Spec says how a file's columns fill a form's fields: the mapping part of an upload.
// Give Columns or Fields (not both); with neither, every column whose header is a
// field's key or one of its labels fills that field.
type Spec struct {
	// Columns maps a column header to the field it fills: {"Loan amount": "amount"}.
	Columns map[string]string `json:"columns,omitempty"`
	// Fields maps a field to the column header that fills it: {"amount": "Loan amount"}.
	Fields map[string]string `json:"fields,omitempty"`
	// Sheet names the worksheet of an .xlsx file; empty means the first one.
	Sheet string `json:"sheet,omitempty"`
	// HeaderRow is the row (from 1) that holds the column headers; the data starts below
	// it. 0 means 1.
	HeaderRow int `json:"header_row,omitempty"`
	// Key names a mapped field whose value identifies a row across files (a contract
	// number): importing a corrected file again then skips the rows already imported.
	// Empty: a row is identified by the file's content and its row number, so only the
	// very same file is recognised.
	Key string `json:"key,omitempty"`
	// Decide runs the form's automated decisions (scoring, fraud check) on every
	// imported row. Off by default: a historical import should not call the scoring
	// plugins once per row.
	Decide bool `json:"decide,omitempty"`
}

// maxHeaderRow bounds how far down a header may be looked for.
const maxHeaderRow = 100

// DecodeSpec reads a mapping strictly: unknown members are refused, so a misspelt
// "colums" fails rather than importing nothing.
func DecodeSpec(raw []byte) (Spec, error) {
	var s Spec
	if len(bytes.TrimSpace(raw)) == 0 {
		return s, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, &SpecError{Problems: []form.Problem{{Code: "malformed",
			Message: "the mapping is not valid JSON of the documented shape: " + err.Error()}}}
	}
	if dec.More() {
		return s, &SpecError{Problems: []form.Problem{{Code: "malformed", Message: "the mapping holds more than one JSON value"}}}
	}
	return s, s.check()
}

// check refuses what no file could satisfy, and fills the defaults.
func (s *Spec) check() error {
	var ps []form.Problem
	if s.Columns != nil && s.Fields != nil {
		ps = append(ps, form.Problem{Path: "/fields", Code: "exclusive", Message: "give columns or fields, not both"})
	}
	if s.HeaderRow < 0 || s.HeaderRow > maxHeaderRow {
		ps = append(ps, form.Problem{Path: "/header_row", Code: "range", Message: fmt.Sprintf("must be a row from 1 to %d", maxHeaderRow),
			Params: map[string]any{"min": 1, "max": maxHeaderRow}})
	}
	if len(ps) > 0 {
		return &SpecError{Problems: ps}
	}
	if s.HeaderRow == 0 {
		s.HeaderRow = 1
	}
	return nil
}

// column is one mapped column of the file.
type column struct {
	index  int // position in the row, from 0
	header string
	field  string
	// at is the mapping's pointer to this pair, for problems.
	at   string
	conv converter
}

// plan is a resolved mapping: which cells fill which fields, and how they are read.
type plan struct {
	cols []column
	// key is the index in cols of the key field's column, or -1.
	key int
	// byField finds a field's column header, for the reject report.
	byField map[string]string
}

// resolve checks spec against the file's header row and what the actor may write of f,
// and reports every problem at once.
func resolve(f *form.Form, m *form.FieldMask, header []string, spec Spec) (*plan, error) {
	positions := map[string][]int{}
	for i, h := range header {
		if h = cleanHeader(h); h != "" {
			positions[h] = append(positions[h], i)
		}
	}
	pairs, base := spec.pairs(f, positions)
	var ps []form.Problem
	p := &plan{key: -1, byField: map[string]string{}}
	fieldAt := map[string]string{}
	for _, pr := range pairs {
		at := pr.at
		idx, ok := positions[pr.header]
		switch {
		case !ok:
			ps = append(ps, form.Problem{Path: at, Code: "unknown_column", Message: "names no column of the header row",
				Params: map[string]any{"column": pr.header}})
			continue
		case len(idx) > 1:
			ps = append(ps, form.Problem{Path: at, Code: "ambiguous_column", Message: "the header row has several columns of this name"})
			continue
		}
		if prob, ok := writable(f, m, pr.field); !ok {
			prob.Path = at
			ps = append(ps, prob)
			continue
		}
		if prev, dup := fieldAt[pr.field]; dup {
			ps = append(ps, form.Problem{Path: at, Code: "duplicate_field", Message: "the field is already filled by " + prev})
			continue
		}
		fieldAt[pr.field] = at
		vt, _ := f.ValueType(pr.field)
		p.cols = append(p.cols, column{index: idx[0], header: pr.header, field: pr.field, at: at,
			conv: converterFor(vt, f.Definition().Fields[pr.field])})
		p.byField[pr.field] = pr.header
	}
	ps = append(ps, missingRequired(f, m, fieldAt, base)...)
	if _, ok := fieldAt[spec.Key]; spec.Key != "" && !ok {
		ps = append(ps, form.Problem{Path: "/key", Code: "unmapped_key", Message: "the key must be a field a column fills"})
	}
	if len(ps) > 0 {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
		return nil, &SpecError{Problems: ps}
	}
	sort.Slice(p.cols, func(i, j int) bool { return p.cols[i].index < p.cols[j].index })
	for i, c := range p.cols {
		if c.field == spec.Key {
			p.key = i
		}
	}
	return p, nil
}

// pair is one header → field entry of a mapping and where it is written.
type pair struct {
	header, field, at string
}

// pairs lists the mapping's entries in a stable order, and the pointer of the mapping
// as a whole ("/columns" or "/fields") for problems about what it lacks.
func (s Spec) pairs(f *form.Form, positions map[string][]int) ([]pair, string) {
	var out []pair
	switch {
	case s.Fields != nil:
		for field, h := range s.Fields {
			out = append(out, pair{header: cleanHeader(h), field: field, at: "/fields/" + escapePointer(field)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
		return out, "/fields"
	case s.Columns != nil:
		for h, field := range s.Columns {
			out = append(out, pair{header: cleanHeader(h), field: field, at: "/columns/" + escapePointer(h)})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
		return out, "/columns"
	}
	// No mapping: headers that name a field (its key or a label) fill it.
	names := fieldNames(f)
	for h := range positions {
		if field, ok := names[strings.ToLower(h)]; ok {
			out = append(out, pair{header: h, field: field, at: "/columns/" + escapePointer(h)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out, "/columns"
}

// fieldNames maps every key and label of f's fields, lowercased, to the field.
func fieldNames(f *form.Form) map[string]string {
	out := map[string]string{}
	def := f.Definition()
	for _, name := range f.Fields() {
		if meta := def.Fields[name]; meta != nil {
			for _, l := range meta.Label {
				out[strings.ToLower(strings.TrimSpace(l))] = name
			}
		}
	}
	for _, name := range f.Fields() {
		out[strings.ToLower(name)] = name // a key wins over another field's label
	}
	return out
}

// writable says why the actor may not fill field from a file, if so. A field the actor
// may not know of gets exactly the answer an unknown name gets.
func writable(f *form.Form, m *form.FieldMask, field string) (form.Problem, bool) {
	_, exists := f.ValueType(field)
	switch {
	case !exists || strings.Contains(field, ".") || !m.Known(field):
		return form.Problem{Code: "unknown_field", Message: "is not a field of this form"}, false
	case f.Computed(field):
		return form.Problem{Code: "read_only", Message: "is computed and cannot be imported"}, false
	case f.Decision(field):
		return form.Problem{Code: "read_only", Message: "is set by an automated decision and cannot be imported"}, false
	case !m.CanWrite(field):
		return form.Problem{Code: "forbidden", Message: "you may not fill this field"}, false
	}
	return form.Problem{}, true
}

// missingRequired reports the form's required fields that no column fills.
func missingRequired(f *form.Form, m *form.FieldMask, mapped map[string]string, at string) []form.Problem {
	var ps []form.Problem
	hidden := false
	for _, name := range requiredFields(f) {
		if _, ok := mapped[name]; ok || f.Computed(name) || f.Decision(name) {
			continue
		}
		if !m.Known(name) {
			hidden = true
			continue
		}
		ps = append(ps, form.Problem{Path: at, Code: "required", Params: map[string]any{"field": name},
			Message: fmt.Sprintf("the form requires %s; map a column to it", name)})
	}
	if hidden {
		ps = append(ps, form.Problem{Path: at, Code: "required",
			Message: "the form requires a field you cannot see; ask an administrator"})
	}
	return ps
}

// requiredFields lists the top-level required properties of f's schema.
func requiredFields(f *form.Form) []string {
	var schema struct {
		Required []string `json:"required"`
	}
	_ = json.Unmarshal(f.Definition().Schema, &schema) // the schema compiled, so it is JSON
	return schema.Required
}

// cleanHeader trims a header cell and drops a byte order mark a CSV may begin with.
func cleanHeader(h string) string {
	return strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
