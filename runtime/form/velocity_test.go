package form

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/storetest"
)

func TestCountsSince(t *testing.T) {
	fx := newServiceFixture(t)
	cb := &storetest.Counting{Backend: fx.b}
	counts := &cb.Counts
	svc := NewService(cb, fx.authz, fx.log, Options{})
	ctx := context.Background()
	create := func(phone, id string) {
		d := loanData()
		d["mobile_phone"], d["id_number"] = phone, id
		_, err := svc.Create(ctx, actor("officer"), "loan_application", d)
		require.NoError(t, err)
	}
	create("13800000001", "110101199003070011")
	create("13800000001", "110101199003070011")
	create("13800000001", "110101199003070029")
	create("13800000002", "110101199003070029")

	now := time.Now()
	hour, later := now.Add(-time.Hour), now.Add(time.Hour)
	qs := []CountQuestion{
		{Form: "loan_application", Field: "mobile_phone", Value: "13800000001", Since: hour},
		{Form: "loan_application", Field: "id_number", Value: "110101199003070029", Since: now.Add(-7 * 24 * time.Hour)},
		{Form: "loan_application", Field: "mobile_phone", Value: "13800000001", Since: hour}, // asked twice
		{Form: "loan_application", Field: "mobile_phone", Value: "13800000001", Since: later},
		{Form: "loan_application", Field: "mobile_phone", Value: "13900000000", Since: hour},
		{Form: "loan_application", Field: "id_number", Value: "13800000001", Since: hour}, // another field's value
	}
	counts.Store(0)
	got, err := svc.CountsSince(ctx, testTenant, qs)
	require.NoError(t, err)
	assert.Equal(t, []int64{3, 2, 3, 0, 0, 0}, got)
	assert.EqualValues(t, 5, counts.Load(), "one count per distinct question")
	for i, q := range qs {
		n, err := svc.CountSince(ctx, testTenant, q.Form, q.Field, q.Value, q.Since)
		require.NoError(t, err)
		assert.Equal(t, n, got[i], "question %d answers as CountSince does", i)
	}

	t.Run("no questions", func(t *testing.T) {
		counts.Store(0)
		got, err := svc.CountsSince(ctx, testTenant, nil)
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Zero(t, counts.Load())
	})

	t.Run("a bad question fails the whole call before the store counts", func(t *testing.T) {
		ok := qs[0]
		cases := []struct {
			name string
			bad  CountQuestion
			is   error
		}{
			{"not a text field", CountQuestion{Form: "loan_application", Field: "amount", Value: "1", Since: hour}, store.ErrInvalid},
			{"no such field", CountQuestion{Form: "loan_application", Field: "device_id", Value: "d-1", Since: hour}, store.ErrInvalid},
			{"no such form", CountQuestion{Form: "customer", Field: "mobile_phone", Value: "1", Since: hour}, ErrFormNotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				counts.Store(0)
				_, err := svc.CountsSince(ctx, testTenant, []CountQuestion{ok, c.bad})
				assert.ErrorIs(t, err, c.is)
				assert.Zero(t, counts.Load())
				_, oneErr := svc.CountSince(ctx, testTenant, c.bad.Form, c.bad.Field, c.bad.Value, c.bad.Since)
				assert.Equal(t, oneErr.Error(), err.Error())
			})
		}
	})

	t.Run("another tenant's forms are not reachable", func(t *testing.T) {
		_, err := svc.CountsSince(ctx, "other-tenant", qs[:1])
		assert.ErrorIs(t, err, ErrFormNotFound)
	})
}
