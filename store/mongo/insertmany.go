package mongo

import (
	"context"
	"errors"
	"fmt"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// InsertMany stores new documents with ordered insertMany commands, in the caller's
// transaction or, where the deployment has transactions, in one of its own, so either
// all are stored or none. Without transactions (a standalone server, FerretDB) the
// insert stops at the first failing document and those before it stay stored. IDs,
// Version 1 and timestamps are assigned on success only.
func (c *collection) InsertMany(ctx context.Context, docs []*store.Doc) error {
	mc, err := c.open(ctx)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	if len(docs) == 0 {
		return nil
	}
	decl, err := c.uniqueIndexes(ctx)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", c.name, err)
	}
	t := now()
	ids := make([]string, len(docs))
	rows := make([]any, len(docs))
	for i, doc := range docs {
		if doc == nil {
			return fmt.Errorf("insert document %d into %s: no document: %w", i, c.name, store.ErrInvalid)
		}
		data, err := dataToBSON(doc.Data)
		if err != nil {
			return fmt.Errorf("insert document %d into %s: %w", i, c.name, err)
		}
		ids[i] = doc.ID
		if ids[i] == "" {
			ids[i] = store.NewID()
		}
		u := uniqueDoc(decl, &store.Doc{ID: ids[i], Version: 1, CreatedAt: t, UpdatedAt: t, Data: doc.Data})
		rows[i] = bson.D{
			{Key: "_id", Value: c.key(ids[i])}, {Key: "t", Value: c.tenant}, {Key: "c", Value: c.name},
			{Key: "i", Value: ids[i]}, {Key: "v", Value: int64(1)}, {Key: "ca", Value: t}, {Key: "ua", Value: t},
			{Key: "d", Value: data}, {Key: "u", Value: u},
		}
	}
	sc := &scope{b: c.b, tenant: c.tenant}
	err = sc.WithTx(ctx, func(ctx context.Context) error {
		_, err := mc.InsertMany(ctx, rows, options.InsertMany().SetOrdered(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("insert %d documents into %s: %w", len(docs), c.name, c.manyError(ctx, mc, rows, err))
	}
	for i, doc := range docs {
		doc.ID, doc.Version, doc.CreatedAt, doc.UpdatedAt = ids[i], 1, t, t
	}
	return nil
}

// manyError explains a failed insertMany: a duplicate id or unique key is
// store.ErrDuplicate, whichever document of the batch met it.
func (c *collection) manyError(ctx context.Context, mc *mongo.Collection, rows []any, err error) error {
	if mongo.IsDuplicateKeyError(err) {
		return mapWriteError(err)
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 {
		i := bwe.WriteErrors[0].Index
		if i >= 0 && i < len(rows) {
			row := rows[i].(bson.D)
			id, _ := row[3].Value.(string)
			u, _ := row[8].Value.(bson.D)
			return c.writeError(ctx, mc, id, u, err)
		}
	}
	return err
}
