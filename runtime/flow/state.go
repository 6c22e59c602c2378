package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Field names the engine filters on.
const (
	fRecordID = "record_id"
	fInstance = "instance"
	fStatus   = "status"
	fDueAt    = "due_at"
	fAudience = "audience"
	fRoles    = "roles"
	fFlow     = "flow"
	fToken    = "token"
)

// byIndexed selects the documents whose field, which one of the engine's indexes
// leads with, equals value and that match more, in id order. The query sorts by field
// too, which changes nothing of the order (every document has the same value) but lets
// only that index yield it: a store that plans without statistics yet (a new database
// or tenant) would otherwise walk every document of the collection in id order looking
// for a match, and a start would cost time in proportion to all instances.
func byIndexed(field string, value any, more ...*store.Filter) store.Query {
	return store.Query{Filter: store.And(append([]*store.Filter{store.Eq(field, value)}, more...)...),
		Sort: []store.Sort{{Field: field}}}
}

// Instance statuses.
const (
	StatusRunning   = "running"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
)

// Task statuses.
const (
	TaskOpen      = "open"
	TaskCompleted = "completed"
	TaskCancelled = "cancelled"
)

// What a token waits on.
const (
	waitTask  = "task"
	waitTimer = "timer"
	waitCall  = "call"
	waitJoin  = "join"
)

// instanceDoc is an instance as stored. Times are unix milliseconds, so they sort and
// filter alike on every engine.
type instanceDoc struct {
	Flow      string   `json:"flow"`
	Version   int      `json:"version"`
	Form      string   `json:"form"`
	RecordID  string   `json:"record_id"`
	Status    string   `json:"status"`
	Outcome   string   `json:"outcome,omitempty"`
	StartedBy string   `json:"started_by,omitempty"`
	StartedAt int64    `json:"started_at"`
	EndedAt   int64    `json:"ended_at,omitempty"`
	Tokens    []*token `json:"tokens"`
	Passed    []string `json:"passed"`
	Parent    *Parent  `json:"parent,omitempty"`
}

// token is one position of an instance; parallel branches hold one each.
type token struct {
	ID    string `json:"id"`
	Node  string `json:"node"`
	Since int64  `json:"since"`
	Wait  string `json:"wait,omitempty"`
	Via   int    `json:"via"` // index of the edge it arrived by (-1: none), for joins
	// Timer is the key of the timer a token at a timer node waits on: new on every
	// entry, so a firing that leads to another timer never replaces its own.
	Timer string `json:"timer,omitempty"`
}

// Parent names the instance and node whose start_flow action started an instance.
type Parent struct {
	Instance string `json:"instance"`
	Node     string `json:"node"`
}

// taskDoc is a task as stored.
type taskDoc struct {
	Instance    string    `json:"instance"`
	Token       string    `json:"token"`
	Flow        string    `json:"flow"`
	FlowVersion int       `json:"flow_version"`
	Node        string    `json:"node"`
	Name        Localized `json:"name,omitempty"`
	Kind        string    `json:"kind"`
	Mode        string    `json:"mode"`
	Form        string    `json:"form"`
	RecordID    string    `json:"record_id"`
	Status      string    `json:"status"`
	Candidates  []string  `json:"candidates"`
	Audience    []string  `json:"audience"`
	Roles       []string  `json:"roles"`
	Assignee    string    `json:"assignee,omitempty"`
	Owner       string    `json:"owner,omitempty"`
	Outcome     string    `json:"outcome,omitempty"`
	DecidedBy   string    `json:"decided_by,omitempty"`
	Source      string    `json:"source,omitempty"`
	Comments    []Comment `json:"comments,omitempty"`
	Editable    []string  `json:"editable,omitempty"`
	Escalated   bool      `json:"escalated,omitempty"`
	CreatedAt   int64     `json:"created_at"`
	DueAt       int64     `json:"due_at"`
	CompletedAt int64     `json:"completed_at,omitempty"`
}

