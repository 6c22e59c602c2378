package form

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/store"
)

// begin loads the form and the actor's mask, and checks the record-level right.
func (s *Service) begin(ctx context.Context, a Actor, form, act string) (*Form, *FieldMask, store.Scope, error) {
	if a.UserID == "" {
		return nil, nil, nil, fmt.Errorf("%s %s records: no user: %w", act, form, ErrForbidden)
	}
	f, err := s.Form(ctx, a.Tenant, form)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := s.mask(ctx, a, f)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s %s records: %w", act, form, err)
	}
	if !m.Can(act) {
		return nil, nil, nil, fmt.Errorf("%s %s records: %w", act, form, ErrForbidden)
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s %s records: %w", act, form, err)
	}
	return f, m, sc, nil
}

func (s *Service) entry(a Actor, action, object string) audit.Entry {
	return audit.Entry{Actor: a.UserID, Action: action, Object: object, Client: a.Client, RequestID: a.RequestID}
}

// Create validates data, computes the computed fields and stores a new record, audited
// in the same transaction. Every written field needs the field's update right.
func (s *Service) Create(ctx context.Context, a Actor, form string, data map[string]any) (*Record, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActCreate)
	if err != nil {
		return nil, err
	}
	if err := checkWrites(f, m, data); err != nil {
		return nil, err
	}
	if data, err = keepColumns(m, nil, data); err != nil {
		return nil, err
	}
	rec, err := f.Prepare(withoutNulls(data))
	if err != nil {
		return nil, s.visible(m, err)
	}
	if err := s.checkScope(ctx, a, f, rec); err != nil {
		return nil, err
	}
	// The id is known up front, so the decisions run and the audit entry is prepared
	// before the transaction, and the entry is only linked into the chain inside it: less
	// work on the store's single writer, and no write held open across a plugin call.
	id := store.NewID()
	files := f.AttachmentRefs(rec)
	if err := s.checkAttachments(ctx, sc, f, id, files); err != nil {
		return nil, err
	}
	pending := s.decide(ctx, a.Tenant, f, id, rec, 1)
	doc := docOf(id, f.version, a.UserID, "", rec)
	// The body too is encoded now (rec holds the decisions), so the insert in the
	// transaction only writes it.
	if doc.Body, err = store.EncodeBody(sc, doc.Data); err != nil {
		return nil, fmt.Errorf("create %s record: %w", f.key, err)
	}
	e := s.entry(a, audit.ActionCreate, RecordObject(f.key, doc.ID))
	e.Diff = f.diff(nil, rec)
	e.Detail = map[string]any{"form_version": f.version}
	entry, err := s.log.Prepare(sc, e)
	if err != nil {
		return nil, fmt.Errorf("create %s record: %w", f.key, err)
	}
	change := changeOf(a, f, doc.ID, 1, rec, nil, nil)
	quiet := s.passedOver(ctx, sc, EventRecordCreated, []RecordChange{change})
	prepared := s.prepareObserved(ctx, sc, EventRecordCreated, []RecordChange{change})
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		if err := s.attach(ctx, sc, f, doc.ID, files); err != nil {
			return err
		}
		if err := sc.Collection(RecordsCollection(f.key)).Insert(ctx, doc); err != nil {
			return err
		}
		if pending {
			if err := markNewPending(ctx, sc, f.key, doc.ID, s.opts.Now().Add(retryDelay(1))); err != nil {
				return err
			}
		}
		if err := s.changed(ctx, sc, EventRecordCreated, change, len(quiet) == 1 && quiet[0], prepared); err != nil {
			return err
		}
		_, err := entry.Append(ctx, sc)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create %s record: %w", f.key, err)
	}
	return f.recordOf(doc, rec, m), nil
}

// checkWrites refuses, all at once, every field of data the actor may not write.
func checkWrites(f *Form, m *FieldMask, data map[string]any) error {
	var ps problems
	for _, k := range sortedKeys(data) {
		checkWrite(f, m, k, &ps)
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// visible narrows a validation error to what the actor may know.
func (s *Service) visible(m *FieldMask, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return &ValidationError{Problems: visibleProblems(m, ve.Problems)}
	}
	return err
}

// fetch reads one record within the actor's row scope; outside it, ErrNotFound.
func (s *Service) fetch(ctx context.Context, a Actor, f *Form, sc store.Scope, id string) (*store.Doc, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return nil, err
	}
	coll := sc.Collection(RecordsCollection(f.key))
	switch {
	case sf.known && !sf.val:
		return nil, ErrNotFound
	case sf.known:
		d, err := coll.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrNotFound
		}
		return d, err
	}
	page, err := coll.Find(ctx, store.Query{Filter: store.And(store.Eq(store.FieldID, id), sf.f), Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Docs) == 0 {
		return nil, ErrNotFound
	}
	return page.Docs[0], nil
}

