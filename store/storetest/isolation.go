package storetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testIsolation: tenants (and collections) sharing ids and names never see each other.
func testIsolation(t *testing.T, e *env) {
	ctx := context.Background()
	sa, sb := e.scope(t), e.scope(t)
	platform, err := e.backend.Scope(store.PlatformTenant)
	require.NoError(t, err)
	assert.Equal(t, store.PlatformTenant, platform.Tenant())
	assert.NotEqual(t, sa.Tenant(), sb.Tenant())

	// The platform scope is shared by every run, so its ids are unique per run.
	sharedID := "shared-" + tenantName(t)
	a, b, p := sa.Collection("records:loan"), sb.Collection("records:loan"), platform.Collection("records:loan")
	other := sa.Collection("records:lead")
	for _, x := range []struct {
		c     store.Collection
		owner string
	}{{a, "a"}, {b, "b"}, {p, "platform"}, {other, "a-lead"}} {
		require.NoError(t, x.c.Insert(ctx, &store.Doc{ID: sharedID, Data: map[string]any{"owner": x.owner, "amount": 100}}))
	}
	require.NoError(t, a.Insert(ctx, &store.Doc{Data: map[string]any{"owner": "a", "amount": 5}}))

	owner := func(c store.Collection) string {
		t.Helper()
		d, err := c.Get(ctx, sharedID)
		require.NoError(t, err)
		return d.Data["owner"].(string)
	}

	t.Run("get sees only its own tenant and collection", func(t *testing.T) {
		assert.Equal(t, "a", owner(a))
		assert.Equal(t, "b", owner(b))
		assert.Equal(t, "platform", owner(p))
		assert.Equal(t, "a-lead", owner(other))
	})

	t.Run("find count and aggregate never cross", func(t *testing.T) {
		page, err := b.Find(ctx, store.Query{})
		require.NoError(t, err)
		require.Len(t, page.Docs, 1)
		assert.Equal(t, "b", page.Docs[0].Data["owner"])

		n, err := a.Count(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
		n, err = a.Count(ctx, store.Eq("owner", "b"))
		require.NoError(t, err)
		assert.Zero(t, n)

		groups, err := b.Aggregate(ctx, store.Aggregation{Measures: []store.Measure{
			{Name: "n", Op: store.MeasureCount}, {Name: "total", Op: store.MeasureSum, Field: "amount"},
		}})
		require.NoError(t, err)
		require.Len(t, groups, 1)
		assert.Equal(t, map[string]float64{"n": 1, "total": 100}, groups[0].Values)
	})

	t.Run("update and delete touch only their tenant", func(t *testing.T) {
		d, err := a.Get(ctx, sharedID)
		require.NoError(t, err)
		d.Data["owner"] = "a-updated"
		require.NoError(t, a.Update(ctx, d))
		assert.Equal(t, "b", owner(b))
		bd, err := b.Get(ctx, sharedID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), bd.Version)

		require.NoError(t, b.Delete(ctx, sharedID, 0))
		assert.Equal(t, "a-updated", owner(a))
		assert.Equal(t, "platform", owner(p))
		assert.Equal(t, "a-lead", owner(other))
		_, err = b.Get(ctx, sharedID)
		require.ErrorIs(t, err, store.ErrNotFound)
	})

	t.Run("the same id inserts in each tenant but not twice in one", func(t *testing.T) {
		require.ErrorIs(t, a.Insert(ctx, &store.Doc{ID: sharedID}), store.ErrDuplicate)
		require.NoError(t, b.Insert(ctx, &store.Doc{ID: sharedID}), "b deleted its copy")
	})

	t.Run("invalid tenants get no scope", func(t *testing.T) {
		for _, tenant := range []string{"", "ab", "Acme", "acme_bank", "-acme", "acme-", "_other", "platform ", "a/b", "x" + string(make([]byte, 40))} {
			s, err := e.backend.Scope(tenant)
			assert.ErrorIs(t, err, store.ErrInvalid, "tenant %q", tenant)
			assert.Nil(t, s, "tenant %q", tenant)
		}
	})
}
