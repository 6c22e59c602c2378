package tenants

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func TestTenantLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})

	created, err := s.CreateTenant(ctx, TenantInput{Slug: "acme-lending", Name: "Acme Lending",
		Admin: &UserInput{Email: " Boss@Acme.Example ", Name: "Boss", Password: testPassword}})
	require.NoError(t, err)

	t.Run("created active", func(t *testing.T) {
		assert.Equal(t, "acme-lending", created.Slug)
		assert.Equal(t, "Acme Lending", created.Name)
		assert.Equal(t, StatusActive, created.Status)
		assert.False(t, created.CreatedAt.IsZero())
	})
	t.Run("get and list", func(t *testing.T) {
		got, err := s.GetTenant(ctx, "acme-lending")
		require.NoError(t, err)
		assert.Equal(t, created.Name, got.Name)
		_, err = s.CreateTenant(ctx, TenantInput{Slug: "beta", Name: "Beta"})
		require.NoError(t, err)
		list, err := s.ListTenants(ctx)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, []string{"acme-lending", "beta"}, []string{list[0].Slug, list[1].Slug})
	})
	t.Run("admin role and first admin user", func(t *testing.T) {
		roles, err := s.ListRoles(ctx, "acme-lending")
		require.NoError(t, err)
		require.Len(t, roles, 1)
		assert.Equal(t, AdminRole, roles[0].Key)
		assert.True(t, roles[0].BuiltIn)
		perms, err := s.Permissions(ctx, "acme-lending", AdminRole)
		require.NoError(t, err)
		assert.Equal(t, []Permission{{Object: "*", Action: "*", Effect: EffectAllow}}, perms)
		u, err := s.UserByEmail(ctx, "acme-lending", "boss@acme.example")
		require.NoError(t, err)
		assert.Equal(t, []string{AdminRole}, u.Roles)
		ok, err := s.Enforce(ctx, "acme-lending", u.ID, "form:anything/field:x", ActionDelete)
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("tenant without admin has the admin role only", func(t *testing.T) {
		roles, err := s.ListRoles(ctx, "beta")
		require.NoError(t, err)
		require.Len(t, roles, 1)
		users, next, err := s.ListUsers(ctx, "beta", ListOptions{})
		require.NoError(t, err)
		assert.Empty(t, users)
		assert.Empty(t, next)
	})
	t.Run("duplicate slug", func(t *testing.T) {
		_, err := s.CreateTenant(ctx, TenantInput{Slug: "acme-lending", Name: "Again"})
		require.ErrorIs(t, err, ErrExists)
	})
	t.Run("suspend and reactivate", func(t *testing.T) {
		require.NoError(t, s.SetTenantStatus(ctx, "acme-lending", StatusSuspended))
		got, err := s.GetTenant(ctx, "acme-lending")
		require.NoError(t, err)
		assert.Equal(t, StatusSuspended, got.Status)
		require.NoError(t, s.SetTenantStatus(ctx, "acme-lending", StatusActive))
		got, err = s.GetTenant(ctx, "acme-lending")
		require.NoError(t, err)
		assert.Equal(t, StatusActive, got.Status)
	})
	t.Run("bad status", func(t *testing.T) {
		err := s.SetTenantStatus(ctx, "acme-lending", "paused")
		assert.Equal(t, map[string]string{"/status": CodeInvalidStatus}, problemCodes(t, err))
	})
	t.Run("unknown tenant", func(t *testing.T) {
		_, err := s.GetTenant(ctx, "nobody")
		require.ErrorIs(t, err, ErrNotFound)
		require.ErrorIs(t, s.SetTenantStatus(ctx, "nobody", StatusSuspended), ErrNotFound)
		_, err = s.GetTenant(ctx, store.PlatformTenant)
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.Enforce(ctx, "nobody", "u", "*", "read")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.ListRoles(ctx, "nobody")
		require.ErrorIs(t, err, ErrNotFound)
		_, _, err = s.ListUsers(ctx, "nobody", ListOptions{})
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.CreateUser(ctx, "nobody", UserInput{Email: "a@b.example", Password: testPassword})
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetUser(ctx, "Not A Slug", "x")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.ListTokens(ctx, "../etc", "")
		require.ErrorIs(t, err, ErrNotFound)
		assert.Zero(t, s.PolicyVersion("nobody"))
	})
}

func TestCreateTenantRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	cases := []struct {
		name string
		in   TenantInput
		want map[string]string
	}{
		{"empty", TenantInput{}, map[string]string{"/slug": CodeRequired, "/name": CodeRequired}},
		{"platform scope", TenantInput{Slug: store.PlatformTenant, Name: "x"}, map[string]string{"/slug": CodeReserved}},
		{"reserved word", TenantInput{Slug: "admin", Name: "x"}, map[string]string{"/slug": CodeReserved}},
		{"uppercase", TenantInput{Slug: "Acme", Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"too short", TenantInput{Slug: "ab", Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"too long", TenantInput{Slug: strings.Repeat("a", 33), Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"trailing hyphen", TenantInput{Slug: "acme-", Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"starts with digit", TenantInput{Slug: "1acme", Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"dot", TenantInput{Slug: "ac.me", Name: "x"}, map[string]string{"/slug": CodeInvalidSlug}},
		{"control character in name", TenantInput{Slug: "acme", Name: "a\nb"}, map[string]string{"/name": CodeInvalid}},
		{"bad admin", TenantInput{Slug: "acme", Name: "Acme", Admin: &UserInput{Email: "not-an-email", Password: "short"}},
			map[string]string{"/admin/email": CodeInvalidEmail, "/admin/password": CodePasswordTooShort}},
		{"admin with another role", TenantInput{Slug: "acme", Name: "Acme", Admin: &UserInput{Email: "a@acme.example", Password: testPassword, Roles: []string{"clerk"}}},
			map[string]string{"/admin/roles/0": CodeUnknownRole}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateTenant(ctx, tc.in)
			assert.Equal(t, tc.want, problemCodes(t, err))
		})
	}
	t.Run("nothing was created", func(t *testing.T) {
		list, err := s.ListTenants(ctx)
		require.NoError(t, err)
		assert.Empty(t, list)
	})
}

func TestEnsurePlatformAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})

	generated, err := s.EnsurePlatformAdmin(ctx, "ops@credo.example", "")
	require.NoError(t, err)
	require.Len(t, generated, 24)

	t.Run("generated password logs in", func(t *testing.T) {
		sess, err := s.Login(ctx, "", "ops@credo.example", generated, "")
		require.NoError(t, err)
		assert.True(t, sess.Principal.Platform)
		assert.Equal(t, store.PlatformTenant, sess.Principal.Tenant)
		assert.Equal(t, []string{AdminRole}, sess.Principal.Roles)
	})
	t.Run("existing admin untouched", func(t *testing.T) {
		again, err := s.EnsurePlatformAdmin(ctx, "OPS@credo.example", "")
		require.NoError(t, err)
		assert.Empty(t, again)
		_, err = s.Login(ctx, "", "ops@credo.example", generated, "")
		require.NoError(t, err)
		users, _, err := s.ListUsers(ctx, store.PlatformTenant, ListOptions{})
		require.NoError(t, err)
		assert.Len(t, users, 1)
	})
	t.Run("given password replaces", func(t *testing.T) {
		again, err := s.EnsurePlatformAdmin(ctx, "ops@credo.example", "a new long password")
		require.NoError(t, err)
		assert.Empty(t, again)
		_, err = s.Login(ctx, "", "ops@credo.example", generated, "")
		require.ErrorIs(t, err, ErrInvalidCredentials)
		_, err = s.Login(ctx, "", "ops@credo.example", "a new long password", "")
		require.NoError(t, err)
	})
	t.Run("platform admin is not a tenant member", func(t *testing.T) {
		newTenantWithAdmin(t, s, "acme")
		_, err := s.Login(ctx, "acme", "ops@credo.example", "a new long password", "")
		require.ErrorIs(t, err, ErrInvalidCredentials)
	})
	t.Run("bad input", func(t *testing.T) {
		_, err := s.EnsurePlatformAdmin(ctx, "nope", "short")
		assert.Equal(t, map[string]string{"/email": CodeInvalidEmail, "/password": CodePasswordTooShort}, problemCodes(t, err))
	})
}
