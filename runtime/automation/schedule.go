package automation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/store"
)

// ScheduleCollection holds, per form with scheduled rules, how far their crons have run.
const ScheduleCollection = "rule_schedule"

// schedulePage is how many records one transaction of a scheduled pass evaluates.
const schedulePage = 200

// scheduleLease is how long a node holds a form's scheduled pass before another may take
// it over.
const scheduleLease = 10 * time.Minute

// RunSchedules runs the scheduled rules of every form of tenant that came due since their
// last pass, up to now: each firing is evaluated against every record of the form (a
// daily "overdue over 30 days → flag" rule), a page of records per transaction, and each
// match is a run keyed by the firing and the record, so a pass interrupted and taken over
// by another node repeats no effect. A form's first pass starts at now: a new rule does
// not fire for the past. It returns how many rules fired on a record.
func (e *Engine) RunSchedules(ctx context.Context, tenant string, now time.Time) (int, error) {
	if e.o.Backend == nil {
		return 0, ErrUnavailable
	}
	sc, err := e.o.Backend.Scope(tenant)
	if err != nil {
		return 0, err
	}
	heads, err := sc.Collection(form.DefinitionsCollection).Find(ctx, store.Query{
		Filter: store.Eq("kind", rule.KindRule), Limit: store.MaxLimit})
	if err != nil {
		return 0, fmt.Errorf("scheduled rules of %s: %w", tenant, err)
	}
	fired := 0
	for _, h := range heads.Docs {
		key, _ := h.Data["key"].(string)
		set, version, err := e.o.Rules.Set(ctx, tenant, key)
		if err != nil {
			return fired, err
		}
		if set == nil || !set.Scheduled() {
			continue
		}
		n, err := e.runFormSchedule(ctx, sc, set, version, now)
		fired += n
		if err != nil {
			return fired, fmt.Errorf("scheduled rules of %s/%s: %w", tenant, key, err)
		}
	}
	return fired, nil
}

// runFormSchedule claims the form's schedule marker, runs the firings due in
// (last, now] and moves the marker to now.
func (e *Engine) runFormSchedule(ctx context.Context, sc store.Scope, set *rule.Set, version int, now time.Time) (int, error) {
	marks := sc.Collection(ScheduleCollection)
	d, err := marks.Get(ctx, set.Form())
	if errors.Is(err, store.ErrNotFound) {
		err = marks.Insert(ctx, &store.Doc{ID: set.Form(), Data: map[string]any{"last": now.UnixMilli(), "lease_until": int64(0)}})
		if errors.Is(err, store.ErrDuplicate) {
			return 0, nil // another node started the schedule first
		}
		return 0, err
	}
	if err != nil {
		return 0, err
	}
	last := time.UnixMilli(millisOf(d.Data["last"]))
	firings := set.Due(last, now)
	if len(firings) == 0 || millisOf(d.Data["lease_until"]) > now.UnixMilli() {
		return 0, nil
	}
	d.Data["lease_until"] = now.Add(scheduleLease).UnixMilli()
	if err := marks.Update(ctx, d); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return 0, nil // another node claimed the pass
		}
		return 0, err
	}
	fired := 0
	for _, f := range firings {
		n, err := e.fire(ctx, sc, set, version, f)
		fired += n
		if err != nil {
			return fired, err
		}
	}
	d.Data["last"], d.Data["lease_until"] = firings[len(firings)-1].At.UnixMilli(), int64(0)
	return fired, marks.Update(ctx, d)
}

// fire evaluates one firing of a scheduled rule against every record of the form.
func (e *Engine) fire(ctx context.Context, sc store.Scope, set *rule.Set, version int, f rule.Firing) (int, error) {
	f0, err := e.o.Forms.Form(ctx, sc.Tenant(), set.Form())
	if err != nil {
		return 0, err
	}
	coll := sc.Collection(form.RecordsCollection(set.Form()))
	event := fmt.Sprintf("schedule:%s:%d", f.Rule, f.At.Unix())
	fired, cursor := 0, ""
	for {
		page, err := coll.Find(ctx, store.Query{Sort: []store.Sort{{Field: store.FieldID}}, Limit: schedulePage, Cursor: cursor})
		if err != nil {
			return fired, err
		}
		err = sc.WithTx(ctx, func(ctx context.Context) error {
			for _, d := range page.Docs {
				data := f0.StoredData(d)
				c := form.RecordChange{Form: set.Form(), FormVersion: set.FormVersion(), ID: d.ID, Data: data}
				ev := rule.Event{Type: rule.EventSchedule, Form: set.Form(), RecordID: d.ID, Record: data, Rule: f.Rule}
				res, err := set.Evaluate(ctx, ev)
				if err != nil {
					return err
				}
				for _, m := range res.Matched {
					r := run{event: event + ":" + d.ID, tenant: sc.Tenant(), change: c, match: m, ruleSet: version, at: f.At.UTC()}
					if err := e.runMatch(ctx, sc, &r); err != nil {
						return fmt.Errorf("rule %s on %s: %w", m.Rule, d.ID, err)
					}
					fired++
				}
			}
			return nil
		})
		if err != nil {
			return fired, err
		}
		if page.Next == "" {
			return fired, nil
		}
		cursor = page.Next
	}
}

// millisOf reads a stored number of milliseconds (json.Number from the store).
func millisOf(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return i
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}
