package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// On SQLite every commit takes the single writer and writes the pages it touched to the
// WAL, so the cost of delivering an event was its commits: a claim, one per handler and
// a removal. On engines with transactions a chunk of DeliverBatch events now costs two:
//
//  1. one transaction claims them all (version-checked updates, as one claim did);
//  2. one transaction delivers the events claimed for the first time, every handler of
//     each, and removes each event at the version this dispatcher claimed. The removal
//     is the record of the delivery, as a fired timer's delete is: if the lease ran out
//     and another dispatcher took the event meanwhile, the removal fails and the
//     handlers' effects roll back with it. No marker is written, since effect and
//     removal commit together; markers an earlier delivery left (a requeued event) are
//     honoured and removed.
//
// A failure in that transaction (a handler's error or panic, a lost event, a store
// error) rolls the whole batch back, and the events of the batch are then served one by
// one (serve), each handler in a transaction of its own with its marker, so one failing
// handler holds back nothing but its own event; the failed call counts as that
// handler's attempt rather than being made again. Events claimed before (retries, or
// events whose dispatcher died) are claimed and served one at a time: an event that
// crashes its dispatcher takes a batch down with it once, and its later claims count
// against itself alone, so it is parked and its neighbours are not.

// DefaultDeliverBatch is the default DispatcherConfig.DeliverBatch.
const DefaultDeliverBatch = 32

// batchBudget bounds how long one delivery transaction runs before it commits what it
// has done, so the SQLite writer is not held from the API's writes for long.
const batchBudget = 50 * time.Millisecond

// transactional reports whether b's WithTx rolls back (a MongoDB backend says whether
// the deployment has transactions; SQLite always has them).
func transactional(b store.Backend) bool {
	if tb, ok := b.(interface{ Transactions() bool }); ok {
		return tb.Transactions()
	}
	return true
}

// claimed is an event this dispatcher holds the lease of.
type claimed struct {
	ev Event
	hs []namedHandler
	// doc is the event as claimed: its Version is the claim's.
	doc    *store.Doc
	claims int64
	states map[string]*handlerState
	// sifted holds the answers of the handlers whose Sift was asked about this event.
	sifted map[string]Sifted
}

// handlerFailure is a handler's failure in a batch that was rolled back.
type handlerFailure struct {
	event   string
	handler string
	err     error
}

func (f *handlerFailure) Error() string {
	return fmt.Sprintf("event %s: handler %s: %v", f.event, f.handler, f.err)
}

func (f *handlerFailure) Unwrap() error { return f.err }

// hookError is the test hook's error, which ends the pass like a crash.
type hookError struct{ err error }

func (e hookError) Error() string { return e.err.Error() }
func (e hookError) Unwrap() error { return e.err }

// dispatch claims the due events docs (DeliverBatch of them at most) and delivers them.
// Events never claimed before are claimed together and delivered in batches; the others
// are claimed and served one at a time, as on engines without transactions, so an
// event that keeps crashing its dispatcher counts claims against itself alone.
func (d *Dispatcher) dispatch(ctx context.Context, sc store.Scope, docs []*store.Doc, st *DispatchStats) error {
	var fresh, seen []*store.Doc
	for _, doc := range docs {
		if d.batched && num(doc.Data[fClaims]) == 0 {
			fresh = append(fresh, doc)
		} else {
			seen = append(seen, doc)
		}
	}
	if len(fresh) > 0 {
		if err := d.dispatchFresh(ctx, sc, fresh, st); err != nil {
			return err
		}
	}
	for _, doc := range seen {
		if err := ctx.Err(); err != nil {
			return err
		}
		cs, err := d.claim(ctx, sc, []*store.Doc{doc}, st)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := d.serve(ctx, sc, c, nil, st); err != nil {
				return fmt.Errorf("event %s: %w", c.ev.ID, err)
			}
		}
	}
	return nil
}

