package tenants

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// lendingRoles sets up a tenant with the roles of a small lender.
func lendingRoles(t *testing.T, s *Service, tenant string) (officer, auditor, collector, multi *User) {
	t.Helper()
	newRoleWith(t, s, tenant, "loan_officer", nil,
		Permission{Object: "form:loan", Action: ActionCreate},
		Permission{Object: "form:loan", Action: ActionRead},
		Permission{Object: "form:loan", Action: ActionUpdate},
		Permission{Object: "form:loan/*", Action: ActionAll},
		Permission{Object: "form:loan/field:credit_score", Action: ActionUpdate, Effect: EffectDeny},
		Permission{Object: "flow:approval/node:review", Action: ActionApprove},
	)
	newRoleWith(t, s, tenant, "auditor", nil,
		Permission{Object: "form:*", Action: ActionRead},
		Permission{Object: "form:loan/field:id_number", Action: ActionRead, Effect: EffectDeny},
		Permission{Object: "form:loan/field:id_number", Action: ActionReadMasked},
		Permission{Object: "dashboard:cockpit", Action: ActionRead},
	)
	newRoleWith(t, s, tenant, "collector", map[string]string{"loan": "record.collector == user.id"},
		Permission{Object: "form:loan", Action: ActionRead},
		Permission{Object: "form:loan/field:amount", Action: ActionRead},
	)
	newRoleWith(t, s, tenant, "contacts_clerk", nil,
		Permission{Object: "form:loan/field:contacts", Action: ActionAll},
		Permission{Object: "form:loan/field:contacts.phone", Action: ActionRead, Effect: EffectDeny},
		Permission{Object: "form:loan/field:contacts.phone", Action: ActionReadMasked},
		Permission{Object: "form:loan/field:referees.name", Action: ActionRead},
	)
	newRoleWith(t, s, tenant, "blocked_exports", nil,
		Permission{Object: "*", Action: ActionExport, Effect: EffectDeny},
	)
	officer = newUserWith(t, s, tenant, "officer@"+tenant+".example", "loan_officer")
	auditor = newUserWith(t, s, tenant, "auditor@"+tenant+".example", "auditor")
	collector = newUserWith(t, s, tenant, "collector@"+tenant+".example", "collector")
	multi = newUserWith(t, s, tenant, "multi@"+tenant+".example", "auditor", "blocked_exports")
	newUserWith(t, s, tenant, "clerk@"+tenant+".example", "contacts_clerk")
	return officer, auditor, collector, multi
}

func TestEnforceTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	admin := newTenantWithAdmin(t, s, "acme")
	officer, auditor, collector, multi := lendingRoles(t, s, "acme")
	clerk, err := s.UserByEmail(ctx, "acme", "clerk@acme.example")
	require.NoError(t, err)

	cases := []struct {
		name     string
		user     *User
		obj, act string
		want     bool
	}{
		{"admin anything", admin, "form:loan/field:id_number", ActionRead, true},
		{"admin any object kind", admin, "admin:users", ActionManage, true},
		{"officer creates loans", officer, "form:loan", ActionCreate, true},
		{"officer cannot delete loans", officer, "form:loan", ActionDelete, false},
		{"officer field wildcard read", officer, "form:loan/field:amount", ActionRead, true},
		{"officer field wildcard nested", officer, "form:loan/field:contacts.phone", ActionUpdate, true},
		{"officer deny wins over wildcard", officer, "form:loan/field:credit_score", ActionUpdate, false},
		{"officer deny is per action", officer, "form:loan/field:credit_score", ActionRead, true},
		{"form/* does not grant the form itself", officer, "form:loan", ActionExport, false},
		{"officer other form", officer, "form:customer", ActionRead, false},
		{"no prefix confusion", officer, "form:loan_extra", ActionRead, false},
		{"no prefix confusion in fields", officer, "form:loan_extra/field:amount", ActionRead, false},
		{"officer approves review", officer, "flow:approval/node:review", ActionApprove, true},
		{"officer not other node", officer, "flow:approval/node:final", ActionApprove, false},
		{"auditor reads every form", auditor, "form:customer", ActionRead, true},
		{"auditor reads fields through form:*", auditor, "form:customer/field:name", ActionRead, true},
		{"auditor id number denied in full", auditor, "form:loan/field:id_number", ActionRead, false},
		{"auditor id number masked", auditor, "form:loan/field:id_number", ActionReadMasked, true},
		{"auditor cannot update", auditor, "form:loan", ActionUpdate, false},
		{"auditor dashboard", auditor, "dashboard:cockpit", ActionRead, true},
		{"collector single field", collector, "form:loan/field:amount", ActionRead, true},
		{"collector other field", collector, "form:loan/field:id_number", ActionRead, false},
		{"deny from a second role wins", multi, "form:loan", ActionExport, false},
		{"a table's rule covers its columns", clerk, "form:loan/field:contacts.name", ActionUpdate, true},
		{"the table itself", clerk, "form:loan/field:contacts", ActionRead, true},
		{"a column's deny wins over the table's rule", clerk, "form:loan/field:contacts.phone", ActionRead, false},
		{"a column's own allow", clerk, "form:loan/field:contacts.phone", ActionReadMasked, true},
		{"no prefix confusion in columns", clerk, "form:loan/field:contactsx", ActionRead, false},
		{"no prefix confusion in column names", clerk, "form:loan/field:contacts_old.name", ActionRead, false},
		{"a column's rule leaves its table alone", clerk, "form:loan/field:referees", ActionRead, false},
		{"a column's rule leaves its siblings alone", clerk, "form:loan/field:referees.phone", ActionRead, false},
		{"a column's rule covers only itself", clerk, "form:loan/field:referees.name", ActionRead, true},
		{"second role leaves reads", multi, "form:loan", ActionRead, true},
		{"unknown user", &User{ID: "0195f000-0000-7000-8000-000000000000"}, "form:loan", ActionRead, false},
		{"empty user", &User{}, "form:loan", ActionRead, false},
		{"a role key is not a user", &User{ID: "loan_officer"}, "form:loan", ActionRead, false},
		{"a role subject is not a user", &User{ID: "role:loan_officer"}, "form:loan", ActionRead, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // second answer comes from the decision cache
				got, err := s.Enforce(ctx, "acme", tc.user.ID, tc.obj, tc.act)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			}
			err := s.Check(ctx, "acme", tc.user.ID, tc.obj, tc.act)
			if tc.want {
				assert.NoError(t, err)
			} else {
				var fe *ForbiddenError
				require.ErrorAs(t, err, &fe)
				require.ErrorIs(t, err, ErrForbidden)
				assert.Equal(t, ForbiddenError{Tenant: "acme", User: tc.user.ID, Object: tc.obj, Action: tc.act}, *fe)
			}
		})
	}
}

