package sqlite

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// jsonbCases are documents whose JSONB must read back, in SQL and in Go, exactly as the
// JSON text encoding/json writes for them.
var jsonbCases = map[string]map[string]any{
	"empty":   {},
	"scalars": {"s": "text", "t": true, "f": false, "n": nil, "i": 42, "i64": int64(math.MinInt64), "u64": uint64(math.MaxUint64), "i32": int32(-7), "u32": uint32(7)},
	"numbers": {"int": json.Number("12"), "neg": json.Number("-0"), "frac": json.Number("12000.50"), "exp": json.Number("1.5E+10"),
		"big": json.Number("123456789012345678901234567890"), "empty": json.Number(""),
		"f": 12.5, "whole": 12.0, "tiny": 1e-7, "huge": 1e21, "zero": 0.0, "negzero": math.Copysign(0, -1), "f32": float32(0.1), "max": math.MaxFloat64},
	"strings": {"quote": `say "hi"`, "apostrophe": "O'Brien", "backslash": `C:\dir`, "control": "a\nb\tc\x01", "html": "<a href='x'>&</a>",
		"chinese": "张伟", "emoji": "🙂", "mixed": "张\"伟'\n", "sep": "\u2028\u2029", "del": "\x7f"},
	"nested": {"data": map[string]any{"name": "张伟", "amount": json.Number("12000.5"), "rows": []any{map[string]any{"a": 1}, map[string]any{}, []any{}, nil},
		"tags": []string{"a", "b\"c"}, "maps": []map[string]any{{"k": "v"}}, "nilmap": map[string]any(nil), "nilslice": []any(nil)}, "form_version": 3},
	"sizes": {"s11": strings.Repeat("x", 11), "s12": strings.Repeat("x", 12), "s255": strings.Repeat("y", 255), "s256": strings.Repeat("y", 256),
		"s65535": strings.Repeat("z", 65535), "s65536": strings.Repeat("z", 65536), "arr": make([]any, 300)},
}

func TestJSONBReadsAsJSONText(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	for name, doc := range jsonbCases {
		t.Run(name, func(t *testing.T) {
			blob, ok := encodeJSONB(doc)
			require.True(t, ok)
			text, err := json.Marshal(doc)
			require.NoError(t, err)
			var valid int
			var fromBlob, fromText string
			require.NoError(t, b.wconn.QueryRowContext(ctx, `SELECT json_valid(?, 8), json(?), json(jsonb(?))`, blob, blob, string(text)).
				Scan(&valid, &fromBlob, &fromText))
			assert.Equal(t, 1, valid, "strictly conforming JSONB")
			want, err := store.DecodeData([]byte(fromText))
			require.NoError(t, err)
			got, err := store.DecodeData([]byte(fromBlob))
			require.NoError(t, err)
			assert.Equal(t, want, got)
			// SQL sees the same types and values: what filters, indexes and aggregates read.
			for k := range doc {
				path := `$."` + k + `"`
				var tb, tt, vb, vt any
				require.NoError(t, b.wconn.QueryRowContext(ctx, `SELECT json_type(?, ?), json_type(jsonb(?), ?), json_extract(?, ?), json_extract(jsonb(?), ?)`,
					blob, path, string(text), path, blob, path, string(text), path).Scan(&tb, &tt, &vb, &vt))
				assert.Equal(t, tt, tb, "type of %s", k)
				assert.Equal(t, vt, vb, "value of %s", k)
			}
		})
	}
}

func TestJSONBLeavesToEncodingJSONWhatItDoesNotTake(t *testing.T) {
	for name, doc := range map[string]map[string]any{
		"time":           {"at": time.Now()},
		"struct":         {"s": struct{ A int }{1}},
		"nan":            {"f": math.NaN()},
		"inf":            {"f": math.Inf(1)},
		"invalid utf-8":  {"s": "a\xffb"},
		"invalid number": {"n": json.Number("1.")},
		"nested":         {"data": map[string]any{"x": []any{time.Second}}},
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := encodeJSONB(doc)
			assert.False(t, ok)
		})
	}
}

// Documents written as JSONB read back as those written as JSON text did.
func TestWritesStoreWhatJSONTextStores(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	sc, err := b.Scope("acme")
	require.NoError(t, err)
	text, one, many, updated := sc.Collection("text"), sc.Collection("one"), sc.Collection("many"), sc.Collection("updated")
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	docs := map[string]map[string]any{"time": {"at": at}} // encodeJSONB leaves this one to encoding/json
	for name, doc := range jsonbCases {
		docs[name] = doc
	}
	// A table is made by the first write to its kind of collection; the raw inserts
	// below need the one of "text".
	require.NoError(t, text.Insert(ctx, &store.Doc{ID: "first", Data: map[string]any{}}))
	for name, doc := range docs {
		body, err := encodeData(doc)
		require.NoError(t, err)
		_, err = b.wconn.ExecContext(ctx, onTable(tableOf("acme", "text"), sqlInsert), "acme", "text", name, 1, 1, body)
		require.NoError(t, err)
		require.NoError(t, one.Insert(ctx, &store.Doc{ID: name, Data: doc}))
		require.NoError(t, many.InsertMany(ctx, []*store.Doc{{ID: name, Data: doc}, {ID: name + "-next", Data: map[string]any{"a": 1}}}))
		d := &store.Doc{ID: name, Data: map[string]any{"x": 1}}
		require.NoError(t, updated.Insert(ctx, d))
		d.Data = doc
		require.NoError(t, updated.Update(ctx, d))
	}
	for name := range docs {
		want, err := text.Get(ctx, name)
		require.NoError(t, err)
		for _, c := range []store.Collection{one, many, updated} {
			got, err := c.Get(ctx, name)
			require.NoError(t, err)
			assert.Equal(t, want.Data, got.Data, name)
		}
	}
	got, err := many.Get(ctx, "time")
	require.NoError(t, err)
	assert.Equal(t, "2024-01-02T03:04:05Z", got.Data["at"])
	page, err := many.Find(ctx, store.Query{Filter: &store.Filter{Field: "quote", Op: store.OpEq, Value: `say "hi"`}})
	require.NoError(t, err)
	require.Len(t, page.Docs, 1, "a filter finds a string stored as TEXTRAW")
	assert.Equal(t, "strings", page.Docs[0].ID)
	err = many.InsertMany(ctx, []*store.Doc{{Data: map[string]any{"_meta": 1}}})
	assert.ErrorIs(t, err, store.ErrInvalid, "the keys are checked as Insert checks them")
}

