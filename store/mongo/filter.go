package mongo

import (
	"fmt"
	"regexp"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// fieldPath maps a store field to its path in the stored document.
func fieldPath(f string) string {
	switch f {
	case store.FieldID:
		return "i"
	case store.FieldVersion:
		return "v"
	case store.FieldCreatedAt:
		return "ca"
	case store.FieldUpdatedAt:
		return "ua"
	}
	return "d." + f
}

// compileFilter turns a validated filter tree into a MongoDB query document; nil
// matches everything.
func compileFilter(f *store.Filter) (bson.D, error) {
	if f == nil {
		return nil, nil
	}
	switch {
	case len(f.And) > 0:
		return compileList("$and", f.And)
	case len(f.Or) > 0:
		return compileList("$or", f.Or)
	case f.Not != nil:
		inner, err := compileFilter(f.Not)
		if err != nil {
			return nil, err
		}
		// $nor of one clause is MongoDB's top-level negation: it matches what the clause
		// does not, including documents where the field is missing.
		return bson.D{{Key: "$nor", Value: bson.A{inner}}}, nil
	}
	return compileLeaf(f)
}

func compileList(op string, fs []*store.Filter) (bson.D, error) {
	parts := make(bson.A, 0, len(fs))
	for _, c := range fs {
		d, err := compileFilter(c)
		if err != nil {
			return nil, err
		}
		if d == nil {
			d = bson.D{}
		}
		parts = append(parts, d)
	}
	return bson.D{{Key: op, Value: parts}}, nil
}

func compileLeaf(f *store.Filter) (bson.D, error) {
	p := fieldPath(f.Field)
	val := func(v any) (any, error) {
		c, err := queryValue(p, v)
		if err != nil {
			return nil, fmt.Errorf("filter %s %s: %s: %w", f.Field, f.Op, err.Error(), store.ErrInvalid)
		}
		return c, nil
	}
	cmp := func(op string) (bson.D, error) {
		v, err := val(f.Value)
		if err != nil {
			return nil, err
		}
		return bson.D{{Key: p, Value: bson.D{{Key: op, Value: v}}}}, nil
	}
	switch f.Op {
	case store.OpEq:
		v, err := val(f.Value)
		if err != nil {
			return nil, err
		}
		return bson.D{{Key: p, Value: v}}, nil
	case store.OpNe:
		return cmp("$ne")
	case store.OpGt:
		return cmp("$gt")
	case store.OpGte:
		return cmp("$gte")
	case store.OpLt:
		return cmp("$lt")
	case store.OpLte:
		return cmp("$lte")
	case store.OpIn, store.OpNin:
		vs, _ := f.Value.([]any)
		list := make(bson.A, len(vs))
		for i, v := range vs {
			c, err := val(v)
			if err != nil {
				return nil, err
			}
			list[i] = c
		}
		op := "$in"
		if f.Op == store.OpNin {
			op = "$nin"
		}
		return bson.D{{Key: p, Value: bson.D{{Key: op, Value: list}}}}, nil
	case store.OpExists:
		if present, _ := f.Value.(bool); present {
			return bson.D{{Key: p, Value: bson.D{{Key: "$ne", Value: nil}}}}, nil
		}
		return bson.D{{Key: p, Value: nil}}, nil
	case store.OpContains:
		// A regex on an array field would search its elements for the substring; the
		// contract wants equal elements there, so the regex is kept to non-arrays.
		s, _ := f.Value.(string)
		return bson.D{{Key: "$or", Value: bson.A{
			notArray(p, primitive.Regex{Pattern: regexp.QuoteMeta(s)}),
			bson.D{{Key: p, Value: s}},
		}}}, nil
	case store.OpPrefix:
		s, _ := f.Value.(string)
		return notArray(p, primitive.Regex{Pattern: "^" + regexp.QuoteMeta(s)}), nil
	}
	return nil, fmt.Errorf("filter operator %q: %w", f.Op, store.ErrInvalid)
}

// notArray matches a field that is not an array and matches cond.
func notArray(p string, cond any) bson.D {
	return bson.D{{Key: "$and", Value: bson.A{
		bson.D{{Key: p, Value: cond}},
		bson.D{{Key: p, Value: bson.D{{Key: "$not", Value: bson.D{{Key: "$type", Value: "array"}}}}}},
	}}}
}
