package flow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/schemas"
)

func TestMetaSchemaIsServed(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(schemas.FlowMetaSchema(), &doc))
	assert.Equal(t, schemas.FlowSchemaURL, doc["$id"])
	require.NoError(t, metaSchema.Load())
}

func TestExamplesCompile(t *testing.T) {
	loan := mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json"))
	assert.Equal(t, "loan_approval", loan.Key())
	review, ok := loan.Node("credit_review")
	require.True(t, ok)
	assert.Equal(t, NodeApproval, review.Type())
	score, _ := loan.Node("score")
	assert.Equal(t, "credit_score", score.field, "the form's own decision field")

	coll := mustCompile(t, collectionForm(t), readTestdata(t, "collection.json"))
	remind, _ := coll.Node("t_minus_1")
	assert.Equal(t, 9*60, remind.atMinute)
	assert.Equal(t, -24*time.Hour, remind.offset)
}

// minimal is a valid two-step flow of the loan application that cases patch.
const minimal = `{"key":"k","form":"loan_application","name":{"en":"K"},
"nodes":[{"id":"s","type":"start"},{"id":"g","type":"gateway"},
 {"id":"review","type":"approval","candidates":[{"role":"reviewer"}],"editable":["amount"]},
 {"id":"ok","type":"end","outcome":"approved"},{"id":"no","type":"end","outcome":"rejected"}],
"edges":[{"from":"s","to":"g"},{"from":"g","to":"no","condition":"record.amount > 400000.0"},{"from":"g","to":"review","default":true},
 {"from":"review","to":"ok","decision":"approve"},{"from":"review","to":"no","decision":"reject"}]}`

func TestCompileProblemsAreLocated(t *testing.T) {
	f := loanForm(t)
	mustCompile(t, f, []byte(minimal))
	cases := []struct {
		name       string
		from, to   string
		path, code string
	}{
		{"unknown editable field", `"editable":["amount"]`, `"editable":["amout"]`, "/nodes/2/editable/0", "unknown_field"},
		{"computed field not editable", `"editable":["amount"]`, `"editable":["annual_income"]`, "/nodes/2/editable/0", "read_only"},
		{"decision field not editable", `"editable":["amount"]`, `"editable":["credit_score"]`, "/nodes/2/editable/0", "read_only"},
		{"unknown candidate field", `[{"role":"reviewer"}]`, `[{"field":"nobody"}]`, "/nodes/2/candidates/0/field", "unknown_field"},
		{"candidate field not text", `[{"role":"reviewer"}]`, `[{"field":"amount"}]`, "/nodes/2/candidates/0/field", "field_type"},
		{"stamp field not text", `"editable":["amount"]`, `"editable":["amount"],"stamp":{"decided_by":"amount"}`, "/nodes/2/stamp/decided_by", "field_type"},
		{"stamp on a decision the node never takes", `"editable":["amount"]`, `"editable":["amount"],"stamp":{"decided_by":"approver","on":["complete"]}`, "/nodes/2/stamp/on/0", "decision"},
		{"stamp field unknown", `"editable":["amount"]`, `"editable":["amount"],"stamp":{"decided_on":"decided_at"}`, "/nodes/2/stamp/decided_on", "unknown_field"},
		{"bad CEL syntax", `record.amount > 400000.0`, `record.amount >`, "/edges/1/condition", "cel_syntax"},
		{"CEL type error", `record.amount > 400000.0`, `record.amout > 1.0`, "/edges/1/condition", "cel_type"},
		{"condition not bool", `record.amount > 400000.0`, `record.amount`, "/edges/1/condition", "result_type"},
		{"gateway without default", `,"default":true}`, `,"condition":"true"}`, "/nodes/1", "gateway_default"},
		{"edge to unknown node", `{"from":"s","to":"g"}`, `{"from":"s","to":"gg"}`, "/edges/0/to", "unknown_node"},
		{"unreachable node", `{"from":"s","to":"g"},`, `{"from":"s","to":"review"},`, "/nodes/1", "unreachable"},
		{"missing end", `{"id":"ok","type":"end","outcome":"approved"},{"id":"no","type":"end","outcome":"rejected"}`,
			`{"id":"ok","type":"task","candidates":[{"user":"u"}]},{"id":"no","type":"task","candidates":[{"user":"u"}]}`, "/nodes", "missing_end"},
		{"approval without reject edge", `{"from":"review","to":"no","decision":"reject"}`, `{"from":"review","to":"no","decision":"approve"}`, "/edges/4/decision", "decision_duplicate"},
		{"condition off a gateway", `{"from":"s","to":"g"}`, `{"from":"s","to":"g","condition":"true"}`, "/edges/0/condition", "edge_member"},
		{"duplicate node id", `{"id":"ok","type":"end"`, `{"id":"review","type":"end"`, "/nodes/3/id", "duplicate_node"},
		{"form mismatch", `"form":"loan_application"`, `"form":"customer"`, "/form", "form_mismatch"},
		{"unknown member (meta-schema)", `{"id":"s","type":"start"}`, `{"id":"s","type":"start","colour":"red"}`, "/nodes/0", "additionalProperties"},
		{"bad duration (meta-schema)", `"editable":["amount"]`, `"sla":{"after":"soon","action":"auto_approve"}`, "/nodes/2/sla/after", "pattern"},
		{"escalate without role (meta-schema)", `"editable":["amount"]`, `"sla":{"after":"1h","action":"escalate"}`, "/nodes/2/sla", "required"},
		{"duplicate key", `"name":{"en":"K"}`, `"name":{"en":"K"},"name":{"en":"L"}`, "/name", "duplicate_key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, minimal, tc.from)
			def := strings.Replace(minimal, tc.from, tc.to, 1)
			_, err := Compile(f, []byte(def))
			var fe *FlowError
			require.ErrorAs(t, err, &fe)
			var got []string
			for _, p := range fe.Problems {
				got = append(got, p.Path+" "+p.Code)
			}
			assert.Contains(t, got, tc.path+" "+tc.code, "problems: %v", fe.Problems)
		})
	}
}

