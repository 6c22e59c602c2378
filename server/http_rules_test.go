package server_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const loanRules = `{"form":"loan_application","rules":[
 {"key":"large_online","title":{"zh-CN":"大额线上申请","en":"Large online application"},"trigger":{"on":"record.created"},
  "condition":{"all":[{"field":"amount","op":"gte","value":100000},{"field":"channel","op":"eq","value":"online"}]},
  "actions":[{"type":"flag","flag":"large_online"},{"type":"notify","channel":"in_app","to":"role:credit_reviewer","template":"large_online"}]}]}`

func TestHTTPRules(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	rulesPath := l.path("/definitions/rule/" + loanForm)

	t.Run("an invalid rule set is refused at publish with located problems", func(t *testing.T) {
		bad := `{"form":"loan_application","rules":[{"key":"x","title":{"en":"x"},"trigger":{"on":"record.created"},
		  "condition":"record.amout > 1.0","actions":[{"type":"flag","flag":"x"}]}]}`
		d := l.admin.do("PUT", rulesPath, json.RawMessage(bad)).must(200)
		assert.Equal(t, false, d.body["valid"])
		res := l.admin.do("POST", rulesPath+"/publish", nil)
		assert.Equal(t, 422, res.status)
		assert.Equal(t, "invalid_definition", res.errCode())
		assert.Contains(t, res.errPaths(), "/rules/0/condition")
	})

	l.admin.do("PUT", rulesPath, json.RawMessage(loanRules)).must(200)
	l.admin.do("POST", rulesPath+"/publish", nil).must(201)
	big := l.reviewer.do("POST", l.records(), application(1, map[string]any{"amount": 150000, "channel": "online"})).must(201)
	small := l.reviewer.do("POST", l.records(), application(2, map[string]any{"amount": 20000, "channel": "online"})).must(201)
	e.drain()

	t.Run("rules ran on the records created", func(t *testing.T) {
		got := l.reviewer.do("GET", l.records()+"/"+big.str("id"), nil).must(200)
		assert.Equal(t, []any{"large_online"}, got.data()["flags"])
		runs := l.reviewer.do("GET", l.records()+"/"+big.str("id")+"/rule-runs", nil).must(200)
		list := runs.body["runs"].([]any)
		require.Len(t, list, 1)
		assert.Equal(t, "large_online", list[0].(map[string]any)["rule"])
		got = l.reviewer.do("GET", l.records()+"/"+small.str("id"), nil).must(200)
		assert.NotContains(t, got.data(), "flags")
	})

	t.Run("notifications reach the role", func(t *testing.T) {
		res := l.reviewer.do("GET", l.path("/notifications?unread=true"), nil).must(200)
		notes := res.body["notifications"].([]any)
		require.Len(t, notes, 1)
		id := notes[0].(map[string]any)["id"].(string)
		assert.Equal(t, 404, l.collector.do("POST", l.path("/notifications/"+id+"/read"), nil).status, "not the collector's")
		l.reviewer.do("POST", l.path("/notifications/"+id+"/read"), nil).must(204)
		res = l.reviewer.do("GET", l.path("/notifications?unread=true"), nil).must(200)
		assert.Empty(t, res.body["notifications"])
	})

	t.Run("dry run says which comparisons held", func(t *testing.T) {
		res := l.admin.do("POST", l.path("/forms/"+loanForm+"/rules/dry-run"),
			map[string]any{"rule": "large_online", "record_id": small.str("id")}).must(200)
		assert.Equal(t, false, res.body["fires"])
		leaves := res.body["leaves"].([]any)
		require.Len(t, leaves, 2)
		assert.Equal(t, "false", leaves[0].(map[string]any)["outcome"])
		assert.Equal(t, "true", leaves[1].(map[string]any)["outcome"])

		draft := `{"form":"loan_application","rules":[{"key":"tiny","title":{"en":"tiny"},"trigger":{"on":"record.created"},
		  "condition":"record.amount < 30000.0","actions":[{"type":"flag","flag":"tiny"}]}]}`
		res = l.admin.do("POST", l.path("/forms/"+loanForm+"/rules/dry-run"),
			map[string]any{"rule": "tiny", "record_id": small.str("id"), "definition": json.RawMessage(draft)}).must(200)
		assert.Equal(t, true, res.body["fires"])

		res = l.admin.do("POST", l.path("/forms/"+loanForm+"/rules/dry-run"), map[string]any{"rule": "nope", "record_id": small.str("id")})
		assert.Equal(t, 422, res.status)
		assert.Equal(t, []string{"/rule"}, res.errPaths())
		res = l.admin.do("POST", l.path("/forms/"+loanForm+"/rules/dry-run"), map[string]any{})
		assert.Equal(t, 422, res.status)
		assert.ElementsMatch(t, []string{"/rule", "/record_id"}, res.errPaths())
		assert.Equal(t, 403, l.collector.do("POST", l.path("/forms/"+loanForm+"/rules/dry-run"),
			map[string]any{"rule": "large_online", "record_id": small.str("id")}).status)
	})

	t.Run("the webhook secret is for administrators, and its viewing is audited", func(t *testing.T) {
		assert.Equal(t, 403, l.reviewer.do("GET", l.path("/webhooks/signing-secret"), nil).status)
		res := l.admin.do("GET", l.path("/webhooks/signing-secret"), nil).must(200)
		assert.Regexp(t, `^whsec_[0-9a-f]{64}$`, res.str("secret"))
		again := l.admin.do("GET", l.path("/webhooks/signing-secret"), nil).must(200)
		assert.Equal(t, res.str("secret"), again.str("secret"))
	})
}
