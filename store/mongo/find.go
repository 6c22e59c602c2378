package mongo

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Find returns one page of matching documents in sort order, then id ascending.
func (c *collection) Find(ctx context.Context, q store.Query) (*store.Page, error) {
	limit, err := q.Validate()
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	mc, err := c.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	after, err := store.AfterCursor(q.Cursor, q.Sort)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	// The cursor's filter is built by the store package and may nest deeper than a
	// caller's filter is allowed to, so only the caller's part was validated.
	filter, err := c.query(store.And(q.Filter, after))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	opts := options.Find().SetSort(sortDoc(q.Sort)).SetLimit(int64(limit) + 1)
	if len(q.Fields) > 0 {
		opts.SetProjection(projection(q.Fields, q.Sort))
	}
	cur, err := mc.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	defer cur.Close(ctx)
	page := &store.Page{Docs: []*store.Doc{}}
	for cur.Next(ctx) {
		var s stored
		if err := cur.Decode(&s); err != nil {
			return nil, fmt.Errorf("find in %s: decode: %w", c.name, err)
		}
		d, err := s.doc()
		if err != nil {
			return nil, fmt.Errorf("find in %s: %w", c.name, err)
		}
		page.Docs = append(page.Docs, d)
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.name, err)
	}
	if len(page.Docs) > limit {
		page.Docs = page.Docs[:limit]
		page.Next = store.EncodeCursor(page.Docs[limit-1], q.Sort)
	}
	if len(q.Fields) > 0 {
		for _, d := range page.Docs {
			d.Data = pick(d.Data, q.Fields)
		}
	}
	return page, nil
}

// Count returns how many documents match f.
func (c *collection) Count(ctx context.Context, f *store.Filter) (int64, error) {
	if err := f.Validate(); err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	mc, err := c.open(ctx)
	if err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	filter, err := c.query(f)
	if err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	n, err := mc.CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count in %s: %w", c.name, err)
	}
	return n, nil
}

// query prefixes a compiled filter with the tenant and collection, so no query leaves
// them. f must have been validated.
func (c *collection) query(f *store.Filter) (bson.D, error) {
	q := bson.D{{Key: "t", Value: c.tenant}, {Key: "c", Value: c.name}}
	extra, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	return append(q, extra...), nil
}

// sortDoc orders by the sorts, then by id ascending (the cursor's tie-breaker).
func sortDoc(sorts []store.Sort) bson.D {
	d := bson.D{}
	seen := map[string]bool{}
	for _, s := range sorts {
		p := fieldPath(s.Field)
		if seen[p] {
			continue
		}
		seen[p] = true
		dir := 1
		if s.Desc {
			dir = -1
		}
		d = append(d, bson.E{Key: p, Value: dir})
	}
	if !seen["i"] {
		d = append(d, bson.E{Key: "i", Value: 1})
	}
	return d
}

// projection fetches the metadata, the requested data fields and the sort fields (the
// next cursor is built from them). Overlapping paths collapse to the shorter one, which
// MongoDB requires.
func projection(fields []string, sorts []store.Sort) bson.D {
	var paths []string
	for _, f := range fields {
		paths = append(paths, fieldPath(f))
	}
	for _, s := range sorts {
		paths = append(paths, fieldPath(s.Field))
	}
	sort.Strings(paths)
	d := bson.D{{Key: "t", Value: 1}, {Key: "c", Value: 1}, {Key: "i", Value: 1}, {Key: "v", Value: 1}, {Key: "ca", Value: 1}, {Key: "ua", Value: 1}}
	kept := []string{}
	for _, p := range paths {
		if !strings.HasPrefix(p, "d.") {
			continue
		}
		covered := false
		for _, k := range kept {
			if p == k || strings.HasPrefix(p, k+".") {
				covered = true
				break
			}
		}
		if !covered {
			kept = append(kept, p)
			d = append(d, bson.E{Key: p, Value: 1})
		}
	}
	return d
}

// pick keeps only the requested data paths of a body.
func pick(data map[string]any, fields []string) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		if strings.HasPrefix(f, "_") {
			continue
		}
		parts := strings.Split(f, ".")
		v, ok := lookup(data, parts)
		if !ok {
			continue
		}
		dst := out
		for _, p := range parts[:len(parts)-1] {
			next, ok := dst[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				dst[p] = next
			}
			dst = next
		}
		dst[parts[len(parts)-1]] = v
	}
	return out
}

// lookup reports whether a dotted path is present (possibly null) in data.
func lookup(data map[string]any, parts []string) (any, bool) {
	var cur any = data
	for _, p := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}
