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

// observed records the changes an observer was told of, by record id.
type observed struct{ ids []string }

func (o *observed) RecordsChanged(_ context.Context, _ store.Scope, _ string, cs []RecordChange) error {
	for _, c := range cs {
		o.ids = append(o.ids, c.ID)
	}
	return nil
}

// A record event that every handler would pass over (Options.PassedOver, asked with the
// record's data: before a create's transaction, in an update's) is not written; the
// record, its audit entry and what the observer is told are as for any other.
func TestPassedOverEventsAreNotWritten(t *testing.T) {
	ctx := context.Background()
	fx := newServiceFixture(t)
	var asked []events.Event
	obs := &observed{}
	svc := NewService(fx.b, fx.authz, fx.log, Options{Observer: obs,
		PassedOver: func(_ context.Context, _ store.Scope, evs []events.Event) []bool {
			out := make([]bool, len(evs))
			for i, ev := range evs {
				asked = append(asked, ev)
				out[i] = ChangeOf(ev).Data["purpose"] == "travel"
			}
			return out
		}})
	travel := loanData()
	travel["purpose"] = "travel"

	kept, err := svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	quiet, err := svc.Create(ctx, actor("officer"), "loan_application", travel)
	require.NoError(t, err)
	res, err := svc.CreateMany(ctx, actor("officer"), "loan_application",
		[]BulkRow{{ID: "b1", Data: travel}, {ID: "b2", Data: loanData()}, {ID: "b3", Data: travel}}, BulkOptions{})
	require.NoError(t, err)
	for _, r := range res {
		require.Equal(t, BulkCreated, r.Status, r.ID)
	}

	var written []string
	for _, ev := range fx.outbox(t) {
		c := ChangeOf(ev)
		assert.Nil(t, c.Data, "the event written names its record")
		written = append(written, c.ID)
	}
	assert.Equal(t, []string{kept.ID, "b2"}, written, "the events passed over are not written")
	assert.Equal(t, []string{kept.ID, quiet.ID, "b1", "b2", "b3"}, obs.ids, "the observer hears of every create")
	require.Len(t, asked, 5)
	assert.Equal(t, EventRecordCreated, asked[1].Type)
	assert.Equal(t, "travel", ChangeOf(asked[1]).Data["purpose"], "asked with the record's data in full")
	_, err = svc.Get(ctx, actor("officer"), "loan_application", quiet.ID)
	assert.NoError(t, err, "the record is written")

	// An update is judged in its transaction, on the record as it becomes.
	_, err = svc.Update(ctx, actor("officer"), "loan_application", kept.ID, 1, map[string]any{"purpose": "travel"})
	require.NoError(t, err)
	_, err = svc.Update(ctx, actor("officer"), "loan_application", quiet.ID, 1, map[string]any{"purpose": "education"})
	require.NoError(t, err)
	evs := fx.outbox(t)
	require.Len(t, evs, 3)
	last := ChangeOf(evs[2])
	assert.Equal(t, EventRecordUpdated, evs[2].Type)
	assert.Equal(t, quiet.ID, last.ID, "only the update no handler passes over is written")
	assert.Equal(t, []string{"purpose"}, last.Changed)
}
