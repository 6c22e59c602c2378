package flow

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The bodies of the engine's documents are built by hand rather than through a JSON
// round trip (encode): a start writes a dozen documents in its transaction, and while
// it runs no other transaction can, so the time it takes bounds how many starts a
// store commits per second. Each body reads back into its struct with decode, exactly
// as encode would have written it (TestDocDataMatchesJSON).

func (d *instanceDoc) data() map[string]any {
	var tokens []any // nil once the instance ended, as encode writes it
	for _, t := range d.Tokens {
		tokens = append(tokens, t.data())
	}
	m := map[string]any{"flow": d.Flow, "version": d.Version, "form": d.Form, "record_id": d.RecordID,
		"status": d.Status, "started_at": d.StartedAt, "tokens": tokens, "passed": anyList(d.Passed)}
	putString(m, "outcome", d.Outcome)
	putString(m, "started_by", d.StartedBy)
	putInt(m, "ended_at", d.EndedAt)
	if d.Parent != nil {
		m["parent"] = map[string]any{"instance": d.Parent.Instance, "node": d.Parent.Node}
	}
	return m
}

func (t *token) data() map[string]any {
	m := map[string]any{"id": t.ID, "node": t.Node, "since": t.Since, "via": t.Via}
	putString(m, "wait", t.Wait)
	putString(m, "timer", t.Timer)
	return m
}

func (d *taskDoc) data() map[string]any {
	m := map[string]any{"instance": d.Instance, "token": d.Token, "flow": d.Flow, "flow_version": d.FlowVersion,
		"node": d.Node, "kind": d.Kind, "mode": d.Mode, "form": d.Form, "record_id": d.RecordID, "status": d.Status,
		"candidates": anyList(d.Candidates), "audience": anyList(d.Audience), "roles": anyList(d.Roles),
		"created_at": d.CreatedAt, "due_at": d.DueAt}
	if len(d.Name) > 0 {
		m["name"] = localized(d.Name)
	}
	putString(m, "assignee", d.Assignee)
	putString(m, "owner", d.Owner)
	putString(m, "outcome", d.Outcome)
	putString(m, "decided_by", d.DecidedBy)
	putString(m, "source", d.Source)
	if len(d.Comments) > 0 {
		cs := make([]any, len(d.Comments))
		for i, c := range d.Comments {
			cs[i] = map[string]any{"by": c.By, "at": c.At.Format(time.RFC3339Nano), "text": c.Text}
		}
		m["comments"] = cs
	}
	if len(d.Editable) > 0 {
		m["editable"] = anyList(d.Editable)
	}
	if d.Escalated {
		m["escalated"] = true
	}
	putInt(m, "completed_at", d.CompletedAt)
	return m
}

func (s *stepDoc) data() map[string]any {
	m := map[string]any{"node": s.Node, "node_type": s.NodeType, "action": s.Action, "at": s.At}
	putString(m, "task", s.Task)
	putString(m, "actor", s.Actor)
	putInt(m, "duration_ms", s.DurationMs)
	putString(m, "comment", s.Comment)
	if len(s.Detail) > 0 {
		m["detail"] = s.Detail
	}
	return m
}

func (h *historyDoc) data() map[string]any {
	var steps []any
	for i := range h.Steps {
		steps = append(steps, h.Steps[i].data())
	}
	m := map[string]any{"instance": h.Instance, "flow": h.Flow, "version": h.Version, "record_id": h.RecordID,
		"steps": steps}
	return m
}

// putString and putInt leave out zero values, as omitempty does.
func putString(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func putInt(m map[string]any, k string, v int64) {
	if v != 0 {
		m[k] = v
	}
}

// anyList copies a list, so a stored body never shares the slice the engine goes on
// changing; nil stays nil (JSON null), as encode writes it.
func anyList(ss []string) []any {
	if ss == nil {
		return nil
	}
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func localized(l Localized) map[string]any {
	out := make(map[string]any, len(l))
	for k, v := range l {
		out[k] = v
	}
	return out
}

// instanceOf reads an instance body as the store gives it back, without the JSON round
// trip of decode: every resume, task action and timer firing loads its instance.
func instanceOf(m map[string]any) (*instanceDoc, error) {
	r := bodyReader{m: m}
	d := &instanceDoc{Flow: r.str("flow"), Version: int(r.int("version")), Form: r.str("form"),
		RecordID: r.str("record_id"), Status: r.str("status"), Outcome: r.str("outcome"), StartedBy: r.str("started_by"),
		StartedAt: r.int("started_at"), EndedAt: r.int("ended_at"), Passed: r.strs("passed")}
	for _, v := range r.list("tokens") {
		t := bodyReader{m: r.obj(v, "tokens")}
		d.Tokens = append(d.Tokens, &token{ID: t.str("id"), Node: t.str("node"), Since: t.int("since"),
			Wait: t.str("wait"), Via: int(t.int("via")), Timer: t.str("timer")})
		r.err = errors.Join(r.err, t.err)
	}
	if p, ok := m["parent"]; ok && p != nil {
		pr := bodyReader{m: r.obj(p, "parent")}
		d.Parent = &Parent{Instance: pr.str("instance"), Node: pr.str("node")}
		r.err = errors.Join(r.err, pr.err)
	}
	if r.err != nil {
		return nil, fmt.Errorf("decode stored instance: %w", r.err)
	}
	return d, nil
}

// bodyReader reads typed members of a stored body, keeping the first misfit; a
// missing or null member reads as its zero value, as decode would.
type bodyReader struct {
	m   map[string]any
	err error
}

func (r *bodyReader) bad(k string, v any) {
	if r.err == nil {
		r.err = fmt.Errorf("member %s holds %T", k, v)
	}
}

func (r *bodyReader) str(k string) string {
	v, ok := r.m[k]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.bad(k, v)
	}
	return s
}

func (r *bodyReader) int(k string) int64 {
	switch v := r.m[k].(type) {
	case nil:
		return 0
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			r.bad(k, v)
		}
		return n
	case int64:
		return v
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case float64:
		return int64(v)
	default:
		r.bad(k, v)
		return 0
	}
}

func (r *bodyReader) list(k string) []any {
	v, ok := r.m[k]
	if !ok || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		r.bad(k, v)
	}
	return l
}

func (r *bodyReader) strs(k string) []string {
	l := r.list(k)
	if l == nil {
		return nil
	}
	out := make([]string, len(l))
	for i, v := range l {
		s, ok := v.(string)
		if !ok {
			r.bad(k, v)
		}
		out[i] = s
	}
	return out
}

func (r *bodyReader) obj(v any, k string) map[string]any {
	o, ok := v.(map[string]any)
	if !ok {
		r.bad(k, v)
	}
	return o
}
