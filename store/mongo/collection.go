package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// collection is one tenant's store collection inside the MongoDB collection named kind.
type collection struct {
	b      *Backend
	tenant string
	name   string // store collection name, "kind" or "kind:sub"
	kind   string // MongoDB collection
}

// stored is the shape of a document in MongoDB.
type stored struct {
	ID        string    `bson:"_id"`
	Tenant    string    `bson:"t"`
	Coll      string    `bson:"c"`
	DocID     string    `bson:"i"`
	Version   int64     `bson:"v"`
	CreatedAt time.Time `bson:"ca"`
	UpdatedAt time.Time `bson:"ua"`
	Data      bson.Raw  `bson:"d"`
}

func (s *stored) doc() (*store.Doc, error) {
	data, err := dataFromRaw(s.Data)
	if err != nil {
		return nil, err
	}
	return &store.Doc{
		ID:        s.DocID,
		Version:   s.Version,
		CreatedAt: s.CreatedAt.UTC(),
		UpdatedAt: s.UpdatedAt.UTC(),
		Data:      data,
	}, nil
}

// key is the MongoDB _id of a document: unique across tenants and collections of a kind.
func (c *collection) key(id string) string { return c.tenant + "/" + c.name + "/" + id }

// open checks the collection name and makes sure the kind's base index exists.
func (c *collection) open(ctx context.Context) (*mongo.Collection, error) {
	if !store.CollectionName(c.name) {
		return nil, fmt.Errorf("collection %q: %w", c.name, store.ErrInvalid)
	}
	if err := c.b.ensureKind(ctx, c.kind); err != nil {
		return nil, err
	}
	return c.b.db.Collection(c.kind), nil
}

func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Insert stores a new document, assigning its id, version 1 and timestamps.
func (c *collection) Insert(ctx context.Context, doc *store.Doc) error {
	mc, err := c.open(ctx)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	data, err := dataToBSON(doc.Data)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	id := doc.ID
	if id == "" {
		id = store.NewID()
	}
	t := now()
	u, err := c.uniqueKeys(ctx, &store.Doc{ID: id, Version: 1, CreatedAt: t, UpdatedAt: t, Data: doc.Data})
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	_, err = mc.InsertOne(ctx, bson.D{
		{Key: "_id", Value: c.key(id)},
		{Key: "t", Value: c.tenant},
		{Key: "c", Value: c.name},
		{Key: "i", Value: id},
		{Key: "v", Value: int64(1)},
		{Key: "ca", Value: t},
		{Key: "ua", Value: t},
		{Key: "d", Value: data},
		{Key: "u", Value: u},
	})
	if err != nil {
		return fmt.Errorf("insert %s/%s: %w", c.name, id, c.writeError(ctx, mc, id, u, err))
	}
	doc.ID, doc.Version, doc.CreatedAt, doc.UpdatedAt = id, 1, t, t
	return nil
}

// Get returns one document or store.ErrNotFound.
func (c *collection) Get(ctx context.Context, id string) (*store.Doc, error) {
	mc, err := c.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", c.name, id, err)
	}
	var s stored
	err = mc.FindOne(ctx, bson.D{{Key: "_id", Value: c.key(id)}, {Key: "t", Value: c.tenant}}).Decode(&s)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("get %s/%s: %w", c.name, id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", c.name, id, err)
	}
	d, err := s.doc()
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", c.name, id, err)
	}
	return d, nil
}

// Update replaces the body when doc.Version is the stored version.
func (c *collection) Update(ctx context.Context, doc *store.Doc) error {
	if err := c.update(ctx, doc); err != nil {
		return fmt.Errorf("update %s/%s: %w", c.name, doc.ID, err)
	}
	return nil
}

