package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// sifter keeps the events whose subject ends in an even digit, with the subject as their
// note, or answers with fail.
type sifter struct {
	Handler
	asked atomic.Int32
	fail  func(evs []Event) ([]Sifted, error)
}

func (s *sifter) Sift(_ context.Context, _ store.Scope, evs []Event) ([]Sifted, error) {
	s.asked.Add(1)
	if s.fail != nil {
		return s.fail(evs)
	}
	out := make([]Sifted, len(evs))
	for i, ev := range evs {
		if strings.IndexAny(ev.Subject[len(ev.Subject)-1:], "02468") == 0 {
			out[i] = Sifted{Keep: true, Note: ev.Subject}
		}
	}
	return out, nil
}

// noted is a handler that records the effect and checks the note it was handed.
func noted(t *testing.T, c *calls) Handler {
	return HandlerFunc(func(ctx context.Context, d *Delivery) error {
		if d.Note != nil {
			assert.Equal(t, d.Event.Subject, d.Note, "the note Sift left for this event")
			c.add("noted")
		}
		c.add(d.Event.ID + "/" + d.Handler)
		return writeEffect(ctx, d.Scope, d.Event.ID, d.Handler)
	})
}

// A Sifter's passed-over events are delivered to it without a call, in the same batch
// as the rest; a Sift that fails, panics or answers for the wrong number of events
// passes nothing over; an event already served to some handler is not sifted.
func TestDispatchSift(t *testing.T) {
	ctx := context.Background()
	emitSix := func(t *testing.T, sc store.Scope) []Event {
		var evs []Event
		for i := range 6 {
			ev, err := Emit(ctx, sc, Event{Type: "record.created", Subject: fmt.Sprintf("form:loan/record:%d", i)})
			require.NoError(t, err)
			evs = append(evs, ev)
		}
		return evs
	}

	t.Run("passed over events are finished without a call", func(t *testing.T) {
		b := newTestBackend(t)
		tenant := newTenant(t)
		sc := scopeOf(t, b, tenant)
		c := newCalls()
		s := &sifter{Handler: noted(t, c)}
		reg := NewRegistry()
		require.NoError(t, reg.Subscribe("record.created", "rules", s))
		require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
		d := newTestDispatcher(t, b, reg, newTestClock(), tenant)
		evs := emitSix(t, sc)

		st, err := d.Poll(ctx)
		require.NoError(t, err)
		if !d.batched {
			assert.Zero(t, s.asked.Load(), "without transactions events are served one by one, unsifted")
			assert.Equal(t, 12, c.total())
			return
		}
		assert.Equal(t, DispatchStats{Events: 6, Delivered: 12, Sifted: 3, Finished: 6}, st)
		assert.Equal(t, int32(1), s.asked.Load(), "one Sift for the batch")
		assert.Equal(t, 3, c.get("noted"), "each kept event came with its note")
		want := map[string]int{}
		for i, ev := range evs {
			want[ev.ID+"/webhook"] = 1
			if i%2 == 0 {
				want[ev.ID+"/rules"] = 1
			}
		}
		assert.Equal(t, want, effectCounts(t, sc))
		assert.Zero(t, count(t, sc, OutboxCollection))
		assert.Zero(t, count(t, sc, DoneCollection))
	})

	for name, fail := range map[string]func([]Event) ([]Sifted, error){
		"an error":       func([]Event) ([]Sifted, error) { return nil, errors.New("rules unavailable") },
		"a panic":        func([]Event) ([]Sifted, error) { panic("sifter bug") },
		"a short answer": func(evs []Event) ([]Sifted, error) { return make([]Sifted, len(evs)-1), nil },
		"a long answer":  func(evs []Event) ([]Sifted, error) { return make([]Sifted, len(evs)+1), nil },
	} {
		t.Run(name+" passes nothing over", func(t *testing.T) {
			b := newTestBackend(t)
			tenant := newTenant(t)
			sc := scopeOf(t, b, tenant)
			c := newCalls()
			s := &sifter{Handler: effectHandler(c), fail: fail}
			reg := NewRegistry()
			require.NoError(t, reg.Subscribe("record.created", "rules", s))
			d := newTestDispatcher(t, b, reg, newTestClock(), tenant)
			emitSix(t, sc)

			st, err := d.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 6, st.Delivered)
			assert.Zero(t, st.Sifted)
			assert.Equal(t, 6, c.total(), "every event handled")
		})
	}

	t.Run("an event served before is not sifted", func(t *testing.T) {
		b := newTestBackend(t)
		tenant := newTenant(t)
		sc := scopeOf(t, b, tenant)
		clock := newTestClock()
		c := newCalls()
		var failing atomic.Bool
		failing.Store(true)
		flaky := HandlerFunc(func(ctx context.Context, d *Delivery) error {
			if failing.Load() {
				return errors.New("webhook answered 502")
			}
			return nil
		})
		s := &sifter{Handler: effectHandler(c), fail: func(evs []Event) ([]Sifted, error) { return make([]Sifted, len(evs)), nil }}
		reg := NewRegistry()
		require.NoError(t, reg.Subscribe("record.created", "rules", s))
		require.NoError(t, reg.Subscribe("record.created", "webhook", flaky))
		d := newTestDispatcher(t, b, reg, clock, tenant)
		_, err := Emit(ctx, sc, Event{Type: "record.created", Subject: "form:loan/record:1"})
		require.NoError(t, err)

		st, err := d.Poll(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, st.Failed, "the webhook fails")
		asked := s.asked.Load()
		// The retry claims the event again: served one by one, with no Sift.
		failing.Store(false)
		clock.Advance(time.Minute)
		st, err = d.Poll(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, st.Finished)
		assert.Equal(t, asked, s.asked.Load(), "a retried event is not sifted")
		assert.Equal(t, 1, c.total(), "the batch failed, so the events were served one by one, with a call each; then the rules were done")
	})
}