// dispatchFresh claims docs in one transaction and delivers them in batches; should a
// batch fail, its events are served one by one.
func (d *Dispatcher) dispatchFresh(ctx context.Context, sc store.Scope, docs []*store.Doc, st *DispatchStats) error {
	cs, err := d.claim(ctx, sc, docs, st)
	if err != nil {
		return err
	}
	var batch []*claimed
	now := millis(d.cfg.Clock())
	for _, c := range cs {
		if waiting(c, now) { // requeued for one handler while another waits out its backoff
			if err := d.serve(ctx, sc, c, nil, st); err != nil {
				return fmt.Errorf("event %s: %w", c.ev.ID, err)
			}
			continue
		}
		batch = append(batch, c)
	}
	d.sift(ctx, sc, batch)
	for len(batch) > 0 {
		n, failure, err := d.deliverBatch(ctx, sc, batch, st)
		if err != nil {
			return err
		}
		if failure == nil {
			batch = batch[n:]
			continue
		}
		d.log.Warn("event batch rolled back, serving its events one by one", "tenant", sc.Tenant(), "events", len(batch), "error", failure)
		var f *handlerFailure
		errors.As(failure, &f)
		for _, c := range batch {
			var failed *handlerFailure
			if f != nil && f.event == c.ev.ID {
				failed = f
			}
			if err := d.serve(ctx, sc, c, failed, st); err != nil {
				return fmt.Errorf("event %s: %w", c.ev.ID, err)
			}
		}
		return nil
	}
	return nil
}

// sift asks each handler that is a Sifter, once for all the events of cs it is to be
// called for, which of them it would do nothing for, and keeps the answers. Only events
// no handler was served yet are asked about: they can have no delivery marker, which
// deliverBatch would otherwise look for and remove.
func (d *Dispatcher) sift(ctx context.Context, sc store.Scope, cs []*claimed) {
	type asking struct {
		name string
		s    Sifter
		cs   []*claimed
	}
	var asks []*asking
	at := map[string]*asking{} // by handler name and event type: a name may serve several types
	for _, c := range cs {
		if len(c.states) > 0 {
			continue
		}
		for _, h := range c.hs {
			s, ok := h.h.(Sifter)
			if !ok {
				continue
			}
			k := h.name + "\x00" + c.ev.Type
			a := at[k]
			if a == nil {
				a = &asking{name: h.name, s: s}
				at[k] = a
				asks = append(asks, a)
			}
			a.cs = append(a.cs, c)
		}
	}
	for _, a := range asks {
		evs := make([]Event, len(a.cs))
		for i, c := range a.cs {
			evs[i] = c.ev
		}
		var answers []Sifted
		err := recovered(func() error {
			ctx, cancel := context.WithTimeout(ctx, d.cfg.HandlerTimeout)
			defer cancel()
			var err error
			answers, err = a.s.Sift(ctx, sc, evs)
			return err
		})
		if err == nil && len(answers) != len(evs) {
			err = fmt.Errorf("sift answered for %d events of %d", len(answers), len(evs))
		}
		if err != nil {
			d.log.Warn("sift failed, delivering every event", "tenant", sc.Tenant(), "handler", a.name, "error", err)
			continue
		}
		for i, c := range a.cs {
			if c.sifted == nil {
				c.sifted = map[string]Sifted{}
			}
			c.sifted[a.name] = answers[i]
		}
	}
}

// waiting reports whether a handler of c waits out a backoff: such an event is not
// finished in one go.
func waiting(c *claimed, now int64) bool {
	for _, h := range c.hs {
		if s := c.states[h.name]; s != nil && !s.Done && !s.Parked && s.Next > now {
			return true
		}
	}
	return false
}

