package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// run advances one instance inside one store transaction: it moves tokens through
// automated nodes until each waits on a task, a timer, a plugin call or a join, or the
// instance ends, writing tasks, timers, history and events with the transaction's ctx.
type run struct {
	e    *Engine
	ctx  context.Context
	sc   store.Scope
	now  time.Time
	fl   *Flow
	id   string
	doc  *store.Doc // nil until a new instance is first saved
	inst *instanceDoc
	rec  map[string]any

	// inline makes plugin and webhook calls in place (timer firings, which already
	// run inside the scheduler's transaction); otherwise a token stops at the call and
	// the call is made after the commit (see settle).
	inline  bool
	results map[string]map[string]any // token id → the call's result, when resuming
	calls   *[]pendingCall            // calls to make after the commit, shared with sub-flows
	queue   []*token
	steps   int
	// history holds the steps taken so far, written by save.
	history []stepDoc
	// firing is the key of the timer being fired, which the scheduler deletes itself.
	firing string
}

func (e *Engine) newRun(ctx context.Context, sc store.Scope, fl *Flow, id string, doc *store.Doc, inst *instanceDoc, calls *[]pendingCall) *run {
	return &run{e: e, ctx: ctx, sc: sc, now: e.now(), fl: fl, id: id, doc: doc, inst: inst, calls: calls}
}

func (r *run) ms() int64 { return r.now.UnixMilli() }

// source names the run's node for writes and logs.
func (r *run) source(node string) string { return "flow:" + r.fl.Key() + "/node:" + node }

// drain enters every queued token until none is left or the instance ended.
func (r *run) drain() error {
	for len(r.queue) > 0 && r.inst.Status == StatusRunning {
		tok := r.queue[0]
		r.queue = r.queue[1:]
		if !slices.Contains(r.inst.Tokens, tok) {
			continue // removed meanwhile (a join took it, the instance returned)
		}
		if err := r.enter(tok); err != nil {
			return err
		}
	}
	return nil
}

// save writes the run's history and the instance document, inserting it the first time.
func (r *run) save() error {
	if err := r.saveHistory(); err != nil {
		return err
	}
	data := r.inst.data()
	coll := r.sc.Collection(InstancesCollection)
	if r.doc == nil {
		r.doc = &store.Doc{ID: r.id, Data: data}
		return coll.Insert(r.ctx, r.doc)
	}
	r.doc.Data = data
	if err := coll.Update(r.ctx, r.doc); err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = errRetry
		}
		return fmt.Errorf("save instance %s: %w", r.id, err)
	}
	return nil
}

func (r *run) newToken(node string, via int) *token {
	t := &token{ID: store.NewID(), Node: node, Since: r.ms(), Via: via}
	r.inst.Tokens = append(r.inst.Tokens, t)
	return t
}

func (r *run) removeToken(t *token) {
	r.inst.Tokens = slices.DeleteFunc(r.inst.Tokens, func(x *token) bool { return x == t })
}

