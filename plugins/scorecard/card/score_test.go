package card

import (
	"cmp"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var scoringDay = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

// application is a loan-application record as the host sends it (numbers as json.Number).
func application() map[string]any {
	return map[string]any{
		"gender": "male", "marital_status": "married", "birth_date": "1988-03-15",
		"years_at_address": json.Number("6"), "years_employed": json.Number("2.5"),
		"monthly_income": json.Number("9000"), "annual_income": json.Number("108000"),
		"existing_loans_count": json.Number("1"), "housing_status": "rented",
		"purpose": "durable_goods", "amount": json.Number("60000"), "term_months": json.Number("36"),
	}
}

func TestScalingAnchors(t *testing.T) {
	s := Scaling{BaseScore: 600, BaseOdds: 50, PDO: 20}
	assert.InDelta(t, 1.0/51, s.PD(600), 1e-12, "odds 50:1 at the base score")
	odds := func(score float64) float64 { pd := s.PD(score); return (1 - pd) / pd }
	assert.InDelta(t, 100, odds(620), 1e-9, "PDO points double the odds")
	assert.InDelta(t, 25, odds(580), 1e-9)
	assert.InDelta(t, 600, s.ScoreAtPD(1.0/51), 1e-9)
}

func TestPointsFollowTheFittedModel(t *testing.T) {
	c, ds := newTrainedCard(t)
	m := c.Model()
	f := m.Scaling.Factor()
	assert.Equal(t, int(math.Round(m.Scaling.Offset()-f*m.Training.Intercept)), m.InterceptPoints)
	for _, feat := range m.Features {
		assert.Less(t, feat.Coefficient, 0.0, "%s: a better bin must earn points", feat.Name)
		for _, b := range feat.Bins {
			assert.InDelta(t, -f*feat.Coefficient*b.WoE, float64(b.Points), 0.5+1e-9, b.Code)
		}
	}
	// A row's score is the intercept plus its bins' points, and the score ranks the
	// training data far better than chance.
	scores, err := c.ScoreRows(ds, allRows(ds))
	require.NoError(t, err)
	bad := make([]bool, len(ds.Rows))
	for i, r := range ds.Rows {
		bad[i] = r.Bad
	}
	assert.Greater(t, AUC(scores, bad), 0.8)
}

func TestScoreALoanApplication(t *testing.T) {
	c, _ := newTrainedCard(t)
	m := c.Model()
	res, err := c.Score(application(), scoringDay)
	require.NoError(t, err)

	sum := m.InterceptPoints
	for _, fs := range res.Features {
		sum += fs.Points
	}
	assert.Equal(t, sum, res.Score)
	assert.InDelta(t, m.Scaling.PD(float64(res.Score)), res.PD, 1e-15)
	assert.Equal(t, c.Grade(res.Score), res.Grade)

	byName := map[string]FeatureScore{}
	for _, fs := range res.Features {
		byName[fs.Name] = fs
	}
	// The bridge: rented is A151, durable goods furniture (A42), 2.5 years employed A73,
	// 60,000 CNY over 36 months against 9,000 a month is 18.5% (code 1).
	assert.Equal(t, "A151", byName["housing"].Category)
	assert.Equal(t, "A42", byName["purpose"].Category)
	assert.Equal(t, "A73", byName["employment_since"].Category)
	_, usesSex := byName["personal_status_sex"]
	assert.False(t, usesSex, "the shipped model leaves sex and marital status out")
	if fs, ok := byName["installment_rate"]; ok {
		assert.Equal(t, 0, fs.Bin, "18.5% is the lowest band")
	}
	// Renters are not home owners: property scores as neutral, and says so.
	assert.Equal(t, Unmapped, byName["property"].Status)
	assert.Equal(t, Missing, byName["checking_status"].Status)

	require.NotEmpty(t, res.Reasons)
	assert.LessOrEqual(t, len(res.Reasons), m.MaxReasons)
	assert.True(t, slices.IsSortedFunc(res.Reasons, func(a, b Reason) int { return cmp.Compare(a.Points, b.Points) }),
		"most costly first: %+v", res.Reasons)
	for _, r := range res.Reasons {
		assert.Less(t, r.Points, 0, r.Code)
		assert.NotEmpty(t, r.Text.EN, r.Code)
		assert.NotEmpty(t, r.Text.ZH, r.Code)
	}
	codes := map[string]bool{}
	for _, r := range append(res.Reasons, res.Notes...) {
		codes[r.Code] = true
	}
	// A categorical reason names the applicant's own category (furniture), not the
	// merged bin it shares with domestic appliances.
	assert.True(t, codes["purpose.furniture"], "%v", codes)
	assert.True(t, codes["checking_status.missing"])
	assert.True(t, codes["property.unmapped"])
}

func TestMissingInputsScoreAsNeutral(t *testing.T) {
	c, _ := newTrainedCard(t)
	m := c.Model()
	res, err := c.Score(map[string]any{}, scoringDay)
	require.NoError(t, err)
	assert.Equal(t, m.InterceptPoints, res.Score)
	assert.Empty(t, res.Reasons)
	require.Len(t, res.Notes, len(m.Features))
	for i, n := range res.Notes {
		assert.Equal(t, m.Features[i].Name+".missing", n.Code)
		assert.Contains(t, n.Text.EN, "not provided")
		assert.Contains(t, n.Text.ZH, "未提供")
	}
	// Blank strings and nulls count as missing too.
	res, err = c.Score(map[string]any{"purpose": " ", "amount": nil}, scoringDay)
	require.NoError(t, err)
	assert.Equal(t, m.InterceptPoints, res.Score)
}

func TestUnknownCategoriesScoreAsNeutral(t *testing.T) {
	c, _ := newTrainedCard(t)
	rec := map[string]any{"housing_status": "other", "purpose": "spaceship", "checking_status": "A14",
		"gender": "female", "marital_status": "single"}
	res, err := c.Score(rec, scoringDay)
	require.NoError(t, err)
	status := map[string]Status{}
	for _, fs := range res.Features {
		status[fs.Name] = fs.Status
	}
	assert.Equal(t, Unmapped, status["housing"])
	assert.Equal(t, Unmapped, status["purpose"])
	// A record may carry a German attribute by its own name.
	assert.Equal(t, Found, status["checking_status"])
}

func TestBadFieldsAreInputErrors(t *testing.T) {
	c, _ := newTrainedCard(t)
	cases := map[string]map[string]any{
		"amount is text":          {"amount": "a lot", "term_months": json.Number("12")},
		"amount is an object":     {"amount": map[string]any{"v": 1}},
		"birth date is no date":   {"birth_date": "1990-13-45"},
		"born in the future":      {"birth_date": "2030-01-01"},
		"term of zero months":     {"amount": json.Number("1000"), "term_months": json.Number("0"), "monthly_income": json.Number("5000")},
		"negative monthly income": {"amount": json.Number("1000"), "term_months": json.Number("6"), "monthly_income": json.Number("-1")},
	}
	for name, rec := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Score(rec, scoringDay)
			var ie *InputError
			require.True(t, errors.As(err, &ie), "got %v", err)
			assert.NotEmpty(t, ie.Field)
		})
	}
}

