package automation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// The record fields reject and flag write. A form whose rules reject or flag has them
// (the lending starter app does); rule.Compile checks it at publish.
const (
	StatusField   = rule.StatusField
	Rejected      = rule.StatusRejected
	ReasonField   = rule.ReasonField
	FlagsField    = rule.FlagsField
	actorPrefix   = "rule:"
	reasonLocale  = "zh-CN"
	reasonDefault = "en"
)

// runMatch carries out one matched rule unless an earlier delivery did.
func (e *Engine) runMatch(ctx context.Context, sc store.Scope, r *run) error {
	if ok, err := seen(ctx, sc, runID(r.event, r.match.Rule)); ok || err != nil {
		return err
	}
	cause := form.Cause{By: actorPrefix + r.match.Rule, Origin: r.match.Origin, Depth: r.match.Depth}
	patch := map[string]any{}
	for _, a := range r.match.Actions {
		if err := e.act(ctx, sc, r, a, cause, patch); err != nil {
			return fmt.Errorf("%s: %w", a.Type, err)
		}
	}
	// The record changes of one rule are one update, so one record event follows. A
	// change the form refuses will be refused on every retry: the run records why, and
	// the rule's author sees it in the record's lineage instead of a stuck outbox.
	if len(patch) > 0 {
		_, err := e.o.Forms.Apply(ctx, r.tenant, r.change.Form, r.change.ID, patch, cause)
		var ve *form.ValidationError
		switch {
		case errors.As(err, &ve):
			r.err = ve.Error()
			e.o.Logger.Warn("rule change refused", "tenant", r.tenant, "form", r.change.Form, "record", r.change.ID,
				"rule", r.match.Rule, "error", r.err)
		case err != nil:
			return err
		}
	}
	return r.save(ctx, sc)
}

// act carries out one action; record changes are gathered into patch.
func (e *Engine) act(ctx context.Context, sc store.Scope, r *run, a rule.Action, cause form.Cause, patch map[string]any) error {
	switch a.Type {
	case rule.ActSetField:
		patch[a.Field] = a.Value
		r.note(a.Type, a.Field)
	case rule.ActReject:
		patch[StatusField] = Rejected
		if reason := text(a.Reason); reason != "" {
			patch[ReasonField] = reason
		}
		r.note(a.Type, text(a.Reason))
	case rule.ActFlag:
		flags := stringsIn(r.change.Data[FlagsField])
		if cur, ok := patch[FlagsField].([]any); ok {
			flags = stringsIn(cur)
		}
		if !slices.Contains(flags, a.Flag) {
			flags = append(flags, a.Flag)
		}
		out := make([]any, len(flags))
		for i, f := range flags {
			out[i] = f
		}
		patch[FlagsField] = out
		r.note(a.Type, a.Flag)
	case rule.ActAddToList:
		if e.o.Lists == nil {
			return ErrUnavailable
		}
		if s, _ := a.Value.(string); s != "" {
			_, err := e.o.Lists.Add(ctx, r.tenant, a.List, []list.Entry{{Value: s, Note: "rule " + r.match.Rule}},
				list.Actor{UserID: form.SystemActor, Client: actorPrefix + r.match.Rule})
			if err != nil {
				return err
			}
			r.note(a.Type, a.List)
		}
	case rule.ActCallPlugin:
		return e.callPlugin(ctx, r, a, patch)
	case rule.ActNotify:
		return e.notify(ctx, sc, r, a)
	case rule.ActStartFlow:
		if e.o.Flows == nil {
			return ErrUnavailable
		}
		if err := e.o.Flows.StartFlow(ctx, r.tenant, a.Flow, r.change.Form, r.change.ID, cause); err != nil {
			return err
		}
		r.note(a.Type, a.Flow)
	case rule.ActCreateTask:
		if e.o.Flows == nil {
			return ErrUnavailable
		}
		t := Task{Form: r.change.Form, RecordID: r.change.ID, Role: a.Role, User: a.User, Title: a.Title, Cause: cause,
			ID: fmt.Sprintf("%s~%d", runID(r.event, r.match.Rule), len(r.done))}
		if a.DueIn > 0 {
			t.Due = r.at.Add(a.DueIn)
		}
		if err := e.o.Flows.CreateTask(ctx, r.tenant, t); err != nil {
			return err
		}
		r.note(a.Type, a.Role+a.User)
	default:
		return fmt.Errorf("unknown action %q", a.Type)
	}
	return nil
}

// callPlugin runs the tenant's bound plugin of a kind on the record and writes its
// answer into the form's decision field of that kind.
func (e *Engine) callPlugin(ctx context.Context, r *run, a rule.Action, patch map[string]any) error {
	field, out, err := e.o.Forms.DecideNow(ctx, r.tenant, r.change.Form, r.change.ID, a.Kind, r.change.Data)
	if err != nil {
		return err
	}
	patch[field] = out
	r.note(a.Type, a.Kind)
	return nil
}

func (r *run) note(typ, detail string) { r.done = append(r.done, Done{Type: typ, Detail: detail}) }

// text picks the reason's Chinese text, else English, else any.
func text(l rule.Localized) string {
	for _, k := range []string{reasonLocale, reasonDefault} {
		if s := l[k]; s != "" {
			return s
		}
	}
	for _, s := range l {
		return s
	}
	return ""
}

func stringsIn(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs)+1)
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
