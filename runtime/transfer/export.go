package transfer

import (
	"archive/zip"
	"compress/flate"
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/credolabs/credo/runtime/form"
)

// ExportMeta are the record columns an export writes before the form's fields.
var ExportMeta = []string{"id", "created_at", "updated_at", "version", "form_version"}

// exportSheet names the one worksheet of an export.
const exportSheet = "Records"

// XLSXWriter writes records as the rows of one worksheet of an .xlsx workbook, streamed
// to w as they come: the workbook's small parts first, then the worksheet's rows,
// compressed as they are written, so memory does not grow with the export and nothing
// waits for the end to leave. Rows are encoded on a goroutine of their own, so reading
// the records and writing the sheet use two cores. Text is written as text, never as a
// formula, so a value such as "=HYPERLINK(…)" cannot run when the file is opened.
type XLSXWriter struct {
	zw      *zip.Writer
	sheet   io.Writer
	columns []string
	names   []string // the columns' letters, ExportMeta's first
	row     int
	buf     []byte // the rows not yet handed to the compressor
	ref     []byte // scratch: one cell's reference
	num     []byte // scratch: one number's text

	queue  chan *form.Record
	done   chan struct{}
	failed atomic.Pointer[error]
}

// xlsxQueue is how many records may wait for the sheet's goroutine.
const xlsxQueue = 1024

// xlsxFlush is how many bytes of rows are gathered before they go to the compressor.
const xlsxFlush = 64 << 10

// NewXLSXWriter starts a workbook whose header row is ExportMeta then columns.
func NewXLSXWriter(w io.Writer, columns []string) (*XLSXWriter, error) {
	zw := zip.NewWriter(w)
	// The fastest level: an export is written once and read once; the default level
	// took about 40 % more CPU per row for a file a fifth smaller (BenchmarkExportXLSX).
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for _, p := range workbookParts {
		part, err := zw.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(part, p.body); err != nil {
			return nil, err
		}
	}
	sheet, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	x := &XLSXWriter{zw: zw, sheet: sheet, columns: columns, buf: make([]byte, 0, xlsxFlush+4096)}
	for i := range len(ExportMeta) + len(columns) {
		x.names = append(x.names, columnName(i))
	}
	x.buf = append(x.buf, xml.Header...)
	x.buf = append(x.buf, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`...)
	x.startRow()
	for i, h := range append(append([]string(nil), ExportMeta...), columns...) {
		x.buf = appendTextCell(x.buf, x.cellRef(i), h)
	}
	x.buf = append(x.buf, `</row>`...)
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
	x.startRow()
	x.buf = appendTextCell(x.buf, x.cellRef(0), r.ID)
	x.buf = appendTextCell(x.buf, x.cellRef(1), r.CreatedAt.UTC().Format(time.RFC3339))
	x.buf = appendTextCell(x.buf, x.cellRef(2), r.UpdatedAt.UTC().Format(time.RFC3339))
	x.number(3, strconv.AppendInt(x.num[:0], r.Version, 10))
	x.number(4, strconv.AppendInt(x.num[:0], int64(r.FormVersion), 10))
	for i, c := range x.columns {
		x.appendValue(len(ExportMeta)+i, r.Data[c])
	}
	x.buf = append(x.buf, `</row>`...)
	if len(x.buf) < xlsxFlush {
		return nil
	}
	return x.flush()
}

func (x *XLSXWriter) startRow() {
	x.row++
	x.buf = append(x.buf, `<row r="`...)
	x.buf = strconv.AppendInt(x.buf, int64(x.row), 10)
	x.buf = append(x.buf, `">`...)
}

// cellRef is the reference of column i of the current row (B7); it stays valid until
// the next call.
func (x *XLSXWriter) cellRef(i int) []byte {
	x.ref = append(x.ref[:0], x.names[i]...)
	x.ref = strconv.AppendInt(x.ref, int64(x.row), 10)
	return x.ref
}

// appendValue writes a record value in column i: numbers as numbers while a spreadsheet
// can hold them exactly (15 digits), text, yes/no as booleans, lists and objects as JSON
// text.
func (x *XLSXWriter) appendValue(i int, v any) {
	switch t := v.(type) {
	case nil:
	case string:
		x.buf = appendTextCell(x.buf, x.cellRef(i), t)
	case bool:
		x.buf = appendValueCell(x.buf, x.cellRef(i), "b", boolCell[t])
	case int64:
		x.number(i, strconv.AppendInt(x.num[:0], t, 10))
	case int:
		x.number(i, strconv.AppendInt(x.num[:0], int64(t), 10))
	case float64:
		x.float(i, t, "")
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			f = math.Inf(1)
		}
		x.float(i, f, string(t))
	default:
		b, err := json.Marshal(v)
		if err == nil {
			x.buf = appendTextCell(x.buf, x.cellRef(i), string(b))
		}
	}
}

// float writes f as a number when a spreadsheet holds it exactly, else as text: its
// source text when it has one.
func (x *XLSXWriter) float(i int, f float64, text string) {
	if math.Abs(f) < 1e15 {
		x.number(i, appendCellFloat(x.num[:0], f))
		return
	}
	if text == "" {
		text = strconv.FormatFloat(f, 'f', -1, 64)
	}
	x.buf = appendTextCell(x.buf, x.cellRef(i), text)
}

var boolCell = map[bool][]byte{true: []byte("1"), false: []byte("0")}

// number writes the number v in column i; v may be x.num.
func (x *XLSXWriter) number(i int, v []byte) {
	x.buf = appendValueCell(x.buf, x.cellRef(i), "", v)
	x.num = v[:0]
}

func (x *XLSXWriter) flush() error {
	_, err := x.sheet.Write(x.buf)
	x.buf = x.buf[:0]
	return err
}

// Close ends the workbook and writes what is left of it to the writer. After a failed
// Write it returns that failure; the output is then not a workbook.
func (x *XLSXWriter) Close() error {
	close(x.queue)
	<-x.done
	if p := x.failed.Load(); p != nil {
		return *p
	}
	x.buf = append(x.buf, `</sheetData></worksheet>`...)
	if err := x.flush(); err != nil {
		return err
	}
	return x.zw.Close()
}

// workbookParts are the parts of a one-sheet workbook other than its worksheet.
var workbookParts = []struct{ name, body string }{
	{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`},
	{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"xl/workbook.xml", xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="` + exportSheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`</Relationships>`},
	{"xl/styles.xml", xml.Header + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`},
}
