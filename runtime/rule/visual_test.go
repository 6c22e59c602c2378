package rule

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVisualOps runs every operator of the visual builder on records where it holds and
// where it does not, and checks that a hand-written CEL condition answers the same.
func TestVisualOps(t *testing.T) {
	tests := []struct {
		name  string
		leaf  string // field, op and value of one comparison
		cel   string // the same condition written by hand
		patch string // the record
		want  bool
	}{
		{name: "eq text", leaf: `"field":"channel","op":"eq","value":"online"`, cel: `record.channel == "online"`, want: true},
		{name: "eq text, other value", leaf: `"field":"channel","op":"eq","value":"branch"`, cel: `record.channel == "branch"`, want: false},
		{name: "eq integer", leaf: `"field":"term_months","op":"eq","value":12`, cel: `record.term_months == 12`, want: true},
		{name: "eq boolean", leaf: `"field":"consent_privacy","op":"eq","value":true`, cel: `record.consent_privacy`, want: true},
		{name: "eq unset is false", leaf: `"field":"education","op":"eq","value":"master"`, cel: `has(record.education) && record.education == "master"`, want: false},
		{name: "ne", leaf: `"field":"channel","op":"ne","value":"branch"`, cel: `record.channel != "branch"`, want: true},
		{name: "ne same value", leaf: `"field":"channel","op":"ne","value":"online"`, cel: `record.channel != "online"`, want: false},
		{name: "ne unset is true", leaf: `"field":"education","op":"ne","value":"master"`, cel: `!has(record.education) || record.education != "master"`, want: true},
		{name: "gt number", leaf: `"field":"amount","op":"gt","value":49999.99`, cel: `record.amount > 49999.99`, want: true},
		{name: "gt number, equal", leaf: `"field":"amount","op":"gt","value":50000`, cel: `record.amount > 50000.0`, want: false},
		{name: "gte number, equal", leaf: `"field":"amount","op":"gte","value":50000`, cel: `record.amount >= 50000.0`, want: true},
		{name: "lt nested integer", leaf: `"field":"credit_score.score","op":"lt","value":400`, cel: `has(record.credit_score.score) && record.credit_score.score < 400`, patch: `{"credit_score":{"status":"done","score":399}}`, want: true},
		{name: "lt nested integer, not scored", leaf: `"field":"credit_score.score","op":"lt","value":400`, cel: `has(record.credit_score.score) && record.credit_score.score < 400`, patch: `{"credit_score":null}`, want: false},
		{name: "lte", leaf: `"field":"term_months","op":"lte","value":12`, cel: `record.term_months <= 12`, want: true},
		{name: "lte, greater", leaf: `"field":"term_months","op":"lte","value":6`, cel: `record.term_months <= 6`, want: false},
		{name: "lt on a date", leaf: `"field":"birth_date","op":"lt","value":"2000-01-01"`, cel: `record.birth_date < "2000-01-01"`, want: true},
		{name: "in", leaf: `"field":"purpose","op":"in","value":["education","medical"]`, cel: `record.purpose in ["education", "medical"]`, want: true},
		{name: "in, absent value", leaf: `"field":"purpose","op":"in","value":["travel","wedding"]`, cel: `record.purpose in ["travel", "wedding"]`, want: false},
		{name: "in integers", leaf: `"field":"term_months","op":"in","value":[6,12]`, cel: `record.term_months in [6, 12]`, want: true},
		{name: "contains text", leaf: `"field":"residential_address","op":"contains","value":"朝阳区"`, cel: `record.residential_address.contains("朝阳区")`, want: true},
		{name: "contains text, missing", leaf: `"field":"residential_address","op":"contains","value":"海淀区"`, cel: `record.residential_address.contains("海淀区")`, want: false},
		{name: "is_set", leaf: `"field":"email","op":"is_set"`, cel: `has(record.email) && record.email != ""`, want: true},
		{name: "is_set, empty text", leaf: `"field":"email","op":"is_set"`, cel: `has(record.email) && record.email != ""`, patch: `{"email":""}`, want: false},
		{name: "is_set, nested", leaf: `"field":"fraud_check.decision","op":"is_set"`, cel: `has(record.fraud_check.decision)`, want: true},
		{name: "is_set, empty list", leaf: `"field":"fraud_check.hits","op":"is_set"`, cel: `size(record.fraud_check.hits) > 0`, want: false},
		{name: "not_set", leaf: `"field":"employer_name","op":"not_set"`, cel: `!has(record.employer_name)`, want: true},
		{name: "not_set, given", leaf: `"field":"applicant_name","op":"not_set"`, cel: `!has(record.applicant_name)`, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSet(t,
				`{"key":"visual","title":{"en":"v"},"trigger":{"on":"record.created"},"condition":{"all":[{`+tc.leaf+`}]},"actions":[{"type":"flag","flag":"x"}]}`,
				fmt.Sprintf(`{"key":"cel","title":{"en":"c"},"trigger":{"on":"record.created"},"condition":%q,"actions":[{"type":"flag","flag":"x"}]}`, tc.cel),
			)
			rec := loanRecord(t, tc.patch)
			for _, key := range []string{"visual", "cel"} {
				dr, err := s.DryRun(key, rec)
				require.NoError(t, err)
				require.Empty(t, dr.Error, "%s: %s", key, s.Rule(key).CEL())
				assert.Equal(t, outcome(tc.want), dr.Outcome, "%s: %s", key, s.Rule(key).CEL())
			}
		})
	}

	t.Run("contains on a list", func(t *testing.T) {
		// The template has no list of scalars, so a form of its own.
		f := compileForm(t, `{"key":"tags","title":{"en":"Tags"},
			"schema":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"flags":{"type":"array","items":{"type":"string"}}}},
			"fields":{"tags":{"label":{"en":"Tags"},"widget":"checkbox"},"flags":{"label":{"en":"Flags"},"widget":"tags"}}}`)
		s, err := Compile(f, []byte(`{"form":"tags","rules":[
			{"key":"v","title":{"en":"v"},"trigger":{"on":"record.created"},"condition":{"any":[{"field":"tags","op":"contains","value":"vip"}]},"actions":[{"type":"flag","flag":"vip"}]},
			{"key":"c","title":{"en":"c"},"trigger":{"on":"record.created"},"condition":"\"vip\" in record.tags","actions":[{"type":"flag","flag":"vip"}]}]}`), Opts{})
		require.NoError(t, err)
		for _, tc := range []struct {
			tags []any
			want bool
		}{{[]any{"new", "vip"}, true}, {[]any{"new"}, false}, {nil, false}} {
			rec := map[string]any{}
			if tc.tags != nil {
				rec["tags"] = tc.tags
			}
			for _, key := range []string{"v", "c"} {
				dr, err := s.DryRun(key, rec)
				require.NoError(t, err)
				assert.Equal(t, outcome(tc.want), dr.Outcome, "%s %v", key, tc.tags)
			}
		}
	})
}

