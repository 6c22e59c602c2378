package files

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

// NewFile is one upload.
type NewFile struct {
	// Name is the name the client gave; only shown, never trusted.
	Name string
	// Body is the content; at most Options.MaxSize bytes of it are read.
	Body io.Reader
}

// Upload stores a file for field of formKey and returns its metadata. The actor needs
// the right to create or change the form's records and to write the field (for a
// subtable column, the subtable). The content is refused when larger than MaxSize
// (ErrTooLarge), empty (ErrEmpty) or sniffed to a type not accepted (*TypeError); the
// declared type is never read. The file, its chunks and the upload's audit entry commit
// together.
func (s *Service) Upload(ctx context.Context, a form.Actor, formKey, field string, in NewFile) (*Meta, error) {
	if err := s.mayWrite(ctx, a, formKey, field); err != nil {
		return nil, err
	}
	content, err := io.ReadAll(io.LimitReader(in.Body, s.opts.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("upload to %s: read: %w", formKey, err)
	}
	switch {
	case int64(len(content)) > s.opts.MaxSize:
		return nil, fmt.Errorf("upload to %s: %w", formKey, ErrTooLarge)
	case len(content) == 0:
		return nil, fmt.Errorf("upload to %s: %w", formKey, ErrEmpty)
	}
	detected := http.DetectContentType(content)
	if !s.accepts(detected) {
		media, _, _ := strings.Cut(detected, ";")
		return nil, fmt.Errorf("upload to %s: %w", formKey, &TypeError{Detected: media, Allowed: s.opts.Types})
	}
	sum := sha256.Sum256(content)
	m := &Meta{ID: store.NewID(), Form: formKey, Field: field, Name: CleanName(in.Name), Size: int64(len(content)),
		ContentType: detected, SHA256: hex.EncodeToString(sum[:]), UploadedBy: a.UserID, UploadedAt: s.now(),
		chunks: chunkCount(int64(len(content)))}
	chunks := make([]*store.Doc, 0, m.chunks)
	for n := range m.chunks {
		part := content[n*ChunkSize : min((n+1)*ChunkSize, len(content))]
		chunks = append(chunks, &store.Doc{ID: chunkID(m.ID, n), Data: map[string]any{
			keyChunkFile: m.ID, keyChunkNumber: n, keyChunkData: base64.StdEncoding.EncodeToString(part)}})
	}
	sc, err := s.b.Scope(a.Tenant)
	if err != nil {
		return nil, fmt.Errorf("upload to %s: %w", formKey, err)
	}
	entry, err := s.log.Prepare(sc, audit.Entry{Actor: a.UserID, Action: audit.ActionCreate, Object: fileObject(formKey, m.ID),
		Client: a.Client, RequestID: a.RequestID, Detail: map[string]any{
			"field": field, "name": m.Name, "size": m.Size, "content_type": m.ContentType, "sha256": m.SHA256}})
	if err != nil {
		return nil, fmt.Errorf("upload to %s: %w", formKey, err)
	}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		// The chunks go first: a metadata document always has its content.
		if err := sc.Collection(ChunksCollection).InsertMany(ctx, chunks); err != nil {
			return err
		}
		if err := sc.Collection(Collection).Insert(ctx, &store.Doc{ID: m.ID, Data: m.data()}); err != nil {
			return err
		}
		_, err := entry.Append(ctx, sc)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("upload to %s: %w", formKey, err)
	}
	return m, nil
}

// mayWrite checks that field is an attachment field of the form's current version the
// actor may know of and write, on a form whose records they may create or change.
func (s *Service) mayWrite(ctx context.Context, a form.Actor, formKey, field string) error {
	if a.UserID == "" {
		return fmt.Errorf("upload to %s: no user: %w", formKey, form.ErrForbidden)
	}
	f, err := s.forms.Form(ctx, a.Tenant, formKey)
	if err != nil {
		return err
	}
	m, err := s.forms.Mask(ctx, a, formKey)
	if err != nil {
		return fmt.Errorf("upload to %s: %w", formKey, err)
	}
	if !m.Can(form.ActCreate) && !m.Can(form.ActUpdate) {
		return fmt.Errorf("upload to %s: %w", formKey, form.ErrForbidden)
	}
	// A field the actor may not know of is answered exactly like one the form lacks.
	if !f.AttachmentField(field) || !m.Known(field) {
		return fmt.Errorf("upload to %s field %q: %w", formKey, field, ErrNotAttachmentField)
	}
	if !m.CanWrite(field) {
		return fmt.Errorf("upload to %s field %s: %w", formKey, field, form.ErrForbidden)
	}
	return nil
}

// CleanName makes a client's file name safe to show and to send back in a header: the
// last path element only (browsers may send "C:\fakepath\scan.pdf"), valid UTF-8
// without control or format characters (a right-to-left override could disguise
// "fdp.exe" as "exe.pdf"), at most MaxNameLength bytes with its extension kept; "file"
// when nothing is left.
func CleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	if len(name) > MaxNameLength {
		// Shorten the stem, keeping a plausible extension so the file still opens.
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:len(name)-len(ext)]
		for len(stem)+len(ext) > MaxNameLength {
			_, size := utf8.DecodeLastRuneInString(stem)
			stem = stem[:len(stem)-size]
		}
		name = stem + ext
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}
