package report

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
)

func (fx *fixture) svcAggregateErr(ctx context.Context, user string, q form.AggregateQuery) error {
	_, err := fx.svc.Aggregate(ctx, actor(user, nil), "loan_application", q)
	return err
}

// Every widget's one combined aggregate answers, part by part, what one aggregate per
// part (the widget's query narrowed by the part's filter) answers, groups included: a
// group no record of a part falls in stays out of that part.
func TestCombinedQueryMatchesOneQueryPerPart(t *testing.T) {
	fx := newSeededFixture(t, 1200)
	ctx := context.Background()
	a := actor("manager", nil)
	for _, p := range []Params{{}, {Filters: map[string]FilterValue{"channel": {Values: []any{"online"}}}}} {
		for _, id := range fx.cockpit.Widgets() {
			w := fx.cockpit.byID[id]
			base, err := fx.cockpit.widgetFilter(w, p)
			require.NoError(t, err)
			keys := make([]store.GroupKey, len(w.def.GroupBy))
			for i, g := range w.def.GroupBy {
				keys[i] = storeKey(g)
			}
			groups, err := fx.svc.Aggregate(ctx, a, w.def.Form, w.combinedQuery(base, keys))
			require.NoError(t, err)
			got := w.split(groups, len(keys) > 0)
			require.Len(t, got, len(w.parts))
			for pi, pt := range w.parts {
				want, err := fx.svc.Aggregate(ctx, a, w.def.Form, form.AggregateQuery{Filter: store.And(base, pt.filter), GroupBy: keys, Measures: pt.measures})
				require.NoError(t, err)
				assert.Equal(t, want, got[pi], "widget %s part %d", id, pi)
			}
		}
	}
}
