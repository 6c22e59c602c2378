package flow

import "time"

// The bodies of the engine's documents are built by hand rather than through a JSON
// round trip (encode): a start writes a dozen documents in its transaction, and while
// it runs no other transaction can, so the time it takes bounds how many starts a
// store commits per second. Each body reads back into its struct with decode, exactly
// as encode would have written it (TestDocDataMatchesJSON).

func (d *instanceDoc) data() map[string]any {
	tokens := make([]any, len(d.Tokens))
	for i, t := range d.Tokens {
		tokens[i] = t.data()
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
	steps := make([]any, len(h.Steps))
	for i := range h.Steps {
		steps[i] = h.Steps[i].data()
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
