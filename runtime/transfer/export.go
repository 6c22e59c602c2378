package transfer

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/runtime/form"
)

// ExportMeta are the record columns an export writes before the form's fields.
var ExportMeta = []string{"id", "created_at", "updated_at", "version", "form_version"}

// exportSheet names the one worksheet of an export.
const exportSheet = "Records"

// XLSXWriter writes records as the rows of one worksheet with excelize's stream writer,
// which moves the rows to a temporary file once they pass a few MiB, so memory does not
// grow with the export. Rows are encoded on a goroutine of their own, so reading the
// records and writing the sheet use two cores. The workbook is put together and written
// out on Close. Text is written as text, never as a formula, so a value such as
// "=HYPERLINK(…)" cannot run when the file is opened.
type XLSXWriter struct {
	w       io.Writer
	f       *excelize.File
	sw      *excelize.StreamWriter
	columns []string
	row     int
	cells   []any

	queue  chan *form.Record
	done   chan struct{}
	failed atomic.Pointer[error]
}

// xlsxQueue is how many records may wait for the sheet's goroutine.
const xlsxQueue = 1024

// NewXLSXWriter starts a workbook whose header row is ExportMeta then columns.
func NewXLSXWriter(w io.Writer, columns []string) (*XLSXWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", exportSheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(exportSheet)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &XLSXWriter{w: w, f: f, sw: sw, columns: columns, cells: make([]any, 0, len(ExportMeta)+len(columns))}
	for _, h := range ExportMeta {
		x.cells = append(x.cells, h)
	}
	for _, h := range columns {
		x.cells = append(x.cells, h)
	}
	if err := x.next(); err != nil {
		_ = f.Close()
		return nil, err
	}
	x.queue, x.done = make(chan *form.Record, xlsxQueue), make(chan struct{})
	go x.drain()
	return x, nil
}

// Write adds one record as the next row. The record must not change afterwards.
func (x *XLSXWriter) Write(r *form.Record) error {
	if p := x.failed.Load(); p != nil {
		return *p
	}
	x.queue <- r
	return nil
}

// drain writes the queued records; after a failure it only empties the queue.
func (x *XLSXWriter) drain() {
	defer close(x.done)
	for r := range x.queue {
		if x.failed.Load() != nil {
			continue
		}
		if err := x.write(r); err != nil {
			x.failed.Store(&err)
		}
	}
}

func (x *XLSXWriter) write(r *form.Record) error {
	x.cells = append(x.cells[:0], r.ID, r.CreatedAt.UTC().Format(time.RFC3339), r.UpdatedAt.UTC().Format(time.RFC3339),
		r.Version, r.FormVersion)
	for _, c := range x.columns {
		x.cells = append(x.cells, xlsxValue(r.Data[c]))
	}
	return x.next()
}

func (x *XLSXWriter) next() error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cells)
}

// Close writes the workbook to the writer and releases its temporary files.
func (x *XLSXWriter) Close() error {
	close(x.queue)
	<-x.done
	if p := x.failed.Load(); p != nil {
		return errors.Join(*p, x.f.Close())
	}
	err := x.sw.Flush()
	if err == nil {
		_, err = x.f.WriteTo(x.w)
	}
	return errors.Join(err, x.f.Close())
}

// xlsxValue is how a record value is written to a cell: numbers as numbers while a
// spreadsheet can hold them exactly (15 digits), text, yes/no as booleans, lists and
// objects as JSON text.
func xlsxValue(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64, int:
		return x
	case float64:
		if math.Abs(x) < 1e15 {
			return x
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		if f, err := x.Float64(); err == nil && math.Abs(f) < 1e15 {
			return f
		}
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return string(b)
}
