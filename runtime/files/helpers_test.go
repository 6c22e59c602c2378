package files_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/files"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/sqlite"
	"github.com/credolabs/credo/tenants"
)

const (
	testTenant = "acme"
	kycForm    = "kyc"
	mongoEnv   = "CREDO_TEST_MONGODB_URI"
)

var dbCounter atomic.Int64

// newTestBackend opens a SQLite file in a temp dir, or a fresh database on the MongoDB
// server in CREDO_TEST_MONGODB_URI (FerretDB under scripts/with-mongo.sh).
func newTestBackend(t testing.TB) store.Backend {
	t.Helper()
	ctx := context.Background()
	var b store.Backend
	var err error
	if uri := os.Getenv(mongoEnv); uri != "" {
		db := fmt.Sprintf("files_test_%d_%d_%d", time.Now().UnixNano()%1e9, os.Getpid(), dbCounter.Add(1))
		b, err = mongo.Open(ctx, mongo.Config{URI: uri, Database: db})
	} else {
		b, err = sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "credo.db")})
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// clock is a settable clock shared by the file service and the attacher.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a real store, the real tenants service (roles, field rights), the kyc form
// published through builder, the record service with the attacher, and the file service.
type fixture struct {
	b     store.Backend
	forms *form.Service
	svc   *files.Service
	clock *clock
	admin form.Actor // every right
	clerk form.Actor // creates and changes records; reads id_scan masked
	hider form.Actor // reads and writes everything but id_scan, which it may not see
	other form.Actor // reads only
}

func newFixture(t testing.TB, opts files.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	b := newTestBackend(t)
	ts, err := tenants.New(ctx, b, tenants.Options{Argon2: tenants.Argon2Params{Memory: 64, Time: 1, Threads: 1}})
	require.NoError(t, err)
	_, err = ts.CreateTenant(ctx, tenants.TenantInput{Slug: testTenant, Name: "Acme",
		Admin: &tenants.UserInput{Email: "admin@acme.test", Name: "Admin", Password: "correct-horse-1"}})
	require.NoError(t, err)
	clk := &clock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	log := audit.New(clk.now)
	forms := form.NewService(b, ts, log, form.Options{Attachments: files.Attacher{Now: clk.now}})
	fx := &fixture{b: b, forms: forms, clock: clk}
	fx.admin = fx.actor(t, ts, "admin@acme.test", "admin")

	body, err := os.ReadFile(filepath.Join("testdata", "kyc.json"))
	require.NoError(t, err)
	bld := builder.New(b, forms, log)
	_, err = bld.SaveDraft(ctx, fx.admin, form.KindForm, kycForm, body)
	require.NoError(t, err)
	_, err = bld.Publish(ctx, fx.admin, form.KindForm, kycForm, "first")
	require.NoError(t, err)

	obj := tenants.FormObject(kycForm)
	idScan := tenants.FieldObject(kycForm, "id_scan")
	writer := []tenants.Permission{{Object: obj, Action: "create"}, {Object: obj, Action: "read"}, {Object: obj, Action: "update"},
		{Object: obj + "/*", Action: "read"}, {Object: obj + "/*", Action: "update"}}
	roles := map[string][]tenants.Permission{
		"clerk": append(append([]tenants.Permission{}, writer...),
			tenants.Permission{Object: idScan, Action: "read", Effect: "deny"}, tenants.Permission{Object: idScan, Action: "read_masked"}),
		"hider": append(append([]tenants.Permission{}, writer...),
			tenants.Permission{Object: idScan, Action: "read", Effect: "deny"}, tenants.Permission{Object: idScan, Action: "update", Effect: "deny"}),
		"other": {{Object: obj, Action: "read"}, {Object: obj + "/*", Action: "read"}},
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
	fx.hider = fx.actor(t, ts, "hider@acme.test", "hider")
	fx.other = fx.actor(t, ts, "other@acme.test", "other")
	opts.Now = clk.now
	fx.svc = files.NewService(b, forms, log, opts)
	return fx
}

func (fx *fixture) actor(t testing.TB, ts *tenants.Service, email, role string) form.Actor {
	t.Helper()
	u, err := ts.UserByEmail(context.Background(), testTenant, email)
	require.NoError(t, err)
	return form.Actor{Tenant: testTenant, UserID: u.ID, Roles: []string{role}}
}

// pdf is a small PDF document of about size bytes: a real header and trailer around
// filler, so it sniffs as application/pdf.
func pdf(size int) []byte {
	head := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
	tail := []byte("\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	out := append([]byte{}, head...)
	for i := 0; len(out) < size-len(tail); i++ {
		out = append(out, byte('a'+i%26))
	}
	return append(out, tail...)
}

// count is the number of documents of a collection in the tenant.
func (fx *fixture) count(t testing.TB, coll string) int64 {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	n, err := sc.Collection(coll).Count(context.Background(), nil)
	require.NoError(t, err)
	return n
}

// auditOf lists the audit entries on objects starting with prefix, newest first.
func (fx *fixture) auditOf(t testing.TB, prefix string) []*audit.Entry {
	t.Helper()
	sc, err := fx.b.Scope(testTenant)
	require.NoError(t, err)
	page, err := audit.New(nil).List(context.Background(), sc, audit.ListQuery{ObjectPrefix: prefix, Limit: 500})
	require.NoError(t, err)
	return page.Entries
}