// PassedOver says an event is passed over only when its type has handlers, all of them
// Sifters, and none keeps it; a failing, panicking or miscounting Sift keeps them all.
func TestPassedOver(t *testing.T) {
	ctx := context.Background()
	evs := []Event{
		{Type: "record.created", Subject: "form:loan/record:1"},
		{Type: "record.created", Subject: "form:loan/record:2"},
		{Type: "record.updated", Subject: "form:loan/record:3"},
		{Type: "record.deleted", Subject: "form:loan/record:5"},
		{Type: "record.created", Subject: "form:loan/record:7"},
	}
	plain := HandlerFunc(func(context.Context, *Delivery) error { return nil })
	for name, c := range map[string]struct {
		subscribe func(r *Registry) error
		want      []bool
	}{
		"one sifter on two types": {func(r *Registry) error {
			s := &sifter{}
			return errors.Join(r.Subscribe("record.created", "rules", s), r.Subscribe("record.updated", "rules", s))
		}, []bool{true, false, true, false, true}},
		"two sifters, each keeping some": {func(r *Registry) error {
			odd := &sifter{fail: func(evs []Event) ([]Sifted, error) {
				out := make([]Sifted, len(evs))
				out[len(evs)-1].Keep = true // the last: record 7
				return out, nil
			}}
			return errors.Join(r.Subscribe("record.created", "a", &sifter{}), r.Subscribe("record.created", "b", odd))
		}, []bool{true, false, false, false, false}},
		"a handler that is no sifter": {func(r *Registry) error {
			return errors.Join(r.Subscribe("record.created", "a", &sifter{}), r.Subscribe("record.created", "b", plain))
		}, []bool{false, false, false, false, false}},
		"a failing sift": {func(r *Registry) error {
			return r.Subscribe("record.created", "a", &sifter{fail: func([]Event) ([]Sifted, error) { return nil, errors.New("down") }})
		}, []bool{false, false, false, false, false}},
		"a panicking sift": {func(r *Registry) error {
			return r.Subscribe("record.created", "a", &sifter{fail: func([]Event) ([]Sifted, error) { panic("boom") }})
		}, []bool{false, false, false, false, false}},
		"a sift answering for too few": {func(r *Registry) error {
			return r.Subscribe("record.created", "a", &sifter{fail: func([]Event) ([]Sifted, error) { return []Sifted{{}}, nil }})
		}, []bool{false, false, false, false, false}},
	} {
		t.Run(name, func(t *testing.T) {
			r := NewRegistry()
			require.NoError(t, c.subscribe(r))
			assert.Equal(t, c.want, r.PassedOver(ctx, nil, evs))
		})
	}
}

func TestSubscribed(t *testing.T) {
	r := NewRegistry()
	require.NoError(t, r.Subscribe("record.created", "rules", &sifter{}))
	assert.True(t, r.Subscribed("record.created"))
	assert.False(t, r.Subscribed("task.created"))
}
