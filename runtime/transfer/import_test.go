package transfer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
)

func TestImportGoodCSV(t *testing.T) {
	fx := newFixture(t, transfer.Options{BatchSize: 7})
	rows := [][]string{borrowerHeader}
	for i := range 20 {
		rows = append(rows, borrowerRow(i))
	}
	file := csvOf(t, rows...)
	job := fx.importFile(t, fx.admin, "borrowers.csv", file, transfer.Spec{})
	require.Equal(t, transfer.StatusDone, job.Status, "%+v", job.Error)
	assert.Equal(t, transfer.Counts{Accepted: 20}, job.Counts)
	assert.Equal(t, int64(20), job.Progress.Rows)
	assert.InDelta(t, 100, job.Progress.Percent, 0.01)
	assert.Positive(t, job.Progress.RowsPerSecond)
	assert.Equal(t, transfer.FormatCSV, job.Format)
	assert.Equal(t, "monthly_income", job.Columns["Monthly income"], "headers map to fields by label")
	assert.Equal(t, "name", job.Columns["姓名"], "Chinese labels too")
	assert.Equal(t, int64(20), fx.count(t))
	assert.Empty(t, fx.rejects(t, fx.admin, job.ID))

	t.Run("values are typed by the form", func(t *testing.T) {
		rec := fx.record(t, fmt.Sprintf("imp-%s-%d", rowPrefix(t, fx, job), 2))
		assert.Equal(t, json.Number("12000.5"), rec["monthly_income"])
		assert.Equal(t, json.Number("2"), rec["dependants"])
		assert.Equal(t, true, rec["married"])
		assert.Equal(t, "male", rec["gender"], "an option's label reads as its value")
		assert.Equal(t, "1990-03-07", rec["birth_date"])
		assert.Equal(t, idNumber(0), rec["id_number"])
		assert.Equal(t, json.Number("144006"), rec["annual_income"], "computed as on any create")
	})

	t.Run("the same file again writes nothing", func(t *testing.T) {
		again := fx.importFile(t, fx.admin, "borrowers (copy).csv", file, transfer.Spec{})
		require.Equal(t, transfer.StatusDone, again.Status)
		assert.Equal(t, transfer.Counts{Duplicates: 20}, again.Counts)
		assert.Equal(t, int64(20), fx.count(t))
	})
}

// rowPrefix finds the id prefix of a job's rows from one stored record.
func rowPrefix(t *testing.T, fx *fixture, job *transfer.Job) string {
	t.Helper()
	page, err := fx.forms.List(context.Background(), fx.admin, borrowerForm, form.ListQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Records)
	parts := strings.Split(page.Records[0].ID, "-")
	require.Len(t, parts, 3, page.Records[0].ID)
	return parts[1]
}

func TestImportRejectsBadRowsAndWritesNone(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	bad := func(i int, col int, v string) []string {
		r := borrowerRow(i)
		r[col] = v
		return r
	}
	file := csvOf(t, borrowerHeader,
		borrowerRow(1),
		bad(2, 4, "lots"),       // row 3: income not a number
		bad(3, 5, "2.5"),        // row 4: dependants not whole
		bad(4, 6, "maybe"),      // row 5: married not yes/no
		bad(5, 3, "31/02/1990"), // row 6: not a date
		bad(6, 2, "12345"),      // row 7: phone fails the form's pattern
		bad(7, 4, "-5"),         // row 8: below the minimum
		bad(8, 0, ""),           // row 9: required name missing
		bad(9, 8, "television"), // row 10: not an allowed channel
		borrowerRow(10),
	)
	job := fx.importFile(t, fx.admin, "mixed.csv", file, transfer.Spec{})
	require.Equal(t, transfer.StatusDone, job.Status, "%+v", job.Error)
	assert.Equal(t, transfer.Counts{Accepted: 2, Rejected: 8}, job.Counts)
	assert.Equal(t, int64(2), fx.count(t), "rejected rows are not written")

	got := map[int]transfer.Reject{}
	for _, r := range fx.rejects(t, fx.admin, job.ID) {
		got[r.Row] = r
		assert.NotEmpty(t, r.Reason)
		assert.NotContains(t, r.Reason, "lots", "the report never quotes a cell")
	}
	want := []struct {
		row           int
		column, field string
		code          string
	}{
		{3, "Monthly income", "monthly_income", "not_a_number"},
		{4, "Dependants", "dependants", "not_an_integer"},
		{5, "Married", "married", "not_a_boolean"},
		{6, "Birth date", "birth_date", "not_a_date"},
		{7, "Mobile", "mobile_phone", "pattern"},
		{8, "Monthly income", "monthly_income", "minimum"},
		{9, "姓名", "name", "required"},
		{10, "Channel", "channel", "enum"},
	}
	for _, w := range want {
		r, ok := got[w.row]
		if assert.True(t, ok, "row %d reported", w.row) {
			assert.Equal(t, w.column, r.Column, "row %d", w.row)
			assert.Equal(t, w.field, r.Field, "row %d", w.row)
			assert.Equal(t, w.code, r.Code, "row %d: %s", w.row, r.Reason)
		}
	}
}

