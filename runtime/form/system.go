package form

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
)

// Cause says why Credo itself changes a record: the rule or flow step behind the change.
type Cause struct {
	// By names it in the audit log ("rule:score_floor", "flow:loan_approval/node:contract").
	By string
	// Actor is the person whose decision carried the change (a reviewer's field edits on
	// a task), who has been checked by the caller; "" writes as the system.
	Actor string
	// Origin and Depth are the loop guard the record event carries (see Actor).
	Origin []string
	Depth  int
}

// Applied is a record as Apply left it.
type Applied struct {
	ID      string
	Version int64
	Data    map[string]any
	// Changed reports whether the patch changed anything.
	Changed bool
}

// Apply merges patch into the current version of a record as Credo itself. No field
// permission or row scope applies — whoever published the rule or flow that asks chose
// the change — but validation and computed fields do, decision fields may be written,
// and the change is audited (actor "system", with the cause) and emits its record event
// carrying the cause's loop guard. Called with a transaction's ctx, it joins it. A patch
// that changes nothing writes nothing.
func (s *Service) Apply(ctx context.Context, tenant, form, id string, patch map[string]any, c Cause) (*Applied, error) {
	f, sc, err := s.formScope(ctx, tenant, form)
	if err != nil {
		return nil, err
	}
	a := Actor{Tenant: tenant, UserID: cmp.Or(c.Actor, SystemActor), Origin: c.Origin, Depth: c.Depth}
	var out *Applied
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		d, err := sc.Collection(RecordsCollection(f.key)).Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var detail map[string]any
		if c.By != "" {
			detail = map[string]any{"cause": c.By}
		}
		w, err := s.write(ctx, sc, a, f, d, patch, func(map[string]any) error { return nil }, detail)
		if err != nil {
			return err
		}
		out = &Applied{ID: id, Version: w.doc.Version, Data: w.data, Changed: w.doc != d}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply to %s record %s: %w", form, id, err)
	}
	return out, nil
}

// DataForEvaluation returns a record's full stored data, unmasked, after checking that
// the actor may read the record (record right and row scope): for evaluating a
// definition against it on the server (a rule's dry run), never to be sent as is.
func (s *Service) DataForEvaluation(ctx context.Context, a Actor, form, id string) (map[string]any, error) {
	f, _, sc, err := s.begin(ctx, a, form, ActRead)
	if err != nil {
		return nil, err
	}
	d, err := s.fetch(ctx, a, f, sc, id)
	if err != nil {
		return nil, fmt.Errorf("read %s record %s: %w", form, id, err)
	}
	return f.storedData(d), nil
}

// Stored returns a record's current stored data as Credo itself reads it, with no
// permission applied: for the runtimes that act on records (flows), never for a person.
func (s *Service) Stored(ctx context.Context, tenant, form, id string) (map[string]any, error) {
	f, sc, err := s.formScope(ctx, tenant, form)
	if err != nil {
		return nil, err
	}
	d, err := sc.Collection(RecordsCollection(f.key)).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("read %s record %s: %w", form, id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return f.storedData(d), nil
}

// StoredRecord is a record's stored data, as Stored returns it, and its version.
type StoredRecord struct {
	Version int64
	Data    map[string]any
}

// StoredMany reads records of form by id, as Stored does, in a few queries
// (store.FindIDs): each record found, by id. Ids not found are absent. Outside a
// transaction it reads committed data (on SQLite: off the writer).
func (s *Service) StoredMany(ctx context.Context, tenant, form string, ids []string) (map[string]StoredRecord, error) {
	f, sc, err := s.formScope(ctx, tenant, form)
	if err != nil {
		return nil, err
	}
	out := make(map[string]StoredRecord, len(ids))
	err = store.FindIDs(ctx, sc.Collection(RecordsCollection(f.key)), ids, nil, func(d *store.Doc) {
		out[d.ID] = StoredRecord{Version: d.Version, Data: f.storedData(d)}
	})
	if err != nil {
		return nil, fmt.Errorf("read %s records: %w", form, err)
	}
	return out, nil
}

// AtVersion reports whether the record is still at version, as ctx sees it (in its
// transaction, if any), without reading its data: so a runtime can reuse what it read
// of the record before.
func (s *Service) AtVersion(ctx context.Context, tenant, form, id string, version int64) (bool, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return false, err
	}
	n, err := sc.Collection(RecordsCollection(form)).Count(ctx, store.And(store.Eq(store.FieldID, id), store.Eq(store.FieldVersion, version)))
	if err != nil {
		return false, fmt.Errorf("check %s record %s: %w", form, id, err)
	}
	return n == 1, nil
}

// formScope is the published form of tenant and the tenant's scope, for the system's
// own reads and writes (no actor, no permission).
func (s *Service) formScope(ctx context.Context, tenant, form string) (*Form, store.Scope, error) {
	f, err := s.Form(ctx, tenant, form)
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, nil, err
	}
	return f, sc, nil
}
