package tenants

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	admin := newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "clerk", nil, Permission{Object: "form:loan", Action: ActionRead})

	u, err := s.CreateUser(ctx, "acme", UserInput{Email: "Jane@Acme.Example", Name: " Jane ", Password: testPassword,
		Roles: []string{"clerk"}, Attrs: map[string]string{"channel": "online"}, Manager: admin.ID})
	require.NoError(t, err)

	t.Run("stored normalized", func(t *testing.T) {
		got, err := s.GetUser(ctx, "acme", u.ID)
		require.NoError(t, err)
		assert.Equal(t, "jane@acme.example", got.Email)
		assert.Equal(t, "Jane", got.Name)
		assert.Equal(t, []string{"clerk"}, got.Roles)
		assert.Equal(t, map[string]string{"channel": "online"}, got.Attrs)
		assert.Equal(t, admin.ID, got.Manager)
		assert.False(t, got.Disabled)
		assert.Equal(t, "acme", got.Tenant)
	})
	t.Run("email unique regardless of case", func(t *testing.T) {
		_, err := s.CreateUser(ctx, "acme", UserInput{Email: "JANE@acme.example", Password: testPassword})
		require.ErrorIs(t, err, ErrExists)
	})
	t.Run("same email in another tenant is another user", func(t *testing.T) {
		newTenantWithAdmin(t, s, "beta")
		other, err := s.CreateUser(ctx, "beta", UserInput{Email: "jane@acme.example", Password: testPassword})
		require.NoError(t, err)
		assert.NotEqual(t, u.ID, other.ID)
		_, err = s.GetUser(ctx, "beta", u.ID)
		require.ErrorIs(t, err, ErrNotFound)
	})
	rejects := []struct {
		name string
		in   UserInput
		want map[string]string
	}{
		{"empty", UserInput{}, map[string]string{"/email": CodeRequired, "/password": CodeRequired}},
		{"display name in email", UserInput{Email: "Jane <j@acme.example>", Password: testPassword}, map[string]string{"/email": CodeInvalidEmail}},
		{"no domain dot", UserInput{Email: "j@localhost", Password: testPassword}, map[string]string{"/email": CodeInvalidEmail}},
		{"short password", UserInput{Email: "k@acme.example", Password: "123456789"}, map[string]string{"/password": CodePasswordTooShort}},
		{"bad role key", UserInput{Email: "k@acme.example", Password: testPassword, Roles: []string{"Clerk"}}, map[string]string{"/roles/0": CodeInvalidKey}},
		{"duplicate role", UserInput{Email: "k@acme.example", Password: testPassword, Roles: []string{"clerk", "clerk"}}, map[string]string{"/roles/1": CodeDuplicate}},
		{"unknown role", UserInput{Email: "k@acme.example", Password: testPassword, Roles: []string{"clerk", "ghost"}}, map[string]string{"/roles/1": CodeUnknownRole}},
		{"bad attribute", UserInput{Email: "k@acme.example", Password: testPassword, Attrs: map[string]string{"Channel": "x"}}, map[string]string{"/attrs/Channel": CodeInvalidKey}},
		{"unknown manager", UserInput{Email: "k@acme.example", Password: testPassword, Manager: "0195f000-0000-7000-8000-000000000000"}, map[string]string{"/manager": CodeUnknownUser}},
	}
	for _, tc := range rejects {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, "acme", tc.in)
			assert.Equal(t, tc.want, problemCodes(t, err))
		})
	}
	t.Run("rejected input created nothing", func(t *testing.T) {
		users, _, err := s.ListUsers(ctx, "acme", ListOptions{})
		require.NoError(t, err)
		assert.Len(t, users, 2)
	})
}

func TestListUsersPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	newTenantWithAdmin(t, s, "acme")
	for i := range 4 {
		newUserWith(t, s, "acme", fmt.Sprintf("u%d@acme.example", i))
	}
	var emails []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "paging does not end")
		users, next, err := s.ListUsers(ctx, "acme", ListOptions{Limit: 2, Cursor: cursor})
		require.NoError(t, err)
		for _, u := range users {
			emails = append(emails, u.Email)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, []string{"admin@acme.example", "u0@acme.example", "u1@acme.example", "u2@acme.example", "u3@acme.example"}, emails)
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "clerk", nil, Permission{Object: "form:loan", Action: ActionRead})
	newRoleWith(t, s, "acme", "approver", nil, Permission{Object: "flow:loan/*", Action: ActionApprove})
	u := newUserWith(t, s, "acme", "jane@acme.example", "clerk")
	newUserWith(t, s, "acme", "john@acme.example")

	ptr := func(v string) *string { return &v }
	t.Run("roles replace and take effect", func(t *testing.T) {
		roles := []string{"approver"}
		got, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Roles: &roles})
		require.NoError(t, err)
		assert.Equal(t, []string{"approver"}, got.Roles)
		ok, err := s.Enforce(ctx, "acme", u.ID, "form:loan", ActionRead)
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = s.Enforce(ctx, "acme", u.ID, "flow:loan/node:review", ActionApprove)
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("name attrs email", func(t *testing.T) {
		attrs := map[string]string{"branch": "north"}
		got, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Name: ptr("Jane Doe"), Attrs: &attrs, Email: ptr("JD@acme.example")})
		require.NoError(t, err)
		assert.Equal(t, "Jane Doe", got.Name)
		assert.Equal(t, "jd@acme.example", got.Email)
		assert.Equal(t, attrs, got.Attrs)
		assert.Equal(t, []string{"approver"}, got.Roles, "roles kept")
	})
	t.Run("email taken", func(t *testing.T) {
		_, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Email: ptr("john@acme.example")})
		require.ErrorIs(t, err, ErrExists)
	})
	t.Run("own manager", func(t *testing.T) {
		_, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Manager: ptr(u.ID)})
		assert.Equal(t, map[string]string{"/manager": CodeInvalid}, problemCodes(t, err))
	})
	t.Run("unknown role changes nothing", func(t *testing.T) {
		roles := []string{"ghost"}
		_, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Roles: &roles, Name: ptr("Changed")})
		assert.Equal(t, map[string]string{"/roles/0": CodeUnknownRole}, problemCodes(t, err))
		got, err := s.GetUser(ctx, "acme", u.ID)
		require.NoError(t, err)
		assert.Equal(t, "Jane Doe", got.Name)
		assert.Equal(t, []string{"approver"}, got.Roles)
	})
	t.Run("short password", func(t *testing.T) {
		_, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Password: ptr("short")})
		assert.Equal(t, map[string]string{"/password": CodePasswordTooShort}, problemCodes(t, err))
	})
	t.Run("unknown user", func(t *testing.T) {
		_, err := s.UpdateUser(ctx, "acme", "0195f000-0000-7000-8000-000000000000", UserUpdate{Name: ptr("x")})
		require.ErrorIs(t, err, ErrNotFound)
	})
	t.Run("disabled user is denied everything", func(t *testing.T) {
		yes := true
		got, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Disabled: &yes})
		require.NoError(t, err)
		assert.True(t, got.Disabled)
		ok, err := s.Enforce(ctx, "acme", u.ID, "flow:loan/node:review", ActionApprove)
		require.NoError(t, err)
		assert.False(t, ok)
		no := false
		_, err = s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Disabled: &no})
		require.NoError(t, err)
		ok, err = s.Enforce(ctx, "acme", u.ID, "flow:loan/node:review", ActionApprove)
		require.NoError(t, err)
		assert.True(t, ok)
	})
}

func TestRoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	newTenantWithAdmin(t, s, "acme")

	r, err := s.CreateRole(ctx, "acme", RoleInput{Key: "collector", Name: "Collector",
		RowScopes: map[string]string{"loan": "record.collector == user.id"}})
	require.NoError(t, err)
	assert.Equal(t, "Collector", r.Name)

	t.Run("get and list", func(t *testing.T) {
		got, err := s.GetRole(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"loan": "record.collector == user.id"}, got.RowScopes)
		assert.False(t, got.BuiltIn)
		roles, err := s.ListRoles(ctx, "acme")
		require.NoError(t, err)
		require.Len(t, roles, 2)
		assert.Equal(t, []string{"admin", "collector"}, []string{roles[0].Key, roles[1].Key})
	})
	t.Run("name defaults to key", func(t *testing.T) {
		got, err := s.CreateRole(ctx, "acme", RoleInput{Key: "viewer"})
		require.NoError(t, err)
		assert.Equal(t, "viewer", got.Name)
	})
	t.Run("duplicate", func(t *testing.T) {
		_, err := s.CreateRole(ctx, "acme", RoleInput{Key: "collector"})
		require.ErrorIs(t, err, ErrExists)
		_, err = s.CreateRole(ctx, "acme", RoleInput{Key: AdminRole})
		require.ErrorIs(t, err, ErrExists)
	})
	rejects := []struct {
		name string
		in   RoleInput
		want map[string]string
	}{
		{"no key", RoleInput{}, map[string]string{"/key": CodeRequired}},
		{"bad key", RoleInput{Key: "Loan-Officer"}, map[string]string{"/key": CodeInvalidKey}},
		{"bad scope form", RoleInput{Key: "x", RowScopes: map[string]string{"Loan": "true"}}, map[string]string{"/row_scopes/Loan": CodeInvalidKey}},
		{"empty scope", RoleInput{Key: "x", RowScopes: map[string]string{"loan": " "}}, map[string]string{"/row_scopes/loan": CodeRequired}},
	}
	for _, tc := range rejects {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			_, err := s.CreateRole(ctx, "acme", tc.in)
			assert.Equal(t, tc.want, problemCodes(t, err))
		})
	}
	t.Run("update", func(t *testing.T) {
		name := "Field collector"
		scopes := map[string]string{"loan": "record.region == user.attrs.region"}
		got, err := s.UpdateRole(ctx, "acme", "collector", RoleUpdate{Name: &name, RowScopes: &scopes})
		require.NoError(t, err)
		assert.Equal(t, name, got.Name)
		again, err := s.GetRole(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Equal(t, scopes, again.RowScopes)
	})
	t.Run("admin cannot be restricted, changed or deleted", func(t *testing.T) {
		scopes := map[string]string{"loan": "false"}
		_, err := s.UpdateRole(ctx, "acme", AdminRole, RoleUpdate{RowScopes: &scopes})
		assert.Equal(t, map[string]string{"/row_scopes": CodeReadOnly}, problemCodes(t, err))
		err = s.SetPermissions(ctx, "acme", AdminRole, nil)
		assert.Equal(t, map[string]string{"": CodeReadOnly}, problemCodes(t, err))
		assert.Equal(t, map[string]string{"": CodeReadOnly}, problemCodes(t, s.DeleteRole(ctx, "acme", AdminRole)))
	})
	t.Run("permissions round trip sorted", func(t *testing.T) {
		perms := []Permission{
			{Object: "form:loan/field:id_number", Action: ActionRead, Effect: EffectDeny},
			{Object: "form:loan", Action: ActionRead},
			{Object: "form:loan/*", Action: ActionRead},
		}
		require.NoError(t, s.SetPermissions(ctx, "acme", "collector", perms))
		got, err := s.Permissions(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Equal(t, []Permission{
			{Object: "form:loan", Action: ActionRead, Effect: EffectAllow},
			{Object: "form:loan/*", Action: ActionRead, Effect: EffectAllow},
			{Object: "form:loan/field:id_number", Action: ActionRead, Effect: EffectDeny},
		}, got)
	})
	t.Run("set replaces", func(t *testing.T) {
		require.NoError(t, s.SetPermissions(ctx, "acme", "collector", []Permission{{Object: "dashboard:cockpit", Action: ActionRead}}))
		got, err := s.Permissions(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Equal(t, []Permission{{Object: "dashboard:cockpit", Action: ActionRead, Effect: EffectAllow}}, got)
	})
	t.Run("bad permissions change nothing", func(t *testing.T) {
		err := s.SetPermissions(ctx, "acme", "collector", []Permission{{Object: "form:loan", Action: "read"}, {Object: "form:loan", Action: "fly"}})
		assert.Equal(t, map[string]string{"/permissions/1/action": CodeInvalidAction}, problemCodes(t, err))
		got, err := s.Permissions(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Len(t, got, 1)
	})
	t.Run("unknown role", func(t *testing.T) {
		require.ErrorIs(t, s.SetPermissions(ctx, "acme", "ghost", nil), ErrNotFound)
		_, err := s.Permissions(ctx, "acme", "ghost")
		require.ErrorIs(t, err, ErrNotFound)
		_, err = s.GetRole(ctx, "acme", "ghost")
		require.ErrorIs(t, err, ErrNotFound)
		require.ErrorIs(t, s.DeleteRole(ctx, "acme", "ghost"), ErrNotFound)
	})
	t.Run("delete removes permissions and assignments", func(t *testing.T) {
		u := newUserWith(t, s, "acme", "c@acme.example", "collector")
		ok, err := s.Enforce(ctx, "acme", u.ID, "dashboard:cockpit", ActionRead)
		require.NoError(t, err)
		require.True(t, ok)
		require.NoError(t, s.DeleteRole(ctx, "acme", "collector"))
		ok, err = s.Enforce(ctx, "acme", u.ID, "dashboard:cockpit", ActionRead)
		require.NoError(t, err)
		assert.False(t, ok)
		got, err := s.GetUser(ctx, "acme", u.ID)
		require.NoError(t, err)
		assert.Empty(t, got.Roles)
		// A role created again with the same key starts empty.
		_, err = s.CreateRole(ctx, "acme", RoleInput{Key: "collector"})
		require.NoError(t, err)
		perms, err := s.Permissions(ctx, "acme", "collector")
		require.NoError(t, err)
		assert.Empty(t, perms)
	})
}
