package rule

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDryRun(t *testing.T) {
	s := mustSet(t, scoreBelow400,
		`{"key":"review","title":{"en":"review"},"enabled":false,"trigger":{"on":"record.created"},
		 "condition":{"any":[{"field":"credit_score.score","op":"lt","value":600},{"field":"amount","op":"gt","value":100000},{"field":"channel","op":"eq","value":"partner"}]},
		 "actions":[{"type":"set_field","field":"position","expr":"'score ' + string(record.credit_score.score)"}]}`,
		`{"key":"broken","title":{"en":"b"},"trigger":{"on":"record.created"},"condition":"100 / (record.term_months - 12) > 1","actions":[{"type":"flag","flag":"x"}]}`,
	)

	t.Run("leaves of a visual condition", func(t *testing.T) {
		dr, err := s.DryRun("review", loanRecord(t, `{"credit_score":{"status":"done","score":580}}`))
		require.NoError(t, err)
		assert.False(t, dr.Enabled)
		assert.Equal(t, Held, dr.Outcome)
		assert.False(t, dr.Fires, "a disabled rule does not fire")
		require.Len(t, dr.Leaves, 3)
		assert.Equal(t, LeafResult{Path: "/rules/1/condition/any/0", Field: "credit_score.score", Op: "lt",
			CEL: "has(record.credit_score.score) && record.credit_score.score < 600", Outcome: Held}, dr.Leaves[0])
		assert.Equal(t, NotHeld, dr.Leaves[1].Outcome)
		assert.Equal(t, "/rules/1/condition/any/2", dr.Leaves[2].Path)
		assert.Equal(t, NotHeld, dr.Leaves[2].Outcome)
		assert.Equal(t, []Action{{Type: ActSetField, Field: "position", Value: "score 580"}}, dr.Actions)
	})

	t.Run("expression as a whole", func(t *testing.T) {
		dr, err := s.DryRun("score_below_400", loanRecord(t, `{"credit_score":{"status":"done","score":350}}`))
		require.NoError(t, err)
		assert.Equal(t, Held, dr.Outcome)
		assert.True(t, dr.Fires)
		assert.Empty(t, dr.Leaves)
		assert.Equal(t, "has(record.credit_score.score) && record.credit_score.score < 400", dr.Condition)
		require.Len(t, dr.Actions, 2)
		assert.Equal(t, ActReject, dr.Actions[0].Type)

		dr, err = s.DryRun("score_below_400", loanRecord(t, ""))
		require.NoError(t, err)
		assert.Equal(t, NotHeld, dr.Outcome)
		assert.False(t, dr.Fires)
	})

	t.Run("error", func(t *testing.T) {
		dr, err := s.DryRun("broken", loanRecord(t, ""))
		require.NoError(t, err)
		assert.Equal(t, Failed, dr.Outcome)
		assert.Contains(t, dr.Error, "division by zero")
		assert.False(t, dr.Fires)
	})

	t.Run("unknown rule", func(t *testing.T) {
		_, err := s.DryRun("nope", loanRecord(t, ""))
		assert.ErrorIs(t, err, ErrUnknownRule)
	})
}
