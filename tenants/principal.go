package tenants

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Principal is who is calling: a user of a tenant (or a platform administrator) through
// a session or an API token. Roles, Attrs and Scopes may be shared with the cache and
// must not be modified.
type Principal struct {
	// Tenant is the user's tenant; store.PlatformTenant for platform administrators.
	Tenant string `json:"tenant"`
	UserID string `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	// Roles are the user's role keys, sorted.
	Roles []string `json:"roles"`
	// Attrs are the user's attributes (what row scopes read as user.attrs).
	Attrs   map[string]string `json:"attrs,omitempty"`
	Manager string            `json:"manager,omitempty"`
	// Platform marks a platform administrator.
	Platform bool `json:"platform"`
	// SessionID is set for a session; CSRFToken is the token unsafe requests must echo.
	SessionID string `json:"session_id,omitempty"`
	CSRFToken string `json:"-"`
	// TokenID and Scopes are set for an API token.
	TokenID string   `json:"token_id,omitempty"`
	Scopes  []string `json:"scopes,omitempty"`
	// ExpiresAt is when the session or token ends at the latest.
	ExpiresAt time.Time `json:"expires_at"`
}

// HasScope reports whether the principal may use an API area: a session may use every
// area; a token only those of its scopes, where ScopeAdmin covers all and a write scope
// covers its read scope.
func (p *Principal) HasScope(scope string) bool {
	if p.TokenID == "" {
		return true
	}
	for _, s := range p.Scopes {
		if s == scope || s == ScopeAdmin || impliedBy[scope] == s {
			return true
		}
	}
	return false
}

// cacheEntry is one resolved credential.
type cacheEntry struct {
	p        *Principal
	tenant   string
	credID   string // session or token id
	fetched  int64  // unix ms when read from the store
	expires  int64  // unix ms absolute end
	idle     int64  // ms of allowed inactivity; 0 for tokens
	lastSeen atomic.Int64
}

// maxCachedPrincipals bounds the cache; past it, stale entries are swept, then all.
const maxCachedPrincipals = 100_000

// principalCache maps a presented credential (cookie value or bearer secret) to its
// resolved principal, so an authenticated request costs no store read.
type principalCache struct {
	mu sync.RWMutex
	m  map[string]*cacheEntry
}

func newPrincipalCache() *principalCache { return &principalCache{m: map[string]*cacheEntry{}} }

func (c *principalCache) get(key string) *cacheEntry {
	c.mu.RLock()
	e := c.m[key]
	c.mu.RUnlock()
	return e
}

func (c *principalCache) put(key string, e *cacheEntry, now, ttl int64) {
	key = strings.Clone(key) // the caller's string may live in a reused request buffer
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedPrincipals {
		for k, old := range c.m {
			if now >= old.fetched+ttl || now >= old.expires {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCachedPrincipals {
			c.m = map[string]*cacheEntry{}
		}
	}
	c.m[key] = e
}

func (c *principalCache) drop(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}

func (c *principalCache) dropWhere(match func(*cacheEntry) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if match(e) {
			delete(c.m, k)
		}
	}
}

func (c *principalCache) dropUsers(tenant string, users map[string]bool) {
	if len(users) == 0 {
		return
	}
	c.dropWhere(func(e *cacheEntry) bool { return e.tenant == tenant && users[e.p.UserID] })
}

func (c *principalCache) dropTenant(tenant string) {
	c.dropWhere(func(e *cacheEntry) bool { return e.tenant == tenant })
}

func (c *principalCache) dropCred(tenant, id string) {
	c.dropWhere(func(e *cacheEntry) bool { return e.tenant == tenant && e.credID == id })
}

// cachedPrincipal returns a copy of the cached principal for key when the entry is
// fresh and the credential still valid at now, recording the activity; ok is false when
// the store must be consulted. prevSeen is the last activity the cache knew of (0 if none).
func (c *principalCache) cachedPrincipal(key string, now, ttl int64) (p *Principal, prevSeen int64, ok bool) {
	e := c.get(key)
	if e == nil {
		return nil, 0, false
	}
	last := e.lastSeen.Load()
	if now >= e.fetched+ttl || now >= e.expires || (e.idle > 0 && now-last > e.idle) {
		return nil, last, false
	}
	e.lastSeen.Store(now)
	cp := *e.p
	return &cp, last, true
}
