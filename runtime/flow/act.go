package flow

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Action kinds a person takes on a task (Action.Kind).
const (
	ActClaim    = "claim"
	ActApprove  = DecisionApprove
	ActReject   = DecisionReject
	ActReturn   = DecisionReturn
	ActComplete = DecisionComplete
	ActReassign = "reassign"
	ActDelegate = "delegate"
	ActComment  = "comment"
)

// Action is what a person does to a task.
type Action struct {
	// Kind is claim, approve, reject, return, complete, reassign, delegate or comment.
	Kind string `json:"kind"`
	// To is the node to return to (return), or the user ("u1", "user:u1") or role
	// ("role:reviewer", reassign only) the task goes to (reassign, delegate).
	To string `json:"to,omitempty"`
	// Comment is kept on the task and in the history; required for comment.
	Comment string `json:"comment,omitempty"`
	// Fields are record edits made with approve, reject or complete; only the node's
	// editable fields are accepted.
	Fields map[string]any `json:"fields,omitempty"`
	// Version, when not zero, must be the task's current version (Task.Version).
	Version int64 `json:"version,omitempty"`
}

// MaxCommentLength bounds a comment, in bytes.
const MaxCommentLength = 4000

// check validates the action's shape before anything is read.
func (act *Action) check() error {
	var ps problems
	switch act.Kind {
	case ActClaim, ActApprove, ActReject, ActReturn, ActComplete, ActReassign, ActDelegate, ActComment:
	default:
		ps.Add("/kind", "enum", "must be one of claim, approve, reject, return, complete, reassign, delegate, comment")
	}
	needsTo := act.Kind == ActReturn || act.Kind == ActReassign || act.Kind == ActDelegate
	if needsTo && act.To == "" {
		ps.Add("/to", "required", "names where the task goes")
	}
	if !needsTo && act.To != "" {
		ps.Add("/to", "not_allowed", "applies to return, reassign and delegate only")
	}
	if act.Kind == ActComment && strings.TrimSpace(act.Comment) == "" {
		ps.Add("/comment", "required", "a comment needs text")
	}
	if len(act.Comment) > MaxCommentLength {
		ps.AddParams("/comment", "maxLength", map[string]any{"limit": MaxCommentLength}, "is longer than %d bytes", MaxCommentLength)
	}
	if len(act.Fields) > 0 && act.Kind != ActApprove && act.Kind != ActReject && act.Kind != ActComplete {
		ps.Add("/fields", "not_allowed", "field edits go with approve, reject or complete")
	}
	if len(ps) > 0 {
		return &ActError{Problems: ps}
	}
	return nil
}

