package tenants

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
)

// Session is a logged-in browser session, returned once by Login.
type Session struct {
	// ID identifies the session (not secret).
	ID string `json:"id"`
	// Token is the cookie value; it is shown only here and never stored.
	Token string `json:"-"`
	// CSRFToken must be echoed by every unsafe request of the session.
	CSRFToken string    `json:"csrf_token"`
	Tenant    string    `json:"tenant"`
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is the absolute end; inactivity longer than Options.SessionIdle ends it sooner.
	ExpiresAt time.Time  `json:"expires_at"`
	Principal *Principal `json:"principal"`
}

type sessionDoc struct {
	UserID   string `json:"user_id"`
	Hash     string `json:"hash"`
	Created  int64  `json:"created_ms"`
	Expires  int64  `json:"expires_ms"`
	LastSeen int64  `json:"last_seen_ms"`
	Client   string `json:"client,omitempty"`
}

// Login checks a user's password and opens a session. tenant "" logs in a platform
// administrator. Every failure is ErrInvalidCredentials, whatever its cause, and costs
// the same password-hashing time. After Options.LoginLimit failures of one (tenant,
// email), or LoginClientLimit failures from one client address, within LoginWindow,
// attempts are refused with a *RateLimitError without checking the password.
func (s *Service) Login(ctx context.Context, tenant, email, password, client string) (*Session, error) {
	if tenant == "" {
		tenant = store.PlatformTenant
	}
	email = normalizeEmail(email)
	now := s.now()
	window := s.opts.LoginWindow.Milliseconds()
	// The counter key is bounded so hostile input cannot grow the limiter's memory.
	account := limitKey{key: "a\x00" + tenant[:min(len(tenant), 40)] + "\x00" + email[:min(len(email), maxEmailLength)], limit: s.opts.LoginLimit}
	keys := []limitKey{account}
	if client != "" {
		keys = append(keys, limitKey{key: "c\x00" + client[:min(len(client), 64)], limit: s.opts.LoginClientLimit})
	}
	if wait := s.limit.retryAfter(now, window, keys...); wait > 0 {
		return nil, &RateLimitError{RetryAfter: wait}
	}
	d, ud, err := s.checkLogin(ctx, tenant, email, password)
	if errors.Is(err, ErrInvalidCredentials) {
		s.limit.fail(now, window, keys...)
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	s.limit.reset(account.key)
	return s.openSession(ctx, tenant, d, ud, client)
}

// checkLogin finds the user and verifies the password. Every path that fails because of
// what the caller sent runs one argon2 verification, so timing reveals nothing.
func (s *Service) checkLogin(ctx context.Context, tenant, email, password string) (*store.Doc, *userDoc, error) {
	fail := func() (*store.Doc, *userDoc, error) {
		_, _, _ = verifyPassword(password, s.dummyHash, s.opts.Argon2)
		return nil, nil, ErrInvalidCredentials
	}
	active := true
	if tenant != store.PlatformTenant {
		d, err := s.tenantDoc(ctx, tenant)
		if errors.Is(err, ErrNotFound) {
			return fail()
		}
		if err != nil {
			return nil, nil, err
		}
		var td tenantDoc
		if err := fromData(d, &td); err != nil {
			return nil, nil, err
		}
		active = td.Status == StatusActive
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return fail()
	}
	d, ud, err := findUserByEmail(ctx, sc, email)
	if errors.Is(err, ErrNotFound) {
		return fail()
	}
	if err != nil {
		return nil, nil, err
	}
	ok, stale, err := verifyPassword(password, ud.Password, s.opts.Argon2)
	if err != nil {
		s.log.Error("stored password hash unreadable", "tenant", tenant, "user", d.ID)
		return fail()
	}
	if !ok || !active || ud.Disabled {
		return nil, nil, ErrInvalidCredentials
	}
	if stale {
		s.rehash(ctx, sc, d, ud, password)
	}
	return d, ud, nil
}

// rehash upgrades a password hash made with older parameters; failure only logs, since
// the login itself succeeded.
func (s *Service) rehash(ctx context.Context, sc store.Scope, d *store.Doc, ud *userDoc, password string) {
	hash, err := hashPassword(password, s.opts.Argon2)
	if err == nil {
		ud.Password = hash
		if d.Data, err = toData(ud); err == nil {
			err = sc.Collection(UsersCollection).Update(ctx, d)
		}
	}
	if err != nil {
		s.log.Warn("rehash password failed", "tenant", sc.Tenant(), "user", d.ID, "error", err.Error())
	}
}

// openSession stores a new session and caches its principal.
func (s *Service) openSession(ctx context.Context, tenant string, d *store.Doc, ud *userDoc, client string) (*Session, error) {
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil, err
	}
	now := s.opts.Clock()
	nowMs := now.UnixMilli()
	expires := now.Add(s.opts.SessionTTL)
	data, err := toData(sessionDoc{UserID: d.ID, Hash: hashSecret(secret), Created: nowMs,
		Expires: expires.UnixMilli(), LastSeen: nowMs, Client: client})
	if err != nil {
		return nil, err
	}
	sd := &store.Doc{ID: store.NewID(), Data: data}
	if err := sc.Collection(SessionsCollection).Insert(ctx, sd); err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	roles, err := s.userRoles(ctx, tenant, d.ID)
	if err != nil {
		return nil, err
	}
	token := formatCredential(tenant, sd.ID, secret)
	p := &Principal{Tenant: tenant, UserID: d.ID, Email: ud.Email, Name: ud.Name, Roles: roles, Attrs: ud.Attrs,
		Manager: ud.Manager, Platform: tenant == store.PlatformTenant, SessionID: sd.ID,
		CSRFToken: csrfToken(secret), ExpiresAt: expires}
	e := &cacheEntry{p: p, tenant: tenant, credID: sd.ID, fetched: nowMs, expires: expires.UnixMilli(),
		idle: s.opts.SessionIdle.Milliseconds()}
	e.lastSeen.Store(nowMs)
	s.sessions.put(token, e, nowMs, s.opts.PrincipalCacheTTL.Milliseconds())
	cp := *p
	return &Session{ID: sd.ID, Token: token, CSRFToken: p.CSRFToken, Tenant: tenant, UserID: d.ID,
		CreatedAt: now, ExpiresAt: expires, Principal: &cp}, nil
}

