package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testFindIDs: store.FindIDs hands over every stored document among more ids than one
// "in" list may hold, projected as asked, and skips the ids not stored.
func testFindIDs(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("records:ids")
	var docs []*store.Doc
	for i := range 2*store.MaxFilterNodes + 50 {
		docs = append(docs, &store.Doc{ID: fmt.Sprintf("r%04d", i), Data: map[string]any{"n": i, "note": "kept"}})
	}
	require.NoError(t, c.InsertMany(ctx, docs))
	var ids, want []string
	for i, d := range docs {
		if i%3 == 0 {
			ids, want = append(ids, d.ID), append(want, d.ID)
		}
		ids = append(ids, fmt.Sprintf("gone%04d", i))
	}

	var got []string
	err := store.FindIDs(ctx, c, ids, []string{"n"}, func(d *store.Doc) {
		got = append(got, d.ID)
		assert.NotContains(t, d.Data, "note", "projected on n")
	})
	require.NoError(t, err)
	slices.Sort(got)
	assert.Equal(t, want, got)
}
