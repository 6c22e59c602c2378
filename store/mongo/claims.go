package mongo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// claimsName is the MongoDB collection of version claims; store kinds cannot start with
// "_", so it never meets one.
const claimsName = "_credo_claims"

// Version claims make a version-guarded write atomic on engines that may evaluate a
// conditional update as a read followed by a write. Before moving a document from
// version v, the writer inserts the claim "<_id>#<v+1>"; the insert of a unique _id is
// atomic on every engine, so of writers holding the same version exactly one gets the
// claim and the others a conflict. The claim of the previous transition is removed once
// the next one succeeds, and all of a document's claims when it is deleted, so the
// collection holds about one claim per document.
//
// Claims are used where the deployment has no transactions (a standalone server or an
// engine without them); replica sets and sharded clusters apply a filtered update
// atomically and need none.
func (c *collection) useClaims() bool { return !c.b.caps.tx }

func (c *collection) claims(ctx context.Context) (*mongo.Collection, error) {
	// A document has a claim per recent transition, so (t, c, i) is not unique here.
	if err := c.b.ensureBase(ctx, claimsName, false); err != nil {
		return nil, err
	}
	return c.b.db.Collection(claimsName), nil
}

func (c *collection) claimID(id string, version int64) string {
	return c.key(id) + "#" + strconv.FormatInt(version, 10)
}

// staleClaim is how old a claim must be before another writer may take it over: a
// writer that died between its claim and its write would otherwise block the document
// for good.
const staleClaim = time.Minute

// claim takes the transition of document id to version next; false when another writer
// has it.
func (c *collection) claim(ctx context.Context, cl *mongo.Collection, id string, next int64) (bool, error) {
	for attempt := 0; ; attempt++ {
		_, err := cl.InsertOne(ctx, bson.D{
			{Key: "_id", Value: c.claimID(id, next)},
			{Key: "t", Value: c.tenant},
			{Key: "c", Value: c.name},
			{Key: "i", Value: id},
			{Key: "at", Value: now()},
		})
		switch {
		case err == nil:
			return true, nil
		case !mongo.IsDuplicateKeyError(err):
			return false, fmt.Errorf("claim version: %w", err)
		case attempt > 0:
			return false, nil
		}
		var held struct {
			At time.Time `bson:"at"`
		}
		err = cl.FindOne(ctx, bson.D{{Key: "_id", Value: c.claimID(id, next)}, {Key: "t", Value: c.tenant}}).Decode(&held)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			continue // released meanwhile: try once more
		case err != nil:
			return false, fmt.Errorf("claim version: %w", err)
		case time.Since(held.At) < staleClaim:
			return false, nil
		}
		_, err = cl.DeleteOne(ctx, bson.D{{Key: "_id", Value: c.claimID(id, next)}, {Key: "t", Value: c.tenant}, {Key: "at", Value: held.At}})
		if err != nil {
			return false, fmt.Errorf("take over stale version claim: %w", err)
		}
	}
}

// release removes one claim.
func (c *collection) release(ctx context.Context, cl *mongo.Collection, id string, version int64) error {
	_, err := cl.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: c.claimID(id, version)}, {Key: "t", Value: c.tenant}})
	if err != nil {
		return fmt.Errorf("release version claim: %w", err)
	}
	return nil
}

// releaseAll removes every claim of a deleted document, so a document created again
// with its id starts afresh.
func (c *collection) releaseAll(ctx context.Context, cl *mongo.Collection, id string) error {
	_, err := cl.DeleteMany(context.WithoutCancel(ctx), bson.D{{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}, {Key: "i", Value: id}})
	if err != nil {
		return fmt.Errorf("release version claims: %w", err)
	}
	return nil
}
