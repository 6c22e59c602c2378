package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/server"
	"github.com/credolabs/credo/tenants"
)

// kycDefinition is a form with three attachment fields: one file, a list of files and
// a column of a subtable.
const kycDefinition = `{
  "key": "kyc",
  "title": {"en": "KYC check", "zh-CN": "客户身份核查"},
  "schema": {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name"],
    "additionalProperties": false,
    "properties": {
      "name": {"type": "string", "minLength": 2, "maxLength": 50},
      "id_scan": {"type": "string", "maxLength": 64},
      "documents": {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 64}},
      "contacts": {"type": "array", "maxItems": 5, "items": {"type": "object", "additionalProperties": false,
        "properties": {"name": {"type": "string"}, "photo": {"type": "string", "maxLength": 64}}}}
    }
  },
  "fields": {
    "name": {"label": {"en": "Name", "zh-CN": "姓名"}, "widget": "text"},
    "id_scan": {"label": {"en": "ID card scan", "zh-CN": "身份证扫描件"}, "widget": "attachment", "sensitive": true},
    "documents": {"label": {"en": "Documents", "zh-CN": "证明材料"}, "widget": "attachment"},
    "contacts": {"label": {"en": "Contacts", "zh-CN": "联系人"}, "widget": "subtable", "fields": {
      "name": {"label": {"en": "Name", "zh-CN": "姓名"}, "widget": "text"},
      "photo": {"label": {"en": "Photo", "zh-CN": "照片"}, "widget": "attachment"}
    }}
  }
}`

// newFilesEnv is a real server with the file service wired as cmd/credo wires it: the
// record service checks attachment values through files.Attacher.
func newFilesEnv(t *testing.T, opts files.Options) *testEnv {
	t.Helper()
	ctx := context.Background()
	b := newTestBackend(t)
	ts, err := tenants.New(ctx, b, tenants.Options{Argon2: tenants.Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	require.NoError(t, err)
	log := audit.New(nil)
	forms := form.NewService(b, ts, log, form.Options{Attachments: files.Attacher{}})
	deps := server.Deps{Backend: b, Tenants: ts, Forms: forms, Builder: builder.New(b, forms, log), Audit: log,
		Files: files.NewService(b, forms, log, opts), Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	srv := server.New(server.Config{}, deps)
	_, err = ts.EnsurePlatformAdmin(ctx, adminEmail, adminPassword)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	return &testEnv{t: t, base: "http://" + ln.Addr().String(), backend: b, tenants: ts, srv: srv}
}

// kycTenant is a tenant with the kyc form and three users: admin (everything), clerk
// (writes every field, reads the ID scan masked) and intern (may not see the ID scan).
type kycTenant struct {
	slug                 string
	admin, clerk, intern *client
}

func (e *testEnv) newKYCTenant(slug string) *kycTenant {
	t := e.t
	t.Helper()
	root := e.login("", adminEmail, adminPassword)
	root.do("POST", "/api/v1/tenants", map[string]any{"slug": slug, "name": "Lender " + slug,
		"admin": map[string]any{"email": "admin@" + slug + ".test", "name": "Admin", "password": testPassword}}).must(201)
	k := &kycTenant{slug: slug, admin: e.login(slug, "admin@"+slug+".test", testPassword)}
	k.admin.do("PUT", k.path("/definitions/form/kyc"), kycDefinition).must(200)
	k.admin.do("POST", k.path("/definitions/form/kyc/publish"), map[string]any{"note": "first"}).must(201)
	obj, scan := "form:kyc", "form:kyc/field:id_scan"
	writer := []map[string]any{{"object": obj, "action": "create"}, {"object": obj, "action": "read"}, {"object": obj, "action": "update"},
		{"object": obj + "/*", "action": "read"}, {"object": obj + "/*", "action": "update"}}
	for role, extra := range map[string][]map[string]any{
		"clerk":  {{"object": scan, "action": "read", "effect": "deny"}, {"object": scan, "action": "read_masked"}},
		"intern": {{"object": scan, "action": "read", "effect": "deny"}, {"object": scan, "action": "update", "effect": "deny"}},
	} {
		k.admin.do("POST", k.path("/roles"), map[string]any{"key": role, "name": role}).must(201)
		k.admin.do("PUT", k.path("/roles/"+role+"/permissions"), map[string]any{"permissions": append(append([]map[string]any{}, writer...), extra...)}).must(200)
		k.admin.do("POST", k.path("/users"), map[string]any{"email": role + "@" + slug + ".test", "name": role, "password": testPassword, "roles": []string{role}}).must(201)
	}
	k.clerk = e.login(slug, "clerk@"+slug+".test", testPassword)
	k.intern = e.login(slug, "intern@"+slug+".test", testPassword)
	return k
}

func (k *kycTenant) path(p string) string { return "/api/v1/t/" + k.slug + p }

// uploadFile sends content as the multipart part "file" named name, declaring declared as
// its type, to field of the kyc form.
func (c *client) uploadFile(tenant, field, name, declared string, content []byte) *response {
	c.env.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, name))
	h.Set("Content-Type", declared)
	part, err := w.CreatePart(h)
	require.NoError(c.env.t, err)
	_, err = part.Write(content)
	require.NoError(c.env.t, err)
	require.NoError(c.env.t, w.Close())
	return c.sendRaw("POST", "/api/v1/t/"+tenant+"/forms/kyc/files?field="+field, w.FormDataContentType(), body.Bytes())
}

// sendRaw sends body with its own content type.
func (c *client) sendRaw(method, path, contentType string, body []byte) *response {
	c.env.t.Helper()
	req, err := http.NewRequest(method, c.env.base+path, bytes.NewReader(body))
	require.NoError(c.env.t, err)
	req.Header.Set("Content-Type", contentType)
	if c.csrf != "" {
		req.Header.Set(server.CSRFHeader, c.csrf)
	}
	res, err := c.http.Do(req)
	require.NoError(c.env.t, err)
	defer func() { _ = res.Body.Close() }()
	out := &response{t: c.env.t, status: res.StatusCode, header: res.Header}
	out.raw, err = io.ReadAll(res.Body)
	require.NoError(c.env.t, err)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		dec := json.NewDecoder(bytes.NewReader(out.raw))
		dec.UseNumber()
		require.NoError(c.env.t, dec.Decode(&out.body))
	}
	return out
}

