package sqlite

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func newBodyScope(t *testing.T) *scope {
	t.Helper()
	b, err := Open(context.Background(), Config{Path: MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	sc, err := b.Scope("acme")
	require.NoError(t, err)
	return sc.(*scope)
}

// A document inserted with the body EncodeBody made reads back as one inserted from
// Data alone.
func TestInsertWithEncodedBodyStoresWhatDataStores(t *testing.T) {
	ctx := context.Background()
	sc := newBodyScope(t)
	plain, encoded := sc.Collection("records:plain"), sc.Collection("records:encoded")
	docs := map[string]map[string]any{
		"nil":  nil,
		"time": {"at": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, // encoded as JSON text
	}
	for name, doc := range jsonbCases {
		docs[name] = doc
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			body, err := store.EncodeBody(sc, data)
			require.NoError(t, err)
			_, ok := body.Encoded(bodyEngine)
			require.True(t, ok, "the scope encodes bodies")
			require.NoError(t, encoded.Insert(ctx, &store.Doc{ID: name, Data: data, Body: body}))
			require.NoError(t, plain.Insert(ctx, &store.Doc{ID: name, Data: data}))
			want, err := plain.Get(ctx, name)
			require.NoError(t, err)
			got, err := encoded.Get(ctx, name)
			require.NoError(t, err)
			assert.Equal(t, want.Data, got.Data)
		})
	}
}

// Insert writes this engine's Body as it is and encodes Data for another engine's.
func TestInsertUsesOnlyItsOwnEnginesBody(t *testing.T) {
	ctx := context.Background()
	sc := newBodyScope(t)
	c := sc.Collection("records:loan")
	other, err := sc.EncodeBody(map[string]any{"amount": 2})
	require.NoError(t, err)
	otherBytes, _ := other.Encoded(bodyEngine)

	for name, tc := range map[string]struct {
		body store.Body
		want any
	}{
		// Body and Data differ here only to show which one was written.
		"own engine":     {other, "2"},
		"another engine": {store.NewBody("mongo", otherBytes), "1"},
		"zero body":      {store.Body{}, "1"},
	} {
		t.Run(name, func(t *testing.T) {
			d := &store.Doc{Data: map[string]any{"amount": 1}, Body: tc.body}
			require.NoError(t, c.Insert(ctx, d))
			got, err := c.Get(ctx, d.ID)
			require.NoError(t, err)
			assert.EqualValues(t, tc.want, got.Data["amount"])
		})
	}
}

// EncodeBody refuses what Insert refuses, with the error Insert wraps.
func TestEncodeBodyRefusesWhatInsertRefuses(t *testing.T) {
	ctx := context.Background()
	sc := newBodyScope(t)
	c := sc.Collection("records:loan")
	for name, data := range map[string]map[string]any{
		"empty key":        {"": 1},
		"metadata key":     {"_meta": 1},
		"operator key":     {"$set": 1},
		"dotted key":       {"a.b": 1},
		"not a JSON value": {"f": math.NaN()},
	} {
		t.Run(name, func(t *testing.T) {
			body, encErr := sc.EncodeBody(data)
			require.ErrorIs(t, encErr, store.ErrInvalid)
			assert.Zero(t, body)
			insErr := c.Insert(ctx, &store.Doc{ID: "x", Data: data})
			require.ErrorIs(t, insErr, store.ErrInvalid)
			assert.Equal(t, "insert x into records:loan: "+encErr.Error(), insErr.Error())
		})
	}
}

// A body encodeBody wrote as JSON text (a value JSONB does not take) is not extended:
// the Insert encodes Data, which holds every member.
func TestExtendBodyLeavesTextBodiesToInsert(t *testing.T) {
	ctx := context.Background()
	sc := newBodyScope(t)
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	body, err := sc.EncodeBody(map[string]any{"at": at})
	require.NoError(t, err)
	ext, err := sc.ExtendBody(body, map[string]any{"seq": 1})
	require.NoError(t, err)
	_, ok := ext.Encoded(bodyEngine)
	assert.False(t, ok, "the zero Body")
	c := sc.Collection("audit")
	require.NoError(t, c.Insert(ctx, &store.Doc{ID: "t", Data: map[string]any{"at": at, "seq": 1}, Body: ext}))
	got, err := c.Get(ctx, "t")
	require.NoError(t, err)
	assert.Equal(t, "2026-12-07T10:00:00Z", got.Data["at"])
	assert.Equal(t, "1", fmt.Sprint(got.Data["seq"]))
}
