package store

import (
	"context"
	"slices"
)

// FindIDs reads the documents of coll whose ids are among ids, one query per
// MaxFilterNodes ids (the bound on an "in" list), projected on fields (nil: the whole
// documents), and hands each to fn. Ids not stored are simply not handed over; an id
// asked twice may be handed over twice.
func FindIDs(ctx context.Context, coll Collection, ids []string, fields []string, fn func(*Doc)) error {
	for chunk := range slices.Chunk(ids, MaxFilterNodes) {
		in := make([]any, len(chunk))
		for i, id := range chunk {
			in[i] = id
		}
		page, err := coll.Find(ctx, Query{Filter: In(FieldID, in...), Limit: len(chunk), Fields: fields})
		if err != nil {
			return err
		}
		for _, d := range page.Docs {
			fn(d)
		}
	}
	return nil
}
