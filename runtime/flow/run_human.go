package flow

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/store"
)

// Audience entries: who a task is offered to.
const (
	userPrefix = "user:"
	rolePrefix = "role:"
	// SystemActor decides tasks on an SLA's auto_approve or auto_reject.
	SystemActor = "system"
)

// openTasks creates the tasks of an approval or task node: one offered to every
// candidate (or-sign), or one per candidate user (countersign).
func (r *run) openTasks(tok *token, n *Node) error {
	audience, roles, err := r.candidates(n)
	if err != nil {
		return err
	}
	groups := [][]string{audience}
	if n.spec.Mode == ModeAll && n.Type() == NodeApproval {
		users, err := r.usersOf(n, audience)
		if err != nil {
			return err
		}
		groups = groups[:0]
		for _, u := range users {
			groups = append(groups, []string{userPrefix + u})
		}
	}
	for _, aud := range groups {
		td := &taskDoc{Instance: r.id, Token: tok.ID, Flow: r.fl.Key(), FlowVersion: r.fl.Version(), Node: n.ID(),
			Name: n.spec.Name, Kind: n.Type(), Mode: n.spec.Mode, Form: r.inst.Form, RecordID: r.inst.RecordID,
			Status: TaskOpen, Candidates: aud, Audience: aud, Roles: roles, Editable: n.spec.Editable, CreatedAt: r.ms()}
		if len(aud) == 1 && strings.HasPrefix(aud[0], userPrefix) {
			td.Assignee = strings.TrimPrefix(aud[0], userPrefix)
		}
		if n.sla > 0 {
			td.DueAt = r.now.Add(n.sla).UnixMilli()
		}
		id := store.NewID()
		if err := r.putTask(id, nil, td); err != nil {
			return err
		}
		if td.DueAt > 0 {
			if err := events.Schedule(r.ctx, r.sc, events.Timer{Key: slaKey(id), Handler: TimerHandler,
				DueAt: fromMillis(td.DueAt), Payload: map[string]any{"kind": kindSLA, "task": id}}); err != nil {
				return err
			}
		}
		if err := r.emit(EventTaskCreated, map[string]any{"task": id, "node": n.ID(), "audience": aud}); err != nil {
			return err
		}
	}
	return nil
}

// candidates resolves a node's candidates to audience entries and the roles named.
func (r *run) candidates(n *Node) (audience, roles []string, err error) {
	add := func(s string) {
		if !slices.Contains(audience, s) {
			audience = append(audience, s)
		}
	}
	for _, c := range n.spec.Candidates {
		switch {
		case c.Role != "":
			add(rolePrefix + c.Role)
			roles = append(roles, c.Role)
		case c.User != "":
			add(userPrefix + c.User)
		case c.Field != "":
			rec, err := r.record()
			if err != nil {
				return nil, nil, err
			}
			if u, _ := rec[c.Field].(string); u != "" {
				add(userPrefix + u)
			}
		case c.Manager:
			if r.e.opts.Directory == nil {
				return nil, nil, fmt.Errorf("node %s: manager candidate: %w", n.ID(), ErrNotConfigured)
			}
			m, err := r.e.opts.Directory.ManagerOf(r.ctx, r.sc.Tenant(), r.inst.StartedBy)
			if err != nil {
				return nil, nil, fmt.Errorf("node %s: manager of %s: %w", n.ID(), r.inst.StartedBy, err)
			}
			if m != "" {
				add(userPrefix + m)
			}
		}
	}
	if len(audience) == 0 {
		return nil, nil, fmt.Errorf("node %s of flow %s: %w", n.ID(), r.fl.Key(), ErrNoCandidates)
	}
	return audience, roles, nil
}

// usersOf expands roles to their users for countersign.
func (r *run) usersOf(n *Node, audience []string) ([]string, error) {
	var users []string
	for _, a := range audience {
		if u, ok := strings.CutPrefix(a, userPrefix); ok {
			users = append(users, u)
			continue
		}
		if r.e.opts.Directory == nil {
			return nil, fmt.Errorf("node %s: countersign by role: %w", n.ID(), ErrNotConfigured)
		}
		us, err := r.e.opts.Directory.UsersWithRole(r.ctx, r.sc.Tenant(), strings.TrimPrefix(a, rolePrefix))
		if err != nil {
			return nil, fmt.Errorf("node %s: users of %s: %w", n.ID(), a, err)
		}
		users = append(users, us...)
	}
	slices.Sort(users)
	users = slices.Compact(users)
	if len(users) == 0 {
		return nil, fmt.Errorf("node %s of flow %s: %w", n.ID(), r.fl.Key(), ErrNoCandidates)
	}
	return users, nil
}

