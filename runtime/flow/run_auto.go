package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
)

// choose picks a gateway's edge: the first whose condition holds, in definition order,
// else the default.
func (r *run) choose(n *Node) (*Edge, error) {
	rec, err := r.record()
	if err != nil {
		return nil, err
	}
	act, err := r.fl.form.RecordActivation(rec)
	if err != nil {
		return nil, err
	}
	var def *Edge
	for _, e := range n.out {
		if e.cond == nil {
			def = e
			continue
		}
		v, err := e.cond.eval(act)
		if err != nil {
			return nil, fmt.Errorf("%w: gateway %s, edge %d: %w", ErrStep, n.ID(), e.index, err)
		}
		if v == true {
			return e, nil
		}
	}
	return def, nil
}

// join lets the branch through once a token has arrived by every incoming edge.
func (r *run) join(tok *token, n *Node) error {
	arrived := map[int]bool{tok.Via: true}
	var waiting []*token
	for _, t := range r.inst.Tokens {
		if t != tok && t.Node == n.ID() && t.Wait == waitJoin && !arrived[t.Via] {
			arrived[t.Via] = true
			waiting = append(waiting, t)
		}
	}
	if len(arrived) < len(n.in) {
		tok.Wait = waitJoin
		return nil
	}
	for _, t := range waiting {
		if err := r.left(t, n, "joined", "", nil); err != nil {
			return err
		}
		r.removeToken(t)
	}
	return r.leave(tok, n.out[0], "joined")
}

func (r *run) action(tok *token, n *Node) error {
	switch n.spec.Do {
	case DoSetFields:
		fields, err := r.fieldValues(n)
		if err != nil {
			return err
		}
		if err := r.write(n.ID(), fields, "", false); err != nil {
			return err
		}
		return r.leave(tok, n.out[0], "done")
	case DoStartFlow:
		child, err := r.startChild(n)
		if err != nil {
			return err
		}
		return r.leaveAction(tok, n, map[string]any{"instance": child})
	case DoScore, DoFraud:
		rec, err := r.record()
		if err != nil {
			return err
		}
		if prev, _ := rec[n.field].(map[string]any); !n.spec.Rerun && prev["status"] == form.DecisionDone {
			return r.leaveAction(tok, n, lineage(prev, "kept"))
		}
	}
	out, ok := r.results[tok.ID]
	if !ok && r.inline {
		var err error
		if out, err = r.e.call(r.ctx, r.callOf(tok, n)); err != nil {
			return err
		}
		ok = true
	}
	if !ok {
		return r.await(tok, n)
	}
	delete(r.results, tok.ID)
	if n.spec.Do == DoWebhook {
		return r.leave(tok, n.out[0], "sent")
	}
	out["status"] = form.DecisionDone
	out["decided_at"] = r.now.Format(time.RFC3339Nano)
	if err := r.write(n.ID(), map[string]any{n.field: out}, "", true); err != nil {
		return err
	}
	return r.leaveAction(tok, n, lineage(out, "decided"))
}

// leaveAction leaves an action node along its one edge, with a history detail.
func (r *run) leaveAction(tok *token, n *Node, detail map[string]any) error {
	how, _ := detail["how"].(string)
	delete(detail, "how")
	if err := r.left(tok, n, how, "", detail); err != nil {
		return err
	}
	r.move(tok, n.out[0])
	return nil
}

// lineage is what history keeps of a decision: which plugin, version and model decided
// on which inputs, and the verdict.
func lineage(d map[string]any, how string) map[string]any {
	out := map[string]any{"how": how}
	for _, k := range []string{"plugin", "plugin_version", "model_version", "input_hash", "grade", "score", "decision"} {
		if v, ok := d[k]; ok {
			out[k] = v
		}
	}
	return out
}

