package mongo

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// capability is a feature learnt the first time it is needed: unknown until then.
type capability struct{ state atomic.Int32 }

const (
	capUnknown int32 = iota
	capYes
	capNo
)

// known returns whether the feature is supported and whether that has been learnt.
func (c *capability) known() (supported, known bool) {
	switch c.state.Load() {
	case capYes:
		return true, true
	case capNo:
		return false, true
	}
	return false, false
}

func (c *capability) set(supported bool) {
	if supported {
		c.state.Store(capYes)
	} else {
		c.state.Store(capNo)
	}
}

// capabilities are what this deployment can do, learnt once per Backend.
type capabilities struct {
	// tx: multi-document transactions (replica set member or mongos).
	tx bool
	// groupExpr: a $group with aggregation expressions in keys and several accumulators,
	// $min and $max included, computed correctly.
	groupExpr capability
	// partialIndex: createIndexes keeps a partialFilterExpression.
	partialIndex capability
}

func newCapabilities(tx bool) *capabilities { return &capabilities{tx: tx} }

// probeTransactions asks the server what it is: transactions need a replica-set member
// (setName in the hello reply) or a mongos (msg "isdbgrid").
func probeTransactions(ctx context.Context, db *mongo.Database) (bool, error) {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
		MaxWire int32  `bson:"maxWireVersion"`
	}
	if err := db.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return false, fmt.Errorf("hello: %w", err)
	}
	switch {
	case hello.SetName != "":
		return hello.MaxWire >= 7, nil // 4.0: replica-set transactions
	case hello.Msg == "isdbgrid":
		return hello.MaxWire >= 8, nil // 4.2: sharded transactions
	}
	return false, nil
}

// groupPipeline reports whether the engine runs the native aggregation pipeline, asking
// it once: a $group over two literal documents ($documents, MongoDB 5.1) using every
// operator the pipeline needs, whose answer must also be right, since an engine may
// accept a pipeline and compute only part of it.
func (b *Backend) groupPipeline(ctx context.Context) bool {
	if supported, known := b.caps.groupExpr.known(); known {
		return supported
	}
	ok := probeGroup(ctx, b.db)
	if ctx.Err() == nil {
		b.caps.groupExpr.set(ok)
	}
	return ok
}

func probeGroup(ctx context.Context, db *mongo.Database) bool {
	x := "$x"
	isNum := bson.D{{Key: "$isNumber", Value: x}}
	pipeline := bson.A{
		bson.D{{Key: "$documents", Value: bson.A{
			bson.D{{Key: "x", Value: 1}, {Key: "s", Value: "2024-03-05T10:00:00Z"}},
			bson.D{{Key: "x", Value: 2.5}, {Key: "s", Value: "2024-03-05"}},
		}}},
		bson.D{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{
				{Key: "k0", Value: dateText("$s", 7)},
				{Key: "k1", Value: keyExpr(store.GroupKey{Field: "x", Bucket: store.BucketRange, Bounds: []float64{0, 10}})},
			}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}},
			{Key: "s", Value: bson.D{{Key: "$sum", Value: x}}},
			{Key: "c", Value: bson.D{{Key: "$sum", Value: bson.D{{Key: "$cond", Value: bson.A{isNum, 1, 0}}}}}},
			{Key: "lo", Value: bson.D{{Key: "$min", Value: x}}},
			{Key: "hi", Value: bson.D{{Key: "$max", Value: x}}},
		}}},
	}
	cur, err := db.Aggregate(ctx, pipeline)
	if err != nil {
		return false
	}
	var rows []struct {
		ID struct {
			K0 string `bson:"k0"`
			K1 int    `bson:"k1"`
		} `bson:"_id"`
		N, S, C, Lo, Hi float64
	}
	if err := cur.All(ctx, &rows); err != nil || len(rows) != 1 {
		return false
	}
	r := rows[0]
	return r.ID.K0 == "2024-03" && r.ID.K1 == 1 && r.N == 2 && r.S == 3.5 && r.C == 2 && r.Lo == 1 && r.Hi == 2.5
}

// unsupportedCodes are server error codes meaning "this engine does not have that
// operator or option", as opposed to a failure of the request itself.
var unsupportedCodes = map[int32]bool{
	59:    true, // CommandNotFound
	115:   true, // CommandNotSupported
	168:   true, // InvalidPipelineOperator
	238:   true, // NotImplemented
	15952: true, // unknown group operator
	16410: true, // unknown operator in $project
	31325: true, // unknown expression
}

// isUnsupported reports whether err says the engine lacks an operator.
func isUnsupported(err error) bool {
	var ce mongo.CommandError
	if errors.As(err, &ce) {
		return unsupportedCodes[ce.Code]
	}
	var se mongo.ServerError
	if errors.As(err, &se) {
		for code := range unsupportedCodes {
			if se.HasErrorCode(int(code)) {
				return true
			}
		}
	}
	return false
}
