package tenants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/credolabs/credo/store"
)

// API token scopes: what areas of the API a token may use. Within an area, the token's
// user's permissions still apply.
const (
	ScopeRecordsRead      = "records:read"
	ScopeRecordsWrite     = "records:write"
	ScopeDefinitionsRead  = "definitions:read"
	ScopeDefinitionsWrite = "definitions:write"
	ScopeReportsRead      = "reports:read"
	ScopeAdmin            = "admin"
)

var tokenScopes = []string{ScopeRecordsRead, ScopeRecordsWrite, ScopeDefinitionsRead, ScopeDefinitionsWrite, ScopeReportsRead, ScopeAdmin}

// TokenScopes lists every token scope.
func TokenScopes() []string { return slices.Clone(tokenScopes) }

// impliedBy maps a read scope to the write scope that covers it.
var impliedBy = map[string]string{
	ScopeRecordsRead:     ScopeRecordsWrite,
	ScopeDefinitionsRead: ScopeDefinitionsWrite,
}

// MaxTokenTTL is the longest lifetime a token may be issued with.
const MaxTokenTTL = 2 * 365 * 24 * time.Hour

// APIToken describes an issued token; the secret itself is never stored.
type APIToken struct {
	ID         string    `json:"id"`
	Tenant     string    `json:"tenant"`
	UserID     string    `json:"user_id"`
	Name       string    `json:"name"`
	Scopes     []string  `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

type tokenDoc struct {
	UserID   string   `json:"user_id"`
	Name     string   `json:"name"`
	Hash     string   `json:"hash"`
	Scopes   []string `json:"scopes"`
	Created  int64    `json:"created_ms"`
	Expires  int64    `json:"expires_ms"`
	LastUsed int64    `json:"last_used_ms,omitempty"`
}

func (t *tokenDoc) token(tenant, id string) *APIToken {
	a := &APIToken{ID: id, Tenant: tenant, UserID: t.UserID, Name: t.Name, Scopes: t.Scopes,
		CreatedAt: time.UnixMilli(t.Created).UTC(), ExpiresAt: time.UnixMilli(t.Expires).UTC()}
	if t.LastUsed > 0 {
		a.LastUsedAt = time.UnixMilli(t.LastUsed).UTC()
	}
	return a
}

// IssueToken creates an API token acting as p's user with the given scopes, valid for
// ttl (0: Options.TokenTTL). The secret is returned once; only its SHA-256 is stored.
// Only a session may issue tokens, so a token can never mint a broader one.
func (s *Service) IssueToken(ctx context.Context, p *Principal, name string, scopes []string, ttl time.Duration) (secret string, tok *APIToken, err error) {
	if p == nil || p.UserID == "" {
		return "", nil, fmt.Errorf("issue token: %w", ErrUnauthenticated)
	}
	if p.TokenID != "" {
		return "", nil, fmt.Errorf("issue token: a token cannot issue tokens: %w", ErrForbidden)
	}
	name = strings.TrimSpace(name)
	var ps problems
	switch {
	case name == "":
		ps.add("/name", CodeRequired, "a token needs a name saying what uses it")
	case utf8.RuneCountInString(name) > 100:
		ps.add("/name", CodeTooLong, "a token name has at most 100 characters")
	}
	if len(scopes) == 0 {
		ps.add("/scopes", CodeRequired, "a token needs at least one scope of %s", strings.Join(tokenScopes, ", "))
	}
	for i, sc := range scopes {
		switch {
		case !slices.Contains(tokenScopes, sc):
			ps.add(fmt.Sprintf("/scopes/%d", i), CodeInvalidScope, "%q is not one of %s", sc, strings.Join(tokenScopes, ", "))
		case slices.Index(scopes, sc) != i:
			ps.add(fmt.Sprintf("/scopes/%d", i), CodeDuplicate, "the scope %q is listed twice", sc)
		}
	}
	switch {
	case ttl < 0:
		ps.add("/ttl", CodeInvalid, "a token lifetime cannot be negative")
	case ttl > MaxTokenTTL:
		ps.add("/ttl", CodeInvalid, "a token lives at most %d days", int(MaxTokenTTL.Hours()/24))
	case ttl == 0:
		ttl = s.opts.TokenTTL
	}
	if err := ps.err(); err != nil {
		return "", nil, err
	}
	sc, err := s.scope(p.Tenant)
	if err != nil {
		return "", nil, err
	}
	if secret, err = newSecret(); err != nil {
		return "", nil, err
	}
	now := s.opts.Clock()
	td := tokenDoc{UserID: p.UserID, Name: name, Hash: hashSecret(secret), Scopes: slices.Clone(scopes),
		Created: now.UnixMilli(), Expires: now.Add(ttl).UnixMilli()}
	data, err := toData(td)
	if err != nil {
		return "", nil, err
	}
	d := &store.Doc{ID: store.NewID(), Data: data}
	if err := sc.Collection(TokensCollection).Insert(ctx, d); err != nil {
		return "", nil, fmt.Errorf("issue token: %w", err)
	}
	return tokenPrefix + formatCredential(sc.Tenant(), d.ID, secret), td.token(sc.Tenant(), d.ID), nil
}

// TokenPrincipal resolves a bearer token to its user's principal with the token's
// scopes. Cached like sessions. Unknown, expired or revoked tokens, and tokens of a
// disabled user, are ErrUnauthenticated.
func (s *Service) TokenPrincipal(ctx context.Context, secret string) (*Principal, error) {
	now := s.now()
	if p, _, ok := s.tokens.cachedPrincipal(secret, now, s.opts.PrincipalCacheTTL.Milliseconds()); ok {
		return p, nil
	}
	p, err := s.loadToken(ctx, secret, now)
	if err != nil {
		s.tokens.drop(secret)
		return nil, err
	}
	return p, nil
}

func (s *Service) loadToken(ctx context.Context, presented string, now int64) (*Principal, error) {
	rest, ok := strings.CutPrefix(presented, tokenPrefix)
	if !ok {
		return nil, fmt.Errorf("token: malformed: %w", ErrUnauthenticated)
	}
	tenant, id, secret, ok := parseCredential(rest)
	if !ok {
		return nil, fmt.Errorf("token: malformed: %w", ErrUnauthenticated)
	}
	if err := s.checkTenantActive(ctx, tenant); err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("token: %w", ErrUnauthenticated)
	}
	coll := sc.Collection(TokensCollection)
	d, err := coll.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("token: unknown: %w", ErrUnauthenticated)
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	var td tokenDoc
	if err := fromData(d, &td); err != nil {
		return nil, err
	}
	if !sameHash(secret, td.Hash) {
		return nil, fmt.Errorf("token: unknown: %w", ErrUnauthenticated)
	}
	if now >= td.Expires {
		return nil, fmt.Errorf("token: expired: %w", ErrUnauthenticated)
	}
	p, err := s.principalFor(ctx, sc, td.UserID)
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if now-td.LastUsed >= time.Minute.Milliseconds() {
		td.LastUsed = now
		if d.Data, err = toData(td); err == nil {
			err = coll.Update(ctx, d)
		}
		if err != nil && !errors.Is(err, store.ErrConflict) {
			s.log.Warn("record token use failed", "tenant", tenant, "error", err.Error())
		}
	}
	p.TokenID, p.Scopes, p.ExpiresAt = d.ID, td.Scopes, time.UnixMilli(td.Expires)
	e := &cacheEntry{p: p, tenant: tenant, credID: d.ID, fetched: now, expires: td.Expires}
	e.lastSeen.Store(now)
	s.tokens.put(presented, e, now, s.opts.PrincipalCacheTTL.Milliseconds())
	cp := *p
	return &cp, nil
}

// GetToken returns a token's description or ErrNotFound.
func (s *Service) GetToken(ctx context.Context, tenant, id string) (*APIToken, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	d, err := sc.Collection(TokensCollection).Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("token %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get token %q: %w", id, err)
	}
	var td tokenDoc
	if err := fromData(d, &td); err != nil {
		return nil, err
	}
	return td.token(sc.Tenant(), d.ID), nil
}

// ListTokens returns the tenant's tokens, only userID's when it is not "", oldest first.
func (s *Service) ListTokens(ctx context.Context, tenant, userID string) ([]APIToken, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var f *store.Filter
	if userID != "" {
		f = store.Eq("user_id", userID)
	}
	out := []APIToken{}
	err = findAll(ctx, sc.Collection(TokensCollection), f, func(d *store.Doc) error {
		var td tokenDoc
		if err := fromData(d, &td); err != nil {
			return err
		}
		out = append(out, *td.token(sc.Tenant(), d.ID))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens of %s: %w", sc.Tenant(), err)
	}
	return out, nil
}

// RevokeToken deletes a token; this process stops accepting it at once, others within
// Options.PrincipalCacheTTL.
func (s *Service) RevokeToken(ctx context.Context, tenant, id string) error {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return err
	}
	err = sc.Collection(TokensCollection).Delete(ctx, id, 0)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoke token %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("revoke token %q: %w", id, err)
	}
	s.tokens.dropCred(sc.Tenant(), id)
	return nil
}
