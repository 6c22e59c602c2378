package transfer_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
)

// writeXLSX exports records through an XLSXWriter and returns the workbook.
func writeXLSX(t *testing.T, columns []string, records ...*form.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := transfer.NewXLSXWriter(&buf, columns)
	require.NoError(t, err)
	for _, r := range records {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// sheetRows reads a workbook's only sheet with excelize, as a spreadsheet user sees it.
func sheetRows(t *testing.T, book []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	require.Equal(t, []string{"Records"}, f.GetSheetList())
	rows, err := f.GetRows("Records")
	require.NoError(t, err)
	return rows
}

func record(i int, data map[string]any) *form.Record {
	at := time.Date(2024, 3, 7, 8, 9, 10, 0, time.FixedZone("CST", 8*3600))
	return &form.Record{ID: fmt.Sprintf("r-%d", i), FormVersion: 2, Version: int64(i), CreatedAt: at, UpdatedAt: at.Add(time.Hour), Data: data}
}

func TestXLSXWriterCells(t *testing.T) {
	long := strings.Repeat("长", 40000)
	columns := []string{"text", "number", "flag", "list"}
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"formula stays text", "=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"},
		{"markup", "<b>&amp;</b>", "<b>&amp;</b>"},
		{"spreadsheet escape stays literal", "_x0041_ and _x005F_", "_x0041_ and _x005F_"},
		{"spaces kept", "  padded\t", "  padded\t"},
		{"line breaks kept", "a\r\nb\nc", "a\r\nb\nc"},
		{"characters XML cannot carry", "a\x01b\x1fc", "a\uFFFDb\uFFFDc"},
		{"Chinese and emoji", "张伟 🙂", "张伟 🙂"},
		{"cut at a cell's limit", long, strings.Repeat("长", 32767)},
		{"money", json.Number("12000.50"), "12000.5"},
		{"float noise", 0.1 + 0.2, "0.3"},
		{"integer", int64(-42), "-42"},
		{"too many digits for a cell", json.Number("1234567890123456789"), "1234567890123456789"},
		{"yes", true, "TRUE"},
		{"list", []any{"a", json.Number("1")}, `["a",1]`},
		{"object", map[string]any{"k": "v"}, `{"k":"v"}`},
	}
	var records []*form.Record
	for i, c := range cases {
		records = append(records, record(i, map[string]any{"text": c.in}))
	}
	records = append(records, record(len(cases), map[string]any{"number": 3.5, "flag": false}))
	rows := sheetRows(t, writeXLSX(t, columns, records...))
	require.Len(t, rows, len(cases)+2)
	assert.Equal(t, append(append([]string(nil), transfer.ExportMeta...), columns...), rows[0])
	assert.Equal(t, []string{"r-0", "2024-03-07T00:09:10Z", "2024-03-07T01:09:10Z", "0", "2"}, rows[1][:5], "times in UTC")
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Len(t, rows[i+1], 6)
			assert.Equal(t, c.want, rows[i+1][5])
		})
	}
	assert.Equal(t, []string{"3.5", "FALSE"}, rows[len(cases)+1][6:8], "an absent value leaves its cell empty")
}

// The worksheet is well-formed XML and its cells have the types a spreadsheet reads:
// numbers and booleans as values, text inline, never a formula.
func TestXLSXWriterCellTypes(t *testing.T) {
	book := writeXLSX(t, []string{"n", "b", "s"}, record(1, map[string]any{"n": json.Number("7"), "b": true, "s": "=1+1"}))
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	require.NoError(t, err)
	var sheet io.ReadCloser
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			sheet, err = f.Open()
			require.NoError(t, err)
		}
	}
	require.NotNil(t, sheet)
	defer func() { _ = sheet.Close() }()
	types := map[string]string{}
	dec := xml.NewDecoder(sheet)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "well-formed XML")
		if el, ok := tok.(xml.StartElement); ok {
			assert.NotEqual(t, "f", el.Name.Local, "no formula")
			if el.Name.Local == "c" {
				var ref, typ string
				for _, a := range el.Attr {
					switch a.Name.Local {
					case "r":
						ref = a.Value
					case "t":
						typ = a.Value
					}
				}
				types[ref] = typ
			}
		}
	}
	assert.Equal(t, map[string]string{"A2": "inlineStr", "B2": "inlineStr", "C2": "inlineStr", "D2": "", "E2": "",
		"F2": "", "G2": "b", "H2": "inlineStr"}, map[string]string{"A2": types["A2"], "B2": types["B2"], "C2": types["C2"],
		"D2": types["D2"], "E2": types["E2"], "F2": types["F2"], "G2": types["G2"], "H2": types["H2"]})
}

func TestXLSXWriterManyRowsAndNone(t *testing.T) {
	var records []*form.Record
	for i := range 5000 {
		records = append(records, record(i, map[string]any{"name": fmt.Sprintf("借款人 %d", i), "amount": json.Number(fmt.Sprint(i * 100))}))
	}
	rows := sheetRows(t, writeXLSX(t, []string{"name", "amount"}, records...))
	require.Len(t, rows, 5001)
	assert.Equal(t, []string{"r-4999", "2024-03-07T00:09:10Z", "2024-03-07T01:09:10Z", "4999", "2", "借款人 4999", "499900"}, rows[5000])

	rows = sheetRows(t, writeXLSX(t, []string{"name"}))
	assert.Equal(t, [][]string{append(append([]string(nil), transfer.ExportMeta...), "name")}, rows, "an empty export is its header row")
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("connection reset")
	}
	return len(p), nil
}

func TestXLSXWriterReportsAFailedWrite(t *testing.T) {
	w, err := transfer.NewXLSXWriter(&failingWriter{n: 1 << 20}, []string{"name"})
	require.NoError(t, err)
	var failed error
	for i := 0; i < 200000 && failed == nil; i++ {
		failed = w.Write(record(i, map[string]any{"name": strings.Repeat("x", 100) + fmt.Sprint(i)}))
	}
	err = w.Close()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection reset")
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w, err := transfer.NewCSVWriter(&buf, []string{"name", "amount", "count", "married", "list"})
	require.NoError(t, err)
	require.NoError(t, w.Write(record(1, map[string]any{"name": "=cmd|' /C calc'!A0", "amount": json.Number("12000.50"),
		"count": int64(-3), "married": true, "list": []any{"a", "b,c"}})))
	require.NoError(t, w.Write(record(2, map[string]any{"name": "张伟, \"老张\"\n二行", "amount": -1.5})))
	require.NoError(t, w.Close())
	out := buf.String()
	require.True(t, strings.HasPrefix(out, "\uFEFF"), "a byte order mark, so spreadsheets read UTF-8")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, append(append([]string(nil), transfer.ExportMeta...), "name", "amount", "count", "married", "list"), rows[0])
	assert.Equal(t, []string{"r-1", "2024-03-07T00:09:10Z", "2024-03-07T01:09:10Z", "1", "2",
		"'=cmd|' /C calc'!A0", "12000.50", "-3", "true", `["a","b,c"]`}, rows[1], "a formula gets an apostrophe; numbers stay numbers")
	assert.Equal(t, []string{"张伟, \"老张\"\n二行", "-1.5", "", "", ""}, rows[2][5:])
}