// pdfBytes is a small PDF document of about size bytes.
func pdfBytes(size int) []byte {
	head := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
	tail := []byte("\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	out := append([]byte{}, head...)
	for i := 0; len(out) < size-len(tail); i++ {
		out = append(out, byte(i*7+i/251))
	}
	return append(out, tail...)
}

func TestHTTPFilesRoundTrip(t *testing.T) {
	e := newFilesEnv(t, files.Options{})
	k := e.newKYCTenant("files-a")
	content := pdfBytes(3*files.ChunkSize + 77)
	up := k.clerk.uploadFile(k.slug, "documents", "工资单 2026-04.pdf", "application/pdf", content).must(201)
	id := up.str("id")
	assert.Equal(t, "工资单 2026-04.pdf", up.str("name"))
	assert.Equal(t, "application/pdf", up.str("content_type"))
	assert.Equal(t, fmt.Sprint(len(content)), fmt.Sprint(up.body["size"]))

	rec := k.clerk.do("POST", k.path("/forms/kyc/records"), map[string]any{"name": "王芳", "documents": []any{id}}).must(201)
	recID := rec.str("id")

	dl := k.clerk.do("GET", k.path("/forms/kyc/records/"+recID+"/files/"+id), nil).must(200)
	assert.True(t, bytes.Equal(content, dl.raw), "download differs from upload (%d vs %d bytes)", len(dl.raw), len(content))
	assert.Equal(t, "application/pdf", dl.header.Get("Content-Type"))
	assert.Equal(t, "nosniff", dl.header.Get("X-Content-Type-Options"))
	assert.Equal(t, `attachment; filename="___ 2026-04.pdf"; filename*=UTF-8''%E5%B7%A5%E8%B5%84%E5%8D%95%202026-04.pdf`,
		dl.header.Get("Content-Disposition"))
	assert.Equal(t, fmt.Sprint(len(content)), dl.header.Get("Content-Length"))

	list := k.clerk.do("GET", k.path("/forms/kyc/records/"+recID+"/files"), nil).must(200)
	held, _ := list.body["files"].([]any)
	require.Len(t, held, 1)
	first, _ := held[0].(map[string]any)
	assert.Equal(t, id, first["id"])
	assert.Equal(t, "/documents/0", first["path"])
	assert.Equal(t, recID, first["record"])

	// The upload and the download are on the tenant's audit log.
	entries := k.admin.do("GET", k.path("/audit?limit=50"), nil).must(200)
	raw := string(entries.raw)
	assert.Contains(t, raw, `"object":"form:kyc/file:`+id+`"`)
	assert.Contains(t, raw, `"object":"form:kyc/record:`+recID+`/file:`+id+`"`)
}

func TestHTTPFilesRefusals(t *testing.T) {
	e := newFilesEnv(t, files.Options{MaxSize: 1 << 20})
	k := e.newKYCTenant("files-b")
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 0xff, 3, 9}, 200)...)

	t.Run("too large", func(t *testing.T) {
		res := k.clerk.uploadFile(k.slug, "documents", "big.pdf", "application/pdf", pdfBytes(1<<20+1)).must(413)
		assert.Equal(t, "file_too_large", res.errCode())
		assert.Equal(t, []string{"file"}, res.errPaths())
	})
	t.Run("an executable renamed .pdf", func(t *testing.T) {
		res := k.clerk.uploadFile(k.slug, "documents", "payslip.pdf", "application/pdf", elf).must(415)
		assert.Equal(t, "file_type_not_allowed", res.errCode())
		assert.Contains(t, string(res.errFields()), "application/octet-stream")
	})
	t.Run("empty", func(t *testing.T) {
		assert.Equal(t, "empty_file", k.clerk.uploadFile(k.slug, "documents", "x.pdf", "application/pdf", nil).must(422).errCode())
	})
	t.Run("not an attachment field", func(t *testing.T) {
		res := k.clerk.uploadFile(k.slug, "name", "x.pdf", "application/pdf", pdfBytes(200)).must(422)
		assert.Equal(t, "invalid_field", res.errCode())
		assert.Equal(t, []string{"field"}, res.errPaths())
	})
	t.Run("a field the user may not see", func(t *testing.T) {
		assert.Equal(t, "invalid_field", k.intern.uploadFile(k.slug, "id_scan", "x.pdf", "application/pdf", pdfBytes(200)).must(422).errCode())
	})
	t.Run("no field named", func(t *testing.T) {
		res := k.clerk.sendRaw("POST", k.path("/forms/kyc/files"), "multipart/form-data; boundary=x", []byte("--x--\r\n")).must(400)
		assert.Equal(t, "missing_field", res.errCode())
	})
	t.Run("bad multipart", func(t *testing.T) {
		res := k.clerk.sendRaw("POST", k.path("/forms/kyc/files?field=documents"), "multipart/form-data; boundary=x", []byte("garbage without a boundary")).must(400)
		assert.Equal(t, "invalid_multipart", res.errCode())
		res = k.clerk.sendRaw("POST", k.path("/forms/kyc/files?field=documents"), "application/json", []byte(`{"file":"JVBERi0="}`)).must(400)
		assert.Equal(t, "invalid_multipart", res.errCode())
	})
	t.Run("no file part", func(t *testing.T) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		require.NoError(t, w.WriteField("note", "no file here"))
		require.NoError(t, w.Close())
		res := k.clerk.sendRaw("POST", k.path("/forms/kyc/files?field=documents"), w.FormDataContentType(), body.Bytes()).must(400)
		assert.Equal(t, "missing_file", res.errCode())
	})
	t.Run("without the CSRF token", func(t *testing.T) {
		c := *k.clerk
		c.csrf = ""
		assert.Equal(t, "csrf_failed", c.uploadFile(k.slug, "documents", "x.pdf", "application/pdf", pdfBytes(200)).must(403).errCode())
	})
	// Nothing refused was kept.
	sc, err := e.backend.Scope(k.slug)
	require.NoError(t, err)
	n, err := sc.Collection(files.Collection).Count(context.Background(), nil)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestHTTPFilesRecordChecks(t *testing.T) {
	e := newFilesEnv(t, files.Options{})
	a := e.newKYCTenant("files-c")
	b := e.newKYCTenant("files-d")
	records := a.path("/forms/kyc/records")

	theirs := b.admin.uploadFile(b.slug, "documents", "theirs.pdf", "application/pdf", pdfBytes(300)).must(201).str("id")
	doc := a.clerk.uploadFile(a.slug, "documents", "doc.pdf", "application/pdf", pdfBytes(300)).must(201).str("id")

	t.Run("another tenant's file", func(t *testing.T) {
		res := a.clerk.do("POST", records, map[string]any{"name": "王芳", "documents": []any{theirs}}).must(422)
		assert.Equal(t, "validation_failed", res.errCode())
		assert.Equal(t, []string{"/documents/0"}, res.errPaths())
		assert.Contains(t, string(res.errFields()), files.CodeNotFound)
	})
	t.Run("a file from another field", func(t *testing.T) {
		res := a.clerk.do("POST", records, map[string]any{"name": "王芳", "id_scan": doc}).must(422)
		assert.Equal(t, []string{"/id_scan"}, res.errPaths())
		assert.Contains(t, string(res.errFields()), files.CodeWrongField)
		res = a.clerk.do("POST", records, map[string]any{"name": "王芳", "contacts": []any{map[string]any{"name": "李雷", "photo": doc}}}).must(422)
		assert.Equal(t, []string{"/contacts/0/photo"}, res.errPaths())
	})
	rec := a.clerk.do("POST", records, map[string]any{"name": "王芳", "documents": []any{doc}}).must(201)
	t.Run("a file another record holds", func(t *testing.T) {
		other := a.clerk.do("POST", records, map[string]any{"name": "张伟"}).must(201)
		res := a.clerk.do("PATCH", records+"/"+other.str("id"), map[string]any{"version": 1, "data": map[string]any{"documents": []any{doc}}}).must(422)
		assert.Contains(t, string(res.errFields()), files.CodeInUse)
	})
	t.Run("another tenant cannot read the file", func(t *testing.T) {
		b.admin.do("GET", a.path("/forms/kyc/records/"+rec.str("id")+"/files/"+doc), nil).must(404)
		b.admin.do("GET", b.path("/forms/kyc/records/"+rec.str("id")+"/files/"+doc), nil).must(404)
	})
}

