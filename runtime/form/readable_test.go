package form

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustOrdered(t *testing.T, text string) *jsonObject {
	t.Helper()
	doc, err := decodeOrdered([]byte(text))
	require.NoError(t, err)
	o, ok := doc.(*jsonObject)
	require.True(t, ok)
	return o
}

// hiding knows every name but the given ones, at every level.
func hiding(names ...string) *nameScope {
	hidden := map[string]bool{}
	for _, n := range names {
		hidden[n] = true
	}
	var sc *nameScope
	sc = &nameScope{known: func(n string) bool { return !hidden[n] }, below: func(string) *nameScope { return sc }}
	return sc
}

func TestReduceSchema(t *testing.T) {
	cases := []struct {
		name   string
		schema string
		scope  *nameScope
		want   string
	}{
		{
			name:   "properties and required keep their order without the hidden field",
			schema: `{"type":"object","required":["b","secret","a"],"properties":{"b":{"type":"string"},"secret":{"type":"number"},"a":{"type":"integer"}}}`,
			scope:  hiding("secret"),
			want:   `{"type":"object","required":["b","a"],"properties":{"b":{"type":"string"},"a":{"type":"integer"}}}`,
		},
		{
			name:   "an empty required list goes",
			schema: `{"required":["secret"],"properties":{"a":{}}}`,
			scope:  hiding("secret"),
			want:   `{"properties":{"a":{}}}`,
		},
		{
			name:   "dependent names and schemas",
			schema: `{"dependentRequired":{"a":["b","secret"],"secret":["a"]},"dependentSchemas":{"secret":{"required":["a"]},"a":{"required":["secret","b"]}}}`,
			scope:  hiding("secret"),
			want:   `{"dependentRequired":{"a":["b"]},"dependentSchemas":{"a":{"required":["b"]}}}`,
		},
		{
			name:   "allOf and anyOf are loosened, oneOf and not dropped",
			schema: `{"allOf":[{"required":["secret"]},{"required":["a"]}],"anyOf":[{"properties":{"secret":{"const":1}}},{"required":["a"]}],"oneOf":[{"required":["secret"]},{"required":["a"]}],"not":{"required":["secret"]}}`,
			scope:  hiding("secret"),
			want:   `{"allOf":[{},{"required":["a"]}],"anyOf":[{"properties":{}},{"required":["a"]}]}`,
		},
		{
			name:   "an if naming a hidden field takes its branches with it",
			schema: `{"if":{"properties":{"secret":{"const":true}}},"then":{"required":["a"]},"else":{"required":["b"]}}`,
			scope:  hiding("secret"),
			want:   `{}`,
		},
		{
			name:   "a branch naming a hidden field is loosened under a known if",
			schema: `{"if":{"properties":{"a":{"const":true}}},"then":{"required":["b","secret"]}}`,
			scope:  hiding("secret"),
			want:   `{"if":{"properties":{"a":{"const":true}}},"then":{"required":["b"]}}`,
		},
		{
			name:   "$defs only a hidden field used go, the others stay, also through other defs and anchors",
			schema: `{"properties":{"a":{"$ref":"#/$defs/money"},"b":{"$ref":"#amount"},"secret":{"$ref":"#/$defs/income"}},"$defs":{"money":{"$ref":"#/$defs/positive"},"positive":{"minimum":0},"income":{"type":"number"},"amount":{"$anchor":"amount","type":"number"},"unused":{}}}`,
			scope:  hiding("secret"),
			want:   `{"properties":{"a":{"$ref":"#/$defs/money"},"b":{"$ref":"#amount"}},"$defs":{"money":{"$ref":"#/$defs/positive"},"positive":{"minimum":0},"amount":{"$anchor":"amount","type":"number"}}}`,
		},
		{
			name:   "no $defs member is left when none is used",
			schema: `{"properties":{"secret":{"$ref":"#/definitions/x"}},"definitions":{"x":{}}}`,
			scope:  hiding("secret"),
			want:   `{"properties":{}}`,
		},
		{
			name:   "inside a sub-table",
			schema: `{"properties":{"rows":{"type":"array","items":{"type":"object","required":["name","secret"],"properties":{"name":{"type":"string"},"secret":{"type":"string"}}}}}}`,
			scope:  hiding("secret"),
			want:   `{"properties":{"rows":{"type":"array","items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}}}`,
		},
		{
			name:   "a shared row definition naming a hidden column is copied reduced",
			schema: `{"properties":{"rows":{"type":"array","items":{"$ref":"#/$defs/row"}}},"$defs":{"row":{"type":"object","required":["secret"],"properties":{"name":{},"secret":{}}}}}`,
			scope:  hiding("secret"),
			want:   `{"properties":{"rows":{"type":"array","items":{"allOf":[{"type":"object","properties":{"name":{}}}]}}}}`,
		},
		{
			name:   "everything known: the schema as written",
			schema: `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"z":{"$ref":"#/$defs/d"},"a":{}},"$defs":{"d":{}}}`,
			scope:  hiding(),
			want:   `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"z":{"$ref":"#/$defs/d"},"a":{}},"$defs":{"d":{}}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(reduceSchema(mustOrdered(t, tc.schema), tc.scope))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got), "members keep their written order")
		})
	}
}

func TestReadableLayout(t *testing.T) {
	l := &Layout{Sections: []Section{
		{Key: "a", Columns: 2, Fields: []string{"x", "secret"}},
		{Key: "b", Fields: []string{"secret"}},
	}}
	got := readableLayout(l, func(n string) bool { return n != "secret" })
	assert.Equal(t, &Layout{Sections: []Section{{Key: "a", Columns: 2, Fields: []string{"x"}}}}, got)
	assert.Equal(t, []string{"x", "secret"}, l.Sections[0].Fields, "the published layout is not changed")
	assert.Nil(t, readableLayout(nil, func(string) bool { return true }))
}

// TestAccessCarriesTheReadableDefinition: a reader without the definition gets the
// schema, layout and sub-table columns of the fields they may know, and nothing of the
// others.
func TestAccessCarriesTheReadableDefinition(t *testing.T) {
	fx := newServiceFixture(t)
	ctx := context.Background()
	hidden := []string{"monthly_income", "residential_address"}

	viewer, err := fx.svc.Access(ctx, actor("viewer"), "loan_application")
	require.NoError(t, err)
	raw, err := json.Marshal(viewer)
	require.NoError(t, err)
	for _, h := range hidden {
		assert.NotContains(t, string(raw), h, "a hidden field leaves no trace in the access answer")
	}
	var schema struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(viewer.Schema, &schema))
	assert.Contains(t, schema.Required, "amount")
	assert.Contains(t, schema.Properties, "id_number")
	require.NotNil(t, viewer.Layout)
	for _, s := range viewer.Layout.Sections {
		assert.NotEmpty(t, s.Fields)
	}

	var contacts *FieldAccess
	for i := range viewer.Fields {
		if viewer.Fields[i].Name == "emergency_contacts" {
			contacts = &viewer.Fields[i]
		}
	}
	require.NotNil(t, contacts)
	require.Len(t, contacts.Columns, 3)
	assert.Equal(t, []string{"name", "relation", "phone"}, []string{contacts.Columns[0].Name, contacts.Columns[1].Name, contacts.Columns[2].Name},
		"columns in the schema's order")
	assert.Equal(t, ViewMasked, contacts.Columns[0].View, "a sensitive column is masked for a masked reader")
	assert.Equal(t, ViewFull, contacts.Columns[1].View, "a plain column is shown as stored")
	assert.Equal(t, "select", contacts.Columns[1].Widget)
	assert.NotEmpty(t, contacts.Columns[1].Options)

	officer, err := fx.svc.Access(ctx, actor("officer"), "loan_application")
	require.NoError(t, err)
	def := mustCompile(t, templateBody(t, "loan_application")).def
	assert.JSONEq(t, string(def.Schema), string(officer.Schema), "who may know every field gets the published schema")
	assert.Equal(t, def.Layout, officer.Layout)
	for _, f := range officer.Fields {
		if f.Name == "id_number" {
			assert.NotEmpty(t, f.Help, "hints come with the field")
		}
	}

	again, err := fx.svc.Access(ctx, actor("viewer"), "loan_application")
	require.NoError(t, err)
	assert.Equal(t, viewer.Schema, again.Schema)
}

// BenchmarkEntryView: reducing the loan application's schema and layout for one reader,
// done once per (reader, form version, policy version) and then cached with the mask.
func BenchmarkEntryView(b *testing.B) {
	fx := newServiceFixture(b)
	ctx := context.Background()
	f, err := fx.svc.Form(ctx, testTenant, "loan_application")
	require.NoError(b, err)
	m, err := fx.svc.Mask(ctx, actor("viewer"), "loan_application")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newEntryView(m, f); err != nil {
			b.Fatal(err)
		}
	}
}