// Get returns one record as the actor may see it, and audits the view (naming the
// sensitive fields shown in full).
func (s *Service) Get(ctx context.Context, a Actor, form, id string) (*Record, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActRead)
	if err != nil {
		return nil, err
	}
	// The read needs no transaction (and so stays off the single writer); the audit
	// append is its own write. The answer is given only once the view is on record.
	d, err := s.fetch(ctx, a, f, sc, id)
	if err != nil {
		return nil, fmt.Errorf("get %s record %s: %w", form, id, err)
	}
	rec := f.recordOf(d, f.storedData(d), m)
	e := s.entry(a, audit.ActionView, RecordObject(f.key, d.ID))
	e.Detail = map[string]any{"form_version": rec.FormVersion}
	if u := shownUnmasked(m, rec.Data); len(u) > 0 {
		e.Detail["unmasked"] = u
	}
	if _, err := s.log.Append(ctx, sc, e); err != nil {
		return nil, fmt.Errorf("get %s record %s: %w", form, id, err)
	}
	return rec, nil
}

// shownUnmasked lists the sensitive fields present in full in data.
func shownUnmasked(m *FieldMask, data map[string]any) []string {
	var out []string
	for _, name := range m.unmasked {
		if _, ok := data[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

// List returns one page of records within the actor's row scope, as the actor may see
// them, and audits the listing.
func (s *Service) List(ctx context.Context, a Actor, form string, lq ListQuery) (*RecordPage, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActRead)
	if err != nil {
		return nil, err
	}
	q, err := f.storeQuery(m, lq)
	if err != nil {
		return nil, err
	}
	out := &RecordPage{Records: []*Record{}}
	sf, err := s.scopeFilter(ctx, a, f)
	if err != nil {
		return nil, fmt.Errorf("list %s records: %w", form, err)
	}
	if !sf.known || sf.val {
		q.Filter = store.And(q.Filter, sf.f)
		page, err := sc.Collection(RecordsCollection(f.key)).Find(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("list %s records: %w", form, err)
		}
		out.Next = page.Next
		for _, d := range page.Docs {
			r := f.recordOf(d, f.storedData(d), m)
			r.Data = project(r.Data, lq.Fields)
			out.Records = append(out.Records, r)
		}
	}
	if err := s.auditList(ctx, sc, a, f, m, lq, out); err != nil {
		return nil, fmt.Errorf("list %s records: %w", form, err)
	}
	return out, nil
}

func (s *Service) auditList(ctx context.Context, sc store.Scope, a Actor, f *Form, m *FieldMask, lq ListQuery, page *RecordPage) error {
	e := s.entry(a, audit.ActionList, FormObject(f.key))
	e.Detail = map[string]any{"form_version": f.version, "count": len(page.Records)}
	if names := filterNames(lq.Filter); len(names) > 0 {
		// Field names only: filter values may themselves be personal data.
		e.Detail["filter_fields"] = names
	}
	seen := map[string]bool{}
	var ids []string
	for _, r := range page.Records {
		u := shownUnmasked(m, r.Data)
		for _, n := range u {
			seen[n] = true
		}
		if len(u) > 0 {
			ids = append(ids, r.ID)
		}
	}
	if len(seen) > 0 {
		e.Detail["unmasked"] = sortedKeys(seen)
		e.Detail["records"] = ids
	}
	_, err := s.log.Append(ctx, sc, e)
	return err
}

func filterNames(f *store.Filter) []string {
	seen := map[string]bool{}
	for _, n := range f.Fields() {
		seen[n] = true
	}
	return sortedKeys(seen)
}

// Update applies a JSON merge patch to the record at version, recomputes the computed
// fields, validates and stores it, audited with a masked diff. A stale version gives
// ErrConflict. A patch that changes nothing writes nothing.
func (s *Service) Update(ctx context.Context, a Actor, form, id string, version int64, patch map[string]any) (*Record, error) {
	f, m, sc, err := s.begin(ctx, a, form, ActUpdate)
	if err != nil {
		return nil, err
	}
	if err := checkWrites(f, m, patch); err != nil {
		return nil, err
	}
	var rec *Record
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		d, err := s.fetch(ctx, a, f, sc, id)
		if err != nil {
			return err
		}
		if d.Version != version {
			return ErrConflict
		}
		patch, err := keepColumns(m, f.storedData(d), patch)
		if err != nil {
			return err
		}
		w, err := s.write(ctx, sc, a, f, d, patch, func(next map[string]any) error { return s.checkScope(ctx, a, f, next) }, nil)
		if err != nil {
			return s.visible(m, err)
		}
		rec = f.recordOf(w.doc, w.data, m)
		return nil
	})
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, ve
		}
		return nil, fmt.Errorf("update %s record %s: %w", form, id, err)
	}
	return rec, nil
}