func TestCompileChecksActionsAndTimers(t *testing.T) {
	f := collectionForm(t)
	base := string(readTestdata(t, "collection.json"))
	cases := []struct {
		name, from, to, path, code string
	}{
		{"set_fields value of the wrong type", `"values": {"stage": "m1"}`, `"values": {"stage": 3}`, "/nodes/5/values/stage", "value_type"},
		{"set_fields value not in enum", `"values": {"stage": "m1"}`, `"values": {"stage": "m9"}`, "/nodes/5/values/stage", "value_type"},
		{"set_fields expression type", `"exprs": {"dpd": "1"}`, `"exprs": {"dpd": "'one'"}`, "/nodes/5/exprs/dpd", "result_type"},
		{"timer field unknown", `"field": "due_date", "offset": "-1d"`, `"field": "due_day", "offset": "-1d"`, "/nodes/1/field", "unknown_field"},
		{"webhook over http", `https://sms.example.com`, `http://sms.example.com`, "/nodes/2/url", "webhook_url"},
		{"webhook field unknown", `"fields": ["loan_id",`, `"fields": ["loan_no",`, "/nodes/2/fields/0", "unknown_field"},
		{"score without decision field", `"do": "set_fields", "values": {"stage": "m1"}, "exprs": {"dpd": "1"}`, `"do": "score"`, "/nodes/5/do", "decision_field"},
		{"task with countersign (meta-schema)", `"candidates": [{"field": "assignee"}]`, `"candidates": [{"field": "assignee"}], "mode": "all"`, "/nodes/6/mode", "const"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, base, tc.from)
			_, err := Compile(f, []byte(strings.Replace(base, tc.from, tc.to, 1)))
			var fe *FlowError
			require.ErrorAs(t, err, &fe)
			var got []string
			for _, p := range fe.Problems {
				got = append(got, p.Path+" "+p.Code)
			}
			assert.Contains(t, got, tc.path+" "+tc.code, "problems: %v", fe.Problems)
		})
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]string{"7d": "168h0m0s", "-1d": "-24h0m0s", "1d12h": "36h0m0s", "90m": "1h30m0s"} {
		d, err := parseDuration(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, d.String(), in)
	}
	_, err := parseDuration("xd")
	assert.Error(t, err)
}