func TestHTTPFilesFieldRights(t *testing.T) {
	e := newFilesEnv(t, files.Options{})
	k := e.newKYCTenant("files-e")
	scan := k.admin.uploadFile(k.slug, "id_scan", "id.png", "image/png", append([]byte("\x89PNG\x0D\x0A\x1A\x0A"), make([]byte, 100)...)).must(201).str("id")
	doc := k.admin.uploadFile(k.slug, "documents", "doc.pdf", "application/pdf", pdfBytes(400)).must(201).str("id")
	rec := k.admin.do("POST", k.path("/forms/kyc/records"), map[string]any{"name": "王芳", "id_scan": scan, "documents": []any{doc}}).must(201).str("id")
	at := func(file string) string { return k.path("/forms/kyc/records/" + rec + "/files/" + file) }

	k.admin.do("GET", at(scan), nil).must(200)
	// The clerk reads the scan masked: refused. The intern may not see it: not found, like a file that is not there.
	assert.Equal(t, "masked_field", k.clerk.do("GET", at(scan), nil).must(403).errCode())
	assert.Equal(t, "not_found", k.intern.do("GET", at(scan), nil).must(404).errCode())
	k.intern.do("GET", at("0190a1b2-0000-7000-8000-000000000000"), nil).must(404)
	k.intern.do("GET", at(doc), nil).must(200)

	// Listing leaves out what the reader may not read in full.
	list := k.clerk.do("GET", k.path("/forms/kyc/records/"+rec+"/files"), nil).must(200)
	held, _ := list.body["files"].([]any)
	require.Len(t, held, 1)
	assert.Equal(t, doc, held[0].(map[string]any)["id"])
}
