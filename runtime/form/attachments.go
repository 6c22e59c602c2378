package form

import (
	"context"
	"slices"
	"strings"

	"github.com/credolabs/credo/store"
)

// widgetAttachment edits a field holding the id (string) or ids (array of strings) of
// uploaded files.
const widgetAttachment = "attachment"

// AttachmentRef is one file id held by an attachment field of a record.
type AttachmentRef struct {
	// Path is the JSON pointer of the value ("/id_scan", "/documents/1",
	// "/contacts/0/photo"), where a problem with it is reported.
	Path string
	// Field names the attachment field: "documents", or "contacts.photo" for a column
	// of a subtable.
	Field string
	// FileID is the value: the id of an uploaded file.
	FileID string
}

// Attachments keeps the files that attachment fields refer to (runtime/files implements
// it). The record service asks it about every file id a write adds to a record, and
// tells it which ids a write or a delete drops. Every call gets the tenant's scope and
// the ctx of the write's transaction (or, for Check, of no transaction), and writes
// with that ctx only.
type Attachments interface {
	// Check reports, without changing anything, the refs that cannot be attached to
	// record of form: one Problem per ref, located at its Path.
	Check(ctx context.Context, sc store.Scope, form, record string, refs []AttachmentRef) ([]Problem, error)
	// Attach marks the files of refs as attached to record. A ref that cannot be
	// attached fails the write with a *ValidationError.
	Attach(ctx context.Context, sc store.Scope, form, record string, refs []AttachmentRef) error
	// Release marks the files no longer held by record as unattached, so that
	// housekeeping removes them in due course.
	Release(ctx context.Context, sc store.Scope, form, record string, fileIDs []string) error
}

// AttachmentField reports whether field names an attachment field of the form: a
// top-level field ("documents") or a subtable column ("contacts.photo").
func (f *Form) AttachmentField(field string) bool {
	top, col, nested := strings.Cut(field, ".")
	fi, ok := f.fields[top]
	if !ok {
		return false
	}
	if !nested {
		return fi.meta.Widget == widgetAttachment
	}
	c, ok := fi.subByName[col]
	return ok && c.meta.Widget == widgetAttachment
}

// AttachmentRefs lists the file ids the attachment fields of data hold, in field order.
func (f *Form) AttachmentRefs(data map[string]any) []AttachmentRef {
	var out []AttachmentRef
	for _, name := range f.order {
		fi := f.fields[name]
		v, ok := data[name]
		if !ok {
			continue
		}
		if fi.meta.Widget == widgetAttachment {
			out = appendRefs(out, ptr("", name), name, v)
			continue
		}
		rows, _ := v.([]any)
		for i, r := range rows {
			row, _ := r.(map[string]any)
			for _, col := range fi.sub {
				if cv, ok := row[col.name]; ok && col.meta.Widget == widgetAttachment {
					out = appendRefs(out, ptr(ptrIndex(ptr("", name), i), col.name), name+"."+col.name, cv)
				}
			}
		}
	}
	return out
}

// appendRefs adds the ids of one attachment value: a string or a list of strings.
// Anything else is the schema's to refuse.
func appendRefs(out []AttachmentRef, at, field string, v any) []AttachmentRef {
	switch x := v.(type) {
	case string:
		if x != "" {
			out = append(out, AttachmentRef{Path: at, Field: field, FileID: x})
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, AttachmentRef{Path: ptrIndex(at, i), Field: field, FileID: s})
			}
		}
	}
	return out
}

// attachmentChanges compares a record's attachments before and after a write: the refs
// whose file the record did not hold before, and the ids it no longer holds.
func (f *Form) attachmentChanges(old, next map[string]any) (added []AttachmentRef, dropped []string) {
	before := map[string]bool{}
	for _, r := range f.AttachmentRefs(old) {
		before[r.FileID] = true
	}
	after := map[string]bool{}
	for _, r := range f.AttachmentRefs(next) {
		after[r.FileID] = true
		if !before[r.FileID] {
			added = append(added, r)
		}
	}
	for id := range before {
		if !after[id] {
			dropped = append(dropped, id)
		}
	}
	slices.Sort(dropped)
	return added, dropped
}

// checkAttachments asks the configured Attachments about refs before a write, so a
// record naming a file it may not hold is refused before any other work.
func (s *Service) checkAttachments(ctx context.Context, sc store.Scope, f *Form, record string, refs []AttachmentRef) error {
	if s.opts.Attachments == nil || len(refs) == 0 {
		return nil
	}
	ps, err := s.opts.Attachments.Check(ctx, sc, f.key, record, refs)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// attach and release tell the configured Attachments of a write, with its transaction's ctx.
func (s *Service) attach(ctx context.Context, sc store.Scope, f *Form, record string, refs []AttachmentRef) error {
	if s.opts.Attachments == nil || len(refs) == 0 {
		return nil
	}
	return s.opts.Attachments.Attach(ctx, sc, f.key, record, refs)
}

func (s *Service) release(ctx context.Context, sc store.Scope, f *Form, record string, ids []string) error {
	if s.opts.Attachments == nil || len(ids) == 0 {
		return nil
	}
	return s.opts.Attachments.Release(ctx, sc, f.key, record, ids)
}

// refuseImportedAttachments rejects a batch row that carries attachment values: a file
// is uploaded to a form and then attached to one record; a spreadsheet cannot carry it.
func (s *Service) refuseImportedAttachments(f *Form, rec map[string]any) error {
	if s.opts.Attachments == nil {
		return nil
	}
	var ps problems
	for _, r := range f.AttachmentRefs(rec) {
		ps.add(r.Path, "attachment_import", "files cannot be imported; upload them on the record once it is created")
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}
