package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/builder"
	"github.com/credolabs/credo/plugins/host"
	"github.com/credolabs/credo/runtime/audit"
	"github.com/credolabs/credo/runtime/automation"
	"github.com/credolabs/credo/runtime/events"
	"github.com/credolabs/credo/runtime/flow"
	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/runtime/list"
	"github.com/credolabs/credo/runtime/report"
	"github.com/credolabs/credo/runtime/rule"
	"github.com/credolabs/credo/runtime/transfer"
	"github.com/credolabs/credo/runtime/webhook"
	"github.com/credolabs/credo/server"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/sqlite"
	"github.com/credolabs/credo/tenants"
)

// testEnv is a real Credo server listening on loopback over a real store.
type testEnv struct {
	t       *testing.T
	base    string
	backend store.Backend
	tenants *tenants.Service
	srv     *server.Server
	lists   *list.Service
	plugins *host.Host
	// dispatch delivers outbox events to the rules (nil on a bare env).
	dispatch *events.Dispatcher
}

// drain delivers every due outbox event, as a node's dispatcher would.
func (e *testEnv) drain() {
	e.t.Helper()
	for range 20 {
		st, err := e.dispatch.Poll(context.Background())
		require.NoError(e.t, err)
		require.Zero(e.t, st.Failed, "a delivery failed")
		if st == (events.DispatchStats{}) {
			return
		}
	}
	e.t.Fatal("the outbox did not drain")
}

func TestMain(m *testing.M) {
	code := m.Run()
	removeProbes()
	os.Exit(code)
}

const (
	adminEmail    = "root@platform.test"
	adminPassword = "platform-secret-1"
	testPassword  = "correct-horse-1"
)

var dbCounter atomic.Int64

