package files

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Problem codes of attachment values that cannot be attached.
const (
	// CodeNotFound: the value names no uploaded file of the tenant.
	CodeNotFound = "attachment_not_found"
	// CodeWrongField: the file was uploaded to another form or field.
	CodeWrongField = "attachment_wrong_field"
	// CodeInUse: another record holds the file.
	CodeInUse = "attachment_in_use"
)

// Attacher keeps attachment fields and files in step for the record service
// (form.Options.Attachments): it needs no backend, since every call brings the
// tenant's scope and the write's ctx. The zero value uses the wall clock.
type Attacher struct {
	// Now is the clock of attached_at and of the orphan age; nil means time.Now.
	Now func() time.Time
}

func (at Attacher) now() time.Time {
	if at.Now == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return at.Now().UTC().Truncate(time.Millisecond)
}

// Check reports the refs that cannot be attached to record: one problem per ref.
func (at Attacher) Check(ctx context.Context, sc store.Scope, formKey, record string, refs []form.AttachmentRef) ([]form.Problem, error) {
	ps, _, err := inspect(ctx, sc, formKey, record, refs)
	return ps, err
}

// Attach marks the files of refs as attached to record, each with a version-checked
// update: of two writes claiming one file at once, one is refused (CodeInUse), on
// engines without transactions too.
func (at Attacher) Attach(ctx context.Context, sc store.Scope, formKey, record string, refs []form.AttachmentRef) error {
	ps, claims, err := inspect(ctx, sc, formKey, record, refs)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return &form.ValidationError{Problems: ps}
	}
	stamp := at.now().Format(time.RFC3339Nano)
	coll := sc.Collection(Collection)
	for _, c := range claims {
		c.doc.Data[keyRecord] = record
		c.doc.Data[keyAttachedAt] = stamp
		delete(c.doc.Data, keyUnattached)
		err := coll.Update(ctx, c.doc)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			return &form.ValidationError{Problems: []form.Problem{inUse(c.ref)}}
		}
		if err != nil {
			return fmt.Errorf("attach file %s: %w", c.ref.FileID, err)
		}
	}
	return nil
}

// Release marks the files record no longer holds as unattached from now, so
// PurgeOrphans deletes them once they have been so for the orphan age. Files held by
// another record, or gone, are left alone.
func (at Attacher) Release(ctx context.Context, sc store.Scope, formKey, record string, ids []string) error {
	coll := sc.Collection(Collection)
	since := at.now().UnixMilli()
	for _, id := range ids {
		if !ValidID(id) {
			continue
		}
		d, err := coll.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("release file %s: %w", id, err)
		}
		if d.Data[keyRecord] != record || d.Data[keyForm] != formKey {
			continue
		}
		delete(d.Data, keyRecord)
		delete(d.Data, keyAttachedAt)
		d.Data[keyUnattached] = since
		if err := coll.Update(ctx, d); err != nil {
			return fmt.Errorf("release file %s: %w", id, err)
		}
	}
	return nil
}

// claim is a file to mark as attached.
type claim struct {
	ref form.AttachmentRef
	doc *store.Doc
}

// inspect checks every ref against its file, and lists the files not yet attached to
// record (once each, though a record may name one twice).
func inspect(ctx context.Context, sc store.Scope, formKey, record string, refs []form.AttachmentRef) ([]form.Problem, []claim, error) {
	var ps []form.Problem
	var claims []claim
	seen := map[string]bool{}
	coll := sc.Collection(Collection)
	for _, r := range refs {
		if !ValidID(r.FileID) {
			ps = append(ps, notFound(r))
			continue
		}
		d, err := coll.Get(ctx, r.FileID)
		if errors.Is(err, store.ErrNotFound) {
			ps = append(ps, notFound(r))
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("check file %s: %w", r.FileID, err)
		}
		holder, _ := d.Data[keyRecord].(string)
		switch {
		case d.Data[keyForm] != formKey || d.Data[keyField] != r.Field:
			ps = append(ps, form.Problem{Path: r.Path, Code: CodeWrongField,
				Message: "is a file uploaded for another field; upload it again here",
				Params:  map[string]any{"file": r.FileID}})
		case holder != "" && holder != record:
			ps = append(ps, inUse(r))
		case holder == "" && !seen[r.FileID]:
			seen[r.FileID] = true
			claims = append(claims, claim{ref: r, doc: d})
		}
	}
	return ps, claims, nil
}

func notFound(r form.AttachmentRef) form.Problem {
	return form.Problem{Path: r.Path, Code: CodeNotFound, Message: "names no uploaded file; upload the file again",
		Params: map[string]any{"file": r.FileID}}
}

func inUse(r form.AttachmentRef) form.Problem {
	return form.Problem{Path: r.Path, Code: CodeInUse, Message: "is a file attached to another record; upload it again here",
		Params: map[string]any{"file": r.FileID}}
}

var _ form.Attachments = Attacher{}
