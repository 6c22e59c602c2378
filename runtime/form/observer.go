package form

import (
	"context"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/store"
)

// ChangeObserver is told of every record change inside the transaction that makes it,
// after the change and its record event are written: figures kept beside the records
// (the report runtime's rollups) are updated in the same commit, so they are fresh the
// moment the change is and never drift from it. An error fails the write. Observers see
// the changes of Create, Update, Delete, CreateMany and Apply and of decision retries.
type ChangeObserver interface {
	// RecordsChanged is given the scope of the transaction, the event type of the
	// changes (EventRecordCreated, EventRecordUpdated or EventRecordDeleted) and the
	// changes, as their record events carry them. It must write with ctx only.
	RecordsChanged(ctx context.Context, sc store.Scope, event string, changes []RecordChange) error
}

// A ChangePreparer is a ChangeObserver that can do part of its work on changes before
// their transaction, off the store's single writer (the rollups count a new record's
// rows there).
type ChangePreparer interface {
	ChangeObserver
	// PrepareChanges does ahead what it can of RecordsChanged for changes, which must not
	// change after; nil when it did nothing. It must not write.
	PrepareChanges(ctx context.Context, sc store.Scope, event string, changes []RecordChange) any
	// RecordsChangedPrepared is RecordsChanged handed what PrepareChanges returned for
	// these changes, whose still holding it checks.
	RecordsChangedPrepared(ctx context.Context, sc store.Scope, event string, changes []RecordChange, prepared any) error
}

// prepareObserved asks the observer to prepare changes before their transaction; nil
// when it cannot.
func (s *Service) prepareObserved(ctx context.Context, sc store.Scope, event string, changes []RecordChange) any {
	p, ok := s.opts.Observer.(ChangePreparer)
	if !ok || len(changes) == 0 {
		return nil
	}
	return p.PrepareChanges(ctx, sc, event, changes)
}

// observe tells the configured observer of changes, with the transaction's ctx, and
// what it prepared for them (prepareObserved), if anything.
func (s *Service) observe(ctx context.Context, sc store.Scope, event string, changes []RecordChange, prepared any) error {
	if s.opts.Observer == nil || len(changes) == 0 {
		return nil
	}
	if p, ok := s.opts.Observer.(ChangePreparer); ok && prepared != nil {
		return p.RecordsChangedPrepared(ctx, sc, event, changes, prepared)
	}
	return s.opts.Observer.RecordsChanged(ctx, sc, event, changes)
}

// emit writes the event of a record change with the transaction's ctx and tells the
// observer of it: data is the record after the change (before it, for a delete); for an
// update, old is the record as stored before it and changed names the fields that differ.
// An event every handler would pass over (see passedOver) is not written: judged here,
// in the transaction, that costs the rules' evaluation on the writer, less than the
// event's insert, and its claim, read and removal later.
func (s *Service) emit(ctx context.Context, sc store.Scope, typ string, a Actor, f *Form, id string, version int64, data, old map[string]any, changed []string) error {
	c := changeOf(a, f, id, version, data, old, changed)
	quiet := s.passedOver(ctx, sc, typ, []RecordChange{c})
	return s.changed(ctx, sc, typ, c, len(quiet) == 1 && quiet[0], nil)
}

// changed writes the event of change c, unless it is passedOver (see passedOver), and
// tells the observer of it (with what it prepared), with the transaction's ctx.
func (s *Service) changed(ctx context.Context, sc store.Scope, typ string, c RecordChange, passedOver bool, prepared any) error {
	if !passedOver {
		if _, err := events.Emit(ctx, sc, recordEvent(typ, c)); err != nil {
			return err
		}
	}
	return s.observe(ctx, sc, typ, []RecordChange{c}, prepared)
}

// recordEvent is the outbox event of change c.
func recordEvent(typ string, c RecordChange) events.Event {
	return events.Event{Type: typ, Subject: RecordObject(c.Form, c.ID), Data: c.data(typ)}
}

// passedOver asks which of the changes' events every handler would pass over
// (Options.PassedOver), judged on each record as it is about to be written (before a
// create's transaction, in an update's); nil when nothing is asked. Those events are not written: no handler would
// act on them, and the record's later changes have events of their own.
func (s *Service) passedOver(ctx context.Context, sc store.Scope, typ string, cs []RecordChange) []bool {
	if s.opts.PassedOver == nil || len(cs) == 0 {
		return nil
	}
	evs := make([]events.Event, len(cs))
	for i, c := range cs {
		evs[i] = recordEvent(typ, c)
		evs[i].Data["data"] = c.Data
	}
	return s.opts.PassedOver(ctx, sc, evs)
}

// changeOf is the change of one record as its event carries it: data is the record
// after the change (before it, for a delete); for an update, old is the record before it
// and changed names the fields that differ.
func changeOf(a Actor, f *Form, id string, version int64, data, old map[string]any, changed []string) RecordChange {
	c := RecordChange{Form: f.key, FormVersion: f.version, ID: id, Version: version, Actor: a.UserID,
		Data: data, Changed: changed, Origin: a.Origin, Depth: a.Depth}
	if changed != nil {
		c.Prior = old
		c.Before = make(map[string]any, len(changed))
		for _, k := range changed {
			if v, ok := old[k]; ok {
				c.Before[k] = v
			}
		}
	}
	return c
}

// Previous is the record as it was before an update: Prior when set, else Data with the
// changed fields put back to their Before values (absent where they were absent). For a
// create or a delete it is Data itself.
func (c RecordChange) Previous() map[string]any {
	switch {
	case c.Changed == nil:
		return c.Data
	case c.Prior != nil:
		return c.Prior
	}
	prev := make(map[string]any, len(c.Data))
	for k, v := range c.Data {
		prev[k] = v
	}
	for _, k := range c.Changed {
		if v, ok := c.Before[k]; ok {
			prev[k] = v
		} else {
			delete(prev, k)
		}
	}
	return prev
}

// inTx runs fn in a transaction of sc and, when it commits, tells Options.Committed.
// Inside a caller's transaction the commit is the caller's, later: the call is early
// and harmless (a dispatcher that looks finds nothing yet and polls again).
func (s *Service) inTx(ctx context.Context, sc store.Scope, fn func(ctx context.Context) error) error {
	if err := sc.WithTx(ctx, fn); err != nil {
		return err
	}
	if s.opts.Committed != nil {
		s.opts.Committed()
	}
	return nil
}
