package form

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Options.Committed hears of each write that committed, and of nothing else: a refused
// create, and a read, leave it silent.
func TestCommittedAfterEachWrite(t *testing.T) {
	fx := newServiceFixture(t)
	var calls atomic.Int64
	svc := NewService(fx.b, fx.authz, fx.log, Options{Committed: func() { calls.Add(1) }})
	ctx := context.Background()

	bad := loanData()
	bad["amount"] = "a lot"
	_, err := svc.Create(ctx, actor("officer"), "loan_application", bad)
	require.Error(t, err)
	assert.Zero(t, calls.Load(), "a refused create commits nothing")

	rec, err := svc.Create(ctx, actor("officer"), "loan_application", loanData())
	require.NoError(t, err)
	assert.EqualValues(t, 1, calls.Load())

	_, err = svc.Get(ctx, actor("officer"), "loan_application", rec.ID)
	require.NoError(t, err)
	assert.EqualValues(t, 1, calls.Load(), "a read commits nothing")

	updated, err := svc.Update(ctx, actor("officer"), "loan_application", rec.ID, rec.Version, map[string]any{"amount": 12345})
	require.NoError(t, err)
	assert.EqualValues(t, 2, calls.Load())

	require.NoError(t, svc.Delete(ctx, actor("officer"), "loan_application", rec.ID, updated.Version))
	assert.EqualValues(t, 3, calls.Load())
}