// Comment is a remark on a task.
type Comment struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// Instance is one run of a flow on a record.
type Instance struct {
	ID        string     `json:"id"`
	Flow      string     `json:"flow"`
	Version   int        `json:"version"`
	Form      string     `json:"form"`
	RecordID  string     `json:"record_id"`
	Status    string     `json:"status"`
	Outcome   string     `json:"outcome,omitempty"`
	StartedBy string     `json:"started_by,omitempty"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// Positions are the nodes the instance waits at: a task, a timer, a plugin call or
	// a join (one per parallel branch).
	Positions []Position `json:"positions"`
	// Passed lists the nodes entered so far, first entry first.
	Passed []string `json:"passed"`
	Parent *Parent  `json:"parent,omitempty"`
	// DocVersion is the stored document's version.
	DocVersion int64 `json:"doc_version"`
}

// Position is where one branch of an instance waits.
type Position struct {
	Node    string    `json:"node"`
	Since   time.Time `json:"since"`
	Waiting string    `json:"waiting"`
}

// Task is a human task: an approval or a task node's work for its candidates, or a
// task opened on a record outside any flow (CreateTask), whose Instance, Flow and Node
// are empty.
type Task struct {
	ID          string    `json:"id"`
	Instance    string    `json:"instance"`
	Flow        string    `json:"flow"`
	FlowVersion int       `json:"flow_version"`
	Node        string    `json:"node"`
	Name        Localized `json:"name,omitempty"`
	// Kind is approval or task; Mode any or all (countersign: one task per user).
	Kind     string `json:"kind"`
	Mode     string `json:"mode"`
	Form     string `json:"form"`
	RecordID string `json:"record_id"`
	Status   string `json:"status"`
	// Candidates are who the task was first offered to ("user:u1", "role:reviewer");
	// Audience who may act on it now; Assignee who claimed or was given it; Owner who
	// delegated it.
	Candidates []string `json:"candidates"`
	Audience   []string `json:"audience"`
	Assignee   string   `json:"assignee,omitempty"`
	Owner      string   `json:"owner,omitempty"`
	// Outcome is the decision that closed it (approve, reject, complete, return) or
	// cancelled; DecidedBy who made it ("system" for an SLA's automatic decision).
	Outcome   string `json:"outcome,omitempty"`
	DecidedBy string `json:"decided_by,omitempty"`
	// Source names what opened a task outside any flow ("rule:<key>", CreateTask).
	Source   string    `json:"source,omitempty"`
	Comments []Comment `json:"comments,omitempty"`
	// Editable are the fields the assignee may change with the decision.
	Editable    []string   `json:"editable,omitempty"`
	Escalated   bool       `json:"escalated,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	// Version is the stored version; pass it back in Action.Version.
	Version int64 `json:"version"`
}

// Overdue reports whether an open task is past its due time at now.
func (t *Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && t.DueAt != nil && now.After(*t.DueAt)
}

// encode turns a stored struct into a document body (numbers as json.Number, as the
// store gives them back).
func encode(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return store.DecodeData(b)
}

// decode reads a document body into a stored struct.
func decode(d map[string]any, v any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode stored %T: %w", v, err)
	}
	return nil
}

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func optTime(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := fromMillis(ms)
	return &t
}

func (d *instanceDoc) public(id string, version int64) *Instance {
	in := &Instance{ID: id, Flow: d.Flow, Version: d.Version, Form: d.Form, RecordID: d.RecordID,
		Status: d.Status, Outcome: d.Outcome, StartedBy: d.StartedBy, StartedAt: fromMillis(d.StartedAt),
		EndedAt: optTime(d.EndedAt), Passed: append([]string{}, d.Passed...), Parent: d.Parent, DocVersion: version,
		Positions: make([]Position, 0, len(d.Tokens))}
	for _, t := range d.Tokens {
		in.Positions = append(in.Positions, Position{Node: t.Node, Since: fromMillis(t.Since), Waiting: t.Wait})
	}
	return in
}

func (d *taskDoc) public(id string, version int64) *Task {
	return &Task{ID: id, Instance: d.Instance, Flow: d.Flow, FlowVersion: d.FlowVersion, Node: d.Node,
		Name: d.Name, Kind: d.Kind, Mode: d.Mode, Form: d.Form, RecordID: d.RecordID, Status: d.Status,
		Candidates: d.Candidates, Audience: d.Audience, Assignee: d.Assignee, Owner: d.Owner,
		Outcome: d.Outcome, DecidedBy: d.DecidedBy, Source: d.Source, Comments: d.Comments, Editable: d.Editable,
		Escalated: d.Escalated, CreatedAt: fromMillis(d.CreatedAt), DueAt: optTime(d.DueAt),
		CompletedAt: optTime(d.CompletedAt), Version: version}
}

// loadInstance reads an instance document.
func loadInstance(ctx context.Context, sc store.Scope, id string) (*store.Doc, *instanceDoc, error) {
	doc, err := sc.Collection(InstancesCollection).Get(ctx, id)
	if err != nil {
		return nil, nil, notFound("instance", id, err)
	}
	d, err := instanceOf(doc.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("instance %s: %w", id, err)
	}
	return doc, d, nil
}

// loadTask reads a task document.
func loadTask(ctx context.Context, sc store.Scope, id string) (*store.Doc, *taskDoc, error) {
	doc, err := sc.Collection(TasksCollection).Get(ctx, id)
	if err != nil {
		return nil, nil, notFound("task", id, err)
	}
	var d taskDoc
	if err := decode(doc.Data, &d); err != nil {
		return nil, nil, err
	}
	return doc, &d, nil
}

func notFound(what, id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s %s: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("read %s %s: %w", what, id, err)
}
