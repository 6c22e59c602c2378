package storetest

import (
	"context"
	"sync/atomic"

	"github.com/credolabs/credo/store"
)

// Counting wraps a backend and counts the reads its collections are asked for, for tests
// that hold an operation to a number of store reads.
type Counting struct {
	store.Backend
	// Finds and Counts count Collection.Find and Collection.Count calls.
	Finds, Counts atomic.Int64
}

// Scope is the wrapped backend's scope, its collections counted.
func (b *Counting) Scope(tenant string) (store.Scope, error) {
	sc, err := b.Backend.Scope(tenant)
	if err != nil {
		return nil, err
	}
	return countingScope{sc, b}, nil
}

type countingScope struct {
	store.Scope
	b *Counting
}

func (s countingScope) Collection(name string) store.Collection {
	return countingCollection{s.Scope.Collection(name), s.b}
}

type countingCollection struct {
	store.Collection
	b *Counting
}

func (c countingCollection) Find(ctx context.Context, q store.Query) (*store.Page, error) {
	c.b.Finds.Add(1)
	return c.Collection.Find(ctx, q)
}

func (c countingCollection) Count(ctx context.Context, f *store.Filter) (int64, error) {
	c.b.Counts.Add(1)
	return c.Collection.Count(ctx, f)
}
