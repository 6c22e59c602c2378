package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func newTestDispatcher(t testing.TB, b store.Backend, reg *Registry, clock *testClock, tenants ...string) *Dispatcher {
	t.Helper()
	d, err := NewDispatcher(DispatcherConfig{
		Backend: b, Tenants: fixedTenants(tenants...), Registry: reg, Clock: clock.Now,
		Backoff: func(int) time.Duration { return time.Second }, MaxAttempts: 3,
	})
	require.NoError(t, err)
	return d
}

// createRecord is the change an event reports: a record written with its event in one
// transaction, the way the record service writes a record with its audit entry.
func createRecord(ctx context.Context, sc store.Scope, fail error) (Event, error) {
	var ev Event
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		rec := &store.Doc{ID: store.NewID(), Data: map[string]any{"amount": 1000}}
		if err := sc.Collection("records:loan").Insert(ctx, rec); err != nil {
			return err
		}
		var err error
		ev, err = Emit(ctx, sc, Event{Type: "record.created", Subject: "form:loan/record:" + rec.ID, Data: map[string]any{"amount": 1000}})
		if err != nil {
			return err
		}
		return fail
	})
	return ev, err
}

func TestRegistry(t *testing.T) {
	noop := HandlerFunc(func(context.Context, *Delivery) error { return nil })
	fire := TimerFunc(func(context.Context, *Firing) error { return nil })
	cases := []struct {
		name    string
		do      func(r *Registry) error
		wantErr error
	}{
		{"first subscription", func(r *Registry) error { return r.Subscribe("record.created", "webhook", noop) }, nil},
		{"same name, other type", func(r *Registry) error { return r.Subscribe("record.updated", "webhook", noop) }, nil},
		{"same name, same type", func(r *Registry) error { return r.Subscribe("record.created", "webhook", noop) }, ErrDuplicate},
		{"bad type", func(r *Registry) error { return r.Subscribe("Record Created", "x", noop) }, ErrInvalid},
		{"bad name", func(r *Registry) error { return r.Subscribe("record.created", "a.b", noop) }, ErrInvalid},
		{"nil handler", func(r *Registry) error { return r.Subscribe("record.created", "nil", nil) }, ErrInvalid},
		{"timer handler", func(r *Registry) error { return r.HandleTimers("sla", fire) }, nil},
		{"timer handler twice", func(r *Registry) error { return r.HandleTimers("sla", fire) }, ErrDuplicate},
	}
	r := NewRegistry()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.do(r)
			if c.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, c.wantErr)
			}
		})
	}
	assert.Len(t, r.handlers("record.created"), 1)
}

func TestEmit(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	sc := scopeOf(t, b, newTenant(t))

	t.Run("commits with the change", func(t *testing.T) {
		ev, err := createRecord(ctx, sc, nil)
		require.NoError(t, err)
		d, err := sc.Collection(OutboxCollection).Get(ctx, ev.ID)
		require.NoError(t, err)
		got := eventOf(d.ID, d.Data)
		assert.Equal(t, "record.created", got.Type)
		assert.Equal(t, ev.Subject, got.Subject)
		assert.Equal(t, "1000", fmt.Sprint(got.Data["amount"]))
		assert.WithinDuration(t, time.Now(), got.At, time.Minute)
	})

	t.Run("rolled back with its transaction", func(t *testing.T) {
		before := count(t, sc, OutboxCollection)
		_, err := createRecord(ctx, sc, errCrash)
		require.ErrorIs(t, err, errCrash)
		if hasTx(b) {
			assert.Equal(t, before, count(t, sc, OutboxCollection), "no event without its change")
		} else {
			// Without transactions each write commits on its own (store/mongo).
			assert.Equal(t, before+1, count(t, sc, OutboxCollection))
		}
	})

	t.Run("ids sort in emission order", func(t *testing.T) {
		var ids []string
		for range 5 {
			ev, err := Emit(ctx, sc, Event{Type: "order.test"})
			require.NoError(t, err)
			ids = append(ids, ev.ID)
		}
		assert.IsIncreasing(t, ids)
	})

	t.Run("invalid", func(t *testing.T) {
		_, err := Emit(ctx, sc, Event{Type: "Bad Type"})
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = Emit(ctx, sc, Event{Type: "record.created", Subject: "a\nb"})
		assert.ErrorIs(t, err, ErrInvalid)
	})
}