func TestBridgeDerivations(t *testing.T) {
	age := Input{Fields: []string{"birth_date"}, Derive: DeriveAgeYears}
	for _, tc := range []struct {
		born string
		now  time.Time
		want float64
	}{
		{"1990-05-17", time.Date(2026, 5, 16, 23, 0, 0, 0, time.UTC), 35},
		{"1990-05-17", time.Date(2026, 5, 17, 0, 0, 0, 0, time.UTC), 36},
		{"2000-02-29", time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), 25},
		{"1990-05-17T08:00:00+08:00", time.Date(2026, 5, 17, 0, 0, 0, 0, time.UTC), 36},
	} {
		v, st, err := age.resolve(Numeric, map[string]any{"birth_date": tc.born}, tc.now)
		require.NoError(t, err)
		require.Equal(t, Found, st)
		assert.InDelta(t, tc.want, v.Num, 0, "%s at %s", tc.born, tc.now)
	}

	one, two, three, four := 1.0, 2.0, 3.0, 4.0
	b20, b25, b35 := 20.0, 25.0, 35.0
	rate := Input{Fields: []string{"amount", "term_months", "monthly_income"}, Derive: DeriveInstallmentPct,
		Bands: []Band{{Below: &b20, Value: &one}, {Below: &b25, Value: &two}, {Below: &b35, Value: &three}, {Value: &four}}}
	for _, tc := range []struct {
		amount, term, income string
		want                 float64
	}{
		{"12000", "12", "5001", 1}, // 19.99%
		{"12000", "12", "5000", 2}, // exactly 20% starts the second band
		{"36000", "12", "9000", 3}, // 33.3%
		{"36000", "12", "0", 4},    // no income: beyond every band
	} {
		rec := map[string]any{"amount": json.Number(tc.amount), "term_months": json.Number(tc.term),
			"monthly_income": json.Number(tc.income)}
		v, st, err := rate.resolve(Numeric, rec, scoringDay)
		require.NoError(t, err)
		require.Equal(t, Found, st)
		assert.InDelta(t, tc.want, v.Num, 0, "%v", tc)
	}

	join := Input{Fields: []string{"gender", "marital_status"}, Derive: DeriveJoin, Map: map[string]string{"male|single": "A93"}}
	v, st, err := join.resolve(Categorical, map[string]any{"gender": "male", "marital_status": "single"}, scoringDay)
	require.NoError(t, err)
	assert.Equal(t, Found, st)
	assert.Equal(t, "A93", v.Cat)
	_, st, err = join.resolve(Categorical, map[string]any{"gender": "male"}, scoringDay)
	require.NoError(t, err)
	assert.Equal(t, Missing, st, "one of the joined fields is missing")

	scaled := Input{Fields: []string{"amount"}, Scale: 0.1}
	v, _, err = scaled.resolve(Numeric, map[string]any{"amount": "25000"}, scoringDay)
	require.NoError(t, err)
	assert.InDelta(t, 2500, v.Num, 1e-9, "numbers may come as numeric strings")
}

