package flow

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/credolabs/credo/store"
)

// Collections of a tenant that the engine owns.
const (
	// InstancesCollection holds one document per flow instance.
	InstancesCollection = "flow_instances"
	// TasksCollection holds the human tasks of every instance, open and closed.
	TasksCollection = "tasks"
	// HistoryCollection holds the steps of every instance: who did what, when, how long.
	HistoryCollection = "flow_history"
)

// TimerHandler is the name the engine's timers are scheduled under: register the Engine
// on the events.Registry with it (registry.HandleTimers(flow.TimerHandler, engine)).
const TimerHandler = "flow"

// Definitions gives the engine compiled flows; the builder's published versions back it.
type Definitions interface {
	// Flow returns version n of the flow with key; ErrFlowNotFound when there is none.
	Flow(ctx context.Context, tenant, key string, version int) (*Flow, error)
	// Latest returns the newest published version of the flow with key.
	Latest(ctx context.Context, tenant, key string) (*Flow, error)
}

// Decider runs a tenant's bound plugin of one decision kind (score, fraud) on a record
// and returns the result with its lineage (plugin, version, model, input hash).
// form.Decider has the same method, so one implementation serves both.
type Decider interface {
	Decide(ctx context.Context, kind, tenant, form, recordID string, record map[string]any) (map[string]any, error)
}

// Records reads and writes the record a flow runs on (the record service behind it).
// Both are called with the ctx of the engine's store transaction, so a Records that
// writes through the same store commits with the step that caused the write.
type Records interface {
	// Read returns the record's current data.
	Read(ctx context.Context, tenant, form, id string) (map[string]any, error)
	// Write applies w and returns the record's data after the write.
	Write(ctx context.Context, w RecordWrite) (map[string]any, error)
}

// RecordWrite is one change the engine makes to a record.
type RecordWrite struct {
	Tenant, Form, RecordID string
	// Fields maps top-level fields to their new values (nil clears a field).
	Fields map[string]any
	// Actor is the user whose task decision carried the edits; "" for the flow itself.
	Actor string
	// Source names the step: "flow:loan_approval/node:review".
	Source string
	// Decision marks the result of a score or fraud action written into its decision
	// field, which only automated decisions may write.
	Decision bool
}

// Webhooks sends a webhook action's call.
type Webhooks interface {
	Send(ctx context.Context, h Webhook) error
}

// Webhook is one call of a webhook action. Fields holds only the fields the action lists.
type Webhook struct {
	URL      string         `json:"-"`
	Tenant   string         `json:"tenant"`
	Flow     string         `json:"flow"`
	Version  int            `json:"version"`
	Instance string         `json:"instance"`
	Node     string         `json:"node"`
	Form     string         `json:"form"`
	RecordID string         `json:"record_id"`
	Fields   map[string]any `json:"fields,omitempty"`
}

// Directory answers who holds a role and who manages whom; tenants implements it.
type Directory interface {
	// UsersWithRole lists the users holding role (countersign by role).
	UsersWithRole(ctx context.Context, tenant, role string) ([]string, error)
	// ManagerOf returns the manager of user, "" when none.
	ManagerOf(ctx context.Context, tenant, user string) (string, error)
}

// Options configures an Engine. Zero values mean the documented defaults; a nil
// dependency makes the steps that need it fail with ErrNotConfigured.
type Options struct {
	// Clock gives the time of every step, due date and timer. Default time.Now.
	Clock func() time.Time
	// Decider runs score and fraud actions.
	Decider Decider
	// Records reads records for gateways, candidate and timer fields, and writes
	// set_fields, decisions and task field edits.
	Records Records
	// Webhooks sends webhook actions.
	Webhooks Webhooks
	// Directory resolves roles for countersign and the starter's manager.
	Directory Directory
	// NodeEvents, when set, says whether a node's flow.node_entered and flow.node_left
	// events are emitted; it is asked on every node an instance enters or leaves, so it
	// answers from memory. The rule engine's flow triggers are those events' readers,
	// so wire it to answer true for the nodes some rule of the tenant triggers on
	// (and for every node while unsure). Each event is one more write in the step's
	// transaction and later a delivery: a loan application that passes the loan
	// approval's six automated nodes into its review writes fifteen node events, which
	// no rule may read. The other events
	// (flow.started, task.*, flow.completed) are emitted as Heard says. Default: every
	// node's.
	NodeEvents func(tenant, flow, node string) bool
	// Heard, when set, says whether some handler listens to events of a type
	// (events.Registry.Subscribed); events of a type none does are not written, since a
	// dispatcher would only drop them. Default: every event is written.
	Heard func(eventType string) bool
	// SupervisorRoles may reassign, delegate and comment on any task (not decide).
	SupervisorRoles []string
	// Location reads timer dates and times of day. Default UTC.
	Location *time.Location
	// CallRetry is how long after a plugin or webhook call is due the engine retries it
	// when the call did not complete (the process died, the plugin failed); the retry
	// runs through the durable timers. Default DefaultCallRetry.
	CallRetry time.Duration
	// Logger receives failed calls. Default: discarded.
	Logger *slog.Logger
}

// DefaultCallRetry is the default Options.CallRetry.
const DefaultCallRetry = time.Minute

// MaxSteps bounds the nodes one advance may pass through, so a loop of automated nodes
// cannot spin forever.
const MaxSteps = 1000

// Engine runs flow instances and their tasks. It is safe for concurrent use.
type Engine struct {
	b    store.Backend
	defs Definitions
	opts Options
	log  *slog.Logger
	ix   sync.Map // tenant → indexes ensured
}

// NewEngine returns an engine over b that reads flows from defs.
func NewEngine(b store.Backend, defs Definitions, opts Options) *Engine {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.CallRetry <= 0 {
		opts.CallRetry = DefaultCallRetry
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Engine{b: b, defs: defs, opts: opts, log: log.With("component", "flow")}
}

func (e *Engine) now() time.Time { return e.opts.Clock().UTC().Truncate(time.Millisecond) }

// scope returns the tenant's scope with the engine's indexes in place.
func (e *Engine) scope(ctx context.Context, tenant string) (store.Scope, error) {
	sc, err := e.b.Scope(tenant)
	if err != nil {
		return nil, err
	}
	if _, done := e.ix.Load(tenant); done {
		return sc, nil
	}
	for coll, idx := range map[string][]store.Index{
		InstancesCollection: {{Name: "flow_instances_record", Fields: []string{fRecordID}}},
		TasksCollection: {{Name: "tasks_instance", Fields: []string{fInstance}},
			{Name: "tasks_status_due", Fields: []string{fStatus, fDueAt}},
			{Name: "tasks_record", Fields: []string{fRecordID}}},
		HistoryCollection: {{Name: "flow_history_record", Fields: []string{fRecordID}}},
	} {
		for _, ix := range idx {
			if err := sc.Collection(coll).EnsureIndex(ctx, ix); err != nil {
				return nil, fmt.Errorf("flow indexes: %w", err)
			}
		}
	}
	e.ix.Store(tenant, true)
	return sc, nil
}
