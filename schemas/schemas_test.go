package schemas_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

func TestMetaSchema(t *testing.T) {
	tests := []struct {
		name    string
		kind    string
		wantURL string
		wantErr error
	}{
		{name: "form", kind: schemas.KindForm, wantURL: schemas.FormSchemaURL},
		{name: "unknown kind", kind: "flowchart", wantErr: schemas.ErrUnknownKind},
		{name: "empty kind", kind: "", wantErr: schemas.ErrUnknownKind},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url, body, err := schemas.MetaSchema(tc.kind)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantURL, url)
			var doc map[string]any
			require.NoError(t, json.Unmarshal(body, &doc))
			assert.Equal(t, tc.wantURL, doc["$id"])
			assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
		})
	}
}

func TestMetaSchemaIsACopy(t *testing.T) {
	a := schemas.FormMetaSchema()
	a[0] = 'X'
	assert.Equal(t, byte('{'), schemas.FormMetaSchema()[0])
}

func TestTemplates(t *testing.T) {
	assert.Equal(t, []string{"lending"}, schemas.TemplatePacks())
	tests := []struct {
		name      string
		pack      string
		wantKeys  []string
		wantError error
	}{
		{name: "lending", pack: "lending", wantKeys: []string{
			"form/collection_case", "form/customer", "form/loan_account", "form/loan_application",
			"flow/collection", "flow/loan_approval", "rule/collection_case", "rule/loan_application", "dashboard/cockpit"}},
		{name: "missing pack", pack: "insurance", wantError: schemas.ErrTemplateNotFound},
		{name: "path escape", pack: "../templates", wantError: schemas.ErrTemplateNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := schemas.Templates(tc.pack)
			if tc.wantError != nil {
				require.ErrorIs(t, err, tc.wantError)
				return
			}
			require.NoError(t, err)
			var keys []string
			for _, tpl := range got {
				keys = append(keys, tpl.Kind+"/"+tpl.Key)
				var def struct {
					Key  string `json:"key"`
					Form string `json:"form"`
				}
				require.NoError(t, json.Unmarshal(tpl.Body, &def), tpl.Key)
				if tpl.Kind == schemas.KindRule {
					assert.Equal(t, tpl.Key, def.Form, "a rule set is named after its form")
				} else {
					assert.Equal(t, tpl.Key, def.Key, "the file name is the definition key")
				}
			}
			assert.Equal(t, tc.wantKeys, keys)
		})
	}
}

func TestTemplateOf(t *testing.T) {
	tests := []struct {
		name, pack, key string
		wantErr         bool
		minFields       int
	}{
		{name: "loan application has at least 30 fields", pack: "lending", key: "loan_application", minFields: 30},
		{name: "customer", pack: "lending", key: "customer", minFields: 10},
		{name: "unknown", pack: "lending", key: "mortgage", wantErr: true},
		{name: "traversal", pack: "lending", key: "../../form.schema", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := schemas.TemplateOf(tc.pack, tc.key)
			if tc.wantErr {
				require.ErrorIs(t, err, schemas.ErrTemplateNotFound)
				return
			}
			require.NoError(t, err)
			var def struct {
				Fields map[string]json.RawMessage `json:"fields"`
			}
			require.NoError(t, json.Unmarshal(tpl.Body, &def))
			assert.GreaterOrEqual(t, len(def.Fields), tc.minFields)
		})
	}
}
