package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// testCRUD: insert, get, update and delete with versions and timestamps.
func testCRUD(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("records:loan")

	t.Run("insert assigns id, version 1 and timestamps", func(t *testing.T) {
		before := time.Now().Add(-time.Second)
		d := &store.Doc{Data: map[string]any{"amount": json.Number("1200"), "name": "Ada"}}
		require.NoError(t, c.Insert(ctx, d))
		assert.NotEmpty(t, d.ID)
		assert.Equal(t, int64(1), d.Version)
		assert.Equal(t, d.CreatedAt, d.UpdatedAt)
		assert.Equal(t, time.UTC, d.CreatedAt.Location())
		assert.Zero(t, d.CreatedAt.Nanosecond()%int(time.Millisecond), "times have millisecond precision")
		assert.WithinRange(t, d.CreatedAt, before, time.Now().Add(time.Second))

		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, d.ID, got.ID)
		assert.Equal(t, int64(1), got.Version)
		assert.True(t, d.CreatedAt.Equal(got.CreatedAt), "created %v, read back %v", d.CreatedAt, got.CreatedAt)
		assert.True(t, d.UpdatedAt.Equal(got.UpdatedAt))
		assert.Empty(t, sameData(d.Data, got.Data))
	})

	t.Run("insert keeps a given id and ids are unique", func(t *testing.T) {
		d := &store.Doc{ID: "loan-0001", Data: map[string]any{"n": json.Number("1")}}
		require.NoError(t, c.Insert(ctx, d))
		assert.Equal(t, "loan-0001", d.ID)
		a, b := &store.Doc{}, &store.Doc{}
		require.NoError(t, c.Insert(ctx, a))
		require.NoError(t, c.Insert(ctx, b))
		assert.NotEqual(t, a.ID, b.ID)
	})

	t.Run("nil data is stored as an empty object", func(t *testing.T) {
		d := &store.Doc{}
		require.NoError(t, c.Insert(ctx, d))
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Empty(t, got.Data)
	})

	t.Run("duplicate id is ErrDuplicate and leaves both docs alone", func(t *testing.T) {
		first := &store.Doc{ID: "dup-1", Data: map[string]any{"v": "first"}}
		require.NoError(t, c.Insert(ctx, first))
		second := &store.Doc{ID: "dup-1", Data: map[string]any{"v": "second"}}
		err := c.Insert(ctx, second)
		require.ErrorIs(t, err, store.ErrDuplicate)
		assert.Zero(t, second.Version, "a failed insert leaves the doc unchanged")
		assert.True(t, second.CreatedAt.IsZero())
		got, err := c.Get(ctx, "dup-1")
		require.NoError(t, err)
		assert.Equal(t, "first", got.Data["v"])
	})

	t.Run("update advances version and updated_at, keeps created_at", func(t *testing.T) {
		d := &store.Doc{Data: map[string]any{"step": json.Number("1")}}
		require.NoError(t, c.Insert(ctx, d))
		created := d.CreatedAt
		time.Sleep(5 * time.Millisecond)
		d.Data = map[string]any{"step": json.Number("2"), "extra": true}
		require.NoError(t, c.Update(ctx, d))
		assert.Equal(t, int64(2), d.Version)
		assert.True(t, d.UpdatedAt.After(created), "updated_at %v after created_at %v", d.UpdatedAt, created)
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.True(t, got.CreatedAt.Equal(created))
		assert.True(t, got.UpdatedAt.Equal(d.UpdatedAt))
		assert.Empty(t, sameData(map[string]any{"step": json.Number("2"), "extra": true}, got.Data), "update replaces data")
	})

	t.Run("stale version is ErrConflict and changes nothing", func(t *testing.T) {
		d := &store.Doc{Data: map[string]any{"v": "a"}}
		require.NoError(t, c.Insert(ctx, d))
		fresh := *d
		fresh.Data = map[string]any{"v": "b"}
		require.NoError(t, c.Update(ctx, &fresh))
		stale := *d
		stale.Data = map[string]any{"v": "c"}
		require.ErrorIs(t, c.Update(ctx, &stale), store.ErrConflict)
		assert.Equal(t, int64(1), stale.Version, "a failed update leaves the version")
		got, err := c.Get(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, "b", got.Data["v"])
		assert.Equal(t, int64(2), got.Version)
	})

	t.Run("missing documents are ErrNotFound", func(t *testing.T) {
		_, err := c.Get(ctx, "no-such-doc")
		require.ErrorIs(t, err, store.ErrNotFound)
		require.ErrorIs(t, c.Update(ctx, &store.Doc{ID: "no-such-doc", Version: 1}), store.ErrNotFound)
		require.ErrorIs(t, c.Delete(ctx, "no-such-doc", 0), store.ErrNotFound)
		require.ErrorIs(t, c.Delete(ctx, "no-such-doc", 3), store.ErrNotFound)
	})

	t.Run("delete unconditional and conditional", func(t *testing.T) {
		a := &store.Doc{Data: map[string]any{"k": "a"}}
		b := &store.Doc{Data: map[string]any{"k": "b"}}
		require.NoError(t, c.Insert(ctx, a))
		require.NoError(t, c.Insert(ctx, b))
		require.NoError(t, c.Update(ctx, b))

		require.NoError(t, c.Delete(ctx, a.ID, 0))
		_, err := c.Get(ctx, a.ID)
		require.ErrorIs(t, err, store.ErrNotFound)

		require.ErrorIs(t, c.Delete(ctx, b.ID, 1), store.ErrConflict)
		_, err = c.Get(ctx, b.ID)
		require.NoError(t, err, "a conflicting delete keeps the doc")
		require.NoError(t, c.Delete(ctx, b.ID, 2))
		_, err = c.Get(ctx, b.ID)
		require.ErrorIs(t, err, store.ErrNotFound)

		require.ErrorIs(t, c.Delete(ctx, b.ID, 0), store.ErrNotFound, "deleting twice")
	})

	t.Run("deleted id can be inserted again", func(t *testing.T) {
		d := &store.Doc{ID: "again", Data: map[string]any{"round": json.Number("1")}}
		require.NoError(t, c.Insert(ctx, d))
		require.NoError(t, c.Delete(ctx, "again", 1))
		d2 := &store.Doc{ID: "again", Data: map[string]any{"round": json.Number("2")}}
		require.NoError(t, c.Insert(ctx, d2))
		assert.Equal(t, int64(1), d2.Version)
	})
}

