package mongo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// Aggregate groups the matching documents and computes the measures of each group.
//
// Engines that pass the group probe (groupPipeline) run one native pipeline; others use
// the portable formulations (a $sum-only $group, or a projected scan grouped in Go).
func (c *collection) Aggregate(ctx context.Context, a store.Aggregation) ([]store.Group, error) {
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, err)
	}
	var groups []store.Group
	var err error
	if hasMeasureFilters(a) {
		groups, err = c.aggregateFiltered(ctx, a)
	} else {
		groups, err = c.aggregate(ctx, a)
	}
	if err != nil {
		return nil, fmt.Errorf("aggregate %s: %w", c.name, err)
	}
	return groups, nil
}

// aggregate runs a validated aggregation whose measures carry no filter of their own.
func (c *collection) aggregate(ctx context.Context, a store.Aggregation) ([]store.Group, error) {
	mc, err := c.open(ctx)
	if err != nil {
		return nil, err
	}
	match, err := c.query(a.Filter)
	if err != nil {
		return nil, err
	}
	if c.b.groupPipeline(ctx) {
		return c.aggregateNative(ctx, mc, match, a)
	}
	return c.aggregatePortable(ctx, mc, match, a)
}

// aggregatePortable runs an aggregation with what every engine of the wire protocol has:
// $group with $sum when keys are plain fields and no measure needs an extreme, a
// projected scan grouped in Go otherwise.
func (c *collection) aggregatePortable(ctx context.Context, mc *mongo.Collection, match bson.D, a store.Aggregation) ([]store.Group, error) {
	for _, k := range a.GroupBy {
		if k.Bucket != store.BucketValue {
			return c.aggregateScan(ctx, mc, match, a)
		}
	}
	for _, m := range a.Measures {
		if m.Op == store.MeasureMin || m.Op == store.MeasureMax {
			return c.aggregateScan(ctx, mc, match, a)
		}
	}
	return c.aggregateSum(ctx, mc, match, a)
}

// aggregateNative is one $group pipeline with bucket expressions and $min/$max.
func (c *collection) aggregateNative(ctx context.Context, mc *mongo.Collection, match bson.D, a store.Aggregation) ([]store.Group, error) {
	group := bson.D{{Key: "_id", Value: groupID(a.GroupBy, keyExpr)}}
	for i, m := range a.Measures {
		x := "$" + fieldPath(m.Field)
		isNum := bson.D{{Key: "$isNumber", Value: x}}
		onlyNum := bson.D{{Key: "$cond", Value: bson.A{isNum, x, nil}}}
		switch m.Op {
		case store.MeasureCount:
			group = append(group, bson.E{Key: measureKey(i), Value: bson.D{{Key: "$sum", Value: 1}}})
		case store.MeasureSum:
			group = append(group, bson.E{Key: measureKey(i), Value: bson.D{{Key: "$sum", Value: x}}})
		case store.MeasureAvg:
			group = append(group,
				bson.E{Key: measureKey(i), Value: bson.D{{Key: "$sum", Value: x}}},
				bson.E{Key: measureKey(i) + "n", Value: bson.D{{Key: "$sum", Value: bson.D{{Key: "$cond", Value: bson.A{isNum, 1, 0}}}}}})
		case store.MeasureMin:
			group = append(group, bson.E{Key: measureKey(i), Value: bson.D{{Key: "$min", Value: onlyNum}}})
		case store.MeasureMax:
			group = append(group, bson.E{Key: measureKey(i), Value: bson.D{{Key: "$max", Value: onlyNum}}})
		}
	}
	gs := newGroupSet(a)
	err := runGroups(ctx, mc, bson.A{bson.D{{Key: "$match", Value: match}}, bson.D{{Key: "$group", Value: group}}}, a,
		func(g *groupAcc, row bson.Raw) {
			for i, m := range a.Measures {
				v, _ := rawNumber(row.Lookup(measureKey(i)))
				switch m.Op {
				case store.MeasureCount:
					g.measures[i].addCount(v)
				case store.MeasureSum:
					g.measures[i].addSum(v, 0)
				case store.MeasureAvg:
					n, _ := rawNumber(row.Lookup(measureKey(i) + "n"))
					g.measures[i].addSum(v, n)
				case store.MeasureMin, store.MeasureMax:
					if f, ok := rawNumber(row.Lookup(measureKey(i))); ok {
						g.measures[i].addExtreme(f, m.Op == store.MeasureMax)
					}
				}
			}
		}, gs)
	if err != nil {
		return nil, err
	}
	return gs.finish(), nil
}

// aggregateSum groups by plain fields with $sum only, one accumulator per $group: some
// engines of the wire protocol compute only the first accumulator of a $group, so each
// measure gets its own pipeline, and averages one more counting the numeric values of
// their field (avg = sum / count).
func (c *collection) aggregateSum(ctx context.Context, mc *mongo.Collection, match bson.D, a store.Aggregation) ([]store.Group, error) {
	id := groupID(a.GroupBy, func(k store.GroupKey) any { return "$" + fieldPath(k.Field) })
	sumOf := func(m bson.D, acc any) bson.A {
		return bson.A{
			bson.D{{Key: "$match", Value: m}},
			bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: id}, {Key: "x", Value: bson.D{{Key: "$sum", Value: acc}}}}}},
		}
	}
	gs := newGroupSet(a)
	for i, m := range a.Measures {
		if m.Op == store.MeasureCount {
			err := runGroups(ctx, mc, sumOf(match, 1), a, func(g *groupAcc, row bson.Raw) {
				n, _ := rawNumber(row.Lookup("x"))
				g.measures[i].addCount(n)
			}, gs)
			if err != nil {
				return nil, err
			}
			continue
		}
		p := fieldPath(m.Field)
		err := runGroups(ctx, mc, sumOf(match, "$"+p), a, func(g *groupAcc, row bson.Raw) {
			v, _ := rawNumber(row.Lookup("x"))
			g.measures[i].addSum(v, 0)
		}, gs)
		if err != nil {
			return nil, err
		}
		if m.Op != store.MeasureAvg {
			continue
		}
		numericOnly := append(bson.D{}, match...)
		numericOnly = append(numericOnly, bson.E{Key: "$and", Value: bson.A{
			bson.D{{Key: p, Value: bson.D{{Key: "$type", Value: "number"}}}},
			bson.D{{Key: p, Value: bson.D{{Key: "$not", Value: bson.D{{Key: "$type", Value: "array"}}}}}},
		}})
		err = runGroups(ctx, mc, sumOf(numericOnly, 1), a, func(g *groupAcc, row bson.Raw) {
			n, _ := rawNumber(row.Lookup("x"))
			g.measures[i].addSum(0, n)
		}, gs)
		if err != nil {
			return nil, err
		}
	}
	return gs.finish(), nil
}

