package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// cursor is the opaque continuation token of a page: the sort values and id of its last document.
type cursor struct {
	Values []any  `json:"v"`
	ID     string `json:"i"`
}

// EncodeCursor builds the Page.Next token that continues after doc under sorts.
func EncodeCursor(doc *Doc, sorts []Sort) string {
	c := cursor{ID: doc.ID, Values: make([]any, len(sorts))}
	for i, s := range sorts {
		v := rawFieldValue(doc, s.Field) // numbers stay json.Number: exact beyond 2^53
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339Nano)
		}
		c.Values[i] = v
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AfterCursor returns the filter matching documents that come after the cursor's document
// in the order sorts (then id ascending). Backends AND it with the query's filter, so
// paging needs nothing engine-specific. Missing and null values sort first, as in both
// SQLite and MongoDB.
func AfterCursor(token string, sorts []Sort) (*Filter, error) {
	if token == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, fmt.Errorf("cursor: %w", ErrInvalid)
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || len(c.Values) != len(sorts) || c.ID == "" {
		return nil, fmt.Errorf("cursor does not match this query: %w", ErrInvalid)
	}
	for i, s := range sorts {
		v, err := cursorValue(s.Field, c.Values[i])
		if err != nil {
			return nil, err
		}
		c.Values[i] = v
	}
	var ors []*Filter
	for i, s := range sorts {
		var and []*Filter
		for j := 0; j < i; j++ {
			and = append(and, sameAs(sorts[j].Field, c.Values[j]))
		}
		and = append(and, beyond(s, c.Values[i]))
		ors = append(ors, And(and...))
	}
	var tie []*Filter
	for j, s := range sorts {
		tie = append(tie, sameAs(s.Field, c.Values[j]))
	}
	tie = append(tie, Gt(FieldID, c.ID))
	ors = append(ors, And(tie...))
	return Or(ors...), nil
}

func cursorValue(field string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if field == FieldCreatedAt || field == FieldUpdatedAt {
		s, ok := v.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return nil, fmt.Errorf("cursor time: %w", ErrInvalid)
		}
		return t, nil
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i, nil
		}
		f, err := n.Float64()
		if err != nil {
			return nil, fmt.Errorf("cursor number: %w", ErrInvalid)
		}
		return f, nil
	}
	return v, nil
}

func sameAs(field string, v any) *Filter {
	if v == nil {
		return Exists(field, false)
	}
	return Eq(field, v)
}

// beyond matches values strictly after v in the sort's direction.
func beyond(s Sort, v any) *Filter {
	switch {
	case v == nil && !s.Desc:
		return Exists(s.Field, true)
	case v == nil && s.Desc:
		return And(Exists(s.Field, true), Exists(s.Field, false)) // nothing sorts after a null
	case s.Desc:
		return Or(Lt(s.Field, v), Exists(s.Field, false))
	default:
		return Gt(s.Field, v)
	}
}

// FieldValue reads a field of a document: a reserved metadata field or a dotted data path.
// Numbers come back as float64; a missing value is nil.
func FieldValue(doc *Doc, field string) any {
	switch n := rawFieldValue(doc, field).(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case int:
		return float64(n)
	case int32:
		return float64(n)
	case int64:
		return float64(n)
	default:
		return n
	}
}

// rawFieldValue is FieldValue without turning numbers into float64.
func rawFieldValue(doc *Doc, field string) any {
	switch field {
	case FieldID:
		return doc.ID
	case FieldVersion:
		return doc.Version
	case FieldCreatedAt:
		return doc.CreatedAt
	case FieldUpdatedAt:
		return doc.UpdatedAt
	}
	var cur any = doc.Data
	for _, part := range strings.Split(field, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}
