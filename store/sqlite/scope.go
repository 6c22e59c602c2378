package sqlite

import (
	"context"
	"fmt"

	"github.com/credolabs/credo/store"
)

// scope is one tenant's handle. It holds no state but the tenant, so it is cheap to
// create and safe for concurrent use.
type scope struct {
	b      *Backend
	tenant string
}

// Tenant is the tenant this scope is bound to.
func (s *scope) Tenant() string { return s.tenant }

// Collection returns the named collection; with an invalid name every method of the
// returned collection fails with store.ErrInvalid.
func (s *scope) Collection(name string) store.Collection {
	c := &collection{b: s.b, tenant: s.tenant, name: name}
	if !store.CollectionName(name) {
		c.err = fmt.Errorf("collection %q: %w", name, store.ErrInvalid)
	}
	return c
}

// WithTx runs fn in a transaction carried by the ctx passed to fn; a nested call joins
// the outer transaction. fn's error is returned as it is, after the rollback.
func (s *scope) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.b.withTx(ctx, fn)
}

var _ store.Scope = (*scope)(nil)
