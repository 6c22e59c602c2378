package tenants

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/credolabs/credo/store"
)

// AdminRole is the built-in role of every tenant: every permission, no row scope. It
// cannot be deleted and its permissions cannot be changed.
const AdminRole = "admin"

// Enforce reports whether user (an id) may perform act on obj in tenant. Only the rules
// of that tenant are consulted; a disabled user is denied everything. Answers are cached
// until the tenant's next policy change, so a repeated question costs no casbin evaluation.
func (s *Service) Enforce(ctx context.Context, tenant, user, obj, act string) (bool, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return false, fmt.Errorf("enforce in %s: %w", tenant, err)
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	if user == "" || st.disabled[user] {
		return false, nil
	}
	return st.decide(userSub(user), obj, act)
}

// Check is Enforce that turns a denial into a *ForbiddenError naming what was denied.
func (s *Service) Check(ctx context.Context, tenant, user, obj, act string) error {
	ok, err := s.Enforce(ctx, tenant, user, obj, act)
	if err != nil {
		return err
	}
	if !ok {
		return &ForbiddenError{Tenant: tenant, User: user, Object: obj, Action: act}
	}
	return nil
}

// PolicyVersion is the tenant's policy revision as this process knows it. It grows on
// every change of the tenant's rules, roles, user-role assignments, user attributes or
// disabled flags, so callers key their caches (field masks, compiled row filters) on it.
// It is 0 for a tenant not loaded yet; it never does I/O.
func (s *Service) PolicyVersion(tenant string) uint64 {
	if tenant == "" {
		tenant = store.PlatformTenant
	}
	s.mu.RLock()
	st := s.states[tenant]
	s.mu.RUnlock()
	if st == nil {
		return 0
	}
	return st.rev.Load()
}

// RowScopes returns the row scopes (CEL expressions over `record` and `user`) that limit
// which records of form the user may see; the caller ORs them. Only the user's roles that
// grant read on form:<form> count. The result is nil (unrestricted) when the user has the
// admin role or one of those roles has no scope for the form; it is empty but not nil
// (nothing visible) when no role grants read or the user is disabled.
func (s *Service) RowScopes(ctx context.Context, tenant, user, form string) ([]string, error) {
	st, err := s.state(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("row scopes in %s: %w", tenant, err)
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	scopes := []string{}
	if user == "" || st.disabled[user] {
		return scopes, nil
	}
	roles := rolesOf(st.enf, st.tenant, user)
	if slices.Contains(roles, AdminRole) {
		return nil, nil
	}
	slices.Sort(roles)
	for _, key := range roles {
		ok, err := st.decide(roleSub(key), FormObject(form), ActionRead)
		if err != nil {
			return nil, err
		}
		r := st.roles[key]
		if !ok || r == nil {
			continue
		}
		expr := r.RowScopes[form]
		if expr == "" {
			return nil, nil
		}
		if !slices.Contains(scopes, expr) {
			scopes = append(scopes, expr)
		}
	}
	return scopes, nil
}

// RunPolicySync calls SyncPolicies every interval until ctx ends, logging failures.
func (s *Service) RunPolicySync(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.SyncPolicies(ctx); err != nil {
				s.log.Warn("policy sync failed", "error", err.Error())
			}
		}
	}
}
