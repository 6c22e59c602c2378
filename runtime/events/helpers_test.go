package events

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/mongo"
	"github.com/credolabs/credo/store/sqlite"
)

func TestMain(m *testing.M) {
	// The crash test runs this binary again as the process it kills.
	if mode := os.Getenv(crashChildEnv); mode != "" {
		os.Exit(crashChild(mode))
	}
	os.Exit(m.Run())
}

const mongoEnv = "CREDO_TEST_MONGODB_URI"

var dbCounter atomic.Int64

// newBackendSpec names a fresh store for this test: a SQLite file in a temp dir, or a
// new database on the MongoDB server in CREDO_TEST_MONGODB_URI (FerretDB under
// `make test-mongo`). A spec is a string so that a child process can open it too.
func newBackendSpec(t testing.TB) string {
	t.Helper()
	if os.Getenv(mongoEnv) != "" {
		return fmt.Sprintf("mongo:events_test_%d_%d_%d", time.Now().UnixNano()%1e9, os.Getpid(), dbCounter.Add(1))
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "credo.db")
}

func openSpec(ctx context.Context, spec string) (store.Backend, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "mongo":
		return mongo.Open(ctx, mongo.Config{URI: os.Getenv(mongoEnv), Database: arg})
	case "sqlite":
		return sqlite.Open(ctx, sqlite.Config{Path: arg})
	}
	return nil, fmt.Errorf("unknown backend spec %q", spec)
}

func openTestSpec(t testing.TB, spec string) store.Backend {
	t.Helper()
	b, err := openSpec(context.Background(), spec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newTestBackend(t testing.TB) store.Backend { return openTestSpec(t, newBackendSpec(t)) }

// hasTx tells whether the backend rolls back a failed WithTx. Cases whose outcome
// depends on it assert each engine's documented behaviour instead of being skipped.
func hasTx(b store.Backend) bool {
	if tb, ok := b.(interface{ Transactions() bool }); ok {
		return tb.Transactions()
	}
	return true
}

func newTenant(t testing.TB) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 10)
	_, err := rand.Read(b)
	require.NoError(t, err)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "t-" + string(b)
}

func scopeOf(t testing.TB, b store.Backend, tenant string) store.Scope {
	t.Helper()
	sc, err := b.Scope(tenant)
	require.NoError(t, err)
	return sc
}

func fixedTenants(ts ...string) TenantsFunc {
	return func(context.Context) ([]string, error) { return ts, nil }
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

// newTestClock starts a little ahead of the wall clock, since Emit stamps events with
// the wall clock and an event is due from its emission.
func newTestClock() *testClock {
	return &testClock{t: time.Now().Add(time.Minute).Truncate(time.Millisecond)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// effects is what test handlers write: one document per application, with a fresh id,
// so an effect applied twice shows as two documents.
const effectsColl = "effects"

func writeEffect(ctx context.Context, sc store.Scope, of, handler string) error {
	return sc.Collection(effectsColl).Insert(ctx, &store.Doc{Data: map[string]any{"of": of, "handler": handler}})
}

// effectCounts maps "of/handler" to the number of effect documents.
func effectCounts(t testing.TB, sc store.Scope) map[string]int {
	t.Helper()
	out := map[string]int{}
	q := store.Query{Limit: store.MaxLimit}
	for {
		page, err := sc.Collection(effectsColl).Find(context.Background(), q)
		require.NoError(t, err)
		for _, d := range page.Docs {
			out[fmt.Sprint(d.Data["of"], "/", d.Data["handler"])]++
		}
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
}

func count(t testing.TB, sc store.Scope, coll string) int64 {
	t.Helper()
	n, err := sc.Collection(coll).Count(context.Background(), nil)
	require.NoError(t, err)
	return n
}

// calls counts handler invocations by key.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func newCalls() *calls { return &calls{n: map[string]int{}} }

func (c *calls) add(key string) {
	c.mu.Lock()
	c.n[key]++
	c.mu.Unlock()
}

func (c *calls) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

func (c *calls) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := 0
	for _, v := range c.n {
		s += v
	}
	return s
}

// effectHandler records the call and writes an effect with the delivery's ctx.
func effectHandler(c *calls) Handler {
	return HandlerFunc(func(ctx context.Context, d *Delivery) error {
		c.add(d.Event.ID + "/" + d.Handler)
		return writeEffect(ctx, d.Scope, d.Event.ID, d.Handler)
	})
}

var errCrash = errors.New("simulated crash")
