// Package authztest is a table-driven authorizer for the tests of the packages that
// check permissions through form.Authorizer. The real one, on casbin, lives in tenants;
// this one matches objects the same way: a rule on "form:<key>/field:*" covers every
// field, one on a sub-table its columns, and a deny on any of them wins.
package authztest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
)

// Table holds rules "user obj act" that allow and "user obj deny-<act>" that deny.
type Table struct {
	mu     sync.Mutex
	allow  map[string]bool
	scopes map[string][]string
	policy atomic.Uint64
	// Calls counts the Enforce calls, so a test sees what a cache spared.
	Calls atomic.Int64
}

// New returns a Table without rules.
func New() *Table {
	return &Table{allow: map[string]bool{}, scopes: map[string][]string{}}
}

// Grant adds a rule for each act on obj ("deny-read" denies read); it does not change
// the policy version (Changed does).
func (a *Table) Grant(user, obj string, acts ...string) *Table {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, act := range acts {
		a.allow[user+" "+obj+" "+act] = true
	}
	return a
}

// Revoke removes one rule.
func (a *Table) Revoke(user, obj, act string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.allow, user+" "+obj+" "+act)
}

// Scope sets user's row scopes on form.
func (a *Table) Scope(user, form string, exprs ...string) *Table {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scopes[user+" "+form] = exprs
	return a
}

// Changed moves the policy version on, as any change of rules does in tenants.
func (a *Table) Changed() { a.policy.Add(1) }

// Enforce reports whether user may act on obj.
func (a *Table) Enforce(_ context.Context, _, user, obj, act string) (bool, error) {
	a.Calls.Add(1)
	a.mu.Lock()
	defer a.mu.Unlock()
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

// PolicyVersion is the number of Changed calls.
func (a *Table) PolicyVersion(string) uint64 { return a.policy.Load() }

// RowScopes returns user's row scopes on form (nil: not row-restricted).
func (a *Table) RowScopes(_ context.Context, _, user, form string) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.scopes[user+" "+form], nil
}