func TestDispatchDeliversToEachHandler(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	ta, tb := newTenant(t), newTenant(t)
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
	require.NoError(t, reg.Subscribe("record.created", "sla-start", effectHandler(c)))
	require.NoError(t, reg.Subscribe("record.updated", "webhook", effectHandler(c)))
	d := newTestDispatcher(t, b, reg, newTestClock(), ta, tb)

	type emitted struct {
		tenant string
		ev     Event
	}
	var all []emitted
	for _, tenant := range []string{ta, tb} {
		sc := scopeOf(t, b, tenant)
		for i := range 6 {
			typ := "record.created"
			if i%3 == 2 {
				typ = "record.updated"
			}
			ev, err := Emit(ctx, sc, Event{Type: typ, Subject: fmt.Sprintf("form:loan/record:%d", i)})
			require.NoError(t, err)
			all = append(all, emitted{tenant, ev})
		}
		_, err := Emit(ctx, sc, Event{Type: "nobody.listens"})
		require.NoError(t, err)
	}

	st, err := d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2*(4*2+2*1), st.Delivered)
	assert.Equal(t, 2, st.Dropped)
	assert.Equal(t, 12, st.Finished)

	for _, tenant := range []string{ta, tb} {
		sc := scopeOf(t, b, tenant)
		got := effectCounts(t, sc)
		want := map[string]int{}
		for _, e := range all {
			if e.tenant != tenant {
				continue
			}
			want[e.ev.ID+"/webhook"] = 1
			if e.ev.Type == "record.created" {
				want[e.ev.ID+"/sla-start"] = 1
			}
		}
		assert.Equal(t, want, got, "every handler's effect once, in its own tenant")
		assert.Zero(t, count(t, sc, OutboxCollection), "the outbox is emptied")
		assert.Zero(t, count(t, sc, DoneCollection), "the markers go with their events")
	}

	st, err = d.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Events)
	assert.Equal(t, 20, c.total(), "no handler was called twice")
}

// A dispatcher that dies after the handlers' effects committed but before it removed the
// event leaves it claimed; once the lease runs out another dispatcher takes it, finds
// the delivery markers and applies nothing again. In a batch (engines with transactions)
// effects and removal commit together: the crash leaves neither, and the next
// dispatcher applies the effects once.
func TestDispatchRepeatedAfterCrashAppliesOnce(t *testing.T) {
	b := newTestBackend(t)
	for _, batched := range paths(b) {
		t.Run(pathName(batched), func(t *testing.T) {
			ctx := context.Background()
			tenant := newTenant(t)
			sc := scopeOf(t, b, tenant)
			clock := newTestClock()
			c := newCalls()
			reg := NewRegistry()
			require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
			require.NoError(t, reg.Subscribe("record.created", "notify", effectHandler(c)))

			ev, err := createRecord(ctx, sc, nil)
			require.NoError(t, err)

			first := newTestDispatcher(t, b, reg, clock, tenant)
			first.batched = batched
			first.beforeFinish = func(Event) error { return errCrash }
			_, err = first.Poll(ctx)
			require.ErrorIs(t, err, errCrash)
			require.Equal(t, 2, c.total())
			require.Equal(t, int64(1), count(t, sc, OutboxCollection), "the crash left the event")

			second := newTestDispatcher(t, b, reg, clock, tenant)
			st, err := second.Poll(ctx)
			require.NoError(t, err)
			assert.Zero(t, st.Events, "the first dispatcher's lease still holds")

			clock.Advance(DefaultLease + 2*DefaultHandlerTimeout + time.Second)
			st, err = second.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, st.Events)
			assert.Equal(t, 1, st.Finished)
			if batched {
				assert.Equal(t, 2, st.Delivered, "the batch was rolled back")
				assert.Equal(t, 4, c.total())
			} else {
				assert.Zero(t, st.Delivered, "both deliveries were recorded")
				assert.Equal(t, 2, c.total(), "no handler ran again")
			}
			assert.Equal(t, map[string]int{ev.ID + "/webhook": 1, ev.ID + "/notify": 1}, effectCounts(t, sc))
			assert.Zero(t, count(t, sc, OutboxCollection))
			assert.Zero(t, count(t, sc, DoneCollection))
		})
	}
}

