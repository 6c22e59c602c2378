package tenants

import (
	"context"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// newAdapterEnforcer is a plain casbin enforcer with auto-save over the adapter, as any
// casbin user would set it up.
func newAdapterEnforcer(t *testing.T, sc store.Scope) *casbin.Enforcer {
	t.Helper()
	m, err := newModel()
	require.NoError(t, err)
	e, err := casbin.NewEnforcer(m, NewAdapter(sc))
	require.NoError(t, err)
	e.AddFunction("objMatch", objMatchFunc)
	return e
}

func TestAdapterWithCasbinAutoSave(t *testing.T) {
	t.Parallel()
	b := newTestBackend(t)
	sc, err := b.Scope("acme")
	require.NoError(t, err)

	e := newAdapterEnforcer(t, sc)
	_, err = e.AddPolicies([][]string{
		{"role:clerk", "acme", "form:loan", "read", "allow"},
		{"role:clerk", "acme", "form:loan/*", "read", "allow"},
		{"role:clerk", "acme", "form:loan/field:id_number", "read", "deny"},
		{"role:boss", "acme", "*", "*", "allow"},
	})
	require.NoError(t, err)
	_, err = e.AddGroupingPolicy("user:1", "role:clerk", "acme")
	require.NoError(t, err)
	_, err = e.AddGroupingPolicy("user:2", "role:boss", "acme")
	require.NoError(t, err)

	check := func(t *testing.T, e *casbin.Enforcer, sub, obj, act string, want bool) {
		t.Helper()
		got, err := e.Enforce(sub, "acme", obj, act)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%s %s %s", sub, act, obj)
	}
	t.Run("a second enforcer loads what the first saved", func(t *testing.T) {
		e2 := newAdapterEnforcer(t, sc)
		check(t, e2, "user:1", "form:loan/field:amount", "read", true)
		check(t, e2, "user:1", "form:loan/field:id_number", "read", false)
		check(t, e2, "user:2", "form:loan/field:id_number", "delete", true)
	})
	t.Run("remove and filtered remove persist", func(t *testing.T) {
		_, err := e.RemovePolicy("role:clerk", "acme", "form:loan/field:id_number", "read", "deny")
		require.NoError(t, err)
		_, err = e.RemoveFilteredPolicy(0, "role:boss")
		require.NoError(t, err)
		e2 := newAdapterEnforcer(t, sc)
		check(t, e2, "user:1", "form:loan/field:id_number", "read", true)
		check(t, e2, "user:2", "form:loan", "read", false)
		rules, err := e2.GetPolicy()
		require.NoError(t, err)
		assert.Len(t, rules, 2)
	})
	t.Run("save replaces everything", func(t *testing.T) {
		m, err := newModel()
		require.NoError(t, err)
		fresh, err := casbin.NewEnforcer(m)
		require.NoError(t, err)
		_, err = fresh.AddPolicy("role:only", "acme", "dashboard:cockpit", "read", "allow")
		require.NoError(t, err)
		require.NoError(t, NewAdapter(sc).SavePolicy(fresh.GetModel()))
		e2 := newAdapterEnforcer(t, sc)
		rules, err := e2.GetPolicy()
		require.NoError(t, err)
		assert.Equal(t, [][]string{{"role:only", "acme", "dashboard:cockpit", "read", "allow"}}, rules)
		groups, err := e2.GetGroupingPolicy()
		require.NoError(t, err)
		assert.Empty(t, groups)
	})
	t.Run("adding twice stores once", func(t *testing.T) {
		a := NewAdapter(sc)
		rule := []string{"role:only", "acme", "dashboard:cockpit", "read", "allow"}
		require.NoError(t, a.AddPolicy("p", "p", rule))
		n, err := sc.Collection(PoliciesCollection).Count(context.Background(), nil)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	})
	t.Run("rejects bad shapes", func(t *testing.T) {
		a := NewAdapter(sc)
		require.ErrorIs(t, a.AddPolicy("p", "p", nil), store.ErrInvalid)
		require.ErrorIs(t, a.AddPolicy("p", "p", []string{"a", "acme", "b", "c", "d", "e", "f"}), store.ErrInvalid)
		require.ErrorIs(t, a.RemoveFilteredPolicy("p", "p", 5, "x", "y"), store.ErrInvalid)
		require.ErrorIs(t, a.AddPolicy("p", "p", []string{"role:x", "other", "*", "*", "allow"}), ErrForeignDomain)
	})
	t.Run("another tenant's scope sees nothing", func(t *testing.T) {
		other, err := b.Scope("beta")
		require.NoError(t, err)
		e2 := newAdapterEnforcer(t, other)
		rules, err := e2.GetPolicy()
		require.NoError(t, err)
		assert.Empty(t, rules)
	})
}
