package flow

import (
	"context"
	"fmt"

	"github.com/credolabs/credo/runtime/events"
)

// Fire handles the engine's timers (events.TimerHandler): a timer node that is due, an
// SLA that ran out, a plugin or webhook call to retry. It runs inside the scheduler's
// transaction, so calls the instance reaches are made in place. A timer whose instance
// or task moved on meanwhile does nothing.
func (e *Engine) Fire(ctx context.Context, f *events.Firing) error {
	p := f.Timer.Payload
	kind, _ := p["kind"].(string)
	if kind == kindSLA {
		taskID, _ := p["task"].(string)
		return e.fireSLA(ctx, f, taskID)
	}
	instance, _ := p["instance"].(string)
	tokID, _ := p["token"].(string)
	r, err := e.load(ctx, f.Scope, instance, nil)
	if err != nil || r == nil {
		return err
	}
	r.inline, r.firing = true, f.Timer.Key
	tok := r.token(tokID)
	switch {
	case tok == nil:
		return nil
	case kind == kindTimer && tok.Wait == waitTimer && tok.Timer == f.Timer.Key:
		if err := r.leave(tok, r.fl.nodes[tok.Node].out[0], "timer"); err != nil {
			return err
		}
	case kind == kindCall && tok.Wait == waitCall:
		if err := r.resumeCall(tok.ID); err != nil {
			return err
		}
	default:
		return nil
	}
	if err := r.drain(); err != nil {
		return err
	}
	return r.save()
}

// fireSLA applies a task's SLA action: escalate or reassign it, or decide it.
func (e *Engine) fireSLA(ctx context.Context, f *events.Firing, taskID string) error {
	doc, td, err := loadTask(ctx, f.Scope, taskID)
	if err != nil || td.Status != TaskOpen {
		return ignoreMissing(err)
	}
	r, err := e.load(ctx, f.Scope, td.Instance, nil)
	if err != nil || r == nil {
		return err
	}
	r.inline, r.firing = true, f.Timer.Key
	tok := r.token(td.Token)
	n := r.fl.nodes[td.Node]
	if tok == nil || n.spec.SLA == nil {
		return nil
	}
	sla := n.spec.SLA
	switch sla.Action {
	case SLAAutoApprove, SLAAutoReject:
		decision := DecisionApprove
		if sla.Action == SLAAutoReject {
			decision = DecisionReject
		}
		if err := r.closeTask(doc, td, decision, SystemActor, ""); err != nil {
			return err
		}
		if err := r.decided(tok, n, doc.ID, decision, SystemActor); err != nil {
			return err
		}
	case SLAEscalate, SLAReassign:
		if sla.To.Role != "" {
			td.Assignee, td.Audience, td.Roles = "", []string{rolePrefix + sla.To.Role}, []string{sla.To.Role}
		} else {
			td.Assignee, td.Audience = sla.To.User, []string{userPrefix + sla.To.User}
		}
		td.Escalated = true
		if err := r.putTask(doc.ID, doc, td); err != nil {
			return err
		}
		to := cmpOr(td.Assignee, td.Audience[0])
		if err := r.taskStep(doc.ID, td, sla.Action, SystemActor, "", map[string]any{"to": to}); err != nil {
			return err
		}
		if err := r.emit(EventTaskEscalated, map[string]any{"task": doc.ID, "node": td.Node, "to": to, "how": sla.Action}); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: node %s: SLA action %s", ErrStep, n.ID(), sla.Action)
	}
	if err := r.drain(); err != nil {
		return err
	}
	return r.save()
}

func ignoreMissing(err error) error {
	if err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

var _ events.TimerHandler = (*Engine)(nil)
