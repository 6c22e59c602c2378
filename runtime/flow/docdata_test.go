package flow

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// normal is a body as the store gives it back.
func normal(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	out, err := store.DecodeData(b)
	require.NoError(t, err)
	return out
}

// The bodies built by hand are the ones encode writes through JSON, for documents with
// every member set and with none.
func TestDocDataMatchesJSON(t *testing.T) {
	at := time.Date(2025, 3, 3, 8, 0, 0, 123456789, time.UTC)
	full := []interface{ data() map[string]any }{
		&instanceDoc{Flow: "f", Version: 2, Form: "loan", RecordID: "r", Status: StatusCompleted, Outcome: "approved",
			StartedBy: "u", StartedAt: 1, EndedAt: 2, Passed: []string{"a", "b"}, Parent: &Parent{Instance: "p", Node: "n"},
			Tokens: []*token{{ID: "t", Node: "n", Since: 3, Wait: waitTimer, Via: 1, Timer: "k"}, {ID: "t2", Node: "m", Via: -1}}},
		&taskDoc{Instance: "i", Token: "t", Flow: "f", FlowVersion: 1, Node: "n", Name: Localized{"en": "N"}, Kind: NodeApproval,
			Mode: ModeAll, Form: "loan", RecordID: "r", Status: TaskCompleted, Candidates: []string{"role:a"},
			Audience: []string{"user:u"}, Roles: []string{"a"}, Assignee: "u", Owner: "o", Outcome: "approve", DecidedBy: "u",
			Source: "rule:x", Comments: []Comment{{By: "u", At: at, Text: "ok"}}, Editable: []string{"amount"}, Escalated: true,
			CreatedAt: 1, DueAt: 2, CompletedAt: 3},
		&historyDoc{Instance: "i", Flow: "f", Version: 1, RecordID: "r", Steps: []stepDoc{
			{Node: "n", NodeType: NodeTask, Task: "t", Action: "complete", Actor: "u", At: 5, DurationMs: 6, Comment: "c",
				Detail: map[string]any{"to": "x"}},
			{Node: "s", NodeType: NodeStart, Action: "started", At: 5}}},
	}
	empty := []interface{ data() map[string]any }{&instanceDoc{}, &taskDoc{}, &historyDoc{}}
	for _, d := range append(full, empty...) {
		want, err := encode(d)
		require.NoError(t, err)
		assert.Equal(t, want, normal(t, d.data()), "%T", d)
	}

	// instanceOf reads back what data wrote, as decode does.
	for _, d := range []*instanceDoc{full[0].(*instanceDoc), {}} {
		got, err := instanceOf(normal(t, d.data()))
		require.NoError(t, err)
		var want instanceDoc
		require.NoError(t, decode(normal(t, d.data()), &want))
		assert.Equal(t, &want, got)
		assert.Equal(t, d, got)
	}
}

func TestInstanceOfRefusesMisfits(t *testing.T) {
	for name, body := range map[string]map[string]any{
		"status not text":      {"status": json.Number("1")},
		"version not a number": {"version": "two"},
		"token not an object":  {"tokens": []any{"t1"}},
		"passed not text":      {"passed": []any{json.Number("3")}},
		"parent not an object": {"parent": "p"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := instanceOf(body)
			assert.ErrorContains(t, err, "decode stored instance")
		})
	}
}
