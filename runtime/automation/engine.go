package automation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// HandlerName is the name the rule handler is registered under.
const HandlerName = "rules"

// Flows starts flows and opens tasks for rules; the flow engine implements it.
type Flows interface {
	// StartFlow starts the current version of flow on the record.
	StartFlow(ctx context.Context, tenant, flow, form, recordID string, c form.Cause) error
	// CreateTask opens a task outside any flow.
	CreateTask(ctx context.Context, tenant string, t Task) error
}

// Task is a task a rule opens.
type Task struct {
	Form, RecordID string
	// Role or User is who may take it.
	Role, User string
	Title      rule.Localized
	// Due is when it is due; zero: no due time.
	Due   time.Time
	Cause form.Cause
	// ID derives from the triggering event, the rule and the action, so a repeated
	// delivery opens the task once.
	ID string
}

// Webhooks queues signed webhook deliveries; package webhook implements it.
type Webhooks interface {
	// Enqueue queues a POST of body to url, with the ctx of the transaction that decided it.
	Enqueue(ctx context.Context, tenant, url, id string, body map[string]any) error
}

// Options are the engine's collaborators. Forms and Rules are required; an action whose
// collaborator is missing fails its delivery with ErrUnavailable (and is retried), so a
// misconfigured node never drops an action silently.
type Options struct {
	// Backend is the store scheduled rules scan (RunSchedules).
	Backend  store.Backend
	Forms    *form.Service
	Rules    *rule.Catalog
	Lists    *list.Service
	Flows    Flows
	Webhooks Webhooks
	Now      func() time.Time
	Logger   *slog.Logger
}

// ErrUnavailable means an action needs a collaborator this node was not given.
var ErrUnavailable = errors.New("automation: action not available on this node")

// Engine runs the rules of every form on the record events.
type Engine struct{ o Options }