func (c *collection) update(ctx context.Context, doc *store.Doc) error {
	mc, err := c.open(ctx)
	if err != nil {
		return err
	}
	data, err := dataToBSON(doc.Data)
	if err != nil {
		return err
	}
	t := now()
	u, err := c.uniqueKeys(ctx, &store.Doc{ID: doc.ID, Version: doc.Version + 1, CreatedAt: doc.CreatedAt, UpdatedAt: t, Data: doc.Data})
	if err != nil {
		return err
	}
	var cl *mongo.Collection
	if c.useClaims() {
		if cl, err = c.claims(ctx); err != nil {
			return err
		}
		won, err := c.claim(ctx, cl, doc.ID, doc.Version+1)
		if err != nil {
			return err
		}
		if !won {
			return c.missOrStale(ctx, mc, doc.ID)
		}
	}
	res, err := mc.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: c.key(doc.ID)}, {Key: "t", Value: c.tenant}, {Key: "v", Value: doc.Version}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "d", Value: data}, {Key: "u", Value: u}, {Key: "ua", Value: t}}},
			{Key: "$inc", Value: bson.D{{Key: "v", Value: int64(1)}}},
		})
	if err == nil && res.MatchedCount == 0 {
		err = c.missOrStale(ctx, mc, doc.ID)
	} else if err != nil {
		err = c.writeError(ctx, mc, doc.ID, u, err)
	}
	if cl != nil {
		// On success the previous transition's claim goes, on failure our own. A claim
		// left behind only fails writers that are stale anyway, or expires (staleClaim),
		// so a failed release does not undo a write that happened.
		v := doc.Version
		if err != nil {
			v++
		}
		_ = c.release(ctx, cl, doc.ID, v)
	}
	if err != nil {
		return err
	}
	doc.Version++
	doc.UpdatedAt = t
	return nil
}

// Delete removes a document; version > 0 makes it conditional.
func (c *collection) Delete(ctx context.Context, id string, version int64) error {
	if err := c.delete(ctx, id, version); err != nil {
		return fmt.Errorf("delete %s/%s: %w", c.name, id, err)
	}
	return nil
}

func (c *collection) delete(ctx context.Context, id string, version int64) error {
	if version < 0 {
		return fmt.Errorf("negative version: %w", store.ErrInvalid)
	}
	mc, err := c.open(ctx)
	if err != nil {
		return err
	}
	var cl *mongo.Collection
	if c.useClaims() {
		if cl, err = c.claims(ctx); err != nil {
			return err
		}
		if version > 0 {
			won, err := c.claim(ctx, cl, id, version+1)
			if err != nil {
				return err
			}
			if !won {
				return c.missOrStale(ctx, mc, id)
			}
		}
	}
	f := bson.D{{Key: "_id", Value: c.key(id)}, {Key: "t", Value: c.tenant}}
	if version > 0 {
		f = append(f, bson.E{Key: "v", Value: version})
	}
	res, err := mc.DeleteOne(ctx, f)
	switch {
	case err != nil:
	case res.DeletedCount == 0 && version == 0:
		err = store.ErrNotFound
	case res.DeletedCount == 0:
		err = c.missOrStale(ctx, mc, id)
	}
	if cl != nil {
		// As in update, a claim left behind expires, so releasing is best effort.
		if err != nil && version > 0 {
			_ = c.release(ctx, cl, id, version+1)
		} else if err == nil {
			_ = c.releaseAll(ctx, cl, id)
		}
	}
	return err
}

// missOrStale tells why a version-guarded write matched nothing.
func (c *collection) missOrStale(ctx context.Context, mc *mongo.Collection, id string) error {
	n, err := mc.CountDocuments(ctx, bson.D{{Key: "_id", Value: c.key(id)}, {Key: "t", Value: c.tenant}})
	switch {
	case err != nil:
		return err
	case n == 0:
		return store.ErrNotFound
	}
	return store.ErrConflict
}

// writeError maps a failed write of document id: a duplicate key is store.ErrDuplicate,
// and so is any failure while another document of the tenant and collection holds one
// of the document's unique keys, since some engines report a unique-index violation of
// an update without the duplicate-key code.
func (c *collection) writeError(ctx context.Context, mc *mongo.Collection, id string, u bson.D, err error) error {
	if mongo.IsDuplicateKeyError(err) {
		return mapWriteError(err)
	}
	for _, k := range u {
		n, cerr := mc.CountDocuments(ctx, bson.D{
			{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name},
			{Key: "u." + k.Key, Value: k.Value},
			{Key: "_id", Value: bson.D{{Key: "$ne", Value: c.key(id)}}},
		})
		if cerr == nil && n > 0 {
			return fmt.Errorf("%w: unique index %s: %s", store.ErrDuplicate, k.Key, err.Error())
		}
	}
	return err
}

// mapWriteError turns a duplicate key (E11000) into store.ErrDuplicate.
func mapWriteError(err error) error {
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("%w: %s", store.ErrDuplicate, err.Error())
	}
	return err
}

var _ store.Collection = (*collection)(nil)