// paths lists the ways b's events are delivered: one by one always, in batches too when
// the engine has transactions (without, a batch would be the same path).
func paths(b store.Backend) []bool {
	if hasTx(b) {
		return []bool{false, true}
	}
	return []bool{false}
}

func pathName(batched bool) string {
	if batched {
		return "batched"
	}
	return "one_by_one"
}

func TestDispatchRetriesThenParks(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	bad, good := newTenant(t), newTenant(t)
	scBad, scGood := scopeOf(t, b, bad), scopeOf(t, b, good)
	clock := newTestClock()
	c := newCalls()
	var (
		mu     sync.Mutex
		broken = true
	)
	flaky := HandlerFunc(func(ctx context.Context, d *Delivery) error {
		c.add("flaky")
		// The effect is written before the failure: it must roll back with it.
		if err := writeEffect(ctx, d.Scope, d.Event.ID, d.Handler); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if broken && d.Scope.Tenant() == bad {
			return errors.New("webhook answered 502")
		}
		return nil
	})
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "webhook", flaky))
	require.NoError(t, reg.Subscribe("record.created", "audit-copy", effectHandler(c)))
	d := newTestDispatcher(t, b, reg, clock, bad, good)

	evBad, err := createRecord(ctx, scBad, nil)
	require.NoError(t, err)

	// Attempt 1 fails; the other handler of the event is served once and for all.
	st, err := d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Delivered: 1, Failed: 1}, st)

	// Not due before the backoff; the other tenant is served meanwhile.
	evGood, err := createRecord(ctx, scGood, nil)
	require.NoError(t, err)
	st, err = d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Delivered: 2, Finished: 1}, st, "only the other tenant's event")

	clock.Advance(time.Second)
	st, err = d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Failed: 1}, st, "attempt 2, audit-copy not repeated")

	clock.Advance(time.Second)
	st, err = d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Parked: 1, Finished: 1}, st, "attempt 3 parks it")
	assert.Zero(t, count(t, scBad, OutboxCollection))

	dead, next, err := DeadLetters(ctx, scBad, 10, "")
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, dead, 1)
	assert.Equal(t, KindEvent, dead[0].Kind)
	assert.Equal(t, "webhook", dead[0].Handler)
	assert.Equal(t, 3, dead[0].Attempts)
	assert.Contains(t, dead[0].Error, "502")
	require.NotNil(t, dead[0].Event)
	assert.Equal(t, evBad.ID, dead[0].Event.ID)
	assert.Equal(t, evBad.Subject, dead[0].Event.Subject)
	assert.True(t, clock.Now().Equal(dead[0].ParkedAt))

	wantBad := map[string]int{evBad.ID + "/audit-copy": 1}
	if !hasTx(b) {
		wantBad[evBad.ID+"/webhook"] = 3 // each failed attempt's write stays (store/mongo)
	}
	assert.Equal(t, wantBad, effectCounts(t, scBad), "failed attempts left nothing behind")
	assert.Equal(t, map[string]int{evGood.ID + "/webhook": 1, evGood.ID + "/audit-copy": 1}, effectCounts(t, scGood))

	// Fixed, requeued: delivered to the parked handler only.
	mu.Lock()
	broken = false
	mu.Unlock()
	require.NoError(t, Requeue(ctx, scBad, dead[0].ID, clock.Now()))
	st, err = d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Delivered: 1, Finished: 1}, st)
	wantBad[evBad.ID+"/webhook"]++
	assert.Equal(t, wantBad, effectCounts(t, scBad))
	dead, _, err = DeadLetters(ctx, scBad, 10, "")
	require.NoError(t, err)
	assert.Empty(t, dead)
	assert.ErrorIs(t, Requeue(ctx, scBad, "no-such", clock.Now()), ErrNotFound)
}

