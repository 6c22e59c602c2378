package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/server"
	"github.com/credolabs/credo/tenants"
)

// newImportEnv is a real server over a real store with the import service wired in.
func newImportEnv(t *testing.T, opts transfer.Options) *testEnv {
	t.Helper()
	ctx := context.Background()
	b := newTestBackend(t)
	ts, err := tenants.New(ctx, b, tenants.Options{Argon2: tenants.Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	require.NoError(t, err)
	log := audit.New(nil)
	forms := form.NewService(b, ts, log, form.Options{})
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	opts.Dir, opts.Logger = t.TempDir(), logger
	imports := transfer.New(b, forms, log, opts)
	t.Cleanup(imports.Close)
	srv := server.New(server.Config{}, server.Deps{Backend: b, Tenants: ts, Forms: forms, Builder: builder.New(b, forms, log),
		Audit: log, Imports: imports, Logger: logger})
	_, err = ts.EnsurePlatformAdmin(ctx, adminEmail, adminPassword)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	return &testEnv{t: t, base: "http://" + ln.Addr().String(), backend: b, tenants: ts, srv: srv}
}

// upload posts a multipart import: the file and, when not empty, the mapping.
func (c *client) upload(path, name string, file []byte, mapping string) *response {
	c.env.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if file != nil {
		w, err := mw.CreateFormFile("file", name)
		require.NoError(c.env.t, err)
		_, err = w.Write(file)
		require.NoError(c.env.t, err)
	}
	if mapping != "" {
		require.NoError(c.env.t, mw.WriteField("mapping", mapping))
	}
	require.NoError(c.env.t, mw.Close())
	req, err := http.NewRequest("POST", c.env.base+path, &body)
	require.NoError(c.env.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(server.CSRFHeader, c.csrf)
	res, err := c.http.Do(req)
	require.NoError(c.env.t, err)
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	require.NoError(c.env.t, err)
	out := &response{t: c.env.t, status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		_ = dec.Decode(&out.body)
	}
	return out
}

func (l *lender) imports() string { return l.path("/forms/" + loanForm + "/imports") }

// waitImport polls the job until it ends and returns its last answer.
func (c *client) waitImport(l *lender, id string) *response {
	c.env.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		res := c.do("GET", l.imports()+"/"+id, nil).must(200)
		if s := res.str("status"); s != "queued" && s != "running" {
			return res
		}
		require.True(c.env.t, time.Now().Before(deadline), "import did not end: %s", res.raw)
		time.Sleep(20 * time.Millisecond)
	}
}

// loanCSV writes loan applications as CSV under the form's field keys; a sub-table
// travels as JSON text in its cell.
func loanCSV(t *testing.T, rows ...map[string]any) []byte {
	t.Helper()
	header := []string{}
	for k := range application(0, nil) {
		header = append(header, k)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write(header))
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, h := range header {
			switch v := r[h].(type) {
			case nil:
			case string:
				rec[i] = v
			default:
				b, err := json.Marshal(v)
				require.NoError(t, err)
				rec[i] = string(b)
			}
		}
		require.NoError(t, w.Write(rec))
	}
	w.Flush()
	return buf.Bytes()
}

func counts(res *response) map[string]any {
	c, _ := res.body["counts"].(map[string]any)
	return c
}

func TestHTTPImportLifecycle(t *testing.T) {
	e := newImportEnv(t, transfer.Options{})
	l := e.newLender("acme")
	rows := []map[string]any{}
	for i := range 6 {
		rows = append(rows, application(i, nil))
	}
	rows = append(rows, application(9, map[string]any{"amount": "lots"}), application(10, map[string]any{"term_months": 7}))
	file := loanCSV(t, rows...)

	res := l.reviewer.upload(l.imports(), "applications.csv", file, "").must(202)
	id := res.str("id")
	require.NotEmpty(t, id)
	assert.Equal(t, l.imports()+"/"+id, res.header.Get("Location"))
	assert.Equal(t, "applications.csv", res.str("file_name"))
	assert.Equal(t, "csv", res.str("format"))

	done := l.reviewer.waitImport(l, id)
	require.Equal(t, "done", done.str("status"), "%s", done.raw)
	assert.Equal(t, map[string]any{"accepted": json.Number("6"), "rejected": json.Number("2"), "duplicates": json.Number("0")}, counts(done))
	list := l.reviewer.do("GET", l.records()+"?limit=50", nil).must(200)
	assert.Len(t, list.body["records"], 6, "rejected rows are not written")

	rep := l.reviewer.do("GET", l.imports()+"/"+id+"/rejects?format=json", nil).must(200)
	rejects, _ := rep.body["rejects"].([]any)
	require.Len(t, rejects, 2, "%s", rep.raw)
	first := rejects[0].(map[string]any)
	assert.Equal(t, json.Number("8"), first["row"])
	assert.Equal(t, "amount", first["column"])
	assert.Equal(t, "not_a_number", first["code"])
	second := rejects[1].(map[string]any)
	assert.Equal(t, "term_months", second["field"])
	assert.Equal(t, "enum", second["code"])

	csvRep := l.reviewer.do("GET", l.imports()+"/"+id+"/rejects", nil).must(200)
	assert.Equal(t, "text/csv; charset=utf-8", csvRep.header.Get("Content-Type"))
	lines, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvRep.raw, []byte("\uFEFF")))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"row", "column", "field", "code", "reason"}, lines[0])
	assert.Len(t, lines, 3)

	again := l.reviewer.upload(l.imports(), "applications (2).csv", file, "").must(202)
	doneAgain := l.reviewer.waitImport(l, again.str("id"))
	assert.Equal(t, map[string]any{"accepted": json.Number("0"), "rejected": json.Number("2"), "duplicates": json.Number("6")}, counts(doneAgain),
		"the same file again creates nothing")

	t.Run("other tenants see nothing", func(t *testing.T) {
		other := e.newLender("other")
		res := other.admin.do("GET", l.imports()+"/"+id, nil)
		assert.Equal(t, 404, res.status)
		res = other.admin.do("GET", other.imports()+"/"+id, nil)
		assert.Equal(t, 404, res.status, "a job id of another tenant is not found")
	})
}

