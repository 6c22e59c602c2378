package report

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
)

// TestDrillListsExactlyTheCountedRecords clicks every count figure of the cockpit and
// lists the records behind it through the ordinary record list.
func TestDrillListsExactlyTheCountedRecords(t *testing.T) {
	fx := newSeededFixture(t, 800)
	p := Params{Filters: map[string]FilterValue{"period": {From: "2024-02-01", To: "2024-11-30"}}}
	for _, a := range []form.Actor{actor("manager", nil), actor("channel_manager", map[string]string{"channel": "partner"})} {
		for _, id := range fx.cockpit.Widgets() {
			d, err := fx.engine.Render(context.Background(), a, fx.cockpit, id, p)
			require.NoError(t, err)
			w := fx.cockpit.byID[id]
			for _, s := range d.Series {
				m := w.measureNamed(s.Measure)
				if id != "application_funnel" && (m == nil || m.def.Op != "count") {
					continue
				}
				if s.ID == "rate" {
					continue
				}
				for i, c := range d.Categories {
					if id == "applications_trend" && i%5 != 0 {
						continue // every fifth week keeps the test quick
					}
					name := fmt.Sprintf("%s %s/%s/%v", a.UserID, id, s.ID, c.Key)
					target, err := Drill(fx.cockpit, id, Point{Category: c.Key, Series: s.ID}, p)
					require.NoError(t, err, name)
					assert.Equal(t, int(must(t, s.Values[i])), fx.listAll(t, a, target), name)
				}
			}
		}
	}
	t.Run("a ratio drills to its denominator", func(t *testing.T) {
		a := actor("manager", nil)
		target, err := Drill(fx.cockpit, "channel_quality", Point{Category: []any{"online"}, Series: "approval_rate"}, Params{})
		require.NoError(t, err)
		want := count(fx.loans, func(l loan) bool { return l.Channel == "online" && decided(l) })
		assert.Equal(t, int(want), fx.listAll(t, a, target))
	})
	t.Run("unknown points", func(t *testing.T) {
		_, err := Drill(fx.cockpit, "channel_quality", Point{Category: []any{"online"}, Series: "nope"}, Params{})
		assert.ErrorIs(t, err, ErrUnknownPoint)
		_, err = Drill(fx.cockpit, "overdue_amount_distribution", Point{Category: []any{9.0}, Series: "loans"}, Params{})
		assert.ErrorIs(t, err, ErrUnknownPoint)
		_, err = Drill(fx.cockpit, "application_funnel", Point{Category: []any{"paid"}}, Params{})
		assert.ErrorIs(t, err, ErrUnknownPoint)
	})
}
