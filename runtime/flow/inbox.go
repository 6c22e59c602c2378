package flow

import (
	"context"
	"errors"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Inbox scopes (InboxQuery.Scope).
const (
	// ScopeMine: tasks the actor may act on now (assigned to them, or offered to them or
	// one of their roles and unclaimed).
	ScopeMine = "mine"
	// ScopeTeam: tasks of the actor's roles, whoever holds them.
	ScopeTeam = "team"
	// ScopeAll: every task of the tenant; the caller checks the actor may see them.
	ScopeAll = "all"
)

// InboxQuery selects tasks.
type InboxQuery struct {
	// Scope is mine (default), team or all.
	Scope string `json:"scope,omitempty"`
	// Status is open (default), completed, cancelled, or "any".
	Status string `json:"status,omitempty"`
	// Overdue keeps only open tasks past their due time.
	Overdue bool `json:"overdue,omitempty"`
	// RecordID keeps only the tasks of one record.
	RecordID string `json:"record_id,omitempty"`
	// Limit caps the page (default 50, at most store.MaxLimit); Cursor continues a page.
	Limit  int    `json:"limit,omitempty"`
	Cursor string `json:"cursor,omitempty"`
}

// TaskPage is one page of tasks, oldest first; Next continues it ("" on the last page).
type TaskPage struct {
	Tasks []*Task `json:"tasks"`
	Next  string  `json:"next,omitempty"`
}

// TaskCounts are the figures of an inbox badge.
type TaskCounts struct {
	Open    int64 `json:"open"`
	Overdue int64 `json:"overdue"`
}

// Inbox lists the tasks q selects for the actor.
func (e *Engine) Inbox(ctx context.Context, a form.Actor, q InboxQuery) (*TaskPage, error) {
	f, err := e.inboxFilter(a, q)
	if err != nil {
		return nil, err
	}
	sc, err := e.scope(ctx, a.Tenant)
	if err != nil {
		return nil, err
	}
	sq := store.Query{Filter: f, Limit: q.Limit, Cursor: q.Cursor}
	if q.Status != "any" {
		// One status: sorting by it keeps the id order and lets the status index yield
		// it, so a page of open tasks reads the open tasks, not every task ever closed.
		sq.Sort = []store.Sort{{Field: fStatus}}
	}
	page, err := sc.Collection(TasksCollection).Find(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := &TaskPage{Tasks: make([]*Task, 0, len(page.Docs)), Next: page.Next}
	for _, d := range page.Docs {
		var td taskDoc
		if err := decode(d.Data, &td); err != nil {
			return nil, err
		}
		out.Tasks = append(out.Tasks, td.public(d.ID, d.Version))
	}
	return out, nil
}

// Task returns a task by id. The caller checks the actor may see it (a candidate, the
// assignee, a supervisor, or one allowed to read the record).
func (e *Engine) Task(ctx context.Context, tenant, id string) (*Task, error) {
	sc, err := e.scope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	doc, td, err := loadTask(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return td.public(doc.ID, doc.Version), nil
}

// Counts returns how many open tasks are the actor's (scope mine), and how many of them
// are overdue.
func (e *Engine) Counts(ctx context.Context, a form.Actor) (TaskCounts, error) {
	var c TaskCounts
	sc, err := e.scope(ctx, a.Tenant)
	if err != nil {
		return c, err
	}
	coll := sc.Collection(TasksCollection)
	open, err := e.inboxFilter(a, InboxQuery{Scope: ScopeMine})
	if err != nil {
		return c, err
	}
	if c.Open, err = coll.Count(ctx, open); err != nil {
		return c, err
	}
	overdue, _ := e.inboxFilter(a, InboxQuery{Scope: ScopeMine, Overdue: true})
	c.Overdue, err = coll.Count(ctx, overdue)
	return c, err
}

func (e *Engine) inboxFilter(a form.Actor, q InboxQuery) (*store.Filter, error) {
	var ps problems
	var who *store.Filter
	switch q.Scope {
	case "", ScopeMine:
		alts := []*store.Filter{{Field: fAudience, Op: store.OpContains, Value: userPrefix + a.UserID}}
		for _, role := range a.Roles {
			alts = append(alts, &store.Filter{Field: fAudience, Op: store.OpContains, Value: rolePrefix + role})
		}
		who = store.Or(alts...)
	case ScopeTeam:
		// No task has status "none": an actor without roles has no team.
		alts := []*store.Filter{store.Eq(fStatus, "none")}
		for _, role := range a.Roles {
			alts = append(alts, &store.Filter{Field: fRoles, Op: store.OpContains, Value: role})
		}
		who = store.Or(alts...)
	case ScopeAll:
	default:
		ps.Add("/scope", "enum", "must be mine, team or all")
	}
	var status *store.Filter
	switch q.Status {
	case "", TaskOpen:
		status = store.Eq(fStatus, TaskOpen)
	case TaskCompleted, TaskCancelled:
		status = store.Eq(fStatus, q.Status)
	case "any":
	default:
		ps.Add("/status", "enum", "must be open, completed, cancelled or any")
	}
	if len(a.Roles) > store.MaxFilterNodes/2 {
		ps.Add("/roles", "too_many", "the actor has too many roles to filter by")
	}
	if len(ps) > 0 {
		return nil, &ActError{Problems: ps}
	}
	var overdue, record *store.Filter
	if q.Overdue {
		overdue = store.And(store.Eq(fStatus, TaskOpen), store.Gt(fDueAt, int64(0)), store.Lt(fDueAt, e.now().UnixMilli()))
	}
	if q.RecordID != "" {
		record = store.Eq(fRecordID, q.RecordID)
	}
	return store.And(who, status, overdue, record), nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
