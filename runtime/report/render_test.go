package report

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/credolabs/credo/runtime/form"
	"github.com/credolabs/credo/store"
	"github.com/credolabs/credo/store/sqlite"
)

func newSeededFixture(t *testing.T, n int) *fixture {
	t.Helper()
	fx := newFixture(t, sqlite.MemoryPath)
	fx.seed(t, genLoans(n))
	return fx
}

func render(t *testing.T, fx *fixture, a form.Actor, widget string, p Params) *WidgetData {
	t.Helper()
	d, err := fx.engine.Render(context.Background(), a, fx.cockpit, widget, p)
	require.NoError(t, err)
	return d
}

func TestRenderFiguresMatchRecords(t *testing.T) {
	fx := newSeededFixture(t, 3000)
	mgr := actor("manager", nil)
	all := fx.loans

	t.Run("kpi with filtered measures and a ratio", func(t *testing.T) {
		d := render(t, fx, mgr, "headline", Params{Locale: "en"})
		assert.Equal(t, "Headline figures", d.Title)
		assert.Equal(t, float64(len(all)), must(t, valueAt(t, d, "applications")))
		wantRate := count(all, approved) / count(all, decided)
		assert.InDelta(t, wantRate, must(t, valueAt(t, d, "approval_rate")), 1e-12)
		sum := 0.0
		for _, l := range all {
			if l.Status == "disbursed" {
				sum += l.Limit
			}
		}
		assert.Equal(t, sum, must(t, valueAt(t, d, "disbursed_amount")))
		assert.Len(t, d.Series, 3, "hidden measures are not shown")
	})

	t.Run("table per channel: counts, averages, ratios", func(t *testing.T) {
		d := render(t, fx, mgr, "channel_quality", Params{Locale: "zh-CN"})
		require.Len(t, d.Categories, len(channels))
		assert.Equal(t, "网点", d.Categories[0].Label, "option labels in the locale, option order")
		for _, ch := range channels {
			in := func(l loan) bool { return l.Channel == ch }
			assert.Equal(t, count(all, in), must(t, valueAt(t, d, "volume", ch)), ch)
			rate := count(all, func(l loan) bool { return in(l) && approved(l) }) / count(all, func(l loan) bool { return in(l) && decided(l) })
			assert.InDelta(t, rate, must(t, valueAt(t, d, "approval_rate", ch)), 1e-12, ch)
			var sum, n float64
			for _, l := range all {
				if in(l) && approved(l) {
					sum, n = sum+l.Limit, n+1
				}
			}
			assert.InDelta(t, sum/n, must(t, valueAt(t, d, "avg_limit", ch)), 1e-6, ch)
			od := count(all, func(l loan) bool { return in(l) && l.Status == "disbursed" && l.DPD > 0 }) /
				count(all, func(l loan) bool { return in(l) && l.Status == "disbursed" })
			assert.InDelta(t, od, must(t, valueAt(t, d, "overdue_rate", ch)), 1e-12, ch)
		}
	})

	t.Run("weekly buckets folded from days", func(t *testing.T) {
		d := render(t, fx, mgr, "applications_trend", Params{})
		weeks := map[string]float64{}
		for _, l := range all {
			weeks[foldKey(GroupDef{Bucket: BucketWeek}, l.AppliedOn).(string)]++
		}
		total := 0.0
		for w, n := range weeks {
			assert.Equal(t, n, must(t, valueAt(t, d, "applications", w)), w)
			total += n
		}
		assert.Equal(t, float64(len(all)), total)
		assert.Len(t, d.Categories, len(weeks), "every week of the year has applications")
		assert.Regexp(t, `^2024-W\d\d$`, d.Categories[1].Label)
	})

	t.Run("month buckets and the period filter", func(t *testing.T) {
		p := Params{Filters: map[string]FilterValue{"period": {From: "2024-03-01", To: "2024-05-31"}}}
		d := render(t, fx, mgr, "headline", p)
		in := func(l loan) bool { return l.AppliedOn >= "2024-03-01" && l.AppliedOn <= "2024-05-31" }
		assert.Equal(t, count(all, in), must(t, valueAt(t, d, "applications")))
		v := render(t, fx, mgr, "vintage", p)
		for _, c := range v.Categories {
			m := c.Key[0].(string)
			want := count(all, func(l loan) bool { return l.Status == "disbursed" && l.DisbursedOn[:7] == m })
			assert.Equal(t, want, must(t, valueAt(t, v, "loans", m)), "vintage ignores the period filter: %s", m)
		}
	})

	t.Run("ranges with every bucket shown", func(t *testing.T) {
		d := render(t, fx, mgr, "overdue_amount_distribution", Params{Locale: "en"})
		bounds := []float64{1000, 5000, 10000, 50000}
		require.Len(t, d.Categories, len(bounds)+1)
		for i := 0; i <= len(bounds); i++ {
			lo, hi := math.Inf(-1), math.Inf(1)
			if i > 0 {
				lo = bounds[i-1]
			}
			if i < len(bounds) {
				hi = bounds[i]
			}
			want := count(all, func(l loan) bool { return l.Overdue > 0 && l.Overdue >= lo && l.Overdue < hi })
			assert.Equal(t, want, must(t, d.Series[0].Values[i]), d.Categories[i].Label)
		}
		assert.Equal(t, "< 1,000", d.Categories[0].Label)
		assert.Equal(t, "≥ 50,000", d.Categories[4].Label)
	})

	t.Run("stacked series by the second key", func(t *testing.T) {
		d := render(t, fx, mgr, "bucket_mix_by_channel", Params{Locale: "en"})
		for _, s := range d.Series {
			for i, c := range d.Categories {
				want := count(all, func(l loan) bool {
					return l.Status == "disbursed" && l.Channel == c.Key[0] && l.Bucket == s.Key
				})
				assert.Equal(t, want, must(t, s.Values[i]), "%v/%v", c.Key, s.Key)
			}
		}
		assert.Equal(t, "Current", d.Series[0].Label)
	})

	t.Run("funnel stages", func(t *testing.T) {
		d := render(t, fx, mgr, "application_funnel", Params{})
		wants := []float64{float64(len(all)), count(all, func(l loan) bool { return l.Status != "submitted" }),
			count(all, approved), count(all, func(l loan) bool { return l.Status == "disbursed" })}
		for i, w := range wants {
			assert.Equal(t, w, must(t, d.Series[0].Values[i]), d.Categories[i].Key)
			assert.InDelta(t, w/wants[0], must(t, d.Series[1].Values[i]), 1e-12)
		}
	})

	t.Run("top approvers sorted by volume", func(t *testing.T) {
		d := render(t, fx, mgr, "approver_performance", Params{Filters: map[string]FilterValue{"channel": {Values: []any{"online", "agent"}}}})
		vals := seriesOf(t, d, "decided").Values
		for i := 1; i < len(vals); i++ {
			assert.GreaterOrEqual(t, *vals[i-1], *vals[i])
		}
		for i, c := range d.Categories {
			want := count(all, func(l loan) bool {
				return decided(l) && l.Approver == c.Key[0] && (l.Channel == "online" || l.Channel == "agent")
			})
			assert.Equal(t, want, *vals[i], c.Key)
		}
	})
}

