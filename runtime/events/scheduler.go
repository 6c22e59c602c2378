package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/store"
)

// Timer is a durable reminder: at DueAt the handler named Handler is called with it.
type Timer struct {
	// Key identifies the timer in its tenant: scheduling the same key again replaces it
	// ("flow:loan/instance:42/step:review/sla"). At most MaxKeyLength bytes.
	Key string `json:"key"`
	// Handler names the TimerHandler registered on the Scheduler's Registry.
	Handler string `json:"handler"`
	// DueAt is when the timer fires (stored at millisecond precision); zero means now.
	DueAt time.Time `json:"due_at"`
	// Payload travels with the timer; numbers come back as json.Number.
	Payload map[string]any `json:"payload,omitempty"`
}

const (
	fHandler  = "handler"
	fPayload  = "payload"
	fAttempts = "attempts"
	fError    = "error"
)

func timerData(t Timer) map[string]any {
	d := map[string]any{fHandler: t.Handler, fDue: millis(t.DueAt)}
	if len(t.Payload) > 0 {
		d[fPayload] = t.Payload
	}
	return d
}

func timerOf(key string, d map[string]any) Timer {
	t := Timer{Key: key, DueAt: time.UnixMilli(num(d[fDue])).UTC()}
	t.Handler, _ = d[fHandler].(string)
	t.Payload, _ = d[fPayload].(map[string]any)
	return t
}

// Schedule stores t under its key, replacing the timer scheduled there before (its
// attempts, last error and lease included: a worker firing the old one then fails to
// delete it and its effect is rolled back). Call it with the ctx of the transaction that
// makes the change the timer belongs to.
func Schedule(ctx context.Context, sc store.Scope, t Timer) error {
	if !validKey(t.Key) {
		return fmt.Errorf("schedule timer: key %q: %w", t.Key, ErrInvalid)
	}
	if !ValidName(t.Handler) {
		return fmt.Errorf("schedule timer %s: handler %q: %w", t.Key, t.Handler, ErrInvalid)
	}
	if t.DueAt.IsZero() {
		t.DueAt = time.Now()
	}
	data := timerData(t)
	data[fLease], data[fAttempts] = int64(0), 0
	coll := sc.Collection(TimersCollection)
	for range 5 {
		cur, err := coll.Get(ctx, t.Key)
		if errors.Is(err, store.ErrNotFound) {
			err = coll.Insert(ctx, &store.Doc{ID: t.Key, Data: data})
			if errors.Is(err, store.ErrDuplicate) {
				continue
			}
		} else if err == nil {
			cur.Data = data
			if err = coll.Update(ctx, cur); lost(err) {
				continue
			}
		}
		if err != nil {
			return fmt.Errorf("schedule timer %s: %w", t.Key, err)
		}
		return nil
	}
	return fmt.Errorf("schedule timer %s: %w", t.Key, store.ErrConflict)
}

// Cancel removes the timer under key; a timer that is not there (fired, or never
// scheduled) is not an error.
func Cancel(ctx context.Context, sc store.Scope, key string) error {
	if err := ignoreNotFound(sc.Collection(TimersCollection).Delete(ctx, key, 0)); err != nil {
		return fmt.Errorf("cancel timer %s: %w", key, err)
	}
	return nil
}

// LookupTimer returns the timer scheduled under key; false when there is none.
func LookupTimer(ctx context.Context, sc store.Scope, key string) (Timer, bool, error) {
	d, err := sc.Collection(TimersCollection).Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return Timer{}, false, nil
	}
	if err != nil {
		return Timer{}, false, fmt.Errorf("look up timer %s: %w", key, err)
	}
	return timerOf(key, d.Data), true, nil
}

// SchedulerConfig configures a Scheduler. Zero values mean the documented defaults.
type SchedulerConfig struct {
	// Backend is the store holding the tenants' timers.
	Backend store.Backend
	// Tenants lists the tenants to poll (required).
	Tenants TenantsFunc
	// Registry holds the timer handlers (required).
	Registry *Registry
	// Node names this worker in the leases it takes; empty means host-pid-random.
	Node string
	// Lease is how long a claimed timer is kept from other workers, and so also how long
	// its handler may run. A worker that dies leaves its timers to the others once their
	// leases run out. Default DefaultLease.
	Lease time.Duration
	// MaxAttempts is how many claims of a timer (failures and lease takeovers alike)
	// park it as a dead letter. Default DefaultMaxAttempts.
	MaxAttempts int
	// Backoff is the wait before the next firing after n failures. Default DefaultBackoff.
	Backoff func(failures int) time.Duration
	// BatchSize is how many due timers a pass reads per tenant. Default DefaultBatchSize.
	BatchSize int
	// Workers is how many tenants a pass serves at once. Default DefaultWorkers.
	Workers int
	// PollInterval is the pause between passes that found nothing. Default DefaultPollInterval.
	PollInterval time.Duration
	// Clock gives the time for due dates and leases. Default time.Now.
	Clock func() time.Time
	// Logger receives failures and parked timers. Default: discarded.
	Logger *slog.Logger
}

