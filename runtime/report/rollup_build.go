package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Building a rollup. A new rollup is registered as building with an empty cursor, and
// from then on every record write maintains it for the records at or before its cursor
// (RecordsChanged), while one node at a time (holding the form's build lease) folds the
// records after the cursor in, a page at a time in id order, each page in its own
// transaction with the cursor's advance, so a build is resumable and never holds the
// store for long. When a page comes back short the rollup is complete and turns ready.
// Retired rollups are dropped by the same loop, a page of rows at a time.

// startBuild runs the build loop of a form's rollups on this node; when it runs
// already, the loop goes round once more after it ends, since it may have read the
// registry before the change that asked for it.
func (r *Rollups) startBuild(tenant, formKey string) {
	key := tenantForm{tenant, formKey}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return
	}
	if _, running := r.builds[key]; running {
		r.builds[key] = true
		return
	}
	r.builds[key] = false
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			err := r.build(r.ctx, tenant, formKey)
			if err != nil && r.ctx.Err() == nil {
				r.log.Warn("rollup build stopped", "tenant", tenant, "form", formKey, "error", err)
			}
			r.mu.Lock()
			if r.builds[key] && r.ctx.Err() == nil {
				r.builds[key] = false
				r.mu.Unlock()
				continue
			}
			delete(r.builds, key)
			r.mu.Unlock()
			return
		}
	}()
}

// build folds records into the form's building rollups and drops its retired ones
// until nothing is left to do, or another node holds the lease.
func (r *Rollups) build(ctx context.Context, tenant, formKey string) error {
	sc, err := r.b.Scope(tenant)
	if err != nil {
		return err
	}
	l := &lease{r: r, sc: sc, form: formKey}
	defer l.release(context.WithoutCancel(ctx))
	for {
		if err := ctx.Err(); err != nil {
			return nil
		}
		fr, err := r.entries(ctx, sc, formKey, true)
		if err != nil {
			return err
		}
		now := r.opts.Now()
		var due []string
		var drop string
		wake := time.Time{}
		later := func(t time.Time) {
			if wake.IsZero() || t.Before(wake) {
				wake = t
			}
		}
		for _, en := range fr.byID {
			switch en.state {
			case stateBuilding:
				if at := en.created.Add(r.opts.Grace); now.Before(at) {
					later(at)
				} else {
					due = append(due, en.id)
				}
			case stateRetired:
				if at := en.retired.Add(r.opts.Grace); now.Before(at) {
					later(at)
				} else if drop == "" {
					drop = en.id
				}
			}
		}
		if len(due) == 0 && drop == "" && wake.IsZero() {
			return nil
		}
		held, err := l.hold(ctx)
		if err != nil || !held {
			return err
		}
		switch {
		case len(due) > 0:
			err = r.step(ctx, sc, formKey, due)
		case drop != "":
			err = r.dropPage(ctx, sc, fr.byID[drop])
		default:
			select {
			case <-ctx.Done():
			case <-time.After(min(wake.Sub(now), r.opts.Grace)):
			}
		}
		if err != nil {
			return err
		}
	}
}

