package files

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// Held is a file as a record holds it.
type Held struct {
	Meta
	// Path is the JSON pointer of the value that holds it ("/documents/0").
	Path string `json:"path"`
}

// Open returns a file a record holds, for the actor to download, and its content. The
// actor must be able to read the record (record right and row scope; else
// form.ErrForbidden or form.ErrNotFound), and the record must hold the file in a field
// the actor reads in full: a field they may not read is answered ErrNotFound, like a
// file the record does not hold, and a masked one ErrMasked. The download is audited as
// a view before Open returns. The caller closes the content, which is read chunk by
// chunk with ctx.
func (s *Service) Open(ctx context.Context, a form.Actor, formKey, record, fileID string) (*Meta, io.ReadCloser, error) {
	held, m, err := s.held(ctx, a, formKey, record)
	if err != nil {
		return nil, nil, err
	}
	var ref *form.AttachmentRef
	for i := range held {
		if held[i].FileID == fileID {
			ref = &held[i]
			break
		}
	}
	if ref == nil {
		return nil, nil, fmt.Errorf("open file %s of %s record %s: %w", fileID, formKey, record, ErrNotFound)
	}
	switch m.View(ref.Field) {
	case form.ViewNone:
		return nil, nil, fmt.Errorf("open file %s of %s record %s: %w", fileID, formKey, record, ErrNotFound)
	case form.ViewMasked:
		return nil, nil, fmt.Errorf("open file %s of %s record %s: %w", fileID, formKey, record, ErrMasked)
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, nil, err
	}
	meta, err := s.heldMeta(ctx, sc, formKey, record, *ref)
	if err != nil {
		return nil, nil, fmt.Errorf("open file %s of %s record %s: %w", fileID, formKey, record, err)
	}
	e := audit.Entry{Actor: a.UserID, Action: audit.ActionView, Object: recordFileObject(formKey, record, fileID),
		Client: a.Client, RequestID: a.RequestID, Detail: map[string]any{
			"field": meta.Field, "name": meta.Name, "size": meta.Size, "sha256": meta.SHA256}}
	if f, err := s.forms.Form(ctx, a.Tenant, formKey); err == nil && f.Sensitive(ref.Field) {
		e.Detail["unmasked"] = []string{ref.Field}
	}
	if _, err := s.log.Append(ctx, sc, e); err != nil {
		return nil, nil, fmt.Errorf("open file %s of %s record %s: %w", fileID, formKey, record, err)
	}
	return meta, &chunkReader{ctx: ctx, coll: sc.Collection(ChunksCollection), file: meta.ID, chunks: meta.chunks, left: meta.Size}, nil
}

// Attached lists the files a record holds in the fields the actor reads in full, in
// field order, with the actor's read of the record checked as Open checks it. Listing
// names at least one file is audited as a list entry of the record's files.
func (s *Service) Attached(ctx context.Context, a form.Actor, formKey, record string) ([]Held, error) {
	held, m, err := s.held(ctx, a, formKey, record)
	if err != nil {
		return nil, err
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, err
	}
	out := []Held{}
	for _, r := range held {
		if m.View(r.Field) != form.ViewFull {
			continue
		}
		meta, err := s.heldMeta(ctx, sc, formKey, record, r)
		if errors.Is(err, ErrNotFound) {
			// A value written before files were checked, or a file since purged: the
			// record shows the value as text.
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("files of %s record %s: %w", formKey, record, err)
		}
		out = append(out, Held{Meta: *meta, Path: r.Path})
	}
	if len(out) > 0 {
		ids := make([]string, len(out))
		for i, h := range out {
			ids[i] = h.ID
		}
		e := audit.Entry{Actor: a.UserID, Action: audit.ActionList, Object: form.RecordObject(formKey, record) + "/files",
			Client: a.Client, RequestID: a.RequestID, Detail: map[string]any{"count": len(out), "files": ids}}
		if _, err := s.log.Append(ctx, sc, e); err != nil {
			return nil, fmt.Errorf("files of %s record %s: %w", formKey, record, err)
		}
	}
	return out, nil
}

// held checks the actor's read of the record and returns the file ids it holds, with
// the actor's field mask.
func (s *Service) held(ctx context.Context, a form.Actor, formKey, record string) ([]form.AttachmentRef, *form.FieldMask, error) {
	data, err := s.forms.DataForEvaluation(ctx, a, formKey, record)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.forms.Form(ctx, a.Tenant, formKey)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.forms.Mask(ctx, a, formKey)
	if err != nil {
		return nil, nil, err
	}
	return f.AttachmentRefs(data), m, nil
}

// heldMeta reads the metadata of a file the record names, checking that the file is
// indeed attached to it there.
func (s *Service) heldMeta(ctx context.Context, sc store.Scope, formKey, record string, r form.AttachmentRef) (*Meta, error) {
	if !ValidID(r.FileID) {
		return nil, ErrNotFound
	}
	d, err := sc.Collection(Collection).Get(ctx, r.FileID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	meta, err := metaOf(d)
	if err != nil {
		return nil, err
	}
	if meta.Form != formKey || meta.Field != r.Field || meta.Record != record {
		return nil, ErrNotFound
	}
	return meta, nil
}

// chunkReader reads a file's content one chunk document at a time.
type chunkReader struct {
	ctx    context.Context
	coll   store.Collection
	file   string
	chunks int
	next   int
	buf    []byte
	left   int64
}

// Read fills p from the current chunk, loading the next one when it is used up. A
// missing chunk or one whose length disagrees with the metadata is an error, never a
// short file passed off as whole.
func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.next == r.chunks {
			if r.left != 0 {
				return 0, fmt.Errorf("file %s: %d bytes missing: %w", r.file, r.left, io.ErrUnexpectedEOF)
			}
			return 0, io.EOF
		}
		d, err := r.coll.Get(r.ctx, chunkID(r.file, r.next))
		if err != nil {
			return 0, fmt.Errorf("file %s chunk %d: %w", r.file, r.next, err)
		}
		enc, _ := d.Data[keyChunkData].(string)
		b, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || int64(len(b)) > r.left {
			return 0, fmt.Errorf("file %s chunk %d is damaged", r.file, r.next)
		}
		r.buf, r.left = b, r.left-int64(len(b))
		r.next++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// Close ends the read; the reader holds no resource of its own.
func (r *chunkReader) Close() error { return nil }
