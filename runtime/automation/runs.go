package automation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// RunsCollection holds one document per rule that fired on a record event.
const RunsCollection = "rule_runs"

// run is one matched rule being carried out.
type run struct {
	event   string
	tenant  string
	change  form.RecordChange
	match   rule.Match
	ruleSet int
	at      time.Time
	done    []Done
	err     string // why the rule's record change was refused
}

// Done is one action carried out, as a run records it.
type Done struct {
	Type   string `json:"type"`
	Detail string `json:"detail,omitempty"`
}

// Run is the lineage of one rule firing on one record.
type Run struct {
	ID          string    `json:"id"`
	Rule        string    `json:"rule"`
	Form        string    `json:"form"`
	Record      string    `json:"record"`
	RuleSet     int       `json:"rule_set_version"`
	FormVersion int       `json:"form_version"`
	Event       string    `json:"event"`
	InputHash   string    `json:"input_hash"`
	Actions     []Done    `json:"actions"`
	Depth       int       `json:"depth"`
	At          time.Time `json:"at"`
	// Error says why the rule's record change was refused; its other actions ran.
	Error string `json:"error,omitempty"`
}

func runID(event, ruleKey string) string { return event + "~" + ruleKey }

// inputHash is the SHA-256 of the record as the rule read it (encoding/json sorts keys).
func inputHash(data map[string]any) string {
	b, _ := json.Marshal(data)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// seen reports whether the run was already carried out by an earlier delivery.
func seen(ctx context.Context, sc store.Scope, id string) (bool, error) {
	_, err := sc.Collection(RunsCollection).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (r *run) save(ctx context.Context, sc store.Scope) error {
	actions := make([]any, len(r.done))
	for i, d := range r.done {
		actions[i] = map[string]any{"type": d.Type, "detail": d.Detail}
	}
	data := map[string]any{
		"rule": r.match.Rule, "form": r.change.Form, "record": r.change.ID, "rule_set_version": r.ruleSet,
		"form_version": r.change.FormVersion, "event": r.event, "input_hash": inputHash(r.change.Data),
		"actions": actions, "depth": r.match.Depth, "at": r.at.Format(timeLayout),
	}
	if r.err != "" {
		data["error"] = r.err
	}
	return sc.Collection(RunsCollection).Insert(ctx, &store.Doc{ID: runID(r.event, r.match.Rule), Data: data})
}

// MaxRuns is the most runs Runs returns.
const MaxRuns = 500

// Runs lists the rules that fired on a record, oldest first: the answer to "why did
// this happen to the application".
func Runs(ctx context.Context, sc store.Scope, formKey, recordID string) ([]Run, error) {
	page, err := sc.Collection(RunsCollection).Find(ctx, store.Query{
		Filter: store.And(store.Eq("form", formKey), store.Eq("record", recordID)),
		Sort:   []store.Sort{{Field: "at"}}, Limit: MaxRuns})
	if err != nil {
		return nil, err
	}
	out := make([]Run, 0, len(page.Docs))
	for _, d := range page.Docs {
		out = append(out, runOf(d))
	}
	return out, nil
}

func runOf(d *store.Doc) Run {
	var r Run
	b, _ := json.Marshal(d.Data)
	_ = json.Unmarshal(b, &r) // written by save: the shape is ours
	r.ID = d.ID
	return r
}

// timeLayout has a fixed width, so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"