func (r *run) token(id string) *token {
	for _, t := range r.inst.Tokens {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func (r *run) enter(tok *token) error {
	n := r.fl.nodes[tok.Node]
	if r.steps++; r.steps > MaxSteps {
		return fmt.Errorf("%w: instance %s passed more than %d nodes in one step; the flow loops", ErrStep, r.id, MaxSteps)
	}
	if !slices.Contains(r.inst.Passed, n.ID()) {
		r.inst.Passed = append(r.inst.Passed, n.ID())
	}
	if err := r.emitNode(EventNodeEntered, n, map[string]any{"node": n.ID(), "node_type": n.Type()}); err != nil {
		return err
	}
	switch n.Type() {
	case NodeStart:
		return r.leave(tok, n.out[0], "")
	case NodeEnd:
		return r.finish(tok, n)
	case NodeApproval, NodeTask:
		tok.Wait = waitTask
		return r.openTasks(tok, n)
	case NodeGateway:
		e, err := r.choose(n)
		if err != nil {
			return err
		}
		return r.leave(tok, e, "")
	case NodeParallel:
		if err := r.left(tok, n, "split", "", nil); err != nil {
			return err
		}
		for i, e := range n.out {
			t := tok
			if i > 0 {
				t = r.newToken(n.ID(), -1)
			}
			r.move(t, e)
		}
		return nil
	case NodeJoin:
		return r.join(tok, n)
	case NodeAction:
		return r.action(tok, n)
	case NodeTimer:
		return r.timer(tok, n)
	}
	return fmt.Errorf("%w: node %s has unknown type %s", ErrStep, n.ID(), n.Type())
}

// leave takes tok out of its node along e; how names the decision or reason.
func (r *run) leave(tok *token, e *Edge, how string) error {
	if err := r.left(tok, r.fl.nodes[tok.Node], how, "", nil); err != nil {
		return err
	}
	r.move(tok, e)
	return nil
}

func (r *run) move(tok *token, e *Edge) {
	tok.Node, tok.Since, tok.Wait, tok.Via, tok.Timer = e.to.ID(), r.ms(), "", e.index, ""
	r.queue = append(r.queue, tok)
}

// left records that tok left node n: an event and a history step with the time spent.
func (r *run) left(tok *token, n *Node, how, actor string, detail map[string]any) error {
	if err := r.emitNode(EventNodeLeft, n, map[string]any{"node": n.ID(), "node_type": n.Type(), "how": how}); err != nil {
		return err
	}
	if how == "" {
		how = "left"
	}
	return r.step(stepDoc{Node: n.ID(), NodeType: n.Type(), Action: how, Actor: actor,
		DurationMs: r.ms() - tok.Since, Detail: detail})
}

// finish ends the instance at an end node: every other branch is cancelled.
func (r *run) finish(tok *token, n *Node) error {
	for _, t := range slices.Clone(r.inst.Tokens) {
		if t != tok {
			if err := r.cancelWait(t, ""); err != nil {
				return err
			}
		}
	}
	r.inst.Tokens = nil
	r.inst.Status, r.inst.Outcome, r.inst.EndedAt = StatusCompleted, n.spec.Outcome, r.ms()
	if err := r.releaseRecord(); err != nil {
		return err
	}
	if err := r.step(stepDoc{Node: n.ID(), NodeType: n.Type(), Action: "completed",
		DurationMs: r.ms() - r.inst.StartedAt, Detail: map[string]any{"outcome": n.spec.Outcome}}); err != nil {
		return err
	}
	return r.emit(EventCompleted, map[string]any{"node": n.ID(), "outcome": n.spec.Outcome})
}

// cancelWait undoes what tok waits on: its open tasks (but except), its timer, its call.
func (r *run) cancelWait(tok *token, except string) error {
	switch tok.Wait {
	case waitTask:
		return r.cancelTasks(tok.ID, except)
	case waitTimer:
		return cancelTimer(r, tok.Timer)
	case waitCall:
		return cancelTimer(r, callKey(r.id, tok.ID))
	}
	return nil
}

// record returns the record's data, read once per run.
func (r *run) record() (map[string]any, error) {
	if r.rec != nil {
		return r.rec, nil
	}
	if r.e.opts.Records == nil {
		return nil, fmt.Errorf("read record for flow %s: %w", r.fl.Key(), ErrNotConfigured)
	}
	rec, err := r.e.opts.Records.Read(r.ctx, r.sc.Tenant(), r.inst.Form, r.inst.RecordID)
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", r.inst.RecordID, err)
	}
	if rec == nil {
		rec = map[string]any{}
	}
	r.rec = rec
	return rec, nil
}

// write hands field changes to Records and keeps the record it returns.
func (r *run) write(node string, fields map[string]any, actor string, decision bool) error {
	if r.e.opts.Records == nil {
		return fmt.Errorf("write record for flow %s: %w", r.fl.Key(), ErrNotConfigured)
	}
	rec, err := r.e.opts.Records.Write(r.ctx, RecordWrite{Tenant: r.sc.Tenant(), Form: r.inst.Form,
		RecordID: r.inst.RecordID, Fields: fields, Actor: actor, Source: r.source(node), Decision: decision})
	if err != nil {
		return fmt.Errorf("write record %s at node %s: %w", r.inst.RecordID, node, err)
	}
	r.rec = rec
	return nil
}

// Event types the engine emits, in the transaction of the change they report. The rule
// engine's flow triggers listen to EventNodeEntered and EventNodeLeft.
const (
	EventStarted       = "flow.started"
	EventNodeEntered   = "flow.node_entered"
	EventNodeLeft      = "flow.node_left"
	EventCompleted     = "flow.completed"
	EventCancelled     = "flow.cancelled"
	EventTaskCreated   = "task.created"
	EventTaskClaimed   = "task.claimed"
	EventTaskAssigned  = "task.assigned"
	EventTaskEscalated = "task.escalated"
	EventTaskCommented = "task.commented"
	EventTaskCompleted = "task.completed"
	EventTaskCancelled = "task.cancelled"
)

// emitNode emits a node's flow.node_entered or flow.node_left event, unless
// Options.NodeEvents says nothing listens to the node.
func (r *run) emitNode(typ string, n *Node, data map[string]any) error {
	if f := r.e.opts.NodeEvents; f != nil && !f(r.sc.Tenant(), r.fl.Key(), n.ID()) {
		return nil
	}
	return r.emit(typ, data)
}

// emit writes an event of the instance, unless Options.Heard says no handler listens
// to its type.
func (r *run) emit(typ string, data map[string]any) error {
	if heard := r.e.opts.Heard; heard != nil && !heard(typ) {
		return nil
	}
	if r.fl != nil { // nil for a task opened outside any flow
		data["flow"], data["version"], data["instance"] = r.fl.Key(), r.fl.Version(), r.id
	}
	data["form"], data["record_id"] = r.inst.Form, r.inst.RecordID
	_, err := events.Emit(r.ctx, r.sc, events.Event{Type: typ, Subject: form.RecordObject(r.inst.Form, r.inst.RecordID), Data: data, At: r.now})
	return err
}

// errRetry marks a transaction that lost a race on the instance document; the caller
// runs it again on fresh state.
var errRetry = errors.New("instance changed meanwhile")

// inTx runs fn in a transaction, again (up to three times) when it lost a race on an
// instance document.
func inTx(ctx context.Context, sc store.Scope, fn func(ctx context.Context) error) error {
	var err error
	for range 3 {
		err = sc.WithTx(ctx, fn)
		if !errors.Is(err, errRetry) {
			return err
		}
	}
	return err
}

// cancelTimer removes a timer of the run, except the one firing: the scheduler deletes
// that one at the version it claimed, and a delete here would roll the firing back.
func cancelTimer(r *run, key string) error {
	if key == r.firing {
		return nil
	}
	return events.Cancel(r.ctx, r.sc, key)
}