func TestImportMappingProblems(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	file := csvOf(t, borrowerHeader, borrowerRow(1))
	cases := []struct {
		name  string
		actor form.Actor
		spec  transfer.Spec
		codes map[string]string // path → code
	}{
		{"missing required column", fx.admin, transfer.Spec{Columns: map[string]string{
			"姓名": "name", "ID number": "id_number", "Mobile": "mobile_phone"}},
			map[string]string{"/columns": "required"}},
		{"unknown column and field", fx.admin, transfer.Spec{Fields: map[string]string{
			"name": "姓名", "id_number": "ID number", "mobile_phone": "Mobile", "monthly_income": "Income",
			"favourite_colour": "Channel"}},
			map[string]string{"/fields/monthly_income": "unknown_column", "/fields/favourite_colour": "unknown_field"}},
		{"computed field", fx.admin, transfer.Spec{Columns: map[string]string{
			"姓名": "name", "ID number": "id_number", "Mobile": "mobile_phone", "Monthly income": "monthly_income",
			"Dependants": "annual_income"}},
			map[string]string{"/columns/Dependants": "read_only"}},
		{"field the actor may not write", fx.clerk, transfer.Spec{Columns: map[string]string{
			"姓名": "name", "ID number": "id_number", "Mobile": "mobile_phone", "Monthly income": "monthly_income",
			"Channel": "notes"}},
			map[string]string{"/columns/Channel": "forbidden"}},
		{"key not mapped", fx.admin, transfer.Spec{Key: "contract_no", Columns: map[string]string{
			"姓名": "name", "ID number": "id_number", "Mobile": "mobile_phone", "Monthly income": "monthly_income"}},
			map[string]string{"/key": "unmapped_key"}},
		{"csv has no sheets", fx.admin, transfer.Spec{Sheet: "Data"}, map[string]string{"/sheet": "not_a_workbook"}},
		{"header row beyond the file", fx.admin, transfer.Spec{HeaderRow: 9}, map[string]string{"/header_row": "no_header"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.svc.Start(context.Background(), tc.actor, borrowerForm, transfer.Upload{Name: "f.csv", Body: bytes.NewReader(file), Spec: tc.spec})
			var se *transfer.SpecError
			require.ErrorAs(t, err, &se)
			got := map[string]string{}
			for _, p := range se.Problems {
				got[p.Path] = p.Code
				assert.NotEmpty(t, p.Message)
			}
			for path, code := range tc.codes {
				assert.Equal(t, code, got[path], "problems: %v", se.Problems)
			}
		})
	}
	t.Run("no create right", func(t *testing.T) {
		_, err := fx.svc.Start(context.Background(), fx.reader, borrowerForm, transfer.Upload{Body: bytes.NewReader(file)})
		require.ErrorIs(t, err, form.ErrForbidden)
	})
	t.Run("unknown form", func(t *testing.T) {
		_, err := fx.svc.Start(context.Background(), fx.admin, "nope", transfer.Upload{Body: bytes.NewReader(file)})
		require.ErrorIs(t, err, form.ErrFormNotFound)
	})
	t.Run("strict mapping JSON", func(t *testing.T) {
		_, err := transfer.DecodeSpec([]byte(`{"colums": {"a": "b"}}`))
		var se *transfer.SpecError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "malformed", se.Problems[0].Code)
	})
	assert.Zero(t, fx.count(t), "a refused mapping imports nothing")
}

