package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/store"
)

// DispatcherConfig configures a Dispatcher. Zero values mean the documented defaults.
type DispatcherConfig struct {
	// Backend is the store holding the tenants' outboxes.
	Backend store.Backend
	// Tenants lists the tenants to poll (required).
	Tenants TenantsFunc
	// Registry holds the event handlers (required).
	Registry *Registry
	// Node names this dispatcher in the leases it takes; empty means host-pid-random.
	Node string
	// Lease is how long a claimed event is kept from other dispatchers, on top of
	// HandlerTimeout per handler; a dispatcher that dies leaves its events to others
	// once it runs out. Default DefaultLease.
	Lease time.Duration
	// HandlerTimeout bounds one handler call. Default DefaultHandlerTimeout.
	HandlerTimeout time.Duration
	// MaxAttempts is how many failed deliveries of an event to one handler park it as a
	// dead letter. Default DefaultMaxAttempts.
	MaxAttempts int
	// Backoff is the wait before the next delivery after n failures. Default DefaultBackoff.
	Backoff func(failures int) time.Duration
	// BatchSize is how many due events a pass reads per tenant. Default DefaultBatchSize.
	BatchSize int
	// DeliverBatch is, on engines with transactions, how many events are claimed in one
	// write and then delivered, every handler of each, in one transaction that also
	// removes them. Default DefaultDeliverBatch; 1 still delivers each event in one
	// transaction. Engines without transactions claim and deliver one event at a time.
	DeliverBatch int
	// Workers is how many tenants a pass serves at once. Default DefaultWorkers.
	Workers int
	// PollInterval is the pause after a pass that found nothing. Default DefaultPollInterval.
	PollInterval time.Duration
	// Clock gives the time for leases, backoff and due dates. Default time.Now.
	Clock func() time.Time
	// Logger receives failures and parked deliveries. Default: discarded.
	Logger *slog.Logger
}

// DispatchStats counts what a pass did.
type DispatchStats struct {
	// Events is how many events the pass claimed.
	Events int
	// Delivered is how many (event, handler) deliveries were applied.
	Delivered int
	// Sifted is how many of Delivered a Sifter passed over, with no call.
	Sifted int
	// Failed is how many deliveries failed and wait for a retry.
	Failed int
	// Parked is how many deliveries failed for the last time and became dead letters.
	Parked int
	// Dropped is how many events had no subscribed handler.
	Dropped int
	// Finished is how many events were removed from the outbox, every handler served.
	Finished int
}

func (s *DispatchStats) add(o DispatchStats) {
	s.Events += o.Events
	s.Delivered += o.Delivered
	s.Sifted += o.Sifted
	s.Failed += o.Failed
	s.Parked += o.Parked
	s.Dropped += o.Dropped
	s.Finished += o.Finished
}

// Dispatcher delivers the events of every tenant's outbox to the registered handlers,
// at least once each, and records each delivery so its effect is applied once.
type Dispatcher struct {
	cfg  DispatcherConfig
	log  *slog.Logger
	ix   indexes
	wake chan struct{}

	// batched: the engine has transactions, so events are claimed and delivered in
	// batches (batch.go). Tests clear it to take the path of engines without.
	batched bool
	// beforeFinish, when set (tests), runs after the handlers and before the event is
	// removed or its state written (inside the transaction of a batch); an error ends
	// the pass there, like a crash.
	beforeFinish func(ev Event) error
	running      atomic.Bool
	lastCompact  atomic.Int64 // unix ms of the last sweep
}

// NewDispatcher checks cfg and returns a Dispatcher.
func NewDispatcher(cfg DispatcherConfig) (*Dispatcher, error) {
	if cfg.Backend == nil || cfg.Tenants == nil || cfg.Registry == nil {
		return nil, fmt.Errorf("new dispatcher: backend, tenants and registry are required: %w", ErrInvalid)
	}
	if cfg.Node == "" {
		cfg.Node = defaultNode()
	}
	positiveOr(&cfg.Lease, DefaultLease)
	positiveOr(&cfg.HandlerTimeout, DefaultHandlerTimeout)
	positiveOr(&cfg.MaxAttempts, DefaultMaxAttempts)
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	positiveOr(&cfg.BatchSize, DefaultBatchSize)
	cfg.BatchSize = min(cfg.BatchSize, store.MaxLimit)
	positiveOr(&cfg.DeliverBatch, DefaultDeliverBatch)
	positiveOr(&cfg.Workers, DefaultWorkers)
	positiveOr(&cfg.PollInterval, DefaultPollInterval)
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = discardLogger()
	}
	return &Dispatcher{cfg: cfg, log: log.With("component", "events.dispatcher", "node", cfg.Node), wake: make(chan struct{}, 1),
		batched: transactional(cfg.Backend)}, nil
}

