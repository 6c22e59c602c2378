package mongo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

func TestCheckIndex(t *testing.T) {
	cases := []struct {
		name string
		idx  store.Index
		ok   bool
	}{
		{"data fields", store.Index{Name: "by_status", Fields: []string{"status", "applicant.id"}}, true},
		{"metadata field", store.Index{Name: "by_time", Fields: []string{store.FieldCreatedAt}}, true},
		{"bad name", store.Index{Name: "By-Status", Fields: []string{"status"}}, false},
		{"no fields", store.Index{Name: "empty"}, false},
		{"bad field", store.Index{Name: "x", Fields: []string{"$where"}}, false},
		{"repeated field", store.Index{Name: "x", Fields: []string{"a", "a"}}, false},
		{"four fields", store.Index{Name: "x", Fields: []string{"a", "b", "c", "d"}}, true},
		{"too many fields", store.Index{Name: "x", Fields: []string{"a", "b", "c", "d", "e"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkIndex(c.idx)
			if c.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, store.ErrInvalid)
			}
		})
	}
}

func TestUniqueKey(t *testing.T) {
	doc := func(data string) *store.Doc {
		d, err := store.DecodeData([]byte(data))
		require.NoError(t, err)
		return &store.Doc{ID: "r1", Data: d}
	}
	cases := []struct {
		name   string
		a, b   *store.Doc
		fields []string
		same   bool
	}{
		{"equal strings", doc(`{"x": "A1"}`), doc(`{"x": "A1"}`), []string{"x"}, true},
		{"strings are case-sensitive", doc(`{"x": "a1"}`), doc(`{"x": "A1"}`), []string{"x"}, false},
		{"integer and integral double", doc(`{"x": 5}`), doc(`{"x": 5.0}`), []string{"x"}, true},
		{"large integers stay apart", doc(`{"x": 9007199254740993}`), doc(`{"x": 9007199254740992}`), []string{"x"}, false},
		{"number and its text", doc(`{"x": 5}`), doc(`{"x": "5"}`), []string{"x"}, false},
		{"nested path", doc(`{"a": {"b": true}}`), doc(`{"a": {"b": true}, "z": 1}`), []string{"a.b"}, true},
		{"compound keys do not run together", doc(`{"x": "a,sb", "y": "c"}`), doc(`{"x": "a", "y": "b,sc"}`), []string{"x", "y"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ka, ok := uniqueKey(c.a, c.fields)
			require.True(t, ok)
			kb, ok := uniqueKey(c.b, c.fields)
			require.True(t, ok)
			assert.Equal(t, c.same, ka == kb, "%s vs %s", ka, kb)
		})
	}
	t.Run("missing or null field is not constrained", func(t *testing.T) {
		for _, d := range []*store.Doc{doc(`{"x": 1}`), doc(`{"x": 1, "y": null}`)} {
			_, ok := uniqueKey(d, []string{"x", "y"})
			assert.False(t, ok)
		}
	})
}
