package mongo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Increment applies counter updates. Where the deployment has transactions, each is one
// upsert, {$setOnInsert: Set, $inc: Add}, which MongoDB applies atomically, and the batch
// runs as one bulk write in the caller's transaction or one of its own. Without them (a
// standalone server, FerretDB, which may apply an update as a read then a write) each
// document's $inc is guarded by its version and a version claim, as Update is, and
// retried when another writer moved the document first. Unique indexes see the values
// a document is created with.
//
// The scope implements no store.MultiIncrementer: store.IncrementAcross runs one
// Increment, one bulk write, per collection in one WithTx, as an IncrementAcross of
// its own would. With transactions a failed write aborts the transaction, so the call
// is all or nothing there too.
func (c *collection) Increment(ctx context.Context, incs []store.Increment) error {
	mc, err := c.open(ctx)
	if err != nil {
		return fmt.Errorf("increment in %s: %w", c.name, err)
	}
	for _, inc := range incs {
		if err := inc.Validate(); err != nil {
			return fmt.Errorf("increment in %s: %w", c.name, err)
		}
		if _, err := dataToBSON(inc.Set); err != nil {
			return fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
		}
	}
	merged := store.MergeIncrements(incs)
	if len(merged) == 0 {
		return nil
	}
	decl, err := c.uniqueIndexes(ctx)
	if err != nil {
		return fmt.Errorf("increment in %s: %w", c.name, err)
	}
	if c.useClaims() {
		if err := c.incrementGuarded(ctx, mc, decl, merged); err != nil {
			return fmt.Errorf("increment %d documents in %s: %w", len(merged), c.name, err)
		}
		return nil
	}
	t := now()
	models := make([]mongo.WriteModel, 0, len(merged))
	for _, inc := range merged {
		insert, err := c.creation(decl, inc, t)
		if err != nil {
			return fmt.Errorf("increment %s in %s: %w", inc.ID, c.name, err)
		}
		update := bson.D{
			{Key: "$setOnInsert", Value: insert},
			{Key: "$inc", Value: incDoc(inc.Add)},
			{Key: "$set", Value: bson.D{{Key: "ua", Value: t}}},
		}
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: c.key(inc.ID)}, {Key: "t", Value: c.tenant}}).
			SetUpdate(update).SetUpsert(true))
	}
	sc := &scope{b: c.b, tenant: c.tenant}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		_, err := mc.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("increment %d documents in %s: %w", len(merged), c.name, mapWriteError(err))
	}
	return nil
}

// creation is what $setOnInsert writes: the metadata of a new document and its Set
// values member by member, since $inc writes the Add members of the same d.
func (c *collection) creation(decl []declared, inc store.Increment, t any) (bson.D, error) {
	set, err := dataToBSON(inc.Set)
	if err != nil {
		return nil, err
	}
	data := make(map[string]any, len(inc.Set)+len(inc.Add))
	maps.Copy(data, inc.Set)
	for k, v := range inc.Add {
		data[k] = v
	}
	d := bson.D{
		{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}, {Key: "i", Value: inc.ID}, {Key: "ca", Value: t},
		{Key: "u", Value: uniqueDoc(decl, &store.Doc{ID: inc.ID, Data: data})},
	}
	if len(inc.Add) == 0 && len(set) == 0 {
		return append(d, bson.E{Key: "d", Value: bson.M{}}), nil
	}
	for k, v := range set {
		d = append(d, bson.E{Key: "d." + k, Value: v})
	}
	return d, nil
}

// incDoc is the $inc of one increment: the version and every Add member of d.
func incDoc(add map[string]float64) bson.D {
	d := bson.D{{Key: "v", Value: int64(1)}}
	for k, v := range add {
		d = append(d, bson.E{Key: "d." + k, Value: bsonAmount(v)})
	}
	return d
}

// bsonAmount keeps integral amounts int64, so $inc keeps integer counters integers.
func bsonAmount(v float64) any {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return int64(v)
	}
	return v
}

// maxIncrementAttempts bounds the rounds of a guarded increment under contention.
const maxIncrementAttempts = 1000

// guardedChunk is how many documents one round of a guarded increment reads at once.
const guardedChunk = 200

