package card

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syntheticNumeric builds a one-attribute data set: for each x, goods and bads rows.
func syntheticNumeric(counts map[float64][2]int) *Dataset {
	ds := &Dataset{Attributes: []Attribute{{Name: "x", Kind: Numeric, Title: Text{"X", "X"}}}}
	for x := range 100 {
		c, ok := counts[float64(x)]
		if !ok {
			continue
		}
		for range c[0] {
			ds.Rows = append(ds.Rows, Row{Values: []Value{{Num: float64(x)}}})
		}
		for range c[1] {
			ds.Rows = append(ds.Rows, Row{Values: []Value{{Num: float64(x)}}, Bad: true})
		}
	}
	return ds
}

func TestWoEIsFiniteWhenABinHasNoBads(t *testing.T) {
	bins := []Bin{{Goods: 50, Bads: 0}, {Goods: 50, Bads: 30}}
	setWoE(bins, 0.5)
	for _, b := range bins {
		assert.False(t, math.IsInf(b.WoE, 0) || math.IsNaN(b.WoE), "WoE %v", b.WoE)
	}
	assert.Greater(t, bins[0].WoE, 0.0, "a bin of goods only is better than average")
	assert.Less(t, bins[1].WoE, 0.0)
	assert.False(t, math.IsInf(InformationValue(bins, 0.5), 0))
}

func TestInformationValueMatchesTheTextbookFigure(t *testing.T) {
	// Shares of goods .8/.2 against shares of bads .2/.8: IV = 2 × 0.6 × ln 4.
	bins := []Bin{{Goods: 40, Bads: 10}, {Goods: 10, Bads: 40}}
	assert.InDelta(t, 1.2*math.Log(4), InformationValue(bins, 1e-12), 1e-9)
	// A feature that does not separate has no information.
	assert.InDelta(t, 0, InformationValue([]Bin{{Goods: 30, Bads: 10}, {Goods: 60, Bads: 20}}, 1e-12), 1e-9)
}

func TestChiMergeFindsTheStepInARiskCurve(t *testing.T) {
	// x from 0 to 9: a 10% bad rate below 5 and 60% from 5 on.
	counts := map[float64][2]int{}
	for x := range 10 {
		if x < 5 {
			counts[float64(x)] = [2]int{90, 10}
		} else {
			counts[float64(x)] = [2]int{40, 60}
		}
	}
	ds := syntheticNumeric(counts)
	bins := binAttribute(ds, 0, allRows(ds), BinningOpts{FineBins: 20, MaxBins: 6, MinBinShare: 0.05, ChiSquare: 3.841, Smoothing: 0.5})
	require.Len(t, bins, 2)
	assert.Nil(t, bins[0].Lower)
	require.NotNil(t, bins[0].Upper)
	assert.InDelta(t, 5.0, *bins[0].Upper, 0)
	assert.Equal(t, [2]int{450, 50}, [2]int{bins[0].Goods, bins[0].Bads})
	assert.Nil(t, bins[1].Upper)
}

func TestMonotoneBinning(t *testing.T) {
	// A U-shaped risk curve: the ends are risky, the middle is safe; overall the risk
	// rises with x.
	counts := map[float64][2]int{
		0: {60, 40}, 1: {90, 10}, 2: {90, 10}, 3: {70, 30}, 4: {50, 50}, 5: {30, 70},
	}
	ds := syntheticNumeric(counts)
	opts := BinningOpts{FineBins: 20, MaxBins: 6, MinBinShare: 0.05, ChiSquare: 0, Smoothing: 0.5}
	free := binAttribute(ds, 0, allRows(ds), opts)
	opts.Monotone = true
	mono := binAttribute(ds, 0, allRows(ds), opts)
	badRate := func(b Bin) float64 { return float64(b.Bads) / float64(b.Goods+b.Bads) }
	assert.Greater(t, badRate(free[0]), badRate(free[1]), "without the constraint the U shape stays")
	for i := 1; i < len(mono); i++ {
		assert.GreaterOrEqual(t, badRate(mono[i]), badRate(mono[i-1]), "bin %d", i)
	}
	assert.Less(t, len(mono), len(free))
}

func TestSparseCategoriesAreMerged(t *testing.T) {
	ds := loadGerman(t)
	col := ds.Attribute("purpose")
	opts := DefaultTrainOpts().Binning
	bins := binAttribute(ds, col, allRows(ds), opts)
	min := int(math.Ceil(opts.MinBinShare * float64(len(ds.Rows))))
	seen := map[string]bool{}
	for _, b := range bins {
		assert.GreaterOrEqual(t, b.Goods+b.Bads, min, "bin %v holds too few rows", b.Categories)
		for _, c := range b.Categories {
			seen[c] = true
		}
	}
	// Retraining (9 rows) and others (12) are below 3% and must have joined a bin; the
	// vacation code never occurs, so no bin holds it.
	assert.True(t, seen["A48"])
	assert.True(t, seen["A410"])
	assert.False(t, seen["A47"])
	assert.LessOrEqual(t, len(bins), opts.MaxBins)
}

func TestBinLabelsAndCodes(t *testing.T) {
	lo, hi := 12.0, 24.0
	a := &Attribute{Name: "duration_months", Kind: Numeric, Unit: Text{"months", "个月"}}
	bins := []Bin{{Upper: &lo}, {Lower: &lo, Upper: &hi}, {Lower: &hi}}
	labelBins(a, bins, a.Unit, 1)
	assert.Equal(t, "duration_months.lt_12", bins[0].Code)
	assert.Equal(t, Text{"under 12 months", "不满12个月"}, bins[0].Label)
	assert.Equal(t, "duration_months.12_to_24", bins[1].Code)
	assert.Equal(t, Text{"12 to under 24 months", "12至不满24个月"}, bins[1].Label)
	assert.Equal(t, Text{"24 months or more", "24个月及以上"}, bins[2].Label)

	// Amounts binned in DM are shown in the record's currency.
	edge := 3973.0
	amt := &Attribute{Name: "credit_amount", Kind: Numeric}
	ab := []Bin{{Upper: &edge}, {Lower: &edge}}
	labelBins(amt, ab, Text{"CNY", "元"}, 0.1)
	assert.Equal(t, Text{"under 39,730 CNY", "不满39,730元"}, ab[0].Label)
	assert.Equal(t, "credit_amount.lt_3973", ab[0].Code)
}
