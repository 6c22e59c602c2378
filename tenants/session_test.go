package tenants

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{LoginLimit: 100, LoginClientLimit: 100})
	admin := newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "clerk", nil, Permission{Object: "form:loan", Action: ActionRead})
	attrs := map[string]string{"channel": "online"}
	u, err := s.CreateUser(ctx, "acme", UserInput{Email: "jane@acme.example", Name: "Jane", Password: testPassword,
		Roles: []string{"clerk"}, Attrs: attrs, Manager: admin.ID})
	require.NoError(t, err)
	disabled := newUserWith(t, s, "acme", "gone@acme.example")
	yes := true
	_, err = s.UpdateUser(ctx, "acme", disabled.ID, UserUpdate{Disabled: &yes})
	require.NoError(t, err)
	newTenantWithAdmin(t, s, "frozen")
	require.NoError(t, s.SetTenantStatus(ctx, "frozen", StatusSuspended))

	t.Run("success", func(t *testing.T) {
		sess, err := s.Login(ctx, "acme", " JANE@acme.example", testPassword, "10.0.0.1")
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(sess.Token, "acme."+sess.ID+"."), sess.Token)
		assert.NotEmpty(t, sess.CSRFToken)
		assert.NotContains(t, sess.Token, sess.CSRFToken)
		p := sess.Principal
		assert.Equal(t, Principal{Tenant: "acme", UserID: u.ID, Email: "jane@acme.example", Name: "Jane",
			Roles: []string{"clerk"}, Attrs: attrs, Manager: admin.ID, SessionID: sess.ID,
			CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt}, *p)
		got, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		assert.Equal(t, *p, *got)
	})
	failures := []struct {
		name, tenant, email, password string
	}{
		{"wrong password", "acme", "jane@acme.example", testPassword + "x"},
		{"unknown user", "acme", "nobody@acme.example", testPassword},
		{"unknown tenant", "nowhere", "jane@acme.example", testPassword},
		{"invalid tenant slug", "NOT A SLUG", "jane@acme.example", testPassword},
		{"user of another tenant", "frozen", "jane@acme.example", testPassword},
		{"disabled user", "acme", "gone@acme.example", testPassword},
		{"suspended tenant", "frozen", "admin@frozen.example", testPassword},
		{"tenant user at platform", "", "jane@acme.example", testPassword},
		{"empty password", "acme", "jane@acme.example", ""},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			sess, err := s.Login(ctx, tc.tenant, tc.email, tc.password, "10.0.0.2")
			require.ErrorIs(t, err, ErrInvalidCredentials)
			assert.Nil(t, sess)
			assert.Equal(t, ErrInvalidCredentials.Error(), err.Error(), "no detail that tells the causes apart")
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clock := newTestService(t, newTestBackend(t), Options{LoginLimit: 3, LoginClientLimit: 5, LoginWindow: 10 * time.Minute})
	newTenantWithAdmin(t, s, "acme")
	newUserWith(t, s, "acme", "jane@acme.example")
	newUserWith(t, s, "acme", "john@acme.example")

	fail := func(email, client string) error {
		_, err := s.Login(ctx, "acme", email, "wrong password!", client)
		return err
	}
	t.Run("account limit", func(t *testing.T) {
		for range 3 {
			require.ErrorIs(t, fail("jane@acme.example", "10.0.0.1"), ErrInvalidCredentials)
		}
		_, err := s.Login(ctx, "acme", "JANE@acme.example", testPassword, "10.0.0.9")
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl, "even the right password is refused, from any address")
		require.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, 10*time.Minute, rl.RetryAfter)
		_, err = s.Login(ctx, "acme", "john@acme.example", testPassword, "10.0.0.9")
		require.NoError(t, err, "other accounts are not affected")
	})
	t.Run("window slides", func(t *testing.T) {
		clock.Advance(4 * time.Minute)
		_, err := s.Login(ctx, "acme", "jane@acme.example", testPassword, "10.0.0.9")
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, 6*time.Minute, rl.RetryAfter)
		clock.Advance(6*time.Minute + time.Millisecond)
		_, err = s.Login(ctx, "acme", "jane@acme.example", testPassword, "10.0.0.9")
		require.NoError(t, err)
	})
	t.Run("success resets the account", func(t *testing.T) {
		for range 2 {
			require.ErrorIs(t, fail("jane@acme.example", "10.0.0.3"), ErrInvalidCredentials)
		}
		_, err := s.Login(ctx, "acme", "jane@acme.example", testPassword, "10.0.0.3")
		require.NoError(t, err)
		for range 2 {
			require.ErrorIs(t, fail("jane@acme.example", "10.0.0.4"), ErrInvalidCredentials)
		}
		_, err = s.Login(ctx, "acme", "jane@acme.example", testPassword, "10.0.0.4")
		require.NoError(t, err)
	})
	t.Run("client limit across accounts", func(t *testing.T) {
		clock.Advance(time.Hour)
		for i := range 5 {
			email := []string{"a", "b", "c", "d", "e"}[i] + "@acme.example"
			require.ErrorIs(t, fail(email, "192.0.2.7"), ErrInvalidCredentials)
		}
		_, err := s.Login(ctx, "acme", "john@acme.example", testPassword, "192.0.2.7")
		require.ErrorIs(t, err, ErrRateLimited)
		_, err = s.Login(ctx, "acme", "john@acme.example", testPassword, "192.0.2.8")
		require.NoError(t, err)
	})
	t.Run("unknown accounts count too", func(t *testing.T) {
		clock.Advance(time.Hour)
		for range 3 {
			require.ErrorIs(t, fail("ghost@acme.example", ""), ErrInvalidCredentials)
		}
		require.ErrorIs(t, fail("ghost@acme.example", ""), ErrRateLimited)
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clock := newTestService(t, newTestBackend(t), Options{SessionTTL: 8 * time.Hour, SessionIdle: 20 * time.Minute, PrincipalCacheTTL: 30 * time.Second})
	newTenantWithAdmin(t, s, "acme")
	newUserWith(t, s, "acme", "jane@acme.example")
	login := func(t *testing.T) *Session {
		sess, err := s.Login(ctx, "acme", "jane@acme.example", testPassword, "")
		require.NoError(t, err)
		return sess
	}

	t.Run("activity keeps a session alive until its absolute end", func(t *testing.T) {
		sess := login(t)
		for elapsed := time.Duration(0); elapsed < 8*time.Hour-15*time.Minute; elapsed += 15 * time.Minute {
			clock.Advance(15 * time.Minute)
			_, err := s.SessionPrincipal(ctx, sess.Token)
			require.NoError(t, err, "after %s", elapsed+15*time.Minute)
		}
		clock.Advance(15 * time.Minute)
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("idle ends a session within the cache ttl", func(t *testing.T) {
		sess := login(t)
		clock.Advance(19 * time.Minute)
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		clock.Advance(20*time.Minute + time.Millisecond)
		_, err = s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("idle is judged from the store for a process that never saw the session", func(t *testing.T) {
		sess := login(t)
		other, _ := newTestService(t, s.b, Options{Clock: clock.Now, SessionIdle: 20 * time.Minute})
		clock.Advance(10 * time.Minute)
		_, err := other.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		clock.Advance(21 * time.Minute)
		fresh, _ := newTestService(t, s.b, Options{Clock: clock.Now, SessionIdle: 20 * time.Minute})
		_, err = fresh.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("logout", func(t *testing.T) {
		sess := login(t)
		require.NoError(t, s.Logout(ctx, sess.Token))
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
		require.NoError(t, s.Logout(ctx, sess.Token), "logging out twice is fine")
		require.NoError(t, s.Logout(ctx, "garbage"))
	})
	t.Run("logout needs the secret, not only the id", func(t *testing.T) {
		sess := login(t)
		forged := "acme." + sess.ID + "." + strings.Repeat("A", secretLength)
		require.NoError(t, s.Logout(ctx, forged))
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
	})
	t.Run("tampered cookies", func(t *testing.T) {
		sess := login(t)
		tenant, id, secret, ok := parseCredential(sess.Token)
		require.True(t, ok)
		flipped := []byte(secret)
		flipped[0] ^= 1
		if flipped[0] == '.' {
			flipped[0] = 'Q'
		}
		bad := []string{
			"", "acme", "acme.x.y", tenant + "." + id + "." + string(flipped),
			"beta." + id + "." + secret, "../etc." + id + "." + secret,
			tenant + "." + id + "." + secret + "x", sess.ID,
		}
		for _, c := range bad {
			_, err := s.SessionPrincipal(ctx, c)
			require.ErrorIs(t, err, ErrUnauthenticated, "cookie %q", c)
		}
	})
	t.Run("password change ends sessions", func(t *testing.T) {
		sess := login(t)
		u, err := s.UserByEmail(ctx, "acme", "jane@acme.example")
		require.NoError(t, err)
		pw := testPassword // same value still counts as a change
		_, err = s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Password: &pw})
		require.NoError(t, err)
		_, err = s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("disabling ends sessions", func(t *testing.T) {
		sess := login(t)
		yes := true
		_, err := s.UpdateUser(ctx, "acme", sess.UserID, UserUpdate{Disabled: &yes})
		require.NoError(t, err)
		_, err = s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
		no := false
		_, err = s.UpdateUser(ctx, "acme", sess.UserID, UserUpdate{Disabled: &no})
		require.NoError(t, err)
	})
	t.Run("role change refreshes the principal", func(t *testing.T) {
		sess := login(t)
		_, err := s.CreateRole(ctx, "acme", RoleInput{Key: "clerk"})
		require.NoError(t, err)
		roles := []string{"clerk"}
		_, err = s.UpdateUser(ctx, "acme", sess.UserID, UserUpdate{Roles: &roles})
		require.NoError(t, err)
		p, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		assert.Equal(t, []string{"clerk"}, p.Roles)
	})
	t.Run("suspension ends sessions", func(t *testing.T) {
		sess := login(t)
		require.NoError(t, s.SetTenantStatus(ctx, "acme", StatusSuspended))
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrTenantSuspended)
		require.ErrorIs(t, err, ErrUnauthenticated)
		require.NoError(t, s.SetTenantStatus(ctx, "acme", StatusActive))
		_, err = s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
	})
	t.Run("purge removes expired sessions", func(t *testing.T) {
		login(t)
		clock.Advance(9 * time.Hour)
		live := login(t)
		n, err := s.PurgeSessions(ctx, "acme")
		require.NoError(t, err)
		assert.Positive(t, n)
		sc, err := s.b.Scope("acme")
		require.NoError(t, err)
		count, err := sc.Collection(SessionsCollection).Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), count)
		_, err = s.SessionPrincipal(ctx, live.Token)
		require.NoError(t, err)
	})
}

func TestSessionPrincipalIsCached(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cb := &countingBackend{Backend: newTestBackend(t)}
	s, clock := newTestService(t, cb, Options{PrincipalCacheTTL: 10 * time.Second})
	newTenantWithAdmin(t, s, "acme")
	sess, err := s.Login(ctx, "acme", "admin@acme.example", testPassword, "")
	require.NoError(t, err)

	t.Run("no store read while cached", func(t *testing.T) {
		before := cb.reads.Load()
		for range 50 {
			_, err := s.SessionPrincipal(ctx, sess.Token)
			require.NoError(t, err)
		}
		assert.Equal(t, before, cb.reads.Load())
	})
	t.Run("read again after the cache ttl", func(t *testing.T) {
		clock.Advance(11 * time.Second)
		before := cb.reads.Load()
		_, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		assert.Greater(t, cb.reads.Load(), before)
	})
	t.Run("callers cannot corrupt the cache", func(t *testing.T) {
		p, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		p.UserID, p.Tenant = "someone-else", "beta"
		again, err := s.SessionPrincipal(ctx, sess.Token)
		require.NoError(t, err)
		assert.Equal(t, "acme", again.Tenant)
		assert.Equal(t, sess.UserID, again.UserID)
	})
}

func TestSessionStoresOnlyAHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newTestBackend(t)
	s, _ := newTestService(t, b, Options{})
	newTenantWithAdmin(t, s, "acme")
	sess, err := s.Login(ctx, "acme", "admin@acme.example", testPassword, "10.1.1.1")
	require.NoError(t, err)
	_, _, secret, ok := parseCredential(sess.Token)
	require.True(t, ok)

	sc, err := b.Scope("acme")
	require.NoError(t, err)
	d, err := sc.Collection(SessionsCollection).Get(ctx, sess.ID)
	require.NoError(t, err)
	raw := strings.Join(flatten(d.Data), " ")
	assert.NotContains(t, raw, secret)
	assert.NotContains(t, raw, sess.CSRFToken)
	assert.Equal(t, hashSecret(secret), d.Data["hash"])
	assert.Equal(t, "10.1.1.1", d.Data["client"])
}

// flatten lists every string value of a document body.
func flatten(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return nil
}