// Act applies a person's action to a task and advances the instance: the task, the
// instance, record edits (through Options.Records), history and events commit together.
// ErrForbidden when the actor may not act on the task, ErrConflict on a stale Version or
// a task claimed by someone else, ErrClosed when the task is no longer open, *ActError
// for a malformed action (a field not editable at the node, a return to a node the
// instance has not passed).
func (e *Engine) Act(ctx context.Context, a form.Actor, taskID string, act Action) (*Task, error) {
	if err := act.check(); err != nil {
		return nil, err
	}
	sc, err := e.scope(ctx, a.Tenant)
	if err != nil {
		return nil, err
	}
	var calls []pendingCall
	err = inTx(ctx, sc, func(ctx context.Context) error {
		calls = nil
		doc, td, err := loadTask(ctx, sc, taskID)
		if err != nil {
			return err
		}
		if act.Version != 0 && act.Version != doc.Version {
			return fmt.Errorf("task %s: version %d, not %d: %w", taskID, doc.Version, act.Version, ErrConflict)
		}
		if td.Status != TaskOpen {
			return fmt.Errorf("task %s is %s: %w", taskID, td.Status, ErrClosed)
		}
		if td.Instance == "" { // opened outside any flow (CreateTask)
			r := e.taskRun(ctx, sc, td.Form, td.RecordID)
			if err := r.act(a, doc, td, act); err != nil {
				return err
			}
			return r.saveHistory()
		}
		r, err := e.load(ctx, sc, td.Instance, &calls)
		if err != nil {
			return err
		}
		if r == nil || r.token(td.Token) == nil {
			return fmt.Errorf("task %s: its instance moved on: %w", taskID, ErrClosed)
		}
		if err := r.act(a, doc, td, act); err != nil {
			return err
		}
		if err := r.drain(); err != nil {
			return err
		}
		// Saving the instance on every action also serialises concurrent actions on
		// one instance (the countersign's last approval must see the others).
		if err := r.save(); err != nil {
			return err
		}
		withRecord(calls, r.rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s task %s: %w", act.Kind, taskID, err)
	}
	_ = e.settle(ctx, sc, calls)
	doc, td, err := loadTask(ctx, sc, taskID)
	if err != nil {
		return nil, err
	}
	return td.public(doc.ID, doc.Version), nil
}

// act applies act to a task of the run's instance, or, in a run of no flow, to a task
// opened outside any flow.
func (r *run) act(a form.Actor, doc *store.Doc, td *taskDoc, act Action) error {
	me := a.UserID
	switch act.Kind {
	case ActComment:
		if !r.mayDecide(a, td) && !r.e.supervisor(a) {
			return fmt.Errorf("comment on task %s: %w", doc.ID, ErrForbidden)
		}
		r.comment(td, me, act.Comment)
		if err := r.putTask(doc.ID, doc, td); err != nil {
			return err
		}
		if err := r.taskStep(doc.ID, td, ActComment, me, act.Comment, nil); err != nil {
			return err
		}
		return r.emit(EventTaskCommented, map[string]any{"task": doc.ID, "node": td.Node, "by": me})
	case ActClaim:
		if td.Assignee == me {
			return nil
		}
		if td.Assignee != "" {
			return fmt.Errorf("task %s is claimed by another user: %w", doc.ID, ErrConflict)
		}
		if !r.isCandidate(a, td) {
			return fmt.Errorf("claim task %s: %w", doc.ID, ErrForbidden)
		}
		td.Assignee, td.Audience = me, []string{userPrefix + me}
		if err := r.putTask(doc.ID, doc, td); err != nil {
			return err
		}
		if err := r.taskStep(doc.ID, td, ActClaim, me, act.Comment, nil); err != nil {
			return err
		}
		return r.emit(EventTaskClaimed, map[string]any{"task": doc.ID, "node": td.Node, "by": me})
	case ActReassign, ActDelegate:
		return r.transfer(a, doc, td, act)
	}

	// approve, reject, complete, return: decisions
	if !r.mayDecide(a, td) {
		return fmt.Errorf("%s task %s: %w", act.Kind, doc.ID, ErrForbidden)
	}
	if r.fl == nil {
		return r.decideOutsideFlow(doc, td, act, me)
	}
	n := r.fl.nodes[td.Node]
	tok := r.token(td.Token)
	if err := r.checkDecision(n, act); err != nil {
		return err
	}
	var ps problems
	for _, k := range sortedKeys(act.Fields) {
		if !n.editable[k] {
			ps.Add(ptr("/fields", k), "not_editable", "is not editable at node %s", n.ID())
		}
	}
	if len(ps) > 0 {
		return &ActError{Problems: ps}
	}
	if fields := r.stamped(n, act, me); len(fields) > 0 {
		if err := r.write(n.ID(), fields, me, false); err != nil {
			return err
		}
	}
	if err := r.closeTask(doc, td, act.Kind, me, act.Comment); err != nil {
		return err
	}
	if act.Kind == ActReturn {
		return r.returnTo(tok, doc.ID, r.fl.nodes[act.To], me)
	}
	return r.decided(tok, n, doc.ID, act.Kind, me)
}

// stamped is what a decision writes to the record: the person's edits and the node's
// stamp of who decided and when (a return decides nothing).
func (r *run) stamped(n *Node, act Action, me string) map[string]any {
	st := n.spec.Stamp
	if st == nil || act.Kind == ActReturn || (len(st.On) > 0 && !slices.Contains(st.On, act.Kind)) {
		return act.Fields
	}
	fields := maps.Clone(act.Fields)
	if fields == nil {
		fields = map[string]any{}
	}
	if st.DecidedBy != "" {
		fields[st.DecidedBy] = me
	}
	if st.DecidedOn != "" {
		fields[st.DecidedOn] = r.now.In(r.e.opts.Location).Format(time.DateOnly)
	}
	return fields
}

// checkDecision checks a decision fits the node: approve and reject on approvals,
// complete on tasks, return to a human node the instance has passed.
func (r *run) checkDecision(n *Node, act Action) error {
	switch act.Kind {
	case ActApprove, ActReject:
		if n.Type() != NodeApproval {
			return actError("/kind", "decision", "a %s node is completed, not approved or rejected", n.Type())
		}
	case ActComplete:
		if n.Type() != NodeTask {
			return actError("/kind", "decision", "an approval node is approved or rejected, not completed")
		}
	case ActReturn:
		target, ok := r.fl.nodes[act.To]
		switch {
		case !ok:
			return actError("/to", "unknown_node", "names no node of flow %s", r.fl.Key())
		case !target.human():
			return actError("/to", "not_human", "a task can be returned to an approval or task node only")
		case act.To == n.ID() || !slices.Contains(r.inst.Passed, act.To):
			return actError("/to", "not_passed", "the instance has not passed node %s before this one", act.To)
		}
	}
	return nil
}

// closeTask completes a task with an outcome and cancels its SLA timer.
func (r *run) closeTask(doc *store.Doc, td *taskDoc, outcome, actor, comment string) error {
	if comment != "" {
		r.comment(td, actor, comment)
	}
	td.Status, td.Outcome, td.DecidedBy, td.CompletedAt = TaskCompleted, outcome, actor, r.ms()
	if td.Assignee == "" {
		td.Assignee = actor
	}
	if err := r.putTask(doc.ID, doc, td); err != nil {
		return err
	}
	if td.Instance != "" { // a task outside any flow has no SLA timer
		if err := cancelTimer(r, slaKey(doc.ID)); err != nil {
			return err
		}
	}
	if err := r.taskStep(doc.ID, td, outcome, actor, comment, nil); err != nil {
		return err
	}
	return r.emit(EventTaskCompleted, map[string]any{"task": doc.ID, "node": td.Node, "outcome": outcome, "by": actor})
}

// transfer reassigns or delegates a task.
func (r *run) transfer(a form.Actor, doc *store.Doc, td *taskDoc, act Action) error {
	me := a.UserID
	role, isRole := strings.CutPrefix(act.To, rolePrefix)
	user := strings.TrimPrefix(act.To, userPrefix)
	switch {
	case act.Kind == ActDelegate && isRole:
		return actError("/to", "user_required", "a task is delegated to one user")
	case isRole && td.Mode == ModeAll:
		return actError("/to", "user_required", "a countersign task belongs to one user; reassign it to a user")
	case !isRole && (user == "" || strings.ContainsAny(user, ": \t")):
		return actError("/to", "principal", "must be a user id, user:<id> or role:<role>")
	}
	allowed := r.mayDecide(a, td) || (act.Kind == ActReassign && r.e.supervisor(a))
	if !allowed {
		return fmt.Errorf("%s task %s: %w", act.Kind, doc.ID, ErrForbidden)
	}
	detail := map[string]any{"to": act.To}
	if isRole {
		td.Assignee, td.Audience, td.Roles = "", []string{rolePrefix + role}, []string{role}
	} else {
		if act.Kind == ActDelegate {
			td.Owner = cmpOr(td.Assignee, me)
		}
		td.Assignee, td.Audience = user, []string{userPrefix + user}
	}
	if act.Comment != "" {
		r.comment(td, me, act.Comment)
	}
	if err := r.putTask(doc.ID, doc, td); err != nil {
		return err
	}
	if err := r.taskStep(doc.ID, td, act.Kind, me, act.Comment, detail); err != nil {
		return err
	}
	return r.emit(EventTaskAssigned, map[string]any{"task": doc.ID, "node": td.Node, "by": me, "to": act.To, "how": act.Kind})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (r *run) comment(td *taskDoc, by, text string) {
	td.Comments = append(td.Comments, Comment{By: by, At: r.now, Text: text})
}

// taskStep records a task action in the history with the time the task had waited.
func (r *run) taskStep(id string, td *taskDoc, action, actor, comment string, detail map[string]any) error {
	return r.step(stepDoc{Node: td.Node, NodeType: td.Kind, Task: id, Action: action, Actor: actor,
		DurationMs: r.ms() - td.CreatedAt, Comment: comment, Detail: detail})
}

// isCandidate reports whether the task is offered to the actor, by id or by role.
func (r *run) isCandidate(a form.Actor, td *taskDoc) bool {
	for _, x := range td.Audience {
		if u, ok := strings.CutPrefix(x, userPrefix); ok && u == a.UserID {
			return true
		}
		if role, ok := strings.CutPrefix(x, rolePrefix); ok && slices.Contains(a.Roles, role) {
			return true
		}
	}
	return false
}

// mayDecide: the assignee, or any candidate of an unclaimed task.
func (r *run) mayDecide(a form.Actor, td *taskDoc) bool {
	if a.UserID == "" {
		return false
	}
	if td.Assignee != "" {
		return td.Assignee == a.UserID
	}
	return r.isCandidate(a, td)
}

func (e *Engine) supervisor(a form.Actor) bool {
	for _, role := range a.Roles {
		if slices.Contains(e.opts.SupervisorRoles, role) {
			return true
		}
	}
	return false
}