// New returns an engine; see Options.
func New(o Options) *Engine {
	if o.Forms == nil || o.Rules == nil {
		panic("automation.New: form service and rule catalog are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{o: o}
}

// Register subscribes the engine to the record and flow node events on reg.
func (e *Engine) Register(reg *events.Registry) error {
	for _, t := range []string{form.EventRecordCreated, form.EventRecordUpdated} {
		if err := reg.Subscribe(t, HandlerName, recordRules{e}); err != nil {
			return err
		}
	}
	for _, t := range []string{rule.EventFlowNodeEntered, rule.EventFlowNodeLeft} {
		if err := reg.Subscribe(t, HandlerName, events.HandlerFunc(e.handleNode)); err != nil {
			return err
		}
	}
	return nil
}

// handle evaluates the record's rule set on one record event and runs what matched.
func (e *Engine) handle(ctx context.Context, d *events.Delivery) error {
	c := form.ChangeOf(d.Event)
	tenant := d.Scope.Tenant()
	set, setVersion, err := e.o.Rules.Set(ctx, tenant, c.Form)
	if err != nil || set == nil {
		return err
	}
	if n, ok := d.Note.(*siftNote); ok && c.Data == nil && n.setVersion == setVersion {
		// Sift judged the record as it was then; if it is still that version, so would
		// this, on the same data.
		same, err := e.o.Forms.AtVersion(ctx, tenant, c.Form, c.ID, n.version)
		if err != nil {
			return err
		}
		if same {
			c.Data = n.data
			return e.carryOut(ctx, d.Scope, setVersion, d.Event.ID, c, n.res)
		}
	}
	if c.Data == nil { // the event names its record (see form.RecordChange)
		c.Data, err = e.o.Forms.Stored(ctx, tenant, c.Form, c.ID)
		if errors.Is(err, form.ErrNotFound) {
			return nil // deleted since: nothing to act on
		}
		if err != nil {
			return err
		}
	}
	return e.evaluate(ctx, d.Scope, set, setVersion, d.Event.ID, c, recordEvent(d.Event.Type, c))
}

// recordEvent is what the rules are evaluated on for a record event.
func recordEvent(typ string, c form.RecordChange) rule.Event {
	return rule.Event{Type: typ, Form: c.Form, RecordID: c.ID, Record: c.Data,
		Changed: c.Changed, Depth: c.Depth, Origin: c.Origin}
}

// recordRules is the engine's handler of record events. It is an events.Sifter: the
// records of a batch are read in one query per form and their rules evaluated before
// the delivery's transaction, off the store's writer, and the transaction then handles
// only the events some rule matched.
type recordRules struct{ e *Engine }

func (h recordRules) Handle(ctx context.Context, d *events.Delivery) error {
	return h.e.handle(ctx, d)
}

func (h recordRules) Sift(ctx context.Context, sc store.Scope, evs []events.Event) ([]events.Sifted, error) {
	return h.e.sift(ctx, sc, evs)
}

// siftNote is what sift found out about a kept event: the rule set's version, the
// record's version and data, and the rules' result on them.
type siftNote struct {
	setVersion int
	version    int64
	data       map[string]any
	res        *rule.Result
}

// sift evaluates the rules of record events on their records as committed and keeps the
// events where a rule matched, or where evaluating was not clean (an error, a rule's
// failure, the depth limit: handle reports those). A condition reads only the event and
// its record, so an event passed over is one handle would have found nothing to do for
// had it run at this moment, which is as good a moment as its delivery: the record's
// later changes have events of their own. A kept event carries what was found, which
// handle reuses when the record is still at the version read.
func (e *Engine) sift(ctx context.Context, sc store.Scope, evs []events.Event) ([]events.Sifted, error) {
	tenant := sc.Tenant()
	out := make([]events.Sifted, len(evs))
	changes := make([]form.RecordChange, len(evs))
	sets := make([]*rule.Set, len(evs))
	setVersions := make([]int, len(evs))
	unread := map[string][]string{} // ids by form, of the events that name their record
	for i, ev := range evs {
		c := form.ChangeOf(ev)
		set, setVersion, err := e.o.Rules.Set(ctx, tenant, c.Form)
		if err != nil {
			out[i].Keep = true
			continue
		}
		if set == nil {
			continue // no rules: nothing to do
		}
		changes[i], sets[i], setVersions[i] = c, set, setVersion
		if c.Data == nil {
			unread[c.Form] = append(unread[c.Form], c.ID)
		}
	}
	read := make(map[string]map[string]form.StoredRecord, len(unread))
	for f, ids := range unread {
		m, err := e.o.Forms.StoredMany(ctx, tenant, f, ids)
		if err != nil {
			return nil, err
		}
		read[f] = m
	}
	for i, ev := range evs {
		if sets[i] == nil {
			continue
		}
		c := changes[i]
		var note *siftNote
		if c.Data == nil {
			rec, found := read[c.Form][c.ID]
			if !found {
				continue // deleted since: nothing to act on
			}
			c.Data = rec.Data
			note = &siftNote{setVersion: setVersions[i], version: rec.Version, data: rec.Data}
		}
		res, err := sets[i].Evaluate(ctx, recordEvent(ev.Type, c))
		if err != nil {
			out[i].Keep = true
			continue
		}
		out[i].Keep = len(res.Matched) > 0 || len(res.Failures) > 0 || res.DepthExceeded
		if out[i].Keep && note != nil {
			note.res = res
			out[i].Note = note
		}
	}
	return out, nil
}

// handleNode evaluates the rules of a flow's record on a flow node entered or left,
// against the record as it is now.
func (e *Engine) handleNode(ctx context.Context, d *events.Delivery) error {
	formKey, _ := d.Event.Data["form"].(string)
	id, _ := d.Event.Data["record_id"].(string)
	tenant := d.Scope.Tenant()
	set, setVersion, err := e.o.Rules.Set(ctx, tenant, formKey)
	if err != nil || set == nil {
		return err
	}
	data, err := e.o.Forms.Stored(ctx, tenant, formKey, id)
	if errors.Is(err, form.ErrNotFound) {
		return nil // the record is gone: nothing to act on
	}
	if err != nil {
		return err
	}
	c := form.RecordChange{Form: formKey, FormVersion: set.FormVersion(), ID: id, Data: data}
	flowKey, _ := d.Event.Data["flow"].(string)
	node, _ := d.Event.Data["node"].(string)
	ev := rule.Event{Type: d.Event.Type, Form: formKey, RecordID: id, Record: data, Flow: flowKey, Node: node}
	return e.evaluate(ctx, d.Scope, set, setVersion, d.Event.ID, c, ev)
}

// evaluate runs set on ev and carries out every rule that matched, each as a run keyed
// by eventID.
func (e *Engine) evaluate(ctx context.Context, sc store.Scope, set *rule.Set, setVersion int, eventID string, c form.RecordChange, ev rule.Event) error {
	res, err := set.Evaluate(ctx, ev)
	if err != nil {
		return fmt.Errorf("evaluate rules of %s: %w", c.Form, err)
	}
	return e.carryOut(ctx, sc, setVersion, eventID, c, res)
}

// carryOut reports what went wrong in an evaluation and runs every rule that matched.
func (e *Engine) carryOut(ctx context.Context, sc store.Scope, setVersion int, eventID string, c form.RecordChange, res *rule.Result) error {
	tenant := sc.Tenant()
	for _, f := range res.Failures {
		e.o.Logger.Warn("rule failed", "tenant", tenant, "form", c.Form, "record", c.ID, "rule", f.Rule, "error", f.Error)
	}
	if res.DepthExceeded {
		e.o.Logger.Warn("rule chain stopped", "tenant", tenant, "form", c.Form, "record", c.ID, "depth", c.Depth)
	}
	for _, m := range res.Matched {
		r := run{event: eventID, tenant: tenant, change: c, match: m, ruleSet: setVersion, at: e.o.Now().UTC()}
		if err := e.runMatch(ctx, sc, &r); err != nil {
			return fmt.Errorf("rule %s on %s/%s: %w", m.Rule, c.Form, c.ID, err)
		}
	}
	return nil
}
