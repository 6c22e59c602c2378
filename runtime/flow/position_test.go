package flow

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNodePositions: a node may say where the designer draws it; compile accepts that
// on every kind of node and the engine ignores it, and a malformed one is refused at
// its own JSON pointer.
func TestNodePositions(t *testing.T) {
	f := loanForm(t)
	placed := minimal
	for _, node := range []string{`{"id":"s","type":"start"`, `{"id":"g","type":"gateway"`, `{"id":"review","type":"approval"`, `{"id":"ok","type":"end"`} {
		require.Contains(t, placed, node)
		placed = strings.Replace(placed, node, node+`,"position":{"x":115.5,"y":-240}`, 1)
	}
	fl := mustCompile(t, f, []byte(placed))
	review, ok := fl.Node("review")
	require.True(t, ok)
	assert.Equal(t, NodeApproval, review.Type())
	assert.Equal(t, &NodePosition{X: 115.5, Y: -240}, review.spec.Position)
	plain := mustCompile(t, f, []byte(minimal))
	for id, n := range plain.nodes {
		placed, ok := fl.nodes[id]
		require.True(t, ok, id)
		assert.Equal(t, len(n.out), len(placed.out), "positions change no edge of %s", id)
	}

	cases := []struct{ name, position, path, code string }{
		{"x not a number", `{"x":"left","y":0}`, "/nodes/2/position/x", "type"},
		{"y missing", `{"x":1}`, "/nodes/2/position", "required"},
		{"a member of its own", `{"x":1,"y":2,"z":3}`, "/nodes/2/position", "additionalProperties"},
		{"far off the canvas", `{"x":1e9,"y":2}`, "/nodes/2/position/x", "maximum"},
		{"not an object", `[1,2]`, "/nodes/2/position", "type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def := strings.Replace(minimal, `{"id":"review","type":"approval"`, `{"id":"review","type":"approval","position":`+tc.position, 1)
			_, err := Compile(f, []byte(def))
			var fe *FlowError
			require.ErrorAs(t, err, &fe)
			var got []string
			for _, p := range fe.Problems {
				got = append(got, p.Path+" "+p.Code)
			}
			assert.Contains(t, got, tc.path+" "+tc.code, "problems: %v", fe.Problems)
		})
	}
}
