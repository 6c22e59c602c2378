package form

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
)

// tableAuthz is a table-driven Authorizer for tests: rules "user obj act" allow and
// "user obj deny-act" deny; an obj ending in "/field:*" covers every field of its form. The real casbin implementation
// lives in tenants and implements the same interface.
type tableAuthz struct {
	mu      sync.Mutex
	allow   map[string]bool
	scopes  map[string][]string
	policy  atomic.Uint64
	enforce atomic.Int64
}

func newTableAuthz() *tableAuthz {
	return &tableAuthz{allow: map[string]bool{}, scopes: map[string][]string{}}
}

// grant allows user each act on obj; it does not bump the policy version (tests call
// changed when they mean a policy change).
func (a *tableAuthz) grant(user, obj string, acts ...string) *tableAuthz {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, act := range acts {
		a.allow[user+" "+obj+" "+act] = true
	}
	return a
}

func (a *tableAuthz) revoke(user, obj, act string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.allow, user+" "+obj+" "+act)
}

func (a *tableAuthz) scope(user, form string, exprs ...string) *tableAuthz {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scopes[user+" "+form] = exprs
	return a
}

func (a *tableAuthz) changed() { a.policy.Add(1) }

func (a *tableAuthz) Enforce(_ context.Context, _, user, obj, act string) (bool, error) {
	a.enforce.Add(1)
	a.mu.Lock()
	defer a.mu.Unlock()
	// Like the casbin model: a rule on "form:k/field:*" covers every field, one on a
	// sub-table covers its columns, and a deny ("deny-<act>") on any of them wins.
	objs := []string{obj}
	if i := strings.Index(obj, "/field:"); i >= 0 {
		if table, _, ok := strings.Cut(obj[i:], "."); ok {
			objs = append(objs, obj[:i]+table)
		}
		objs = append(objs, obj[:i]+"/field:*")
	}
	allowed := false
	for _, o := range objs {
		if a.allow[user+" "+o+" deny-"+act] {
			return false, nil
		}
		allowed = allowed || a.allow[user+" "+o+" "+act]
	}
	return allowed, nil
}

func (a *tableAuthz) PolicyVersion(string) uint64 { return a.policy.Load() }

func (a *tableAuthz) RowScopes(_ context.Context, _, user, form string) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.scopes[user+" "+form], nil
}

var _ Authorizer = (*tableAuthz)(nil)