// gatherEvents is how long a pass woken by Notify, or following one that found events but
// left none due, waits for more: at 1,000 creates a second it delivers a few events a pass
// rather than one, each pass being a claim and a delivery commit. Rules react that much
// later.
const gatherEvents = 2 * time.Millisecond

// Notify makes a running Run start its next pass soon (an event was just emitted here).
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends, then returns nil. Failures of a pass are logged and the
// next pass runs after PollInterval. Run may be called once at a time per Dispatcher.
func (d *Dispatcher) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return errors.New("dispatcher: already running")
	}
	defer d.running.Store(false)
	return loop(ctx, d.cfg.PollInterval, gatherEvents, d.wake, d.log, func(ctx context.Context) (bool, bool, error) {
		st, err := d.Poll(ctx)
		return st.Events > 0, st.Events >= d.cfg.BatchSize, err
	})
}

// Poll makes one pass over every tenant: it claims up to BatchSize due events per tenant
// and delivers them. The error joins the failures of the tenants that could not be
// served; handler failures are not errors of the pass but counted (and retried).
func (d *Dispatcher) Poll(ctx context.Context) (DispatchStats, error) {
	tenants, err := d.cfg.Tenants(ctx)
	if err != nil {
		return DispatchStats{}, fmt.Errorf("dispatch: list tenants: %w", err)
	}
	var (
		total DispatchStats
		mu    sync.Mutex
	)
	err = forTenants(ctx, tenants, d.cfg.Workers, func(ctx context.Context, tenant string) error {
		st, err := d.pollTenant(ctx, tenant)
		mu.Lock()
		total.add(st)
		mu.Unlock()
		return err
	})
	d.maybeCompact(ctx, tenants)
	return total, err
}

func (d *Dispatcher) pollTenant(ctx context.Context, tenant string) (DispatchStats, error) {
	var st DispatchStats
	sc, err := d.cfg.Backend.Scope(tenant)
	if err != nil {
		return st, err
	}
	if err := d.ix.ensure(ctx, sc, OutboxCollection, store.Index{Name: "outbox_due", Fields: []string{fDue}}); err != nil {
		return st, err
	}
	now := millis(d.cfg.Clock())
	page, err := sc.Collection(OutboxCollection).Find(ctx, store.Query{
		Filter: store.And(store.Lte(fDue, now), store.Lte(fLease, now)),
		Sort:   []store.Sort{{Field: fDue}},
		Limit:  d.cfg.BatchSize,
	})
	if err != nil {
		return st, fmt.Errorf("read outbox: %w", err)
	}
	chunk := 1
	if d.batched {
		chunk = d.cfg.DeliverBatch
	}
	for docs := page.Docs; len(docs) > 0; {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		n := min(chunk, len(docs))
		if err := d.dispatch(ctx, sc, docs[:n], &st); err != nil {
			return st, err
		}
		docs = docs[n:]
	}
	return st, nil
}

// handlerState is one handler's delivery state, kept on the event while it is retried.
type handlerState struct {
	Attempts int
	Next     int64 // unix ms: not before
	Error    string
	Done     bool
	Parked   bool
}

func statesOf(v any) map[string]*handlerState {
	out := map[string]*handlerState{}
	m, _ := v.(map[string]any)
	for name, raw := range m {
		s, _ := raw.(map[string]any)
		hs := &handlerState{Attempts: int(num(s["attempts"])), Next: num(s["next"])}
		hs.Error, _ = s["error"].(string)
		hs.Done, _ = s["done"].(bool)
		hs.Parked, _ = s["parked"].(bool)
		out[name] = hs
	}
	return out
}

func statesData(states map[string]*handlerState) map[string]any {
	out := make(map[string]any, len(states))
	for name, s := range states {
		m := map[string]any{"attempts": s.Attempts, "next": s.Next}
		if s.Error != "" {
			m["error"] = s.Error
		}
		if s.Done {
			m["done"] = true
		}
		if s.Parked {
			m["parked"] = true
		}
		out[name] = m
	}
	return out
}

// targets are the handlers an event goes to: its type's subscribers, narrowed to the
// requeued ones for an event put back from the dead letters.
func targets(reg *Registry, ev Event, data map[string]any) []namedHandler {
	hs := reg.handlers(ev.Type)
	only, ok := data[fOnly].([]any)
	if !ok {
		return hs
	}
	var out []namedHandler
	for _, h := range hs {
		if slices.Contains(only, any(h.name)) {
			out = append(out, h)
		}
	}
	return out
}