// namesOf is a directory of users for the engine's People.
type namesOf map[string]string

func (n namesOf) Names(_ context.Context, _ string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if name, ok := n[id]; ok {
			out[id] = name
		}
	}
	return out, nil
}

func TestRenderNamesUsers(t *testing.T) {
	fx := newSeededFixture(t, 300)
	named := New(fx.svc, Options{People: namesOf{"wang": "王伟", "li": "李娜"}})
	d, err := named.Render(context.Background(), actor("manager", nil), fx.cockpit, "approver_performance", Params{})
	require.NoError(t, err)
	labels := map[any]string{}
	for _, c := range d.Categories {
		labels[c.Key[0]] = c.Label
	}
	assert.Equal(t, "王伟", labels["wang"], "the approver's name, the key stays the id for drill-down")
	assert.Equal(t, "李娜", labels["li"])
	assert.Equal(t, "zhang", labels["zhang"], "a user the directory does not know keeps the id")
	plain := render(t, fx, actor("manager", nil), "approver_performance", Params{})
	for _, c := range plain.Categories {
		assert.Equal(t, fmt.Sprint(c.Key[0]), c.Label, "without a directory the ids show")
	}
}

func TestRenderRespectsPermissions(t *testing.T) {
	fx := newSeededFixture(t, 1500)
	ctx := context.Background()

	t.Run("row scope", func(t *testing.T) {
		a := actor("channel_manager", map[string]string{"channel": "online"})
		d := render(t, fx, a, "volume_by_channel", Params{})
		require.Len(t, d.Categories, 1)
		assert.Equal(t, []any{"online"}, d.Categories[0].Key)
		assert.Equal(t, count(fx.loans, func(l loan) bool { return l.Channel == "online" }), must(t, d.Series[0].Values[0]))
		k := render(t, fx, a, "headline", Params{})
		assert.Equal(t, count(fx.loans, func(l loan) bool { return l.Channel == "online" }), must(t, valueAt(t, k, "applications")),
			"a warm manager render must not be served to a scoped user")
	})

	t.Run("a hidden field is refused with its path", func(t *testing.T) {
		_, err := fx.engine.Render(ctx, actor("analyst", nil), fx.cockpit, "approver_performance", Params{})
		ve := isValidation(err)
		require.NotNil(t, ve, "%v", err)
		assert.Equal(t, "/group_by/0/field", ve.Problems[0].Path)
		assert.Equal(t, "unknown_field", ve.Problems[0].Code)
	})

	t.Run("a masked field is refused in group, measure and filter", func(t *testing.T) {
		q := form.AggregateQuery{
			Filter:   store.Gt("monthly_income", 1000),
			GroupBy:  []store.GroupKey{{Field: "monthly_income", Bucket: store.BucketRange, Bounds: []float64{5000}}},
			Measures: []store.Measure{{Name: "s", Op: store.MeasureSum, Field: "monthly_income"}},
		}
		_, err := fx.svc.Aggregate(ctx, actor("analyst", nil), "loan_application", q)
		ve := isValidation(err)
		require.NotNil(t, ve, "%v", err)
		var paths []string
		for _, p := range ve.Problems {
			assert.Equal(t, "masked_field", p.Code)
			paths = append(paths, p.Path)
		}
		assert.ElementsMatch(t, []string{"/filter/field", "/group_by/0/field", "/measures/0/field"}, paths)
		ve = isValidation(fx.svcAggregateErr(ctx, "analyst", form.AggregateQuery{Measures: []store.Measure{
			{Name: "n", Op: store.MeasureCount},
			{Name: "rich", Op: store.MeasureCount, Filter: store.And(store.Eq("status", "approved"), store.Gt("monthly_income", 20000))},
			{Name: "who", Op: store.MeasureCount, Filter: store.Eq("approver", "wang")},
		}}))
		require.NotNil(t, ve, "a measure's own filter follows the field rules too")
		require.Len(t, ve.Problems, 2)
		assert.Equal(t, "/measures/1/filter/and/1/field", ve.Problems[0].Path)
		assert.Equal(t, "masked_field", ve.Problems[0].Code)
		assert.Equal(t, "/measures/2/filter/field", ve.Problems[1].Path)
		assert.Equal(t, "unknown_field", ve.Problems[1].Code)
		groups, err := fx.svc.Aggregate(ctx, actor("manager", nil), "loan_application", q)
		require.NoError(t, err, "the same query is fine for a full reader")
		assert.NotEmpty(t, groups)
	})

	t.Run("no read right", func(t *testing.T) {
		_, err := fx.engine.Render(ctx, actor("stranger", nil), fx.cockpit, "headline", Params{})
		assert.ErrorIs(t, err, form.ErrForbidden)
	})
}

