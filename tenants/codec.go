package tenants

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credolabs/credo/store"
)

// toData turns one of the package's document structs into a store document body. The
// JSON round trip keeps the stored shape identical on every backend.
func toData(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	m, err := store.DecodeData(b)
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	return m, nil
}

// fromData decodes a store document body into v.
func fromData(doc *store.Doc, v any) error {
	b, err := json.Marshal(doc.Data)
	if err != nil {
		return fmt.Errorf("decode document %s: %w", doc.ID, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode document %s: %w", doc.ID, err)
	}
	return nil
}

// findAll reads every document of a collection matching f, page by page, in id order.
func findAll(ctx context.Context, c store.Collection, f *store.Filter, each func(*store.Doc) error) error {
	q := store.Query{Filter: f, Sort: []store.Sort{{Field: store.FieldID}}, Limit: store.MaxLimit}
	for {
		page, err := c.Find(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range page.Docs {
			if err := each(d); err != nil {
				return err
			}
		}
		if page.Next == "" || len(page.Docs) == 0 {
			return nil
		}
		q.Cursor = page.Next
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