// incrementGuarded applies increments without transactions, in rounds: it reads the
// versions of the documents in one query, creates the missing ones with one unordered
// insert, and moves each existing one from the version read with $inc under a claim of
// its next version; an increment that loses a race (another writer created or moved
// the document first) goes to the next round.
func (c *collection) incrementGuarded(ctx context.Context, mc *mongo.Collection, decl []declared, incs []store.Increment) error {
	cl, err := c.claims(ctx)
	if err != nil {
		return err
	}
	for start := 0; start < len(incs); start += guardedChunk {
		pending := incs[start:min(start+guardedChunk, len(incs))]
		for round := 0; len(pending) > 0; round++ {
			if round == maxIncrementAttempts {
				return fmt.Errorf("%d attempts under contention: %w", round, store.ErrConflict)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if pending, err = c.guardedRound(ctx, mc, cl, decl, pending); err != nil {
				return err
			}
		}
	}
	return nil
}

// guardedRound is one round of incrementGuarded; it returns the increments to retry.
func (c *collection) guardedRound(ctx context.Context, mc, cl *mongo.Collection, decl []declared, incs []store.Increment) ([]store.Increment, error) {
	keys := make(bson.A, len(incs))
	for i, inc := range incs {
		keys[i] = c.key(inc.ID)
	}
	cur, err := mc.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}, {Key: "t", Value: c.tenant}},
		options.Find().SetProjection(bson.D{{Key: "i", Value: 1}, {Key: "v", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var found []struct {
		ID      string `bson:"i"`
		Version int64  `bson:"v"`
	}
	if err := cur.All(ctx, &found); err != nil {
		return nil, err
	}
	versions := make(map[string]int64, len(found))
	for _, f := range found {
		versions[f.ID] = f.Version
	}
	var retry, fresh []store.Increment
	var rows []any
	t := now()
	for _, inc := range incs {
		v, ok := versions[inc.ID]
		if !ok {
			data := make(map[string]any, len(inc.Set)+len(inc.Add))
			maps.Copy(data, inc.Set)
			for k, x := range inc.Add {
				data[k] = bsonAmount(x)
			}
			body, err := dataToBSON(data)
			if err != nil {
				return nil, err
			}
			fresh = append(fresh, inc)
			rows = append(rows, bson.D{
				{Key: "_id", Value: c.key(inc.ID)}, {Key: "t", Value: c.tenant}, {Key: "c", Value: c.name},
				{Key: "i", Value: inc.ID}, {Key: "v", Value: int64(1)}, {Key: "ca", Value: t}, {Key: "ua", Value: t},
				{Key: "d", Value: body}, {Key: "u", Value: uniqueDoc(decl, &store.Doc{ID: inc.ID, Data: data})},
			})
			continue
		}
		moved, err := c.incrementAt(ctx, mc, cl, inc, v)
		if err != nil {
			return nil, err
		}
		if !moved {
			retry = append(retry, inc)
		}
	}
	if len(rows) > 0 {
		_, err := mc.InsertMany(ctx, rows, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		switch {
		case err == nil:
		case errors.As(err, &bwe) && bwe.WriteConcernError == nil:
			for _, we := range bwe.WriteErrors {
				if !mongo.IsDuplicateKeyError(we) || we.Index < 0 || we.Index >= len(fresh) {
					return nil, mapWriteError(err)
				}
				retry = append(retry, fresh[we.Index]) // created meanwhile: add to it next round
			}
		default:
			return nil, mapWriteError(err)
		}
	}
	return retry, nil
}

// incrementAt moves one document from version v with $inc, under the claim of v+1;
// false when another writer moved it first.
func (c *collection) incrementAt(ctx context.Context, mc, cl *mongo.Collection, inc store.Increment, v int64) (bool, error) {
	won, err := c.claim(ctx, cl, inc.ID, v+1)
	if err != nil || !won {
		return false, err
	}
	res, err := mc.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: c.key(inc.ID)}, {Key: "t", Value: c.tenant}, {Key: "v", Value: v}},
		bson.D{{Key: "$inc", Value: incDoc(inc.Add)}, {Key: "$set", Value: bson.D{{Key: "ua", Value: now()}}}})
	moved := err == nil && res.MatchedCount == 1
	released := v
	if !moved {
		released++
	}
	_ = c.release(ctx, cl, inc.ID, released) // as in update: a claim left behind expires
	return moved, err
}