func TestVisualGroups(t *testing.T) {
	s := mustSet(t, `{"key":"g","title":{"en":"g"},"trigger":{"on":"record.created"},
		"condition":{"all":[
			{"field":"amount","op":"gte","value":10000},
			{"any":[{"field":"channel","op":"eq","value":"partner"},{"field":"credit_score.grade","op":"in","value":["C","D"]}]}
		]},
		"actions":[{"type":"flag","flag":"manual_review"}]}`)
	assert.Equal(t, `(has(record.amount) && record.amount >= 10000.0) && ((has(record.channel) && record.channel == "partner") || (has(record.credit_score.grade) && record.credit_score.grade in ["C", "D"]))`,
		s.Rule("g").CEL())
	tests := []struct {
		patch string
		want  bool
	}{
		{patch: ``, want: false},
		{patch: `{"channel":"partner"}`, want: true},
		{patch: `{"credit_score":{"status":"done","score":500,"grade":"C"}}`, want: true},
		{patch: `{"channel":"partner","amount":5000}`, want: false},
	}
	for _, tc := range tests {
		dr, err := s.DryRun("g", loanRecord(t, tc.patch))
		require.NoError(t, err)
		assert.Equal(t, outcome(tc.want), dr.Outcome, tc.patch)
	}
}

func outcome(b bool) Outcome {
	if b {
		return Held
	}
	return NotHeld
}
