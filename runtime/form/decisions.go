package form

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
)

// The decision kinds a form can name, in the order they run.
const (
	DecisionScore = "score"
	DecisionFraud = "fraud"
)

// Decider runs a tenant's bound plugin of one decision kind on a record and returns the
// result as a JSON object (with its lineage: plugin, version, model, input hash). cmd hands
// the plugin host to the record service through this interface.
type Decider interface {
	Decide(ctx context.Context, kind, tenant, form, recordID string, record map[string]any) (map[string]any, error)
}

// The status a decision field carries.
const (
	DecisionDone    = "done"
	DecisionPending = "pending"
)

// PendingCollection holds, per tenant, the records whose decisions are still to be made
// because a plugin was down, slow or answered nonsense when they were created.
const PendingCollection = "decision_pending"

// decisionStep is one compiled decision: its kind and the field it fills.
type decisionStep struct {
	kind, field string
}

// checkDecisions checks that each decision names a top-level object field with the
// decision widget, and marks those fields as written by the service only.
func checkDecisions(d *Definition, fields map[string]*fieldInfo, ps *problems) []decisionStep {
	if d.Decisions == nil {
		return nil
	}
	var out []decisionStep
	seen := map[string]string{}
	for _, st := range []struct {
		kind string
		step *DecisionStep
	}{{DecisionScore, d.Decisions.Score}, {DecisionFraud, d.Decisions.Fraud}} {
		if st.step == nil {
			continue
		}
		at := "/decisions/" + st.kind + "/field"
		fi, ok := fields[st.step.Field]
		switch {
		case !ok:
			ps.add(at, "unknown_field", "names no field of this form")
			continue
		case fi.meta.Widget != widgetDecision:
			ps.add(at, "decision_field", "must name a field with the decision widget (an object)")
			continue
		case seen[st.step.Field] != "":
			ps.add(at, "decision_field", "is already the field of the %s decision", seen[st.step.Field])
			continue
		}
		seen[st.step.Field] = st.kind
		fi.decision = true
		out = append(out, decisionStep{kind: st.kind, field: st.step.Field})
	}
	return out
}

// decide runs the form's decisions not yet made on rec (a prepared record), side by side,
// and writes each result, or a pending marker naming why it could not be made, into its
// field. It reports whether any decision is pending. A failed decision never fails the
// record: it is stored and retried, and a retry leaves the decisions already made alone.
func (s *Service) decide(ctx context.Context, tenant string, f *Form, id string, rec map[string]any, attempts int) bool {
	var todo []decisionStep
	for _, d := range f.decisions {
		if prev, _ := rec[d.field].(map[string]any); prev["status"] != DecisionDone {
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		return false
	}
	type outcome struct {
		out map[string]any
		err error
	}
	outcomes := make([]outcome, len(todo))
	if s.opts.Decider != nil {
		// The plugins only read rec; it is written once they are all done.
		var wg sync.WaitGroup
		for i, d := range todo {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outcomes[i].out, outcomes[i].err = s.opts.Decider.Decide(ctx, d.kind, tenant, f.key, id, rec)
			}()
		}
		wg.Wait()
	}
	pending := false
	for i, d := range todo {
		o := outcomes[i]
		switch {
		case s.opts.Decider == nil:
			rec[d.field] = pendingMarker("no plugin host is configured", attempts)
			pending = true
		case o.err != nil:
			rec[d.field] = pendingMarker(o.err.Error(), attempts)
			pending = true
		default:
			o.out["status"] = DecisionDone
			o.out["decided_at"] = s.opts.Now().UTC().Format(time.RFC3339Nano)
			rec[d.field] = o.out
		}
	}
	return pending
}

func pendingMarker(reason string, attempts int) map[string]any {
	return map[string]any{"status": DecisionPending, "reason": reason, "attempts": attempts}
}

// markPending records, in the record's transaction, that its decisions are to be retried.
func markPending(ctx context.Context, sc store.Scope, form, id string, attempts int, next time.Time) error {
	coll := sc.Collection(PendingCollection)
	data := pendingData(form, id, attempts, next)
	doc, err := coll.Get(ctx, pendingID(form, id))
	if errors.Is(err, store.ErrNotFound) {
		return coll.Insert(ctx, &store.Doc{ID: pendingID(form, id), Data: data})
	}
	if err != nil {
		return err
	}
	doc.Data = data
	return coll.Update(ctx, doc)
}

// markNewPending is markPending for a record being created, which cannot have a mark
// yet: one insert on the single writer instead of a read and a write.
func markNewPending(ctx context.Context, sc store.Scope, form, id string, next time.Time) error {
	return sc.Collection(PendingCollection).Insert(ctx, &store.Doc{ID: pendingID(form, id), Data: pendingData(form, id, 1, next)})
}

func pendingData(form, id string, attempts int, next time.Time) map[string]any {
	return map[string]any{"form": form, "record": id, "attempts": attempts, "next_at": next.UTC().Format(time.RFC3339Nano)}
}

