package tenants

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

// cheapArgon2 keeps tests fast while running the real argon2id code.
var cheapArgon2 = Argon2Params{Memory: 64, Time: 1, Threads: 1}

const testPassword = "correct horse battery"

// newTestBackend opens a private in-memory SQLite database.
func newTestBackend(t testing.TB) store.Backend {
	t.Helper()
	b, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// testClock is a settable clock for expiry tests.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newTestService returns a Service on b with cheap hashing and a test clock.
func newTestService(t testing.TB, b store.Backend, opts Options) (*Service, *testClock) {
	t.Helper()
	clock := newTestClock()
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	if opts.Argon2 == (Argon2Params{}) {
		opts.Argon2 = cheapArgon2
	}
	s, err := New(context.Background(), b, opts)
	require.NoError(t, err)
	return s, clock
}

// newTenantWithAdmin creates tenant slug with an admin user and returns that user.
func newTenantWithAdmin(t testing.TB, s *Service, slug string) *User {
	t.Helper()
	ctx := context.Background()
	_, err := s.CreateTenant(ctx, TenantInput{Slug: slug, Name: "Tenant " + slug,
		Admin: &UserInput{Email: "admin@" + slug + ".example", Name: "Admin", Password: testPassword}})
	require.NoError(t, err)
	u, err := s.UserByEmail(ctx, slug, "admin@"+slug+".example")
	require.NoError(t, err)
	return u
}

// newRoleWith creates a role with permissions and optional row scopes.
func newRoleWith(t testing.TB, s *Service, tenant, key string, scopes map[string]string, perms ...Permission) {
	t.Helper()
	ctx := context.Background()
	_, err := s.CreateRole(ctx, tenant, RoleInput{Key: key, RowScopes: scopes})
	require.NoError(t, err)
	require.NoError(t, s.SetPermissions(ctx, tenant, key, perms))
}

// newUserWith creates a user of tenant holding roles.
func newUserWith(t testing.TB, s *Service, tenant, email string, roles ...string) *User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), tenant, UserInput{Email: email, Name: email, Password: testPassword, Roles: roles})
	require.NoError(t, err)
	return u
}

// problemCodes maps each problem path of a *ValidationError to its code.
func problemCodes(t testing.TB, err error) map[string]string {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	out := map[string]string{}
	for _, p := range ve.Problems {
		out[p.Path] = p.Code
		require.NotEmpty(t, p.Message, "problem %s has no message", p.Path)
	}
	return out
}

// countingBackend wraps a real backend and counts store reads, to prove cached paths
// do not touch the store.
type countingBackend struct {
	store.Backend
	reads atomic.Int64
}

func (b *countingBackend) Scope(tenant string) (store.Scope, error) {
	sc, err := b.Backend.Scope(tenant)
	if err != nil {
		return nil, err
	}
	return &countingScope{Scope: sc, b: b}, nil
}

type countingScope struct {
	store.Scope
	b *countingBackend
}

func (s *countingScope) Collection(name string) store.Collection {
	return &countingCollection{Collection: s.Scope.Collection(name), b: s.b}
}

type countingCollection struct {
	store.Collection
	b *countingBackend
}

func (c *countingCollection) Get(ctx context.Context, id string) (*store.Doc, error) {
	c.b.reads.Add(1)
	return c.Collection.Get(ctx, id)
}

func (c *countingCollection) Find(ctx context.Context, q store.Query) (*store.Page, error) {
	c.b.reads.Add(1)
	return c.Collection.Find(ctx, q)
}