// TestTenantIsolationEnforcement proves that no rule, role or assignment of one tenant
// has any effect in another, even when roles share keys.
func TestTenantIsolationEnforcement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newTestBackend(t)
	s, _ := newTestService(t, b, Options{})
	adminA := newTenantWithAdmin(t, s, "tenant-a")
	adminB := newTenantWithAdmin(t, s, "tenant-b")
	officerA, _, _, _ := lendingRoles(t, s, "tenant-a")
	newRoleWith(t, s, "tenant-b", "loan_officer", nil, Permission{Object: "dashboard:cockpit", Action: ActionRead})
	officerB := newUserWith(t, s, "tenant-b", "officer@tenant-b.example", "loan_officer")

	cases := []struct {
		name, tenant, user, obj, act string
		want                         bool
	}{
		{"A's admin in A", "tenant-a", adminA.ID, "form:loan", ActionDelete, true},
		{"A's admin in B", "tenant-b", adminA.ID, "form:loan", ActionDelete, false},
		{"B's admin in A", "tenant-a", adminB.ID, "*", ActionAll, false},
		{"A's officer in A", "tenant-a", officerA.ID, "form:loan", ActionCreate, true},
		{"A's officer in B", "tenant-b", officerA.ID, "form:loan", ActionCreate, false},
		{"B's same-named role keeps B's rules", "tenant-b", officerB.ID, "form:loan", ActionCreate, false},
		{"B's officer in B", "tenant-b", officerB.ID, "dashboard:cockpit", ActionRead, true},
		{"B's officer in A", "tenant-a", officerB.ID, "dashboard:cockpit", ActionRead, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Enforce(ctx, tc.tenant, tc.user, tc.obj, tc.act)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("row scopes do not cross", func(t *testing.T) {
		scopes, err := s.RowScopes(ctx, "tenant-b", adminA.ID, "loan")
		require.NoError(t, err)
		assert.Equal(t, []string{}, scopes)
	})
	t.Run("a change in A leaves B's version", func(t *testing.T) {
		vb := s.PolicyVersion("tenant-b")
		require.NoError(t, s.SetPermissions(ctx, "tenant-a", "loan_officer", nil))
		assert.Equal(t, vb, s.PolicyVersion("tenant-b"))
	})
	t.Run("adapter refuses another tenant's rules", func(t *testing.T) {
		sc, err := b.Scope("tenant-b")
		require.NoError(t, err)
		a := NewAdapter(sc)
		err = a.AddPolicyCtx(ctx, "p", "p", []string{roleSub("loan_officer"), "tenant-a", "*", "*", EffectAllow})
		require.ErrorIs(t, err, ErrForeignDomain)
		err = a.AddPolicyCtx(ctx, "g", "g", []string{userSub(adminA.ID), roleSub(AdminRole), "tenant-a"})
		require.ErrorIs(t, err, ErrForeignDomain)
	})
	t.Run("a smuggled rule fails the load instead of granting", func(t *testing.T) {
		// Written straight into B's scope, bypassing the adapter's check.
		sc, err := b.Scope("tenant-b")
		require.NoError(t, err)
		data, err := toData(policyDoc{PType: "g", V0: userSub(adminA.ID), V1: roleSub(AdminRole), V2: "tenant-a"})
		require.NoError(t, err)
		require.NoError(t, sc.Collection(PoliciesCollection).Insert(ctx, &store.Doc{ID: "smuggled", Data: data}))
		fresh, _ := newTestService(t, b, Options{})
		_, err = fresh.Enforce(ctx, "tenant-b", adminA.ID, "*", ActionAll)
		require.ErrorIs(t, err, ErrForeignDomain)
		ok, err := fresh.Enforce(ctx, "tenant-a", adminA.ID, "*", ActionAll)
		require.NoError(t, err)
		assert.True(t, ok, "tenant A is unaffected")
	})
}

func TestPolicyVersionBumps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	assert.Zero(t, s.PolicyVersion("acme"), "unknown tenant")
	newTenantWithAdmin(t, s, "acme")
	u := newUserWith(t, s, "acme", "u@acme.example")
	name, yes := "x", true
	roles := []string{"clerk"}
	attrs := map[string]string{"channel": "branch"}

	steps := []struct {
		name   string
		change func() error
	}{
		{"create role", func() error { _, err := s.CreateRole(ctx, "acme", RoleInput{Key: "clerk"}); return err }},
		{"set permissions", func() error {
			return s.SetPermissions(ctx, "acme", "clerk", []Permission{{Object: "form:loan", Action: ActionRead}})
		}},
		{"update role", func() error { _, err := s.UpdateRole(ctx, "acme", "clerk", RoleUpdate{Name: &name}); return err }},
		{"create user", func() error {
			_, err := s.CreateUser(ctx, "acme", UserInput{Email: "v@acme.example", Password: testPassword})
			return err
		}},
		{"assign role", func() error { _, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Roles: &roles}); return err }},
		{"change attributes", func() error { _, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Attrs: &attrs}); return err }},
		{"disable user", func() error { _, err := s.UpdateUser(ctx, "acme", u.ID, UserUpdate{Disabled: &yes}); return err }},
		{"delete role", func() error { return s.DeleteRole(ctx, "acme", "clerk") }},
	}
	prev := s.PolicyVersion("acme")
	require.NotZero(t, prev)
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			require.NoError(t, st.change())
			v := s.PolicyVersion("acme")
			assert.Greater(t, v, prev)
			prev = v
		})
	}
	t.Run("a rejected change does not bump", func(t *testing.T) {
		_, err := s.CreateRole(ctx, "acme", RoleInput{Key: AdminRole})
		require.ErrorIs(t, err, ErrExists)
		assert.Equal(t, prev, s.PolicyVersion("acme"))
		require.Error(t, s.SetPermissions(ctx, "acme", "ghost", nil))
		assert.Equal(t, prev, s.PolicyVersion("acme"))
	})
}

