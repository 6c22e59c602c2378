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

func newTestScheduler(t testing.TB, b store.Backend, reg *Registry, clock *testClock, node string, tenants ...string) *Scheduler {
	t.Helper()
	s, err := NewScheduler(SchedulerConfig{
		Backend: b, Tenants: fixedTenants(tenants...), Registry: reg, Clock: clock.Now, Node: node,
		Lease: time.Minute, MaxAttempts: 3, Backoff: func(int) time.Duration { return 10 * time.Second },
	})
	require.NoError(t, err)
	return s
}

// slaHandler records who fired what and writes an effect with the firing's ctx.
func slaHandler(c *calls, fired *[]Firing, mu *sync.Mutex) TimerHandler {
	return TimerFunc(func(ctx context.Context, f *Firing) error {
		c.add(f.Timer.Key)
		if fired != nil {
			mu.Lock()
			*fired = append(*fired, *f)
			mu.Unlock()
		}
		return writeEffect(ctx, f.Scope, f.Timer.Key, f.Timer.Handler)
	})
}

func TestScheduleReplacesByKey(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	c := newCalls()
	var (
		mu    sync.Mutex
		fired []Firing
	)
	reg := NewRegistry()
	require.NoError(t, reg.HandleTimers("sla", slaHandler(c, &fired, &mu)))
	s := newTestScheduler(t, b, reg, clock, "node-a", tenant)

	const key = "flow:loan/instance:42/step:review/sla"
	require.NoError(t, Schedule(ctx, sc, Timer{Key: key, Handler: "sla", DueAt: clock.Now().Add(time.Hour), Payload: map[string]any{"v": 1}}))
	require.NoError(t, Schedule(ctx, sc, Timer{Key: key, Handler: "sla", DueAt: clock.Now().Add(2 * time.Hour), Payload: map[string]any{"v": 2}}))
	assert.Equal(t, int64(1), count(t, sc, TimersCollection))
	got, ok, err := LookupTimer(ctx, sc, key)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, got.DueAt.Equal(clock.Now().Add(2*time.Hour)))
	assert.Equal(t, "2", fmt.Sprint(got.Payload["v"]))

	clock.Advance(time.Hour)
	st, err := s.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Claimed, "the first due date was replaced")

	clock.Advance(time.Hour)
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 1, Fired: 1}, st)
	require.Len(t, fired, 1)
	assert.Equal(t, "2", fmt.Sprint(fired[0].Timer.Payload["v"]))
	assert.Equal(t, 1, fired[0].Attempt)
	assert.Equal(t, "node-a", fired[0].Node)
	assert.Equal(t, map[string]int{key + "/sla": 1}, effectCounts(t, sc))
	_, ok, err = LookupTimer(ctx, sc, key)
	require.NoError(t, err)
	assert.False(t, ok, "a fired timer is removed")

	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Claimed)

	// Cancel removes; cancelling what is not there is fine.
	require.NoError(t, Schedule(ctx, sc, Timer{Key: "k2", Handler: "sla", DueAt: clock.Now()}))
	require.NoError(t, Cancel(ctx, sc, "k2"))
	require.NoError(t, Cancel(ctx, sc, "k2"))
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Claimed)

	assert.ErrorIs(t, Schedule(ctx, sc, Timer{Key: "", Handler: "sla"}), ErrInvalid)
	assert.ErrorIs(t, Schedule(ctx, sc, Timer{Key: "k", Handler: "Bad Name"}), ErrInvalid)
}

func TestScheduleCommitsWithItsTransaction(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	sc := scopeOf(t, b, newTenant(t))
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		if err := Schedule(ctx, sc, Timer{Key: "rolled-back", Handler: "sla"}); err != nil {
			return err
		}
		return errCrash
	})
	require.ErrorIs(t, err, errCrash)
	_, ok, err := LookupTimer(ctx, sc, "rolled-back")
	require.NoError(t, err)
	assert.Equal(t, !hasTx(b), ok, "kept only where writes commit on their own (store/mongo)")
}

func TestTimerRetriesThenParks(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	var (
		mu     sync.Mutex
		broken = true
	)
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.HandleTimers("reminder", TimerFunc(func(ctx context.Context, f *Firing) error {
		c.add(f.Timer.Key)
		if err := writeEffect(ctx, f.Scope, f.Timer.Key, "reminder"); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if broken {
			return errors.New("sms gateway down")
		}
		return nil
	})))
	s := newTestScheduler(t, b, reg, clock, "node-a", tenant)
	require.NoError(t, Schedule(ctx, sc, Timer{Key: "t-1/reminder", Handler: "reminder", DueAt: clock.Now()}))
	require.NoError(t, Schedule(ctx, sc, Timer{Key: "t-2/unknown", Handler: "nobody", DueAt: clock.Now()}))

	st, err := s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 2, Failed: 2}, st)
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Claimed, "backing off")

	clock.Advance(10 * time.Second)
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 2, Failed: 2}, st)
	clock.Advance(10 * time.Second)
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 2, Parked: 2}, st)
	assert.Zero(t, count(t, sc, TimersCollection))
	assert.Equal(t, 3, c.get("t-1/reminder"))
	if hasTx(b) {
		assert.Empty(t, effectCounts(t, sc), "failed firings left nothing behind")
	}

	dead, _, err := DeadLetters(ctx, sc, 10, "")
	require.NoError(t, err)
	require.Len(t, dead, 2)
	byHandler := map[string]*DeadLetter{}
	for _, dl := range dead {
		assert.Equal(t, KindTimer, dl.Kind)
		assert.Equal(t, 3, dl.Attempts)
		byHandler[dl.Handler] = dl
	}
	assert.Contains(t, byHandler["reminder"].Error, "sms gateway down")
	assert.Contains(t, byHandler["nobody"].Error, ErrNoHandler.Error())
	require.NotNil(t, byHandler["reminder"].Timer)
	assert.Equal(t, "t-1/reminder", byHandler["reminder"].Timer.Key)

	mu.Lock()
	broken = false
	mu.Unlock()
	require.NoError(t, Requeue(ctx, sc, byHandler["reminder"].ID, clock.Now()))
	require.NoError(t, Discard(ctx, sc, byHandler["nobody"].ID))
	assert.ErrorIs(t, Discard(ctx, sc, byHandler["nobody"].ID), ErrNotFound)
	st, err = s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 1, Fired: 1}, st)
	dead, _, err = DeadLetters(ctx, sc, 10, "")
	require.NoError(t, err)
	assert.Empty(t, dead)
}

