package mongo

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/credolabs/credo/store"
)

// roundTrip stores data the way Insert does and reads it back the way Get does.
func roundTrip(t *testing.T, data map[string]any) map[string]any {
	t.Helper()
	d, err := dataToBSON(data)
	require.NoError(t, err)
	raw, err := bson.Marshal(bson.D{{Key: "d", Value: d}})
	require.NoError(t, err)
	out, err := dataFromRaw(bson.Raw(raw).Lookup("d").Document())
	require.NoError(t, err)
	return out
}

func TestDataRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want map[string]any
	}{
		{"integer stays exact", `{"n": 9007199254740993}`, map[string]any{"n": json.Number("9007199254740993")}},
		{"negative integer", `{"n": -42}`, map[string]any{"n": json.Number("-42")}},
		{"fraction is shortest", `{"n": 0.1}`, map[string]any{"n": json.Number("0.1")}},
		{"integral fraction reads as written value", `{"n": 2.50}`, map[string]any{"n": json.Number("2.5")}},
		{"exponent", `{"n": 1e300}`, map[string]any{"n": json.Number("1e+300")}},
		{"integer beyond int64 becomes double", `{"n": 123456789012345678901234}`, map[string]any{"n": json.Number("1.2345678901234569e+23")}},
		{"nested underscore key is data", `{"a": {"_b": 1, "": 2}}`, map[string]any{"a": map[string]any{"_b": json.Number("1"), "": json.Number("2")}}},
		{"strings bools and null", `{"s": "ü", "b": false, "z": null}`, map[string]any{"s": "ü", "b": false, "z": nil}},
		{"nested objects are maps", `{"a": {"b": {"c": 1}}}`, map[string]any{"a": map[string]any{"b": map[string]any{"c": json.Number("1")}}}},
		{"arrays are slices", `{"a": [1, "x", {"k": [true]}]}`, map[string]any{"a": []any{json.Number("1"), "x", map[string]any{"k": []any{true}}}}},
		{"empty object and array", `{"o": {}, "a": []}`, map[string]any{"o": map[string]any{}, "a": []any{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := store.DecodeData([]byte(c.in))
			require.NoError(t, err)
			assert.Equal(t, c.want, roundTrip(t, in))
		})
	}
}

func TestDataToBSONTypes(t *testing.T) {
	at := time.Date(2024, 3, 5, 10, 0, 0, 0, time.FixedZone("x", 3600))
	cases := []struct {
		name string
		in   any
		want any
	}{
		{"json integer is int64", json.Number("7"), int64(7)},
		{"json fraction is double", json.Number("7.25"), 7.25},
		{"go int is int64", 7, int64(7)},
		{"time is RFC 3339 UTC text", at, "2024-03-05T09:00:00Z"},
		{"typed slice goes through JSON", []string{"a", "b"}, bson.A{"a", "b"}},
		{"typed map goes through JSON", map[string]int{"a": 1}, bson.M{"a": int64(1)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := valueToBSON(c.in, "/x")
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestDataErrors(t *testing.T) {
	cases := []struct {
		name    string
		in      map[string]any
		code    string
		pointer string
	}{
		{"dollar key", map[string]any{"$where": 1}, "invalid_key", "/$where"},
		{"empty top-level key", map[string]any{"": 1}, "invalid_key", "/"},
		{"underscore top-level key", map[string]any{"_id": "x"}, "invalid_key", "/_id"},
		{"dotted key nested", map[string]any{"a": map[string]any{"b.c": 1}}, "invalid_key", "/a/b.c"},
		{"nul key", map[string]any{"a\x00": 1}, "invalid_key", "/a\x00"},
		{"slash in key is escaped", map[string]any{"a/b": map[string]any{"$x": 1}}, "invalid_key", "/a~1b/$x"},
		{"number out of range", map[string]any{"a": []any{json.Number("1e400")}}, "invalid_number", "/a/0"},
		{"not finite", map[string]any{"a": math.Inf(1)}, "invalid_number", "/a"},
		{"not JSON", map[string]any{"a": make(chan int)}, "unsupported_value", "/a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := dataToBSON(c.in)
			require.Error(t, err)
			var de *DataError
			require.True(t, errors.As(err, &de), "want a DataError, got %v", err)
			assert.Equal(t, c.code, de.Code)
			assert.Equal(t, c.pointer, de.Pointer)
			assert.NotEmpty(t, de.Message)
			assert.ErrorIs(t, err, store.ErrInvalid)
		})
	}
}

func TestQueryValue(t *testing.T) {
	at := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		path    string
		in      any
		want    any
		wantErr bool
	}{
		{"integer number", "d.n", json.Number("12"), int64(12), false},
		{"fraction number", "d.n", json.Number("1.5"), 1.5, false},
		{"out of range number", "d.n", json.Number("1e999"), nil, true},
		{"metadata time from text", "ca", "2024-03-05T10:00:00Z", at, false},
		{"metadata time from time", "ua", at.In(time.FixedZone("x", 7200)), at, false},
		{"metadata time not RFC 3339", "ca", "yesterday", nil, true},
		{"data time becomes text", "d.at", at, "2024-03-05T10:00:00Z", false},
		{"string stays", "d.s", "x", "x", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := queryValue(c.path, c.in)
			if c.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}
