package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// MaxIndexFields bounds the fields of one index.
const MaxIndexFields = 4

// EnsureIndex declares an index of this tenant's collection. The same name and
// definition again is a no-op; the same name with other fields or uniqueness is
// store.ErrInvalid. A unique index refuses (store.ErrDuplicate) a document repeating
// the key of another in the same tenant and collection; documents lacking a field of
// the key are not constrained; declaring it over documents that already repeat a key is
// store.ErrDuplicate and leaves no index behind.
//
// Definitions are recorded per tenant in the index registry, while MongoDB indexes are
// shared by every tenant (a collection has at most 64): a lookup index on (t, c,
// fields…, i) per store collection and field list, limited to its store collection where
// the engine keeps partial indexes; and for a unique index a unique index on (t, c,
// u.<name>), where each document of a collection declaring it carries its key under
// u.<name> (see uniqueKeys).
func (c *collection) EnsureIndex(ctx context.Context, idx store.Index) error {
	if err := c.ensureIndex(withoutSession(ctx), idx); err != nil {
		return fmt.Errorf("ensure index %s on %s: %w", idx.Name, c.name, err)
	}
	return nil
}

func (c *collection) ensureIndex(ctx context.Context, idx store.Index) error {
	if err := checkIndex(idx); err != nil {
		return err
	}
	mc, err := c.open(ctx)
	if err != nil {
		return err
	}
	reg, err := c.b.registry(ctx)
	if err != nil {
		return err
	}
	created, err := c.register(ctx, reg, idx)
	if err != nil {
		return err
	}
	if idx.Unique && created {
		if err := c.backfillUnique(ctx, mc, idx); err != nil {
			return c.unregister(ctx, reg, mc, idx, err)
		}
	}
	if err := c.buildIndex(ctx, mc, idx); err != nil {
		if created {
			return c.unregister(ctx, reg, mc, idx, mapWriteError(err))
		}
		return mapWriteError(err)
	}
	return nil
}

func checkIndex(idx store.Index) error {
	if !store.ValidIndexName(idx.Name) {
		return fmt.Errorf("index name %q: %w", idx.Name, store.ErrInvalid)
	}
	if len(idx.Fields) == 0 || len(idx.Fields) > MaxIndexFields {
		return fmt.Errorf("index needs 1 to %d fields: %w", MaxIndexFields, store.ErrInvalid)
	}
	seen := map[string]bool{}
	for _, f := range idx.Fields {
		if !store.ValidField(f) || seen[f] {
			return fmt.Errorf("index field %q: %w", f, store.ErrInvalid)
		}
		seen[f] = true
	}
	return nil
}

// registryName is the MongoDB collection of index definitions; store kinds cannot start
// with "_", so it never meets one.
const registryName = "_credo_indexes"

// declared is one index definition in the registry, shaped like a stored document so
// the base (t, c, i) index serves its lookups.
type declared struct {
	ID     string   `bson:"_id"`
	Tenant string   `bson:"t"`
	Coll   string   `bson:"c"`
	Name   string   `bson:"i"`
	Fields []string `bson:"f"`
	Unique bool     `bson:"u"`
}

func (d declared) same(idx store.Index) bool {
	return d.Unique == idx.Unique && strings.Join(d.Fields, ",") == strings.Join(idx.Fields, ",")
}

// registry is the index registry, with its (t, c, i) index.
func (b *Backend) registry(ctx context.Context) (*mongo.Collection, error) {
	if err := b.ensureKind(ctx, registryName); err != nil {
		return nil, err
	}
	return b.db.Collection(registryName), nil
}

// register records idx; created is false when the same definition was there already.
func (c *collection) register(ctx context.Context, reg *mongo.Collection, idx store.Index) (created bool, err error) {
	d := declared{ID: c.key(idx.Name), Tenant: c.tenant, Coll: c.name, Name: idx.Name, Fields: idx.Fields, Unique: idx.Unique}
	_, err = reg.InsertOne(ctx, d)
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("register: %w", err)
	}
	var old declared
	if err := reg.FindOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "t", Value: c.tenant}}).Decode(&old); err != nil {
		return false, fmt.Errorf("register: %w", err)
	}
	if !old.same(idx) {
		return false, fmt.Errorf("index %s exists with fields %v (unique %t): %w", idx.Name, old.Fields, old.Unique, store.ErrInvalid)
	}
	return false, nil
}

// unregister undoes a declaration that could not be completed and returns cause.
func (c *collection) unregister(ctx context.Context, reg *mongo.Collection, mc *mongo.Collection, idx store.Index, cause error) error {
	ctx = context.WithoutCancel(ctx)
	if _, err := reg.DeleteOne(ctx, bson.D{{Key: "_id", Value: c.key(idx.Name)}, {Key: "t", Value: c.tenant}}); err != nil {
		return errors.Join(cause, fmt.Errorf("unregister: %w", err))
	}
	if idx.Unique {
		_, err := mc.UpdateMany(ctx, bson.D{{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}},
			bson.D{{Key: "$unset", Value: bson.D{{Key: "u." + idx.Name, Value: ""}}}})
		if err != nil {
			return errors.Join(cause, fmt.Errorf("unregister: %w", err))
		}
	}
	return cause
}

