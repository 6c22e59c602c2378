package events

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/credolabs/credo/store"
)

// Delivery is one event handed to one handler.
type Delivery struct {
	// Scope is the event's tenant. Write the handler's effects through it with the ctx
	// the handler was given: they commit or roll back with the delivery's marker.
	Scope store.Scope
	// Event is the event delivered.
	Event Event
	// Handler is the name the handler was registered under.
	Handler string
	// Attempt is 1 on the first delivery and grows with each retry.
	Attempt int
	// Note is what the handler's Sift left for the event (see Sifter); nil when it was
	// not sifted.
	Note any
}

// Handler applies an event's effect. The ctx carries the store transaction in which the
// delivery is recorded; on engines without transactions the effect is written before the
// record, so a crash between the two repeats it (see the package documentation). The
// transaction may be shared with the deliveries of other events: a handler's error rolls
// theirs back too, and they are made again, so what a handler does outside the store
// (a call to a plugin) may be repeated even when it succeeded.
type Handler interface {
	Handle(ctx context.Context, d *Delivery) error
}

// A Sifter is a Handler that can tell ahead, for many events at once, those it would do
// nothing for. Sift runs before the delivery transaction and outside it, on committed
// data: on SQLite that is off the single writer, beside the API's writes, where Handle
// would hold the writer while it reads and decides. An event Sift passes over is
// delivered to the handler without a call, as if Handle had been called and done
// nothing; one it keeps is delivered as usual, with the note Sift left for it in
// Delivery.Note, and Handle decides on the data as it is then (it may reuse the note
// once it has checked that what Sift read is unchanged). Sift decides and must not act.
// It is consulted, once per batch, for the events no handler was served yet; an error
// (or a panic) keeps them all, without notes. A writer may also ask it before its
// transaction, through Registry.PassedOver, with an event's data in full (what it is
// about to write): Sift then judges on that data.
type Sifter interface {
	Handler
	// Sift answers, for each of evs in order, whether Handle must be called for it.
	Sift(ctx context.Context, sc store.Scope, evs []Event) ([]Sifted, error)
}

// Sifted is a Sifter's answer for one event.
type Sifted struct {
	// Keep says Handle must be called for the event.
	Keep bool
	// Note is handed to Handle in Delivery.Note when it is.
	Note any
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, d *Delivery) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, d *Delivery) error { return f(ctx, d) }

// Firing is one timer handed to its handler.
type Firing struct {
	// Scope is the timer's tenant; write effects through it with the handler's ctx.
	Scope store.Scope
	// Timer is the timer that is due.
	Timer Timer
	// Attempt is 1 on the first firing and grows with each retry or lease takeover.
	Attempt int
	// Node is the worker that holds the timer's lease.
	Node string
}

// TimerHandler applies a timer's effect inside the transaction that deletes the timer.
type TimerHandler interface {
	Fire(ctx context.Context, f *Firing) error
}

// TimerFunc adapts a function to TimerHandler.
type TimerFunc func(ctx context.Context, f *Firing) error

// Fire calls fn.
func (fn TimerFunc) Fire(ctx context.Context, f *Firing) error { return fn(ctx, f) }

// Registry is the explicit list of event and timer handlers a node runs. Build one at
// startup, register everything, then hand it to a Dispatcher and a Scheduler; tests build
// their own with only what they need. Every node sharing a store should register the
// same handlers: an event whose type nobody subscribed to is dropped.
type Registry struct {
	mu     sync.RWMutex
	events map[string][]namedHandler
	timers map[string]TimerHandler
}

type namedHandler struct {
	name string
	h    Handler
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{events: map[string][]namedHandler{}, timers: map[string]TimerHandler{}}
}

// Subscribe registers h under name for events of eventType. A name is registered once
// per event type: the name identifies the delivery record, so a second registration
// would share (and skip) the first one's deliveries.
func (r *Registry) Subscribe(eventType, name string, h Handler) error {
	if !ValidType(eventType) {
		return fmt.Errorf("subscribe %q: event type: %w", eventType, ErrInvalid)
	}
	if !ValidName(name) || h == nil {
		return fmt.Errorf("subscribe %s: handler name %q: %w", eventType, name, ErrInvalid)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.events[eventType] {
		if n.name == name {
			return fmt.Errorf("subscribe %s: handler %q: %w", eventType, name, ErrDuplicate)
		}
	}
	hs := append(r.events[eventType], namedHandler{name: name, h: h})
	sort.Slice(hs, func(i, j int) bool { return hs[i].name < hs[j].name })
	r.events[eventType] = hs
	return nil
}

// HandleTimers registers h as the timer handler called name.
func (r *Registry) HandleTimers(name string, h TimerHandler) error {
	if !ValidName(name) || h == nil {
		return fmt.Errorf("register timer handler %q: %w", name, ErrInvalid)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.timers[name]; ok {
		return fmt.Errorf("register timer handler %q: %w", name, ErrDuplicate)
	}
	r.timers[name] = h
	return nil
}

// PassedOver answers, for each of evs in order, whether every handler would pass it
// over: its type has handlers, each of them a Sifter, and each Sift leaves it. A writer
// asks before its transaction, with each event's data in full, and does not write the
// events passed over: that saves each its outbox insert, claim and removal, and the
// sifter a read of what the writer holds. It is as good a moment to judge as the
// delivery (see Sifter). Each Sifter is asked once for all of evs of a type; its error
// or panic answers false for them, as does a handler that is no Sifter.
func (r *Registry) PassedOver(ctx context.Context, sc store.Scope, evs []Event) []bool {
	out := make([]bool, len(evs))
	byType := map[string][]int{}
	for i, ev := range evs {
		byType[ev.Type] = append(byType[ev.Type], i)
	}
	for typ, at := range byType {
		hs := r.handlers(typ)
		if len(hs) == 0 {
			continue // the dispatcher drops it; written, a handler added meanwhile hears it
		}
		passed := make([]bool, len(at))
		for i := range passed {
			passed[i] = true
		}
		asked := make([]Event, len(at))
		for i, j := range at {
			asked[i] = evs[j]
		}
		for _, h := range hs {
			s, ok := h.h.(Sifter)
			if !ok {
				clear(passed)
				break
			}
			var answers []Sifted
			err := recovered(func() error {
				var err error
				answers, err = s.Sift(ctx, sc, asked)
				return err
			})
			if err != nil || len(answers) != len(asked) {
				clear(passed)
				break
			}
			for i, a := range answers {
				passed[i] = passed[i] && !a.Keep
			}
		}
		for i, j := range at {
			out[j] = passed[i]
		}
	}
	return out
}

// Subscribed reports whether some handler listens to events of eventType: a writer may
// leave out an event no one does, which a dispatcher would only drop.
func (r *Registry) Subscribed(eventType string) bool { return len(r.handlers(eventType)) > 0 }

// handlers returns the handlers of eventType, sorted by name.
func (r *Registry) handlers(eventType string) []namedHandler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.events[eventType]
}

func (r *Registry) timer(name string) TimerHandler {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.timers[name]
}
