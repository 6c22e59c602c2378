package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/tenants"
)

// exportTimeout bounds one export; it outlives the request deadline because the body
// streams after the handler returns.
const exportTimeout = 30 * time.Minute

// exportRecords streams a filtered list as CSV, NDJSON or .xlsx under the caller's
// permissions.
// Errors found before the first record (no right, bad filter) answer as usual; the body
// streams from a goroutine through a pipe, so memory does not grow with the export.
func (s *Server) exportRecords(c *fiber.Ctx) error {
	if err := s.needScope(c, tenants.ScopeRecordsRead); err != nil {
		return err
	}
	format := c.Query("format", "csv")
	if _, ok := exportTypes[format]; !ok {
		return newAPIError(fiber.StatusBadRequest, "invalid_query", "format must be csv, ndjson or xlsx.",
			FieldProblem{Path: "format", Code: "enum", Message: "must be csv, ndjson or xlsx"})
	}
	q, err := queryOf(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	formKey := c.Params("form")
	columns, err := s.exportColumns(c, actor, formKey, q.Fields)
	if err != nil {
		return err
	}

	log := loggerFrom(c, s.log) // c is reused once the handler returns; the goroutine must not touch it
	pr, pw := io.Pipe()
	started := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		w, err := newExportWriter(format, pw, columns)
		if err != nil {
			started <- err
			_ = pw.CloseWithError(err)
			return
		}
		first := true
		_, err = s.deps.Forms.Export(ctx, actor, formKey, q, func(r *form.Record) error {
			if first {
				first = false
				started <- nil
			}
			return w.write(r)
		})
		if first {
			// Nothing streamed yet: the handler answers with the error, or starts reading
			// before the (empty) file is written, as a write to the pipe waits for it.
			started <- err
			if err != nil {
				_ = pw.CloseWithError(err)
				return
			}
		}
		if err == nil {
			err = w.close()
		}
		if err != nil {
			log.Warn("export stopped", "error", err.Error())
		}
		_ = pw.CloseWithError(err)
	}()
	if err := <-started; err != nil {
		return err
	}
	name := formKey + "-" + time.Now().UTC().Format("20060102-150405") + "." + format
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderContentType, exportTypes[format])
	return c.SendStream(pr)
}

// exportTypes are the export formats and their media types.
var exportTypes = map[string]string{
	"csv":    "text/csv; charset=utf-8",
	"ndjson": "application/x-ndjson",
	"xlsx":   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// exportColumns are the CSV columns: the projection, else every field the caller reads.
func (s *Server) exportColumns(c *fiber.Ctx, a form.Actor, formKey string, fields []string) ([]string, error) {
	if len(fields) > 0 {
		return fields, nil
	}
	m, err := s.deps.Forms.Mask(c.UserContext(), a, formKey)
	if err != nil {
		return nil, err
	}
	if !m.Can(form.ActExport) {
		return nil, errForbidden
	}
	return m.Columns(), nil
}

type exportWriter struct {
	buf  *bufio.Writer
	csv  *transfer.CSVWriter
	xlsx *transfer.XLSXWriter
}

func newExportWriter(format string, w io.Writer, columns []string) (*exportWriter, error) {
	ew := &exportWriter{buf: bufio.NewWriterSize(w, 64<<10)}
	switch format {
	case "csv":
		c, err := transfer.NewCSVWriter(ew.buf, columns)
		if err != nil {
			return nil, err
		}
		ew.csv = c
	case "xlsx":
		x, err := transfer.NewXLSXWriter(ew.buf, columns)
		if err != nil {
			return nil, err
		}
		ew.xlsx = x
	}
	return ew, nil
}

func (w *exportWriter) write(r *form.Record) error {
	switch {
	case w.xlsx != nil:
		return w.xlsx.Write(r)
	case w.csv != nil:
		return w.csv.Write(r)
	}
	b, err := json.Marshal(r) // ndjson
	if err != nil {
		return err
	}
	_, _ = w.buf.Write(b)
	return w.buf.WriteByte('\n')
}

func (w *exportWriter) close() error {
	if w.xlsx != nil {
		if err := w.xlsx.Close(); err != nil {
			return err
		}
	}
	if w.csv != nil {
		if err := w.csv.Close(); err != nil {
			return err
		}
	}
	return w.buf.Flush()
}

// cell writes one value as CSV text (the rejects report's cells too).
func cell(v any) string { return transfer.CSVText(v) }