// runGroups runs a $group pipeline and folds each row into the group of its key.
func runGroups(ctx context.Context, mc *mongo.Collection, pipeline bson.A, a store.Aggregation, fold func(*groupAcc, bson.Raw), gs *groupSet) error {
	cur, err := mc.Aggregate(ctx, pipeline)
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		key, err := rowKey(cur.Current.Lookup("_id"), a.GroupBy)
		if err != nil {
			return err
		}
		fold(gs.get(key), cur.Current)
	}
	return cur.Err()
}

// groupID is the $group _id: a document of one expression per key, or null.
func groupID(keys []store.GroupKey, expr func(store.GroupKey) any) any {
	if len(keys) == 0 {
		return nil
	}
	id := bson.D{}
	for i, k := range keys {
		id = append(id, bson.E{Key: "k" + strconv.Itoa(i), Value: expr(k)})
	}
	return id
}

func measureKey(i int) string { return "m" + strconv.Itoa(i) }

// keyExpr is the aggregation expression deriving one group key.
func keyExpr(k store.GroupKey) any {
	x := "$" + fieldPath(k.Field)
	switch k.Bucket {
	case store.BucketDay, store.BucketMonth:
		return dateText(x, bucketWidth(k.Bucket))
	case store.BucketRange:
		var branches bson.A
		for i, b := range k.Bounds {
			branches = append(branches, bson.D{
				{Key: "case", Value: bson.D{{Key: "$lt", Value: bson.A{x, b}}}},
				{Key: "then", Value: i},
			})
		}
		return bson.D{{Key: "$cond", Value: bson.A{
			bson.D{{Key: "$isNumber", Value: x}},
			bson.D{{Key: "$switch", Value: bson.D{{Key: "branches", Value: branches}, {Key: "default", Value: len(k.Bounds)}}}},
			nil,
		}}}
	}
	return x
}

// dateText is the day or month key of a field: the UTC date of a date (metadata), the
// first n characters of a string starting with a YYYY-MM-DD date, else null.
func dateText(x string, n int) any {
	typ := bson.D{{Key: "$type", Value: x}}
	isDate := bson.D{{Key: "$eq", Value: bson.A{typ, "date"}}}
	utc := bson.D{{Key: "$dateToString", Value: bson.D{
		{Key: "format", Value: map[int]string{7: "%Y-%m", 10: "%Y-%m-%d"}[n]},
		{Key: "date", Value: x},
		{Key: "timezone", Value: "UTC"},
	}}}
	// $and stops at its first false operand, so $regexMatch only sees strings.
	isDateText := bson.D{{Key: "$and", Value: bson.A{
		bson.D{{Key: "$eq", Value: bson.A{typ, "string"}}},
		bson.D{{Key: "$regexMatch", Value: bson.D{{Key: "input", Value: x}, {Key: "regex", Value: datePattern}}}},
	}}}
	prefix := bson.D{{Key: "$substrBytes", Value: bson.A{x, 0, n}}}
	return bson.D{{Key: "$cond", Value: bson.A{isDate, utc,
		bson.D{{Key: "$cond", Value: bson.A{isDateText, prefix, nil}}},
	}}}
}

// rowKey reads a $group _id back into one value per group key.
func rowKey(id bson.RawValue, keys []store.GroupKey) ([]any, error) {
	out := make([]any, len(keys))
	if len(keys) == 0 || id.Type != bson.TypeEmbeddedDocument {
		return out, nil
	}
	doc := id.Document()
	for i, k := range keys {
		rv, err := doc.LookupErr("k" + strconv.Itoa(i))
		if err != nil {
			continue // a missing field groups with null
		}
		if rv.Type == bson.TypeDateTime {
			out[i] = normalKey(rv.Time())
			continue
		}
		v, err := valueFromRaw(rv)
		if err != nil {
			return nil, fmt.Errorf("decode group key: %w", err)
		}
		v = normalKey(v)
		if f, ok := v.(float64); ok && k.Bucket == store.BucketRange {
			v = int(f)
		}
		out[i] = v
	}
	return out, nil
}

// rawNumber reads a numeric result field; false when it is absent, null or not a number.
func rawNumber(rv bson.RawValue) (float64, bool) {
	switch rv.Type {
	case bson.TypeInt32:
		return float64(rv.Int32()), true
	case bson.TypeInt64:
		return float64(rv.Int64()), true
	case bson.TypeDouble:
		return rv.Double(), true
	case bson.TypeDecimal128:
		f, err := strconv.ParseFloat(rv.Decimal128().String(), 64)
		return f, err == nil
	}
	return 0, false
}