func TestImportRefusesWhatIsNotASpreadsheet(t *testing.T) {
	fx := newFixture(t, transfer.Options{MaxFileBytes: 64 << 10, MaxPartBytes: 1 << 20})
	bomb := zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/media/image1.png": make([]byte, 4<<20)})
	notWorkbook := zipOf(t, map[string][]byte{"word/document.xml": []byte("<doc/>")})
	cases := []struct {
		name string
		body []byte
		err  error
	}{
		{"pdf", []byte("%PDF-1.7\n..."), transfer.ErrUnsupportedFile},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), transfer.ErrUnsupportedFile},
		{"binary", []byte{1, 2, 0, 4, 5}, transfer.ErrUnsupportedFile},
		{"legacy xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), transfer.ErrLegacyWorkbook},
		{"empty", nil, transfer.ErrEmptyFile},
		{"too large", bytes.Repeat([]byte("a,b\n"), 20<<10), transfer.ErrFileTooLarge},
		{"zip bomb", bomb, transfer.ErrUnreadableFile},
		{"zip that is no workbook", notWorkbook, transfer.ErrUnsupportedFile},
		{"damaged zip", []byte("PK\x03\x04garbage"), transfer.ErrUnreadableFile},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fx.svc.Start(context.Background(), fx.admin, borrowerForm, transfer.Upload{Name: "x.xlsx", Body: bytes.NewReader(tc.body)})
			require.ErrorIs(t, err, tc.err)
		})
	}
	assert.Zero(t, fx.count(t))
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestImportXLSXCells(t *testing.T) {
	// The stream writer cuts cells at a spreadsheet's own limit, so this test lowers ours.
	fx := newFixture(t, transfer.Options{MaxCellChars: 10000})
	header := append(anyRow(borrowerHeader), "Notes")
	row := func(i int, over map[int]any) []any {
		r := append(anyRow(borrowerRow(i)), nil)
		for k, v := range over {
			r[k] = v
		}
		return r
	}
	born := time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC)
	file := xlsxOf(t, "Borrowers", header,
		// row 2: what Excel keeps as numbers: phone, income as a binary fraction, a date cell, counts, a boolean
		row(1, map[int]any{2: 13800000001, 3: born, 4: 1234.5599999999999, 5: 2, 6: true}),
		// row 3: a formula with its cached value is read as that value, never evaluated
		row(2, map[int]any{4: excelize.Cell{Formula: "1000*2", Value: 2000}, 10: "=HYPERLINK(\"http://x\")"}),
		// row 4: a formula without a cached value is an empty cell: the required income is missing
		row(3, map[int]any{4: excelize.Cell{Formula: "B2*100"}}),
		// row 5: an 18-digit ID number stored as a number has lost its last digits
		row(4, map[int]any{1: "1.10101199003071E+17"}),
		// row 6: a cell above the size limit
		row(5, map[int]any{10: strings.Repeat("长", 40000)}),
		// row 7: a date as Excel's serial day number, written as text
		row(6, map[int]any{3: "32939"}),
	)
	job := fx.importFile(t, fx.admin, "borrowers.xlsx", file, transfer.Spec{Sheet: "Borrowers"})
	require.Equal(t, transfer.StatusDone, job.Status, "%+v", job.Error)
	assert.Equal(t, transfer.FormatXLSX, job.Format)
	assert.Equal(t, "Borrowers", job.Sheet)
	assert.Equal(t, transfer.Counts{Accepted: 3, Rejected: 3}, job.Counts)

	prefix := strings.Split(firstID(t, fx), "-")[1]
	r2 := fx.record(t, "imp-"+prefix+"-2")
	assert.Equal(t, "13800000001", r2["mobile_phone"], "a phone stored as a number reads as its digits")
	assert.Equal(t, "1990-03-07", r2["birth_date"])
	assert.Equal(t, json.Number("1234.56"), r2["monthly_income"], "the 15 digits Excel shows")
	assert.Equal(t, json.Number("2"), r2["dependants"])
	assert.Equal(t, true, r2["married"])
	r3 := fx.record(t, "imp-"+prefix+"-3")
	assert.Equal(t, json.Number("2000"), r3["monthly_income"], "the formula's cached value")
	assert.Equal(t, `=HYPERLINK("http://x")`, r3["notes"], "text that looks like a formula stays text")
	assert.Equal(t, "1990-03-07", fx.record(t, "imp-"+prefix+"-7")["birth_date"])

	codes := map[int]string{}
	for _, r := range fx.rejects(t, fx.admin, job.ID) {
		codes[r.Row] = r.Code
	}
	assert.Equal(t, map[int]string{4: "required", 5: "lost_digits", 6: "cell_too_large"}, codes)

	t.Run("unknown sheet", func(t *testing.T) {
		_, err := fx.svc.Start(context.Background(), fx.admin, borrowerForm, transfer.Upload{Body: bytes.NewReader(file), Spec: transfer.Spec{Sheet: "Nope"}})
		var se *transfer.SpecError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "unknown_sheet", se.Problems[0].Code)
		assert.Equal(t, []string{"Borrowers"}, se.Problems[0].Params["sheets"])
	})
}

