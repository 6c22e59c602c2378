package mongo

import (
	"context"
	"fmt"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// aggregateScan reads only the fields an aggregation needs from every matching document
// and groups them in Go: the formulation any engine of the wire protocol can run.
func (c *collection) aggregateScan(ctx context.Context, mc *mongo.Collection, match bson.D, a store.Aggregation) ([]store.Group, error) {
	var fields []string
	for _, k := range a.GroupBy {
		fields = append(fields, k.Field)
	}
	for _, m := range a.Measures {
		if m.Op != store.MeasureCount {
			fields = append(fields, m.Field)
		}
	}
	opts := options.Find().SetProjection(projection(fields, nil))
	cur, err := mc.Find(ctx, match, opts)
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	gs := newGroupSet(a)
	for cur.Next(ctx) {
		var s stored
		if err := cur.Decode(&s); err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		d, err := s.doc()
		if err != nil {
			return nil, err
		}
		key := make([]any, len(a.GroupBy))
		for i, k := range a.GroupBy {
			key[i] = bucketValue(k, store.FieldValue(d, k.Field))
		}
		g := gs.get(key)
		for i, m := range a.Measures {
			var v any
			if m.Op != store.MeasureCount {
				v = store.FieldValue(d, m.Field)
			}
			g.measures[i].addValue(m.Op, v)
		}
	}
	if err := cur.Err(); err != nil {
		return nil, err
	}
	return gs.finish(), nil
}