// One handler failing on one event of a batch rolls the batch back; its events are then
// served one by one, so the others are delivered in the same pass, every effect once,
// and the failed call is that handler's attempt, not made twice.
func TestDispatchFailureInABatchHoldsBackOnlyItsEvent(t *testing.T) {
	b := newTestBackend(t)
	for _, batched := range paths(b) {
		t.Run(pathName(batched), func(t *testing.T) {
			ctx := context.Background()
			tenant := newTenant(t)
			sc := scopeOf(t, b, tenant)
			clock := newTestClock()
			c := newCalls()
			var (
				mu  sync.Mutex
				bad string
			)
			picky := HandlerFunc(func(ctx context.Context, d *Delivery) error {
				c.add(d.Event.ID + "/" + d.Handler)
				if err := writeEffect(ctx, d.Scope, d.Event.ID, d.Handler); err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				if d.Event.ID == bad {
					return errors.New("downstream refused")
				}
				return nil
			})
			reg := NewRegistry()
			require.NoError(t, reg.Subscribe("record.created", "effect", effectHandler(c)))
			require.NoError(t, reg.Subscribe("record.created", "picky", picky))
			d := newTestDispatcher(t, b, reg, clock, tenant)
			d.batched = batched

			var evs []Event
			for range 5 {
				ev, err := createRecord(ctx, sc, nil)
				require.NoError(t, err)
				evs = append(evs, ev)
			}
			mu.Lock()
			bad = evs[2].ID
			mu.Unlock()

			st, err := d.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, DispatchStats{Events: 5, Delivered: 9, Failed: 1, Finished: 4}, st)
			assert.Equal(t, 1, c.get(bad+"/picky"), "the failed call counts as the attempt")
			if batched {
				// What ran in the batch before the failure rolled back and ran again.
				assert.Equal(t, 2, c.get(evs[1].ID+"/picky"))
				assert.Equal(t, 2, c.get(bad+"/effect"))
				assert.Equal(t, 1, c.get(evs[3].ID+"/effect"), "what came after ran once")
			}
			effectCalls := c.get(bad + "/effect")
			want := map[string]int{}
			for _, ev := range evs {
				want[ev.ID+"/effect"] = 1
				if ev.ID != bad {
					want[ev.ID+"/picky"] = 1
				}
			}
			if !hasTx(b) {
				want[bad+"/picky"] = 1 // the failed attempt's write stays (store/mongo)
			}
			assert.Equal(t, want, effectCounts(t, sc), "every effect once, none of the failure")
			assert.Equal(t, int64(1), count(t, sc, OutboxCollection))

			mu.Lock()
			bad = ""
			mu.Unlock()
			clock.Advance(time.Second)
			st, err = d.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, DispatchStats{Events: 1, Delivered: 1, Finished: 1}, st)
			want[evs[2].ID+"/picky"]++
			assert.Equal(t, want, effectCounts(t, sc))
			assert.Equal(t, effectCalls, c.get(evs[2].ID+"/effect"), "not delivered again")
			assert.Zero(t, count(t, sc, OutboxCollection))
			assert.Zero(t, count(t, sc, DoneCollection))
		})
	}
}

