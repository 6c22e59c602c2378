package audit

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/store"
)

// plainJSON is what an entry's body was made with before plainEntry: encoding/json and
// back. plainEntry must give the very same values.
func plainJSON(e *Entry) (map[string]any, error) {
	c := *e
	c.Seq, c.Prev, c.Hash = 0, "", ""
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, err
	}
	m, err := store.DecodeData(b)
	if err != nil {
		return nil, err
	}
	delete(m, "seq")
	delete(m, "prev")
	delete(m, "hash")
	return m, nil
}

// Text that encoding/json escapes or replaces, and keys that sort in byte order rather
// than by rune.
var trickyWords = []string{"a", "", "Z", "名字", "<b>&amp;", "tab\there", "nl\n\r", "\x00\x1f\x7f",
	"\b\f", `q"uote\`, "bad\xffutf8", "\xe2\x80\xa8sep\u2029", "é", "\U0001F600", "z"}

func randomValue(r *rand.Rand, depth int) any {
	switch r.IntN(11) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2, 3:
		return trickyWords[r.IntN(len(trickyWords))]
	case 4:
		return json.Number([]string{"0", "-1.5", "1e21", "12345678901234567890"}[r.IntN(4)])
	case 5:
		return r.IntN(1e6) - 5e5
	case 6:
		return int64(r.IntN(1e6))
	case 7:
		fs := []float64{0.1, 1e21, 1e-7, 3, 1e-6, 9.99e-7, 1e20, 123456.789, -2.5e-9, 5e-324, math.MaxFloat64, -0.0, 1.7976931348623157e300}
		return fs[r.IntN(len(fs))]
	case 8:
		if depth > 2 {
			return "leaf"
		}
		m := map[string]any{}
		for range r.IntN(4) {
			m[trickyWords[r.IntN(len(trickyWords))]] = randomValue(r, depth+1)
		}
		return m
	case 9:
		if depth > 2 {
			return nil
		}
		xs := make([]any, r.IntN(4))
		for i := range xs {
			xs[i] = randomValue(r, depth+1)
		}
		return xs
	default:
		return []string{"x", "<y>"}
	}
}

func TestPlainEntryEqualsEncodingJSONRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		e := Entry{Actor: "u" + strconv.Itoa(i), Action: ActionCreate, Object: trickyWords[r.IntN(len(trickyWords))] + "/x",
			Time: time.Date(2026, 12, 7, 10, 0, 0, i*1000, time.UTC)}
		if r.IntN(3) > 0 {
			e.Client, e.RequestID = "10.0.0.1", trickyWords[r.IntN(len(trickyWords))]
		}
		if r.IntN(4) > 0 {
			e.Diff = map[string]Change{}
			for range r.IntN(6) {
				e.Diff[trickyWords[r.IntN(len(trickyWords))]] = Change{From: randomValue(r, 0), To: randomValue(r, 0)}
			}
		}
		if r.IntN(4) > 0 {
			e.Detail = map[string]any{}
			for range r.IntN(4) {
				e.Detail[trickyWords[r.IntN(len(trickyWords))]] = randomValue(r, 0)
			}
		}
		want, err := plainJSON(&e)
		require.NoError(t, err)
		got, err := plainEntry(&e)
		require.NoError(t, err)
		require.Equal(t, want, got, "entry %d", i)
	}
}

func TestMarshalPlainEqualsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 3000 {
		v, err := roundTrip(randomValue(r, 0)) // the values a stored document holds
		require.NoError(t, err)
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, ok := appendPlain(nil, v)
		require.True(t, ok, "value %d: %#v", i, v)
		require.Equal(t, string(want), string(got), "value %d: %#v", i, v)
	}
	// Strings are written from what they hold, valid UTF-8 or not.
	for _, w := range trickyWords {
		want, err := json.Marshal(w)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, w)), "%q", w)
	}
}

func TestMarshalPlainFallsBackForOtherTypes(t *testing.T) {
	_, ok := appendPlain(nil, map[string]any{"n": 1.5})
	require.False(t, ok, "a float64 is not a stored value")
	_, ok = appendPlain(nil, json.Number("NaN"))
	require.False(t, ok)
	b, err := marshalPlain(map[string]any{"n": 1.5, "s": []string{"<a>"}})
	require.NoError(t, err)
	require.JSONEq(t, `{"n":1.5,"s":["<a>"]}`, string(b))
}

func BenchmarkPrepareCreateEntry(b *testing.B) {
	diff := map[string]Change{}
	for i := range 35 {
		k := "field_" + strconv.Itoa(i)
		switch i % 3 {
		case 0:
			diff[k] = Change{To: "张三 value " + k}
		case 1:
			diff[k] = Change{To: float64(i) * 1000.5} // records hold their numbers as float64
		default:
			diff[k] = Change{To: []any{map[string]any{"name": "李四", "phone": "138****0000"}}}
		}
	}
	l := New(nil)
	e := Entry{Actor: "user-1", Action: ActionCreate, Object: "form:loan/record:0190", Client: "127.0.0.1",
		RequestID: "req-1", Diff: diff, Detail: map[string]any{"form_version": 3}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Prepare(nil, e); err != nil {
			b.Fatal(err)
		}
	}
}
