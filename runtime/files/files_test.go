package files_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/runtime/form"
)

func (fx *fixture) upload(t testing.TB, a form.Actor, field, name string, content []byte) *files.Meta {
	t.Helper()
	m, err := fx.svc.Upload(context.Background(), a, kycForm, field, files.NewFile{Name: name, Body: bytes.NewReader(content)})
	require.NoError(t, err)
	return m
}

func (fx *fixture) read(t testing.TB, a form.Actor, record, id string) (*files.Meta, []byte, error) {
	t.Helper()
	m, body, err := fx.svc.Open(context.Background(), a, kycForm, record, id)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = body.Close() }()
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	return m, b, nil
}

// problemsOf returns the problems of a validation error as "path code".
func problemsOf(t testing.TB, err error) []string {
	t.Helper()
	var ve *form.ValidationError
	require.ErrorAs(t, err, &ve)
	out := make([]string, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		out = append(out, p.Path+" "+p.Code)
	}
	return out
}

func TestUploadAttachDownloadRoundTrip(t *testing.T) {
	fx := newFixture(t, files.Options{})
	ctx := context.Background()
	// Three chunks, the last one partial: the content comes back byte for byte.
	content := pdf(2*files.ChunkSize + 1234)
	m := fx.upload(t, fx.clerk, "documents", `C:\fakepath\payslip 2026-04.pdf`, content)
	assert.Equal(t, "payslip 2026-04.pdf", m.Name)
	assert.Equal(t, "application/pdf", m.ContentType)
	assert.Equal(t, int64(len(content)), m.Size)
	assert.Equal(t, "documents", m.Field)
	assert.Empty(t, m.Record)
	assert.EqualValues(t, 3, fx.count(t, files.ChunksCollection))

	rec, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "documents": []any{m.ID}})
	require.NoError(t, err)

	got, body, err := fx.read(t, fx.clerk, rec.ID, m.ID)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(content, body), "the download differs from the upload")
	assert.Equal(t, rec.ID, got.Record)
	require.NotNil(t, got.AttachedAt)

	held, err := fx.svc.Attached(ctx, fx.clerk, kycForm, rec.ID)
	require.NoError(t, err)
	require.Len(t, held, 1)
	assert.Equal(t, "/documents/0", held[0].Path)
	assert.Equal(t, m.ID, held[0].ID)

	// The upload, the download and the listing are each on the audit record.
	assert.Len(t, fx.auditOf(t, "form:kyc/file:"+m.ID), 1)
	views := fx.auditOf(t, form.RecordObject(kycForm, rec.ID)+"/file:"+m.ID)
	require.Len(t, views, 1)
	assert.Equal(t, "view", views[0].Action)
	assert.Equal(t, fx.clerk.UserID, views[0].Actor)
	assert.Len(t, fx.auditOf(t, form.RecordObject(kycForm, rec.ID)+"/files"), 1)
}

func TestUploadRefusals(t *testing.T) {
	fx := newFixture(t, files.Options{MaxSize: 1 << 20})
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 64)...)
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	for _, tc := range []struct {
		name    string
		actor   form.Actor
		field   string
		content []byte
		want    func(t *testing.T, err error)
	}{
		{"too large", fx.clerk, "documents", pdf(1<<20 + 1), func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrTooLarge) }},
		{"empty", fx.clerk, "documents", nil, func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrEmpty) }},
		{"an executable named .pdf", fx.clerk, "documents", elf, func(t *testing.T, err error) {
			var te *files.TypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "application/octet-stream", te.Detected)
		}},
		{"html", fx.clerk, "documents", html, func(t *testing.T, err error) {
			var te *files.TypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "text/html", te.Detected)
		}},
		{"not an attachment field", fx.clerk, "name", pdf(100), func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrNotAttachmentField) }},
		{"no such field", fx.clerk, "nope", pdf(100), func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrNotAttachmentField) }},
		{"no such column", fx.clerk, "contacts.name", pdf(100), func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrNotAttachmentField) }},
		{"a field the actor may not know of", fx.hider, "id_scan", pdf(100), func(t *testing.T, err error) { assert.ErrorIs(t, err, files.ErrNotAttachmentField) }},
		{"a reader", fx.other, "documents", pdf(100), func(t *testing.T, err error) { assert.ErrorIs(t, err, form.ErrForbidden) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.svc.Upload(context.Background(), tc.actor, kycForm, tc.field, files.NewFile{Name: "x.pdf", Body: bytes.NewReader(tc.content)})
			require.Error(t, err)
			tc.want(t, err)
		})
	}
	// Nothing refused was stored.
	assert.Zero(t, fx.count(t, files.Collection))
	assert.Zero(t, fx.count(t, files.ChunksCollection))
}

