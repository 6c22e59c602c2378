package tenants

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/credolabs/credo/store"
)

// Collections of a tenant's scope owned by this package (besides PoliciesCollection).
const (
	TenantsCollection    = "tenants" // platform scope only: one document per tenant, id = slug
	UsersCollection      = "users"
	RolesCollection      = "roles"
	SessionsCollection   = "sessions"
	TokensCollection     = "api_tokens"
	PolicyMetaCollection = "policy_meta"
)

// Service owns tenants, users, roles, sessions, API tokens and authorization. It is safe
// for concurrent use; create one per process with New.
type Service struct {
	b    store.Backend
	opts Options
	log  *slog.Logger
	// sessions and tokens cache resolved credentials, apart so that a token can never
	// be presented as a cookie or the reverse.
	sessions, tokens *principalCache
	limit            *loginLimiter
	// dummyHash is verified against when a login names no known user, so an unknown
	// account costs the same argon2 time as a wrong password.
	dummyHash string

	mu     sync.RWMutex
	states map[string]*tenantState
}

// New returns a Service over b. It prepares the platform scope's indexes and computes
// the password hash used to equalize failed logins.
func New(ctx context.Context, b store.Backend, opts Options) (*Service, error) {
	if b == nil {
		return nil, fmt.Errorf("new tenants service: nil backend")
	}
	opts = opts.withDefaults()
	dummy, err := hashPassword("credo-timing-equalizer", opts.Argon2)
	if err != nil {
		return nil, fmt.Errorf("new tenants service: %w", err)
	}
	s := &Service{
		b:         b,
		opts:      opts,
		log:       opts.Logger.With("component", "tenants"),
		sessions:  newPrincipalCache(),
		tokens:    newPrincipalCache(),
		limit:     newLoginLimiter(),
		dummyHash: dummy,
		states:    map[string]*tenantState{},
	}
	sc, err := b.Scope(store.PlatformTenant)
	if err != nil {
		return nil, fmt.Errorf("new tenants service: %w", err)
	}
	if err := ensureIndexes(ctx, sc); err != nil {
		return nil, fmt.Errorf("new tenants service: %w", err)
	}
	return s, nil
}

// ensureIndexes creates the indexes a tenant's collections need (idempotent).
func ensureIndexes(ctx context.Context, sc store.Scope) error {
	idx := []struct {
		coll string
		idx  store.Index
	}{
		{UsersCollection, store.Index{Name: "users_email", Fields: []string{"email"}, Unique: true}},
		{UsersCollection, store.Index{Name: "users_disabled", Fields: []string{"disabled"}}},
		{SessionsCollection, store.Index{Name: "sessions_user", Fields: []string{"user_id"}}},
		{SessionsCollection, store.Index{Name: "sessions_expiry", Fields: []string{"expires_ms"}}},
		{TokensCollection, store.Index{Name: "tokens_user", Fields: []string{"user_id"}}},
		{PoliciesCollection, store.Index{Name: "policies_v0", Fields: []string{"ptype", "v0"}}},
		{PoliciesCollection, store.Index{Name: "policies_v1", Fields: []string{"ptype", "v1"}}},
	}
	for _, i := range idx {
		if err := sc.Collection(i.coll).EnsureIndex(ctx, i.idx); err != nil {
			return fmt.Errorf("ensure index %s of %s: %w", i.idx.Name, sc.Tenant(), err)
		}
	}
	return nil
}

// scope returns the store scope of tenant ("" means the platform).
func (s *Service) scope(tenant string) (store.Scope, error) {
	if tenant == "" {
		tenant = store.PlatformTenant
	}
	if store.CheckScope(tenant) != nil {
		return nil, fmt.Errorf("tenant %q: %w", tenant, ErrNotFound)
	}
	sc, err := s.b.Scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("scope %q: %w", tenant, err)
	}
	return sc, nil
}

// tenantScope returns the scope of an existing tenant (or the platform), ErrNotFound
// for any other name. The check costs no store read once the tenant is loaded.
func (s *Service) tenantScope(ctx context.Context, tenant string) (store.Scope, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return s.scope(st.tenant)
}

func (s *Service) now() int64 { return s.opts.Clock().UnixMilli() }

// forgetTenant drops every cached session and token of a tenant.
func (s *Service) forgetTenant(tenant string) {
	s.sessions.dropTenant(tenant)
	s.tokens.dropTenant(tenant)
}

// forgetUsers drops the cached sessions and tokens of some users of a tenant.
func (s *Service) forgetUsers(tenant string, users map[string]bool) {
	s.sessions.dropUsers(tenant, users)
	s.tokens.dropUsers(tenant, users)
}