// await parks tok on a plugin or webhook call made after the commit, with a timer that
// retries it should the call not be made or fail.
func (r *run) await(tok *token, n *Node) error {
	tok.Wait = waitCall
	if err := events.Schedule(r.ctx, r.sc, events.Timer{Key: callKey(r.id, tok.ID), Handler: TimerHandler,
		DueAt:   r.now.Add(r.e.opts.CallRetry),
		Payload: map[string]any{"kind": kindCall, "instance": r.id, "token": tok.ID}}); err != nil {
		return err
	}
	*r.calls = append(*r.calls, r.callOf(tok, n))
	return nil
}

// fieldValues computes a set_fields action's constants and expressions.
func (r *run) fieldValues(n *Node) (map[string]any, error) {
	fields := make(map[string]any, len(n.values)+len(n.exprs))
	for k, v := range n.values {
		fields[k] = v
	}
	if len(n.exprs) == 0 {
		return fields, nil
	}
	rec, err := r.record()
	if err != nil {
		return nil, err
	}
	act, err := r.fl.form.RecordActivation(rec)
	if err != nil {
		return nil, err
	}
	for k, e := range n.exprs {
		v, err := e.eval(act)
		if err != nil {
			return nil, fmt.Errorf("%w: node %s, field %s: %w", ErrStep, n.ID(), k, err)
		}
		fields[k] = v
	}
	return fields, nil
}

// timer parks tok until the node's due time, through a durable timer.
func (r *run) timer(tok *token, n *Node) error {
	due := r.now.Add(n.after)
	if n.spec.Field != "" {
		rec, err := r.record()
		if err != nil {
			return err
		}
		at, err := r.dateOf(rec[n.spec.Field], n)
		if err != nil {
			return fmt.Errorf("%w: timer %s: %w", ErrStep, n.ID(), err)
		}
		due = at.Add(n.offset)
	}
	tok.Wait, tok.Timer = waitTimer, timerKey(r.id)
	return events.Schedule(r.ctx, r.sc, events.Timer{Key: tok.Timer, Handler: TimerHandler, DueAt: due,
		Payload: map[string]any{"kind": kindTimer, "instance": r.id, "token": tok.ID}})
}

// dateOf reads a date ("2006-01-02", at the node's time of day in the engine's
// location) or a date-time (RFC 3339).
func (r *run) dateOf(v any, n *Node) (time.Time, error) {
	s, _ := v.(string)
	if s == "" {
		return time.Time{}, fmt.Errorf("record field %s holds no date", n.spec.Field)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), r.e.opts.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("record field %s holds %q, not a date", n.spec.Field, s)
	}
	if n.atMinute > 0 {
		t = t.Add(time.Duration(n.atMinute) * time.Minute)
	}
	return t, nil
}

// startChild starts the latest version of another flow on the same record, in this
// transaction; an instance of it already running there is left alone.
func (r *run) startChild(n *Node) (string, error) {
	if r.e.defs == nil {
		return "", fmt.Errorf("start flow %s: %w", n.spec.Flow, ErrNotConfigured)
	}
	child, err := r.e.defs.Latest(r.ctx, r.sc.Tenant(), n.spec.Flow)
	if err != nil {
		return "", fmt.Errorf("node %s: start flow %s: %w", n.ID(), n.spec.Flow, err)
	}
	if child.Form().Key() != r.inst.Form {
		return "", fmt.Errorf("%w: node %s: flow %s runs on form %s, not %s", ErrStep, n.ID(), child.Key(), child.Form().Key(), r.inst.Form)
	}
	cr, running, err := r.e.begin(r.ctx, r.sc, child, r.inst.RecordID, r.inst.StartedBy, r.rec, r.calls)
	if err != nil || running != "" {
		return running, err
	}
	cr.inst.Parent = &Parent{Instance: r.id, Node: n.ID()}
	cr.inline = r.inline
	if err := cr.drain(); err != nil {
		return "", err
	}
	if cr.rec != nil {
		r.rec = cr.rec // the sub-flow's writes, for what this flow reads next
	}
	return cr.id, cr.save()
}
