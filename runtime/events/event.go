package events

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// Collections of a tenant that this package owns.
const (
	// OutboxCollection holds the events not yet delivered to every handler.
	OutboxCollection = "outbox"
	// DoneCollection holds one marker per (event, handler) delivered, written in the
	// transaction of the handler's effects; it is removed with the event.
	DoneCollection = "outbox_done"
	// DeadCollection holds parked deliveries and timers (dead letters).
	DeadCollection = "events_dead"
	// TimersCollection holds the scheduled timers, one document per key.
	TimersCollection = "timers"
)

// Limits on what callers name.
const (
	// MaxKeyLength bounds a timer key and an event subject, in bytes.
	MaxKeyLength = 200
)

var (
	// typeRe: dotted lowercase ids such as "record.created" or "loan.dpd.bucket_changed".
	typeRe = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,7}$`)
	// nameRe: handler names become keys of a stored object, so no dots.
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
)

// ValidType reports whether t may name an event type ("record.created").
func ValidType(t string) bool { return len(t) <= 128 && typeRe.MatchString(t) }

// ValidName reports whether n may name a handler ("webhook", "sla-start").
func ValidName(n string) bool { return nameRe.MatchString(n) }

func validKey(k string) bool {
	if k == "" || len(k) > MaxKeyLength || !utf8.ValidString(k) {
		return false
	}
	for _, r := range k {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// Event is one fact a change caused, delivered to every handler subscribed to its Type.
type Event struct {
	// ID is a UUID v7 (store.NewID), so ids sort in emission order; Emit assigns it
	// when empty.
	ID string `json:"id"`
	// Type is a dotted lowercase id: "record.created".
	Type string `json:"type"`
	// Subject names what the event is about: "form:loan/record:0190…".
	Subject string `json:"subject,omitempty"`
	// Data is the event's body; numbers come back from the store as json.Number.
	Data map[string]any `json:"data,omitempty"`
	// At is when the event happened; Emit sets it to now when zero.
	At time.Time `json:"at"`
}

// Emit writes ev into sc's outbox and returns it with ID and At set. Call it with the ctx
// of the transaction that makes the change the event reports, so both commit or roll
// back together; the dispatcher delivers it once that transaction commits.
func Emit(ctx context.Context, sc store.Scope, ev Event) (Event, error) {
	if !ValidType(ev.Type) {
		return ev, fmt.Errorf("emit event: type %q: %w", ev.Type, ErrInvalid)
	}
	if ev.Subject != "" && !validKey(ev.Subject) {
		return ev, fmt.Errorf("emit %s: subject: %w", ev.Type, ErrInvalid)
	}
	if ev.ID == "" {
		ev.ID = store.NewID()
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	ev.At = ev.At.UTC()
	data := eventData(ev)
	data[fDue] = millis(ev.At)
	data[fLease] = int64(0)
	if err := sc.Collection(OutboxCollection).Insert(ctx, &store.Doc{ID: ev.ID, Data: data}); err != nil {
		return ev, fmt.Errorf("emit %s: %w", ev.Type, err)
	}
	return ev, nil
}

// EmitMany writes several events to the outbox with one batch insert (imports emit one
// per row); like Emit it should run in the transaction of the changes the events
// describe. Every event is checked before any is written; the events are returned with
// their ids and times set.
func EmitMany(ctx context.Context, sc store.Scope, in []Event) ([]Event, error) {
	evs := make([]Event, len(in))
	docs := make([]*store.Doc, len(in))
	now := time.Now()
	for i, ev := range in {
		if !ValidType(ev.Type) {
			return nil, fmt.Errorf("emit event %d: type %q: %w", i, ev.Type, ErrInvalid)
		}
		if ev.Subject != "" && !validKey(ev.Subject) {
			return nil, fmt.Errorf("emit event %d (%s): subject: %w", i, ev.Type, ErrInvalid)
		}
		if ev.ID == "" {
			ev.ID = store.NewID()
		}
		if ev.At.IsZero() {
			ev.At = now
		}
		ev.At = ev.At.UTC()
		data := eventData(ev)
		data[fDue] = millis(ev.At)
		data[fLease] = int64(0)
		docs[i] = &store.Doc{ID: ev.ID, Data: data}
		evs[i] = ev
	}
	if err := sc.Collection(OutboxCollection).InsertMany(ctx, docs); err != nil {
		return nil, fmt.Errorf("emit %d events: %w", len(evs), err)
	}
	return evs, nil
}

// Field names of the stored documents.
const (
	fType     = "type"
	fSubject  = "subject"
	fData     = "data"
	fAt       = "at"
	fDue      = "due"         // unix ms: not before
	fLease    = "lease_until" // unix ms: claimed until (0: free)
	fOwner    = "lease_owner"
	fHandlers = "handlers" // per handler delivery state of an event
	fOnly     = "only"     // a requeued event goes to these handlers only
	fEvent    = "event"
	fClaims   = "claims" // times an event was claimed
)

func eventData(ev Event) map[string]any {
	d := map[string]any{fType: ev.Type, fAt: ev.At.UTC().Format(time.RFC3339Nano)}
	if ev.Subject != "" {
		d[fSubject] = ev.Subject
	}
	if len(ev.Data) > 0 {
		d[fData] = ev.Data
	}
	return d
}

func eventOf(id string, d map[string]any) Event {
	ev := Event{ID: id}
	ev.Type, _ = d[fType].(string)
	ev.Subject, _ = d[fSubject].(string)
	ev.Data, _ = d[fData].(map[string]any)
	if s, ok := d[fAt].(string); ok {
		ev.At, _ = time.Parse(time.RFC3339Nano, s)
	}
	return ev
}

// millis is how times are stored where they are compared: integers sort and filter
// alike on every engine.
func millis(t time.Time) int64 { return t.UnixMilli() }

// num reads an integer the store gave back (json.Number) or the caller put (int, int64).
func num(v any) int64 {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return int64(f)
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// cloneData copies the top level of a document body, so a failed update leaves the
// caller's copy as it was read.
func cloneData(d map[string]any) map[string]any {
	out := make(map[string]any, len(d)+2)
	for k, v := range d {
		out[k] = v
	}
	return out
}
