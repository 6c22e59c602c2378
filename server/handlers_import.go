package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/tenants"
)

// rejectsTimeout bounds one download of an import's report; it streams after the
// handler returns, beyond the request deadline.
const rejectsTimeout = 10 * time.Minute

// importsOn answers 503 when the server runs without the import service.
func (s *Server) importsOn(c *fiber.Ctx) error {
	if s.deps.Imports == nil {
		return newAPIError(fiber.StatusServiceUnavailable, "imports_disabled", "Imports are not enabled on this server.")
	}
	return c.Next()
}

// startImport takes a multipart upload (part "file", and "mapping" holding the JSON of
// transfer.Spec), checks it against the form, and answers 202 with the job, which runs
// in the background.
func (s *Server) startImport(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return newAPIError(fiber.StatusBadRequest, "missing_file", "Send the spreadsheet as the multipart part named file.",
			FieldProblem{Path: "file", Code: "required", Message: "must be a CSV file or an .xlsx workbook"})
	}
	if fh.Size > s.deps.Imports.MaxFileBytes() {
		return importError(transfer.ErrFileTooLarge)
	}
	spec, err := transfer.DecodeSpec([]byte(c.FormValue("mapping")))
	if err != nil {
		return importError(err)
	}
	body, err := fh.Open()
	if err != nil {
		return err
	}
	defer func() { _ = body.Close() }()
	job, err := s.deps.Imports.Start(c.UserContext(), s.actor(c), c.Params("form"),
		transfer.Upload{Name: fh.Filename, Body: body, Spec: spec})
	if err != nil {
		return importError(err)
	}
	c.Location(c.Path() + "/" + job.ID)
	return c.Status(fiber.StatusAccepted).JSON(job)
}

// getImport answers an import job with its progress and counts.
func (s *Server) getImport(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	job, err := s.deps.Imports.Job(c.UserContext(), s.actor(c), c.Params("form"), c.Params("job"))
	if err != nil {
		return importError(err)
	}
	return c.JSON(job)
}

// importRejects streams the report of a job's rejected rows as CSV or JSON, so a report
// of many rows costs no more memory than a few.
func (s *Server) importRejects(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsWrite); err != nil {
		return err
	}
	format := c.Query("format", "csv")
	if format != "csv" && format != "json" {
		return newAPIError(fiber.StatusBadRequest, "invalid_query", "format must be csv or json.",
			FieldProblem{Path: "format", Code: "enum", Message: "must be csv or json"})
	}
	actor, formKey, id := s.actor(c), c.Params("form"), c.Params("job")
	job, err := s.deps.Imports.Job(c.UserContext(), actor, formKey, id)
	if err != nil {
		return importError(err)
	}
	log := loggerFrom(c, s.log) // c is reused once the handler returns
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="import-`+job.ID+`-rejects.`+format+`"`)
	if format == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), rejectsTimeout)
		defer cancel()
		rw := newRejectsWriter(format, w, job)
		err := s.deps.Imports.Rejects(ctx, actor, formKey, id, rw.write)
		if err == nil {
			err = rw.close()
		}
		if err != nil {
			log.Warn("import report stopped", "job", id, "error", err.Error())
		}
		_ = w.Flush()
	})
	return nil
}

// rejectsWriter writes report entries as CSV rows or as the items of a JSON array.
type rejectsWriter struct {
	w     *bufio.Writer
	csv   *csv.Writer
	first bool
}

func newRejectsWriter(format string, w *bufio.Writer, job *transfer.Job) *rejectsWriter {
	rw := &rejectsWriter{w: w, first: true}
	if format == "csv" {
		_, _ = w.WriteString("\uFEFF") // so spreadsheet programs read UTF-8 headers correctly
		rw.csv = csv.NewWriter(w)
		_ = rw.csv.Write([]string{"row", "column", "field", "code", "reason"})
		return rw
	}
	head, _ := json.Marshal(map[string]any{"job": job.ID, "counts": job.Counts, "truncated": job.RejectsTruncated})
	_, _ = w.Write(head[:len(head)-1])
	_, _ = w.WriteString(`,"rejects":[`)
	return rw
}

func (rw *rejectsWriter) write(r transfer.Reject) error {
	if rw.csv != nil {
		// Headers come from the uploaded file: escaped so a spreadsheet does not run them.
		return rw.csv.Write([]string{strconv.Itoa(r.Row), cell(r.Column), cell(r.Field), r.Code, cell(r.Reason)})
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if !rw.first {
		_ = rw.w.WriteByte(',')
	}
	rw.first = false
	_, err = rw.w.Write(b)
	return err
}

func (rw *rejectsWriter) close() error {
	if rw.csv != nil {
		rw.csv.Flush()
		return rw.csv.Error()
	}
	_, err := rw.w.WriteString("]}")
	return err
}

// importError gives the import service's errors their status and stable code.
func importError(err error) error {
	var se *transfer.SpecError
	switch {
	case errors.As(err, &se):
		return newAPIError(fiber.StatusUnprocessableEntity, "invalid_mapping",
			"The mapping does not fit the file or the form; see fields (paths point into the mapping).", formProblems(se.Problems)...)
	case errors.Is(err, transfer.ErrFileTooLarge):
		return newAPIError(fiber.StatusRequestEntityTooLarge, "file_too_large", "The file is larger than this server imports; split it into several files.")
	case errors.Is(err, transfer.ErrLegacyWorkbook):
		return newAPIError(fiber.StatusUnsupportedMediaType, "legacy_workbook",
			"This is an .xls or password-protected workbook; save it as .xlsx without a password, or as CSV UTF-8.")
	case errors.Is(err, transfer.ErrUnsupportedFile):
		return newAPIError(fiber.StatusUnsupportedMediaType, "unsupported_file", "Upload a CSV file or an .xlsx workbook.")
	case errors.Is(err, transfer.ErrEmptyFile):
		return newAPIError(fiber.StatusUnprocessableEntity, "empty_file", "The file holds no rows.")
	case errors.Is(err, transfer.ErrUnreadableFile):
		return newAPIError(fiber.StatusUnprocessableEntity, "unreadable_file", "The file is damaged or expands beyond the import limit; save it again and retry.")
	case errors.Is(err, transfer.ErrJobNotFound):
		return errNotFound
	}
	return err
}