// serve delivers a claimed event to each handler not yet served and due, each in a
// transaction of its own that records the delivery with a marker, and then removes the
// event, or writes back the handlers' retry state and releases the claim. This is the
// path of engines without transactions, of retries, and of a batch that failed.
// failed, when set, is the outcome of this claim's attempt for one handler, made in a
// batch that was rolled back: it counts as that handler's attempt.
func (d *Dispatcher) serve(ctx context.Context, sc store.Scope, c *claimed, failed *handlerFailure, st *DispatchStats) error {
	outbox := sc.Collection(OutboxCollection)
	ev, hs := c.ev, c.hs
	now := d.cfg.Clock()
	if err := d.renew(ctx, sc, c, now); err != nil {
		if lost(err) {
			return nil // the lease ran out and another dispatcher has it now
		}
		return fmt.Errorf("renew claim: %w", err)
	}

	// Every claim but a crashed one makes at least one delivery attempt, so more claims
	// than attempts allowed means the event keeps taking its dispatcher down: park it
	// rather than crash every node in turn.
	poison := c.claims > int64(d.cfg.MaxAttempts*len(hs))
	states := c.states
	pending := false
	var next int64
	for _, h := range hs {
		s := states[h.name]
		if s == nil {
			s = &handlerState{}
			states[h.name] = s
		}
		if s.Done || s.Parked {
			continue
		}
		if poison {
			s.Error = fmt.Sprintf("claimed %d times without completing: the dispatcher crashed or timed out delivering it", c.claims)
			if err := park(ctx, sc, deadEvent(ev, h.name, s, d.cfg.Clock())); err != nil {
				return err
			}
			s.Parked = true
			st.Parked++
			d.log.Error("event parked", "tenant", sc.Tenant(), "event_id", ev.ID, "handler", h.name, "error", s.Error)
			continue
		}
		if s.Next > millis(now) {
			pending, next = true, earliest(next, s.Next)
			continue
		}
		var (
			applied bool
			err     error
		)
		if failed != nil && failed.handler == h.name {
			err = failed.err
		} else {
			applied, err = d.deliver(ctx, sc, ev, h, s.Attempts+1)
		}
		if err == nil {
			s.Done, s.Error = true, ""
			if applied {
				st.Delivered++
			}
			continue
		}
		if ctx.Err() != nil {
			// Shutting down: the claim runs out and another pass delivers it.
			return ctx.Err()
		}
		s.Attempts++
		s.Error = errorText(err)
		log := d.log.With("tenant", sc.Tenant(), "event_id", ev.ID, "event_type", ev.Type, "handler", h.name, "attempt", s.Attempts)
		if s.Attempts >= d.cfg.MaxAttempts {
			if err := park(ctx, sc, deadEvent(ev, h.name, s, d.cfg.Clock())); err != nil {
				return err
			}
			s.Parked = true
			st.Parked++
			log.Error("event delivery parked", "error", err)
			continue
		}
		s.Next = millis(d.cfg.Clock().Add(d.cfg.Backoff(s.Attempts)))
		pending, next = true, earliest(next, s.Next)
		st.Failed++
		log.Warn("event delivery failed", "error", err)
	}

	if d.beforeFinish != nil {
		if err := d.beforeFinish(ev); err != nil {
			return err
		}
	}
	if !pending {
		err := sc.WithTx(ctx, func(ctx context.Context) error {
			// The event goes first: a marker left behind by a crash on an engine
			// without transactions is swept by Compact, never trusted without it.
			if err := outbox.Delete(ctx, ev.ID, c.doc.Version); err != nil {
				return err
			}
			done := sc.Collection(DoneCollection)
			for _, h := range hs {
				if err := ignoreNotFound(done.Delete(ctx, markerID(ev.ID, h.name), 0)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && !lost(err) {
			return fmt.Errorf("finish: %w", err)
		}
		if err == nil {
			st.Finished++
		}
		return nil
	}
	claim := c.doc
	claim.Data[fHandlers] = statesData(states)
	claim.Data[fDue] = next
	claim.Data[fLease] = int64(0)
	delete(claim.Data, fOwner)
	if err := outbox.Update(ctx, claim); err != nil && !lost(err) {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// renew extends the claim of an event that waited for its turn in a chunk so long that
// its handlers might outlast the lease (slow handlers before it).
func (d *Dispatcher) renew(ctx context.Context, sc store.Scope, c *claimed, now time.Time) error {
	need := d.cfg.HandlerTimeout * time.Duration(len(c.hs))
	if millis(now.Add(need)) < num(c.doc.Data[fLease]) {
		return nil
	}
	c.doc.Data[fLease] = millis(now.Add(d.cfg.Lease + need))
	return sc.Collection(OutboxCollection).Update(ctx, c.doc)
}

func earliest(cur, t int64) int64 {
	if cur == 0 || t < cur {
		return t
	}
	return cur
}

// lost reports whether a version-checked write found the document moved on or gone:
// another worker (or a requeue, or a reschedule) has it now.
func lost(err error) bool {
	return errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound)
}

func markerID(eventID, handler string) string { return eventID + "~" + handler }

// errAlreadyDone rolls back a delivery that another dispatcher recorded first.
var errAlreadyDone = errors.New("delivery already recorded")

// deliver runs one handler in a transaction that also records the delivery. applied is
// false when the delivery had already been recorded (by an earlier attempt that crashed
// before removing the event, or by another dispatcher), and the handler was not applied.
func (d *Dispatcher) deliver(ctx context.Context, sc store.Scope, ev Event, h namedHandler, attempt int) (applied bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.HandlerTimeout)
	defer cancel()
	done := sc.Collection(DoneCollection)
	id := markerID(ev.ID, h.name)
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		applied = false // the engine may run fn again
		if _, err := done.Get(ctx, id); err == nil {
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		dl := &Delivery{Scope: sc, Event: ev, Handler: h.name, Attempt: attempt}
		if err := recovered(func() error { return h.h.Handle(ctx, dl) }); err != nil {
			return err
		}
		// The marker is written after the effect: on an engine without transactions a
		// crash in between repeats the effect rather than losing it.
		err := done.Insert(ctx, &store.Doc{ID: id, Data: map[string]any{fEvent: ev.ID, "handler": h.name, fAt: millis(d.cfg.Clock())}})
		if errors.Is(err, store.ErrDuplicate) {
			return errAlreadyDone
		}
		if err != nil {
			return err
		}
		applied = true
		return nil
	})
	if errors.Is(err, errAlreadyDone) {
		return false, nil
	}
	return applied, err
}

// CompactGrace is how old a delivery marker must be before Compact looks at it.
const CompactGrace = 10 * time.Minute

// Compact removes up to limit delivery markers of tenant older than CompactGrace whose
// event is gone. They are left behind only by a crash between removing an event and its
// markers on an engine without transactions, or by a handler that was unregistered; Run
// calls it now and then.
func (d *Dispatcher) Compact(ctx context.Context, tenant string, limit int) (int, error) {
	sc, err := d.cfg.Backend.Scope(tenant)
	if err != nil {
		return 0, err
	}
	done, outbox := sc.Collection(DoneCollection), sc.Collection(OutboxCollection)
	page, err := done.Find(ctx, store.Query{
		Filter: store.Lt(fAt, millis(d.cfg.Clock().Add(-CompactGrace))),
		Limit:  min(max(limit, 1), store.MaxLimit),
		Fields: []string{fEvent},
	})
	if err != nil {
		return 0, fmt.Errorf("compact markers: %w", err)
	}
	n := 0
	for _, m := range page.Docs {
		evID, _ := m.Data[fEvent].(string)
		if _, err := outbox.Get(ctx, evID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return n, fmt.Errorf("compact markers: %w", err)
		}
		if err := ignoreNotFound(done.Delete(ctx, m.ID, m.Version)); err != nil && !errors.Is(err, store.ErrConflict) {
			return n, fmt.Errorf("compact markers: %w", err)
		}
		n++
	}
	return n, nil
}

// maybeCompact sweeps every tenant's stray markers once per CompactGrace. A failure is
// logged: the markers are harmless, and the next sweep tries again.
func (d *Dispatcher) maybeCompact(ctx context.Context, tenants []string) {
	now := millis(d.cfg.Clock())
	last := d.lastCompact.Load()
	if now-last < CompactGrace.Milliseconds() || !d.lastCompact.CompareAndSwap(last, now) {
		return
	}
	for _, t := range tenants {
		if n, err := d.Compact(ctx, t, 100); err != nil {
			d.log.Warn("compact delivery markers", "tenant", t, "error", err)
		} else if n > 0 {
			d.log.Info("removed stray delivery markers", "tenant", t, "count", n)
		}
	}
}