// backfillUnique writes the key of a new unique index into the collection's documents,
// refusing with store.ErrDuplicate when two already share one. A document updated since
// it was read already carries its key (writers read the registry), so it is skipped.
func (c *collection) backfillUnique(ctx context.Context, mc *mongo.Collection, idx store.Index) error {
	cur, err := mc.Find(ctx, bson.D{{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}},
		options.Find().SetProjection(projection(idx.Fields, nil)))
	if err != nil {
		return fmt.Errorf("read keys: %w", err)
	}
	type keyed struct {
		id, key string
		version int64
	}
	var docs []keyed
	seen := map[string]string{}
	for cur.Next(ctx) {
		var s stored
		if err := cur.Decode(&s); err != nil {
			_ = cur.Close(ctx)
			return fmt.Errorf("read keys: %w", err)
		}
		d, err := s.doc()
		if err != nil {
			_ = cur.Close(ctx)
			return err
		}
		k, ok := uniqueKey(d, idx.Fields)
		if !ok {
			continue
		}
		if other, dup := seen[k]; dup {
			_ = cur.Close(ctx)
			return fmt.Errorf("documents %s and %s share the key: %w", other, d.ID, store.ErrDuplicate)
		}
		seen[k] = d.ID
		docs = append(docs, keyed{id: s.ID, key: k, version: s.Version})
	}
	if err := cur.Close(ctx); err != nil {
		return fmt.Errorf("read keys: %w", err)
	}
	for _, d := range docs {
		_, err := mc.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.id}, {Key: "t", Value: c.tenant}, {Key: "v", Value: d.version}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "u." + idx.Name, Value: d.key}}}})
		if err != nil {
			return fmt.Errorf("write keys: %w", mapWriteError(err))
		}
	}
	return nil
}

// buildIndex creates the MongoDB index that serves idx (a no-op when it exists).
func (c *collection) buildIndex(ctx context.Context, mc *mongo.Collection, idx store.Index) error {
	keys := bson.D{{Key: "t", Value: 1}, {Key: "c", Value: 1}}
	var partial bson.D
	var name string
	if idx.Unique {
		keys = append(keys, bson.E{Key: "u." + idx.Name, Value: 1})
		name = "unique_" + idx.Name
		partial = bson.D{{Key: "u." + idx.Name, Value: bson.D{{Key: "$exists", Value: true}}}}
	} else {
		for _, f := range idx.Fields {
			keys = append(keys, bson.E{Key: fieldPath(f), Value: 1})
		}
		keys = append(keys, bson.E{Key: "i", Value: 1})
		name = keysName(keys)
		partial = bson.D{{Key: "c", Value: c.name}}
	}
	if supported, known := c.b.caps.partialIndex.known(); supported || !known {
		pname := name
		if !idx.Unique {
			// Store collection names hold no "--", so the prefix cannot be confused.
			pname = strings.ReplaceAll(c.name, ":", "-") + "--" + name
		}
		err := createIndex(ctx, mc, keys, pname, idx.Unique, partial)
		switch {
		case err == nil && known:
			return nil
		case err == nil:
			// An engine may accept the option and ignore it: believe what it stored.
			kept, lerr := keptPartial(ctx, mc, pname)
			if lerr != nil {
				return lerr
			}
			c.b.caps.partialIndex.set(kept)
			if kept {
				return nil
			}
			if _, err := mc.Indexes().DropOne(ctx, pname); err != nil {
				return fmt.Errorf("drop index without its filter: %w", err)
			}
		case known || !isUnsupported(err):
			return err
		default:
			c.b.caps.partialIndex.set(false)
		}
	}
	return createIndex(ctx, mc, keys, name, idx.Unique, nil)
}

func createIndex(ctx context.Context, mc *mongo.Collection, keys bson.D, name string, unique bool, partial bson.D) error {
	o := options.Index().SetName(name)
	if unique {
		o.SetUnique(true)
	}
	if partial != nil {
		o.SetPartialFilterExpression(partial)
	}
	_, err := mc.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: o})
	if err != nil {
		return fmt.Errorf("create index %s: %w", name, err)
	}
	return nil
}

// keysName names an index after its keys, as MongoDB does by default.
func keysName(keys bson.D) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Key + "_1"
	}
	return strings.Join(parts, "_")
}

// keptPartial reports whether the named index kept its partial filter.
func keptPartial(ctx context.Context, mc *mongo.Collection, name string) (bool, error) {
	cur, err := mc.Indexes().List(ctx)
	if err != nil {
		return false, fmt.Errorf("list indexes: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if n, _ := cur.Current.Lookup("name").StringValueOK(); n == name {
			_, err := cur.Current.LookupErr("partialFilterExpression")
			return err == nil, nil
		}
	}
	return false, cur.Err()
}
