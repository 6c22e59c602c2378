package flow

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNodeEventsFilter(t *testing.T) {
	start := func(h *harness) {
		h.defs.publish(mustCompile(t, loanForm(t), readTestdata(t, "loan_approval.json")))
		id, rec := h.records.put(t, h.tenant, "loan_application", decidedLoanRecord(1000))
		_, err := h.engine.Start(context.Background(), h.actor("clerk"), "loan_approval", id, rec)
		require.NoError(t, err)
	}

	t.Run("default: every node", func(t *testing.T) {
		h := newHarness(t)
		start(h)
		ev := h.eventTypes()
		assert.Equal(t, 8, ev[EventNodeEntered], "intake, checks, score, fraud, the join twice, the gateway, the review")
		assert.Equal(t, 7, ev[EventNodeLeft])
	})

	t.Run("only the nodes rules listen to", func(t *testing.T) {
		h := newHarness(t)
		var mu sync.Mutex
		var asked []string
		h.engine.opts.NodeEvents = func(tenant, flow, node string) bool {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, tenant+"/"+flow+"/"+node)
			return node == "credit_review"
		}
		start(h)
		ev := h.eventTypes()
		assert.Equal(t, 1, ev[EventNodeEntered])
		assert.Zero(t, ev[EventNodeLeft])
		assert.Equal(t, 1, ev[EventStarted], "flow and task events do not ask")
		assert.Equal(t, 1, ev[EventTaskCreated])
		assert.Contains(t, asked, h.tenant+"/loan_approval/credit_review")
		entered := h.eventsOf(EventNodeEntered)
		assert.Equal(t, "credit_review", entered[0]["data"].(map[string]any)["node"])
	})

	t.Run("only the types some handler hears", func(t *testing.T) {
		h := newHarness(t)
		h.engine.opts.Heard = func(typ string) bool { return typ == EventNodeEntered || typ == EventTaskCreated }
		start(h)
		ev := h.eventTypes()
		assert.Equal(t, 8, ev[EventNodeEntered])
		assert.Equal(t, 1, ev[EventTaskCreated])
		assert.Zero(t, ev[EventNodeLeft])
		assert.Zero(t, ev[EventStarted], "no handler hears it: not written")
	})
}
