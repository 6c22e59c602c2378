package tenants

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newTestBackend(t)
	s, clock := newTestService(t, b, Options{})
	newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "integrator", nil, Permission{Object: "form:loan", Action: ActionCreate})
	u := newUserWith(t, s, "acme", "bot@acme.example", "integrator")
	sess, err := s.Login(ctx, "acme", "bot@acme.example", testPassword, "")
	require.NoError(t, err)

	secret, tok, err := s.IssueToken(ctx, sess.Principal, " intake portal ", []string{ScopeRecordsWrite}, 0)
	require.NoError(t, err)

	t.Run("issued", func(t *testing.T) {
		assert.True(t, strings.HasPrefix(secret, "crd_acme."+tok.ID+"."), secret)
		assert.Equal(t, "intake portal", tok.Name)
		assert.Equal(t, u.ID, tok.UserID)
		assert.Equal(t, []string{ScopeRecordsWrite}, tok.Scopes)
		assert.Equal(t, clock.Now().Add(DefaultTokenTTL), tok.ExpiresAt)
	})
	t.Run("only the hash is stored", func(t *testing.T) {
		sc, err := b.Scope("acme")
		require.NoError(t, err)
		d, err := sc.Collection(TokensCollection).Get(ctx, tok.ID)
		require.NoError(t, err)
		_, _, raw, ok := parseCredential(strings.TrimPrefix(secret, tokenPrefix))
		require.True(t, ok)
		for _, v := range flatten(d.Data) {
			assert.NotContains(t, v, raw)
		}
		assert.Equal(t, hashSecret(raw), d.Data["hash"])
	})
	t.Run("verifies", func(t *testing.T) {
		p, err := s.TokenPrincipal(ctx, secret)
		require.NoError(t, err)
		assert.Equal(t, u.ID, p.UserID)
		assert.Equal(t, "acme", p.Tenant)
		assert.Equal(t, tok.ID, p.TokenID)
		assert.Equal(t, []string{"integrator"}, p.Roles)
		assert.Empty(t, p.CSRFToken, "tokens need no CSRF token")
		assert.True(t, p.HasScope(ScopeRecordsWrite))
		assert.True(t, p.HasScope(ScopeRecordsRead), "write covers read")
		assert.False(t, p.HasScope(ScopeDefinitionsWrite))
		assert.False(t, p.HasScope(ScopeAdmin))
	})
	t.Run("a fresh process verifies from the store", func(t *testing.T) {
		other, _ := newTestService(t, b, Options{Clock: clock.Now})
		p, err := other.TokenPrincipal(ctx, secret)
		require.NoError(t, err)
		assert.Equal(t, tok.ID, p.TokenID)
	})
	t.Run("session cookie is not a token and back", func(t *testing.T) {
		_, err := s.TokenPrincipal(ctx, sess.Token)
		require.ErrorIs(t, err, ErrUnauthenticated)
		_, err = s.SessionPrincipal(ctx, secret)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("tampered", func(t *testing.T) {
		for _, bad := range []string{"", "crd_", secret[:len(secret)-1] + "A", strings.Replace(secret, "crd_acme", "crd_beta", 1), strings.TrimPrefix(secret, "crd_")} {
			if bad == secret {
				continue
			}
			_, err := s.TokenPrincipal(ctx, bad)
			require.ErrorIs(t, err, ErrUnauthenticated, "token %q", bad)
		}
	})
	t.Run("list", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, sess.Principal, "second", []string{ScopeReportsRead, ScopeRecordsRead}, time.Hour)
		require.NoError(t, err)
		mine, err := s.ListTokens(ctx, "acme", u.ID)
		require.NoError(t, err)
		require.Len(t, mine, 2)
		assert.Equal(t, []string{"intake portal", "second"}, []string{mine[0].Name, mine[1].Name})
		others, err := s.ListTokens(ctx, "acme", "0195f000-0000-7000-8000-000000000000")
		require.NoError(t, err)
		assert.Empty(t, others)
		got, err := s.GetToken(ctx, "acme", tok.ID)
		require.NoError(t, err)
		assert.Equal(t, tok.Name, got.Name)
		assert.False(t, got.LastUsedAt.IsZero(), "use is recorded")
	})
	t.Run("expiry", func(t *testing.T) {
		short, _, err := s.IssueToken(ctx, sess.Principal, "short", []string{ScopeRecordsRead}, time.Hour)
		require.NoError(t, err)
		_, err = s.TokenPrincipal(ctx, short)
		require.NoError(t, err)
		clock.Advance(time.Hour)
		_, err = s.TokenPrincipal(ctx, short)
		require.ErrorIs(t, err, ErrUnauthenticated)
		n, err := s.PurgeSessions(ctx, "acme")
		require.NoError(t, err)
		assert.Positive(t, n)
		list, err := s.ListTokens(ctx, "acme", u.ID)
		require.NoError(t, err)
		assert.Len(t, list, 1, "the expired hour-long tokens are purged")
	})
	t.Run("disabled user", func(t *testing.T) {
		yes, no := true, false
		_, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Disabled: &yes})
		require.NoError(t, err)
		_, err = s.TokenPrincipal(ctx, secret)
		require.ErrorIs(t, err, ErrUnauthenticated)
		_, err = s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Disabled: &no})
		require.NoError(t, err)
		_, err = s.TokenPrincipal(ctx, secret)
		require.NoError(t, err)
	})
	t.Run("revoke", func(t *testing.T) {
		require.NoError(t, s.RevokeToken(ctx, "acme", tok.ID))
		_, err := s.TokenPrincipal(ctx, secret)
		require.ErrorIs(t, err, ErrUnauthenticated)
		require.ErrorIs(t, s.RevokeToken(ctx, "acme", tok.ID), ErrNotFound)
		_, err = s.GetToken(ctx, "acme", tok.ID)
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestIssueTokenRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	newTenantWithAdmin(t, s, "acme")
	sess, err := s.Login(ctx, "acme", "admin@acme.example", testPassword, "")
	require.NoError(t, err)

	cases := []struct {
		name   string
		tname  string
		scopes []string
		ttl    time.Duration
		want   map[string]string
	}{
		{"nothing", "", nil, 0, map[string]string{"/name": CodeRequired, "/scopes": CodeRequired}},
		{"unknown scope", "x", []string{"records:read", "everything"}, 0, map[string]string{"/scopes/1": CodeInvalidScope}},
		{"duplicate scope", "x", []string{"admin", "admin"}, 0, map[string]string{"/scopes/1": CodeDuplicate}},
		{"negative ttl", "x", []string{"admin"}, -time.Hour, map[string]string{"/ttl": CodeInvalid}},
		{"ttl too long", "x", []string{"admin"}, MaxTokenTTL + time.Hour, map[string]string{"/ttl": CodeInvalid}},
		{"name too long", strings.Repeat("n", 101), []string{"admin"}, 0, map[string]string{"/name": CodeTooLong}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.IssueToken(ctx, sess.Principal, tc.tname, tc.scopes, tc.ttl)
			assert.Equal(t, tc.want, problemCodes(t, err))
		})
	}
	t.Run("tokens cannot issue tokens", func(t *testing.T) {
		secret, _, err := s.IssueToken(ctx, sess.Principal, "ci", []string{ScopeAdmin}, 0)
		require.NoError(t, err)
		p, err := s.TokenPrincipal(ctx, secret)
		require.NoError(t, err)
		assert.True(t, p.HasScope(ScopeDefinitionsWrite), "admin covers every scope")
		_, _, err = s.IssueToken(ctx, p, "more", []string{ScopeAdmin}, 0)
		require.ErrorIs(t, err, ErrForbidden)
	})
	t.Run("no principal", func(t *testing.T) {
		_, _, err := s.IssueToken(ctx, nil, "x", []string{ScopeAdmin}, 0)
		require.ErrorIs(t, err, ErrUnauthenticated)
	})
	t.Run("nothing stored", func(t *testing.T) {
		list, err := s.ListTokens(ctx, "acme", "")
		require.NoError(t, err)
		assert.Len(t, list, 1)
	})
}
