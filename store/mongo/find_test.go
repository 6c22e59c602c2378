package mongo

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/credolabs/credo/store"
)

func TestSortDoc(t *testing.T) {
	cases := []struct {
		name  string
		sorts []store.Sort
		want  string
	}{
		{"id tie-break only", nil, `{"i":1}`},
		{"field then id ascending", []store.Sort{{Field: "amount", Desc: true}}, `{"d.amount":-1,"i":1}`},
		{"explicit id is not repeated", []store.Sort{{Field: store.FieldID, Desc: true}}, `{"i":-1}`},
		{"duplicate field kept once", []store.Sort{{Field: "a"}, {Field: "a", Desc: true}}, `{"d.a":1,"i":1}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.JSONEq(t, c.want, extJSON(t, sortDoc(c.sorts)))
		})
	}
}

func TestProjection(t *testing.T) {
	meta := `"t":1,"c":1,"i":1,"v":1,"ca":1,"ua":1`
	cases := []struct {
		name   string
		fields []string
		sorts  []store.Sort
		want   string
	}{
		{"fields", []string{"b", "a"}, nil, `{` + meta + `,"d.a":1,"d.b":1}`},
		{"sort fields are fetched for the cursor", []string{"a"}, []store.Sort{{Field: "z"}}, `{` + meta + `,"d.a":1,"d.z":1}`},
		{"overlapping paths collapse", []string{"a.b", "a", "a.c.d"}, nil, `{` + meta + `,"d.a":1}`},
		{"metadata fields need nothing more", []string{store.FieldVersion}, nil, `{` + meta + `}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.JSONEq(t, c.want, extJSON(t, projection(c.fields, c.sorts)))
		})
	}
}

func TestPick(t *testing.T) {
	data := map[string]any{
		"a": map[string]any{"b": json.Number("1"), "c": "x"},
		"n": nil,
		"s": "y",
	}
	cases := []struct {
		name   string
		fields []string
		want   map[string]any
	}{
		{"top-level keys", []string{"s"}, map[string]any{"s": "y"}},
		{"nested path keeps its parents", []string{"a.b"}, map[string]any{"a": map[string]any{"b": json.Number("1")}}},
		{"present null is kept", []string{"n"}, map[string]any{"n": nil}},
		{"missing is left out", []string{"zz", "a.zz"}, map[string]any{}},
		{"metadata is not data", []string{store.FieldID}, map[string]any{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, pick(data, c.fields))
		})
	}
}
