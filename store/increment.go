package store

import (
	"context"
	"fmt"
	"slices"
)

// IncrementAcross applies the increments of several collections of sc in one call, as
// MultiIncrementer documents: with the engine's own IncrementAcross when its scope has
// one, otherwise one Collection.Increment per collection inside sc.WithTx. Either way
// every increment is checked before any is written, so invalid input changes nothing
// even on an engine without transactions. The fallback, failing in the caller's
// transaction, leaves the collections it wrote before the failure to that transaction:
// all or nothing on an engine that aborts a transaction on a failed write, as MongoDB
// does, or when the caller fails its transaction with the error, as it should.
func IncrementAcross(ctx context.Context, sc Scope, batches []CollectionIncrements) error {
	if m, ok := sc.(MultiIncrementer); ok {
		return m.IncrementAcross(ctx, batches)
	}
	if err := ValidateAcross(batches); err != nil {
		return err
	}
	groups := GroupIncrements(batches)
	if len(groups) == 0 {
		return nil
	}
	return sc.WithTx(ctx, func(ctx context.Context) error {
		for _, g := range groups {
			if err := sc.Collection(g.Collection).Increment(ctx, g.Increments); err != nil {
				return err
			}
		}
		return nil
	})
}

// IncrementOnCommit applies the increments of several collections of sc when the
// transaction in ctx commits, as CommitIncrementer documents, with the engine's own
// IncrementOnCommit when its scope has one, otherwise at once with IncrementAcross
// (which the caller's transaction makes all or nothing with the rest of its writes just
// the same, only without the merge).
func IncrementOnCommit(ctx context.Context, sc Scope, batches []CollectionIncrements) error {
	if c, ok := sc.(CommitIncrementer); ok {
		return c.IncrementOnCommit(ctx, batches)
	}
	return IncrementAcross(ctx, sc, batches)
}

// ValidateAcross checks the collection names and increments of an IncrementAcross
// (what every engine checks; an engine adds its own limits on ids and values).
func ValidateAcross(batches []CollectionIncrements) error {
	for _, b := range batches {
		if !CollectionName(b.Collection) {
			return fmt.Errorf("increment in collection %q: %w", b.Collection, ErrInvalid)
		}
		for _, inc := range b.Increments {
			if err := inc.Validate(); err != nil {
				return fmt.Errorf("increment in %s: %w", b.Collection, err)
			}
		}
	}
	return nil
}

// GroupIncrements folds the parts of the same collection into one, in order of first
// appearance, with the increments of each merged (MergeIncrements); collections left
// without increments are dropped.
func GroupIncrements(batches []CollectionIncrements) []CollectionIncrements {
	at := make(map[string]int, len(batches))
	var joined []CollectionIncrements
	for _, b := range batches {
		if len(b.Increments) == 0 {
			continue
		}
		i, ok := at[b.Collection]
		if !ok {
			at[b.Collection] = len(joined)
			joined = append(joined, CollectionIncrements{Collection: b.Collection, Increments: b.Increments})
			continue
		}
		// A new slice: appending to the caller's could write into its backing array.
		joined[i].Increments = slices.Concat(joined[i].Increments, b.Increments)
	}
	for i := range joined {
		joined[i].Increments = MergeIncrements(joined[i].Increments)
	}
	return joined
}