// ScheduleStats counts what a pass did.
type ScheduleStats struct {
	// Claimed is how many due timers this worker leased.
	Claimed int
	// Fired is how many timers fired and were removed.
	Fired int
	// Failed is how many firings failed and wait for a retry.
	Failed int
	// Parked is how many timers failed for the last time and became dead letters.
	Parked int
	// Lost is how many firings were rolled back because the timer changed meanwhile
	// (rescheduled, cancelled, or taken over after the lease ran out).
	Lost int
}

// Scheduler fires the due timers of every tenant. Several may run on one store: a timer
// is leased to one of them by a version-checked update before it fires.
type Scheduler struct {
	cfg  SchedulerConfig
	log  *slog.Logger
	ix   indexes
	wake chan struct{}

	// beforeFire, when set (tests), runs after a timer is claimed and before its handler;
	// an error ends the pass there, like a crash that leaves the lease to run out.
	beforeFire func(t Timer) error
	running    atomic.Bool
}

// NewScheduler checks cfg and returns a Scheduler.
func NewScheduler(cfg SchedulerConfig) (*Scheduler, error) {
	if cfg.Backend == nil || cfg.Tenants == nil || cfg.Registry == nil {
		return nil, fmt.Errorf("new scheduler: backend, tenants and registry are required: %w", ErrInvalid)
	}
	if cfg.Node == "" {
		cfg.Node = defaultNode()
	}
	positiveOr(&cfg.Lease, DefaultLease)
	positiveOr(&cfg.MaxAttempts, DefaultMaxAttempts)
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	positiveOr(&cfg.BatchSize, DefaultBatchSize)
	cfg.BatchSize = min(cfg.BatchSize, store.MaxLimit)
	positiveOr(&cfg.Workers, DefaultWorkers)
	positiveOr(&cfg.PollInterval, DefaultPollInterval)
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = discardLogger()
	}
	return &Scheduler{cfg: cfg, log: log.With("component", "events.scheduler", "node", cfg.Node), wake: make(chan struct{}, 1)}, nil
}

// Notify makes a running Run start its next pass now.
func (s *Scheduler) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends, then returns nil. Run may be called once at a time per
// Scheduler.
func (s *Scheduler) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("scheduler: already running")
	}
	defer s.running.Store(false)
	return loop(ctx, s.cfg.PollInterval, 0, s.wake, s.log, func(ctx context.Context) (bool, bool, error) {
		st, err := s.Poll(ctx)
		return st.Claimed > 0, st.Claimed > 0, err
	})
}

// Poll makes one pass over every tenant, firing up to BatchSize due timers each.
func (s *Scheduler) Poll(ctx context.Context) (ScheduleStats, error) {
	tenants, err := s.cfg.Tenants(ctx)
	if err != nil {
		return ScheduleStats{}, fmt.Errorf("schedule: list tenants: %w", err)
	}
	var (
		total ScheduleStats
		mu    sync.Mutex
	)
	err = forTenants(ctx, tenants, s.cfg.Workers, func(ctx context.Context, tenant string) error {
		st, err := s.pollTenant(ctx, tenant)
		mu.Lock()
		total.Claimed += st.Claimed
		total.Fired += st.Fired
		total.Failed += st.Failed
		total.Parked += st.Parked
		total.Lost += st.Lost
		mu.Unlock()
		return err
	})
	return total, err
}

func (s *Scheduler) pollTenant(ctx context.Context, tenant string) (ScheduleStats, error) {
	var st ScheduleStats
	sc, err := s.cfg.Backend.Scope(tenant)
	if err != nil {
		return st, err
	}
	if err := s.ix.ensure(ctx, sc, TimersCollection, store.Index{Name: "timers_due", Fields: []string{fDue}}); err != nil {
		return st, err
	}
	now := millis(s.cfg.Clock())
	page, err := sc.Collection(TimersCollection).Find(ctx, store.Query{
		Filter: store.And(store.Lte(fDue, now), store.Lte(fLease, now)),
		Sort:   []store.Sort{{Field: fDue}},
		Limit:  s.cfg.BatchSize,
	})
	if err != nil {
		return st, fmt.Errorf("read timers: %w", err)
	}
	for _, doc := range page.Docs {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if err := s.fire(ctx, sc, doc, &st); err != nil {
			return st, fmt.Errorf("timer %s: %w", doc.ID, err)
		}
	}
	return st, nil
}