// putTask inserts (doc nil) or updates a task document. An update that lost a race
// runs the transaction again on fresh state.
func (r *run) putTask(id string, doc *store.Doc, td *taskDoc) error {
	coll := r.sc.Collection(TasksCollection)
	if doc == nil {
		return coll.Insert(r.ctx, &store.Doc{ID: id, Data: td.data()})
	}
	doc.Data = td.data()
	if err := coll.Update(r.ctx, doc); err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = errRetry
		}
		return fmt.Errorf("save task %s: %w", id, err)
	}
	return nil
}

// openTasksOf lists the open tasks of a token.
func (r *run) openTasksOf(tokenID string) ([]*store.Doc, error) {
	q := byIndexed(fInstance, r.id, store.Eq(fToken, tokenID), store.Eq(fStatus, TaskOpen))
	q.Limit = store.MaxLimit
	page, err := r.sc.Collection(TasksCollection).Find(r.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read open tasks of instance %s: %w", r.id, err)
	}
	return page.Docs, nil
}

// cancelTasks closes the open tasks of a token but except, with their SLA timers.
func (r *run) cancelTasks(tokenID, except string) error {
	docs, err := r.openTasksOf(tokenID)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		if doc.ID == except {
			continue
		}
		var td taskDoc
		if err := decode(doc.Data, &td); err != nil {
			return err
		}
		td.Status, td.Outcome, td.CompletedAt = TaskCancelled, TaskCancelled, r.ms()
		if err := r.putTask(doc.ID, doc, &td); err != nil {
			return err
		}
		if err := cancelTimer(r, slaKey(doc.ID)); err != nil {
			return err
		}
		if err := r.emit(EventTaskCancelled, map[string]any{"task": doc.ID, "node": td.Node}); err != nil {
			return err
		}
	}
	return nil
}

// decided moves the instance on after a task closed with decision (approve, reject,
// complete). A countersign approval waits for the other candidates' tasks; one reject
// cancels them.
func (r *run) decided(tok *token, n *Node, taskID, decision, actor string) error {
	if n.Type() == NodeTask {
		return r.leaveNode(tok, n, n.out[0], decision, actor)
	}
	if n.spec.Mode == ModeAll {
		if decision == DecisionReject {
			if err := r.cancelTasks(tok.ID, taskID); err != nil {
				return err
			}
		} else {
			open, err := r.openTasksOf(tok.ID)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(open, func(d *store.Doc) bool { return d.ID != taskID }) {
				return nil // the others have yet to approve
			}
		}
	}
	for _, e := range n.out {
		if e.spec.Decision == decision {
			return r.leaveNode(tok, n, e, decision, actor)
		}
	}
	return fmt.Errorf("%w: node %s has no edge for %s", ErrStep, n.ID(), decision)
}

func (r *run) leaveNode(tok *token, n *Node, e *Edge, how, actor string) error {
	if err := r.left(tok, n, how, actor, nil); err != nil {
		return err
	}
	r.move(tok, e)
	return nil
}

// returnTo sends the instance back to an earlier human node: the returning branch goes
// there, and every other branch is cancelled.
func (r *run) returnTo(tok *token, taskID string, target *Node, actor string) error {
	if err := r.cancelTasks(tok.ID, taskID); err != nil {
		return err
	}
	for _, t := range slices.Clone(r.inst.Tokens) {
		if t != tok {
			if err := r.cancelWait(t, ""); err != nil {
				return err
			}
			r.removeToken(t)
		}
	}
	if err := r.left(tok, r.fl.nodes[tok.Node], DecisionReturn, actor, map[string]any{"to": target.ID()}); err != nil {
		return err
	}
	tok.Node, tok.Since, tok.Wait, tok.Via, tok.Timer = target.ID(), r.ms(), "", -1, ""
	r.queue = append(r.queue, tok)
	return nil
}

// Timer kinds (payload "kind") and keys.
const (
	kindTimer = "timer"
	kindSLA   = "sla"
	kindCall  = "call"
)

func timerKey(instance string) string     { return "flow:" + instance + "/timer:" + store.NewID() }
func callKey(instance, tok string) string { return "flow:" + instance + "/call:" + tok }
func slaKey(task string) string           { return "flow:task:" + task + "/sla" }
