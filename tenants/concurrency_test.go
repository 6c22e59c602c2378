package tenants

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentUse runs readers (Enforce, RowScopes, SessionPrincipal, Permissions)
// against writers changing rules and users; run with -race it proves the locking.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, newTestBackend(t), Options{PrincipalCacheTTL: 1})
	newTenantWithAdmin(t, s, "acme")
	newRoleWith(t, s, "acme", "clerk", map[string]string{"loan": "true"}, Permission{Object: "form:loan", Action: ActionRead})
	u := newUserWith(t, s, "acme", "u@acme.example", "clerk")
	sess, err := s.Login(ctx, "acme", "u@acme.example", testPassword, "")
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for r := range 4 {
		wg.Go(func() {
			for i := range 200 {
				obj := fmt.Sprintf("form:loan/field:f%d", (i+r)%7)
				if _, err := s.Enforce(ctx, "acme", u.ID, obj, ActionRead); err != nil {
					errs <- err
					return
				}
				if _, err := s.RowScopes(ctx, "acme", u.ID, "loan"); err != nil {
					errs <- err
					return
				}
				if _, err := s.SessionPrincipal(ctx, sess.Token); err != nil {
					errs <- err
					return
				}
				if _, err := s.Permissions(ctx, "acme", "clerk"); err != nil {
					errs <- err
					return
				}
				_ = s.PolicyVersion("acme")
			}
		})
	}
	wg.Go(func() {
		for i := range 10 {
			perms := []Permission{{Object: "form:loan", Action: ActionRead}, {Object: fmt.Sprintf("form:loan/field:f%d", i%7), Action: ActionRead}}
			if err := s.SetPermissions(ctx, "acme", "clerk", perms); err != nil {
				errs <- err
				return
			}
			if _, err := s.CreateUser(ctx, "acme", UserInput{Email: fmt.Sprintf("w%d@acme.example", i), Password: testPassword, Roles: []string{"clerk"}}); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	ok, err := s.Enforce(ctx, "acme", u.ID, "form:loan/field:f2", ActionRead)
	require.NoError(t, err)
	assert.True(t, ok, "the last SetPermissions granted f%d", 9%7)
	ok, err = s.Enforce(ctx, "acme", u.ID, "form:loan/field:f1", ActionRead)
	require.NoError(t, err)
	assert.False(t, ok)
}
