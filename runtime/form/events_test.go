package form

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/store"
)

// outbox reads the tenant's undelivered events in emission order.
func (fx *serviceFixture) outbox(t *testing.T) []events.Event {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	page, err := sc.Collection(events.OutboxCollection).Find(context.Background(), store.Query{
		Sort: []store.Sort{{Field: store.FieldID}}, Limit: 100})
	require.NoError(t, err)
	out := make([]events.Event, 0, len(page.Docs))
	for _, d := range page.Docs {
		typ, _ := d.Data["type"].(string)
		data, _ := d.Data["data"].(map[string]any)
		out = append(out, events.Event{ID: d.ID, Type: typ, Data: data})
	}
	return out
}

func TestRecordEventsCommitWithTheChange(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)

	_, err := fx.svc.Create(ctx, actor("officer"), "loan_application", map[string]any{"amount": -1})
	require.Error(t, err)
	assert.Empty(t, fx.outbox(t), "a refused create emits nothing")

	rec, err := fx.svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	a := actor("officer")
	a.Origin, a.Depth = []string{"auto_flag"}, 1
	_, err = fx.svc.Update(ctx, a, "loan_application", rec.ID, 1, map[string]any{"purpose": "travel"})
	require.NoError(t, err)
	_, err = fx.svc.Update(ctx, actor("officer"), "loan_application", rec.ID, 2, map[string]any{"purpose": "travel"})
	require.NoError(t, err, "a patch that changes nothing")
	require.NoError(t, fx.svc.Delete(ctx, actor("officer"), "loan_application", rec.ID, 2))

	evs := fx.outbox(t)
	require.Len(t, evs, 3)
	assert.Equal(t, []string{EventRecordCreated, EventRecordUpdated, EventRecordDeleted},
		[]string{evs[0].Type, evs[1].Type, evs[2].Type})

	created := ChangeOf(evs[0])
	assert.Equal(t, rec.ID, created.ID)
	assert.Equal(t, "loan_application", created.Form)
	assert.Equal(t, int64(1), created.Version)
	assert.Equal(t, "officer", created.Actor)
	assert.Nil(t, created.Data, "a created event names the record, its handlers read it")
	assert.Nil(t, created.Changed)

	updated := ChangeOf(evs[1])
	assert.Equal(t, int64(2), updated.Version)
	assert.Equal(t, []string{"purpose"}, updated.Changed)
	assert.Equal(t, map[string]any{"purpose": "education"}, updated.Before)
	assert.Nil(t, updated.Data, "an updated event names the record and what changed")
	assert.Equal(t, []string{"auto_flag"}, updated.Origin)
	assert.Equal(t, 1, updated.Depth)

	deleted := ChangeOf(evs[2])
	assert.Equal(t, "travel", deleted.Data["purpose"], "a delete carries the last values")
}