// Two workers polling the same timers at the same time never both fire one.
func TestConcurrentWorkersFireOnce(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenants := []string{newTenant(t), newTenant(t)}
	clock := newTestClock()
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.HandleTimers("sla", slaHandler(c, nil, nil)))
	w1 := newTestScheduler(t, b, reg, clock, "node-a", tenants...)
	w2 := newTestScheduler(t, b, reg, clock, "node-b", tenants...)
	w1.cfg.BatchSize, w2.cfg.BatchSize = 5, 5

	rounds, perRound := 10, 10
	if testing.Short() {
		rounds = 3
	}
	for r := range rounds {
		for _, tenant := range tenants {
			sc := scopeOf(t, b, tenant)
			for i := range perRound {
				require.NoError(t, Schedule(ctx, sc, Timer{Key: fmt.Sprintf("r%d/t%d", r, i), Handler: "sla", DueAt: clock.Now()}))
			}
		}
		var wg sync.WaitGroup
		for _, w := range []*Scheduler{w1, w2} {
			wg.Go(func() {
				for range 50 {
					st, err := w.Poll(ctx)
					assert.NoError(t, err)
					if st.Claimed == 0 && timersEmpty(t, b, tenants) {
						return
					}
				}
			})
		}
		wg.Wait()
	}
	for _, tenant := range tenants {
		sc := scopeOf(t, b, tenant)
		assert.Zero(t, count(t, sc, TimersCollection))
		effects := effectCounts(t, sc)
		assert.Len(t, effects, rounds*perRound)
		for k, n := range effects {
			assert.Equal(t, 1, n, "effect of %s", k)
		}
	}
	assert.Equal(t, 2*rounds*perRound, c.total(), "every timer fired once, by one worker")
}

func timersEmpty(t testing.TB, b store.Backend, tenants []string) bool {
	for _, tenant := range tenants {
		if count(t, scopeOf(t, b, tenant), TimersCollection) > 0 {
			return false
		}
	}
	return true
}

// A worker that claims a timer and dies keeps it from the others only until its lease
// runs out; then another worker takes it over and fires it.
func TestLeaseTakeoverAfterExpiry(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	c := newCalls()
	var (
		mu    sync.Mutex
		fired []Firing
	)
	reg := NewRegistry()
	require.NoError(t, reg.HandleTimers("sla", slaHandler(c, &fired, &mu)))
	crashed := newTestScheduler(t, b, reg, clock, "node-a", tenant)
	crashed.beforeFire = func(Timer) error { return errCrash }
	survivor := newTestScheduler(t, b, reg, clock, "node-b", tenant)

	require.NoError(t, Schedule(ctx, sc, Timer{Key: "sla-1", Handler: "sla", DueAt: clock.Now()}))
	_, err := crashed.Poll(ctx)
	require.ErrorIs(t, err, errCrash)
	d, err := sc.Collection(TimersCollection).Get(ctx, "sla-1")
	require.NoError(t, err)
	assert.Equal(t, "node-a", d.Data[fOwner])

	clock.Advance(59 * time.Second)
	st, err := survivor.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Claimed, "the lease still holds")

	clock.Advance(time.Second)
	st, err = survivor.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 1, Fired: 1}, st)
	require.Len(t, fired, 1)
	assert.Equal(t, "node-b", fired[0].Node)
	assert.Equal(t, 2, fired[0].Attempt, "the lost claim counts as an attempt")
	assert.Equal(t, map[string]int{"sla-1/sla": 1}, effectCounts(t, sc))
}

// A timer rescheduled while its handler runs is not removed by that firing, and the
// firing's effects roll back: the new schedule stands alone.
func TestRescheduleWhileFiringWins(t *testing.T) {
	ctx := context.Background()
	b := newTestBackend(t)
	tenant := newTenant(t)
	sc := scopeOf(t, b, tenant)
	clock := newTestClock()
	c := newCalls()
	reg := NewRegistry()
	require.NoError(t, reg.HandleTimers("sla", slaHandler(c, nil, nil)))
	s := newTestScheduler(t, b, reg, clock, "node-a", tenant)
	s.beforeFire = func(t Timer) error {
		// Another request moves the deadline between the claim and the firing.
		return Schedule(ctx, sc, Timer{Key: t.Key, Handler: "sla", DueAt: clock.Now().Add(time.Hour)})
	}
	require.NoError(t, Schedule(ctx, sc, Timer{Key: "sla-1", Handler: "sla", DueAt: clock.Now()}))
	st, err := s.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, ScheduleStats{Claimed: 1, Lost: 1}, st)
	tm, ok, err := LookupTimer(ctx, sc, "sla-1")
	require.NoError(t, err)
	require.True(t, ok, "the new schedule stands")
	assert.True(t, tm.DueAt.Equal(clock.Now().Add(time.Hour)))
	if hasTx(b) {
		assert.Empty(t, effectCounts(t, sc), "the stale firing rolled back")
	}
}