// written is a record as an update left it.
type written struct {
	doc  *store.Doc
	data map[string]any
}

// write merges patch into the stored record d, recomputes, validates (check sees the
// result first) and stores it with its audit entry and record event, all with the
// transaction's ctx. A patch that changes nothing writes nothing.
func (s *Service) write(ctx context.Context, sc store.Scope, a Actor, f *Form, d *store.Doc, patch map[string]any,
	check func(next map[string]any) error, detail map[string]any) (*written, error) {
	stored := f.storedData(d)
	old := f.known(stored)
	var next map[string]any
	var diff map[string]audit.Change
	var err error
	if v, _ := intOf(d.Data[docFormVersion]); v == f.version {
		// Stored by this version, the record was valid then: what changed is what to check.
		next, diff, err = f.prepareChange(old, mergePatch(old, patch))
	} else if next, err = f.Prepare(mergePatch(old, patch)); err == nil {
		diff = f.diff(old, next)
	}
	if err != nil {
		return nil, err
	}
	if err := check(next); err != nil {
		return nil, err
	}
	if len(diff) == 0 {
		return &written{doc: d, data: old}, nil
	}
	added, dropped := f.attachmentChanges(old, next)
	if err := s.attach(ctx, sc, f, d.ID, added); err != nil {
		return nil, err
	}
	createdBy, _ := d.Data[docCreatedBy].(string)
	upd := docOf(d.ID, f.version, createdBy, a.UserID, next)
	upd.Version, upd.CreatedAt = d.Version, d.CreatedAt
	if err := sc.Collection(RecordsCollection(f.key)).Update(ctx, upd); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, ErrConflict
		}
		return nil, err
	}
	if err := s.release(ctx, sc, f, d.ID, dropped); err != nil {
		return nil, err
	}
	if err := s.emit(ctx, sc, EventRecordUpdated, a, f, d.ID, upd.Version, next, stored, sortedKeys(diff)); err != nil {
		return nil, err
	}
	e := s.entry(a, audit.ActionUpdate, RecordObject(f.key, d.ID))
	e.Diff = diff
	e.Detail = map[string]any{"form_version": f.version, "version": upd.Version}
	maps.Copy(e.Detail, detail)
	if _, err := s.log.Append(ctx, sc, e); err != nil {
		return nil, err
	}
	return &written{doc: upd, data: next}, nil
}

// Delete removes the record at version, audited with its last values (masked).
func (s *Service) Delete(ctx context.Context, a Actor, form, id string, version int64) error {
	f, _, sc, err := s.begin(ctx, a, form, ActDelete)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, sc, func(ctx context.Context) error {
		d, err := s.fetch(ctx, a, f, sc, id)
		if err != nil {
			return err
		}
		if d.Version != version {
			return ErrConflict
		}
		if err := sc.Collection(RecordsCollection(f.key)).Delete(ctx, id, version); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrConflict
			}
			return err
		}
		_, dropped := f.attachmentChanges(f.storedData(d), nil)
		if err := s.release(ctx, sc, f, d.ID, dropped); err != nil {
			return err
		}
		if err := s.emit(ctx, sc, EventRecordDeleted, a, f, d.ID, d.Version, f.storedData(d), nil, nil); err != nil {
			return err
		}
		e := s.entry(a, audit.ActionDelete, RecordObject(f.key, d.ID))
		e.Diff = f.diff(f.storedData(d), nil)
		e.Detail = map[string]any{"version": d.Version}
		_, err = s.log.Append(ctx, sc, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete %s record %s: %w", form, id, err)
	}
	return nil
}