// claim leases docs to this dispatcher, in one transaction on engines that have them.
// The claim is a version-checked update: of dispatchers that read the same version
// exactly one moves it on, the others get ErrConflict and leave the event alone. Events
// no handler is subscribed to are removed (version-checked too: a requeue may have just
// given one a handler). st counts both.
func (d *Dispatcher) claim(ctx context.Context, sc store.Scope, docs []*store.Doc, st *DispatchStats) ([]*claimed, error) {
	outbox := sc.Collection(OutboxCollection)
	now := d.cfg.Clock()
	var (
		cs      []*claimed
		dropped int
	)
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		cs, dropped = cs[:0], 0 // the engine may run fn again
		for _, doc := range docs {
			ev := eventOf(doc.ID, doc.Data)
			hs := targets(d.cfg.Registry, ev, doc.Data)
			if len(hs) == 0 {
				if err := outbox.Delete(ctx, doc.ID, doc.Version); err != nil && !lost(err) {
					return fmt.Errorf("event %s: drop: %w", doc.ID, err)
				}
				dropped++
				continue
			}
			c := &store.Doc{ID: doc.ID, Version: doc.Version, Data: cloneData(doc.Data)}
			c.Data[fOwner] = d.cfg.Node
			c.Data[fLease] = millis(now.Add(d.cfg.Lease + d.cfg.HandlerTimeout*time.Duration(len(hs))))
			claims := num(doc.Data[fClaims]) + 1
			c.Data[fClaims] = claims
			if err := outbox.Update(ctx, c); err != nil {
				if lost(err) {
					continue
				}
				return fmt.Errorf("event %s: claim: %w", doc.ID, err)
			}
			cs = append(cs, &claimed{ev: ev, hs: hs, doc: c, claims: claims, states: statesOf(doc.Data[fHandlers])})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.Events += len(cs)
	st.Dropped += dropped
	return cs, nil
}

// deliverBatch delivers cs, from the first, in one transaction that removes each event
// once its handlers are served, until all are done or batchBudget is spent; n is how
// many were. A failure in the transaction rolls it all back and is returned as failure
// (a *handlerFailure when a handler failed); err is returned only for what ends the
// pass (shutdown, the test hook).
func (d *Dispatcher) deliverBatch(ctx context.Context, sc store.Scope, cs []*claimed, st *DispatchStats) (n int, failure, err error) {
	outbox, done := sc.Collection(OutboxCollection), sc.Collection(DoneCollection)
	var got DispatchStats
	txErr := sc.WithTx(ctx, func(ctx context.Context) error {
		n, got = 0, DispatchStats{} // the engine may run fn again
		start := time.Now()         // not before: the wait for the writer does not count
		for _, c := range cs {
			if n > 0 && time.Since(start) > batchBudget {
				break
			}
			var markers []string
			for _, h := range c.hs {
				id := markerID(c.ev.ID, h.name)
				if s := c.states[h.name]; s != nil && (s.Done || s.Parked) {
					markers = append(markers, id)
					continue
				}
				sifted, asked := c.sifted[h.name]
				if asked && !sifted.Keep { // never served, so no marker to look for
					got.Delivered++
					got.Sifted++
					continue
				}
				if _, err := done.Get(ctx, id); err == nil {
					markers = append(markers, id) // delivered by an attempt that crashed before its release
					continue
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				attempt := 1
				if s := c.states[h.name]; s != nil {
					attempt = s.Attempts + 1
				}
				if err := d.call(ctx, sc, c.ev, h, attempt, sifted.Note); err != nil {
					return &handlerFailure{event: c.ev.ID, handler: h.name, err: err}
				}
				got.Delivered++
			}
			if d.beforeFinish != nil {
				if err := d.beforeFinish(c.ev); err != nil {
					return hookError{err}
				}
			}
			if err := outbox.Delete(ctx, c.ev.ID, c.doc.Version); err != nil {
				return fmt.Errorf("event %s: finish: %w", c.ev.ID, err)
			}
			for _, id := range markers {
				if err := ignoreNotFound(done.Delete(ctx, id, 0)); err != nil {
					return err
				}
			}
			got.Finished++
			n++
		}
		return nil
	})
	var hook hookError
	switch {
	case txErr == nil:
		st.add(got)
		return n, nil, nil
	case errors.As(txErr, &hook):
		return 0, nil, hook.err
	case ctx.Err() != nil:
		return 0, nil, ctx.Err() // shutting down: the claims run out and another pass delivers them
	}
	return 0, txErr, nil
}

// call runs one handler with its timeout, a panic turned into its error.
func (d *Dispatcher) call(ctx context.Context, sc store.Scope, ev Event, h namedHandler, attempt int, note any) error {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.HandlerTimeout)
	defer cancel()
	dl := &Delivery{Scope: sc, Event: ev, Handler: h.name, Attempt: attempt, Note: note}
	return recovered(func() error { return h.h.Handle(ctx, dl) })
}
