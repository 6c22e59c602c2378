package rule

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompileProblems checks that each mistake is found and located by JSON pointer.
func TestCompileProblems(t *testing.T) {
	const flag = `"actions":[{"type":"flag","flag":"x"}]`
	rule := func(body string) string { return `{"key":"r","title":{"en":"r"},` + body + `}` }
	tests := []struct {
		name     string
		rules    []string
		wantPath string
		wantCode string
	}{
		{name: "unknown field in CEL", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":"record.amout > 1.0",` + flag)},
			wantPath: "/rules/0/condition", wantCode: "cel_type"},
		{name: "CEL type mismatch", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":"record.amount > \"big\"",` + flag)},
			wantPath: "/rules/0/condition", wantCode: "cel_type"},
		{name: "CEL not a bool", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":"record.amount * 2.0",` + flag)},
			wantPath: "/rules/0/condition", wantCode: "result_type"},
		{name: "CEL syntax", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":"record.amount >",` + flag)},
			wantPath: "/rules/0/condition", wantCode: "cel_syntax"},
		{name: "unknown field in a leaf", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"amount","op":"gt","value":1},{"any":[{"field":"credit_score.scor","op":"lt","value":1}]}]},` + flag)},
			wantPath: "/rules/0/condition/all/1/any/0/field", wantCode: "unknown_field"},
		{name: "leaf value of the wrong type", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"amount","op":"gt","value":"lots"}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/value", wantCode: "value_type"},
		{name: "leaf value outside the enum", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"fraud_check.decision","op":"eq","value":"rejected"}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/value", wantCode: "value_type"},
		{name: "in item of the wrong type", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"term_months","op":"in","value":[12,"24"]}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/value/1", wantCode: "value_type"},
		{name: "integer field, fractional value", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"term_months","op":"eq","value":12.5}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/value", wantCode: "value_type"},
		{name: "op not for the type", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"consent_privacy","op":"gt","value":true}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/op", wantCode: "op_type"},
		{name: "is_set with a value", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"email","op":"is_set","value":"x"}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/value", wantCode: "value"},
		{name: "unknown op", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"field":"email","op":"like","value":"x"}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/op", wantCode: "enum"},
		{name: "set_field value of the wrong type", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"amount","value":"lots"}]`)},
			wantPath: "/rules/0/actions/0/value", wantCode: "value_type"},
		{name: "set_field value outside the enum", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"channel","value":"mail"}]`)},
			wantPath: "/rules/0/actions/0/value", wantCode: "value_type"},
		{name: "set_field expr of the wrong type", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"flag","flag":"x"},{"type":"set_field","field":"term_months","expr":"record.amount / 1000.0"}]`)},
			wantPath: "/rules/0/actions/1/expr", wantCode: "result_type"},
		{name: "set_field on a computed field", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"annual_income","value":1}]`)},
			wantPath: "/rules/0/actions/0/field", wantCode: "read_only"},
		{name: "set_field on a decision field", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"credit_score","value":{}}]`)},
			wantPath: "/rules/0/actions/0/field", wantCode: "read_only"},
		{name: "set_field unknown field", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"amout","value":1}]`)},
			wantPath: "/rules/0/actions/0/field", wantCode: "unknown_field"},
		{name: "set_field with value and expr", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"amount","value":1,"expr":"1.0"}]`)},
			wantPath: "/rules/0/actions/0", wantCode: "oneOf"},
		{name: "unknown action member", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"reject","reason":{"en":"x"},"flag":"y"}]`)},
			wantPath: "/rules/0/actions/0", wantCode: "additionalProperties"},
		{name: "create_task with role and user", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"create_task","role":"a","user":"b","title":{"en":"t"}}]`)},
			wantPath: "/rules/0/actions/0", wantCode: "oneOf"},
		{name: "add_to_list of an object", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"add_to_list","list":"blacklist.x","field":"credit_score"}]`)},
			wantPath: "/rules/0/actions/0/field", wantCode: "field_type"},
		{name: "notify in_app recipient", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"notify","channel":"in_app","to":"officer","template":"t"}]`)},
			wantPath: "/rules/0/actions/0/to", wantCode: "recipient"},
		{name: "notify webhook over http", rules: []string{rule(`"trigger":{"on":"record.created"},"actions":[{"type":"notify","channel":"webhook","to":"http://example.com/h","template":"t"}]`)},
			wantPath: "/rules/0/actions/0/to", wantCode: "webhook_url"},
		{name: "field.changed unknown field", rules: []string{rule(`"trigger":{"on":"field.changed","fields":["amount","amout"]},` + flag)},
			wantPath: "/rules/0/trigger/fields/1", wantCode: "unknown_field"},
		{name: "field.changed without fields", rules: []string{rule(`"trigger":{"on":"field.changed"},` + flag)},
			wantPath: "/rules/0/trigger", wantCode: "required"},
		{name: "member of another trigger", rules: []string{rule(`"trigger":{"on":"record.created","cron":"* * * * *"},` + flag)},
			wantPath: "/rules/0/trigger/cron", wantCode: "trigger_member"},
		{name: "cron with six fields", rules: []string{rule(`"trigger":{"on":"schedule","cron":"0 0 2 * * *"},` + flag)},
			wantPath: "/rules/0/trigger/cron", wantCode: "cron"},
		{name: "cron out of range", rules: []string{rule(`"trigger":{"on":"schedule","cron":"61 2 * * *"},` + flag)},
			wantPath: "/rules/0/trigger/cron", wantCode: "cron"},
		{name: "unknown time zone", rules: []string{rule(`"trigger":{"on":"schedule","cron":"0 2 * * *","timezone":"Asia/Beijing"},` + flag)},
			wantPath: "/rules/0/trigger/timezone", wantCode: "timezone"},
		{name: "duplicate key", rules: []string{rule(`"trigger":{"on":"record.created"},` + flag), rule(`"trigger":{"on":"record.updated"},` + flag)},
			wantPath: "/rules/1/key", wantCode: "duplicate_rule"},
		{name: "duplicate JSON member", rules: []string{rule(`"trigger":{"on":"record.created"},"priority":1,"priority":2,` + flag)},
			wantPath: "/rules/0/priority", wantCode: "duplicate_key"},
		{name: "unknown rule member", rules: []string{rule(`"trigger":{"on":"record.created"},"when":"x",` + flag)},
			wantPath: "/rules/0", wantCode: "additionalProperties"},
		{name: "groups too deep", rules: []string{rule(`"trigger":{"on":"record.created"},"condition":{"all":[{"all":[{"all":[{"all":[{"all":[{"all":[{"all":[{"all":[{"all":[{"field":"amount","op":"is_set"}]}]}]}]}]}]}]}]}]},` + flag)},
			wantPath: "/rules/0/condition/all/0/all/0/all/0/all/0/all/0/all/0/all/0/all/0", wantCode: "max_depth"},
	}
	f := loanForm(t)
	bare := compileForm(t, `{"key":"loan_application","title":{"en":"Bare"},
		"schema":{"type":"object","properties":{"amount":{"type":"number"},"status":{"type":"string","enum":["open","closed"]},"flags":{"type":"array","items":{"type":"integer"}}}},
		"fields":{"amount":{"label":{"en":"Amount"},"widget":"number"},"status":{"label":{"en":"Status"},"widget":"select"},"flags":{"label":{"en":"Flags"},"widget":"checkbox"}}}`)
	for _, tc := range []struct{ name, action string }{
		{"reject on a form whose status cannot be rejected", `{"type":"reject","reason":{"en":"no"}}`},
		{"flag on a form whose flags are not text", `{"type":"flag","flag":"x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(bare, ruleSetJSON(rule(`"trigger":{"on":"record.created"},"actions":[`+tc.action+`]`)), Opts{})
			var re *RuleError
			require.ErrorAs(t, err, &re)
			require.Len(t, re.Problems, 1)
			assert.Equal(t, "/rules/0/actions/0/type", re.Problems[0].Path)
			assert.Equal(t, "action_field", re.Problems[0].Code)
		})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(f, ruleSetJSON(tc.rules...), Opts{})
			var re *RuleError
			require.ErrorAs(t, err, &re)
			var got []string
			for _, p := range re.Problems {
				got = append(got, p.Path+" "+p.Code)
				assert.NotEmpty(t, p.Message)
			}
			assert.Contains(t, got, tc.wantPath+" "+tc.wantCode)
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		_, err := Compile(f, ruleSetJSON(
			rule(`"trigger":{"on":"record.created"},"condition":"record.amout > 1.0",`+flag),
			`{"key":"s","title":{"en":"s"},"trigger":{"on":"record.created"},"actions":[{"type":"set_field","field":"amount","value":"x"}]}`,
		), Opts{})
		var re *RuleError
		require.ErrorAs(t, err, &re)
		require.Len(t, re.Problems, 2)
		assert.Equal(t, "/rules/0/condition", re.Problems[0].Path)
		assert.Equal(t, "/rules/1/actions/0/value", re.Problems[1].Path)
	})

	t.Run("another form's rules", func(t *testing.T) {
		_, err := Compile(f, []byte(`{"form":"customer","rules":[]}`), Opts{})
		var re *RuleError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "/form", re.Problems[0].Path)
	})

	t.Run("plugin kinds", func(t *testing.T) {
		def := ruleSetJSON(rule(`"trigger":{"on":"record.created"},"actions":[{"type":"call_plugin","kind":"ocr"}]`))
		_, err := Compile(f, def, Opts{})
		require.NoError(t, err)
		_, err = Compile(f, def, Opts{PluginKinds: []string{"scorer", "fraud_detector"}})
		var re *RuleError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "/rules/0/actions/0/kind", re.Problems[0].Path)
	})

	t.Run("syntax error", func(t *testing.T) {
		_, err := Compile(f, []byte(`{"form":`), Opts{})
		var re *RuleError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "syntax", re.Problems[0].Code)
	})
}