func TestUploadAcceptsImagesAndText(t *testing.T) {
	fx := newFixture(t, files.Options{})
	for name, tc := range map[string]struct {
		content []byte
		want    string
	}{
		"scan.png":  {append([]byte("\x89PNG\x0D\x0A\x1A\x0A"), make([]byte, 40)...), "image/png"},
		"scan.jpg":  {append([]byte("\xFF\xD8\xFF\xE0"), make([]byte, 40)...), "image/jpeg"},
		"scan.gif":  {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif"},
		"scan.webp": {append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 40)...), "image/webp"},
		"note.txt":  {[]byte("月收入证明：单位盖章\n"), "text/plain; charset=utf-8"},
	} {
		m := fx.upload(t, fx.clerk, "documents", name, tc.content)
		assert.Equal(t, tc.want, m.ContentType, name)
	}
}

func TestRecordWritesCheckAttachments(t *testing.T) {
	fx := newFixture(t, files.Options{})
	ctx := context.Background()
	doc := fx.upload(t, fx.clerk, "documents", "a.pdf", pdf(300))
	scan := fx.upload(t, fx.clerk, "id_scan", "id.pdf", pdf(300))
	photo := fx.upload(t, fx.clerk, "contacts.photo", "p.pdf", pdf(300))

	t.Run("unknown id", func(t *testing.T) {
		_, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "documents": []any{doc.ID, "0190a1b2-0000-7000-8000-000000000000", "../etc/passwd"}})
		assert.Equal(t, []string{"/documents/1 attachment_not_found", "/documents/2 attachment_not_found"}, problemsOf(t, err))
	})
	t.Run("a file of another field", func(t *testing.T) {
		_, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "id_scan": doc.ID})
		assert.Equal(t, []string{"/id_scan attachment_wrong_field"}, problemsOf(t, err))
		_, err = fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "contacts": []any{map[string]any{"photo": scan.ID}}})
		assert.Equal(t, []string{"/contacts/0/photo attachment_wrong_field"}, problemsOf(t, err))
	})
	// Nothing refused attached anything.
	assert.Zero(t, fx.count(t, "records:kyc"))

	first, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "id_scan": scan.ID,
		"documents": []any{doc.ID}, "contacts": []any{map[string]any{"name": "李雷", "photo": photo.ID}}})
	require.NoError(t, err)

	t.Run("a file another record holds", func(t *testing.T) {
		_, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "张伟", "documents": []any{doc.ID}})
		assert.Equal(t, []string{"/documents/0 attachment_in_use"}, problemsOf(t, err))
		other, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "张伟"})
		require.NoError(t, err)
		_, err = fx.forms.Update(ctx, fx.clerk, kycForm, other.ID, other.Version, map[string]any{"documents": []any{doc.ID}})
		assert.Equal(t, []string{"/documents/0 attachment_in_use"}, problemsOf(t, err))
	})
	t.Run("an update keeping its files", func(t *testing.T) {
		_, err := fx.forms.Update(ctx, fx.clerk, kycForm, first.ID, first.Version, map[string]any{"name": "王芳芳"})
		require.NoError(t, err)
	})
	t.Run("an import cannot carry files", func(t *testing.T) {
		out, err := fx.forms.CreateMany(ctx, fx.admin, kycForm, []form.BulkRow{{Data: map[string]any{"name": "赵六", "documents": []any{doc.ID}}}}, form.BulkOptions{})
		require.NoError(t, err)
		require.Len(t, out, 1)
		assert.Equal(t, form.BulkRejected, out[0].Status)
		require.Len(t, out[0].Problems, 1)
		assert.Equal(t, "attachment_import", out[0].Problems[0].Code)
	})
}

