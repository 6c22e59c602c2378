package server_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const reviewFlow = `{"key":"review","form":"loan_application","name":{"zh-CN":"信审","en":"Review"},
 "nodes":[{"id":"start","type":"start"},
  {"id":"review","type":"approval","name":{"en":"Credit review"},"candidates":[{"role":"credit_reviewer"}],"mode":"any",
   "editable":["approved_limit"],"sla":{"after":"48h","action":"escalate","to":{"role":"admin"}}},
  {"id":"ok","type":"action","do":"set_fields","values":{"status":"approved"}},
  {"id":"no","type":"action","do":"set_fields","values":{"status":"rejected"}},
  {"id":"approved","type":"end","outcome":"approved"},{"id":"rejected","type":"end","outcome":"rejected"}],
 "edges":[{"from":"start","to":"review"},{"from":"review","to":"ok","decision":"approve"},{"from":"review","to":"no","decision":"reject"},
  {"from":"ok","to":"approved"},{"from":"no","to":"rejected"}]}`

const startReview = `{"form":"loan_application","rules":[{"key":"start_review","title":{"en":"Start the review"},
 "trigger":{"on":"record.created"},"actions":[{"type":"start_flow","flow":"review"}]},
 {"key":"call_big","title":{"en":"Call big applicants"},"trigger":{"on":"record.created"},
  "condition":{"all":[{"field":"amount","op":"gte","value":100000}]},
  "actions":[{"type":"create_task","role":"credit_reviewer","title":{"zh-CN":"电话核实","en":"Call to verify"},"due_in":"2d"}]}]}`

func TestHTTPTasks(t *testing.T) {
	e := newTestEnv(t)
	l := e.newLender("acme")
	l.admin.do("PUT", l.path("/definitions/flow/review"), json.RawMessage(reviewFlow)).must(200)
	l.admin.do("POST", l.path("/definitions/flow/review/publish"), nil).must(201)
	l.admin.do("PUT", l.path("/definitions/rule/"+loanForm), json.RawMessage(startReview)).must(200)
	l.admin.do("POST", l.path("/definitions/rule/"+loanForm+"/publish"), nil).must(201)

	rec := l.reviewer.do("POST", l.records(), application(1, nil)).must(201)
	e.drain()

	inbox := l.reviewer.do("GET", l.path("/tasks"), nil).must(200)
	tasks := inbox.body["tasks"].([]any)
	require.Len(t, tasks, 1, "the rule started the flow, which opened a review task for the reviewer's role")
	task := tasks[0].(map[string]any)
	id := task["id"].(string)
	assert.Equal(t, rec.str("id"), task["record_id"])
	assert.Equal(t, "review", task["node"])

	counts := l.reviewer.do("GET", l.path("/tasks/counts"), nil).must(200)
	assert.Equal(t, json.Number("1"), counts.body["open"])
	assert.Empty(t, l.collector.do("GET", l.path("/tasks"), nil).must(200).body["tasks"], "not offered to collectors")
	assert.Equal(t, 403, l.collector.do("GET", l.path("/tasks?scope=all"), nil).status)

	t.Run("a bad action is refused with its field", func(t *testing.T) {
		res := l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "approve",
			"fields": map[string]any{"amount": 1}})
		assert.Equal(t, 422, res.status)
		assert.Equal(t, []string{"/fields/amount"}, res.errPaths())
		res = l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "sign"})
		assert.Equal(t, 422, res.status)
		assert.Equal(t, []string{"/kind"}, res.errPaths())
		res = l.collector.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "claim"})
		assert.Equal(t, 403, res.status, "collectors may not write records at all")
	})

	t.Run("claim, comment and approve with an edit", func(t *testing.T) {
		claimed := l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "claim"}).must(200)
		assert.NotEmpty(t, claimed.str("assignee"))
		people := claimed.body["people"].(map[string]any)
		assert.NotEmpty(t, people[claimed.str("assignee")], "the assignee is named")
		l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "comment", "comment": "income checked"}).must(200)
		done := l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "approve",
			"fields": map[string]any{"approved_limit": 30000}}).must(200)
		assert.Equal(t, "completed", done.str("status"))
		assert.Equal(t, "approve", done.str("outcome"))
		res := l.reviewer.do("POST", l.path("/tasks/"+id+"/actions"), map[string]any{"kind": "approve"})
		assert.Equal(t, 409, res.status)
		assert.Equal(t, "task_closed", res.errCode())
	})

	t.Run("a rule opens a task outside any flow", func(t *testing.T) {
		big := l.reviewer.do("POST", l.records(), application(2, map[string]any{"amount": 150000})).must(201)
		e.drain()
		inbox := l.reviewer.do("GET", l.path("/tasks?record="+big.str("id")), nil).must(200)
		tasks := inbox.body["tasks"].([]any)
		require.Len(t, tasks, 2, "the flow's review and the rule's call")
		var call map[string]any
		for _, x := range tasks {
			if x.(map[string]any)["source"] == "rule:call_big" {
				call = x.(map[string]any)
			}
		}
		require.NotNil(t, call, "%v", tasks)
		assert.NotEmpty(t, call["due_at"])
		res := l.reviewer.do("POST", l.path("/tasks/"+call["id"].(string)+"/actions"), map[string]any{"kind": "approve"})
		assert.Equal(t, 422, res.status, "a standalone task is completed, not approved")
		done := l.reviewer.do("POST", l.path("/tasks/"+call["id"].(string)+"/actions"), map[string]any{"kind": "complete",
			"comment": "called, confirmed"}).must(200)
		assert.Equal(t, "completed", done.str("status"))
	})

	t.Run("the record shows the decision and its history", func(t *testing.T) {
		got := l.reviewer.do("GET", l.records()+"/"+rec.str("id"), nil).must(200)
		assert.Equal(t, "approved", got.data()["status"])
		assert.Equal(t, json.Number("30000"), got.data()["approved_limit"])
		flows := l.reviewer.do("GET", l.records()+"/"+rec.str("id")+"/flows", nil).must(200)
		inst := flows.body["instances"].([]any)
		require.Len(t, inst, 1)
		assert.Equal(t, "approved", inst[0].(map[string]any)["outcome"])
		assert.NotEmpty(t, flows.body["history"])
		named := false
		for _, st := range flows.body["history"].([]any) {
			step := st.(map[string]any)
			if step["action"] == "approve" {
				assert.NotEmpty(t, flows.body["people"].(map[string]any)[step["actor"].(string)], "the approver is named")
				assert.NotEmpty(t, step["node_name"], "the step names its node")
				named = true
			}
		}
		assert.True(t, named, "the approval is in the history")
		res := l.reviewer.do("POST", l.records()+"/"+rec.str("id")+"/flows/review", nil)
		assert.Equal(t, 201, res.status, "a finished flow may be started again by hand")
		res = l.reviewer.do("POST", l.records()+"/"+rec.str("id")+"/flows/review", nil)
		assert.Equal(t, 409, res.status)
		assert.Equal(t, "flow_running", res.errCode())
		assert.Equal(t, 404, l.reviewer.do("POST", l.records()+"/"+rec.str("id")+"/flows/nope", nil).status)
	})
}