func TestRowScopes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	admin := newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "collector", map[string]string{"loan": "record.collector == user.id"},
		Permission{Object: "form:loan", Action: ActionRead})
	newRoleWith(t, s, "acme", "channel_manager", map[string]string{"loan": "record.channel == user.attrs.channel", "customer": "true"},
		Permission{Object: "form:*", Action: ActionRead})
	newRoleWith(t, s, "acme", "supervisor", nil, Permission{Object: "form:loan", Action: ActionRead})
	newRoleWith(t, s, "acme", "dashboards", nil, Permission{Object: "dashboard:cockpit", Action: ActionRead})
	newRoleWith(t, s, "acme", "no_loans", map[string]string{"loan": "false"},
		Permission{Object: "form:*", Action: ActionRead}, Permission{Object: "form:loan", Action: ActionRead, Effect: EffectDeny})

	collector := newUserWith(t, s, "acme", "c@acme.example", "collector")
	both := newUserWith(t, s, "acme", "cm@acme.example", "collector", "channel_manager")
	supervised := newUserWith(t, s, "acme", "s@acme.example", "collector", "supervisor")
	dash := newUserWith(t, s, "acme", "d@acme.example", "collector", "dashboards")
	nobody := newUserWith(t, s, "acme", "n@acme.example", "dashboards")
	denied := newUserWith(t, s, "acme", "x@acme.example", "no_loans")
	withAdmin := newUserWith(t, s, "acme", "a@acme.example", "collector", AdminRole)

	cases := []struct {
		name string
		user string
		form string
		want []string
	}{
		{"admin unrestricted", admin.ID, "loan", nil},
		{"admin among roles unrestricted", withAdmin.ID, "loan", nil},
		{"single scoped role", collector.ID, "loan", []string{"record.collector == user.id"}},
		{"scopes of two roles to OR", both.ID, "loan", []string{"record.channel == user.attrs.channel", "record.collector == user.id"}},
		{"an unscoped reading role lifts the scope", supervised.ID, "loan", nil},
		{"a role that cannot read the form does not lift it", dash.ID, "loan", []string{"record.collector == user.id"}},
		{"no reading role sees nothing", nobody.ID, "loan", []string{}},
		{"form the scoped role cannot read", collector.ID, "customer", []string{}},
		{"wildcard-reading role scoped on that form", both.ID, "customer", []string{"true"}},
		{"wildcard-reading role without scope for that form", both.ID, "collateral", nil},
		{"a role denied the form does not count", denied.ID, "loan", []string{}},
		{"unknown user sees nothing", "0195f000-0000-7000-8000-000000000000", "loan", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RowScopes(ctx, "acme", tc.user, tc.form)
			require.NoError(t, err)
			if tc.want == nil {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got, "nil would mean unrestricted")
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("disabled user sees nothing", func(t *testing.T) {
		yes := true
		_, err := s.UpdateUser(ctx, "acme", supervised.ID, UserUpdate{Disabled: &yes})
		require.NoError(t, err)
		got, err := s.RowScopes(ctx, "acme", supervised.ID, "loan")
		require.NoError(t, err)
		assert.Equal(t, []string{}, got)
	})
	t.Run("scope change is seen", func(t *testing.T) {
		scopes := map[string]string{"loan": "record.branch == user.attrs.branch"}
		_, err := s.UpdateRole(ctx, "acme", "collector", RoleUpdate{RowScopes: &scopes})
		require.NoError(t, err)
		got, err := s.RowScopes(ctx, "acme", collector.ID, "loan")
		require.NoError(t, err)
		assert.Equal(t, []string{"record.branch == user.attrs.branch"}, got)
	})
}

// TestSyncAcrossServices runs two Services on one store, as two nodes would.
func TestSyncAcrossServices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newTestBackend(t)
	nodeA, _ := newTestService(t, b, Options{})
	nodeB, _ := newTestService(t, b, Options{})
	newTenantWithAdmin(t, nodeA, "acme")
	newRoleWith(t, nodeA, "acme", "clerk", nil, Permission{Object: "form:loan", Action: ActionRead})
	u := newUserWith(t, nodeA, "acme", "u@acme.example", "clerk")

	ok, err := nodeB.Enforce(ctx, "acme", u.ID, "form:loan", ActionRead)
	require.NoError(t, err)
	require.True(t, ok, "B loads the current state on first use")
	require.Equal(t, nodeA.PolicyVersion("acme"), nodeB.PolicyVersion("acme"))

	require.NoError(t, nodeA.SetPermissions(ctx, "acme", "clerk", []Permission{{Object: "form:loan", Action: ActionUpdate}}))

	t.Run("stale until synced", func(t *testing.T) {
		ok, err := nodeB.Enforce(ctx, "acme", u.ID, "form:loan", ActionRead)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Less(t, nodeB.PolicyVersion("acme"), nodeA.PolicyVersion("acme"))
	})
	t.Run("synced", func(t *testing.T) {
		require.NoError(t, nodeB.SyncPolicies(ctx))
		assert.Equal(t, nodeA.PolicyVersion("acme"), nodeB.PolicyVersion("acme"))
		ok, err := nodeB.Enforce(ctx, "acme", u.ID, "form:loan", ActionRead)
		require.NoError(t, err)
		assert.False(t, ok)
		ok, err = nodeB.Enforce(ctx, "acme", u.ID, "form:loan", ActionUpdate)
		require.NoError(t, err)
		assert.True(t, ok)
	})
	t.Run("a write on a stale node reloads instead of diverging", func(t *testing.T) {
		require.NoError(t, nodeA.SetPermissions(ctx, "acme", "clerk", []Permission{{Object: "form:loan", Action: ActionDelete}}))
		_, err := nodeB.CreateRole(ctx, "acme", RoleInput{Key: "viewer"})
		require.NoError(t, err)
		assert.Equal(t, nodeA.PolicyVersion("acme")+1, nodeB.PolicyVersion("acme"))
		ok, err := nodeB.Enforce(ctx, "acme", u.ID, "form:loan", ActionDelete)
		require.NoError(t, err)
		assert.True(t, ok)
		perms, err := nodeB.Permissions(ctx, "acme", "clerk")
		require.NoError(t, err)
		assert.Equal(t, []Permission{{Object: "form:loan", Action: ActionDelete, Effect: EffectAllow}}, perms)
	})
}

func TestDecisionCacheInvalidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{})
	newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "reader", nil, Permission{Object: "form:loan", Action: ActionRead})
	newRoleWith(t, s, "acme", "writer", nil, Permission{Object: "form:loan", Action: ActionUpdate})
	alice := newUserWith(t, s, "acme", "alice@acme.example", "reader")
	bob := newUserWith(t, s, "acme", "bob@acme.example", "reader")

	enforce := func(t *testing.T, u *User, act string) bool {
		t.Helper()
		ok, err := s.Enforce(ctx, "acme", u.ID, "form:loan", act)
		require.NoError(t, err)
		return ok
	}
	cached := func(t *testing.T, u *User, act string) bool {
		t.Helper()
		st, err := s.state(ctx, "acme")
		require.NoError(t, err)
		st.mu.RLock()
		defer st.mu.RUnlock()
		_, ok := st.decisions.get(userSub(u.ID), decisionKey("form:loan", act))
		return ok
	}
	require.True(t, enforce(t, alice, ActionRead))
	require.True(t, enforce(t, bob, ActionRead))
	require.False(t, enforce(t, bob, ActionUpdate))

	t.Run("a role change forgets only that user", func(t *testing.T) {
		roles := []string{"writer"}
		_, err := s.UpdateUser(ctx, "acme", bob.ID, UserUpdate{Roles: &roles})
		require.NoError(t, err)
		assert.True(t, cached(t, alice, ActionRead))
		assert.False(t, cached(t, bob, ActionRead))
		assert.False(t, enforce(t, bob, ActionRead))
		assert.True(t, enforce(t, bob, ActionUpdate))
	})
	t.Run("a new user keeps others' answers", func(t *testing.T) {
		newUserWith(t, s, "acme", "carol@acme.example", "reader")
		assert.True(t, cached(t, alice, ActionRead))
	})
	t.Run("a rule change forgets everything", func(t *testing.T) {
		require.NoError(t, s.SetPermissions(ctx, "acme", "reader", []Permission{{Object: "form:customer", Action: ActionRead}}))
		assert.False(t, cached(t, alice, ActionRead))
		assert.False(t, enforce(t, alice, ActionRead))
	})
}