// touchEvery is how stale a session's stored last activity may get before a request
// writes it again: a quarter of the idle timeout, at most a minute.
func (s *Service) touchEvery() int64 {
	return min(s.opts.SessionIdle.Milliseconds()/4, time.Minute.Milliseconds())
}

// SessionPrincipal resolves a session cookie. A cached session costs no store read; the
// store is read again after Options.PrincipalCacheTTL. An unknown, expired (absolute or
// idle), logged-out session, or one of a disabled user, is ErrUnauthenticated; one of a
// suspended tenant wraps both ErrTenantSuspended and ErrUnauthenticated.
func (s *Service) SessionPrincipal(ctx context.Context, token string) (*Principal, error) {
	now := s.now()
	p, prevSeen, ok := s.sessions.cachedPrincipal(token, now, s.opts.PrincipalCacheTTL.Milliseconds())
	if ok {
		return p, nil
	}
	p, err := s.loadSession(ctx, token, now, prevSeen)
	if err != nil {
		s.sessions.drop(token)
		return nil, err
	}
	return p, nil
}

func (s *Service) loadSession(ctx context.Context, token string, now, prevSeen int64) (*Principal, error) {
	tenant, id, secret, ok := parseCredential(token)
	if !ok {
		return nil, fmt.Errorf("session: malformed cookie: %w", ErrUnauthenticated)
	}
	if err := s.checkTenantActive(ctx, tenant); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil, fmt.Errorf("session: %w", ErrUnauthenticated)
	}
	coll := sc.Collection(SessionsCollection)
	d, err := coll.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("session: unknown: %w", ErrUnauthenticated)
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	var sd sessionDoc
	if err := fromData(d, &sd); err != nil {
		return nil, err
	}
	if !sameHash(secret, sd.Hash) {
		return nil, fmt.Errorf("session: unknown: %w", ErrUnauthenticated)
	}
	last := max(sd.LastSeen, prevSeen)
	idle := s.opts.SessionIdle.Milliseconds()
	if now >= sd.Expires || now-last > idle {
		if err := coll.Delete(ctx, d.ID, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("delete expired session failed", "tenant", tenant, "error", err.Error())
		}
		return nil, fmt.Errorf("session: expired: %w", ErrUnauthenticated)
	}
	p, err := s.principalFor(ctx, sc, sd.UserID)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if now-sd.LastSeen >= s.touchEvery() {
		sd.LastSeen = now
		if d.Data, err = toData(sd); err == nil {
			err = coll.Update(ctx, d)
		}
		// A concurrent touch by another request wins just as well.
		if err != nil && !errors.Is(err, store.ErrConflict) {
			s.log.Warn("record session activity failed", "tenant", tenant, "error", err.Error())
		}
	}
	p.SessionID, p.CSRFToken, p.ExpiresAt = d.ID, csrfToken(secret), time.UnixMilli(sd.Expires)
	e := &cacheEntry{p: p, tenant: tenant, credID: d.ID, fetched: now, expires: sd.Expires, idle: idle}
	e.lastSeen.Store(now)
	s.sessions.put(token, e, now, s.opts.PrincipalCacheTTL.Milliseconds())
	cp := *p
	return &cp, nil
}

