package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Kinds of dead letter.
const (
	KindEvent = "event"
	KindTimer = "timer"
)

// DeadLetter is a delivery or a timer that failed MaxAttempts times and was set aside
// with its last error. It stays until it is requeued or discarded.
type DeadLetter struct {
	// ID identifies the dead letter for Requeue and Discard.
	ID string `json:"id"`
	// Kind is KindEvent or KindTimer.
	Kind string `json:"kind"`
	// Handler is the handler that failed.
	Handler string `json:"handler"`
	// Event is the event that could not be delivered (KindEvent).
	Event *Event `json:"event,omitempty"`
	// Timer is the timer that could not fire (KindTimer).
	Timer *Timer `json:"timer,omitempty"`
	// Attempts is how many times it was tried.
	Attempts int `json:"attempts"`
	// Error is the last failure.
	Error string `json:"error"`
	// ParkedAt is when it was set aside.
	ParkedAt time.Time `json:"parked_at"`
}

func deadEvent(ev Event, handler string, s *handlerState, at time.Time) *DeadLetter {
	return &DeadLetter{ID: markerID(ev.ID, handler), Kind: KindEvent, Handler: handler, Event: &ev,
		Attempts: s.Attempts, Error: s.Error, ParkedAt: at}
}

func (dl *DeadLetter) data() map[string]any {
	d := map[string]any{"kind": dl.Kind, "handler": dl.Handler, "attempts": dl.Attempts,
		"error": dl.Error, "parked_at": millis(dl.ParkedAt)}
	if dl.Event != nil {
		d[fEvent] = eventData(*dl.Event)
		d["event_id"] = dl.Event.ID
	}
	if dl.Timer != nil {
		d["timer"] = timerData(*dl.Timer)
		d["key"] = dl.Timer.Key
	}
	return d
}

func deadOf(doc *store.Doc) *DeadLetter {
	d := doc.Data
	dl := &DeadLetter{ID: doc.ID, Attempts: int(num(d["attempts"])), ParkedAt: time.UnixMilli(num(d["parked_at"])).UTC()}
	dl.Kind, _ = d["kind"].(string)
	dl.Handler, _ = d["handler"].(string)
	dl.Error, _ = d["error"].(string)
	if m, ok := d[fEvent].(map[string]any); ok {
		id, _ := d["event_id"].(string)
		ev := eventOf(id, m)
		dl.Event = &ev
	}
	if m, ok := d["timer"].(map[string]any); ok {
		key, _ := d["key"].(string)
		t := timerOf(key, m)
		dl.Timer = &t
	}
	return dl
}

// park stores dl, replacing an earlier dead letter with its id (a requeued delivery
// that failed again).
func park(ctx context.Context, sc store.Scope, dl *DeadLetter) error {
	coll := sc.Collection(DeadCollection)
	for range 5 {
		err := coll.Insert(ctx, &store.Doc{ID: dl.ID, Data: dl.data()})
		if !errors.Is(err, store.ErrDuplicate) {
			if err != nil {
				return fmt.Errorf("park %s: %w", dl.ID, err)
			}
			return nil
		}
		old, err := coll.Get(ctx, dl.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("park %s: %w", dl.ID, err)
		}
		old.Data = dl.data()
		if err := coll.Update(ctx, old); !lost(err) {
			if err != nil {
				return fmt.Errorf("park %s: %w", dl.ID, err)
			}
			return nil
		}
	}
	return fmt.Errorf("park %s: %w", dl.ID, store.ErrConflict)
}

// DeadLetters returns one page of sc's dead letters, most recently parked first; pass
// the returned cursor to get the next page ("" when none is left).
func DeadLetters(ctx context.Context, sc store.Scope, limit int, cursor string) ([]*DeadLetter, string, error) {
	page, err := sc.Collection(DeadCollection).Find(ctx, store.Query{
		Sort:   []store.Sort{{Field: "parked_at", Desc: true}},
		Limit:  min(max(limit, 1), store.MaxLimit),
		Cursor: cursor,
	})
	if err != nil {
		return nil, "", fmt.Errorf("list dead letters: %w", err)
	}
	out := make([]*DeadLetter, 0, len(page.Docs))
	for _, d := range page.Docs {
		out = append(out, deadOf(d))
	}
	return out, page.Next, nil
}

// Requeue puts a dead letter back to work, due at once with its attempts reset: an
// event goes back into the outbox for the failed handler only, a timer is scheduled
// again under its key (replacing any timer scheduled there since). now is the due time.
func Requeue(ctx context.Context, sc store.Scope, id string, now time.Time) error {
	dead := sc.Collection(DeadCollection)
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		doc, err := dead.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		dl := deadOf(doc)
		switch {
		case dl.Kind == KindEvent && dl.Event != nil:
			if err := requeueEvent(ctx, sc, *dl.Event, dl.Handler, now); err != nil {
				return err
			}
		case dl.Kind == KindTimer && dl.Timer != nil:
			t := *dl.Timer
			t.DueAt = now
			if err := Schedule(ctx, sc, t); err != nil {
				return err
			}
		default:
			return fmt.Errorf("dead letter %s is unreadable: %w", id, ErrInvalid)
		}
		return dead.Delete(ctx, id, doc.Version)
	})
	if err != nil {
		return fmt.Errorf("requeue %s: %w", id, err)
	}
	return nil
}

func requeueEvent(ctx context.Context, sc store.Scope, ev Event, handler string, now time.Time) error {
	outbox := sc.Collection(OutboxCollection)
	for range 5 {
		doc, err := outbox.Get(ctx, ev.ID)
		if errors.Is(err, store.ErrNotFound) {
			data := eventData(ev)
			data[fDue], data[fLease] = millis(now), int64(0)
			data[fOnly] = []any{handler}
			err := outbox.Insert(ctx, &store.Doc{ID: ev.ID, Data: data})
			if errors.Is(err, store.ErrDuplicate) {
				continue
			}
			return err
		}
		if err != nil {
			return err
		}
		// The event is still being delivered to other handlers: reopen this one.
		states := statesOf(doc.Data[fHandlers])
		states[handler] = &handlerState{}
		doc.Data[fHandlers] = statesData(states)
		doc.Data[fDue] = millis(now)
		doc.Data[fClaims] = 0
		if only, ok := doc.Data[fOnly].([]any); ok {
			doc.Data[fOnly] = append(only, handler)
		}
		if err := outbox.Update(ctx, doc); !lost(err) {
			return err
		}
	}
	return fmt.Errorf("event %s kept changing: %w", ev.ID, store.ErrConflict)
}

// Discard removes a dead letter for good.
func Discard(ctx context.Context, sc store.Scope, id string) error {
	err := sc.Collection(DeadCollection).Delete(ctx, id, 0)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("discard %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("discard %s: %w", id, err)
	}
	return nil
}