// errLostTimer rolls back a firing whose timer moved on under it.
var errLostTimer = errors.New("timer changed while firing")

// fire claims one due timer, runs its handler in the transaction that deletes it, and on
// failure reschedules it with backoff or parks it.
func (s *Scheduler) fire(ctx context.Context, sc store.Scope, doc *store.Doc, st *ScheduleStats) error {
	coll := sc.Collection(TimersCollection)
	t := timerOf(doc.ID, doc.Data)
	attempts := int(num(doc.Data[fAttempts])) + 1

	// Counting attempts at the claim makes a timer whose handler crashes the node
	// park after MaxAttempts takeovers instead of taking every node down in turn.
	claim := &store.Doc{ID: doc.ID, Version: doc.Version, Data: cloneData(doc.Data)}
	claim.Data[fOwner] = s.cfg.Node
	claim.Data[fLease] = millis(s.cfg.Clock().Add(s.cfg.Lease))
	claim.Data[fAttempts] = attempts
	if err := coll.Update(ctx, claim); err != nil {
		if lost(err) {
			return nil // another worker claimed it, or it was rescheduled or cancelled
		}
		return fmt.Errorf("claim: %w", err)
	}
	st.Claimed++
	if s.beforeFire != nil {
		if err := s.beforeFire(t); err != nil {
			return err
		}
	}

	var err error
	if h := s.cfg.Registry.timer(t.Handler); h == nil {
		err = fmt.Errorf("timer handler %q: %w", t.Handler, ErrNoHandler)
	} else {
		fctx, cancel := context.WithTimeout(ctx, s.cfg.Lease)
		err = sc.WithTx(fctx, func(ctx context.Context) error {
			f := &Firing{Scope: sc, Timer: t, Attempt: attempts, Node: s.cfg.Node}
			if err := recovered(func() error { return h.Fire(ctx, f) }); err != nil {
				return err
			}
			// Deleting the timer at the version this worker claimed is the record that
			// it fired: if it was rescheduled, cancelled or taken over meanwhile, the
			// delete fails and the handler's effects roll back with it.
			if err := coll.Delete(ctx, t.Key, claim.Version); err != nil {
				if lost(err) {
					return errLostTimer
				}
				return err
			}
			return nil
		})
		cancel()
	}
	switch {
	case err == nil:
		st.Fired++
		return nil
	case errors.Is(err, errLostTimer):
		st.Lost++
		return nil
	case ctx.Err() != nil:
		return ctx.Err() // shutting down: the lease runs out and another pass fires it
	}

	log := s.log.With("tenant", sc.Tenant(), "timer", t.Key, "handler", t.Handler, "attempt", attempts)
	if attempts >= s.cfg.MaxAttempts {
		dl := &DeadLetter{ID: "timer~" + t.Key, Kind: KindTimer, Handler: t.Handler, Timer: &t,
			Attempts: attempts, Error: errorText(err), ParkedAt: s.cfg.Clock()}
		perr := sc.WithTx(ctx, func(ctx context.Context) error {
			// Parked before it is deleted: without transactions a crash in between
			// leaves the timer to be parked again (same id), rather than lost.
			if err := park(ctx, sc, dl); err != nil {
				return err
			}
			return coll.Delete(ctx, t.Key, claim.Version)
		})
		if lost(perr) {
			st.Lost++
			return nil
		}
		if perr != nil {
			return fmt.Errorf("park: %w", perr)
		}
		st.Parked++
		log.Error("timer parked", "error", err)
		return nil
	}
	claim.Data[fDue] = millis(s.cfg.Clock().Add(s.cfg.Backoff(attempts)))
	claim.Data[fLease] = int64(0)
	claim.Data[fError] = errorText(err)
	delete(claim.Data, fOwner)
	if uerr := coll.Update(ctx, claim); uerr != nil {
		if lost(uerr) {
			st.Lost++
			return nil
		}
		return fmt.Errorf("reschedule after failure: %w", uerr)
	}
	st.Failed++
	log.Warn("timer failed", "error", err)
	return nil
}