func TestHTTPImportRefusals(t *testing.T) {
	e := newImportEnv(t, transfer.Options{MaxFileBytes: 32 << 10})
	l := e.newLender("acme")
	good := loanCSV(t, application(1, nil))
	cases := []struct {
		name    string
		c       *client
		file    []byte
		mapping string
		status  int
		code    string
		paths   []string
	}{
		{"pdf", l.reviewer, []byte("%PDF-1.7 ..."), "", 415, "unsupported_file", nil},
		{"legacy xls", l.reviewer, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...), "", 415, "legacy_workbook", nil},
		{"no file", l.reviewer, nil, `{}`, 400, "missing_file", nil},
		{"empty file", l.reviewer, []byte{}, "", 422, "empty_file", nil},
		{"too large", l.reviewer, bytes.Repeat([]byte("a,b\n"), 10<<10), "", 413, "file_too_large", nil},
		{"malformed mapping", l.reviewer, good, `{"colums":{}}`, 422, "invalid_mapping", []string{""}},
		{"missing required column", l.reviewer, good, `{"columns":{"amount":"amount"}}`, 422, "invalid_mapping", []string{"/columns"}},
		{"unknown column", l.reviewer, good, `{"fields":{"amount":"Loan amount"}}`, 422, "invalid_mapping", []string{"/fields/amount"}},
		{"no create right", l.collector, good, "", 403, "forbidden", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.c.upload(l.imports(), "f.csv", tc.file, tc.mapping)
			require.Equal(t, tc.status, res.status, "%s", res.raw)
			assert.Equal(t, tc.code, res.errCode())
			for _, p := range tc.paths {
				assert.Contains(t, res.errPaths(), p)
			}
		})
	}
	assert.Equal(t, 404, l.reviewer.do("GET", l.imports()+"/nope", nil).status)
	assert.Equal(t, 404, l.reviewer.do("GET", l.imports()+"/nope/rejects", nil).status)
	assert.Equal(t, 400, l.reviewer.do("GET", l.imports()+"/nope/rejects?format=xml", nil).status)
	list := l.reviewer.do("GET", l.records(), nil).must(200)
	assert.Empty(t, list.body["records"], "no refused upload stored anything")
}