func TestDownloadFollowsFieldRights(t *testing.T) {
	fx := newFixture(t, files.Options{})
	ctx := context.Background()
	scan := fx.upload(t, fx.admin, "id_scan", "id.png", append([]byte("\x89PNG\x0D\x0A\x1A\x0A"), make([]byte, 64)...))
	doc := fx.upload(t, fx.admin, "documents", "a.pdf", pdf(500))
	rec, err := fx.forms.Create(ctx, fx.admin, kycForm, map[string]any{"name": "王芳", "id_scan": scan.ID, "documents": []any{doc.ID}})
	require.NoError(t, err)

	for _, tc := range []struct {
		name  string
		actor form.Actor
		file  string
		want  error
	}{
		{"admin reads the scan", fx.admin, scan.ID, nil},
		{"a masked reader is refused the scan", fx.clerk, scan.ID, files.ErrMasked},
		{"a reader who may not see the field does not find it", fx.hider, scan.ID, files.ErrNotFound},
		{"a reader of the field reads the document", fx.other, doc.ID, nil},
		{"a file the record does not hold", fx.admin, fx.upload(t, fx.admin, "documents", "b.pdf", pdf(200)).ID, files.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := fx.read(t, tc.actor, rec.ID, tc.file)
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
	// Reading a sensitive field's file in full is noted as unmasking.
	views := fx.auditOf(t, form.RecordObject(kycForm, rec.ID)+"/file:"+scan.ID)
	require.Len(t, views, 1)
	assert.Equal(t, []any{"id_scan"}, views[0].Detail["unmasked"])

	// The listing leaves out what the reader may not read in full.
	held, err := fx.svc.Attached(ctx, fx.clerk, kycForm, rec.ID)
	require.NoError(t, err)
	require.Len(t, held, 1)
	assert.Equal(t, doc.ID, held[0].ID)

	// A record outside the reader's reach is not found at all.
	_, _, err = fx.read(t, fx.admin, "0190a1b2-0000-7000-8000-000000000000", doc.ID)
	assert.ErrorIs(t, err, form.ErrNotFound)
}

func TestOrphansArePurged(t *testing.T) {
	fx := newFixture(t, files.Options{})
	ctx := context.Background()
	kept := fx.upload(t, fx.clerk, "documents", "kept.pdf", pdf(files.ChunkSize+10))
	dropped := fx.upload(t, fx.clerk, "documents", "dropped.pdf", pdf(200))
	fx.upload(t, fx.clerk, "documents", "never.pdf", pdf(files.ChunkSize+10))
	rec, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "documents": []any{kept.ID, dropped.ID}})
	require.NoError(t, err)
	assert.EqualValues(t, 3, fx.count(t, files.Collection))
	assert.EqualValues(t, 5, fx.count(t, files.ChunksCollection))

	fx.clock.advance(20 * time.Hour)
	// The record lets go of one file: it is an orphan from now.
	_, err = fx.forms.Update(ctx, fx.clerk, kycForm, rec.ID, rec.Version, map[string]any{"documents": []any{kept.ID}})
	require.NoError(t, err)
	n, err := fx.svc.PurgeOrphans(ctx, testTenant)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing is 24 hours old yet")

	fx.clock.advance(5 * time.Hour)
	n, err = fx.svc.PurgeOrphans(ctx, testTenant)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the file never attached")
	_, _, err = fx.read(t, fx.clerk, rec.ID, dropped.ID)
	assert.ErrorIs(t, err, files.ErrNotFound, "a dropped file is no longer the record's")

	fx.clock.advance(20 * time.Hour)
	n, err = fx.svc.PurgeOrphans(ctx, testTenant)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the file the record dropped")
	assert.EqualValues(t, 1, fx.count(t, files.Collection))
	assert.EqualValues(t, 2, fx.count(t, files.ChunksCollection))
	_, body, err := fx.read(t, fx.clerk, rec.ID, kept.ID)
	require.NoError(t, err)
	assert.Len(t, body, int(kept.Size))

	// Deleting the record releases its files too.
	cur, err := fx.forms.Get(ctx, fx.clerk, kycForm, rec.ID)
	require.NoError(t, err)
	require.NoError(t, fx.forms.Delete(ctx, fx.admin, kycForm, rec.ID, cur.Version))
	fx.clock.advance(25 * time.Hour)
	n, err = fx.svc.PurgeOrphans(ctx, testTenant)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Zero(t, fx.count(t, files.Collection))
	assert.Zero(t, fx.count(t, files.ChunksCollection))
	deletes := 0
	for _, e := range fx.auditOf(t, "form:kyc/file:") {
		if e.Action == "delete" {
			deletes++
			assert.Equal(t, form.SystemActor, e.Actor)
		}
	}
	assert.Equal(t, 3, deletes)
}

func TestTwoRecordsCannotClaimOneFile(t *testing.T) {
	fx := newFixture(t, files.Options{})
	ctx := context.Background()
	doc := fx.upload(t, fx.clerk, "documents", "a.pdf", pdf(300))
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, err := fx.forms.Create(ctx, fx.clerk, kycForm, map[string]any{"name": "王芳", "documents": []any{doc.ID}})
			errs <- err
		}()
	}
	ok := 0
	for range 4 {
		err := <-errs
		var ve *form.ValidationError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &ve):
			assert.Equal(t, files.CodeInUse, ve.Problems[0].Code)
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 1, ok, "exactly one record holds the file")
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"payslip.pdf":                     "payslip.pdf",
		`C:\fakepath\scan.png`:            "scan.png",
		"../../etc/passwd":                "passwd",
		"身份证 正面.jpg":                      "身份证 正面.jpg",
		"invoice\u202Efdp.exe":            "invoicefdp.exe",
		"a\x00b\nc.txt":                   "abc.txt",
		"  ":                              "file",
		"..":                              "file",
		"bad\xffutf8.pdf":                 "badutf8.pdf",
		strings.Repeat("长", 100) + ".pdf": strings.Repeat("长", 83) + ".pdf",
	} {
		assert.Equal(t, want, files.CleanName(in), in)
	}
}