func TestDispatchHandlerPanicIsAFailure(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "boom", HandlerFunc(func(context.Context, *Delivery) error {
		panic("nil map")
	})))
	d := newTestDispatcher(t, b, reg, newTestClock(), tenant)
	_, err := createRecord(ctx, sc, nil)
	require.NoError(t, err)
	st, err := d.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Failed)
	doc, err := sc.Collection(OutboxCollection).Find(ctx, store.Query{})
	require.NoError(t, err)
	require.Len(t, doc.Docs, 1)
	s := statesOf(doc.Docs[0].Data[fHandlers])["boom"]
	require.NotNil(t, s)
	assert.Contains(t, s.Error, "panicked: nil map")
	assert.Zero(t, num(doc.Docs[0].Data[fLease]), "the claim is released")
}

// Two dispatchers polling the same outboxes at the same time deliver every event to
// every handler exactly once: the claim lets one of them have each event.
func TestConcurrentDispatchersDeliverOnce(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenants := []string{newTenant(t), newTenant(t)}
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
	require.NoError(t, reg.Subscribe("record.created", "score", effectHandler(c)))
	clock := newTestClock()
	mk := func() *Dispatcher {
		d := newTestDispatcher(t, b, reg, clock, tenants...)
		d.cfg.BatchSize = 7 // several passes per round, so the two interleave
		return d
	}
	d1, d2 := mk(), mk()

	rounds, perRound := 8, 12
	if testing.Short() {
		rounds = 3
	}
	want := map[string]map[string]int{}
	for _, tenant := range tenants {
		want[tenant] = map[string]int{}
	}
	for range rounds {
		for _, tenant := range tenants {
			sc := scopeOf(t, b, tenant)
			for range perRound {
				ev, err := createRecord(ctx, sc, nil)
				require.NoError(t, err)
				want[tenant][ev.ID+"/webhook"] = 1
				want[tenant][ev.ID+"/score"] = 1
			}
		}
		var wg sync.WaitGroup
		for _, d := range []*Dispatcher{d1, d2} {
			wg.Go(func() {
				for range 50 {
					st, err := d.Poll(ctx)
					assert.NoError(t, err)
					if st.Events == 0 && outboxEmpty(t, b, tenants) {
						return
					}
				}
			})
		}
		wg.Wait()
	}
	for _, tenant := range tenants {
		sc := scopeOf(t, b, tenant)
		assert.Equal(t, want[tenant], effectCounts(t, sc))
		assert.Zero(t, count(t, sc, OutboxCollection))
	}
	for k, n := range c.n {
		assert.Equal(t, 1, n, "handler call %s", k)
	}
}

func outboxEmpty(t testing.TB, b store.Backend, tenants []string) bool {
	for _, tenant := range tenants {
		if count(t, scopeOf(t, b, tenant), OutboxCollection) > 0 {
			return false
		}
	}
	return true
}