func BenchmarkEncodeBody(b *testing.B) {
	doc := map[string]any{"form_version": 1, "created_by": "u-0001", "data": map[string]any{
		"name": "张伟3", "id_number": "110101199003071234", "mobile_phone": "13800000003", "birth_date": "1990-03-07",
		"monthly_income": json.Number("12000.5"), "dependants": json.Number("2"), "married": true, "gender": "male",
		"channel": "online", "contract_no": "C-000003", "annual_income": json.Number("144006")}}
	b.Run("jsonb", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = encodeBody(doc)
		}
	})
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = encodeData(doc)
		}
	})
}

// decodeBody reads JSONB as store.DecodeData reads the text SQLite's json() renders of
// it, whoever wrote the JSONB: encodeJSONB, SQLite from JSON or JSON5 text, or SQLite's
// own JSON functions from SQL values.
func TestDecodeBodyReadsAsJSONText(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Config{Path: MemoryPath})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	check := func(t *testing.T, blob []byte) {
		t.Helper()
		var text string
		require.NoError(t, b.wconn.QueryRowContext(ctx, `SELECT json(?)`, blob).Scan(&text))
		want, err := store.DecodeData([]byte(text))
		require.NoError(t, err)
		got, err := decodeBody(blob)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%s", text)
	}
	sqlBlob := func(t *testing.T, query string, args ...any) []byte {
		t.Helper()
		var blob []byte
		require.NoError(t, b.wconn.QueryRowContext(ctx, query, args...).Scan(&blob))
		return blob
	}
	for name, doc := range jsonbCases {
		t.Run(name, func(t *testing.T) {
			blob, ok := encodeJSONB(doc)
			require.True(t, ok)
			check(t, blob)
			text, err := json.Marshal(doc) // escapes <, > and & as \u003c…: TEXTJ in SQLite's JSONB
			require.NoError(t, err)
			check(t, sqlBlob(t, `SELECT jsonb(?)`, string(text)))
		})
	}
	for name, text := range map[string]string{
		"escapes":      `{"a":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude42","lone":"\ud800x","low":"\udc00"}`,
		"json5 values": `{hex:0x1F,neg:-0xff,big:0x1ffffffffffffffff,lead:.5,trail:5.,exp:-.5e3,pinf:Infinity,ninf:-Infinity,xnan:NaN,plus:+5,'single':'it\'s'}`,
		"json5 text":   `{"s":"\x41\'\v\0 line\` + "\n" + `continued"}`,
		"deep":         `{"a":[1,[2,[3,{"b":null}]],{}],"c":{"d":[]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			check(t, sqlBlob(t, `SELECT jsonb(?)`, text))
		})
	}
	t.Run("values SQL wrote", func(t *testing.T) {
		check(t, sqlBlob(t, `SELECT jsonb_set(jsonb('{"n":1}'), '$.r', 1e20, '$.i', 42, '$.f', 2.5, '$.s', 'it''s "quoted"', '$.z', 0.1 + 0.2)`))
	})
	t.Run("JSON text, as a projection returns it", func(t *testing.T) {
		got, err := decodeBody([]byte(`{"a":1}`))
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"a": json.Number("1")}, got)
	})
	t.Run("a damaged document is an error", func(t *testing.T) {
		blob, ok := encodeJSONB(jsonbCases["nested"])
		require.True(t, ok)
		for _, cut := range []int{1, 2, len(blob) / 2, len(blob) - 1} {
			_, err := decodeBody(blob[:cut])
			assert.Error(t, err, "cut at %d", cut)
		}
	})
}

func BenchmarkDecodeBody(b *testing.B) {
	doc := map[string]any{"form_version": 1, "created_by": "u-0001", "data": map[string]any{
		"name": "张伟3", "id_number": "110101199003071234", "mobile_phone": "13800000003", "birth_date": "1990-03-07",
		"monthly_income": json.Number("12000.5"), "dependants": json.Number("2"), "married": true, "gender": "male",
		"channel": "online", "contract_no": "C-000003", "annual_income": json.Number("144006")}}
	blob, _ := encodeJSONB(doc)
	text, _ := json.Marshal(doc)
	b.Run("jsonb", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = decodeBody(blob)
		}
	})
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = store.DecodeData(text)
		}
	})
}
