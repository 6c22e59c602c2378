package flow

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/credolabs/credo/store"
)

// historyDoc is what one transaction adds to an instance's history, stored as one
// document: a start that passes eight automated nodes writes one document rather than
// eight. Documents sort by id, which is time-ordered, and steps within one in the order
// they happened.
type historyDoc struct {
	// Instance, Flow and Version are empty for a task opened outside any flow.
	Instance string    `json:"instance"`
	Flow     string    `json:"flow"`
	Version  int       `json:"version"`
	RecordID string    `json:"record_id"`
	Steps    []stepDoc `json:"steps"`
}

// stepDoc is one history entry as stored.
type stepDoc struct {
	Node       string         `json:"node"`
	NodeType   string         `json:"node_type"`
	Task       string         `json:"task,omitempty"`
	Action     string         `json:"action"`
	Actor      string         `json:"actor,omitempty"`
	At         int64          `json:"at"`
	DurationMs int64          `json:"duration_ms,omitempty"`
	Comment    string         `json:"comment,omitempty"`
	Detail     map[string]any `json:"detail,omitempty"`
}

// Step is one entry of a record's flow history: who did what at which node, when, and
// how long the node (or task) had waited for it.
type Step struct {
	// Instance, Flow, Version and Node are empty for a task opened outside any flow
	// (CreateTask); Task names it.
	Instance string `json:"instance"`
	Flow     string `json:"flow"`
	Version  int    `json:"version"`
	Node     string `json:"node"`
	// NodeName is the node's name in the flow version the instance runs.
	NodeName Localized `json:"node_name,omitempty"`
	NodeType string    `json:"node_type"`
	Task     string    `json:"task,omitempty"`
	// Action is what happened: started, left, approve, reject, complete, return, claim,
	// reassign, delegate, comment, escalate, decided (a plugin's verdict, with its
	// lineage in Detail), kept (a decision already on the record), created (a task
	// opened outside any flow, its source in Detail), completed…
	Action string `json:"action"`
	// Actor is the user; "" for the flow itself, SystemActor for an SLA decision.
	Actor string    `json:"actor,omitempty"`
	At    time.Time `json:"at"`
	// Duration is the time spent at the node (or on the task) until this step.
	Duration time.Duration  `json:"duration"`
	Comment  string         `json:"comment,omitempty"`
	Detail   map[string]any `json:"detail,omitempty"`
}

// step adds one history entry of the run's instance; saveHistory writes them.
func (r *run) step(s stepDoc) error {
	s.At = r.ms()
	r.history = append(r.history, s)
	return nil
}

// saveHistory writes the steps the run added, in the run's transaction.
func (r *run) saveHistory() error {
	if len(r.history) == 0 {
		return nil
	}
	h := historyDoc{Instance: r.id, RecordID: r.inst.RecordID, Steps: r.history}
	if r.fl != nil {
		h.Flow, h.Version = r.fl.Key(), r.fl.Version()
	}
	if err := r.sc.Collection(HistoryCollection).Insert(r.ctx, &store.Doc{ID: store.NewID(), Data: h.data()}); err != nil {
		return err
	}
	r.history = nil
	return nil
}

// History lists every step of every flow instance that ran on a record, and of the
// tasks opened on it outside any flow, in order.
func (e *Engine) History(ctx context.Context, tenant, recordID string) ([]Step, error) {
	sc, err := e.scope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var out []Step
	flows := map[string]*Flow{} // "key@version", nil when that version cannot be read
	err = each(ctx, sc.Collection(HistoryCollection), byIndexed(fRecordID, recordID), func(d *store.Doc) error {
		var h historyDoc
		if err := decode(d.Data, &h); err != nil {
			return err
		}
		fl, err := e.historyFlow(ctx, tenant, h.Flow, h.Version, flows)
		if err != nil {
			return err
		}
		for _, s := range h.Steps {
			var name Localized
			if fl != nil && fl.nodes[s.Node] != nil {
				name = fl.nodes[s.Node].Name()
			}
			out = append(out, Step{Instance: h.Instance, Flow: h.Flow, Version: h.Version, Node: s.Node, NodeName: name, NodeType: s.NodeType,
				Task: s.Task, Action: s.Action, Actor: s.Actor, At: fromMillis(s.At),
				Duration: time.Duration(s.DurationMs) * time.Millisecond, Comment: s.Comment, Detail: s.Detail})
		}
		return nil
	})
	return out, err
}

// historyFlow returns version v of flow key for naming history nodes, memoised in seen;
// nil for a step outside any flow or of a version no longer found (the step keeps its id).
func (e *Engine) historyFlow(ctx context.Context, tenant, key string, v int, seen map[string]*Flow) (*Flow, error) {
	if key == "" {
		return nil, nil
	}
	id := key + "@" + strconv.Itoa(v)
	if fl, ok := seen[id]; ok {
		return fl, nil
	}
	fl, err := e.defs.Flow(ctx, tenant, key, v)
	if err != nil && !errors.Is(err, ErrFlowNotFound) {
		return nil, fmt.Errorf("history of flow %s v%d: %w", key, v, err)
	}
	seen[id] = fl
	return fl, nil
}