func TestCacheInvalidation(t *testing.T) {
	fx := newSeededFixture(t, 200)
	mgr := actor("manager", nil)
	first := render(t, fx, mgr, "headline", Params{})
	again := render(t, fx, mgr, "headline", Params{})
	assert.Same(t, first, again, "a warm render comes from the cache")
	fx.seed(t, genLoans(10)) // seed invalidates the form, as a record write must
	fresh := render(t, fx, mgr, "headline", Params{})
	assert.Equal(t, float64(210), must(t, valueAt(t, fresh, "applications")))

	now := fx.engine.cache.now()
	fx.engine.cache.now = func() time.Time { return now.Add(999 * time.Millisecond) }
	assert.Same(t, fresh, render(t, fx, mgr, "headline", Params{}))
	fx.engine.cache.now = func() time.Time { return now.Add(time.Second) }
	assert.NotSame(t, fresh, render(t, fx, mgr, "headline", Params{}), "no entry outlives the TTL")
}

func TestParamsErrors(t *testing.T) {
	fx := newFixture(t, sqlite.MemoryPath)
	_, err := fx.engine.Render(context.Background(), actor("manager", nil), fx.cockpit, "headline", Params{Filters: map[string]FilterValue{
		"period": {From: "2024-13-01"}, "nope": {Values: []any{"x"}}, "channel": {From: "2024-01-01"}}})
	var pe *ParamsError
	require.ErrorAs(t, err, &pe)
	got := map[string]string{}
	for _, p := range pe.Problems {
		got[p.Path] = p.Code
	}
	assert.Equal(t, map[string]string{"/filters/period/from": "bad_value", "/filters/nope": "unknown_filter", "/filters/channel": "bad_value"}, got)
	_, err = fx.engine.Render(context.Background(), actor("manager", nil), fx.cockpit, "missing", Params{})
	assert.ErrorIs(t, err, ErrUnknownWidget)
}