// step folds the next page of records into the due rollups, in one transaction with
// their cursors' advance; a rollup whose page came back short is complete.
func (r *Rollups) step(ctx context.Context, sc store.Scope, formKey string, ids []string) error {
	reg := sc.Collection(rollupsCollection)
	records := sc.Collection(form.RecordsCollection(formKey))
	type building struct {
		doc    *store.Doc
		cursor string
		eval   *evaluator
	}
	var completed []string
	err := sc.WithTx(ctx, func(ctx context.Context) error {
		completed = completed[:0]
		var bs []building
		from := ""
		for _, id := range ids {
			d, err := reg.Get(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if state, _ := d.Data["state"].(string); state != stateBuilding {
				continue
			}
			en, err := r.entryOf(d)
			if err != nil {
				return err
			}
			cursor, _ := d.Data["cursor"].(string)
			if len(bs) == 0 || cursor < from {
				from = cursor
			}
			bs = append(bs, building{doc: d, cursor: cursor, eval: en.eval})
		}
		if len(bs) == 0 {
			return nil
		}
		docs, last, err := readPage(ctx, records, from, r.opts.PageSize)
		if err != nil {
			return err
		}
		evals := make([]*evaluator, len(bs))
		tallies := make([]*tally, len(bs))
		counted := make([]int, len(bs))
		for i, b := range bs {
			evals[i], tallies[i] = b.eval, newTally()
		}
		m := newMatcher(evals...)
		for _, d := range docs {
			data, _ := d.Data["data"].(map[string]any)
			m.match(data)
			for i, b := range bs {
				if d.ID > b.cursor {
					b.eval.add(tallies[i], m, data, 1)
					counted[i]++
				}
			}
		}
		batches := make([]store.CollectionIncrements, 0, len(bs))
		for i, b := range bs {
			if incs := b.eval.increments(tallies[i]); len(incs) > 0 {
				batches = append(batches, store.CollectionIncrements{Collection: b.eval.collection(), Increments: incs})
			}
		}
		if err := store.IncrementAcross(ctx, sc, batches); err != nil {
			return err
		}
		for i, b := range bs {
			n := counted[i]
			// The page starts at the cursor furthest behind: a rollup already past its
			// end keeps its cursor, or it would fold the records in between again.
			if len(docs) > 0 && docs[len(docs)-1].ID > b.cursor {
				b.doc.Data["cursor"] = docs[len(docs)-1].ID
			}
			done, _ := store.Numeric(b.doc.Data["records"])
			b.doc.Data["records"] = int64(done) + int64(n)
			if last {
				b.doc.Data["state"], b.doc.Data["ready_at"] = stateReady, r.opts.Now().UnixMilli()
				completed = append(completed, b.doc.ID)
			}
			if err := reg.Update(ctx, b.doc); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return nil // a write crossed the step: the next one starts again from the cursor
	}
	if err != nil {
		return fmt.Errorf("build rollups of %s: %w", formKey, err)
	}
	for _, id := range completed {
		r.log.Info("rollup ready", "tenant", sc.Tenant(), "form", formKey, "rollup", id)
	}
	if len(completed) > 0 {
		_, err = r.entries(ctx, sc, formKey, true)
	}
	return err
}

// readPage reads up to n records after id from (all from the first when empty), in id
// order; last tells whether they are the final ones.
func readPage(ctx context.Context, records store.Collection, from string, n int) (docs []*store.Doc, last bool, err error) {
	for len(docs) < n {
		var after *store.Filter
		if from != "" {
			after = store.Gt(store.FieldID, from)
		}
		page, err := records.Find(ctx, store.Query{Filter: after, Limit: min(store.MaxLimit, n-len(docs)), Fields: []string{"data"}})
		if err != nil {
			return nil, false, err
		}
		docs = append(docs, page.Docs...)
		if page.Next == "" {
			return docs, true, nil
		}
		from = docs[len(docs)-1].ID
	}
	return docs, false, nil
}

// dropPage removes a page of a retired rollup's rows, and its registry document once
// no row is left.
func (r *Rollups) dropPage(ctx context.Context, sc store.Scope, en *rollupEntry) error {
	rows := sc.Collection(en.eval.collection())
	page, err := rows.Find(ctx, store.Query{Limit: r.opts.PageSize, Fields: []string{store.FieldID}})
	if err != nil {
		return fmt.Errorf("drop rollup %s: %w", en.id, err)
	}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		for _, d := range page.Docs {
			if err := rows.Delete(ctx, d.ID, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if len(page.Docs) > 0 {
			return nil
		}
		err := sc.Collection(rollupsCollection).Delete(ctx, en.id, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("drop rollup %s: %w", en.id, err)
	}
	if len(page.Docs) == 0 {
		r.log.Info("rollup dropped", "tenant", sc.Tenant(), "form", en.eval.spec.Form, "rollup", en.id)
		r.mu.Lock()
		delete(r.evals, en.id)
		r.mu.Unlock()
	}
	return nil
}

// lease is a node's claim to build one form's rollups: a registry document naming the
// node and until when, renewed before every step.
type lease struct {
	r    *Rollups
	sc   store.Scope
	form string
	doc  *store.Doc
}

func (l *lease) id() string { return "lease:" + l.form }

// hold takes or renews the lease; false when another node holds it.
func (l *lease) hold(ctx context.Context) (bool, error) {
	reg := l.sc.Collection(rollupsCollection)
	now := l.r.opts.Now()
	until := now.Add(l.r.opts.LeaseTTL).UnixMilli()
	if l.doc == nil {
		d, err := reg.Get(ctx, l.id())
		switch {
		case errors.Is(err, store.ErrNotFound):
			d = &store.Doc{ID: l.id(), Data: map[string]any{"lease": l.form, "owner": l.r.node, "until": until}}
			if err := reg.Insert(ctx, d); errors.Is(err, store.ErrDuplicate) {
				return false, nil
			} else if err != nil {
				return false, err
			}
			l.doc = d
			return true, nil
		case err != nil:
			return false, err
		}
		if owner, _ := d.Data["owner"].(string); owner != l.r.node && msTime(d.Data["until"]).After(now) {
			return false, nil
		}
		l.doc = d
	}
	l.doc.Data["owner"], l.doc.Data["until"] = l.r.node, until
	if err := reg.Update(ctx, l.doc); err != nil {
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			l.doc = nil // another node's now
			return false, nil
		}
		// Still this node's (a renewal cut short as the node stops): release gives it
		// up, so the next node need not wait for it to expire.
		return false, err
	}
	return true, nil
}

// release gives the lease up so another node need not wait for it to expire.
func (l *lease) release(ctx context.Context) {
	if l.doc == nil {
		return
	}
	_ = l.sc.Collection(rollupsCollection).Delete(ctx, l.id(), l.doc.Version)
}
