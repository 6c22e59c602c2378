package flow

import (
	"context"
	"fmt"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Start starts the latest published version of flow key on a record and advances it
// until it waits on people, a timer or a plugin call, or ends. record is the record's
// data as stored (gateways and candidate fields read it); nil reads it through
// Options.Records. Plugin and webhook calls are made after the start commits, each
// result applied in a transaction of its own; a call that fails is retried by a timer,
// and the instance waits at the call meanwhile. ErrAlreadyRunning when the record
// already has a running instance of the flow.
func (e *Engine) Start(ctx context.Context, a form.Actor, key, recordID string, record map[string]any) (*Instance, error) {
	fl, err := e.defs.Latest(ctx, a.Tenant, key)
	if err != nil {
		return nil, fmt.Errorf("start flow %s: %w", key, err)
	}
	if recordID == "" {
		return nil, &ActError{Problems: []Problem{{Path: "/record_id", Code: "required", Message: "names the record the flow runs on"}}}
	}
	sc, err := e.scope(ctx, a.Tenant)
	if err != nil {
		return nil, err
	}
	var (
		calls []pendingCall
		out   *Instance
	)
	err = inTx(ctx, sc, func(ctx context.Context) error {
		calls = nil
		r, running, err := e.begin(ctx, sc, fl, recordID, a.UserID, record, &calls)
		if err != nil {
			return err
		}
		if running != "" {
			return fmt.Errorf("start flow %s on record %s: instance %s: %w", key, recordID, running, ErrAlreadyRunning)
		}
		if err := r.drain(); err != nil {
			return err
		}
		if err := r.save(); err != nil {
			return err
		}
		withRecord(calls, r.rec)
		out = r.inst.public(r.id, r.doc.Version)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("start flow %s: %w", key, err)
	}
	if len(calls) == 0 {
		return out, nil // the state the transaction committed
	}
	if final := e.settle(ctx, sc, calls)[out.ID]; final != nil {
		return final, nil
	}
	return e.Instance(ctx, a.Tenant, out.ID)
}

// begin creates a new instance of fl with a token on its start node, not yet saved,
// and claims the record for it. When an instance of fl already runs on the record, it
// returns that instance's id and no run.
func (e *Engine) begin(ctx context.Context, sc store.Scope, fl *Flow, recordID, by string, record map[string]any, calls *[]pendingCall) (*run, string, error) {
	id := store.NewID()
	running, err := claimRecord(ctx, sc, fl.Key(), recordID, id)
	if err != nil || running != "" {
		return nil, running, err
	}
	inst := &instanceDoc{Flow: fl.Key(), Version: fl.Version(), Form: fl.Form().Key(), RecordID: recordID,
		Status: StatusRunning, StartedBy: by, Passed: []string{}}
	r := e.newRun(ctx, sc, fl, id, nil, inst, calls)
	r.rec = record
	inst.StartedAt = r.ms()
	tok := r.newToken(fl.start.ID(), -1)
	r.queue = append(r.queue, tok)
	if err := r.emit(EventStarted, map[string]any{"by": by}); err != nil {
		return nil, "", err
	}
	return r, "", r.step(stepDoc{Node: fl.start.ID(), NodeType: NodeStart, Action: "started", Actor: by})
}

// load reads a running instance into a run on the flow version it started with; nil
// when the instance has ended.
func (e *Engine) load(ctx context.Context, sc store.Scope, id string, calls *[]pendingCall) (*run, error) {
	doc, inst, err := loadInstance(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if inst.Status != StatusRunning {
		return nil, nil
	}
	fl, err := e.defs.Flow(ctx, sc.Tenant(), inst.Flow, inst.Version)
	if err != nil {
		return nil, fmt.Errorf("instance %s: flow %s v%d: %w", id, inst.Flow, inst.Version, err)
	}
	return e.newRun(ctx, sc, fl, id, doc, inst, calls), nil
}

// Instance returns an instance by id.
func (e *Engine) Instance(ctx context.Context, tenant, id string) (*Instance, error) {
	sc, err := e.scope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	doc, inst, err := loadInstance(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return inst.public(doc.ID, doc.Version), nil
}

// Instances lists the instances that ran or run on a record, oldest first.
func (e *Engine) Instances(ctx context.Context, tenant, recordID string) ([]*Instance, error) {
	sc, err := e.scope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var out []*Instance
	err = each(ctx, sc.Collection(InstancesCollection), byIndexed(fRecordID, recordID), func(d *store.Doc) error {
		var inst instanceDoc
		if err := decode(d.Data, &inst); err != nil {
			return err
		}
		out = append(out, inst.public(d.ID, d.Version))
		return nil
	})
	return out, err
}

// each calls fn for every document q selects, page after page.
func each(ctx context.Context, c store.Collection, q store.Query, fn func(*store.Doc) error) error {
	q.Limit = store.MaxLimit
	for {
		page, err := c.Find(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range page.Docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}