func firstID(t *testing.T, fx *fixture) string {
	t.Helper()
	page, err := fx.forms.List(context.Background(), fx.admin, borrowerForm, form.ListQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Records)
	return page.Records[0].ID
}

func TestImportMillionEmptyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a workbook of a million rows")
	}
	fx := newFixture(t, transfer.Options{})
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	require.NoError(t, sw.SetRow("A1", anyRow(borrowerHeader)))
	for i := range 10 {
		require.NoError(t, sw.SetRow(fmt.Sprintf("A%d", i+2), anyRow(borrowerRow(i))))
	}
	// Rows that hold nothing but a style, as a sheet formatted to its last row has.
	style, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	require.NoError(t, err)
	for r := 12; r < 1_000_012; r++ {
		require.NoError(t, sw.SetRow("A"+strconv.Itoa(r), nil, excelize.RowOpts{StyleID: style}))
	}
	require.NoError(t, sw.SetRow("A1000012", anyRow(borrowerRow(99))))
	require.NoError(t, sw.Flush())
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	require.NoError(t, f.Close())

	start := time.Now()
	job := fx.importFile(t, fx.admin, "sparse.xlsx", buf.Bytes(), transfer.Spec{})
	took := time.Since(start)
	require.Equal(t, transfer.StatusDone, job.Status, "%+v", job.Error)
	assert.Equal(t, transfer.Counts{Accepted: 11}, job.Counts, "the row after the blanks is read too")
	assert.Equal(t, int64(11), job.Progress.Rows, "empty rows are not counted as read")
	assert.Less(t, took, 60*time.Second)
	t.Logf("%d KiB workbook with 1,000,000 empty rows imported in %s", buf.Len()>>10, took)
}

func TestImportCSVEncodingsAndSeparators(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	variants := []func(string) string{
		func(s string) string { return "\uFEFF" + s },
		func(s string) string {
			gbk, err := simplifiedchinese.GB18030.NewEncoder().String(s)
			require.NoError(t, err)
			return gbk
		},
		func(s string) string { return strings.ReplaceAll(s, ",", ";") },
		func(s string) string { return strings.ReplaceAll(s, ",", "\t") },
	}
	for i, variant := range variants {
		// Each variant carries other people, so none is a duplicate of another.
		body := variant(string(csvOf(t, borrowerHeader, borrowerRow(10+2*i), borrowerRow(11+2*i))))
		job := fx.importFile(t, fx.admin, fmt.Sprintf("v%d.csv", i), []byte(body), transfer.Spec{})
		require.Equal(t, transfer.StatusDone, job.Status, "variant %d: %+v", i, job.Error)
		assert.Equal(t, transfer.Counts{Accepted: 2}, job.Counts, "variant %d: %v", i, fx.rejects(t, fx.admin, job.ID))
		assert.Equal(t, "name", job.Columns["姓名"], "variant %d", i)
	}
}

