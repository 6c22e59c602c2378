package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testBody: a body encoded ahead of the insert (store.EncodeBody) stores the same
// document Data alone does, with the engine's own encoder or without one.
func testBody(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.scope(t)
	plain, encoded := s.Collection("records:plain"), s.Collection("records:encoded")

	t.Run("a pre-encoded body stores what Data stores", func(t *testing.T) {
		docs := map[string]map[string]any{
			"empty": {},
			"nil":   nil,
			"scalars": {"s": "text", "yes": true, "no": false, "none": nil, "int": json.Number("42"),
				"big": json.Number("9007199254740993"), "frac": json.Number("12000.5"), "neg": json.Number("-0.001")},
			"unicode": {"name": "张伟", "emoji": "🙂", "quote": `say "hi"`, "apostrophe": "O'Brien", "control": "a\nb\tc"},
			"nested": {"applicant": map[string]any{"name": "Zoë", "address": map[string]any{"city": "Lagos"}},
				// No array inside an array: FerretDB refuses them.
				"references": []any{map[string]any{"name": "R One"}, map[string]any{}, nil, json.Number("3")},
				"tags":       []any{"vip", "returning"}, "none": []any{}},
		}
		for name, data := range docs {
			t.Run(name, func(t *testing.T) {
				body, err := store.EncodeBody(s, data)
				require.NoError(t, err)
				withBody := &store.Doc{ID: name, Data: data, Body: body}
				require.NoError(t, encoded.Insert(ctx, withBody))
				assert.Equal(t, int64(1), withBody.Version)
				require.NoError(t, plain.Insert(ctx, &store.Doc{ID: name, Data: data}))

				want, err := plain.Get(ctx, name)
				require.NoError(t, err)
				got, err := encoded.Get(ctx, name)
				require.NoError(t, err)
				assert.Empty(t, sameData(want.Data, got.Data))
				if data != nil {
					assert.Empty(t, sameData(data, got.Data))
				}
			})
		}
	})

	t.Run("an extended body stores both parts", func(t *testing.T) {
		extended := s.Collection("audit:extended")
		for name, bulk := range map[string]map[string]any{
			"small":  {"actor": "u1", "action": "create"},
			"large":  {"diff": map[string]any{"a": longText(300), "b": longText(70000)}, "object": "x"},
			"empty":  {},
			"nested": {"detail": map[string]any{"n": json.Number("1.5"), "list": []any{"x", nil}}},
		} {
			t.Run(name, func(t *testing.T) {
				extra := map[string]any{"seq": json.Number("12"), "prev": "abc", "hash": longText(64)}
				body, err := store.EncodeBody(s, bulk)
				require.NoError(t, err)
				ext, err := store.ExtendBody(s, body, extra)
				require.NoError(t, err)
				whole := map[string]any{}
				for k, v := range bulk {
					whole[k] = v
				}
				for k, v := range extra {
					whole[k] = v
				}
				require.NoError(t, extended.Insert(ctx, &store.Doc{ID: name, Data: whole, Body: ext}))
				got, err := extended.Get(ctx, name)
				require.NoError(t, err)
				assert.Empty(t, sameData(whole, got.Data))
			})
		}
		_, err := store.ExtendBody(s, store.Body{}, map[string]any{"$bad": 1})
		if _, extends := s.(store.BodyExtender); extends {
			assert.ErrorIs(t, err, store.ErrInvalid, "extra's keys are checked")
		}
	})

	t.Run("a body another engine made is ignored", func(t *testing.T) {
		d := &store.Doc{Data: map[string]any{"n": json.Number("1")}, Body: store.NewBody("storetest", []byte("not a body"))}
		require.NoError(t, encoded.Insert(ctx, d))
		got, err := encoded.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Empty(t, sameData(map[string]any{"n": json.Number("1")}, got.Data))
	})

	t.Run("keys Insert refuses are refused before it or by it", func(t *testing.T) {
		for _, key := range []string{"", "_meta", "$set", "a.b"} {
			data := map[string]any{key: 1}
			body, err := store.EncodeBody(s, data)
			if err != nil {
				assert.ErrorIs(t, err, store.ErrInvalid, "key %q", key)
				continue
			}
			// An engine without an encoder checks the keys when it inserts.
			err = encoded.Insert(ctx, &store.Doc{Data: data, Body: body})
			assert.ErrorIs(t, err, store.ErrInvalid, "key %q", key)
		}
	})
}

// longText is n bytes of text.
func longText(n int) string { return strings.Repeat("x", n) }