func pendingID(form, id string) string { return form + "~" + id }

// retryDelay grows with the attempts: 30 s, 1 min, 2 min … capped at one hour.
func retryDelay(attempts int) time.Duration {
	return min(30*time.Second<<min(attempts-1, 7), time.Hour)
}

// RetryDecisions makes the pending decisions of tenant that are due, at most limit
// records, as the system actor. It returns how many records it completed. A record changed
// meanwhile by someone else is simply retried on the next round.
func (s *Service) RetryDecisions(ctx context.Context, tenant string, limit int) (int, error) {
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return 0, err
	}
	now := s.opts.Now().UTC()
	page, err := sc.Collection(PendingCollection).Find(ctx, store.Query{
		Filter: store.Lte("next_at", now.Format(time.RFC3339Nano)),
		Sort:   []store.Sort{{Field: "next_at"}},
		Limit:  limit,
	})
	if err != nil {
		return 0, fmt.Errorf("retry decisions: %w", err)
	}
	done := 0
	for _, p := range page.Docs {
		ok, err := s.retryOne(ctx, sc, p)
		if err != nil {
			return done, err
		}
		if ok {
			done++
		}
	}
	return done, nil
}

func (s *Service) retryOne(ctx context.Context, sc store.Scope, p *store.Doc) (bool, error) {
	key, _ := p.Data["form"].(string)
	id, _ := p.Data["record"].(string)
	n, _ := intOf(p.Data["attempts"])
	attempts := n + 1
	pending := sc.Collection(PendingCollection)
	f, err := s.Form(ctx, sc.Tenant(), key)
	if errors.Is(err, ErrFormNotFound) {
		return false, ignoreNotFound(pending.Delete(ctx, p.ID, 0))
	}
	if err != nil {
		return false, err
	}
	coll := sc.Collection(RecordsCollection(key))
	d, err := coll.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, ignoreNotFound(pending.Delete(ctx, p.ID, 0))
	}
	if err != nil {
		return false, err
	}
	// The record keeps the form version it was written with.
	if v, _ := intOf(d.Data[docFormVersion]); v > 0 && v != f.version {
		if f, err = s.FormVersion(ctx, sc.Tenant(), key, v); err != nil {
			return false, err
		}
	}
	old := f.storedData(d)
	next := make(map[string]any, len(old))
	for k, v := range old {
		next[k] = v
	}
	stillPending := s.decide(ctx, sc.Tenant(), f, id, next, attempts)
	createdBy, _ := d.Data[docCreatedBy].(string)
	upd := docOf(d.ID, f.version, createdBy, SystemActor, next)
	upd.Version, upd.CreatedAt = d.Version, d.CreatedAt
	e := audit.Entry{Actor: SystemActor, Action: audit.ActionUpdate, Object: RecordObject(key, id),
		Diff: f.diff(old, next), Detail: map[string]any{"form_version": f.version, "reason": "decision retry", "attempts": attempts}}
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		if err := coll.Update(ctx, upd); err != nil {
			return err
		}
		if err := s.emit(ctx, sc, EventRecordUpdated, Actor{UserID: SystemActor}, f, id, upd.Version, next, old, sortedKeys(f.diff(old, next))); err != nil {
			return err
		}
		if stillPending {
			if err := markPending(ctx, sc, key, id, attempts, s.opts.Now().Add(retryDelay(attempts))); err != nil {
				return err
			}
		} else if err := pending.Delete(ctx, p.ID, 0); err != nil {
			return err
		}
		_, err := s.log.Append(ctx, sc, e)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return false, nil
	}
	return err == nil && !stillPending, err
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// SystemActor is the actor Credo's own background work writes as.
const SystemActor = "system"

// DecideNow runs the tenant's bound plugin of kind on a record again, outside the create
// path (a rule's call_plugin action), and returns the form's decision field of that kind
// with its new value, stamped like a decision made on create. Writing it is the caller's.
func (s *Service) DecideNow(ctx context.Context, tenant, formKey, id, kind string, rec map[string]any) (string, map[string]any, error) {
	f, err := s.Form(ctx, tenant, formKey)
	if err != nil {
		return "", nil, err
	}
	i := slices.IndexFunc(f.decisions, func(d decisionStep) bool { return d.kind == kind })
	if i < 0 {
		return "", nil, fmt.Errorf("form %s has no %s decision: %w", formKey, kind, ErrNoDecision)
	}
	if s.opts.Decider == nil {
		return "", nil, fmt.Errorf("%s decision: no plugin host is configured: %w", kind, ErrNoDecision)
	}
	out, err := s.opts.Decider.Decide(ctx, kind, tenant, formKey, id, rec)
	if err != nil {
		return "", nil, err
	}
	out["status"] = DecisionDone
	out["decided_at"] = s.opts.Now().UTC().Format(time.RFC3339Nano)
	return f.decisions[i].field, out, nil
}
