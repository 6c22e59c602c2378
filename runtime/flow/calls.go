package flow

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/credolabs/credo/store"
)

// pendingCall is a plugin or webhook call a token waits on.
type pendingCall struct {
	tenant, instance, token string
	fl                      *Flow
	node                    *Node
	form, recordID          string
	// rec is the record as the transaction that parked the call committed it; nil
	// when the transaction did not read it, and the call reads it itself.
	rec map[string]any
}

// withRecord gives the calls a transaction parked the record as it committed it, so
// the calls made after the commit need not read it again.
func withRecord(calls []pendingCall, rec map[string]any) {
	for i := range calls {
		if calls[i].rec == nil {
			calls[i].rec = rec
		}
	}
}

func (r *run) callOf(tok *token, n *Node) pendingCall {
	return pendingCall{tenant: r.sc.Tenant(), instance: r.id, token: tok.ID, fl: r.fl, node: n,
		form: r.inst.Form, recordID: r.inst.RecordID}
}

// call makes one call: a decision (its result) or a webhook (an empty result). Without
// the record in hand it reads it with ctx, which is a transaction's only for inline calls.
func (e *Engine) call(ctx context.Context, c pendingCall) (map[string]any, error) {
	rec := maps.Clone(c.rec) // each call its own copy: calls run side by side
	if rec == nil {
		if e.opts.Records == nil {
			return nil, fmt.Errorf("call at node %s: records: %w", c.node.ID(), ErrNotConfigured)
		}
		var err error
		if rec, err = e.opts.Records.Read(ctx, c.tenant, c.form, c.recordID); err != nil {
			return nil, fmt.Errorf("call at node %s: read record %s: %w", c.node.ID(), c.recordID, err)
		}
	}
	spec := c.node.spec
	if spec.Do == DoWebhook {
		if e.opts.Webhooks == nil {
			return nil, fmt.Errorf("webhook at node %s: %w", c.node.ID(), ErrNotConfigured)
		}
		h := Webhook{URL: spec.URL, Tenant: c.tenant, Flow: c.fl.Key(), Version: c.fl.Version(), Instance: c.instance,
			Node: c.node.ID(), Form: c.form, RecordID: c.recordID, Fields: map[string]any{}}
		for _, f := range spec.Fields {
			if v, ok := rec[f]; ok {
				h.Fields[f] = v
			}
		}
		if err := e.opts.Webhooks.Send(ctx, h); err != nil {
			return nil, fmt.Errorf("webhook at node %s: %w", c.node.ID(), err)
		}
		return map[string]any{}, nil
	}
	if e.opts.Decider == nil {
		return nil, fmt.Errorf("%s at node %s: %w", spec.Do, c.node.ID(), ErrNotConfigured)
	}
	out, err := e.opts.Decider.Decide(ctx, spec.Do, c.tenant, c.form, c.recordID, rec)
	if err != nil {
		return nil, fmt.Errorf("%s at node %s: %w", spec.Do, c.node.ID(), err)
	}
	if out == nil {
		out = map[string]any{}
	}
	return maps.Clone(out), nil
}

// maxSettleRounds bounds how many call-then-commit rounds one request runs; a flow with
// more consecutive calls continues through the retry timers.
const maxSettleRounds = 8

// settle makes the calls tokens wait on, outside any transaction and side by side, then
// resumes each instance with the results in a transaction of its own, until no call is
// left. A failed call leaves its token waiting: its retry timer tries again later. It
// returns the state each resumed instance committed last, by id.
func (e *Engine) settle(ctx context.Context, sc store.Scope, calls []pendingCall) map[string]*Instance {
	final := map[string]*Instance{}
	for round := 0; len(calls) > 0 && round < maxSettleRounds; round++ {
		results := make([]map[string]any, len(calls))
		var wg sync.WaitGroup
		for i, c := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := e.call(ctx, c)
				if err != nil {
					e.log.Warn("flow call failed; its timer retries it", "tenant", c.tenant, "flow", c.fl.Key(),
						"instance", c.instance, "node", c.node.ID(), "error", err)
					return
				}
				results[i] = out
			}()
		}
		wg.Wait()
		byInstance := map[string]map[string]map[string]any{}
		var order []string
		for i, c := range calls {
			if results[i] == nil {
				continue
			}
			if byInstance[c.instance] == nil {
				byInstance[c.instance] = map[string]map[string]any{}
				order = append(order, c.instance)
			}
			byInstance[c.instance][c.token] = results[i]
		}
		var next []pendingCall
		for _, id := range order {
			more, in, err := e.resume(ctx, sc, id, byInstance[id])
			if err != nil {
				e.log.Warn("flow resume after call failed; its timer retries it", "tenant", sc.Tenant(), "instance", id, "error", err)
			}
			if in != nil {
				final[id] = in
			}
			next = append(next, more...)
		}
		calls = next
	}
	return final
}

// resume applies call results to the tokens of one instance waiting on them and
// advances it, in one transaction. It returns the calls the instance waits on next and
// the state it committed (nil when it had ended meanwhile or the transaction failed).
func (e *Engine) resume(ctx context.Context, sc store.Scope, id string, results map[string]map[string]any) ([]pendingCall, *Instance, error) {
	var (
		calls []pendingCall
		out   *Instance
	)
	err := inTx(ctx, sc, func(ctx context.Context) error {
		calls, out = nil, nil
		r, err := e.load(ctx, sc, id, &calls)
		if err != nil || r == nil {
			return err
		}
		r.results = maps.Clone(results)
		for tokID := range results {
			if err := r.resumeCall(tokID); err != nil {
				return err
			}
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
		return nil, nil, err // the calls belong to a state that never committed
	}
	return calls, out, nil
}

// resumeCall re-enters the action a token waits on; the action finds its result in
// r.results (or, inline, makes the call). A token that moved on meanwhile is left alone.
func (r *run) resumeCall(tokID string) error {
	tok := r.token(tokID)
	if tok == nil || tok.Wait != waitCall {
		return nil
	}
	if err := cancelTimer(r, callKey(r.id, tok.ID)); err != nil {
		return err
	}
	tok.Wait = ""
	return r.action(tok, r.fl.nodes[tok.Node])
}