// testNumbers: numbers come back as json.Number, integers exactly (beyond 2^53 too),
// and filters compare them exactly.
func testNumbers(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.scope(t).Collection("numbers")
	cases := []struct {
		name  string
		value any
		want  json.Number
	}{
		{"small int", 42, "42"},
		{"negative int", int64(-7), "-7"},
		{"zero", 0, "0"},
		{"max safe plus two", json.Number("9007199254740993"), "9007199254740993"},
		{"max int64", int64(9223372036854775807), "9223372036854775807"},
		{"min int64", int64(-9223372036854775808), "-9223372036854775808"},
		{"float", 0.1, "0.1"},
		{"float with exponent", 1.5e-7, "1.5e-07"},
		{"negative float", json.Number("-1234.5678"), "-1234.5678"},
		{"money", json.Number("1999.99"), "1999.99"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := &store.Doc{Data: map[string]any{"n": tc.value, "list": []any{tc.value}, "obj": map[string]any{"n": tc.value}}}
			require.NoError(t, c.Insert(ctx, d))
			got, err := c.Get(ctx, d.ID)
			require.NoError(t, err)
			want := map[string]any{"n": tc.want, "list": []any{tc.want}, "obj": map[string]any{"n": tc.want}}
			assert.Empty(t, sameData(want, got.Data))
			n, ok := got.Data["n"].(json.Number)
			require.True(t, ok, "numbers decode as json.Number, got %T", got.Data["n"])
			if isIntLiteral(string(tc.want)) {
				assert.Equal(t, tc.want, n)
			}
			page, err := c.Find(ctx, store.Query{Filter: store.And(store.Eq("n", tc.want), store.Eq(store.FieldID, d.ID))})
			require.NoError(t, err)
			assert.Len(t, page.Docs, 1, "eq finds the number it stored")
		})
	}

	t.Run("neighbours beyond 2^53 stay apart", func(t *testing.T) {
		cc := e.scope(t).Collection("numbers")
		for _, v := range []string{"9007199254740992", "9007199254740993", "9007199254740994"} {
			require.NoError(t, cc.Insert(ctx, &store.Doc{ID: "n" + v, Data: map[string]any{"n": json.Number(v)}}))
		}
		for _, tc := range []struct {
			f    *store.Filter
			want []string
		}{
			{store.Eq("n", json.Number("9007199254740993")), []string{"n9007199254740993"}},
			{store.Gt("n", json.Number("9007199254740992")), []string{"n9007199254740993", "n9007199254740994"}},
			{store.Lt("n", int64(9007199254740993)), []string{"n9007199254740992"}},
			{store.In("n", int64(9007199254740994)), []string{"n9007199254740994"}},
		} {
			page, err := cc.Find(ctx, store.Query{Filter: tc.f})
			require.NoError(t, err)
			assert.Equal(t, tc.want, idsOf(page.Docs), "filter %+v", tc.f)
		}
	})
}
