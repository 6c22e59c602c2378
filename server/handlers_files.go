package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/tenants"
)

// downloadTimeout bounds one download: the content streams after the handler returns,
// beyond the request deadline.
const downloadTimeout = 10 * time.Minute

// multipartSlack is what a multipart body may hold beyond its file: boundaries and
// part headers.
const multipartSlack = 64 << 10

// filesOn answers 503 when the server runs without the file service.
func (s *Server) filesOn(c *fiber.Ctx) error {
	if s.deps.Files == nil {
		return newAPIError(fiber.StatusServiceUnavailable, "files_disabled", "File uploads are not enabled on this server.")
	}
	return c.Next()
}

// uploadFile takes a multipart upload (part "file") for the attachment field named by
// the query's field, and answers 201 with the file's metadata. The file is attached to
// a record by writing its id into that field.
func (s *Server) uploadFile(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	field := c.Query("field")
	if field == "" {
		return newAPIError(fiber.StatusBadRequest, "missing_field", "Name the attachment field in the query: ?field=documents.",
			FieldProblem{Path: "field", Code: "required", Message: "names the attachment field the file is for"})
	}
	mf, err := c.MultipartForm()
	if err != nil {
		return newAPIError(fiber.StatusBadRequest, "invalid_multipart", "The body is not a multipart form; send the file as its part named file.",
			FieldProblem{Path: "file", Code: "required", Message: "must be sent as multipart/form-data"})
	}
	parts := mf.File["file"]
	if len(parts) != 1 {
		return newAPIError(fiber.StatusBadRequest, "missing_file", "Send exactly one file, as the multipart part named file.",
			FieldProblem{Path: "file", Code: "required", Message: "must be one file"})
	}
	fh := parts[0]
	if fh.Size > s.deps.Files.MaxSize() {
		return filesError(fmt.Errorf("upload: %w", files.ErrTooLarge), s.deps.Files.MaxSize())
	}
	body, err := fh.Open()
	if err != nil {
		return err
	}
	defer func() { _ = body.Close() }()
	m, err := s.deps.Files.Upload(c.UserContext(), s.actor(c), c.Params("form"), field, files.NewFile{Name: fh.Filename, Body: body})
	if err != nil {
		return filesError(err, s.deps.Files.MaxSize())
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

// recordFiles lists the files a record holds in the fields the caller reads in full.
func (s *Server) recordFiles(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	held, err := s.deps.Files.Attached(c.UserContext(), s.actor(c), c.Params("form"), c.Params("id"))
	if err != nil {
		return filesError(err, 0)
	}
	return c.JSON(fiber.Map{"files": held})
}

// downloadFile streams a file the record holds, as a download that no browser runs or
// shows inline. The view is audited before the first byte goes out.
func (s *Server) downloadFile(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	// The content is read after the handler returns, so it gets a context of its own
	// that the end of the stream (or the connection) releases.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), downloadTimeout)
	m, body, err := s.deps.Files.Open(ctx, s.actor(c), c.Params("form"), c.Params("id"), c.Params("file"))
	if err != nil {
		cancel()
		return filesError(err, 0)
	}
	c.Set(fiber.HeaderContentType, m.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(m.Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	c.Response().SetBodyStream(&releasingReader{ReadCloser: body, cancel: cancel}, int(m.Size))
	return nil
}

// releasingReader cancels the download's context once the stream is closed.
type releasingReader struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (r *releasingReader) Close() error {
	defer r.cancel()
	return r.ReadCloser.Close()
}

// contentDisposition names the download for the browser: an ASCII fallback and the
// UTF-8 name percent-encoded (RFC 6266, RFC 8187), so neither quotes nor line breaks
// nor non-ASCII names can break the header.
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + percentEncode(name)
}

// percentEncode keeps RFC 8187's attr-char and escapes every other byte.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			strings.IndexByte("!#$&+-.^_`|~", ch) >= 0:
			b.WriteByte(ch)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&0x0f])
		}
	}
	return b.String()
}

// filesError gives the file service's errors their status and stable code; limit is
// the size limit quoted by a too-large refusal.
func filesError(err error, limit int64) error {
	var te *files.TypeError
	switch {
	case errors.Is(err, files.ErrTooLarge):
		return newAPIError(fiber.StatusRequestEntityTooLarge, "file_too_large",
			fmt.Sprintf("The file is larger than %s; upload a smaller or compressed copy.", sizeWords(limit)),
			FieldProblem{Path: "file", Code: "max_size", Message: "is too large", Params: map[string]any{"limit": limit}})
	case errors.Is(err, files.ErrEmpty):
		return newAPIError(fiber.StatusUnprocessableEntity, "empty_file", "The file is empty.",
			FieldProblem{Path: "file", Code: "empty", Message: "holds no bytes"})
	case errors.As(err, &te):
		return newAPIError(fiber.StatusUnsupportedMediaType, "file_type_not_allowed",
			"This kind of file is not accepted; upload a scan or photo (JPEG, PNG, WebP, GIF), a PDF or a plain text file.",
			FieldProblem{Path: "file", Code: "content_type", Message: "is " + te.Detected + ", which is not accepted",
				Params: map[string]any{"detected": te.Detected, "allowed": te.Allowed}})
	case errors.Is(err, files.ErrNotAttachmentField):
		return newAPIError(fiber.StatusUnprocessableEntity, "invalid_field", "The field is not an attachment field of this form.",
			FieldProblem{Path: "field", Code: "not_attachment", Message: "names no attachment field of this form"})
	case errors.Is(err, files.ErrMasked):
		return newAPIError(fiber.StatusForbidden, "masked_field", "You see this field masked, so its files are not shown to you.")
	case errors.Is(err, files.ErrNotFound):
		return errNotFound
	}
	return err
}

// sizeWords writes a byte count for a person: "10 MiB", "512 KiB".
func sizeWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