func TestPDFallsAsTheScoreRises(t *testing.T) {
	c, ds := newTrainedCard(t)
	m := c.Model()
	scores, err := c.ScoreRows(ds, allRows(ds))
	require.NoError(t, err)
	slices.Sort(scores)
	scores = slices.Compact(scores)
	require.Greater(t, len(scores), 100)
	for i := 1; i < len(scores); i++ {
		assert.Less(t, m.Scaling.PD(float64(scores[i])), m.Scaling.PD(float64(scores[i-1])))
	}
	// Grades follow the score: never better for a lower score.
	for i := 1; i < len(scores); i++ {
		assert.LessOrEqual(t, slices.Index(Grades, c.Grade(scores[i])), slices.Index(Grades, c.Grade(scores[i-1])))
	}
}

func TestGradesSplitTheTrainingScoresAsAsked(t *testing.T) {
	c, ds := newTrainedCard(t)
	m := c.Model()
	scores, err := c.ScoreRows(ds, allRows(ds))
	require.NoError(t, err)
	count := map[string]int{}
	for _, s := range scores {
		count[c.Grade(s)]++
	}
	for _, g := range m.Grades {
		assert.InDelta(t, g.TrainingShare, float64(count[g.Grade])/float64(len(scores)), 0.03, g.Grade)
	}
}

func TestModelVersionFollowsTheContent(t *testing.T) {
	c, _ := newTrainedCard(t)
	m := cloneModel(t, c.Model())
	v, err := m.contentVersion()
	require.NoError(t, err)
	assert.Equal(t, m.ModelVersion, v)
	assert.True(t, strings.HasPrefix(v, "german-woe-lr-"))
	m.TrainedAt = m.TrainedAt.Add(time.Hour)
	v2, err := m.contentVersion()
	require.NoError(t, err)
	assert.Equal(t, v, v2, "the training time is not content")
	m.Features[0].Bins[0].Points++
	v3, err := m.contentVersion()
	require.NoError(t, err)
	assert.NotEqual(t, v, v3)
}
