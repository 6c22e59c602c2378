package mongo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/mongo"
)

// scope is one tenant's view of the backend.
type scope struct {
	b      *Backend
	tenant string
}

// Tenant is the tenant this scope is bound to.
func (s *scope) Tenant() string { return s.tenant }

// Collection returns the named collection; an invalid name makes every call fail with
// store.ErrInvalid.
func (s *scope) Collection(name string) store.Collection {
	kind, _, _ := strings.Cut(name, ":")
	return &collection{b: s.b, tenant: s.tenant, name: name, kind: kind}
}

// WithTx runs fn in a session transaction when the deployment has them (replica set or
// mongos), and without one otherwise, each operation then committing on its own. A
// WithTx inside another joins the outer transaction. The driver retries fn when the
// transaction meets a transient error, so fn must be safe to run again.
func (s *scope) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if !s.b.caps.tx {
		return fn(ctx)
	}
	if sess := mongo.SessionFromContext(ctx); sess != nil {
		return fn(ctx)
	}
	sess, err := s.b.client.StartSession()
	if err != nil {
		return fmt.Errorf("start transaction: %w", err)
	}
	defer sess.EndSession(context.WithoutCancel(ctx))
	_, err = sess.WithTransaction(ctx, func(sc mongo.SessionContext) (any, error) {
		return nil, fn(sc)
	})
	return err
}

// withoutSession hides the caller's session from the driver, for commands that may not
// run inside a transaction (index creation), while keeping its deadline and cancellation.
func withoutSession(ctx context.Context) context.Context { return noSession{ctx} }

type noSession struct{ parent context.Context }

func (n noSession) Deadline() (time.Time, bool) { return n.parent.Deadline() }
func (n noSession) Done() <-chan struct{}       { return n.parent.Done() }
func (n noSession) Err() error                  { return n.parent.Err() }
func (n noSession) Value(key any) any {
	v := n.parent.Value(key)
	if _, ok := v.(mongo.Session); ok {
		return nil
	}
	return v
}

var _ store.Scope = (*scope)(nil)
