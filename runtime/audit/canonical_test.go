package audit

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The spliced hash must be the hash the chain is verified with, whatever the entry holds:
// keys that sort before, between and after the link fields, HTML-escaped text, nesting.
func TestHashLinkedEqualsHashOfStoredDocument(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "prev0", "pre", "q", "sea", "seq_x", "s", "z", "<b>&", "名字", "Z", "_"}
	value := func() any {
		switch r.IntN(5) {
		case 0:
			return words[r.IntN(len(words))]
		case 1:
			return r.Float64() * 1e6
		case 2:
			return map[string]any{"from": words[r.IntN(len(words))], "to": []any{1, "x", nil, true}}
		case 3:
			return nil
		default:
			return r.IntN(1000)
		}
	}
	for i := range 300 {
		e := Entry{Actor: "u" + strconv.Itoa(i), Action: ActionUpdate, Object: "record:loan/" + words[r.IntN(len(words))],
			Time: time.Date(2026, 12, 7, 10, 0, 0, i*1000, time.UTC), Detail: map[string]any{}, Diff: map[string]Change{}}
		for range r.IntN(6) {
			e.Detail[words[r.IntN(len(words))]] = value()
			e.Diff[words[r.IntN(len(words))]] = Change{From: value(), To: value()}
		}
		p, err := New(func() time.Time { return e.Time }).Prepare(nil, e)
		require.NoError(t, err)
		seq, prev := int64(r.IntN(1e9)+1), strconv.Itoa(r.IntN(1e6))
		want, err := hashData(withLink(p.body, seq, prev))
		require.NoError(t, err)
		got, err := p.canon.hashLinked(seq, prev)
		require.NoError(t, err)
		require.Equal(t, want, got, "entry %d", i)
		// An append that finds its place taken links the entry again elsewhere.
		want, err = hashData(withLink(p.body, seq+1, "other"))
		require.NoError(t, err)
		got, err = p.canon.hashLinked(seq+1, "other")
		require.NoError(t, err)
		require.Equal(t, want, got, "entry %d, linked again", i)
	}
}

func TestCanonicalMembersAreEncodingJSONs(t *testing.T) {
	body := map[string]any{"b": json.Number("2"), "a": "<x>", "seq": json.Number("9")}
	c, err := canonicalOf(body)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, c.keys, "the link fields are left to hashLinked")
	require.Equal(t, `"a":"\u003cx\u003e"`, string(c.members[0]))
}
