package transfer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
	"github.com/credolabs/credo/tenants"
)

const (
	testTenant   = "acme"
	borrowerForm = "borrower"
)

// fixture is a real SQLite store with the real tenants service (roles, field rights),
// the borrower form published through builder, and the import service over them.
type fixture struct {
	b      store.Backend
	forms  *form.Service
	svc    *transfer.Service
	admin  form.Actor // every right
	clerk  form.Actor // create and export, but may not write notes nor see id_number in full
	reader form.Actor // read only
	ts     *tenants.Service
}

func newFixture(t testing.TB, opts transfer.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	b, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "credo.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	ts, err := tenants.New(ctx, b, tenants.Options{Argon2: tenants.Argon2Params{Memory: 64, Time: 1, Threads: 1}})
	require.NoError(t, err)
	_, err = ts.CreateTenant(ctx, tenants.TenantInput{Slug: testTenant, Name: "Acme",
		Admin: &tenants.UserInput{Email: "admin@acme.test", Name: "Admin", Password: "correct-horse-1"}})
	require.NoError(t, err)
	log := audit.New(nil)
	forms := form.NewService(b, ts, log, form.Options{})
	fx := &fixture{b: b, forms: forms, ts: ts}
	fx.admin = fx.actor(t, ts, "admin@acme.test", "admin")

	body, err := os.ReadFile(filepath.Join("testdata", "borrower.json"))
	require.NoError(t, err)
	bld := builder.New(b, forms, log)
	_, err = bld.SaveDraft(ctx, fx.admin, form.KindForm, borrowerForm, body)
	require.NoError(t, err)
	_, err = bld.Publish(ctx, fx.admin, form.KindForm, borrowerForm, "first")
	require.NoError(t, err)

	obj := tenants.FormObject(borrowerForm)
	roles := map[string][]tenants.Permission{
		"clerk": {{Object: obj, Action: "create"}, {Object: obj, Action: "read"}, {Object: obj, Action: "export"},
			{Object: obj + "/*", Action: "read"}, {Object: obj + "/*", Action: "update"},
			{Object: tenants.FieldObject(borrowerForm, "notes"), Action: "update", Effect: "deny"},
			{Object: tenants.FieldObject(borrowerForm, "id_number"), Action: "read", Effect: "deny"},
			{Object: tenants.FieldObject(borrowerForm, "id_number"), Action: "read_masked"}},
		"reader": {{Object: obj, Action: "read"}, {Object: obj + "/*", Action: "read"}},
	}
	for role, perms := range roles {
		_, err := ts.CreateRole(ctx, testTenant, tenants.RoleInput{Key: role, Name: role})
		require.NoError(t, err)
		require.NoError(t, ts.SetPermissions(ctx, testTenant, role, perms))
		_, err = ts.CreateUser(ctx, testTenant, tenants.UserInput{Email: role + "@acme.test", Name: role,
			Password: "correct-horse-1", Roles: []string{role}})
		require.NoError(t, err)
	}
	fx.clerk = fx.actor(t, ts, "clerk@acme.test", "clerk")
	fx.reader = fx.actor(t, ts, "reader@acme.test", "reader")
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	fx.svc = transfer.New(b, forms, log, opts)
	t.Cleanup(fx.svc.Close)
	return fx
}

func (fx *fixture) actor(t testing.TB, ts *tenants.Service, email, role string) form.Actor {
	t.Helper()
	u, err := ts.UserByEmail(context.Background(), testTenant, email)
	require.NoError(t, err)
	return form.Actor{Tenant: testTenant, UserID: u.ID, Roles: []string{role}}
}

// importFile starts an import and waits for it to end.
func (fx *fixture) importFile(t testing.TB, a form.Actor, name string, body []byte, spec transfer.Spec) *transfer.Job {
	t.Helper()
	job, err := fx.svc.Start(context.Background(), a, borrowerForm, transfer.Upload{Name: name, Body: bytes.NewReader(body), Spec: spec})
	require.NoError(t, err)
	return fx.wait(t, a, job.ID)
}

// wait polls the job until it ends, as a client would.
func (fx *fixture) wait(t testing.TB, a form.Actor, id string) *transfer.Job {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		j, err := fx.svc.Job(context.Background(), a, borrowerForm, id)
		require.NoError(t, err)
		if j.Status != transfer.StatusQueued && j.Status != transfer.StatusRunning {
			return j
		}
		require.True(t, time.Now().Before(deadline), "import %s did not end: %+v", id, j)
		time.Sleep(20 * time.Millisecond)
	}
}

func (fx *fixture) rejects(t testing.TB, a form.Actor, id string) []transfer.Reject {
	t.Helper()
	var out []transfer.Reject
	require.NoError(t, fx.svc.Rejects(context.Background(), a, borrowerForm, id, func(r transfer.Reject) error {
		out = append(out, r)
		return nil
	}))
	return out
}

// count is how many borrower records the store holds.
func (fx *fixture) count(t testing.TB) int64 {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	n, err := sc.Collection(form.RecordsCollection(borrowerForm)).Count(context.Background(), nil)
	require.NoError(t, err)
	return n
}

// record reads one stored borrower's data as the store holds it.
func (fx *fixture) record(t testing.TB, id string) map[string]any {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	d, err := sc.Collection(form.RecordsCollection(borrowerForm)).Get(context.Background(), id)
	require.NoError(t, err)
	data, _ := d.Data["data"].(map[string]any)
	return data
}

// idNumber builds a mainland resident ID number with a correct check digit.
func idNumber(seq int) string {
	body := fmt.Sprintf("110101199003%02d%03d", 1+seq%28, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

var borrowerHeader = []string{"姓名", "ID number", "Mobile", "Birth date", "Monthly income", "Dependants", "Married", "Gender", "Channel", "Contract"}

// borrowerRow is a valid row under borrowerHeader.
func borrowerRow(i int) []string {
	return []string{"张伟" + fmt.Sprint(i%10), idNumber(i), fmt.Sprintf("138%08d", i), "1990-03-07", "12000.50",
		"2", "yes", "男", "online", fmt.Sprintf("C-%06d", i)}
}

// csvOf writes rows as CSV.
func csvOf(t testing.TB, rows ...[]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.WriteAll(rows))
	return buf.Bytes()
}

// xlsxOf writes rows with excelize's stream writer; a cell may be any value SetRow takes.
func xlsxOf(t testing.TB, sheet string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if sheet != "Sheet1" {
		_, err := f.NewSheet(sheet)
		require.NoError(t, err)
		require.NoError(t, f.DeleteSheet("Sheet1"))
	}
	sw, err := f.NewStreamWriter(sheet)
	require.NoError(t, err)
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, sw.SetRow(cell, r))
	}
	require.NoError(t, sw.Flush())
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func anyRow(cells []string) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = c
	}
	return out
}