func TestImportByKeySkipsRowsAlreadyImported(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	spec := transfer.Spec{Key: "contract_no"}
	first := [][]string{borrowerHeader}
	for i := range 5 {
		first = append(first, borrowerRow(i))
	}
	job := fx.importFile(t, fx.admin, "a.csv", csvOf(t, first...), spec)
	require.Equal(t, transfer.Counts{Accepted: 5}, job.Counts)
	// The corrected file: the same rows in another order, and one more.
	second := [][]string{borrowerHeader, borrowerRow(5), borrowerRow(3), borrowerRow(1), borrowerRow(0), borrowerRow(4), borrowerRow(2)}
	job = fx.importFile(t, fx.admin, "b.csv", csvOf(t, second...), spec)
	assert.Equal(t, transfer.Counts{Accepted: 1, Duplicates: 5}, job.Counts)
	assert.Equal(t, int64(6), fx.count(t))
}

func TestImportRefusesHugeCellPerRow(t *testing.T) {
	fx := newFixture(t, transfer.Options{})
	header := append(append([]string(nil), borrowerHeader...), "Notes")
	huge := append(borrowerRow(2), strings.Repeat("x", 1<<20))
	job := fx.importFile(t, fx.admin, "huge.csv", csvOf(t, header, append(borrowerRow(1), "fine"), huge, append(borrowerRow(3), "")), transfer.Spec{})
	require.Equal(t, transfer.StatusDone, job.Status, "%+v", job.Error)
	assert.Equal(t, transfer.Counts{Accepted: 2, Rejected: 1}, job.Counts)
	rejects := fx.rejects(t, fx.admin, job.ID)
	require.Len(t, rejects, 1)
	assert.Equal(t, transfer.Reject{Row: 3, Column: "Notes", Field: "notes", Code: "cell_too_large",
		Reason: "is longer than 32767 characters"}, rejects[0])
}

func TestImportInterruptedThenRerunWritesNoRowTwice(t *testing.T) {
	fx := newFixture(t, transfer.Options{BatchSize: 50})
	rows := [][]string{borrowerHeader}
	for i := range 3000 {
		rows = append(rows, borrowerRow(i))
	}
	file := csvOf(t, rows...)
	job, err := fx.svc.Start(context.Background(), fx.admin, borrowerForm, transfer.Upload{Name: "big.csv", Body: bytes.NewReader(file)})
	require.NoError(t, err)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		j, err := fx.svc.Job(context.Background(), fx.admin, borrowerForm, job.ID)
		require.NoError(t, err)
		if j.Counts.Accepted > 0 || j.Status == transfer.StatusDone {
			break
		}
	}
	fx.svc.Close() // the server stops while the job runs
	stopped, err := fx.svc.Job(context.Background(), fx.admin, borrowerForm, job.ID)
	require.NoError(t, err)
	require.Contains(t, []string{transfer.StatusInterrupted, transfer.StatusDone}, stopped.Status)
	if stopped.Status == transfer.StatusInterrupted {
		assert.Equal(t, "interrupted", stopped.Error.Code)
	}
	written := fx.count(t)
	t.Logf("stopped as %s with %d of 3000 rows written", stopped.Status, written)

	fx.svc = transfer.New(fx.b, fx.forms, audit.New(nil), transfer.Options{Dir: t.TempDir()})
	t.Cleanup(fx.svc.Close)
	again := fx.importFile(t, fx.admin, "big.csv", file, transfer.Spec{})
	require.Equal(t, transfer.StatusDone, again.Status)
	assert.Equal(t, written, again.Counts.Duplicates, "the rows written before the stop are recognised")
	assert.Equal(t, int64(3000), again.Counts.Accepted+again.Counts.Duplicates)
	assert.Equal(t, int64(3000), fx.count(t))
}