func TestCompactRemovesStrayMarkers(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	d := newTestDispatcher(t, b, NewRegistry(), clock, tenant)
	live, err := Emit(ctx, sc, Event{Type: "record.created"})
	require.NoError(t, err)
	done := sc.Collection(DoneCollection)
	at := millis(clock.Now())
	require.NoError(t, done.Insert(ctx, &store.Doc{ID: markerID(live.ID, "a"), Data: map[string]any{fEvent: live.ID, fAt: at}}))
	require.NoError(t, done.Insert(ctx, &store.Doc{ID: markerID("gone", "a"), Data: map[string]any{fEvent: "gone", fAt: at}}))

	n, err := d.Compact(ctx, tenant, 10)
	require.NoError(t, err)
	assert.Zero(t, n, "too young")
	clock.Advance(CompactGrace + time.Second)
	n, err = d.Compact(ctx, tenant, 10)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = done.Get(ctx, markerID(live.ID, "a"))
	assert.NoError(t, err, "a marker of a live event stays")
	_, err = done.Get(ctx, markerID("gone", "a"))
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func TestDispatcherRunStopsWithContext(t *testing.T) {
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
	d, err := NewDispatcher(DispatcherConfig{Backend: b, Tenants: fixedTenants(tenant), Registry: reg, PollInterval: 10 * time.Millisecond})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	ev, err := createRecord(context.Background(), sc, nil)
	require.NoError(t, err)
	d.Notify()
	require.Eventually(t, func() bool { return c.get(ev.ID+"/webhook") == 1 }, 10*time.Second, 5*time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// An event whose delivery keeps taking its dispatcher down (no failure is ever written
// back) is parked once it was claimed more often than its attempts allow.
func TestDispatchParksAnEventThatKeepsCrashing(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.Subscribe("record.created", "webhook", HandlerFunc(func(context.Context, *Delivery) error {
		c.add("webhook")
		return errors.New("out of memory")
	})))
	ev, err := createRecord(ctx, sc, nil)
	require.NoError(t, err)
	crashing := newTestDispatcher(t, b, reg, clock, tenant)
	crashing.beforeFinish = func(Event) error { return errCrash }
	for range 3 { // MaxAttempts
		_, err := crashing.Poll(ctx)
		require.ErrorIs(t, err, errCrash)
		clock.Advance(DefaultLease + DefaultHandlerTimeout + time.Second)
	}
	require.Equal(t, 3, c.get("webhook"))

	st, err := newTestDispatcher(t, b, reg, clock, tenant).Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, DispatchStats{Events: 1, Parked: 1, Finished: 1}, st)
	assert.Equal(t, 3, c.get("webhook"), "not delivered a fourth time")
	dead, _, err := DeadLetters(ctx, sc, 10, "")
	require.NoError(t, err)
	require.Len(t, dead, 1)
	assert.Equal(t, ev.ID, dead[0].Event.ID)
	assert.Contains(t, dead[0].Error, "claimed 4 times")
}

// An event whose delivery takes its dispatcher down inside a batch is parked on its own:
// its neighbours in the batch are claimed one at a time from then on, so the claims its
// crashes count are not held against them.
func TestDispatchCrashingEventInABatchIsParkedAlone(t *testing.T) {
	b := newTestBackend(t)
	for _, batched := range paths(b) {
		t.Run(pathName(batched), func(t *testing.T) {
			ctx := context.Background()
			tenant := newTenant(t)
			sc := scopeOf(t, b, tenant)
			clock := newTestClock()
			c := newCalls()
			reg := NewRegistry()
			require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
			var evs []Event
			for range 3 {
				ev, err := createRecord(ctx, sc, nil)
				require.NoError(t, err)
				evs = append(evs, ev)
			}
			poison := evs[1].ID
			crashing := newTestDispatcher(t, b, reg, clock, tenant)
			crashing.batched = batched
			crashing.beforeFinish = func(ev Event) error {
				if ev.ID == poison {
					return errCrash
				}
				return nil
			}
			for range 3 { // MaxAttempts
				_, err := crashing.Poll(ctx)
				require.ErrorIs(t, err, errCrash)
				clock.Advance(DefaultLease + DefaultHandlerTimeout + time.Second)
			}
			last, err := sc.Collection(OutboxCollection).Get(ctx, evs[2].ID)
			require.NoError(t, err)
			assert.LessOrEqual(t, num(last.Data[fClaims]), int64(1), "the crashes are not counted against a neighbour")

			d := newTestDispatcher(t, b, reg, clock, tenant)
			d.batched = batched
			st, err := d.Poll(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, st.Parked)
			assert.Zero(t, count(t, sc, OutboxCollection))
			dead, _, err := DeadLetters(ctx, sc, 10, "")
			require.NoError(t, err)
			require.Len(t, dead, 1)
			assert.Equal(t, poison, dead[0].Event.ID)
			assert.Equal(t, map[string]int{evs[0].ID + "/webhook": 1, evs[1].ID + "/webhook": 1, evs[2].ID + "/webhook": 1},
				effectCounts(t, sc), "every effect once; the parked event's was recorded before its crashes")
		})
	}
}