// checkTenantActive fails with ErrUnauthenticated for an unknown tenant and with
// ErrTenantSuspended (and ErrUnauthenticated) for a suspended one.
func (s *Service) checkTenantActive(ctx context.Context, tenant string) error {
	if tenant == store.PlatformTenant {
		return nil
	}
	d, err := s.tenantDoc(ctx, tenant)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("unknown tenant: %w", ErrUnauthenticated)
	}
	if err != nil {
		return err
	}
	var td tenantDoc
	if err := fromData(d, &td); err != nil {
		return err
	}
	if td.Status != StatusActive {
		return fmt.Errorf("tenant %s: %w: %w", tenant, ErrTenantSuspended, ErrUnauthenticated)
	}
	return nil
}

// principalFor builds the principal of an enabled user.
func (s *Service) principalFor(ctx context.Context, sc store.Scope, userID string) (*Principal, error) {
	d, ud, err := getUserDoc(ctx, sc, userID)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("user gone: %w", ErrUnauthenticated)
	}
	if err != nil {
		return nil, err
	}
	if ud.Disabled {
		return nil, fmt.Errorf("user disabled: %w", ErrUnauthenticated)
	}
	roles, err := s.userRoles(ctx, sc.Tenant(), userID)
	if err != nil {
		return nil, err
	}
	return &Principal{Tenant: sc.Tenant(), UserID: d.ID, Email: ud.Email, Name: ud.Name, Roles: roles,
		Attrs: ud.Attrs, Manager: ud.Manager, Platform: sc.Tenant() == store.PlatformTenant}, nil
}

// Logout ends the session of a cookie. An unknown or malformed cookie is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	s.sessions.drop(token)
	tenant, id, secret, ok := parseCredential(token)
	if !ok {
		return nil
	}
	sc, err := s.scope(tenant)
	if err != nil {
		return nil
	}
	coll := sc.Collection(SessionsCollection)
	d, err := coll.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	var sd sessionDoc
	if err := fromData(d, &sd); err != nil {
		return err
	}
	// Only the holder of the secret may end the session; knowing its id is not enough.
	if !sameHash(secret, sd.Hash) {
		return nil
	}
	if err := coll.Delete(ctx, id, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("logout: %w", err)
	}
	s.sessions.dropCred(tenant, id)
	return nil
}

// deleteUserSessions ends every session of a user (password change, disabling).
func deleteUserSessions(ctx context.Context, sc store.Scope, userID string) error {
	coll := sc.Collection(SessionsCollection)
	var ids []string
	err := findAll(ctx, coll, store.Eq("user_id", userID), func(d *store.Doc) error {
		ids = append(ids, d.ID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("end sessions of %s: %w", userID, err)
	}
	for _, id := range ids {
		if err := coll.Delete(ctx, id, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("end sessions of %s: %w", userID, err)
		}
	}
	return nil
}

// PurgeSessions deletes the tenant's sessions that have expired (absolutely, or idle
// past any doubt) and its expired API tokens; run it from a scheduler. It returns how
// many documents were deleted.
func (s *Service) PurgeSessions(ctx context.Context, tenant string) (int, error) {
	sc, err := s.tenantScope(ctx, tenant)
	if err != nil {
		return 0, err
	}
	now := s.now()
	idleCut := now - s.opts.SessionIdle.Milliseconds() - s.touchEvery()
	n := 0
	for _, q := range []struct {
		coll string
		f    *store.Filter
	}{
		{SessionsCollection, store.Or(store.Lte("expires_ms", now), store.Lt("last_seen_ms", idleCut))},
		{TokensCollection, store.Lte("expires_ms", now)},
	} {
		coll := sc.Collection(q.coll)
		var ids []string
		if err := findAll(ctx, coll, q.f, func(d *store.Doc) error { ids = append(ids, d.ID); return nil }); err != nil {
			return n, fmt.Errorf("purge %s of %s: %w", q.coll, sc.Tenant(), err)
		}
		for _, id := range ids {
			if err := coll.Delete(ctx, id, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				return n, fmt.Errorf("purge %s of %s: %w", q.coll, sc.Tenant(), err)
			}
			n++
		}
	}
	return n, nil
}