// newTestBackend opens the store the suite runs on: SQLite in a temp dir, or the MongoDB
// backend when CREDO_TEST_MONGODB_URI names a server (FerretDB in `make test-mongo`).
func newTestBackend(t *testing.T) store.Backend {
	t.Helper()
	ctx := context.Background()
	var b store.Backend
	var err error
	if uri := os.Getenv("CREDO_TEST_MONGODB_URI"); uri != "" {
		db := fmt.Sprintf("credo_test_%d_%d", time.Now().UnixNano()%1e9, dbCounter.Add(1))
		b, err = mongo.Open(ctx, mongo.Config{URI: uri, Database: db})
	} else {
		b, err = sqlite.Open(ctx, sqlite.Config{Path: t.TempDir() + "/credo.db"})
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// envOptions vary the server a test runs against.
type envOptions struct {
	// pluginDir is the plugin directory; empty means an empty one.
	pluginDir string
	// bare starts the server without a plugin host and list service.
	bare bool
	// clock is the flow engine's clock; nil: the wall clock.
	clock func() time.Time
}

func newTestEnv(t *testing.T) *testEnv { return newTestEnvWith(t, envOptions{}) }

func newTestEnvWith(t *testing.T, opts envOptions) *testEnv {
	t.Helper()
	ctx := context.Background()
	b := newTestBackend(t)
	ts, err := tenants.New(ctx, b, tenants.Options{Argon2: tenants.Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	require.NoError(t, err)
	log := audit.New(nil)
	forms := form.NewService(b, ts, log, form.Options{})
	bld := builder.New(b, forms, log)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := server.Deps{Backend: b, Tenants: ts, Forms: forms, Builder: bld, Audit: log, Logger: logger}
	if !opts.bare {
		dir := opts.pluginDir
		if dir == "" {
			dir = t.TempDir()
		}
		deps.Lists = list.NewService(b, log)
		// A generous call deadline: the race detector slows the plugin and the host both.
		deps.Plugins = host.New(b, host.Config{Dir: dir, Lookup: testLookup{deps.Lists}, CallTimeout: 5 * time.Second, Logger: logger})
		t.Cleanup(deps.Plugins.Close)
		deps.Rules = rule.NewCatalog(forms, form.Published{Backend: b}, rule.CatalogOptions{})
		bld.Register(builder.KindRule, builder.Rules(deps.Rules))
		deps.Webhooks = webhook.New(b, webhook.Options{})
		flows := flow.NewCatalog(forms, form.Published{Backend: b})
		bld.Register(builder.KindFlow, builder.Flows(flows))
		deps.Imports = transfer.New(b, forms, log, transfer.Options{Dir: t.TempDir()})
		t.Cleanup(deps.Imports.Close)
		deps.Dashboards = report.NewCatalog(forms, form.Published{Backend: b})
		bld.Register(builder.KindDashboard, builder.Dashboards(deps.Dashboards))
		deps.Reports = report.New(forms, report.Options{})
		deps.Flows = flow.NewEngine(b, flows, flow.Options{Records: flow.FormRecords(forms),
			Webhooks: flow.QueuedWebhooks(deps.Webhooks), Directory: ts, SupervisorRoles: []string{tenants.AdminRole},
			Clock: opts.clock})
	}
	srv := server.New(server.Config{}, deps)
	_, err = ts.EnsurePlatformAdmin(ctx, adminEmail, adminPassword)
	require.NoError(t, err)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.App().ShutdownWithTimeout(5 * time.Second) })
	env := &testEnv{t: t, base: "http://" + ln.Addr().String(), backend: b, tenants: ts, srv: srv,
		lists: deps.Lists, plugins: deps.Plugins}
	if deps.Rules != nil {
		reg := events.NewRegistry()
		require.NoError(t, automation.New(automation.Options{Forms: forms, Rules: deps.Rules, Lists: deps.Lists,
			Webhooks: deps.Webhooks, Flows: automation.FlowsOf(deps.Flows, forms)}).Register(reg))
		require.NoError(t, reg.HandleTimers(flow.TimerHandler, deps.Flows))
		env.dispatch, err = events.NewDispatcher(events.DispatcherConfig{Backend: b, Registry: reg,
			Tenants: func(ctx context.Context) ([]string, error) {
				list, err := ts.ListTenants(ctx)
				slugs := make([]string, 0, len(list))
				for _, tn := range list {
					slugs = append(slugs, tn.Slug)
				}
				return slugs, err
			}})
		require.NoError(t, err)
	}
	return env
}

// testLookup answers the plugins' callbacks: lists from the list service, counts always 0.
type testLookup struct{ lists *list.Service }

func (l testLookup) ListContains(ctx context.Context, tenant, name string, values []string) ([]string, error) {
	return l.lists.Contains(ctx, tenant, name, values)
}

func (testLookup) Count(context.Context, string, string, string, string, time.Time) (int64, error) {
	return 0, nil
}

// client is one logged-in (or anonymous) caller with its own cookie jar.
type client struct {
	env    *testEnv
	http   *http.Client
	csrf   string
	bearer string
}

func (e *testEnv) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{env: e, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// login logs in through the API; tenant "" is the platform administrator.
func (e *testEnv) login(tenant, email, password string) *client {
	e.t.Helper()
	c := e.anon()
	body := map[string]any{"email": email, "password": password}
	if tenant != "" {
		body["tenant"] = tenant
	}
	res := c.do("POST", "/api/v1/auth/login", body)
	require.Equal(e.t, 200, res.status, "login %s/%s: %s", tenant, email, res.raw)
	c.csrf = res.str("csrf_token")
	require.NotEmpty(e.t, c.csrf)
	return c
}

type response struct {
	t      *testing.T
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (c *client) do(method, path string, body any) *response {
	c.env.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(c.env.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.env.base+path, rd)
	require.NoError(c.env.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(server.CSRFHeader, c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	res, err := c.http.Do(req)
	require.NoError(c.env.t, err)
	defer func() { _ = res.Body.Close() }()
	raw, err := io.ReadAll(res.Body)
	require.NoError(c.env.t, err)
	out := &response{t: c.env.t, status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		_ = dec.Decode(&out.body)
	}
	return out
}

func (r *response) str(key string) string {
	v, _ := r.body[key].(string)
	return v
}

// errCode is the stable code of an error answer.
func (r *response) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// errPaths lists the field paths of an error answer.
func (r *response) errPaths() []string {
	e, _ := r.body["error"].(map[string]any)
	fields, _ := e["fields"].([]any)
	var out []string
	for _, f := range fields {
		m, _ := f.(map[string]any)
		p, _ := m["path"].(string)
		out = append(out, p)
	}
	return out
}

// errFields is the JSON of an error answer's fields, for comparing two answers.
func (r *response) errFields() []byte {
	e, _ := r.body["error"].(map[string]any)
	b, _ := json.Marshal(e["fields"])
	return b
}

func (r *response) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

func (r *response) must(status int) *response {
	r.t.Helper()
	require.Equal(r.t, status, r.status, "body: %s", r.raw)
	return r
}