func TestHTTPExportXLSX(t *testing.T) {
	e := newImportEnv(t, transfer.Options{})
	l := e.newLender("acme")
	for i := range 3 {
		l.reviewer.do("POST", l.records(), application(i, map[string]any{"applicant_name": fmt.Sprintf("=cmd|%d", i)})).must(201)
	}
	// An exporter reads the mobile phone masked and the income not at all.
	obj := "form:" + loanForm
	l.admin.do("POST", l.path("/roles"), map[string]any{"key": "exporter", "name": "exporter"}).must(201)
	l.admin.do("PUT", l.path("/roles/exporter/permissions"), map[string]any{"permissions": []map[string]any{
		{"object": obj, "action": "read"}, {"object": obj, "action": "export"}, {"object": obj + "/*", "action": "read"},
		{"object": obj + "/field:mobile_phone", "action": "read", "effect": "deny"},
		{"object": obj + "/field:mobile_phone", "action": "read_masked"},
		{"object": obj + "/field:monthly_income", "action": "read", "effect": "deny"},
	}}).must(200)
	l.admin.do("POST", l.path("/users"), map[string]any{"email": "exporter@acme.test", "name": "exporter", "password": testPassword, "roles": []string{"exporter"}}).must(201)
	exporter := e.login("acme", "exporter@acme.test", testPassword)

	res := exporter.do("GET", l.path("/forms/"+loanForm+"/export?format=xlsx"), nil).must(200)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", res.header.Get("Content-Type"))
	assert.Contains(t, res.header.Get("Content-Disposition"), ".xlsx")
	rows := xlsxRows(t, res.raw)
	require.Len(t, rows, 4, "a header and three records")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	assert.NotContains(t, col, "monthly_income", "a hidden field is no column")
	require.Contains(t, col, "mobile_phone")
	for _, r := range rows[1:] {
		phone := r[col["mobile_phone"]]
		assert.Contains(t, phone, "*", "masked: %s", phone)
		assert.NotContains(t, phone, "13800000", "masked: %s", phone)
	}
	assert.Equal(t, "=cmd|0", rows[1][col["applicant_name"]], "text stays text, never a formula")

	t.Run("an empty export is a header row", func(t *testing.T) {
		filter := `{"field":"amount","op":"gt","value":99999999}`
		res := exporter.do("GET", l.path("/forms/"+loanForm+"/export?format=xlsx&filter="+filter), nil).must(200)
		assert.Len(t, xlsxRows(t, res.raw), 1)
		res = exporter.do("GET", l.path("/forms/"+loanForm+"/export?filter="+filter), nil).must(200)
		assert.Equal(t, 1, bytes.Count(res.raw, []byte("\n")), "CSV: the header only")
	})
	t.Run("no export right", func(t *testing.T) {
		assert.Equal(t, 403, l.collector.do("GET", l.path("/forms/"+loanForm+"/export?format=xlsx"), nil).status)
	})
	t.Run("the export is audited", func(t *testing.T) {
		res := l.admin.do("GET", l.path("/audit?action=export"), nil).must(200)
		assert.NotEmpty(t, res.body["entries"])
	})
}

// xlsxRows opens a workbook with excelize and reads its first sheet.
func xlsxRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	rows, err := f.GetRows(f.GetSheetList()[0])
	require.NoError(t, err)
	return rows
}
